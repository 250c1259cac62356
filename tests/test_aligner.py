"""Tests of the sentence aligner (align.aligner, align.anchors, align.dp)."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
from hypothesis import given, settings as hyp_settings, strategies as st

from align.aligner import AlignmentResult, align_segments, bead_types, join_sentences
from align.anchors import band_from_anchors, longest_monotone_chain
from align.settings import AlignerSettings

DIM = 64


def _word_vector(word: str) -> np.ndarray:
    """A fixed pseudo-random unit vector per word (seeded by its hash)."""
    seed = int.from_bytes(hashlib.sha256(word.encode()).digest()[:8], "little")
    v = np.random.default_rng(seed).standard_normal(DIM).astype(np.float32)
    return v / np.linalg.norm(v)


def bag_embed(texts):
    """A toy encoder: normalised sum of word vectors, so a concatenation sits between its parts.

    Words are space-separated tokens; a source word ``wN`` and its "translation"
    ``WN`` share a vector, so the toy behaves like a bilingual encoder.
    """
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    for r, text in enumerate(texts):
        for w in text.split():
            out[r] += _word_vector(w.lower())
        norm = np.linalg.norm(out[r])
        out[r] = out[r] / norm if norm else out[r]
    return out


def sentence(k: int) -> str:
    """A source sentence of three words unique to index k."""
    return f"a{k} b{k} c{k}"


def translate(s: str) -> str:
    """The toy translation: upper-cased words (same vectors, different strings)."""
    return s.upper()


def assert_partition(result: AlignmentResult, n: int, m: int) -> None:
    """Every index of both sides appears exactly once, in order."""
    src = [i for b in result.beads for i in b.src]
    tgt = [j for b in result.beads for j in b.tgt]
    assert src == list(range(n))
    assert tgt == list(range(m))
    for b in result.beads:
        assert b.src or b.tgt
        assert 0.0 <= b.score <= 1.0
        assert list(b.src) == list(range(b.src[0], b.src[0] + len(b.src))) if b.src else True


@hyp_settings(max_examples=40, deadline=None)
@given(
    n=st.integers(0, 30),
    dels=st.sets(st.integers(0, 29), max_size=6),
    ins=st.lists(st.integers(0, 30), max_size=6),
    noise=st.integers(0, 1000),
)
def test_every_sentence_once_in_order(n, dels, ins, noise):
    src = [sentence(k) for k in range(n)]
    tgt = [translate(s) for k, s in enumerate(src) if k not in dels]
    for pos in ins:
        tgt.insert(min(pos, len(tgt)), f"extra{noise} words{pos} here{len(tgt)}")
    result = align_segments(src, tgt, bag_embed, AlignerSettings())
    assert_partition(result, len(src), len(tgt))


def test_self_alignment_is_the_diagonal():
    src = [sentence(k) for k in range(40)]
    result = align_segments(src, src, bag_embed, AlignerSettings())
    assert [(b.src, b.tgt) for b in result.beads] == [((k,), (k,)) for k in range(40)]


def test_known_deletion_is_a_1_0_bead():
    src = [sentence(k) for k in range(30)]
    tgt = [translate(s) for k, s in enumerate(src) if k != 12]
    result = align_segments(src, tgt, bag_embed, AlignerSettings())
    shapes = {(b.src, b.tgt) for b in result.beads}
    assert ((12,), ()) in shapes
    assert ((11,), (11,)) in shapes and ((13,), (12,)) in shapes


def test_split_sentence_is_a_2_1_bead():
    src = [sentence(k) for k in range(20)]
    tgt = [translate(s) for s in src]
    tgt[5:7] = [translate(src[5] + " " + src[6])]
    result = align_segments(src, tgt, bag_embed, AlignerSettings())
    assert ((5, 6), (5,)) in {(b.src, b.tgt) for b in result.beads}


@pytest.mark.parametrize(
    "n, m",
    [(0, 0), (3, 0), (0, 4)],
    ids=["both-empty", "target-empty", "source-empty"],
)
def test_empty_side_gives_skip_beads(n, m):
    src = [sentence(k) for k in range(n)]
    tgt = [translate(sentence(k)) for k in range(m)]
    result = align_segments(src, tgt, bag_embed, AlignerSettings())
    assert_partition(result, n, m)
    assert all(not (b.src and b.tgt) for b in result.beads)


def test_large_insertion_outside_anchors_is_found():
    """A block of 60 inserted target sentences (wider than the band) comes out as 0-1 beads."""
    src = [sentence(k) for k in range(80)]
    tgt = [translate(s) for s in src]
    extra = [f"ins{k} junk{k} more{k}" for k in range(60)]
    tgt = tgt[:30] + extra + tgt[30:]
    result = align_segments(src, tgt, bag_embed, AlignerSettings(band=5))
    assert_partition(result, 80, 140)
    inserted = {b.tgt[0] for b in result.beads if not b.src}
    assert inserted == set(range(30, 90))


@pytest.mark.parametrize(
    "parts, joined",
    [
        (["Hello.", "World."], "Hello. World."),
        (["你好。", "世界。"], "你好。世界。"),
        (["中文", "English"], "中文 English"),
        (["\U00020000字", "\U00020001"], "\U00020000字\U00020001"),
        (["全角ＡＢ", "ＣＤ"], "全角ＡＢＣＤ"),
        (["数字 42", "他说"], "数字 42 他说"),
    ],
    ids=["latin", "cjk", "cjk-latin", "extension-b", "full-width", "digit-then-cjk"],
)
def test_join_sentences(parts, joined):
    assert join_sentences(parts) == joined


def test_longest_monotone_chain_drops_crossing_pairs():
    pairs = np.array([[0, 0], [1, 5], [2, 1], [3, 2], [4, 3], [5, 9]])
    assert longest_monotone_chain(pairs).tolist() == [[0, 0], [2, 1], [3, 2], [4, 3], [5, 9]]


def test_band_covers_path_and_corners():
    anchors = np.array([[10, 3], [11, 4]])
    lo, hi = band_from_anchors(anchors, 20, 25, band=2, max_band=50)
    assert lo[0] == 0 and hi[20] == 25
    assert lo[10] <= 3 <= hi[10] and lo[12] <= 5 <= hi[12]
    assert (lo <= hi).all()


def test_bead_types_respect_maxima():
    types = bead_types(AlignerSettings(max_src=2, max_tgt=3))
    assert set(types) == {(1, 0), (1, 1), (1, 2), (1, 3), (2, 1), (2, 2)}


def test_strings_encoded_are_counted():
    src = [sentence(k) for k in range(10)]
    calls = []

    def counting_embed(texts):
        calls.extend(texts)
        return bag_embed(texts)

    result = align_segments(src, [translate(s) for s in src], counting_embed, AlignerSettings())
    assert result.stats["strings_encoded"] == len(calls)
