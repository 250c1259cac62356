"""Plan and run one ``bitextqa run``: discover inputs, build the Luigi tasks, summarise.

The run goes in two Luigi builds: first every document's tasks (a document
that fails does not stop the others), then the run-level report over the
documents that completed, listing the ones that failed with their errors.
``summary.json`` records what ran, what was skipped as up to date, what
failed and why, and the timings.
"""

from __future__ import annotations

import glob
import hashlib
import json
import logging
import os
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, Sequence

import luigi
from tqdm.contrib.logging import logging_redirect_tqdm

from align import __version__
from align.errors import BitextqaError
from align.records import to_json_dict
from align.settings import settings_to_dict

from . import targets
from .config import RunConfig
from .exit_codes import ExitCode
from .run_lock import RunLock
from .tasks import WORK, EmbedUnit, PublishDoc, RunReport, spec_dict

log = logging.getLogger("bitextqa")

#: seconds between two looks at tasks another worker of a central scheduler is running
SCHEDULER_POLL_S = 1.0


@dataclass
class RunOutcome:
    """The exit code of a run and its summary (as written to summary.json)."""

    exit_code: int
    summary: dict[str, Any]


def file_hash(path: str) -> str:
    """SHA-256 of a file's bytes, or a marker naming why it could not be read (ingestion reports it)."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except OSError as exc:
        return f"unreadable:{type(exc).__name__}"
    return h.hexdigest()


def walk_tasks(roots: Iterable[luigi.Task]) -> list[luigi.Task]:
    """Every task the roots depend on (and the roots), each once, dependencies first."""
    seen: dict[str, luigi.Task] = {}

    def visit(task: luigi.Task) -> None:
        if task.task_id in seen:
            return
        for dep in luigi.task.flatten(task.requires()):
            visit(dep)
        seen[task.task_id] = task

    for root in roots:
        visit(root)
    return list(seen.values())


def _elapsed(task: luigi.Task) -> float | None:
    """The run time a finished task recorded in its own output, if any."""
    out = luigi.task.flatten(task.output())
    path = out[-1].path if out else ""
    try:
        if path.endswith(".json"):
            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
            value = data.get("elapsed_s", data.get("stats", {}).get("elapsed_s"))
            return float(value) if value is not None else None
        if path.endswith(".npz"):
            import numpy as np

            with np.load(path) as data:
                return float(data["_elapsed_s"][0]) if "_elapsed_s" in data.files else None
    except (OSError, ValueError, KeyError):
        return None
    return None


def _build(tasks: Sequence[luigi.Task], opts: RunConfig) -> Any:
    """One Luigi build with our scheduler and worker settings; returns Luigi's run result."""
    kwargs: dict[str, Any] = {
        "workers": max(1, opts.workers),
        "detailed_summary": True,
    }
    # Our logging is set up by the command line; Luigi must not add its own handlers.
    luigi.configuration.get_config().set("core", "no_configure_logging", "true")
    if opts.scheduler:
        kwargs["scheduler_url"] = opts.scheduler
    else:
        kwargs["local_scheduler"] = True
    return luigi.build(list(tasks), **kwargs)


@contextmanager
def task_progress(tasks: Sequence[luigi.Task], label: str, poll_s: float = 0.5) -> Iterator[None]:
    """A progress bar over ``tasks`` while the block runs.

    A thread polls the tasks' outputs (a file-existence check each), so the bar
    moves whichever process runs them: this one, forked workers, or workers on
    other machines behind a central scheduler.
    """
    from align.progress import progress, progress_enabled

    if not progress_enabled() or not tasks:
        yield
        return
    stop = threading.Event()
    pending = list(tasks)

    def poll() -> None:
        with progress(total=len(tasks), desc=label, unit="task") as bar:
            while pending:
                done = [t for t in pending if t.complete()]
                for t in done:
                    pending.remove(t)
                bar.update(len(done))
                if stop.wait(poll_s):
                    break

    thread = threading.Thread(target=poll, name="bitextqa-progress", daemon=True)
    thread.start()
    try:
        with logging_redirect_tqdm(loggers=[log]):
            yield
    finally:
        stop.set()
        thread.join()


