"""QA check precision and recall pooled over several draws of corrupted pairs.

    .venv/bin/python bench/qa_precision_seeds.py [--seeds 13,21,34,55] [--tag NAME] [qa_precision options ...]

``bench/qa_precision.py`` corrupts 40 pairs per corruption kind for one random
seed, so one miss moves a check's recall by 0.025 and a figure tuned on one draw
can hide a weakness. This runs it once per seed (each draw picks other pairs and
other clauses, numbers and sentences to corrupt), then pools the counts: a
check's pooled recall is all its hits over all its corrupted pairs, its pooled
precision all its true positives over all its findings on corrupted runs.

Prints one row per check (recall per seed, pooled precision and recall) and
writes ``bench/results/qa_precision_seeds.json``; each seed's full results are in
``bench/results/qa_precision_seed<N>.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import qa_precision  # noqa: E402

RESULTS = ROOT / "bench" / "results"
#: the targets of issue 5, per check on the synthetic corruptions
TARGET_PRECISION, TARGET_RECALL = 0.9, 0.95


def pool(per_seed: dict[int, dict]) -> dict[str, dict]:
    """Pooled counts and figures per check from ``{seed: qa_precision results}``."""
    pooled: dict[str, dict] = {}
    for results in per_seed.values():
        for check, row in results["per_check"].items():
            acc = pooled.setdefault(check, {"tp": 0, "fp": 0, "pre": 0, "sites": 0, "hit": 0})
            for k in acc:
                acc[k] += row[k]
    for acc in pooled.values():
        found = acc["tp"] + acc["fp"]
        acc["precision"] = round(acc["tp"] / found, 4) if found else None
        acc["recall"] = round(acc["hit"] / acc["sites"], 4) if acc["sites"] else None
    return pooled


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", default="13,21,34,55", help="comma-separated random seeds (13 is the headline draw)")
    ap.add_argument("--direction", default="zh-en", choices=["zh-en", "en-zh"],
                    help="passed to qa_precision; en-zh results are written with an _en-zh suffix")
    ap.add_argument("--tag", default="", help="suffix for the result files, so that runs side by side keep their own")
    args, passthrough = ap.parse_known_args(argv)
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    suffix = ("" if args.direction == "zh-en" else f"_{args.direction}") + (f"_{args.tag}" if args.tag else "")
    per_seed: dict[int, dict] = {}
    for seed in seeds:
        out = RESULTS / f"qa_precision_seed{seed}{suffix}.json"
        print(f"\n######## seed {seed} ########")
        qa_precision.main([*passthrough, "--seed", str(seed), "--direction", args.direction, "--out", str(out)])
        per_seed[seed] = json.loads(out.read_text(encoding="utf-8"))
    pooled = pool(per_seed)

    spans = [r.get("partial_omission_on_span") for r in per_seed.values()]
    on_span = None
    if spans and all(spans):
        on_span = qa_precision.with_span_recall(
            {k: sum(sp[k] for sp in spans) for k in ("labelled", "on_span", "renders_nothing", "unlabelled")})
    print(f"\n== Pooled over seeds {seeds} (targets: precision >= {TARGET_PRECISION}, recall >= {TARGET_RECALL}) ==")
    head = " ".join(f"{'R s' + str(s):>7s}" for s in seeds)
    print(f"  {'check':28s} {head} {'TP':>5s} {'FP':>4s} {'precision':>9s} {'recall':>7s}  target")
    for check, acc in pooled.items():
        if not acc["sites"]:  # no corruption kind of its own (it may still fire on others': see its precision)
            continue
        rec = " ".join(f"{per_seed[s]['per_check'][check]['recall'] or 0:7.3f}" for s in seeds)
        met = (acc["precision"] or 0) >= TARGET_PRECISION and acc["recall"] >= TARGET_RECALL
        print(f"  {check:28s} {rec} {acc['tp']:5d} {acc['fp']:4d} {acc['precision'] or 0:9.3f} "
              f"{acc['recall']:7.3f}  {'met' if met else 'NOT met'} ({acc['hit']}/{acc['sites']})")
    if on_span:
        met = on_span["recall"] is not None and on_span["recall"] >= TARGET_RECALL
        print(f"  {'partial_omission on the span':28s} recall {on_span['recall']}  {'met' if met else 'NOT met'} "
              f"({on_span['on_span']}/{on_span['labelled']} deleted clauses with source words, by "
              f"bench/data/clause_gold; {on_span['renders_nothing']} translated nothing, "
              f"{on_span['unlabelled']} not in the table)")
    inert: dict[str, int] = {}  # number edits that left the target consistent with the source, per kind
    for r in per_seed.values():
        for kind, row in r["per_kind"].items():
            if row.get("inert"):
                inert[kind] = inert.get(kind, 0) + row["inert"]
    if inert:
        print(f"  edits that made no error, not scored: {inert}")
    path = RESULTS / f"qa_precision_seeds{suffix}.json"
    path.write_text(json.dumps({"seeds": seeds, "direction": args.direction, "passthrough": passthrough, "pooled": pooled,
                                "partial_omission_on_span": on_span, "inert": inert,
                                "per_seed": {s: r["per_check"] for s, r in per_seed.items()}}, indent=1) + "\n",
                    encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
