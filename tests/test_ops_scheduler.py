"""A real ``luigid`` with two ``bitextqa run --scheduler URL`` workers on one output folder (issue 8).

luigid listens on a free loopback port (127.0.0.1 only) with its state and
logs in the test's temporary folder, and is always stopped at the end. Both
workers run the real console script over the same inputs into one shared
output folder; luigid hands each task to one of them. Every task must run
exactly once across the two (one "done <Task> <doc>" line in OUT/bitextqa.log),
and the outputs must equal a local-scheduler run's byte for byte.
"""

from __future__ import annotations

import collections
import re
import socket
import subprocess
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest

from test_ops_support import (
    LUIGID,
    assert_well_formed,
    cli_env,
    log_lines,
    make_small_corpus,
    output_files,
    read_summary,
    run_bitextqa,
    start_bitextqa,
    wait_for,
)

pytestmark = pytest.mark.slow

DONE = re.compile(r" pid=(?P<pid>\d+) INFO done (?P<task>\w+) (?P<doc>\S*) ?in ")


def free_port() -> int:
    """A TCP port nothing listens on at the moment (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/api/task_list?data=%7B%7D", timeout=2) as resp:
            return resp.status == 200
    except OSError:
        return False


@pytest.fixture
def luigid(tmp_path: Path) -> Iterator[str]:
    """URL of a real luigid on 127.0.0.1, stopped (and waited for) when the test ends."""
    port = free_port()
    state = tmp_path / "luigid"
    (state / "logs").mkdir(parents=True)
    proc = subprocess.Popen(
        [LUIGID, "--port", str(port), "--address", "127.0.0.1",
         "--state-path", str(state / "state.pickle"), "--logdir", str(state / "logs")],
        stdout=open(state / "stdout.log", "wb"), stderr=subprocess.STDOUT, env=cli_env(),
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _answers(url) or proc.poll() is not None, 60, f"luigid to answer on {url}", poll=0.2)
        assert proc.poll() is None, (state / "stdout.log").read_text()
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_two_workers_share_the_work_and_match_a_local_run(tmp_path, luigid):
    inputs, out, ref = tmp_path / "in", tmp_path / "shared_out", tmp_path / "local_out"
    doc_ids = make_small_corpus(inputs)
    (inputs / "zz_empty.txt").write_bytes(b"")  # one bad document: fails in ingestion, the rest completes
    argv = ("run", str(inputs), "--out", str(out), "--scheduler", luigid, "--quiet")
    workers = [start_bitextqa(*argv) for _ in range(2)]
    results = []
    try:
        for w in workers:
            _, err = w.communicate(timeout=900)
            results.append((w.pid, w.returncode, err))
    finally:
        for w in workers:
            if w.poll() is None:
                w.kill()
                w.wait()
    for pid, code, err in results:
        assert code == 3, (pid, err)  # TASK_FAILED: the empty file, named in the message
        assert "zz_empty.txt" in err and "Traceback" not in err, err

    done = [m.groupdict() for m in map(DONE.search, log_lines(out)) if m]
    per_task = collections.Counter((d["task"], d["doc"]) for d in done)
    expected = {(stage, doc) for doc in doc_ids for stage in
                ("IngestUnit", "SegmentUnit", "EmbedUnit", "AlignDoc", "CheckDoc", "PublishDoc")} | {
                    (stage, "") for stage in ("UpdateCorpusIndex", "PairDocuments", "CorpusChecks", "RunReport")}
    assert set(per_task) == expected
    twice = {k: n for k, n in per_task.items() if n != 1}
    assert twice == {}, f"tasks run more than once across the two workers: {twice}"
    pids = {int(d["pid"]) for d in done}
    assert pids <= {pid for pid, _, _ in results}, "every task was run by one of the two workers"

    summary = read_summary(out)  # written by whichever worker finished last
    assert summary["exit_code"] == 3
    assert [f["doc_id"] for f in summary["documents"]["failed"]] == ["zz_empty"]
    assert summary["documents"]["completed"] == doc_ids
    assert_well_formed(out)

    local = run_bitextqa("run", str(inputs), "--out", str(ref), "--quiet")
    assert local.returncode == 3, local.stderr
    assert output_files(out, doc_ids) == output_files(ref, doc_ids)


def test_unreachable_scheduler_is_a_distinct_exit_code(tmp_path):
    inputs = tmp_path / "in"
    make_small_corpus(inputs, {"002": 1})
    proc = run_bitextqa("run", str(inputs), "--out", str(tmp_path / "out"), "--quiet",
                        "--scheduler", f"http://127.0.0.1:{free_port()}", timeout=600)
    assert proc.returncode == 6, proc.stderr
    assert "127.0.0.1" in proc.stderr and "Traceback" not in proc.stderr
