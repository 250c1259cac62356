"""TMX 1.4b export: read back by an independent reader (translate-toolkit), header, cleaning, streaming."""

from __future__ import annotations

import io
import re
import tracemalloc
from datetime import datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from translate.storage.tmx import tmxfile

from align.exports import ExportStats, TmxHeader, TranslationUnit, write_tmx
from align.exports.tmx import tmx_date
from test_report_support import HARD_ZH, CountingSink

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
WHEN = datetime(2026, 11, 22, 1, 2, 3, tzinfo=timezone.utc)

PAIRS = [
    ("plain", "近年来，我国工业发展取得哪些成果？", "In recent years, what has our industry achieved?"),
    ("hard Chinese", HARD_ZH, "Extension B \U00020000, ideographic\u3000space, full-width ＡＢＣ, em dash —"),
    ("emoji", "点赞👍🏽 😀", "Like 👍🏽 😀"),
    ("markup characters", "<b>加粗</b> & “引号”", "<b>bold</b> & \"quotes\" 'single' ]]>"),
    ("inner spaces kept", "  前后空格  ", "  leading and trailing  "),
    ("line break inside", "第一行\n第二行", "first line\nsecond line"),
]


def _units(pairs):
    return [TranslationUnit(s, t, "zh", "en", 0.5 + i / 100, f"doc{i % 2}", i) for i, (_, s, t) in enumerate(pairs)]


def _write(units, **header) -> tuple[bytes, ExportStats]:
    buf = io.BytesIO()
    stats = write_tmx(units, buf, TmxHeader(srclang="zh", creationdate=WHEN, **header))
    return buf.getvalue(), stats


def test_translate_toolkit_reads_back_every_pair_identical():
    data, stats = _write(_units(PAIRS))
    store = tmxfile.parsestring(data)
    got = [(u.source, u.target) for u in store.units]
    assert got == [(s, t) for _, s, t in PAIRS]
    assert stats.units_written == len(PAIRS)
    assert stats.forbidden_chars_removed == 0


@pytest.mark.parametrize(
    "label, src, tgt, clean_src, clean_tgt, removed",
    [
        ("NUL and ESC", "大\x00模型", "big\x1b model", "大模型", "big model", 2),
        ("vertical tab, form feed", "a\x0bb", "c\x0cd", "ab", "cd", 2),
        ("non-characters U+FFFE/U+FFFF", "x\ufffey", "z\uffff", "xy", "z", 2),
        ("lone surrogate", "a\ud800b", "ok", "ab", "ok", 1),
        ("tab, LF and CR are allowed", "a\tb", "c\r\nd", "a\tb", "c\r\nd", 0),
    ],
)
def test_xml_forbidden_characters_are_removed_and_counted(label, src, tgt, clean_src, clean_tgt, removed):
    data, stats = _write([TranslationUnit(src, tgt, "zh", "en", 0.9, "d", 0)])
    unit = tmxfile.parsestring(data).units[0]
    # CR survives too: lxml writes it as &#13;, which XML parsers do not normalise away.
    assert (unit.source, unit.target) == (clean_src, clean_tgt)
    assert stats.forbidden_chars_removed == removed
    assert stats.units_with_forbidden_chars == (1 if removed else 0)


def test_header_has_every_attribute_tmx_requires_and_the_run_signature():
    data, _ = _write(_units(PAIRS[:1]), props={"encoder": "usem3", "settings": '{"band": 12}'})
    root = etree.fromstring(data)
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    for attr in ("creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang", "srclang", "datatype"):
        assert header.get(attr), attr
    assert header.get("srclang") == "zh"
    assert header.get("segtype") == "sentence"
    assert header.get("creationdate") == "20261122T010203Z"
    props = {p.get("type"): p.text for p in header.findall("prop")}
    assert props == {"x-encoder": "usem3", "x-settings": '{"band": 12}'}


def test_each_tu_carries_score_document_position_and_languages():
    data, _ = _write(_units(PAIRS[:2]))
    tus = etree.fromstring(data).find("body").findall("tu")
    assert len(tus) == 2
    for i, tu in enumerate(tus):
        props = {p.get("type"): p.text for p in tu.findall("prop")}
        assert props == {"x-score": f"{0.5 + i / 100:.4f}", "x-doc-id": f"doc{i}", "x-position": str(i),
                         "x-bead-kind": "1-1"}
        assert re.fullmatch(r"\d{8}T\d{6}Z", tu.get("creationdate"))
        assert [tuv.get(XML_LANG) for tuv in tu.findall("tuv")] == ["zh", "en"]
        assert tu.get("tuid") == f"doc{i}:{i}"


def test_element_order_follows_the_tmx_dtd():
    """TMX 1.4b: header before body; in a tu, props before tuvs; each tuv holds one seg."""
    data, _ = _write(_units(PAIRS[:1]), props={"encoder": "usem3"})
    root = etree.fromstring(data)
    assert [c.tag for c in root] == ["header", "body"]
    tu = root.find("body/tu")
    tags = [c.tag for c in tu]
    assert tags == sorted(tags, key=lambda t: t != "prop")
    assert all([c.tag for c in tuv] == ["seg"] for tuv in tu.findall("tuv"))
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<!DOCTYPE tmx")


def test_empty_export_is_still_a_valid_tmx():
    data, stats = _write([])
    assert tmxfile.parsestring(data).units == []
    assert stats.units_written == 0


@pytest.mark.parametrize(
    "when, expected",
    [
        (datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc), "20260102T030405Z"),
        (datetime(2026, 1, 2, 3, 4, 5), "20260102T030405Z"),  # naive: taken as UTC
        (datetime.fromisoformat("2026-01-02T08:04:05+05:00"), "20260102T030405Z"),
    ],
)
def test_tmx_dates_are_utc_basic_iso(when, expected):
    assert tmx_date(when) == expected


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.text(min_size=1), st.text(min_size=1)), min_size=1, max_size=5))
def test_any_text_round_trips_after_removing_forbidden_characters(pairs):
    from align.exports.cleaning import strip_xml_forbidden

    units = [TranslationUnit(s, t, "zh", "en", 1.0, "d", i) for i, (s, t) in enumerate(pairs)]
    data, _ = _write(units)
    root = etree.fromstring(data)
    segs = [("".join(tu.find("tuv[1]/seg").itertext()), "".join(tu.find("tuv[2]/seg").itertext()))
            for tu in root.iter("tu")]
    expected = [tuple(strip_xml_forbidden(x)[0] for x in p) for p in pairs]
    assert segs == expected


def _peak_traced_bytes(n: int) -> tuple[int, int]:
    def gen():
        for i in range(n):
            yield TranslationUnit(f"第{i}句，大模型技术。", f"Sentence {i}, large models.", "zh", "en", 0.9, "big", i)

    sink = CountingSink()
    tracemalloc.start()
    try:
        stats = write_tmx(gen(), sink, TmxHeader(srclang="zh", creationdate=WHEN))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert stats.units_written == n
    assert sink.size > 300 * n  # the document really was written (~360 bytes a unit)
    return peak, sink.size


def test_memory_stays_flat_while_streaming_many_units():
    """Ten times more units (streamed from a generator) must not raise peak memory: it is flat."""
    small, _ = _peak_traced_bytes(4_000)
    large, size = _peak_traced_bytes(40_000)
    assert large < small * 1.5 + 100_000, f"peak {large} B for 40k units vs {small} B for 4k"
    assert large < size / 20, f"peak {large} B is not small next to the {size} B written"
