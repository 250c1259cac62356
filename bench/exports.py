"""Export throughput and memory: bitextqa's streaming TMX/Moses/TSV writers, side by side with
translate-toolkit building the same TMX in memory (the obvious alternative).

Each measurement runs in a fresh child process so its peak RSS (ru_maxrss) is
its own. Units are synthetic zh→en pairs of realistic length. Prints units/s,
peak RSS and the peak-RSS growth between a small and a large export (flat
memory means the growth is ~0), and writes bench/results/exports.json.

    .venv/bin/python bench/exports.py [--large 1000000] [--small 100000] [--baseline 200000]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT / "tests"))  # CountingSink, shared with the streaming tests

from test_report_support import CountingSink  # noqa: E402


def _units(n: int):
    from align.exports import TranslationUnit

    for i in range(n):
        yield TranslationUnit(
            f"第{i}句：2023年，高技术制造业占规模以上工业增加值的比重为15.7%，装备制造业占比为33.6%。",
            f"Sentence {i}: in 2023, high-tech manufacturing accounted for 15.7% of the added value of "
            "industries above designated size, and equipment manufacturing for 33.6%.",
            "zh", "en", (i % 100) / 100, f"doc{i // 1000}", i % 1000,
        )


class _NullText(io.TextIOBase):
    def __init__(self) -> None:
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, s: str) -> int:
        self.size += len(s.encode("utf-8"))
        return len(s)


def child(kind: str, n: int) -> dict:
    """One measurement, in this process: seconds, bytes written, peak RSS."""
    from align.exports import TmxHeader, write_moses, write_tmx, write_tsv

    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    if kind == "tmx":
        sink = CountingSink()
        write_tmx(_units(n), sink, TmxHeader(srclang="zh"))
        size = sink.size
    elif kind == "moses":
        a, b = _NullText(), _NullText()
        write_moses(_units(n), a, b)
        size = a.size + b.size
    elif kind == "tsv":
        sink = _NullText()
        write_tsv(_units(n), sink, metadata=True)
        size = sink.size
    elif kind == "translate-toolkit-tmx":
        from translate.storage.tmx import tmxfile

        store = tmxfile(sourcelanguage="zh", targetlanguage="en")
        for u in _units(n):
            store.addtranslation(u.src_text, "zh", u.tgt_text, "en")
        size = len(bytes(store))
    else:
        raise SystemExit(f"unknown kind {kind}")
    seconds = time.perf_counter() - t0
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"kind": kind, "units": n, "seconds": seconds, "units_per_s": n / seconds, "bytes": size,
            "peak_rss_mb": peak_kb / 1024, "rss_before_mb": rss0 / 1024}


def run_child(kind: str, n: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind, str(n)], check=True, capture_output=True,
                         text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return json.loads(out.stdout)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--large", type=int, default=1_000_000, help="units in the large streaming exports")
    ap.add_argument("--small", type=int, default=100_000, help="units in the small streaming exports")
    ap.add_argument("--baseline", type=int, default=200_000, help="units for the translate-toolkit comparison")
    ap.add_argument("--child", nargs=2, metavar=("KIND", "N"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], int(args.child[1]))))
        return 0

    rows = []
    for kind in ("tmx", "moses", "tsv"):
        for n in (args.small, args.large):
            rows.append(run_child(kind, n))
    rows.append(run_child("tmx", args.baseline))
    rows.append(run_child("translate-toolkit-tmx", args.baseline))

    print(f"{'writer':<24} {'units':>9} {'seconds':>8} {'units/s':>9} {'MB out':>8} {'peak RSS MB':>11}")
    for r in rows:
        print(f"{r['kind']:<24} {r['units']:>9} {r['seconds']:>8.1f} {r['units_per_s']:>9.0f} "
              f"{r['bytes'] / 1e6:>8.1f} {r['peak_rss_mb']:>11.1f}")
    growth = {}
    for kind in ("tmx", "moses", "tsv"):
        small = next(r for r in rows if r["kind"] == kind and r["units"] == args.small)
        large = next(r for r in rows if r["kind"] == kind and r["units"] == args.large)
        growth[kind] = large["peak_rss_mb"] - small["peak_rss_mb"]
        print(f"{kind}: peak RSS {small['peak_rss_mb']:.1f} MB at {args.small} units, {large['peak_rss_mb']:.1f} MB "
              f"at {args.large} ({growth[kind]:+.1f} MB for {args.large / args.small:.0f}x the units)")
    ours = rows[-2]
    tt = rows[-1]
    ratio = {"speed_ours_over_translate_toolkit": ours["units_per_s"] / tt["units_per_s"],
             "peak_rss_translate_toolkit_over_ours": tt["peak_rss_mb"] / ours["peak_rss_mb"]}
    print(f"at {args.baseline} units: bitextqa write_tmx is {ratio['speed_ours_over_translate_toolkit']:.1f}x the "
          f"speed of translate-toolkit's in-memory TMX, using 1/{ratio['peak_rss_translate_toolkit_over_ours']:.1f} "
          "of its peak memory")
    from align import __version__

    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "exports.json"
    out.write_text(json.dumps({"tool_version": __version__, "rows": rows, "peak_rss_growth_mb": growth,
                               "ratios": ratio}, indent=1), encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