def _build_and_wait(tasks: Sequence[luigi.Task], opts: RunConfig, settled: Callable[[], bool]) -> None:
    """Build ``tasks``; with a central scheduler, also wait for the ones other workers are running.

    A worker's build ends as soon as nothing is left that it may run, which
    with luigid includes tasks another worker is still running. Until
    ``settled()`` (every task complete, or its failure recorded), look again
    every :data:`SCHEDULER_POLL_S` seconds and build again: a task the other
    worker finished is then complete, and one it abandoned (luigid frees it
    when that worker stops answering) or failed is run here.
    """
    _build(tasks, opts)
    if not opts.scheduler:
        return
    if not settled():
        log.info("waiting for tasks other workers are running")
    while not settled():
        time.sleep(SCHEDULER_POLL_S)
        result = _build(tasks, opts)
        if result.status in _GAVE_UP:  # failed here and could not even record why (e.g. disk full)
            return


#: Luigi build outcomes after which waiting for other workers is pointless
_GAVE_UP = frozenset({luigi.execution_summary.LuigiStatusCode.FAILED,
                      luigi.execution_summary.LuigiStatusCode.FAILED_AND_SCHEDULING_FAILED,
                      luigi.execution_summary.LuigiStatusCode.SCHEDULING_FAILED})


def _errors_of(out_dir: str, tasks: Iterable[luigi.Task]) -> list[dict[str, Any]]:
    """The failure records of these tasks (records of other tasks, e.g. from older runs, are ignored)."""
    ids = {t.task_id for t in tasks}
    return [e for e in _read_errors(out_dir) if e.get("task_id") in ids]


def _read_errors(out_dir: str) -> list[dict[str, Any]]:
    errors = []
    for path in sorted(glob.glob(os.path.join(out_dir, WORK, "errors", "*.json"))):
        try:
            with open(path, encoding="utf-8") as fh:
                errors.append(json.load(fh))
        except (OSError, ValueError):
            continue
    return errors


def _clear_errors(out_dir: str) -> None:
    for path in glob.glob(os.path.join(out_dir, WORK, "errors", "*.json")):
        os.remove(path)


