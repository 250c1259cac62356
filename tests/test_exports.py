"""findings.csv / findings.json, Moses and TSV exports, and the unit selection filters."""

from __future__ import annotations

import csv
import io
import json

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from align.exports import (
    SelectionStats,
    TranslationUnit,
    bead_units,
    document_texts,
    findings_schema,
    join_segments,
    select_units,
    write_findings_csv,
    write_findings_json,
    write_moses,
    write_tsv,
)
from align.exports.findings import CSV_COLUMNS
from align.records import Finding, Segment, Severity, finding_sort_key
from test_report_support import HARD_ZH, make_result, sample_result

# ------------------------------------------------------------------ findings


def _csv_bytes(findings, texts=None) -> bytes:
    buf = io.StringIO(newline="")
    n = write_findings_csv(findings, buf, texts=texts)
    assert n == len(findings)
    return buf.getvalue().encode("utf-8")


def test_findings_csv_starts_with_a_bom_and_has_one_row_per_finding():
    r = sample_result()
    findings = sorted(r.findings, key=finding_sort_key)
    data = _csv_bytes(findings, document_texts([r]))
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert tuple(rows[0].keys()) == CSV_COLUMNS
    assert len(rows) == len(findings)
    by_check = {row["check"]: row for row in rows}
    nm = by_check["number_mismatch"]
    assert (nm["src_text"], nm["tgt_text"]) == ("15.7%", "17.5%")
    assert json.loads(nm["evidence"]) == {"src_value": 15.7, "tgt_value": 17.5}
    assert by_check["unaligned_source"]["src_text"] == "大模型技术的一个侧重点是行业应用。"
    assert by_check["unaligned_source"]["tgt_path"] == ""
    assert int(nm["src_line"]) == 3 and int(nm["src_end"]) - int(nm["src_start"]) == 5


def test_findings_csv_without_texts_leaves_text_columns_empty():
    r = sample_result()
    rows = list(csv.DictReader(io.StringIO(_csv_bytes(list(r.findings)).decode("utf-8-sig"), newline="")))
    assert all(row["src_text"] == "" and row["tgt_text"] == "" for row in rows)
    assert all(row["message"] for row in rows)


@pytest.mark.parametrize(
    "label, message, cell",
    [
        ("formula", "=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
        ("plus", "+1 more", "'+1 more"),
        ("at", "@SUM(A1)", "'@SUM(A1)"),
        ("ordinary text", "15.7% vs 17.5%", "15.7% vs 17.5%"),
        ("Chinese", HARD_ZH, HARD_ZH),
    ],
)
def test_csv_cells_never_start_a_spreadsheet_formula(label, message, cell):
    f = Finding("number_mismatch", Severity.ERROR, "d", message)
    rows = list(csv.reader(io.StringIO(_csv_bytes([f]).decode("utf-8-sig"), newline="")))
    assert rows[1][CSV_COLUMNS.index("message")] == cell


def test_findings_json_validates_against_its_schema_and_round_trips():
    r = sample_result()
    findings = sorted(r.findings, key=finding_sort_key)
    buf = io.StringIO()
    assert write_findings_json(findings, buf, texts=document_texts([r])) == len(findings)
    doc = json.loads(buf.getvalue())
    jsonschema.validate(doc, findings_schema())
    back = [Finding.from_dict(d) for d in doc["findings"]]
    assert back == findings
    by_check = {d["check"]: d for d in doc["findings"]}
    assert by_check["unaligned_source"]["src_span"]["text"] == "大模型技术的一个侧重点是行业应用。"
    assert by_check["number_mismatch"]["tgt_span"]["text"] == "17.5%"
    assert by_check["unaligned_source"]["tgt_span"] is None
    assert "大模型" in buf.getvalue()  # UTF-8, not \\u escapes


def test_empty_findings_json_is_valid():
    buf = io.StringIO()
    assert write_findings_json([], buf) == 0
    jsonschema.validate(json.loads(buf.getvalue()), findings_schema())


@pytest.mark.parametrize(
    "label, mutate",
    [
        ("unknown severity", lambda d: d["findings"][0].update(severity="fatal")),
        ("missing message", lambda d: d["findings"][0].pop("message")),
        ("negative offset", lambda d: next(f for f in d["findings"] if f["src_span"])["src_span"].update(start=-1)),
        ("check not snake_case", lambda d: d["findings"][0].update(check="Number Mismatch")),
    ],
)
def test_schema_rejects_malformed_findings(label, mutate):
    r = sample_result()
    buf = io.StringIO()
    write_findings_json(sorted(r.findings, key=finding_sort_key), buf)
    doc = json.loads(buf.getvalue())
    mutate(doc)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, findings_schema())


