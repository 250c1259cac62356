"""Format readers: docx, html, md, srt, csv/tsv, tmx, xliff (issue 4).

Every sentence must map back to its place in the original file: for text-based
formats ``Segment.line`` is the line of the source file; for .docx it is the
paragraph number.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from align.discover import discover_inputs
from align.errors import InputError
from align.formats import place_on_lines
from align.ingest import read_input
from align.records import InputUnit
from align.segment import segment_document


def _read(path: Path, src: str = "zh", tgt: str = "en") -> InputUnit:
    (spec,) = discover_inputs([str(path)])
    return read_input(spec, src, tgt)


def _sentences(unit: InputUnit, lang: str) -> list[tuple[int, str]]:
    doc = unit.by_lang(lang)
    assert doc is not None, unit
    segs = segment_document(doc)
    for s in segs:
        assert s.text == doc.text[s.start : s.end]
    return [(s.line, s.text) for s in segs]


def _source_line(path: Path, line: int) -> str:
    return path.read_text(encoding="utf-8").split("\n")[line - 1]


HTML = """<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><title>工业发展</title>
<style>p { color: red }</style><script>var s = "不是正文。";</script></head>
<body>
<h1>工业发展成就</h1>
<p>近年来，我国工业发展取得<b>重大</b>成果。下一步如何推进？</p>
<p>In recent years, <a href="x.html">industry</a> grew &amp; changed. What next?</p>
<!-- 注释不是正文。 -->
<ul><li>第一项。</li><li>第二项。</li></ul>
</body></html>
"""


def test_html(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(HTML, encoding="utf-8")
    unit = _read(path)
    assert unit.kind == "monolingual"
    got = _sentences(unit, "zh")
    texts = [t for _, t in got]
    assert texts == ["工业发展", "工业发展成就", "近年来，我国工业发展取得重大成果。", "下一步如何推进？",
                     "In recent years, industry grew & changed.", "What next?", "第一项。", "第二项。"]
    for line, text in got:  # each sentence is on its source line (markup aside)
        assert text.split("，")[0].split(",")[0].replace("&", "&amp;")[:4] in _source_line(path, line)
    assert any("English text" in n for n in unit.notes)  # the untranslated paragraph is noted


def test_html_interleaved_paragraphs(tmp_path: Path) -> None:
    path = tmp_path / "bi.html"
    path.write_text("<html><body>\n<p>We came.</p>\n<p>我们来了。</p>\n<p>We left.</p>\n<p>我们走了。</p>\n</body></html>",
                    encoding="utf-8")
    unit = _read(path)
    assert unit.kind == "interleaved"
    assert _sentences(unit, "en") == [(2, "We came."), (4, "We left.")]
    assert _sentences(unit, "zh") == [(3, "我们来了。"), (5, "我们走了。")]


MD = """# 标题 **粗体**

第一段第一句。第二句
继续在下一行。

- 列表项一。
- 列表项二。

```
代码不检查。
```

| 甲 | 乙 |
|---|---|
| 丙。 | 丁。 |
"""


def test_markdown(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text(MD, encoding="utf-8")
    unit = _read(path)
    got = _sentences(unit, "zh")
    assert got == [(1, "标题 粗体"), (3, "第一段第一句。"), (3, "第二句\n继续在下一行。"), (6, "列表项一。"),
                   (7, "列表项二。"), (13, "甲"), (13, "乙"), (15, "丙。"), (15, "丁。")]
    assert any("notes.md:9: code block (lines 9-11)" in n for n in unit.notes)


SRT = """1
00:00:01,000 --> 00:00:02,500
<i>我们来了。</i>
We came.

