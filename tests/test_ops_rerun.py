"""Incremental reruns (issue 8): only what changed is redone, the cache is shared, outputs are byte-stable.

One module-scoped scenario over a small copy of the seeds, with a shared
embedding cache:

1. cold run into A;
2. the same inputs into B with the same ``--cache-dir``: no embedding is recomputed,
   and every public output is byte-identical to A's;
3. unchanged rerun into A: no task runs, no output file is touched; the same
   with the input folder spelled as a relative path;
4. one document edited, rerun into A: only that document's tasks and the run report run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from test_ops_support import (
    assert_well_formed,
    log_lines,
    make_small_corpus,
    output_files,
    read_summary,
    run_bitextqa,
    statuses,
)

pytestmark = pytest.mark.slow

DOC_STAGES = ("IngestUnit", "SegmentUnit", "EmbedUnit", "AlignDoc", "CheckDoc", "PublishDoc")
#: run-level tasks that read every document: they follow any change
RUN_STAGES = ("UpdateCorpusIndex", "PairDocuments", "CorpusChecks", "RunReport")


def _run(inputs: Path, out: Path, cache: Path) -> dict[str, Any]:
    proc = run_bitextqa("run", str(inputs), "--out", str(out), "--cache-dir", str(cache), "--quiet")
    assert proc.returncode == 0, proc.stderr
    return read_summary(out)


def _mtimes(out: Path) -> dict[str, int]:
    return {str(p.relative_to(out)): p.stat().st_mtime_ns for p in out.rglob("*")
            if p.is_file() and p.name not in ("summary.json", "bitextqa.log", "run.lock")}


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("rerun")
    inputs, cache, a, b = base / "in", base / "cache", base / "A", base / "B"
    doc_ids = make_small_corpus(inputs)
    s: dict[str, Any] = {"doc_ids": doc_ids, "a": a, "b": b}
    s["cold"] = _run(inputs, a, cache)
    s["cold_files"] = output_files(a, doc_ids)
    s["other_folder"] = _run(inputs, b, cache)
    s["other_files"] = output_files(b, doc_ids)
    before = _mtimes(a)
    log_before = len(log_lines(a))
    s["unchanged"] = _run(inputs, a, cache)
    s["unchanged_touched"] = sorted(k for k, v in _mtimes(a).items() if before.get(k) != v)
    s["unchanged_log"] = log_lines(a)[log_before:]
    # The same inputs spelled differently (relative to another working folder, trailing slash): still nothing to do.
    proc = run_bitextqa("run", "in/", "--out", str(a), "--cache-dir", str(cache), "--quiet", cwd=str(base))
    assert proc.returncode == 0, proc.stderr
    s["respelled"] = read_summary(a)
    # Edit one document: drop its last English/Chinese pair of paragraphs.
    changed = next(p for p in sorted(inputs.iterdir()) if p.name.startswith("000_"))
    lines = changed.read_text(encoding="utf-8").splitlines()
    changed.write_text("\n".join(lines[:-2]) + "\n", encoding="utf-8")
    s["changed_doc"] = changed.stem
    s["changed"] = _run(inputs, a, cache)
    return s


def test_cold_run_runs_every_task(scenario):
    st = statuses(scenario["cold"])
    assert set(st.values()) == {"ran"}
    assert len(st) == len(scenario["doc_ids"]) * len(DOC_STAGES) + len(RUN_STAGES)
    assert_well_formed(scenario["a"])


def test_unchanged_rerun_runs_nothing_and_touches_nothing(scenario):
    summary = scenario["unchanged"]
    assert summary["counts"]["ran"] == 0
    assert set(statuses(summary).values()) == {"up_to_date"}
    assert scenario["unchanged_touched"] == []
    assert not [line for line in scenario["unchanged_log"] if " done " in line]


def test_input_paths_spelled_differently_name_the_same_tasks(scenario):
    assert scenario["respelled"]["counts"]["ran"] == 0


def test_one_changed_document_redoes_only_its_tasks_and_the_run_level_ones(scenario):
    st = statuses(scenario["changed"])
    changed = scenario["changed_doc"]
    ran = sorted(k for k, v in st.items() if v == "ran")
    assert ran == sorted([(stage, changed) for stage in DOC_STAGES] + [(stage, None) for stage in RUN_STAGES])
    assert all(v == "up_to_date" for k, v in st.items() if k not in ran)
    # The public outputs follow the edit: the dropped paragraphs are gone from the document and the report.
    a = scenario["a"]
    new_alignment = (a / "docs" / changed / "alignment.jsonl").read_bytes()
    assert new_alignment != scenario["cold_files"][f"docs/{changed}/alignment.jsonl"]
    for doc in scenario["doc_ids"]:
        if doc != changed:
            rel = f"docs/{doc}/alignment.jsonl"
            assert (a / rel).read_bytes() == scenario["cold_files"][rel], rel
    assert (a / "report.html").read_bytes() != scenario["cold_files"]["report.html"]
    assert_well_formed(a)


def test_embedding_cache_is_reused_by_another_output_folder(scenario):
    st = statuses(scenario["other_folder"])
    embeds = {k: v for k, v in st.items() if k[0] == "EmbedUnit"}
    assert len(embeds) == len(scenario["doc_ids"])
    assert set(embeds.values()) == {"up_to_date"}
    others = {k: v for k, v in st.items() if k[0] != "EmbedUnit"}
    assert set(others.values()) == {"ran"}  # per-output-folder work is redone in the new folder


def test_two_output_folders_get_byte_identical_outputs(scenario):
    a, b = scenario["cold_files"], scenario["other_files"]
    assert sorted(a) == sorted(b)
    different = [name for name in a if a[name] != b[name]]
    assert different == []
    # Nothing in them names the output folder (it differs between the two runs).
    for name, data in b.items():
        assert str(scenario["b"]).encode() not in data, name
