"""The HTML report as text: escaping, self-containment, layout of beads and findings (no browser)."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from align.records import Severity
from align.report import doc_page_path, json_for_script, render_report
from align.report.highlight import split_marks
from align.report.views import build_doc_view, failed_documents
from test_report_support import finding, make_result, sample_result

PWN = "<script>window.__pwned = 1</script>"


class _Collect(HTMLParser):
    """Every start tag with its attributes, and the text of every <script> element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._in_script: dict[str, str | None] | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = dict(attrs)
            self.scripts.append((self._in_script, ""))

    def handle_data(self, data):
        if self._in_script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None


def _parse(html: str) -> _Collect:
    p = _Collect()
    p.feed(html)
    return p


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    summary = {
        "tool": "bitextqa", "version": "0.1.0", "settings": {"model": "usem3"},
        "documents": {"completed": ["sample"], "failed": [
            {"doc_id": "broken", "paths": ["in/broken.txt"], "stage": "ingest",
             "message": "in/broken.txt:3 (byte 17): invalid UTF-8 " + PWN}]},
        "elapsed_s": 1.5,
    }
    return render_report([sample_result()], summary)


def test_pages_are_the_run_page_and_one_page_per_document(pages):
    assert sorted(pages) == ["docs/sample/report.html", "report.html"]
    run = _parse(pages["report.html"])
    hrefs = {a.get("href") for tag, a in run.tags if tag == "a"}
    assert "docs/sample/report.html" in hrefs
    doc = _parse(pages["docs/sample/report.html"])
    assert "../../report.html" in {a.get("href") for tag, a in doc.tags if tag == "a"}


