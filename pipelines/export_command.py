"""Export the aligned pairs of a finished run for MT training, as TMX 1.4b, Moses or TSV.

Reads the run folder written by ``bitextqa run --out DIR`` and keeps, by
default, only 1-1 beads whose score is at least --min-score; prints how many
units each filter removed. The output appears only when complete (written to
a temporary file, then renamed).

Examples:
  bitextqa export-tmx --run reports/ --min-score 0.6 --dedupe --langs zh,en reports/export/zh-en.tmx
  bitextqa export-tmx --run reports/ --format moses reports/export/train   # train.zh + train.en
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from contextlib import ExitStack, contextmanager, suppress
from datetime import datetime, timezone
from typing import Any, Iterator, Sequence

import luigi

from align.alignment_io import load_doc_results
from align.errors import BitextqaError, ConfigError, InputError
from align.exports import SelectionStats, TmxHeader, select_units, write_moses, write_tmx, write_tsv
from align.records import DocResult

FORMATS = ("tmx", "moses", "tsv")
DEFAULT_MIN_SCORE = 0.5


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the export-tmx options to ``parser``."""
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("--run", default="reports", metavar="DIR",
                        help="output folder of a finished `bitextqa run` (default: %(default)s)")
    parser.add_argument("--min-score", type=float, default=DEFAULT_MIN_SCORE, metavar="X",
                        help=f"keep beads whose calibrated score is at least X, in [0, 1] (default {DEFAULT_MIN_SCORE})")
    parser.add_argument("--dedupe", action=argparse.BooleanOptionalAction, default=True,
                        help="drop repeated (source, target) pairs, keeping the first (default: on; "
                        "--no-dedupe keeps them)")
    parser.add_argument("--langs", metavar="SRC,TGT",
                        help="language pair to export, e.g. zh,en: pairs of the other direction are swapped, "
                             "other pairs dropped (default: the pair of the first document)")
    parser.add_argument("--format", choices=FORMATS, default="tmx",
                        help="tmx (one file), moses (OUT.SRC and OUT.TGT, line-aligned) or tsv (one file)")
    parser.add_argument("--all-beads", action="store_true",
                        help="also export n-m beads (2-1, 1-2 ...); 1-0 and 0-1 beads never are")
    parser.add_argument("--summary-json", metavar="PATH", help="also write the export summary as JSON here")
    parser.add_argument("out", metavar="OUT", help="output file (for moses: the prefix of the two files)")


def _parse_langs(value: str | None) -> tuple[str, str] | None:
    if value is None:
        return None
    parts = [p.strip() for p in value.split(",")]
    if len(parts) != 2 or not all(parts) or parts[0] == parts[1]:
        raise ConfigError(f"--langs {value!r} is not two different languages", "Write it as SRC,TGT, e.g. --langs zh,en.")
    return parts[0], parts[1]


def _read_summary(run_dir: str) -> dict[str, Any]:
    path = os.path.join(run_dir, "summary.json")
    if not os.path.exists(path):
        return {}
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError) as exc:
        raise InputError(path, f"cannot read the run summary ({exc})", "Rerun `bitextqa run` for this folder.") from exc


def _header_props(summary: dict[str, Any]) -> dict[str, str]:
    """The run's signature as TMX header properties."""
    sig = summary.get("signature") if isinstance(summary.get("signature"), dict) else summary
    props = {}
    for key in ("version", "model", "model_revision", "index", "segmenter"):
        if sig.get(key) not in (None, ""):
            props[key] = str(sig[key])
    settings = sig.get("settings") or summary.get("settings")
    if settings:
        props["settings"] = json.dumps(settings, sort_keys=True, ensure_ascii=False)
    return props


