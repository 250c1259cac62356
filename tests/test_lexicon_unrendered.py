"""The lexicon's evidence for ``partial_omission`` that works on spans rather than whole clauses:
where a translation stops rendering its source (``unrendered_spans``) and exclusive renderings
counted once per word occurrence (``exclusive_coverage_once``). Real CC-CEDICT, real seed sentences."""

from __future__ import annotations

import pytest

from align.lexicon import chinese_english

# (label, source, its language, translation, least letters/characters, the spans expected)
SPANS = [
    # seed 001 as translated into Chinese, its second clause cut from the Chinese: the English has no comma there
    ("English: a clause after a conjunction-less boundary",
     "These “singles champions” and “supporting specialists” in niche fields are important and indispensable "
     "parts of production and supply chains.", "en", "这些细分领域的“单打冠军”和“配套专家”。", 12,
     ["are important and indispensable parts of production and supply chains."]),
    # one rendered word (building: 构建, taken by "construction" too) inside the unrendered clause does not break it
    ("English: a rendered word inside the run",
     "Reporter: Accelerating the construction of a modern industrial system centered on advanced manufacturing "
     "is an inevitable requirement for building a new development pattern and promoting high-quality development.",
     "en", "记者:加快构建以先进制造业为骨干的现代化产业体系。", 12,
     ["is an inevitable requirement for building a new development pattern and promoting high-quality "
      "development."]),
    ("English: an opening question",
     "What specific tasks are there in leading the construction of a modern industrial system with scientific "
     "and technological (S&T) innovation?", "en", "以科技创新引领现代化产业体系建设", 12,
     ["What specific tasks are there"]),
    ("English: every word rendered", "At present, China’s AI is developing rapidly.", "en",
     "当前,我国人工智能发展迅速。", 12, []),
    # "top" is a gloss of 前 alone, here a character of 当前 ("at present"): no evidence either way, so the
    # rendered "top" does not break the run of unrendered words around it
    ("English: a word rendered only by one character of a longer word",
     "At present, China’s AI is developing rapidly and is in the world’s top tier overall.", "en",
     "当前,我国人工智能发展迅速。", 12, ["and is in the world’s top tier overall."]),
    ("English: the same word rendered by a character standing alone",
     "At present, China’s AI is developing rapidly and is in the world’s top tier overall.", "en",
     "当前,我国人工智能发展迅速,居前。", 12, []),
    ("English: the run is shorter than asked", "A great undertaking generates a great spirit, and a great spirit "
     "promotes a great undertaking.", "en", "伟大事业孕育伟大精神。", 12, []),
    # a hyphenated compound is one word of the text: a span neither ends after "deep-" (of "deep-sea",
    # 海 rendering "sea") nor starts at "end" (of "high-end", 高 rendering "high"); seed 000's English
    ("English: a span does not end inside a compound",
     "promote the research and application of frontier technologies such as the next-generation internet, "
     "quantum information, deep-sea and aerospace development", "en", "推动前沿技术研发和应用推广,开发海洋", 12,
     ["such as the next-generation internet, quantum information, deep-sea"]),
    ("English: a span does not start inside a compound",
     "Enterprises that develop high-end equipment and state-owned enterprises grew fast.", "en", "企业发展高", 12,
     ["high-end equipment and state-owned"]),
    ("Chinese: characters whose words the English lacks",
     "当前,我国人工智能发展迅速,总体处于全球第一梯队。", "zh", "At present, China’s AI is developing rapidly.", 8,
     ["总体处于全球第一梯队。"]),
    ("Chinese: Extension B and ideographic space do not break offsets",
     "\U00020000当前,\u3000我国人工智能发展迅速,总体处于全球第一梯队。", "zh",
     "At present, China’s AI is developing rapidly.", 8, ["总体处于全球第一梯队。"]),
]


@pytest.mark.parametrize("label,text,lang,other,least,expected", SPANS, ids=[s[0] for s in SPANS])
def test_unrendered_spans(label, text, lang, other, least, expected):
    spans = chinese_english().unrendered_spans(text, lang, other, least)
    assert [text[a:b] for a, b in spans] == expected
    assert all(0 <= a < b <= len(text) for a, b in spans)


