"""Faults (issue 8): kill -9 mid-stage then rerun, and outputs that cannot be written.

* ``kill -9`` of the real console script while it embeds, and while it aligns
  (the stage is seen starting in OUT/bitextqa.log), then a rerun: the outputs
  are complete and byte-identical to an uninterrupted run's, no Luigi
  temporary file is left where an output is expected, every JSON/JSONL parses.
* An output folder that cannot be written: ``--out`` inside a regular file,
  a full disk (a real 100 kB tmpfs, when this process may mount one), and a
  file-size limit (RLIMIT_FSIZE in the child: writes fail with EFBIG). Each
  gives exit code 7 (OUTPUT_ERROR) and a message naming the path, never a traceback.
"""

from __future__ import annotations

import json
import resource
import shutil
import signal
import subprocess
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from test_ops_support import (
    BITEXTQA,
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

#: all of 000 (27 English/Chinese paragraph pairs): loading the encoder and embedding, and aligning,
#: each take over a second even on an idle machine
KILL_CORPUS = {"000": 54, "002": 1}


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The inputs and one uninterrupted run over them."""
    base = tmp_path_factory.mktemp("faults")
    inputs = base / "in"
    doc_ids = make_small_corpus(inputs, KILL_CORPUS)
    out = base / "reference"
    proc = run_bitextqa("run", str(inputs), "--out", str(out), "--quiet")
    assert proc.returncode == 0, proc.stderr
    return {"inputs": inputs, "doc_ids": doc_ids, "files": output_files(out, doc_ids)}


def _seen(out: Path, needle: str) -> bool:
    return any(needle in line for line in log_lines(out))


@pytest.mark.parametrize("stage, started_after", [
    pytest.param("EmbedUnit", "SegmentUnit", id="mid-embedding"),
    pytest.param("AlignDoc", "EmbedUnit", id="mid-alignment"),
])
def test_kill_9_mid_stage_then_rerun_gives_the_uninterrupted_outputs(tmp_path, reference, stage, started_after):
    doc = reference["doc_ids"][0]  # the big one, processed first
    out = tmp_path / "out"
    proc = start_bitextqa("run", str(reference["inputs"]), "--out", str(out), "--quiet")
    try:
        wait_for(lambda: _seen(out, f" done {started_after} {doc} ") or proc.poll() is not None, 300,
                 f"{stage} of {doc} to start", poll=0.02)
        time.sleep(0.1)  # inside the stage, which takes over a second
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the run finished before it could be killed"
    assert not _seen(out, f" done {stage} {doc} "), f"{stage} had already finished: the kill came too late"
    assert not (out / "summary.json").exists()

    rerun = run_bitextqa("run", str(reference["inputs"]), "--out", str(out), "--quiet")
    assert rerun.returncode == 0, rerun.stderr
    summary = read_summary(out)
    st = {(t["task"], t["doc_id"]): t["status"] for t in summary["tasks"]}
    assert st[(started_after, doc)] == "up_to_date"  # finished work is kept ...
    assert st[(stage, doc)] == "ran"  # ... and the killed stage is redone
    assert output_files(out, reference["doc_ids"]) == reference["files"]
    _assert_no_partial_outputs(out)


def _assert_no_partial_outputs(out: Path) -> None:
    """Every JSON parses; a Luigi temporary file left by the kill is never where an output is expected."""
    for path in out.rglob("*-luigi-tmp-*"):
        final = path.name.split("-luigi-tmp-")[0]
        assert (path.parent / final).exists(), path  # the finished output exists beside it
    for path in out.rglob("*"):
        if path.is_file() and "-luigi-tmp-" not in path.name and path.suffix in (".json", ".jsonl"):
            for line in ([path.read_text(encoding="utf-8")] if path.suffix == ".json"
                         else path.read_text(encoding="utf-8").splitlines()):
                json.loads(line)


def _assert_output_error(proc: subprocess.CompletedProcess, path_fragment: str) -> None:
    assert proc.returncode == 7, proc.stderr
    assert path_fragment in proc.stderr, proc.stderr
    assert "free space" in proc.stderr.lower()
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr


def test_out_inside_a_regular_file_is_an_output_error(tmp_path):
    inputs = tmp_path / "in"
    make_small_corpus(inputs, {"002": 1})
    blocker = tmp_path / "not_a_folder.txt"
    blocker.write_text("x")
    proc = run_bitextqa("run", str(inputs), "--out", str(blocker / "out"), "--quiet")
    _assert_output_error(proc, str(blocker))


def _mount_tmpfs(path: Path, size: str) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                          capture_output=True, text=True)
    return proc.returncode == 0


def test_full_disk_is_an_output_error_and_a_rerun_with_space_completes(tmp_path):
    disk = tmp_path / f"disk-{uuid.uuid4().hex[:8]}"
    if shutil.which("mount") is None or not _mount_tmpfs(disk, "100k"):
        pytest.skip("cannot mount a tmpfs here (not root); test_file_size_limit covers write failures")
    try:
        inputs = tmp_path / "in"
        doc_ids = make_small_corpus(inputs)
        out = disk / "out"
        cache = tmp_path / "cache"  # on the big disk: the small one fills with the run's own outputs
        proc = run_bitextqa("run", str(inputs), "--out", str(out), "--cache-dir", str(cache), "--quiet")
        _assert_output_error(proc, str(out))
        assert "No space left on device" in proc.stderr
        assert not list(out.rglob("*-luigi-tmp-*")), "a failed write must remove its temporary file"
        _assert_no_partial_outputs(out)
        # Free space (grow the tmpfs) and rerun: the run completes from where it stopped.
        subprocess.run(["mount", "-o", "remount,size=20m", str(disk)], check=True)
        again = run_bitextqa("run", str(inputs), "--out", str(out), "--cache-dir", str(cache), "--quiet")
        assert again.returncode == 0, again.stderr
        assert read_summary(out)["documents"]["completed"] == doc_ids
        assert_well_formed(out)
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True)


def _limit_file_size() -> None:
    # Files may not grow past 16 KiB: an embedding file of 12 sentences (24 KiB) fails with EFBIG.
    resource.setrlimit(resource.RLIMIT_FSIZE, (16 * 1024, 16 * 1024))


def test_file_size_limit_is_an_output_error_naming_the_file(tmp_path):
    inputs = tmp_path / "in"
    make_small_corpus(inputs, {"002": 1})
    out = tmp_path / "out"
    proc = subprocess.run([BITEXTQA, "run", str(inputs), "--out", str(out), "--quiet"], capture_output=True,
                          text=True, env=cli_env(), timeout=600, preexec_fn=_limit_file_size)
    _assert_output_error(proc, str(out / ".cache" / "embeddings"))
    assert "File too large" in proc.stderr
    summary = read_summary(out)
    failed = summary["documents"]["failed"]
    assert [f["stage"] for f in failed] == ["embed"]
    assert "cannot write" in failed[0]["message"] and "check free space and permissions" in failed[0]["message"]
    assert not list(out.rglob("*-luigi-tmp-*"))
    assert_well_formed(out)


def test_file_name_that_is_not_utf8_fails_only_that_document(tmp_path):
    inputs = tmp_path / "in"
    doc_ids = make_small_corpus(inputs, {"002": 1})
    bad = bytes(inputs) + b"/bad\xffname.txt"
    with open(bad, "wb") as fh:
        fh.write(b"A short English file. With two sentences.\n")
    out = tmp_path / "out"
    proc = run_bitextqa("run", str(inputs), "--out", str(out), "--quiet")
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr
    assert read_summary(out)["documents"]["completed"] == doc_ids
    assert "bad\\xffname.txt" in proc.stderr and "not valid UTF-8" in proc.stderr
