"""How the HTML report scales: render time, page size, and load/filter/search time in headless Chromium.

Renders synthetic zh→en documents of 1k and 10k beads (a finding every 50
beads), opens each page from file:// in Debian's chromium via Playwright and
times: navigation until the page script has run, the "only beads with
findings" filter, a search that hides every row, and j (next finding).
Prints a table with the 10k/1k ratios and writes bench/results/report_load.json.

    .venv/bin/python bench/report_load.py [--sizes 1000,10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the synthetic document builder shared with the tests

from align import __version__  # noqa: E402
from align.report import render_report  # noqa: E402
from test_report_browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from test_report_support import big_result  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def measure(page, url: str) -> dict[str, float]:
    """Seconds for load, filter, search and keyboard navigation on one page (fresh navigation)."""
    t0 = time.perf_counter()
    page.goto(url)
    page.wait_for_selector("#status:not(:empty)")
    load = time.perf_counter() - t0
    t0 = time.perf_counter()
    page.check("#only-findings")
    page.evaluate("() => document.getElementById('status').textContent")
    filt = time.perf_counter() - t0
    page.uncheck("#only-findings")
    t0 = time.perf_counter()
    page.fill("#search", "no such text anywhere")
    page.wait_for_function("() => document.querySelectorAll('#rows > .row:not([hidden])').length === 0")
    search = time.perf_counter() - t0
    page.fill("#search", "")
    page.wait_for_function("() => document.querySelectorAll('#rows > .row[hidden]').length === 0")
    page.locator("body").click(position={"x": 5, "y": 5})
    t0 = time.perf_counter()
    page.keyboard.press("j")
    page.wait_for_selector(".row.current")
    nav = time.perf_counter() - t0
    return {"load_s": load, "filter_s": filt, "search_s": search, "next_finding_s": nav}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000", help="bead counts, comma-separated")
    ap.add_argument("--repeat", type=int, default=3, help="browser measurements per size (median reported)")
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]

    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(str(Path(tmp) / "profile"), executable_path=CHROMIUM,
                                                   args=CHROMIUM_ARGS, headless=True,
                                                   viewport={"width": 1400, "height": 900})
        for n in sizes:
            result = big_result(n, doc_id=f"big{n}")
            t0 = time.perf_counter()
            pages = render_report([result], {})
            render_s = time.perf_counter() - t0
            rel = f"docs/big{n}/report.html"
            path = Path(tmp) / rel
            path.parent.mkdir(parents=True)
            path.write_text(pages[rel], encoding="utf-8")
            page = ctx.new_page()
            runs = [measure(page, path.as_uri()) for _ in range(args.repeat)]
            page.close()
            med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
            rows.append({"beads": n, "findings": len(result.findings), "render_s": render_s,
                         "page_bytes": len(pages[rel].encode("utf-8")), **med})
        ctx.close()

    chromium_version = ctx.browser.version if ctx.browser else "unknown"
    print(f"{'beads':>7} {'render s':>9} {'page MB':>8} {'load s':>7} {'filter s':>9} {'search s':>9} {'j s':>6}")
    for r in rows:
        print(f"{r['beads']:>7} {r['render_s']:>9.2f} {r['page_bytes'] / 1e6:>8.2f} {r['load_s']:>7.2f} "
              f"{r['filter_s']:>9.3f} {r['search_s']:>9.3f} {r['next_finding_s']:>6.3f}")
    ratios = {}
    if len(rows) >= 2:
        a, b = rows[0], rows[-1]
        ratios = {k: b[k] / a[k] for k in ("render_s", "page_bytes", "load_s", "filter_s", "search_s") if a[k] > 0}
        print(f"ratio {b['beads']}/{a['beads']} beads ({b['beads'] / a['beads']:.0f}x): "
              + ", ".join(f"{k} {v:.1f}x" for k, v in ratios.items()))
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "report_load.json"
    out.write_text(json.dumps({"tool_version": __version__, "chromium": chromium_version, "repeat": args.repeat,
                               "sizes": rows, "ratios_last_over_first": ratios}, indent=1), encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