@pytest.mark.parametrize("page", ["report.html", "docs/sample/report.html"])
def test_document_text_is_escaped_and_only_our_script_can_run(pages, page):
    html = pages[page]
    assert PWN not in html
    assert "window.__pwned" in html  # shown, as text
    parsed = _parse(html)
    executable = [(a, t) for a, t in parsed.scripts if a.get("type") in (None, "", "text/javascript")]
    assert len(executable) == 1 and "__pwned" not in executable[0][1]
    # The Content-Security-Policy allows exactly that script, by hash.
    csp = next(a["content"] for tag, a in parsed.tags if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    digest = base64.b64encode(hashlib.sha256(executable[0][1].encode("utf-8")).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp
    assert "default-src 'none'" in csp


@pytest.mark.parametrize("page", ["report.html", "docs/sample/report.html"])
def test_pages_are_self_contained(pages, page):
    parsed = _parse(pages[page])
    for tag, attrs in parsed.tags:
        assert tag not in ("link", "iframe", "img", "object", "embed"), tag
        assert "src" not in attrs, (tag, attrs)
        href = attrs.get("href") or ""
        assert not re.match(r"(?i)(https?:)?//", href), href


def test_inline_json_cannot_close_its_script_element(pages):
    parsed = _parse(pages["docs/sample/report.html"])
    data = [t for a, t in parsed.scripts if a.get("type") == "application/json"]
    assert len(data) == 1
    assert "</" not in data[0] and "<" not in data[0]
    items = json.loads(data[0])
    assert any(PWN in item["message"] for item in items)  # the value itself is intact


@pytest.mark.parametrize(
    "label, value",
    [("script end", "</script><script>alert(1)</script>"), ("comment", "<!-- x"), ("line separators", "a\u2028b\u2029c"),
     ("ampersand", "&amp; &lt;")],
)
def test_json_for_script_is_parseable_and_inert(label, value):
    text = str(json_for_script({"v": value}))
    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == {"v": value}


def test_failed_documents_are_listed_with_their_error(pages):
    html = pages["report.html"]
    assert "in/broken.txt:3 (byte 17): invalid UTF-8 &lt;script&gt;" in html
    assert "documents failed" in html


@pytest.mark.parametrize(
    "label, summary, expected",
    [
        ("top-level list", {"failed": [{"doc_id": "a", "message": "boom", "path": "a.txt"}]}, [("a", ["a.txt"], "boom")]),
        ("summary.json layout", {"documents": {"failed": [{"doc_id": "b", "paths": ["b1", "b2"], "message": "x"}]}},
         [("b", ["b1", "b2"], "x")]),
        ("mapping of messages", {"failed": {"c": "bad"}}, [("c", [], "bad")]),
        ("error key", {"failed": [{"doc_id": "d", "error": "oops"}]}, [("d", [], "oops")]),
        ("nothing", {}, []),
    ],
)
def test_failed_documents_from_any_summary_layout(label, summary, expected):
    assert [(f.doc_id, f.paths, f.message) for f in failed_documents(summary)] == expected


def test_an_empty_summary_and_no_documents_still_render():
    pages = render_report([], {})
    assert "No document completed." in pages["report.html"]


def test_rendering_is_deterministic(pages):
    again = render_report([sample_result()], {
        "tool": "bitextqa", "version": "0.1.0", "settings": {"model": "usem3"},
        "documents": {"completed": ["sample"], "failed": [
            {"doc_id": "broken", "paths": ["in/broken.txt"], "stage": "ingest",
             "message": "in/broken.txt:3 (byte 17): invalid UTF-8 " + PWN}]},
        "elapsed_s": 1.5,
    })
    assert again == pages


# ------------------------------------------------------------------ the side-by-side view


def test_rows_follow_the_beads_with_gaps_and_marks_on_both_sides():
    r = sample_result()
    view = build_doc_view(r)
    assert [row.pos for row in view.rows] == list(range(len(r.beads)))
    assert view.rows[1].tgt == [] and view.rows[1].src  # unaligned source: a gap on the target side
    assert view.rows[6].src == [] and view.rows[6].tgt
    fid = next(fv.fid for fv in view.findings if fv.finding.check == "number_mismatch")
    marked = {side: "".join(p.text for seg in getattr(view.rows[2], side) for p in seg.pieces if fid in p.fids)
              for side in ("src", "tgt")}
    assert marked == {"src": "15.7%", "tgt": "17.5%"}
    stray = next(fv for fv in view.findings if fv.finding.check == "source_text_in_target")
    assert stray.row_id == "b4" and stray.tgt_text == "金壮龙表示"
    assert view.rows[4].worst == "error"
    assert view.counts["unaligned_src"] == 1 and view.counts["unaligned_tgt"] == 1


def test_each_side_of_a_row_keeps_its_text_exactly():
    r = sample_result()
    view = build_doc_view(r)
    for row, bead in zip(view.rows, r.beads):
        assert ["".join(p.text for p in seg.pieces) for seg in row.src] == [r.src_segments[i].text for i in bead.src]
        assert ["".join(p.text for p in seg.pieces) for seg in row.tgt] == [r.tgt_segments[i].text for i in bead.tgt]


def test_a_span_outside_every_segment_gets_a_row_of_its_own():
    r = make_result("d", [("一。", "One.", 0.9), ("二。", "Two.", 0.9)])
    # The target file's text between sentences (the line break) is outside every segment.
    from align.records import Finding, Span

    f = Finding("source_text_in_target", Severity.ERROR, "d", "stray text",
                tgt_span=Span("d", "en", r.tgt.path, 4, 5, 1))
    r = type(r)(r.doc_id, r.src_lang, r.tgt_lang, r.src, r.tgt, r.src_segments, r.tgt_segments, r.beads, (f,))
    view = build_doc_view(r)
    assert [row.row_id for row in view.rows] == ["b0", "x0", "b1"]
    assert view.rows[1].outside == "tgt" and view.findings[0].row_id == "x0"


def test_a_finding_about_the_whole_document_is_listed_but_not_painted_on_every_row():
    r = make_result("d", [(None, "One.", 1.0), (None, "Two.", 1.0), (None, "Three.", 1.0)])
    whole = finding(r, "no_counterpart", "warning", "English only.", tgt=(0, None))
    whole = type(whole)(whole.check, whole.severity, whole.doc_id, whole.message, None,
                        type(whole.tgt_span)("d", "en", r.tgt.path, 0, len(r.tgt.text), 1))
    r = type(r)(r.doc_id, r.src_lang, r.tgt_lang, r.src, r.tgt, r.src_segments, r.tgt_segments, r.beads, (whole,))
    view = build_doc_view(r)
    assert all(not row.fids for row in view.rows)
    assert view.findings[0].row_id is None


@pytest.mark.parametrize(
    "doc_id, path",
    [("000_17f6063197ae1b9a", "docs/000_17f6063197ae1b9a/report.html"),
     ("sub/dir/doc", "docs/sub/dir/doc/report.html"),
     ("../../etc", "docs/_/_/etc/report.html"),
     ("/abs", "docs/_/abs/report.html")],
)
def test_document_pages_stay_inside_docs(doc_id, path):
    assert doc_page_path(doc_id) == path


def test_nested_doc_ids_link_back_to_the_run_page():
    r = make_result("sub/doc", [("一。", "One.", 0.9)])
    pages = render_report([r], {})
    assert 'href="../../../report.html"' in pages["docs/sub/doc/report.html"]


@given(
    st.text(min_size=0, max_size=30),
    st.integers(0, 50),
    st.lists(st.tuples(st.integers(0, 90), st.integers(0, 90)), max_size=6),
)
def test_split_marks_keeps_the_text_and_covers_exactly_the_spans(text, base, raw):
    marks = [(min(a, b), max(a, b), i) for i, (a, b) in enumerate(raw)]
    pieces = split_marks(text, base, marks)
    assert "".join(p.text for p in pieces) == text
    pos = base
    for p in pieces:
        for k in range(len(p.text)):
            at = pos + k
            assert set(p.fids) == {fid for s, e, fid in marks if s <= at < e}
        pos += len(p.text)
    assert all(a.fids != b.fids for a, b in zip(pieces, pieces[1:]))


class _RowText(HTMLParser):
    """Text inside the first source cell of bead b0, and every tag seen anywhere."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # > 0 while inside <div class="cell src"> of row b0
        self.in_b0 = False
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if a.get("id") == "b0":
            self.in_b0 = True
        if self.depth:
            self.depth += 1
        elif self.in_b0 and tag == "div" and (a.get("class") or "").startswith("cell src"):
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1
            if not self.depth:
                self.in_b0 = False

    def handle_data(self, data):
        if self.depth:
            self.text.append(data)


_HTMLISH = st.text(alphabet=st.sampled_from(list("<>&\"'/=!-;abcs ript大\U00020000😀\u3000")), min_size=1, max_size=40)


@settings(max_examples=40, deadline=None)
@given(text=_HTMLISH, message=_HTMLISH)
def test_any_text_renders_as_exactly_that_text(text, message):
    """Whatever a sentence or a message contains, the page shows it verbatim and gains no element."""
    text = text.strip() or "x"
    r = make_result("p", [(text, "target", 0.9)], src_lang="zh", tgt_lang="en")
    r = type(r)(r.doc_id, r.src_lang, r.tgt_lang, r.src, r.tgt, r.src_segments, r.tgt_segments, r.beads,
                (finding(r, "number_mismatch", "error", message, src=(0, None)),))
    html = render_report([r], {})["docs/p/report.html"]
    parser = _RowText()
    parser.feed(html)
    assert "".join(parser.text) == text
    baseline = _RowText()
    baseline.feed(render_report([make_result("p", [("x", "target", 0.9)])], {})["docs/p/report.html"])
    assert parser.tags.count("script") == baseline.tags.count("script") == 2
    data = next(t for a, t in _parse(html).scripts if a.get("type") == "application/json")
    assert json.loads(data)[0]["message"] == message


def test_a_span_in_another_document_is_listed_without_a_row():
    from align.records import Finding, Span

    r = make_result("d", [("一。", "One.", 0.9)])
    f = Finding("inconsistent_translation", Severity.INFO, "d", "Translated differently elsewhere.",
                src_span=Span("other", "zh", "in/other.zh.txt", 0, 2, 1), evidence={"other_doc": "other", "sim": 0.41234})
    r = type(r)(r.doc_id, r.src_lang, r.tgt_lang, r.src, r.tgt, r.src_segments, r.tgt_segments, r.beads, (f,))
    view = build_doc_view(r)
    assert [row.row_id for row in view.rows] == ["b0"] and view.findings[0].row_id is None
    html = render_report([r], {})["docs/d/report.html"]
    assert "other doc other · sim 0.412" in html
