"""Ingestion: decoding, shape detection and read errors (issue 4)."""

from __future__ import annotations

from pathlib import Path

import pytest

from align.discover import InputSpec, discover_inputs
from align.errors import InputError
from align.ingest import SideText, build_pair_unit, build_unit, decode_bytes, read_input
from align.records import Origin

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))


@pytest.mark.parametrize("path", SEED_FILES, ids=[p.name[:3] for p in SEED_FILES])
def test_every_seed_builds_a_unit(path: Path) -> None:
    unit = read_input(InputSpec(path.stem, (str(path),), (None,)), "zh", "en")
    assert unit.doc_id == path.stem
    text = path.read_text(encoding="utf-8")
    for doc in unit.documents:
        assert doc.text == text
        assert doc.encoding == "utf-8"
        assert doc.regions
        for r in doc.regions:
            assert doc.text[r.start : r.end].strip() == doc.text[r.start : r.end] != ""


@pytest.mark.parametrize("prefix", ["000_", "001_"])
def test_interleaved_seeds(prefix: str) -> None:
    path = next(p for p in SEED_FILES if p.name.startswith(prefix))
    unit = read_input(InputSpec(path.stem, (str(path),), (None,)), "zh", "en")
    assert unit.kind == "interleaved"
    zh, en = unit.by_lang("zh"), unit.by_lang("en")
    assert zh is not None and en is not None
    assert zh.origin == en.origin == Origin.INTERLEAVED
    assert len(zh.regions) == len(en.regions)
    text = path.read_text(encoding="utf-8")
    nonblank = [ln for ln in text.split("\n") if ln.strip()]
    assert len(zh.regions) + len(en.regions) == len(nonblank)
    assert en.regions[0].start == 0  # the file starts with English
    assert unit.notes == ()


@pytest.mark.parametrize("prefix,lang", [("002_", "en"), ("003_", "en"), ("004_", "zh")])
def test_monolingual_seeds(prefix: str, lang: str) -> None:
    path = next(p for p in SEED_FILES if p.name.startswith(prefix))
    unit = read_input(InputSpec(path.stem, (str(path),), (None,)), "zh", "en")
    assert unit.kind == "monolingual"
    (doc,) = unit.documents
    assert doc.lang == lang
    text = path.read_text(encoding="utf-8")
    # the regions cover every non-blank character: nothing is removed here
    covered = "".join(text[r.start : r.end] for r in doc.regions)
    assert "".join(text.split()) == "".join(covered.split())


def test_seed_002_keeps_the_chinese_passage_in_the_english_document() -> None:
    path = next(p for p in SEED_FILES if p.name.startswith("002_"))
    (doc,) = read_input(InputSpec("002", (str(path),), (None,)), "zh", "en").documents
    assert "金壮龙表示" in doc.content


def test_doubled_paragraph_is_noted_with_its_line() -> None:
    text = "First English.\n第一段。\nSecond English.\nThird English.\n第三段。\n"
    unit = build_unit("d", "x.txt", text, "utf-8", "zh", "en")
    assert unit.kind == "interleaved"
    assert len(unit.by_lang("en").regions) == 3 and len(unit.by_lang("zh").regions) == 2
    assert any(n.startswith("x.txt:4: two en paragraphs in a row") for n in unit.notes), unit.notes


def test_pair_unit_keeps_each_files_text() -> None:
    unit = build_pair_unit(
        "a", (SideText("a.en.txt", "Hello there.\n", "utf-8", "en"), SideText("a.zh.txt", "你好。\n", "gb18030", "zh")),
        "zh", "en",
    )
    assert unit.kind == "pair"
    assert [d.lang for d in unit.documents] == ["zh", "en"]
    assert unit.by_lang("zh").text == "你好。\n" and unit.by_lang("zh").encoding == "gb18030"
    assert unit.by_lang("en").path == "a.en.txt"


