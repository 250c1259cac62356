"""Tests of the aligner's lexical evidence (align.lexical) and the signals built on it."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings as hyp_settings, strategies as st

from align.aligner import align_segments, continues_previous, prepare_alignment
from align.lexical import (
    best_neighbour_dice, box_sums, build_lexical_index, lexical_signals, lexical_tokens, sentence_overlap,
    span_shared,
)
from align.settings import AlignerSettings

from tests.test_aligner import bag_embed


@pytest.mark.parametrize(
    "text, tokens",
    [
        ("Abfahrt 6.02 Uhr", {"w:abfa", "n:6", "n:2"}),
        ("Genève, Téléphone", {"w:gene", "w:tele"}),  # accents and case folded
        ("GENEVE telephone", {"w:gene", "w:tele"}),
        ("Der Dom", set()),  # words shorter than the prefix give nothing
        ("Straße 045", {"w:stra", "n:45"}),  # casefold ß -> ss; leading zeros dropped
        ("４５ Ｆｕｌｌ", {"n:45"}),  # full-width digits are numbers; full-width letters are wide, no stem
        ("大模型技术的一个侧重点", set()),  # no stems from a script written without spaces
        ("\U00020000\U00020001 GPT-4 发布", {"n:4"}),  # Extension B ideographs; ASCII inside Chinese
        ("2023\u3000年\u3000OpenAI—发布", {"n:2023", "w:open"}),  # ideographic space, em dash
        ("B2 6b", {"n:2", "n:6"}),  # letters mixed with digits: the number only
    ],
)
def test_lexical_tokens(text, tokens):
    assert lexical_tokens(text) == tokens


def test_prefix_length_is_a_setting():
    assert lexical_tokens("Nadelhorn", prefix=6) == {"w:nadelh"}
    assert lexical_tokens("Nadel", prefix=6) == set()


def test_unshared_scripts_share_nothing():
    idx = build_lexical_index(["大模型技术的一个侧重点。"], ["One focus of large model technology."])
    assert sentence_overlap(idx, 0, 1, 0, 1)[0, 0] == 0.0
    sig = lexical_signals(np.zeros(1), idx.src_mass[:1], idx.tgt_mass[:1])
    assert sig["lex_dice"][0] == 0.0 and sig["lex_shared"][0] == 0.0


def test_idf_weights_rare_tokens_more():
    src = ["Zermatt 1938", "nicht", "nicht", "nicht"]
    tgt = ["Zermatt 1938", "nicht", "nicht", "nicht"]
    idx = build_lexical_index(src, tgt)
    shared = sentence_overlap(idx, 0, 4, 0, 4)
    assert shared[0, 0] > shared[1, 1] > 0
    assert shared[0, 1] == 0.0


words = st.sampled_from(["Zermatt", "Nadelhorn", "1938", "4.45", "Telefon", "téléphone", "nicht", "pour", "Genf",
                         "Genève", "Bern", "Berne", "Wyss", "大模型", "GPT-4", "alpin", "Alpine"])
sentences = st.lists(st.lists(words, max_size=5).map(" ".join), min_size=1, max_size=9)


@hyp_settings(max_examples=40, deadline=None)
@given(src=sentences, tgt=sentences, a=st.integers(1, 3), b=st.integers(1, 3))
def test_block_overlap_equals_per_bead_sets(src, tgt, a, b):
    """The dense block computation the DP uses equals the per-bead set intersection."""
    idx = build_lexical_index(src, tgt)
    mat = sentence_overlap(idx, 0, len(src), 0, len(tgt))
    assert mat.shape == (len(src), len(tgt))
    boxes = box_sums(mat, a, b)
    for p in range(len(src) - a + 1):
        qs = np.arange(len(tgt) - b + 1)
        direct = span_shared(idx, a, b, np.full(len(qs), p), qs)
        np.testing.assert_allclose(boxes[p, : len(qs)], direct, atol=1e-9)
    # a block that starts inside the document gives the same numbers
    if len(src) > 1 and len(tgt) > 1:
        np.testing.assert_allclose(sentence_overlap(idx, 1, len(src), 1, len(tgt)), mat[1:, 1:], atol=1e-12)


@hyp_settings(max_examples=40, deadline=None)
@given(src=sentences, tgt=sentences)
def test_dice_is_a_proportion_and_self_dice_is_one(src, tgt):
    idx = build_lexical_index(src, tgt)
    shared = sentence_overlap(idx, 0, len(src), 0, len(tgt))
    sig = lexical_signals(shared, idx.src_mass[:, None], idx.tgt_mass[None, :])
    assert ((sig["lex_dice"] >= 0) & (sig["lex_dice"] <= 1)).all()
    same = build_lexical_index(src, src)
    d = lexical_signals(sentence_overlap(same, 0, len(src), 0, len(src)).diagonal(), same.src_mass, same.tgt_mass)
    np.testing.assert_allclose(d["lex_dice"], np.where(same.src_mass > 0, 1.0, 0.0))
    np.testing.assert_allclose(d["lex_unshared"], 0.0, atol=1e-9)


def test_best_neighbour_dice_ignores_missing_neighbours():
    idx = build_lexical_index(["Zermatt 1938", "nichts"], ["Zermatt 1938", "Berne"])
    got = best_neighbour_dice(idx, "src", np.array([[1, 0], [-1, -1]]))
    np.testing.assert_allclose(got, [1.0, 0.0])


@pytest.mark.parametrize(
    "text, expected",
    [
        ("maillons rapides vorhanden )", True),
        ("Nous continuons à monter", False),
        ("!", True),
        ("» .", True),
        ("( Hohlwangig bist du geworden", False),
        ("4 h 45 du matin", False),  # a digit is not lower-case
        ("大模型技术的一个侧重点", False),  # no letter case
        ("\u3000而且", False),
    ],
)
def test_continues_previous(text, expected):
    assert continues_previous(text) is expected


def test_continuation_signals_only_between_cased_scripts():
    src = ["大模型。", "第二句。", "第三句。"]
    tgt = ["Large models.", "and a second one.", "The third."]
    ctx = prepare_alignment(src, tgt, bag_embed, AlignerSettings(continuation=True))
    assert ctx.src_cont is None
    ctx = prepare_alignment(["Eins.", "und zwei.", "Drei."], tgt, bag_embed, AlignerSettings(continuation=True))
    np.testing.assert_array_equal(ctx.src_cont, [0.0, 1.0, 0.0])


@pytest.mark.parametrize("changes", [{}, {"lexical": False}, {"continuation": True}, {"split_signals": True},
                                     {"lexical_unaligned": True}])
def test_every_signal_switch_keeps_a_partition(changes):
    """Each switchable signal family runs through the whole aligner and keeps every sentence once."""
    src = [f"a{k} b{k} Ort{k}name {k}" for k in range(30)]
    tgt = [s.upper() for s in src]
    del tgt[7]
    tgt.insert(12, "zz1 zz2 zz3")
    res = align_segments(src, tgt, bag_embed, AlignerSettings(**changes))
    assert [i for b in res.beads for i in b.src] == list(range(len(src)))
    assert [j for b in res.beads for j in b.tgt] == list(range(len(tgt)))
    assert ((7,), ()) in [(b.src, b.tgt) for b in res.beads]
