"""What one ``partial_omission`` setting costs: ``clause_tests`` timed with it off and on, side by side.

    .venv/bin/python bench/check_cost.py omission_lexical_any_length [--repeats 3] [--seeds 000,001]

Runs the product's chain (ingest, segment, align with the bundled encoder, build the check
context) once per interleaved seed and direction, then times ``align.checks.omission.clause_tests``
with the boolean ``CheckSettings`` field off and on, alternating (off, on, off, on, ...) in one
process so that machine noise hits both alike. Embeddings come from the benchmarks' on-disk
cache (``bench/results/qa_embed_cache.npz``, filled on first use), so the times are the checks'
own work (with the caches inside the code warm after the first call: ``bench/code_cost.py``
times a first call, and compares two revisions rather than two settings); the count of
candidates (each embedded twice, the candidate and the source without it) says what the encoder adds on a cold run (the bundled encoder does about 1,000 strings/s on 2
cores), and so does the count of strings one call hands the encoder. Prints the median time of
each side, the ratio, the candidate and string counts, and writes
``bench/results/check_cost_<FIELD>.json``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from align.checks.omission import clause_tests  # noqa: E402
from align.settings import CheckSettings  # noqa: E402
from bench import qa_precision as q  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Time ``clause_tests`` with one setting off and on; print and write the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("field", help="a boolean CheckSettings field")
    ap.add_argument("--repeats", type=int, default=3, help="timed calls per side (default 3)")
    ap.add_argument("--seeds", default="000,001", help="interleaved seed prefixes (default 000,001)")
    args = ap.parse_args(argv)
    fields = {f.name: f for f in dataclasses.fields(CheckSettings)}
    if args.field not in fields or not isinstance(getattr(CheckSettings(), args.field), bool):
        ap.error(f"{args.field}: not a boolean CheckSettings field")
    embed = q.CachedEmbed(q.RESULTS / "qa_embed_cache.npz")
    rows = []
    for src, tgt in (("zh", "en"), ("en", "zh")):
        q.SRC, q.TGT = src, tgt
        for prefix in args.seeds.split(","):
            path = next((ROOT / "seeds").glob(f"{prefix}*.txt"))
            ctx = q.check_text(prefix, str(path), path.read_text(encoding="utf-8"), embed).ctx
            times: dict[bool, list[float]] = {False: [], True: []}
            counts: dict[bool, int] = {}
            strings: dict[bool, int] = {}  # strings handed to the encoder by one call (a cold run encodes them)
            for _ in range(args.repeats):
                for on in (False, True):
                    handed = [0]

                    def counted(texts, handed=handed):
                        handed[0] += len(texts)
                        return embed(texts)

                    c = dataclasses.replace(ctx, embed=counted,
                                            settings=dataclasses.replace(ctx.settings, **{args.field: on}))
                    if not times[on]:
                        clause_tests(c)  # the first call of a side may embed new strings: not timed
                    handed[0] = 0
                    t0 = time.perf_counter()
                    counts[on] = len(clause_tests(c))
                    times[on].append(time.perf_counter() - t0)
                    strings[on] = handed[0]
            off, on_ = statistics.median(times[False]), statistics.median(times[True])
            rows.append({"direction": f"{src}-{tgt}", "seed": prefix, "off_s": round(off, 3), "on_s": round(on_, 3),
                         "ratio": round(on_ / off, 2) if off else None,
                         "candidates_off": counts[False], "candidates_on": counts[True],
                         "strings_off": strings[False], "strings_on": strings[True]})
            r = rows[-1]
            print(f"{r['direction']} {prefix}: off {r['off_s']:.3f} s, on {r['on_s']:.3f} s, ratio {r['ratio']}; "
                  f"candidates {r['candidates_off']} -> {r['candidates_on']}; "
                  f"strings embedded {r['strings_off']} -> {r['strings_on']}", flush=True)
    if embed.encoded:  # keep what was encoded for the next run
        embed.save()
    out = q.RESULTS / f"check_cost_{args.field}.json"
    out.write_text(json.dumps({"field": args.field, "repeats": args.repeats, "rows": rows}, indent=2))
    print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
