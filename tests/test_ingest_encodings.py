"""Encodings: detected, reported, and refused with a byte offset when undecodable (issue 4)."""

from __future__ import annotations

from pathlib import Path

import pytest

from align.discover import InputSpec
from align.errors import InputError
from align.ingest import decode_bytes, read_input

SIMPLIFIED = "近年来，我国工业发展取得哪些成果？以科技创新引领现代化产业体系建设，有哪些具体任务？"
TRADITIONAL = "近年來，我國工業發展取得哪些成果？以科技創新引領現代化產業體系建設，有哪些具體任務？"
MIXED = "工业增加值增长15.7%。The added value grew by 15.7%."

DECODED = [
    # label, bytes, expected text, expected encoding name
    ("utf-8", SIMPLIFIED.encode("utf-8"), SIMPLIFIED, "utf-8"),
    ("utf-8 with BOM", b"\xef\xbb\xbf" + SIMPLIFIED.encode("utf-8"), SIMPLIFIED, "utf-8-sig"),
    ("utf-16 LE with BOM", b"\xff\xfe" + SIMPLIFIED.encode("utf-16-le"), SIMPLIFIED, "utf-16-le"),
    ("utf-16 BE with BOM", b"\xfe\xff" + SIMPLIFIED.encode("utf-16-be"), SIMPLIFIED, "utf-16-be"),
    ("utf-16 LE without BOM, chinese", SIMPLIFIED.encode("utf-16-le"), SIMPLIFIED, "utf-16-le"),
    ("utf-16 LE without BOM, mixed", MIXED.encode("utf-16-le"), MIXED, "utf-16-le"),
    ("utf-16 BE without BOM, mixed", MIXED.encode("utf-16-be"), MIXED, "utf-16-be"),
    ("utf-32 with BOM", SIMPLIFIED.encode("utf-32"), SIMPLIFIED, "utf-32-le"),
    ("gbk", SIMPLIFIED.encode("gbk"), SIMPLIFIED, "gb18030"),
    ("gb18030 with extension B", ("\U00020000" + SIMPLIFIED).encode("gb18030"), "\U00020000" + SIMPLIFIED, "gb18030"),
    ("big5", TRADITIONAL.encode("big5"), TRADITIONAL, "big5"),
    ("cp1252 western", "Café déjà vu — “quoted”.".encode("cp1252"), "Café déjà vu — “quoted”.", "cp1252"),
]


@pytest.mark.parametrize("label,data,text,encoding", DECODED, ids=[d[0] for d in DECODED])
def test_decode_bytes_detects_and_reports(label: str, data: bytes, text: str, encoding: str) -> None:
    assert decode_bytes(data, "x.txt") == (text, encoding)


def test_seed_in_gb18030_reads_like_utf8(tmp_path: Path) -> None:
    seed = next((Path(__file__).resolve().parent.parent / "seeds").glob("004_*.txt"))
    text = seed.read_text(encoding="utf-8")
    path = tmp_path / "004.gb.txt"
    path.write_bytes(text.encode("gb18030"))
    unit = read_input(InputSpec("004", (str(path),), (None,)), "zh", "en")
    (doc,) = unit.documents
    assert doc.text == text and doc.encoding == "gb18030" and doc.lang == "zh"


REFUSED = [
    # label, bytes, message fragment, byte offset, line
    ("truncated utf-8 sequence", "第一行。\n第二行".encode("utf-8") + "好".encode("utf-8")[:2], "invalid utf-8", 22, 2),
    ("stray byte in utf-8", ("甲" * 10 + "\n" * 3).encode("utf-8") + b"\xc0" + ("乙" * 10).encode("utf-8"), "invalid utf-8", 33, 4),
    ("bad utf-16 after BOM", b"\xff\xfe" + "好".encode("utf-16-le") + b"\x00\xd8\x41", "invalid utf-16-le", 4, 1),
    ("nul bytes", b"hello\x00\x00\x01\x02world", "binary", 5, 1),
]


@pytest.mark.parametrize("label,data,what,offset,line", REFUSED, ids=[r[0] for r in REFUSED])
def test_undecodable_names_file_and_byte_offset(label: str, data: bytes, what: str, offset: int, line: int) -> None:
    with pytest.raises(InputError) as info:
        decode_bytes(data, "dir/bad.txt")
    err = info.value
    assert err.path == "dir/bad.txt"
    assert what in str(err)
    assert err.byte_offset == offset
    assert err.line == line
    assert f"dir/bad.txt:{line} (byte {offset})" in str(err)
    assert err.hint  # says what to do