# ------------------------------------------------------------------ units and selection


def _seg(text, start, idx=0, lang="en"):
    return Segment("d", lang, idx, text, text, start, start + len(text), 1)


@pytest.mark.parametrize(
    "label, texts, expected",
    [
        ("latin words", ["One.", "Two."], "One. Two."),
        ("chinese", ["一。", "二。"], "一。二。"),
        ("chinese then latin", ["一。", "Two."], "一。 Two."),
        ("full-width forms are wide", ["ＡＢ。", "ＣＤ。"], "ＡＢ。ＣＤ。"),
        ("extension B", ["\U00020000。", "\U00020001。"], "\U00020000。\U00020001。"),
    ],
)
def test_join_segments_without_a_document_uses_width(label, texts, expected):
    segs, pos = [], 0
    for i, t in enumerate(texts):
        segs.append(_seg(t, pos, i))
        pos += len(t) + 5
    assert join_segments(segs) == expected


def test_join_segments_keeps_the_original_spacing_on_one_line():
    r = make_result("d", [(("甲。", "乙。"), ("One.", "Two."), 0.9)])
    u = next(bead_units(r))
    assert (u.src_text, u.tgt_text, u.kind) == ("甲。乙。", "One. Two.", "2-2")


def _run_pairs():
    a = make_result("a", [
        ("一。", "One.", 0.95),
        ("二。", "Two.", 0.30),
        (("三。", "四。"), "Three and four.", 0.90),
        ("五。", None, 0.0),
        (None, "Six.", 0.0),
        ("一。", "One.", 0.97),  # duplicate of the first pair
    ])
    b = make_result("b", [("Seven.", "七。", 0.9)], src_lang="en", tgt_lang="zh")
    c = make_result("c", [("Huit.", "Acht.", 0.9)], src_lang="fr", tgt_lang="de")
    return [a, b, c]


@pytest.mark.parametrize(
    "label, kwargs, kept, removed",
    [
        ("defaults: 1-1 only, no gaps", {}, ["一。|One.", "二。|Two.", "一。|One.", "Seven.|七。", "Huit.|Acht."],
         {"empty_side": 2, "not_1_1": 1}),
        ("min score", {"min_score": 0.5}, ["一。|One.", "一。|One.", "Seven.|七。", "Huit.|Acht."],
         {"empty_side": 2, "not_1_1": 1, "below_min_score": 1}),
        ("dedupe", {"dedupe": True}, ["一。|One.", "二。|Two.", "Seven.|七。", "Huit.|Acht."],
         {"empty_side": 2, "not_1_1": 1, "duplicate": 1}),
        ("all beads", {"one_to_one_only": False},
         ["一。|One.", "二。|Two.", "三。四。|Three and four.", "一。|One.", "Seven.|七。", "Huit.|Acht."],
         {"empty_side": 2}),
        ("langs orient the pair and drop others", {"langs": ("zh", "en")},
         ["一。|One.", "二。|Two.", "一。|One.", "七。|Seven."], {"empty_side": 2, "not_1_1": 1, "other_langs": 1}),
        ("everything", {"langs": ("en", "zh"), "min_score": 0.5, "dedupe": True},
         ["One.|一。", "Seven.|七。"],
         {"empty_side": 2, "not_1_1": 1, "other_langs": 1, "below_min_score": 1, "duplicate": 1}),
    ],
)
def test_select_units_filters_and_counts(label, kwargs, kept, removed):
    stats = SelectionStats()
    units = list(select_units(_run_pairs(), stats, **kwargs))
    assert [f"{u.src_text}|{u.tgt_text}" for u in units] == kept
    assert {k: v for k, v in stats.removed.items() if v} == removed
    assert stats.seen == 8 and stats.kept == len(kept)
    assert stats.seen == stats.kept + sum(stats.removed.values())
    if "langs" in kwargs:
        assert all((u.src_lang, u.tgt_lang) == kwargs["langs"] for u in units)