BAD_BYTES = [
    ("empty", b"", "file is empty", None),
    ("binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "binary", 8),
    ("invalid utf-8", "第一行很好。\n第二行".encode("utf-8") + b"\xff\xfe\xfa" + "结束了。".encode("utf-8"), "invalid utf-8", 28),
]


@pytest.mark.parametrize("label,data,what,offset", BAD_BYTES, ids=[b[0] for b in BAD_BYTES])
def test_bad_bytes_name_the_file(tmp_path: Path, label: str, data: bytes, what: str, offset: int | None) -> None:
    path = tmp_path / f"{label.replace(' ', '_')}.txt"
    path.write_bytes(data)
    with pytest.raises(InputError) as info:
        read_input(InputSpec(path.stem, (str(path),), (None,)), "zh", "en")
    assert str(path) in str(info.value)
    assert what in str(info.value)
    assert info.value.path == str(path)
    if offset is not None:
        assert info.value.byte_offset == offset


def test_invalid_utf8_reports_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes("第一行很好。\n第二行".encode("utf-8") + b"\xff" + "结束。".encode("utf-8"))
    with pytest.raises(InputError) as info:
        read_input(InputSpec("bad", (str(path),), (None,)), "zh", "en")
    assert info.value.line == 2
    assert f"{path}:2 (byte 28)" in str(info.value)


def test_whitespace_only_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_text(" \n\u3000\t\n", encoding="utf-8")
    with pytest.raises(InputError, match="only whitespace") as info:
        read_input(InputSpec("blank", (str(path),), (None,)), "zh", "en")
    assert info.value.path == str(path)


def test_missing_file_and_unsupported_format(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_input(InputSpec("nope", (str(tmp_path / "nope.txt"),), (None,)), "zh", "en")
    odd = tmp_path / "slides.pptx"
    odd.write_bytes(b"PK\x03\x04")
    with pytest.raises(InputError, match="unsupported file format '.pptx'") as info:
        read_input(discover_inputs([str(tmp_path)])[0], "zh", "en")
    assert info.value.path == str(odd)


DECODE_OK = [
    ("utf-8", "中文 text。".encode("utf-8"), "utf-8"),
    ("utf-8 with BOM", b"\xef\xbb\xbf" + "中文。".encode("utf-8"), "utf-8-sig"),
    ("utf-16 with BOM", "中文内容，还有 English。".encode("utf-16"), "utf-16-le"),
]


@pytest.mark.parametrize("label,data,encoding", DECODE_OK, ids=[d[0] for d in DECODE_OK])
def test_decode_bytes(label: str, data: bytes, encoding: str) -> None:
    text, enc = decode_bytes(data, "x.txt")
    assert enc == encoding
    assert not text.startswith("\ufeff")


def test_pair_of_files_by_name(tmp_path: Path) -> None:
    (tmp_path / "talk.zh.txt").write_text("我们来了。\n", encoding="utf-8")
    (tmp_path / "talk.en.txt").write_text("We came.\n", encoding="utf-8")
    (spec,) = discover_inputs([str(tmp_path)])
    unit = read_input(spec, "zh", "en")
    assert unit.doc_id == "talk" and unit.kind == "pair"
    assert unit.by_lang("zh").path.endswith("talk.zh.txt")


def test_pair_in_the_same_language_is_refused(tmp_path: Path) -> None:
    (tmp_path / "talk.zh.txt").write_text("We came.\n", encoding="utf-8")
    (tmp_path / "talk.en.txt").write_text("We came.\n", encoding="utf-8")
    (spec,) = discover_inputs([str(tmp_path)])
    with pytest.raises(InputError, match="declared as zh but its text looks like en") as info:
        read_input(spec, "zh", "en")
    assert info.value.path.endswith("talk.zh.txt")


def test_ingestion_and_segmentation_stay_out_of_luigi_and_argparse() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import align.discover, align.ingest, align.segment, align.normalize\n"
        "from align.formats import docx, html, markdown, subtitles, table, tmx, xliff\n"
        "align.segment.sentence_spans('A b. C d.', 'en')\n"
        "print(sorted(m for m in ('luigi', 'argparse') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
