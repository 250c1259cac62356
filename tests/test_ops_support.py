"""Helpers shared by the operations tests (tests/test_ops_*.py); this module holds no tests.

Small corpora cut from the seeds (the first N paragraphs of each file), the
real console script run as a subprocess, and readers for a run's outputs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable, Sequence

from conftest import SEEDS

#: the installed console script of the shared venv (what cron would call)
BITEXTQA = str(Path(sys.executable).with_name("bitextqa"))
LUIGID = str(Path(sys.executable).with_name("luigid"))

#: the run-level outputs that must be byte-stable between two runs
RUN_OUTPUTS = ("report.html", "findings.json", "findings.csv")
DOC_OUTPUTS = ("alignment.jsonl", "findings.jsonl")


def seed_paragraphs(name_prefix: str, n: int) -> str:
    """The first ``n`` non-blank lines (paragraphs) of the seed whose name starts with ``name_prefix``."""
    path = next(SEEDS.glob(f"{name_prefix}_*.txt"))
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return "\n".join(lines[:n]) + "\n"


def make_small_corpus(folder: Path, sizes: dict[str, int] | None = None) -> list[str]:
    """Write small copies of the seeds into ``folder`` (first N paragraphs); returns their doc ids.

    The interleaved seeds (000, 001) keep an even number of lines so every
    English paragraph keeps its Chinese line.
    """
    sizes = sizes or {"000": 8, "001": 4, "002": 1, "003": 6, "004": 6}
    folder.mkdir(parents=True, exist_ok=True)
    ids = []
    for prefix, n in sorted(sizes.items()):
        seed = next(SEEDS.glob(f"{prefix}_*.txt"))
        (folder / seed.name).write_text(seed_paragraphs(prefix, n), encoding="utf-8")
        ids.append(seed.stem)
    return ids


def cli_env(**extra: str) -> dict[str, str]:
    """Environment for a ``bitextqa`` subprocess: no progress bars, unbuffered."""
    env = dict(os.environ)
    env["BITEXTQA_PROGRESS"] = "0"
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def run_bitextqa(*argv: str, timeout: float = 900, **popen: Any) -> subprocess.CompletedProcess:
    """Run the real console script to completion; returns the completed process (text output)."""
    return subprocess.run([BITEXTQA, *argv], capture_output=True, text=True, env=cli_env(),
                          timeout=timeout, **popen)


def start_bitextqa(*argv: str, **popen: Any) -> subprocess.Popen:
    """Start the real console script in the background (stdout/stderr captured as text)."""
    return subprocess.Popen([BITEXTQA, *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=cli_env(), **popen)


def wait_for(predicate: Callable[[], bool], timeout: float, what: str, poll: float = 0.05) -> None:
    """Poll ``predicate`` until it holds; AssertionError naming ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(poll)


def read_summary(out: Path) -> dict[str, Any]:
    """The run's summary.json."""
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))


def statuses(summary: dict[str, Any]) -> dict[tuple[str, str | None], str]:
    """(task family, doc id) → status ('ran', 'up_to_date', 'failed', 'blocked') from a summary."""
    return {(t["task"], t["doc_id"]): t["status"] for t in summary["tasks"]}


def log_lines(out: Path) -> list[str]:
    """The lines of OUT/bitextqa.log (empty if it does not exist yet)."""
    path = out / "bitextqa.log"
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def output_files(out: Path, doc_ids: Sequence[str]) -> dict[str, bytes]:
    """The public outputs of a run that must be byte-stable, by path relative to ``out``."""
    files = {name: (out / name).read_bytes() for name in RUN_OUTPUTS}
    for doc in doc_ids:
        for name in DOC_OUTPUTS:
            rel = f"docs/{doc}/{name}"
            files[rel] = (out / rel).read_bytes()
    return files


def assert_well_formed(out: Path) -> None:
    """Every JSON/JSONL file under ``out`` parses, and no Luigi temporary file is left anywhere."""
    for path in sorted(out.rglob("*")):
        if not path.is_file():
            continue
        assert "-luigi-tmp-" not in path.name, f"temporary file left behind: {path}"
        if path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))
        elif path.suffix == ".jsonl":
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if line.strip():
                    try:
                        json.loads(line)
                    except ValueError as exc:
                        raise AssertionError(f"{path}:{n} does not parse: {exc}") from exc
