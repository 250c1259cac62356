"""End-to-end: the real Luigi pipeline over the seeds (issue 2's "must show" points)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SEED_INTERLEAVED_000, SEED_MIXED_002, SEEDS, read_jsonl, run_cli

DOC_000 = SEED_INTERLEAVED_000.stem
DOC_002 = SEED_MIXED_002.stem


def test_seeds_run_succeeds_and_writes_the_layout(seeds_run):
    out = seeds_run["out"]
    assert seeds_run["code"] == 0, seeds_run["summary"]["documents"]["failed"]
    assert sorted(seeds_run["summary"]["documents"]["completed"]) == sorted(p.stem for p in SEEDS.glob("*.txt"))
    for name in ("summary.json", "report.html", "findings.csv", "findings.json"):
        assert (out / name).is_file(), name
    for doc in seeds_run["summary"]["documents"]["completed"]:
        for name in ("alignment.jsonl", "findings.jsonl", "documents.json"):
            assert (out / "docs" / doc / name).is_file(), (doc, name)


def test_large_model_sentence_in_000_is_untranslated_and_neighbours_stay_aligned(seeds_run):
    beads = read_jsonl(seeds_run["out"] / "docs" / DOC_000 / "alignment.jsonl")
    pos = next(i for i, b in enumerate(beads) if b["src_text"].startswith("大模型技术的一个侧重点"))
    bead = beads[pos]
    assert bead["kind"] == "1-0", bead
    # Its neighbours in the same paragraph are aligned to their own English sentences.
    before, after = beads[pos - 1], beads[pos + 1]
    assert before["kind"] != "1-0" and "不愿转、不敢转、不会转" in before["src_text"]
    assert "not daring to transform" in before["tgt_text"], before["tgt_text"]
    assert after["src_text"].startswith("深入实施智能制造工程")
    assert "intelligent manufacturing" in after["tgt_text"].lower(), after["tgt_text"]

    findings = read_jsonl(seeds_run["out"] / "docs" / DOC_000 / "findings.jsonl")
    hits = [f for f in findings if f["check"] == "unaligned_source" and f["src_span"]
            and SEED_INTERLEAVED_000.read_text(encoding="utf-8")[f["src_span"]["start"]:f["src_span"]["end"]]
            .startswith("大模型技术的一个侧重点")]
    assert len(hits) == 1
    assert hits[0]["src_span"]["line"] == 40


def test_chinese_passage_in_002_is_reported_with_its_exact_span(seeds_run):
    findings = read_jsonl(seeds_run["out"] / "docs" / DOC_002 / "findings.jsonl")
    runs = [f for f in findings if f["check"] == "source_text_in_target"]
    assert runs, findings
    text = SEED_MIXED_002.read_text(encoding="utf-8")
    span = max(runs, key=lambda f: f["tgt_span"]["end"] - f["tgt_span"]["start"])["tgt_span"]
    passage = text[span["start"]:span["end"]]
    assert passage.lstrip("“").startswith("我们还将在优化制造业企业发展环境上下更大功夫")
    assert passage.endswith("强化产业链配套能力。")
    # The span is tight: English on both sides of it.
    assert text[span["start"] - 1].isascii() and text[span["end"]].isascii()


def test_every_sentence_is_accounted_for_exactly_once(seeds_run):
    from align.alignment_io import load_doc_results
    from align.ingest import build_unit, decode_bytes
    from align.segment import segment_document

    for result in load_doc_results(str(seeds_run["out"])):
        src = [i for b in result.beads for i in b.src]
        tgt = [j for b in result.beads for j in b.tgt]
        assert sorted(src) == list(range(len(result.src_segments))) == sorted(set(src))
        assert sorted(tgt) == list(range(len(result.tgt_segments))) == sorted(set(tgt))
        # ... and the published segments are all the sentences segmentation finds in the input.
        for doc, published in ((result.src, result.src_segments), (result.tgt, result.tgt_segments)):
            if doc is not None:
                assert [s.text for s in segment_document(doc)] == [s.text for s in published]
                for s in published:
                    assert doc.text[s.start:s.end] == s.text


def test_unchanged_rerun_completes_no_task_again(seeds_run, tmp_path):
    out = seeds_run["out"]
    code = run_cli("run", str(seeds_run["inputs"]), "--out", str(out), "--quiet")
    assert code == 0
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["counts"]["ran"] == 0
    assert summary["counts"]["up_to_date"] == summary["counts"]["tasks"] > 0


def test_bad_inputs_fail_with_file_name_while_others_complete(tmp_path, capsys):
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(SEED_MIXED_002, inputs / SEED_MIXED_002.name)
    (inputs / "broken.txt").write_bytes("好的开始\n".encode() + b"\xff\xfe\xfa bad bytes\n")
    (inputs / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    code = run_cli("run", str(inputs), "--out", str(out))
    assert code == 3
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["documents"]["completed"] == [SEED_MIXED_002.stem]
    failed = {f["doc_id"]: f for f in summary["documents"]["failed"]}
    assert set(failed) == {"broken", "empty"}
    assert "broken.txt" in failed["broken"]["message"]
    assert "empty.txt" in failed["empty"]["message"]
    err = capsys.readouterr().err
    assert "broken.txt" in err and "empty.txt" in err
    assert "Traceback" not in err
    # The good document's outputs and the run report are complete.
    assert (out / "docs" / SEED_MIXED_002.stem / "alignment.jsonl").is_file()
    assert (out / "report.html").is_file()


def test_missing_input_path_is_a_distinct_exit_code(tmp_path, capsys):
    code = run_cli("run", str(tmp_path / "nope"), "--out", str(tmp_path / "out"))
    assert code == 4
    assert "nope" in capsys.readouterr().err


def test_console_script_help_and_exit_code():
    exe = Path(sys.executable).with_name("bitextqa")
    proc = subprocess.run([str(exe), "run", "--help"], capture_output=True, text=True)
    assert proc.returncode == 0
    for option in ("--out", "--workers", "--model", "--src-lang", "--tgt-lang"):
        assert option in proc.stdout


def test_core_library_does_not_import_luigi_or_argparse():
    code = (
        "import sys, align.records, align.segment, align.aligner, align.checks, align.ingest, align.encoders;"
        "bad = [m for m in ('luigi', 'argparse') if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_atomic_write_leaves_no_file_when_interrupted(tmp_path):
    import luigi

    from pipelines import targets

    target = luigi.LocalTarget(str(tmp_path / "x.json"))

    def half_write(fh):
        fh.write('{"half": ')
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        targets.write_text(target, half_write)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []
