"""Translation-memory suggestions for untranslated sentences (issue 6)."""

from __future__ import annotations

import pytest

from align.records import Bead, DocResult, Severity
from align.tm_suggest import TMSettings, suggest_translations, translation_units, untranslated
from test_consistency import encoder, make_doc, make_result

MEMORY = [
    ("工业在稳定宏观经济大盘中发挥“压舱石”作用。", "Industry plays a ‘ballast stone’ role in stabilizing the macro economy."),
    ("一是体系全。", "First, the system is comprehensive."),
    ("我们将继续扩大高水平对外开放。", "We will continue to expand high-level opening up."),
]


def omission_doc():
    """zh→en document whose second source sentence has no translation (a 1-0 bead)."""
    src, ss = make_doc("omit", "zh", ["今年前三季度,全国粮食产量稳定增长。", "一是体系全。", "二是品种多。"])
    tgt, ts = make_doc("omit", "en", ["Grain output grew steadily in the first three quarters.", "Second, the variety is rich."])
    beads = (Bead((0,), (0,), 0.9, 0.8), Bead((1,), (), 0.9, 0.0), Bead((2,), (1,), 0.9, 0.8))
    result = DocResult("omit", "zh", "en", src, tgt, ss, ts, beads, ())
    enc = encoder()
    return result, (enc.encode([s.norm for s in ss]), enc.encode([s.norm for s in ts]))


def english_only_doc():
    """An English document with no Chinese counterpart (every sentence a 0-1 bead)."""
    tgt, ts = make_doc("mono", "en", ["Industry plays a ballast stone role in stabilising the macro-economy.",
                                      "The weather was pleasant on the coast last weekend."])
    beads = (Bead((), (0,), 1.0, 0.0), Bead((), (1,), 1.0, 0.0))
    result = DocResult("mono", "zh", "en", None, tgt, (), ts, beads, ())
    return result, (None, encoder().encode([s.norm for s in ts]))


def test_omitted_sentence_gets_the_memory_translation():
    mem, mv = make_result("memory", MEMORY)
    om, ov = omission_doc()
    findings = suggest_translations([mem, om], {"memory": mv, "omit": ov})
    (f,) = [f for f in findings if f.doc_id == "omit"]
    assert f.check == "tm_suggestion" and f.severity is Severity.INFO
    assert f.src_span is not None and om.src.text[f.src_span.start : f.src_span.end] == "一是体系全。"
    best = f.evidence["suggestions"][0]
    assert best["translation"] == "First, the system is comprehensive."
    assert best["score"] > 0.99 and best["doc_id"] == "memory"
    assert "First, the system is comprehensive." in f.message


def test_document_without_counterpart_is_searched_in_its_own_language():
    mem, mv = make_result("memory", MEMORY)
    mono, monov = english_only_doc()
    findings = suggest_translations([mem, mono], {"memory": mv, "mono": monov})
    by_start = {f.tgt_span.start: f for f in findings if f.doc_id == "mono"}
    first = by_start[0].evidence["suggestions"][0]
    assert first["translation"] == MEMORY[0][0] and first["translation_lang"] == "zh"
    assert len(by_start) == 1  # the weather sentence has no close match: no suggestion


@pytest.mark.parametrize(
    "min_score, expected",
    [pytest.param(0.7, 1, id="default-threshold"), pytest.param(1.01, 0, id="nothing-is-that-close")],
)
def test_threshold(min_score, expected):
    mem, mv = make_result("memory", MEMORY)
    om, ov = omission_doc()
    findings = suggest_translations([mem, om], {"memory": mv, "omit": ov}, TMSettings(min_score=min_score))
    assert len([f for f in findings if f.doc_id == "omit"]) == expected


def test_units_and_untranslated_account_for_every_sentence():
    om, _ = omission_doc()
    units = translation_units(om)
    in_units = sorted(i for u in units for i in om.beads[u.bead].src)
    alone = sorted(s.idx for s, side in untranslated(om) if side == "src")
    assert sorted(in_units + alone) == list(range(len(om.src_segments)))


def test_low_score_beads_are_not_memory():
    mem, mv = make_result("memory", MEMORY, score=0.1)
    om, ov = omission_doc()
    findings = suggest_translations([mem, om], {"memory": mv, "omit": ov})
    assert all(s["doc_id"] != "memory" for f in findings for s in f.evidence["suggestions"])
