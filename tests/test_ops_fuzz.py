"""Fuzzing the parsers and writers with hostile text (issue 8).

Random bytes and random Unicode (C0/C1 controls, NULs, lone surrogates, RTL
and other bidi marks, U+3000, Extension B ideographs, markup, very long
lines up to 1 MB) go through ingestion (decode_bytes, build_unit, read_input
on a real file, every format reader), segmentation, the TMX writer and the
HTML report. Bad input may only raise InputError, with the file named;
anything else is a bug. Outputs must stay well-formed: the TMX parses with
lxml and gives back the (XML-cleaned) texts; every report page parses with
lxml.html and no injected tag becomes an element.

Hypothesis runs are bounded (``max_examples``) to keep the module well under a
minute; the 1 MB lines are fixed cases.
"""

from __future__ import annotations

import io
from datetime import datetime, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree, html

from align.errors import InputError
from align.exports import TmxHeader, TranslationUnit, write_tmx
from align.exports.cleaning import strip_xml_forbidden
from align.ingest import build_unit, decode_bytes, read_input
from align.segment import segment_document
from test_report_support import finding, make_result, with_findings

#: the marker tag a fuzzed text carries; it must never become an element of a report page
INJECT = "x-inject"

HOSTILE = [
    "\x00", "\x01", "\x07", "\x1b", "\x7f", "\x85", "\x9f", "\ufeff", "\ufffe", "\uffff",
    "\ud800", "\udfff", "\udbff\udc00",  # lone surrogates (and a pair that is not a character in str)
    "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2069",  # bidi
    "\u3000", "\U00020000", "\uff01", "\u2014", "\u2028", "\u2029", "\r", "\r\n", "\t", "\n\n",
    "。", "！", "？", ". ", "? ", "\u201c", "\u201d",
    f"<{INJECT}>", f"</{INJECT}>", "<script>alert(1)</script>", "</script>", "]]>", "<!--", "&amp;", "&#0;", "&",
    '"', "'", "{{ x }}", "{% raw %}",
]

hostile_text = st.lists(
    st.one_of(st.sampled_from(HOSTILE), st.characters(exclude_categories=()), st.text(max_size=20)),
    max_size=60,
).map("".join)
#: the same without lone surrogates: no file decodes to them, and ingestion does not refuse them yet
#: (see test_lone_surrogate_in_text_given_to_build_unit)
file_text = hostile_text.map(lambda t: "".join(c for c in t if not "\ud800" <= c <= "\udfff"))

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check_segments(unit) -> None:
    for doc in unit.documents:
        segments = segment_document(doc)
        last_end = 0
        for s in segments:
            assert 0 <= s.start < s.end <= len(doc.text)
            assert s.start >= last_end, "segments overlap or go backwards"
            assert doc.text[s.start:s.end] == s.text
            assert s.line >= 1
            last_end = s.end


def _ingest_and_segment(text: str) -> None:
    """build_unit + segment_document: either a valid unit with exact segments, or an InputError naming the file."""
    try:
        unit = build_unit("fuzz", "fuzz.txt", text, "utf-8", "zh", "en")
    except InputError as exc:
        assert "fuzz.txt" in str(exc)
        return
    _check_segments(unit)


@FUZZ
@given(data=st.binary(max_size=4000))
def test_decode_bytes_returns_text_or_raises_input_error(data):
    try:
        text, encoding = decode_bytes(data, "fuzz.bin")
    except InputError as exc:
        assert exc.path == "fuzz.bin" and "fuzz.bin" in str(exc)
        return
    assert isinstance(text, str) and encoding


@FUZZ
@given(text=file_text)
def test_build_unit_and_segmentation_survive_hostile_unicode(text):
    _ingest_and_segment(text)


def test_lone_surrogate_in_text_given_to_build_unit():
    _ingest_and_segment("\x00\x01\u202e\u200f abc \ud800 " * 200)


@FUZZ
@given(text=file_text, zh=st.text(alphabet="大模型技术的一个侧重点是行业应用。我国工业发展取得成果", max_size=40))
def test_interleaved_shapes_with_hostile_lines(text, zh):
    """Hostile text inside an otherwise interleaved English/Chinese file."""
    _ingest_and_segment(f"In recent years, what has industry achieved? {text}\n{zh}{text}\nAnd next?\n下一步？\n")


