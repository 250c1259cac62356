"""Overlapping runs on one output folder (issue 8): exit 5 naming the holder, or --wait and succeed.

The first run is the real console script; once it holds the folder's lock it
is paused with SIGSTOP, so "a run is in progress" is certain while the second
and third runs start (no race on how fast the machine is), then resumed.
"""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

import pytest

from test_ops_support import (
    assert_well_formed,
    make_small_corpus,
    output_files,
    read_summary,
    run_bitextqa,
    start_bitextqa,
    wait_for,
)

pytestmark = pytest.mark.slow


def _lock_holder(out: Path) -> int | None:
    try:
        return json.loads((out / ".work" / "run.lock").read_text(encoding="utf-8"))["pid"]
    except (OSError, ValueError, KeyError):
        return None


def test_second_run_exits_5_or_waits_and_outputs_stay_whole(tmp_path):
    inputs, out = tmp_path / "in", tmp_path / "out"
    doc_ids = make_small_corpus(inputs, {"000": 6, "002": 1, "004": 4})
    first = start_bitextqa("run", str(inputs), "--out", str(out), "--quiet")
    try:
        wait_for(lambda: _lock_holder(out) == first.pid, 120, "the first run to take the lock")
        first.send_signal(signal.SIGSTOP)

        # 1. No --wait: exits at once with ALREADY_RUNNING and names the holder.
        t0 = time.monotonic()
        second = run_bitextqa("run", str(inputs), "--out", str(out), "--quiet", timeout=120)
        assert second.returncode == 5, second.stderr
        assert f"pid {first.pid}" in second.stderr and str(out) in second.stderr
        assert "--wait" in second.stderr  # says what to do
        assert "Traceback" not in second.stderr
        # 2. A --wait shorter than the holder's run gives up with the same code after about that long.
        short = run_bitextqa("run", str(inputs), "--out", str(out), "--quiet", "--wait", "2", timeout=120)
        assert short.returncode == 5, short.stderr
        assert time.monotonic() - t0 >= 2
        # 3. --wait long enough: queues behind the first run, then succeeds.
        third = start_bitextqa("run", str(inputs), "--out", str(out), "--quiet", "--wait", "600")
        time.sleep(3)
        assert third.poll() is None, "the waiting run must not finish while the first one holds the folder"
        first.send_signal(signal.SIGCONT)
        assert first.wait(timeout=600) == 0, first.stderr.read()
        third_err = third.communicate(timeout=600)[1]
        assert third.returncode == 0, third_err
    finally:
        for proc in (first,):
            if proc.poll() is None:
                proc.send_signal(signal.SIGCONT)
                proc.kill()
                proc.wait()
    # The waiting run started after the first finished: everything was up to date for it.
    summary = read_summary(out)
    assert summary["counts"]["ran"] == 0 and summary["counts"]["up_to_date"] == summary["counts"]["tasks"]
    assert summary["documents"]["completed"] == doc_ids
    assert_well_formed(out)
    # ... and the refused runs wrote nothing: a fresh run elsewhere gives the same bytes.
    ref = tmp_path / "ref"
    proc = run_bitextqa("run", str(inputs), "--out", str(ref), "--quiet", "--cache-dir", str(out / ".cache"))
    assert proc.returncode == 0, proc.stderr
    assert output_files(out, doc_ids) == output_files(ref, doc_ids)


def test_lock_is_released_by_a_killed_run(tmp_path):
    """kill -9 of the holder frees the folder at once (flock dies with the process): no stale lock."""
    inputs, out = tmp_path / "in", tmp_path / "out"
    make_small_corpus(inputs, {"002": 1})
    first = start_bitextqa("run", str(inputs), "--out", str(out), "--quiet")
    try:
        wait_for(lambda: _lock_holder(out) == first.pid, 120, "the first run to take the lock")
    finally:
        first.kill()
        first.wait()
    proc = run_bitextqa("run", str(inputs), "--out", str(out), "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert_well_formed(out)