2
00:00:03,000 --> 00:00:04,000
你好吗？
How are you?
"""


def test_bilingual_srt_is_interleaved(tmp_path: Path) -> None:
    path = tmp_path / "film.srt"
    path.write_text(SRT, encoding="utf-8")
    unit = _read(path)
    assert unit.kind == "interleaved"
    assert _sentences(unit, "zh") == [(3, "我们来了。"), (8, "你好吗？")]
    assert _sentences(unit, "en") == [(4, "We came."), (9, "How are you?")]


def test_monolingual_srt_cue_is_one_paragraph(tmp_path: Path) -> None:
    path = tmp_path / "film.en.srt"
    path.write_text("1\n00:00:01,000 --> 00:00:02,000\nWe went to the\nstore. Then home.\n", encoding="utf-8")
    unit = _read(path)
    assert _sentences(unit, "en") == [(3, "We went to the\nstore."), (4, "Then home.")]


def test_srt_without_timing_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.srt"
    path.write_text("1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\nnot a timing line\ntext\n", encoding="utf-8")
    with pytest.raises(InputError, match="expected a timing line") as info:
        _read(path)
    assert info.value.line == 6 and info.value.path == str(path)


@pytest.mark.parametrize("name,content", [
    ("t.csv", 'zh,en\n我们来了。,We came.\n"你好，朋友。",Hello friend.\n'),
    ("t.tsv", "zh\ten\n我们来了。\tWe came.\n你好，朋友。\tHello friend.\n"),
    ("t2.csv", 'source,target\n我们来了。,We came.\n"你好，朋友。",Hello friend.\n'),
])
def test_two_column_tables(tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    unit = _read(path)
    assert unit.kind == "pair"
    assert _sentences(unit, "zh") == [(2, "我们来了。"), (3, "你好，朋友。")]
    assert _sentences(unit, "en") == [(2, "We came."), (3, "Hello friend.")]


def test_table_with_three_columns_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("我们来了。,We came.\n你好。,Hello.,extra\n", encoding="utf-8")
    with pytest.raises(InputError, match="expected two columns") as info:
        _read(path)
    assert info.value.line == 2


def test_table_columns_reversed_are_mapped_by_language(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("We came.,我们来了。\nWe left.,我们走了。\n", encoding="utf-8")
    unit = _read(path)
    assert [d.lang for d in unit.documents] == ["zh", "en"]
    assert _sentences(unit, "zh") == [(1, "我们来了。"), (2, "我们走了。")]


TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
<header srclang="en-US" datatype="plaintext" segtype="sentence" adminlang="en" o-tmf="x" creationtool="t" creationtoolversion="1"/>
<body>
<tu><tuv xml:lang="en-US"><seg>We <bpt i="1">&lt;b&gt;</bpt>came<ept i="1">&lt;/b&gt;</ept>.</seg></tuv><tuv xml:lang="zh-CN"><seg>我们来了。</seg></tuv></tu>
<tu>
  <tuv xml:lang="en-US"><seg>Hello &amp; bye.</seg></tuv>
  <tuv xml:lang="zh-CN"><seg>你好 &amp; 再见。</seg></tuv>
</tu>
</body>
</tmx>
"""


def test_tmx_gives_pairs_in_order(tmp_path: Path) -> None:
    path = tmp_path / "memory.tmx"
    path.write_text(TMX, encoding="utf-8")
    unit = _read(path)
    assert unit.kind == "pair"
    assert [d.lang for d in unit.documents] == ["zh", "en"]
    assert _sentences(unit, "en") == [(5, "We came."), (7, "Hello & bye.")]
    assert _sentences(unit, "zh") == [(5, "我们来了。"), (8, "你好 & 再见。")]
    assert unit.by_lang("zh").path == str(path)


XLIFF12 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
<file source-language="zh-CN" target-language="en" datatype="plaintext" original="x">
<body>
<trans-unit id="1"><source>我们<g id="1">来了</g>。<ph id="2">{0}</ph></source><target>We <g id="1">came</g>.<ph id="2">{0}</ph></target></trans-unit>
<trans-unit id="2"><source>没有翻译的一句。</source></trans-unit>
</body></file></xliff>
"""

XLIFF20 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="zh">
<file id="f1">
<unit id="1"><segment>
<source>We <pc id="1">came</pc>.</source>
<target>我们<pc id="1">来了</pc>。</target>
</segment></unit>
</file></xliff>
"""


def test_xliff_12(tmp_path: Path) -> None:
    path = tmp_path / "job.xliff"
    path.write_text(XLIFF12, encoding="utf-8")
    unit = _read(path)
    assert _sentences(unit, "zh") == [(5, "我们来了。"), (6, "没有翻译的一句。")]
    assert _sentences(unit, "en") == [(5, "We came.")]
    assert any("job.xliff:6: unit '2' has no target" in n for n in unit.notes)


def test_xliff_20(tmp_path: Path) -> None:
    path = tmp_path / "job.xlf"
    path.write_text(XLIFF20, encoding="utf-8")
    unit = _read(path)
    assert _sentences(unit, "en") == [(5, "We came.")]
    assert _sentences(unit, "zh") == [(6, "我们来了。")]