# (label, English candidate, rest of its source, Chinese target, (glossed, covered: letters in proportion to the
# words rendered), the same with a word rendering as many words as it has characters, whatever their meanings)
ONCE = [
    # seed 001: the next sentence's Chinese has one 发明 and one 广泛 for its own "invention" and "widespread";
    # none is left for the candidate's (one per character would leave one of each)
    ("a word's meaning rendered once per occurrence", "marked by the invention and widespread application",
     "was marked by the invention and widespread use of electricity",
     "第二次工业革命始于19世纪60年代后期,以电力的发明和广泛应用为标志", (36, 9), (36, 27)),
    # one occurrence of 粤港澳 renders three of Guangdong, Hong, Kong and Macao (one word per character), whichever
    ("several meanings of one word, at most one per character", "Guangdong, Hong Kong and Macao", "",
     "粤港澳等重点区域", (22, 16), (22, 16)),
    # two occurrences of 发明 render both inventions (not "marked")
    ("a meaning rendered by each occurrence", "marked by the invention", "the invention of", "发明和发明", (15, 8),
     (15, 8)),
]


@pytest.mark.parametrize("label,text,rest,other,expected,per_character", ONCE, ids=[o[0] for o in ONCE])
def test_exclusive_coverage_once_per_word_occurrence(label, text, rest, other, expected, per_character):
    lex = chinese_english()
    got = lex.exclusive_coverage_once(text, rest, "en", other)
    assert (got.glossed, got.covered) == expected
    old = lex.exclusive_coverage(text, rest, "en", other)
    assert (old.glossed, old.covered) == per_character


def test_exclusive_coverage_once_is_the_matching_for_a_source_without_spaces():
    lex = chinese_english()
    args = ("以蒸汽机的发明和广泛应用为标志", "以电力的发明和广泛应用为标志", "zh",
            "marked by the invention and widespread use of electricity")
    assert lex.exclusive_coverage_once(*args) == lex.exclusive_coverage(*args)


# (label, English, Chinese, the abbreviated span of the Chinese, or None)
ABBREVIATIONS = [
    ("four items, one character each", "promote the development of SMEs based on specialization, refinement, "
     "distinctiveness, and novelty.", "二是促进中小企业专精特新发展。", "专精特新"),
    ("the items written out, not abbreviated", "raw materials such as crude steel, cement, and aluminum",
     "粗钢、水泥、电解铝等原材料", None),
    ("the characters in another order", "specialization, refinement, distinctiveness, and novelty",
     "新特精专", None),
    ("two items are no list to abbreviate", "specialization and refinement", "专精", None),
    # the seeds' 大中小企业 and 发展壮大: words of their own, rendering the list as words do
    ("characters that are words of their own", "large, medium, and small enterprises", "大中小企业", None),
    ("ordinary words rendering the list", "First, develop and expand", "一是发展壮大", None),
    ("a character that stands for no item", "specialization, refinement, distinctiveness, and novelty", "专精特色",
     None),
    ("a list's one-word items after one of several words", "fine specialization, refinement, distinctiveness, "
     "and novelty", "专精特新", "专精特新"),
]


@pytest.mark.parametrize("label,en,zh,span", ABBREVIATIONS, ids=[c[0] for c in ABBREVIATIONS])
def test_abbreviations_of_an_english_list(label, en, zh, span):
    lex = chinese_english()
    found = lex.abbreviations(en, zh)
    assert [zh[a.start:a.end] for a in found] == ([span] if span else [])
    for a in found:  # each item's headword starts with its character of the abbreviation
        assert [h[0] for h in a.headwords] == list(zh[a.start:a.end]) and sum(a.needed) >= 2
    spelled = lex.with_abbreviations_spelled_out(en, zh)
    assert spelled.startswith(zh)
    rendered = lex.coverage(en, "en", spelled)
    assert rendered.covered >= lex.coverage(en, "en", zh).covered
    if span:
        assert rendered.ratio > lex.coverage(en, "en", zh).ratio