def plan_units(paths: Sequence[str], opts: RunConfig) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The run's input units (one spec per discovered input, keyed by its files' content) and
    the parameters every task shares."""
    from align.discover import discover_inputs
    from align.errors import InputError

    for path in paths:
        if not os.path.exists(path):
            raise InputError(path, "no such file or folder", "Check the path given to `bitextqa run`.")
    common = {
        "out_dir": opts.out,
        "cache_dir": opts.cache_dir or os.path.join(opts.out, ".cache"),
        "settings_json": json.dumps(settings_to_dict(opts.settings), sort_keys=True),
    }
    # absolute paths: `in/` and `/abs/in/` name the same inputs, so they must give the same task keys
    absolute = [os.path.abspath(p) for p in paths]
    units = [spec_dict(spec, "+".join(file_hash(p) for p in spec.paths)) for spec in discover_inputs(absolute)]
    return units, common


def plan_documents(units: Sequence[dict[str, Any]], pairing: dict[str, Any], common: dict[str, str]) -> list[PublishDoc]:
    """One PublishDoc per output document: every pair found by content, then every other unit alone."""
    from .corpus_tasks import paired_doc_ids

    paired = paired_doc_ids(pairing)
    docs = [PublishDoc(doc_id=p["doc_id"], units=p["units"], **common) for p in pairing.get("pairs", [])]
    docs += [PublishDoc(doc_id=u["doc_id"], units=[u], **common) for u in units if u["doc_id"] not in paired]
    return sorted(docs, key=lambda t: t.doc_id)


def run_pipeline(opts: RunConfig) -> RunOutcome:
    """Run the whole job and write summary.json; never raises for bad documents.

    With the local scheduler the output folder is locked for the run
    (:class:`~pipelines.run_lock.RunLock`; raises ``AlreadyRunning``). With a
    central scheduler several worker processes may share one output folder:
    luigid hands each task to one worker, and every output is written atomically.
    """
    if opts.scheduler:
        check_scheduler(opts.scheduler)
    os.makedirs(os.path.join(opts.out, WORK), exist_ok=True)
    file_log = _open_run_log(opts.out)
    try:
        if opts.scheduler:
            return _run_unlocked(opts)
        with RunLock(opts.out, wait_s=opts.wait):
            return _run_unlocked(opts)
    finally:
        logging.getLogger("bitextqa").removeHandler(file_log)
        file_log.close()


class SchedulerUnreachable(BitextqaError):
    """The luigid given with --scheduler does not answer."""


def check_scheduler(url: str, timeout_s: float = 5.0) -> None:
    """Raise SchedulerUnreachable unless a luigid answers at ``url`` (one small API call)."""
    import urllib.error
    import urllib.request

    probe = url.rstrip("/") + "/api/task_list?data=%7B%7D"
    try:
        with urllib.request.urlopen(probe, timeout=timeout_s) as resp:
            resp.read(64)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise SchedulerUnreachable(
            f"no Luigi central scheduler answers at {url} ({exc})",
            "Start it with `luigid --address HOST --port PORT`, or drop --scheduler to use a local scheduler.",
        ) from exc


def _open_run_log(out_dir: str) -> logging.Handler:
    """Append this run's log lines (one per task, with timings) to OUT/bitextqa.log."""
    handler = logging.FileHandler(os.path.join(out_dir, "bitextqa.log"), encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s pid=%(process)d %(levelname)s %(message)s"))
    handler.setLevel(logging.INFO)
    logger = logging.getLogger("bitextqa")
    logger.addHandler(handler)
    if logger.level == logging.NOTSET or logger.level > logging.INFO:
        logger.setLevel(logging.INFO)
    return handler


def _log_task_success(task: luigi.Task, seconds: float) -> None:
    log.info("done %s %s in %.2fs", task.task_family, getattr(task, "doc_label", ""), seconds)


def _log_task_failure(task: luigi.Task, exception: BaseException) -> None:
    log.warning("failed %s %s: %s", task.task_family, getattr(task, "doc_label", ""), exception)


def _install_task_logging() -> None:
    """One log line per finished or failed task (Luigi events; inherited by forked workers)."""
    luigi.Task.event_handler(luigi.Event.PROCESSING_TIME)(_log_task_success)
    luigi.Task.event_handler(luigi.Event.FAILURE)(_log_task_failure)


class _Phases:
    """Builds the run in phases and remembers, for the summary, which tasks were already done."""

    def __init__(self, opts: RunConfig) -> None:
        self.opts = opts
        self.tasks: dict[str, luigi.Task] = {}
        self.done_before: set[str] = set()

    def build(self, roots: Sequence[luigi.Task], label: str) -> list[luigi.Task]:
        """Build ``roots`` (and what they need) unless all are done; returns every task involved."""
        involved = walk_tasks(roots)
        fresh = [t for t in involved if t.task_id not in self.tasks]
        for t in fresh:
            self.tasks[t.task_id] = t
            if t.complete():
                self.done_before.add(t.task_id)
        pending = [t for t in involved if not t.complete()]
        if pending:
            def settled() -> bool:
                failed = {e.get("task_id") for e in _errors_of(self.opts.out, involved)}
                return all(t.complete() or t.task_id in failed for t in roots)

            with task_progress(pending, label):
                _build_and_wait(roots, self.opts, settled)
        return involved


def _run_unlocked(opts: RunConfig) -> RunOutcome:
    from .calibration_source import calibration_for
    from .corpus_tasks import CorpusChecks, PairDocuments

    t0 = time.perf_counter()
    _install_task_logging()
    if not opts.scheduler:  # with luigid, other workers' fresh records are in there too
        _clear_errors(opts.out)
    units, common = plan_units(opts.inputs, opts)
    phases = _Phases(opts)
    calibration = calibration_for(opts.settings.model, opts.settings.calibration)
    if not calibration.fitted:
        log.warning("no calibration fitted for the model %r: the aligner uses heuristic gains and bead scores "
                    "are not calibrated probabilities (fit one with bench/fit_calibration.py --model)",
                    opts.settings.model)

    # 1. Read, segment and embed every input; then pair one-language documents by content.
    embeds = [EmbedUnit(spec=u, **common) for u in units]
    phases.build(embeds, "embed")
    embedded = [u for u, t in zip(units, embeds) if t.complete()]
    pairing: dict[str, Any] = {"pairs": [], "unpaired": []}
    if embedded:
        pair_task = PairDocuments(units=embedded, **common)
        phases.build([pair_task], "pair")
        if pair_task.complete():
            pairing = targets.read_json(pair_task.output())

    # 2. Align, check and publish every document (given pairs, interleaved files, pairs found by content).
    doc_tasks = plan_documents(units, pairing, common)
    log.info("%d inputs, %d documents (%d paired by content)", len(units), len(doc_tasks), len(pairing["pairs"]))
    phases.build(doc_tasks, "documents")
    completed = [t for t in doc_tasks if t.complete()]

    # 3. Checks across documents, then the run report over everything that completed.
    corpus_key = ""
    if completed:
        corpus = CorpusChecks(docs=[{"doc_id": t.doc_id, "units": [dict(u) for u in t.units]} for t in completed],
                              **common)
        phases.build([corpus], "corpus checks")
        if corpus.complete():
            corpus_key = os.path.basename(corpus.output()["stamp"].path)

    errors = _errors_of(opts.out, phases.tasks.values())
    failed = []
    for t in doc_tasks:
        if t.complete():
            continue
        errs = [e for e in errors if e.get("doc_id") in {t.doc_id, *(u["doc_id"] for u in t.units)}]
        failed.append({
            "doc_id": t.doc_id,
            "paths": [p for u in t.units for p in u["paths"]],
            "stage": errs[0]["stage"] if errs else None,
            "message": errs[0]["message"] if errs else "did not run (a task it depends on failed or was not scheduled)",
        })

    report = RunReport(
        doc_ids=[t.doc_id for t in completed],
        published_keys=[t.publish_key() for t in completed],
        failed_json=json.dumps(failed, sort_keys=True, ensure_ascii=False),
        corpus_key=corpus_key,
        **common,
    )
    phases.build([report], "report")
    errors = _errors_of(opts.out, phases.tasks.values())
    report_ok = report.complete()

    tasks_summary = []
    for t in phases.tasks.values():
        was_done = t.task_id in phases.done_before
        status = "up_to_date" if was_done else ("ran" if t.complete() else "blocked")
        if status == "blocked" and any(e.get("task_id") == t.task_id for e in errors):
            status = "failed"
        tasks_summary.append({
            "task": t.task_family,
            "doc_id": getattr(t, "doc_label", None) or None,
            "status": status,
            "elapsed_s": _elapsed(t) if status == "ran" else None,
        })

    exit_code = ExitCode.OK
    if failed:
        exit_code = ExitCode.TASK_FAILED
    if not report_ok:
        exit_code = ExitCode.TASK_FAILED
    if any(e.get("output_error") for e in errors):  # disk full or permissions: the operator must act
        exit_code = ExitCode.OUTPUT_ERROR
    summary = {
        "tool": "bitextqa",
        "version": __version__,
        "inputs": list(opts.inputs),
        "out_dir": opts.out,
        "settings": settings_to_dict(opts.settings),
        "calibration": calibration.summary(),
        "exit_code": int(exit_code),
        "documents": {
            "completed": [t.doc_id for t in completed],
            "failed": failed,
            "paired_by_content": [{k: p.get(k) for k in ("doc_id", "score", "confidence")} for p in pairing["pairs"]],
            "no_counterpart": pairing.get("unpaired", []),
        },
        "tasks": tasks_summary,
        "counts": {
            "tasks": len(tasks_summary),
            "ran": sum(1 for x in tasks_summary if x["status"] == "ran"),
            "up_to_date": sum(1 for x in tasks_summary if x["status"] == "up_to_date"),
            "failed": sum(1 for x in tasks_summary if x["status"] == "failed"),
            "blocked": sum(1 for x in tasks_summary if x["status"] == "blocked"),
        },
        "report_errors": [e for e in errors if e.get("stage") == "report"],
        "elapsed_s": round(time.perf_counter() - t0, 3),
    }
    target = luigi.LocalTarget(os.path.join(opts.out, "summary.json"))
    targets.write_json(target, to_json_dict(summary))
    return RunOutcome(int(exit_code), summary)