@pytest.mark.parametrize("name", ["bad.tmx", "bad.xliff"])
def test_malformed_xml_names_the_line(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text('<?xml version="1.0"?>\n<tmx>\n<body>\n<tu>\n</body>\n', encoding="utf-8")
    with pytest.raises(InputError, match="not well-formed XML") as info:
        _read(path)
    assert info.value.line == 5 and info.value.path == str(path)


def test_xml_external_entities_are_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET", encoding="utf-8")
    path = tmp_path / "xxe.tmx"
    path.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE tmx [<!ENTITY x SYSTEM "file://{secret}">]>\n'
                    '<tmx><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>Hi &x; there.</seg></tuv>'
                    '<tuv xml:lang="zh"><seg>你好。</seg></tuv></tu></body></tmx>', encoding="utf-8")
    unit = _read(path)
    assert "SECRET" not in unit.by_lang("en").text


def _docx(path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("第一段。第二句？")
    d.add_paragraph("")
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "单元格一。"
    table.cell(0, 1).text = "单元格二。"
    d.add_paragraph("最后一段。")
    d.save(str(path))


def test_docx_lines_are_paragraph_numbers(tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    _docx(path)
    unit = _read(path)
    assert unit.by_lang("zh").encoding == "docx"
    assert _sentences(unit, "zh") == [(1, "第一段。"), (1, "第二句？"), (3, "单元格一。"), (4, "单元格二。"), (5, "最后一段。")]


def test_docx_pair_by_name(tmp_path: Path) -> None:
    import docx

    _docx(tmp_path / "r.zh.docx")
    d = docx.Document()
    d.add_paragraph("First paragraph. Second sentence?")
    d.save(str(tmp_path / "r.en.docx"))
    unit = _read(tmp_path)
    assert unit.kind == "pair" and unit.doc_id == "r"
    assert _sentences(unit, "en") == [(1, "First paragraph."), (1, "Second sentence?")]


def test_corrupt_docx_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError, match="not a readable .docx") as info:
        _read(path)
    assert info.value.path == str(path)


PLACE = [
    ("one per line", [(1, "a"), (2, "b")], "a\nb"),
    ("gap of lines", [(2, "a"), (5, "b")], "\na\n\n\nb"),
    ("same line", [(1, "a"), (1, "b")], "a  b"),
    ("multi-line item pushes the next", [(1, "a\nb\nc"), (2, "d")], "a\nb\nc\nd"),
]


@pytest.mark.parametrize("label,items,text", PLACE, ids=[p[0] for p in PLACE])
def test_place_on_lines(label: str, items: list[tuple[int, str]], text: str) -> None:
    out, spans = place_on_lines(items)
    assert out == text
    assert [out[a:b] for a, b in spans] == [t for _, t in items]


def test_html_line_break_inside_a_paragraph(tmp_path: Path) -> None:
    path = tmp_path / "br.html"
    path.write_text("<html><body><p>This sentence goes<br>on after a break. Second one.</p></body></html>", encoding="utf-8")
    unit = _read(path, "zh", "en")
    assert [t for _, t in _sentences(unit, "en")] == ["This sentence goes on after a break.", "Second one."]


def test_html_too_deep_is_refused_not_truncated(tmp_path: Path) -> None:
    path = tmp_path / "deep.html"
    path.write_text("<html><body>" + "<div>" * 5000 + "Deep text." + "</div>" * 5000 + "</body></html>", encoding="utf-8")
    with pytest.raises(InputError, match="the HTML parser gave up") as info:
        _read(path)
    assert info.value.path == str(path) and info.value.line == 1


@pytest.mark.parametrize("label,src", [
    ("deep blockquote", ">" * 60 + " Deep text here.\n"),
    ("deep list", "- " * 60 + "Deep text here.\n"),
])
def test_markdown_too_deep_is_read_as_plain_text_with_a_note(tmp_path: Path, label: str, src: str) -> None:
    path = tmp_path / "deep.en.md"
    path.write_text("# Title\n\n" + src, encoding="utf-8")
    unit = _read(path)
    assert _sentences(unit, "en") == [(1, "Title"), (3, "Deep text here.")]
    assert any("deep.en.md:3: Markdown too deeply nested" in n for n in unit.notes)


def test_docx_tracked_insertions_are_read(tmp_path: Path) -> None:
    import docx
    from docx.oxml import OxmlElement

    d = docx.Document()
    p = d.add_paragraph("Hello ")
    ins, run, t = OxmlElement("w:ins"), OxmlElement("w:r"), OxmlElement("w:t")
    t.text = "inserted words."
    run.append(t)
    ins.append(run)
    p._p.append(ins)
    path = tmp_path / "tracked.en.docx"
    d.save(str(path))
    unit = _read(path)
    assert _sentences(unit, "en") == [(1, "Hello inserted words.")]
    assert any("tracked changes present" in n for n in unit.notes)
