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


@hyp_settings(max_examples=25, deadline=None)
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


def test_aligner_finds_long_insertion_in_a_large_document():
    """With the windowed search forced on, a 300-sentence insertion still comes out as 0-1 beads."""
    src = [sentence(k) for k in range(700)]
    tgt = [translate(s) for s in src]
    tgt = tgt[:400] + [f"junk{k} noise{k} filler{k}" for k in range(300)] + tgt[400:]
    result = align_segments(src, tgt, bag_embed, AlignerSettings(exact_search_limit=0, search_window=64))
    assert_partition(result, 700, 1000)
    inserted = {b.tgt[0] for b in result.beads if not b.src}
    assert len(inserted & set(range(400, 700))) >= 295
    ones = {(b.src, b.tgt) for b in result.beads}
    assert sum(((k,), (k + 300,)) in ones for k in range(400, 700)) >= 295


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


def test_dense_gains_match_per_bead_signals():
    """The block-wise gain matrices the DP uses equal the gain model applied to match_signals."""
    from align.aligner import _GainBlocks, prepare_alignment
    from align.calibration import packaged_calibration

    src = [sentence(k) for k in range(40)]
    tgt = [translate(s) for s in src]
    tgt[10:12] = [translate(src[10] + " " + src[11])]
    settings = AlignerSettings(lazy_spans=False)
    cal = packaged_calibration()
    ctx = prepare_alignment(src, tgt, bag_embed, settings, cal)
    blocks = _GainBlocks(ctx, ctx.lo, ctx.hi, bead_types(settings),
                         lambda sig: cal.gain.logit(sig) + settings.gain_offset, np.zeros(ctx.n), block=8)
    rng = np.random.default_rng(0)
    checked = 0
    for a, b in bead_types(settings):
        if b == 0:
            continue
        for p in rng.integers(0, ctx.n - a + 1, size=5):
            i = p + a
            q0, q1 = max(ctx.lo[i] - b, 0), min(ctx.hi[i] - b, ctx.m - b)
            if q1 < q0:
                continue
            dense = blocks.gain(a, b, int(p), int(q0), int(q1))
            direct = cal.gain.logit(ctx.match_signals(a, b, int(p), int(q0), int(q1))) + settings.gain_offset
            np.testing.assert_allclose(dense, direct, rtol=1e-5, atol=1e-5)
            checked += 1
    assert checked > 20


@pytest.mark.parametrize("changes", [{"lexical": True}, {"continuation": True}, {"split_signals": True}, {"mean_span_cos": True},
                                     {"lazy_spans": True, "split_signals": True}])
def test_dense_gains_match_per_bead_signals_for_every_signal(changes):
    """The block matrices equal pair_signals for every signal family, each given weight by a test model."""
    from align.aligner import MATCH_SIGNALS, _GainBlocks, prepare_alignment
    from align.calibration import Calibration, LogisticModel

    src = [f"w{k} x{k} Ort{k}name {k}" + (" und" if k % 5 == 0 else "") for k in range(36)]
    tgt = [translate(s) for s in src]
    tgt[10:12] = [translate(src[10] + " " + src[11])]
    tgt[20] = "fortsetzung " + tgt[20]
    settings = AlignerSettings(**({"lazy_spans": False} | changes))
    rng = np.random.default_rng(1)
    model = LogisticModel(0.3, {name: float(rng.normal()) for name in MATCH_SIGNALS})
    cal = Calibration(model, LogisticModel(0.0, {}), model, model)
    ctx = prepare_alignment(src, tgt, bag_embed, settings, cal)
    blocks = _GainBlocks(ctx, ctx.lo, ctx.hi, bead_types(settings), model.logit, np.zeros(ctx.n), block=8)
    checked = 0
    for a, b in bead_types(settings):
        if b == 0:
            continue
        for p in range(0, ctx.n - a + 1, 3):
            i = p + a
            q0, q1 = max(ctx.lo[i] - b, 0), min(ctx.hi[i] - b, ctx.m - b)
            if q1 < q0:
                continue
            dense = blocks.gain(a, b, p, int(q0), int(q1))
            direct = model.logit(ctx.match_signals(a, b, p, int(q0), int(q1)))
            direct = np.where(np.isnan(direct), -np.inf, direct)
            np.testing.assert_allclose(dense, direct, rtol=1e-6, atol=1e-6)
            checked += int(np.isfinite(dense).sum())
    assert checked > 100


def test_windowed_search_follows_a_shifted_diagonal():
    """Large documents are searched near the diagonal; the window follows a 300-sentence insertion."""
    from align.anchors import search_neighbours

    rng = np.random.default_rng(3)
    n = 1500
    src = rng.standard_normal((n, DIM)).astype(np.float32)
    src /= np.linalg.norm(src, axis=1, keepdims=True)
    noise = rng.standard_normal((n, DIM)).astype(np.float32) * 0.05
    extra = rng.standard_normal((300, DIM)).astype(np.float32)
    tgt = np.concatenate([src[:600] + noise[:600], extra, src[600:] + noise[600:]])
    tgt /= np.linalg.norm(tgt, axis=1, keepdims=True)
    nb = search_neighbours(src, tgt, 4, exact_limit=0, window=64)
    expected = np.r_[np.arange(600), np.arange(900, 1800)]
    # only the block straddling the insertion (at most `window` sentences) may miss
    assert (nb.s2t_idx[:, 0] == expected).mean() > 1 - 64 / n
    assert (nb.t2s_idx[expected, 0] == np.arange(n)).mean() > 1 - 64 / n


def test_lazy_spans_encode_less_and_align_the_same():
    src = [sentence(k) for k in range(60)]
    tgt = [translate(s) for s in src]
    tgt[20:22] = [translate(src[20] + " " + src[21])]
    del tgt[40]
    lazy = align_segments(src, tgt, bag_embed, AlignerSettings(lazy_spans=True))
    full = align_segments(src, tgt, bag_embed, AlignerSettings(lazy_spans=False))
    assert [(b.src, b.tgt) for b in lazy.beads] == [(b.src, b.tgt) for b in full.beads]
    assert lazy.stats["strings_encoded"] < 0.6 * full.stats["strings_encoded"]
    assert ((20, 21), (20,)) in {(b.src, b.tgt) for b in lazy.beads}


@pytest.mark.parametrize(
    "changes",
    [{"gain": "magic"}, {"max_src": 0}, {"top_k": 0}, {"band": -1}],
    ids=["unknown-gain", "no-source-sentences", "no-neighbours", "negative-band"],
)
def test_bad_aligner_settings_are_config_errors(changes):
    from align.errors import ConfigError

    with pytest.raises(ConfigError):
        AlignerSettings(**changes)