# ------------------------------------------------------------------ Moses and TSV

UNITS = [
    TranslationUnit("近年来，我国工业发展取得哪些成果？", "What has industry achieved?", "zh", "en", 0.9, "a", 0),
    TranslationUnit(HARD_ZH, "Hard: \U00020000 😀 <b>&amp;</b>", "zh", "en", 0.8, "a", 1),
    TranslationUnit("第一行\n第二行\t制表", "line one\u2028line two", "zh", "en", 0.7, "b", 3),
    TranslationUnit("控制\x00字符", "control\x1bchars", "zh", "en", 0.6, "b", 4),
]
EXPECTED = [
    ("近年来，我国工业发展取得哪些成果？", "What has industry achieved?"),
    (HARD_ZH, "Hard: \U00020000 😀 <b>&amp;</b>"),
    ("第一行 第二行 制表", "line one line two"),
    ("控制字符", "controlchars"),
]


def test_moses_files_are_line_aligned_and_round_trip():
    src, tgt = io.StringIO(newline=""), io.StringIO(newline="")
    stats = write_moses(UNITS, src, tgt)
    src_lines = src.getvalue().split("\n")[:-1]
    tgt_lines = tgt.getvalue().split("\n")[:-1]
    assert list(zip(src_lines, tgt_lines)) == EXPECTED
    assert (stats.units_written, stats.line_breaks_replaced, stats.forbidden_chars_removed) == (4, 3, 2)
    # No reader that splits on Unicode line boundaries may see extra lines either.
    assert len(src.getvalue().splitlines()) == len(tgt.getvalue().splitlines()) == 4


def test_tsv_round_trips_through_the_csv_module_with_metadata():
    buf = io.StringIO(newline="")
    stats = write_tsv(UNITS, buf, metadata=True, header=True)
    rows = list(csv.reader(io.StringIO(buf.getvalue(), newline=""), delimiter="\t", quoting=csv.QUOTE_NONE))
    assert rows[0] == ["source", "target", "score", "doc_id", "position"]
    assert [tuple(r[:2]) for r in rows[1:]] == EXPECTED
    assert [r[2:] for r in rows[1:]] == [["0.9000", "a", "0"], ["0.8000", "a", "1"], ["0.7000", "b", "3"],
                                         ["0.6000", "b", "4"]]
    assert stats.units_written == 4 and len(buf.getvalue().splitlines()) == 5


def test_report_and_exports_stay_free_of_luigi_and_argparse():
    """The library side of reports and exports is pure: no pipeline or command-line code (STYLE.md §2)."""
    import subprocess
    import sys

    code = ("import sys, align.report, align.exports; align.report.render_report([], {}); "
            "bad = [m for m in ('luigi', 'argparse') if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


_SIDE = st.one_of(st.none(), st.sampled_from(["一。", "二。", "One.", "Two."]),
                  st.tuples(st.sampled_from(["三。", "Three."]), st.sampled_from(["四。", "Four."])))


@given(
    beads=st.lists(st.tuples(_SIDE, _SIDE, st.floats(0, 1)), min_size=1, max_size=12),
    min_score=st.floats(0, 1),
    one_to_one_only=st.booleans(),
    dedupe=st.booleans(),
)
def test_selection_accounts_for_every_bead(beads, min_score, one_to_one_only, dedupe):
    """Every bead is either exported or counted by exactly one filter, and what is exported passes them all."""
    beads = [b for b in beads if b[0] is not None or b[1] is not None] or [("一。", "One.", 0.5)]
    result = make_result("p", beads)
    stats = SelectionStats()
    units = list(select_units([result], stats, min_score=min_score, one_to_one_only=one_to_one_only, dedupe=dedupe))
    assert stats.seen == len(beads) == stats.kept + sum(stats.removed.values())
    assert stats.kept == len(units)
    for u in units:
        assert u.src_text and u.tgt_text and u.score >= min_score
        assert u.kind == "1-1" or not one_to_one_only
    if dedupe:
        assert len({(u.src_text, u.tgt_text) for u in units}) == len(units)
