"""Shared fixtures: the seeds and one real pipeline run over them (made once per test session)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

#: The seed files by role (names as received from the user).
SEED_INTERLEAVED_000 = SEEDS / "000_17f6063197ae1b9a.txt"
SEED_INTERLEAVED_001 = SEEDS / "001_39907cca8851fcba.txt"
SEED_MIXED_002 = SEEDS / "002_7339947e295d66e1.txt"
SEED_EN_003 = SEEDS / "003_a763b425f0964b15.txt"
SEED_ZH_004 = SEEDS / "004_64f631ca7b3c5cd8.txt"


def run_cli(*argv: str) -> int:
    """Run the ``bitextqa`` command line in-process; returns its exit code."""
    from pipelines.cli import main

    return main(list(argv))


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The records of a JSON-lines file."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def seeds_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One real run of ``bitextqa run seeds/`` (local Luigi scheduler) into a temporary folder."""
    os.environ.setdefault("BITEXTQA_PROGRESS", "0")
    base = tmp_path_factory.mktemp("seeds_run")
    inputs = base / "in"
    shutil.copytree(SEEDS, inputs)
    out = base / "out"
    code = run_cli("run", str(inputs), "--out", str(out), "--quiet")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return {"code": code, "out": out, "inputs": inputs, "summary": summary}