def _results_with_langs(run_dir: str, langs: tuple[str, str] | None) -> tuple[Iterator[DocResult], tuple[str, str] | None]:
    """The run's documents, and the language pair to export (given, or that of the first document with beads)."""
    results = load_doc_results(run_dir)
    if langs is not None:
        return results, langs
    head: list[DocResult] = []
    for r in results:
        head.append(r)
        if r.src is not None and r.tgt is not None:
            langs = (r.src_lang, r.tgt_lang)
            break

    def chained() -> Iterator[DocResult]:
        yield from head
        yield from results

    return chained(), langs


@contextmanager
def _atomic_paths(paths: Sequence[str]) -> Iterator[list[str]]:
    """Temporary paths that become ``paths`` together when the block succeeds; removed when it fails.

    Luigi's ``temporary_path()`` renames on success but leaves the temporary
    file behind on an exception; a cron job rerunning exports would pile them up.
    """
    with ExitStack() as stack:
        tmps = [stack.enter_context(luigi.LocalTarget(p).temporary_path()) for p in paths]
        try:
            yield tmps
        except BaseException:
            for tmp in tmps:
                with suppress(FileNotFoundError):
                    os.remove(tmp)
            raise


def main(args: argparse.Namespace) -> int:
    """Run the export; print its summary to stderr. Returns 0, or 2 on a usage or input error."""
    try:
        if not os.path.isdir(os.path.join(args.run, "docs")):
            raise InputError(args.run, "is not the output folder of a finished run (no docs/ folder in it)",
                             "Pass the folder given to `bitextqa run --out`.")
        if not 0.0 <= args.min_score <= 1.0:
            raise ConfigError(f"--min-score {args.min_score} is outside [0, 1]", "Scores are probabilities.")
        results, langs = _results_with_langs(args.run, _parse_langs(args.langs))
        summary = _read_summary(args.run)
        selection = SelectionStats()
        units = select_units(results, selection, min_score=args.min_score, one_to_one_only=not args.all_beads,
                             dedupe=args.dedupe, langs=langs)
        src_lang, tgt_lang = langs if langs else ("*all*", "*all*")
        outputs = [args.out] if args.format != "moses" else [f"{args.out}.{src_lang}", f"{args.out}.{tgt_lang}"]
        for path in outputs + ([args.summary_json] if args.summary_json else []):
            if os.path.dirname(path):
                os.makedirs(os.path.dirname(path), exist_ok=True)
        with _atomic_paths(outputs) as tmps:
            if args.format == "tmx":
                header = TmxHeader(srclang=src_lang, creationdate=datetime.now(timezone.utc), props=_header_props(summary))
                with open(tmps[0], "wb") as fh:
                    written = write_tmx(units, fh, header)
            elif args.format == "moses":
                with open(tmps[0], "w", encoding="utf-8", newline="\n") as sf, \
                        open(tmps[1], "w", encoding="utf-8", newline="\n") as tf:
                    written = write_moses(units, sf, tf)
            else:
                with open(tmps[0], "w", encoding="utf-8", newline="\n") as fh:
                    written = write_tsv(units, fh, metadata=True, header=True)
    except BitextqaError as exc:
        print(f"bitextqa export-tmx: error: {exc}", file=sys.stderr)
        return 2
    report = {"outputs": outputs, "format": args.format, "langs": list(langs) if langs else None,
              "min_score": args.min_score, "dedupe": args.dedupe, "all_beads": args.all_beads,
              "selection": selection.as_dict(), "written": written.as_dict()}
    removed = ", ".join(f"{k} {v}" for k, v in selection.removed.items() if v) or "none"
    print(f"exported {written.units_written} of {selection.seen} beads to {', '.join(outputs)}; "
          f"removed: {removed}; swapped to {src_lang}→{tgt_lang}: {selection.swapped}; "
          f"forbidden characters removed: {written.forbidden_chars_removed} "
          f"(in {written.units_with_forbidden_chars} units); line breaks replaced: {written.line_breaks_replaced}",
          file=sys.stderr)
    if args.summary_json:
        with _atomic_paths([args.summary_json]) as (tmp,), open(tmp, "w", encoding="utf-8") as fh:
            json.dump(report, fh, indent=1, sort_keys=True)
    return 0