READER_EXTENSIONS = [".txt", ".md", ".html", ".srt", ".csv", ".tsv", ".tmx", ".xliff", ".docx", ""]


@FUZZ
@given(data=st.one_of(st.binary(max_size=3000), hostile_text.map(lambda t: t.encode("utf-8", "surrogatepass"))),
       ext=st.sampled_from(READER_EXTENSIONS))
def test_read_input_on_a_real_file_with_any_reader(tmp_path_factory, data, ext):
    from align.discover import InputSpec

    path = tmp_path_factory.mktemp("fuzz") / f"doc{ext}"
    path.write_bytes(data)
    try:
        unit = read_input(InputSpec("doc", (str(path),), (None,)), "zh", "en")
    except InputError as exc:
        assert str(path) in str(exc), exc
        return
    _check_segments(unit)


@pytest.mark.slow
@pytest.mark.parametrize("label, text", [
    ("1 MB English line", ("A sentence with words, numbers 15.7% and <x-inject> tags. " * 20000)[:1_000_000]),
    ("1 MB line without punctuation", "word " * 200_000),
    ("1 MB of controls, NULs and bidi marks", ("\x00\x01\u202e\u200f abc \u3000 " * 100_000)[:1_000_000]),
])
def test_one_megabyte_lines(label, text):
    _ingest_and_segment(text)
    _ingest_and_segment(text + "\n" + "大模型技术的一个侧重点。" * 10)


# --------------------------------------------------------------------------- TMX


def _tmx(units) -> bytes:
    buf = io.BytesIO()
    write_tmx(units, buf, TmxHeader(srclang="zh", creationdate=datetime(2026, 1, 1, tzinfo=timezone.utc)))
    return buf.getvalue()


@FUZZ
@given(pairs=st.lists(st.tuples(hostile_text, hostile_text), min_size=1, max_size=8), doc_id=hostile_text)
def test_tmx_stays_well_formed_and_round_trips(pairs, doc_id):
    units = [TranslationUnit(s, t, "zh", "en", 0.5, doc_id or "d", i) for i, (s, t) in enumerate(pairs)]
    root = etree.fromstring(_tmx(units))  # raises on anything not well-formed
    tus = root.findall("body/tu")
    assert len(tus) == len(pairs)
    for tu, (src, tgt) in zip(tus, pairs):
        segs = ["".join(seg.itertext()) for seg in tu.findall("tuv/seg")]
        expected = [strip_xml_forbidden(src)[0], strip_xml_forbidden(tgt)[0]]
        # XML parsers normalise line ends (CR LF and lone CR become LF) unless written as &#13;.
        assert segs == [e.replace("\r\n", "\n").replace("\r", "\n") for e in expected] or segs == expected


# --------------------------------------------------------------------------- HTML report


def _pages(src: str, tgt: str, message: str) -> dict[str, str]:
    from align.report import render_report
    from align.run_summary import report_summary
    from align.settings import Settings

    r = make_result("fuzz", [("近年来，我国工业发展取得哪些成果？" + src, "In recent years? " + tgt, 0.7),
                             (src or "空", None, 0.0), (None, tgt or "empty", 0.0)])
    r = with_findings(r, [finding(r, "low_score", "warning", message, src=(0, None), tgt=(0, None), score=0.7)])
    return render_report([r], report_summary([r], [{"doc_id": "other", "paths": ["x"], "stage": "ingest",
                                                   "message": message}], Settings()))


BASELINE_SCRIPTS = {name: len(html.fromstring(page).xpath("//script")) for name, page in _pages("a", "b", "m").items()}


@FUZZ
@given(src=file_text, tgt=file_text, message=file_text)
def test_report_pages_parse_and_injected_tags_stay_text(src, tgt, message):
    src, tgt, message = (f"{x}<{INJECT}>{x}</{INJECT}>" for x in (src, tgt, message))
    pages = _pages(src, tgt, message)
    assert set(pages) == set(BASELINE_SCRIPTS)
    for name, page in pages.items():
        page.encode("utf-8")  # no lone surrogate reaches the file
        tree = html.fromstring(page)
        assert tree.xpath(f"//{INJECT}") == [], f"{name}: injected tag became an element"
        assert len(tree.xpath("//script")) == BASELINE_SCRIPTS[name], f"{name}: injected <script>"
