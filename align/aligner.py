"""Sentence alignment of a document with its translation: FAISS first pass, banded DP second pass.

1. Embed every sentence of both sides (``embed`` is the caller's cached encoder).
2. First pass: k-NN search both ways in FAISS (exhaustive for small documents,
   near the diagonal for large ones); mutual nearest neighbours above a cosine
   floor, filtered to the longest monotone chain, are anchors; the path through
   them defines a band of DP cells (:mod:`align.anchors`).
3. A DP over 1-1/1-0/0-1 beads in that band marks the sentences it is unsure
   of; only runs of consecutive sentences containing one are embedded
   (overlap embeddings for n-1 and 1-n beads).
4. Second pass: the DP over 1-1, 1-0, 0-1, n-1, 1-n and 2-2 beads in the band
   (:mod:`align.dp`), each bead's gain a learned linear function of its signals
   (margin-normalised similarity, part similarities, a per-document
   length-ratio model, numbers, names and cognates both sides share
   (:mod:`align.lexical`) ...), computed a block of rows at a time.
5. Every bead gets its signals and a calibrated score (:mod:`align.calibration`).

Pure: no file or network I/O; all inputs are plain sequences and callables.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

import faiss
import numpy as np
from threadpoolctl import threadpool_limits

from .anchors import (
    Neighbours, band_from_anchors, longest_monotone_chain, mutual_best_pairs, search_in_ranges, search_neighbours,
)
from .calibration import Calibration, packaged_calibration
from .dp import banded_dp
from .lexical import LEXICAL_SIGNALS, LexicalIndex, best_neighbour_dice, box_sums, build_lexical_index, \
    lexical_signals, sentence_overlap, span_shared
from .records import Bead
from .settings import AlignerSettings
from .textjoin import join_sentences  # the one joining rule, shared with exports

#: embed(texts) -> float32 array (len(texts), d) of L2-normalised rows.
EmbedFn = Callable[[Sequence[str]], np.ndarray]


@dataclass(frozen=True)
class AlignmentResult:
    """The alignment of one document pair.

    ``beads``: in document order; every source and target sentence index
    (0-based) appears in exactly one bead. ``stats``: small JSON-ready dict
    (strings encoded, anchors, band cells, seconds per stage).
    """

    beads: tuple[Bead, ...]
    stats: Mapping[str, Any] = field(default_factory=dict)


def bead_types(settings: AlignerSettings) -> list[tuple[int, int]]:
    """The ``(n_src, n_tgt)`` bead shapes the DP may use, besides ``(0, 1)``.

    1-0, 1-1, 1-n up to ``max_tgt``, n-1 up to ``max_src``, and 2-2 when both maxima allow it.
    """
    types = [(1, 0), (1, 1)]
    types += [(1, b) for b in range(2, settings.max_tgt + 1)]
    types += [(a, 1) for a in range(2, settings.max_src + 1)]
    if settings.max_src >= 2 and settings.max_tgt >= 2:
        types.append((2, 2))
    return types


def _embed_checked(embed: EmbedFn, texts: list[str], dim: int | None) -> np.ndarray:
    """Call ``embed`` and check it returned a (len(texts), d) float array; returns float32."""
    if not texts:
        return np.zeros((0, dim or 0), dtype=np.float32)
    vecs = np.asarray(embed(texts), dtype=np.float32)
    if vecs.ndim != 2 or vecs.shape[0] != len(texts) or (dim is not None and vecs.shape[1] != dim):
        raise ValueError(f"embed() returned shape {vecs.shape} for {len(texts)} texts")
    return vecs


def _span_sums(x: np.ndarray, k: int) -> np.ndarray:
    """Sums of ``k`` consecutive rows/elements: shape (len(x) - k + 1, ...)."""
    c = np.concatenate([np.zeros((1,) + x.shape[1:], x.dtype), np.cumsum(x, axis=0)])
    return c[k:] - c[:-k]


def _take(x: "np.ndarray | SpanVectors", idx: np.ndarray) -> np.ndarray:
    """Rows ``idx`` of an embedding array or :class:`SpanVectors` (NaN rows where not embedded)."""
    if isinstance(x, SpanVectors):
        return x.take(idx)
    return x[idx]


class SpanVectors:
    """Embeddings of the runs of ``k`` consecutive sentences starting at 0..count-1, stored compactly.

    Only some runs may be embedded (lazy spans); indexing gives float32 rows,
    NaN for runs that were not embedded. ``x[q]`` is (d,), ``x[q0:q1]`` is
    (q1 - q0, d) (a fresh array); ``present`` is the bool mask (count,).
    """

    def __init__(self, count: int, dim: int, positions: np.ndarray, vecs: np.ndarray) -> None:
        self.count, self.dim = count, dim
        self.slot = np.full(count, -1, dtype=np.int64)  # position -> row of vecs, -1 = not embedded
        self.slot[positions] = np.arange(len(positions))
        self.vecs = np.ascontiguousarray(vecs, dtype=np.float32)

    @property
    def present(self) -> np.ndarray:
        """Bool mask (count,) of the runs that were embedded."""
        return self.slot >= 0

    def __len__(self) -> int:
        return self.count

    def take(self, idx: np.ndarray) -> np.ndarray:
        """Rows for start positions ``idx`` (int array), float32 (len(idx), d), NaN where not embedded."""
        slots = self.slot[idx]
        out = np.full((len(slots), self.dim), np.nan, dtype=np.float32)
        ok = slots >= 0
        out[ok] = self.vecs[slots[ok]]
        return out

    def __getitem__(self, key: int | slice) -> np.ndarray:
        if isinstance(key, slice):
            slots = self.slot[key]
            out = np.full((len(slots), self.dim), np.nan, dtype=np.float32)
            ok = slots >= 0
            out[ok] = self.vecs[slots[ok]]
            return out
        q = int(key)
        if not 0 <= q < self.count:
            raise IndexError(q)
        k = self.slot[q]
        return self.vecs[k] if k >= 0 else np.full(self.dim, np.nan, dtype=np.float32)


#: Names of the signals of a bead with both sides (the gain and score models' inputs).
MATCH_SIGNALS = (
    "cos", "margin", "part_min", "part_max", "len_z", "len_abs", "len_sq", "short", "n_extra", "is_2_2",
    "margin_extra",
) + LEXICAL_SIGNALS
#: Bead shapes with an indicator signal of their own (a learned prior per shape); 2-2 is ``is_2_2``.
SHAPE_PRIORS = ((1, 2), (2, 1), (1, 3), (3, 1), (1, 4), (4, 1))
#: Names of the signals that compare a bead with the beads it could be split into.
STRUCTURE_SIGNALS = ("edge_min", "cross_2_2") + tuple(f"shape_{a}_{b}" for a, b in SHAPE_PRIORS)
#: Names of the signals from sentences that continue the previous one (see :func:`continues_previous`).
CONTINUATION_SIGNALS = ("cont_start", "cont_diff", "cont_inside")
MATCH_SIGNALS = MATCH_SIGNALS + STRUCTURE_SIGNALS + CONTINUATION_SIGNALS + ("cos_mean", "cos_mean_extra")
#: Names of the signals of a 1-0 or 0-1 bead.
SKIP_SIGNALS = ("best_cos", "best_margin", "is_src", "short", "lex_mass", "best_lex", "cont")


@dataclass
class AlignmentContext:
    """Everything the second pass needs about one document pair, computed once.

    Built by :func:`prepare_alignment`. Arrays are indexed by 0-based sentence
    position; ``*_vecs[k][q]`` is the float32 (d,) embedding of sentences
    ``q..q+k-1`` joined, ``*_r[k][q]`` that span's mean cosine to its ``top_k``
    nearest single sentences on the other side, ``*_chars[k][q]`` its length in
    characters. ``lo``/``hi`` (n + 1,) is the first-pass band. ``mu``/``sigma``:
    the document's log length-ratio model (target over source, from anchors).
    ``lex``: shared numbers, names and cognates (:mod:`align.lexical`), None
    when ``settings.lexical`` is off.
    """

    n: int
    m: int
    settings: AlignerSettings
    src_vecs: dict[int, "np.ndarray | SpanVectors"]
    tgt_vecs: dict[int, "np.ndarray | SpanVectors"]
    src_r: dict[int, np.ndarray]
    tgt_r: dict[int, np.ndarray]
    src_chars: dict[int, np.ndarray]
    tgt_chars: dict[int, np.ndarray]
    neighbours: Neighbours
    anchors: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    mu: float
    sigma: float
    strings_encoded: int
    timings: dict[str, float]
    lex: LexicalIndex | None = None
    _skip_lex: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    src_cont: np.ndarray | None = None
    tgt_cont: np.ndarray | None = None

    def match_signals(self, a: int, b: int, p: int, q0: int, q1: int) -> dict[str, np.ndarray]:
        """Signals of the beads (source p..p+a-1, target q..q+b-1) for q in q0..q1 (a, b >= 1).

        Float64 arrays of shape (q1 - q0 + 1,); see :meth:`pair_signals`.
        """
        qs = np.arange(q0, q1 + 1)
        return self.pair_signals(a, b, np.full(len(qs), p), qs)

    def pair_signals(self, a: int, b: int, ps: np.ndarray, qs: np.ndarray) -> dict[str, np.ndarray]:
        """Signals of the beads (source ps[r]..ps[r]+a-1, target qs[r]..qs[r]+b-1), a, b >= 1.

        ``ps``/``qs``: int arrays (k,) of 0-based start positions. Returns float64
        arrays (k,): ``cos`` (cosine of the two spans' embeddings, NaN when a span
        was not embedded), ``margin`` (cos minus the mean of both spans'
        neighbourhood similarity), ``part_min`` (lowest cosine of one sentence of a
        multi-sentence side to the whole other side: low when a glued sentence does
        not belong), ``part_max`` (cos minus the highest such cosine: how much the
        whole beats its best part), ``len_z`` (log length ratio standardised by the
        document's model), ``len_abs`` (|len_z| capped at 4), ``len_sq``,
        ``short`` (log1p of the shorter side's characters), ``n_extra`` (a + b - 2),
        ``is_2_2``, ``margin_extra`` (margin * n_extra), and with ``lex`` the
        :data:`align.lexical.LEXICAL_SIGNALS`.
        """
        ps = np.asarray(ps, dtype=np.int64)
        qs = np.asarray(qs, dtype=np.int64)
        sv = _take(self.src_vecs[a], ps)
        tv = _take(self.tgt_vecs[b], qs)
        cos = np.einsum("ij,ij->i", sv, tv).astype(np.float64)
        margin = cos - 0.5 * (self.src_r[a][ps] + self.tgt_r[b][qs])
        part_min = cos.copy()
        part_max = np.full(len(cos), -1.0) if a + b > 2 else cos.copy()
        if a > 1:  # each source sentence against the target span
            for u in range(a):
                c = np.einsum("ij,ij->i", self.src_vecs[1][ps + u], tv).astype(np.float64)
                part_min, part_max = np.minimum(part_min, c), np.maximum(part_max, c)
        if b > 1:  # each target sentence against the source span
            for u in range(b):
                c = np.einsum("ij,ij->i", self.tgt_vecs[1][qs + u], sv).astype(np.float64)
                part_min, part_max = np.minimum(part_min, c), np.maximum(part_max, c)
        tch = self.tgt_chars[b][qs]
        sch = self.src_chars[a][ps]
        z = (np.log1p(tch) - np.log1p(sch) - self.mu) / self.sigma
        za = np.minimum(np.abs(z), 4.0)
        def cos_at(a2: int, b2: int, dp: int, dq: int) -> np.ndarray:
            ok = (ps + dp + a2 <= self.n) & (qs + dq + b2 <= self.m)
            out = np.full(len(ps), np.nan)
            if ok.any():
                out[ok] = np.einsum("ij,ij->i", _take(self.src_vecs[a2], ps[ok] + dp),
                                    _take(self.tgt_vecs[b2], qs[ok] + dq))
            return out

        lex = structure_signals(a, b, cos, cos_at) if self.settings.split_signals else {}
        if self.settings.mean_span_cos:
            sm = np.stack([_mean_span_rows(self.src_vecs[1], int(p), 1, a)[0] for p in ps]) if len(ps) else None
            tm = np.stack([_mean_span_rows(self.tgt_vecs[1], int(q), 1, b)[0] for q in qs]) if len(qs) else None
            if sm is not None:
                lex |= _mean_cos_signals(a, b, sm, tm, rowwise=True)
        if self.src_cont is not None:
            lex |= continuation_signals(
                a, b, self.src_cont[ps], self.tgt_cont[qs],
                _span_sums(self.src_cont, a)[ps] - self.src_cont[ps], _span_sums(self.tgt_cont, b)[qs] - self.tgt_cont[qs])
        if self.lex is not None:
            lex |= lexical_signals(span_shared(self.lex, a, b, ps, qs),
                                  _span_sums(self.lex.src_mass, a)[ps], _span_sums(self.lex.tgt_mass, b)[qs])
        return lex | {
            "cos": cos,
            "margin": margin,
            "part_min": part_min,
            "part_max": cos - part_max,
            "len_z": z,
            "len_abs": za,
            "len_sq": za * za,
            "short": np.log1p(np.minimum(tch, sch)),
            "n_extra": np.full(len(cos), float(a + b - 2)),
            "is_2_2": np.full(len(cos), float(a == 2 and b == 2)),
            "margin_extra": margin * float(a + b - 2),
        }

    def skip_signals(self, side: str) -> dict[str, np.ndarray]:
        """Signals of leaving each sentence of ``side`` (``"src"``/``"tgt"``) unaligned, arrays (n,) or (m,).

        ``best_cos``: cosine to its nearest sentence on the other side;
        ``best_margin``: that cosine minus the mean neighbourhood similarity of
        both sentences; ``is_src``: 1 for source sentences; with ``lex``,
        ``lex_mass`` (log1p of the sentence's lexical token weight) and
        ``best_lex`` (its best lexical Dice with those nearest neighbours).
        """
        nb = self.neighbours
        sims, idx = (nb.s2t_sim, nb.s2t_idx) if side == "src" else (nb.t2s_sim, nb.t2s_idx)
        own_r = self.src_r[1] if side == "src" else self.tgt_r[1]
        other_r = self.tgt_r[1] if side == "src" else self.src_r[1]
        best = np.nan_to_num(sims[:, 0], nan=0.0).astype(np.float64)
        best_margin = best - 0.5 * (own_r + other_r[np.maximum(idx[:, 0], 0)])
        chars = self.src_chars[1] if side == "src" else self.tgt_chars[1]
        lex = {}
        if self.lex is not None and self.settings.lexical_unaligned:
            if side not in self._skip_lex:
                self._skip_lex[side] = best_neighbour_dice(self.lex, side, idx)
            mass = self.lex.src_mass if side == "src" else self.lex.tgt_mass
            lex = {"lex_mass": np.log1p(mass), "best_lex": self._skip_lex[side]}
        if self.src_cont is not None:
            lex["cont"] = self.src_cont if side == "src" else self.tgt_cont
        return lex | {
            "best_cos": best,
            "best_margin": best_margin,
            "is_src": np.full(len(best), float(side == "src")),
            "short": np.log1p(chars),
        }


def prepare_alignment(
    src: Sequence[str],
    tgt: Sequence[str],
    embed: EmbedFn,
    settings: AlignerSettings,
    calibration: Calibration | None = None,
) -> AlignmentContext:
    """Embed, search neighbours in FAISS, find anchors and the band, embed spans (steps 1-3).

    Both sides must be non-empty. See :func:`align_segments` for the arguments.
    With ``settings.lazy_spans``, a first DP over 1-1/1-0/0-1 beads only decides
    which sentences are uncertain, and only spans touching those are embedded;
    beads using any other span are not allowed (their signals are NaN).
    """
    cal = calibration or packaged_calibration()
    n, m = len(src), len(tgt)
    timings: dict[str, float] = {}
    t = time.perf_counter()
    src_1 = _embed_checked(embed, list(src), None)
    tgt_1 = _embed_checked(embed, list(tgt), src_1.shape[1])
    timings["embed_single"] = time.perf_counter() - t

    t = time.perf_counter()
    nb = search_neighbours(src_1, tgt_1, settings.top_k, exact_limit=settings.exact_search_limit,
                           window=settings.search_window, min_cos=settings.anchor_min_cos)
    r_src, r_tgt = nb.mean_sim("src"), nb.mean_sim("tgt")
    if settings.anchors:
        anchors = longest_monotone_chain(mutual_best_pairs(nb, settings.anchor_min_cos))
    else:
        anchors = np.zeros((0, 2), dtype=np.int64)
    lo, hi = band_from_anchors(anchors, n, m, settings.band, settings.max_band)
    mu, sigma = _length_model(src, tgt, anchors)
    lex = build_lexical_index(src, tgt, settings.lexical_prefix) if settings.lexical else None
    ctx = AlignmentContext(
        n=n, m=m, settings=settings,
        src_vecs={1: src_1}, tgt_vecs={1: tgt_1}, src_r={1: r_src}, tgt_r={1: r_tgt},
        src_chars=_span_chars(src, settings.max_src), tgt_chars=_span_chars(tgt, settings.max_tgt),
        neighbours=nb, anchors=anchors, lo=lo, hi=hi, mu=mu, sigma=sigma,
        strings_encoded=n + m, timings=timings, lex=lex,
    )
    if settings.continuation and _is_cased(src) and _is_cased(tgt):
        # float64 (n,)/(m,): 1.0 for a sentence that continues the previous one
        ctx.src_cont = np.array([continues_previous(t) for t in src], dtype=np.float64)
        ctx.tgt_cont = np.array([continues_previous(t) for t in tgt], dtype=np.float64)
    timings["first_pass"] = time.perf_counter() - t

    want_s = want_t = None
    if settings.lazy_spans and (settings.max_src > 1 or settings.max_tgt > 1):
        t = time.perf_counter()
        want_s, want_t = _uncertain_sentences(ctx, cal)
        timings["one_to_one_pass"] = time.perf_counter() - t

    t = time.perf_counter()
    src_vecs, n_enc_s = _span_vectors(src, src_1, settings.max_src, embed, want_s)
    tgt_vecs, n_enc_t = _span_vectors(tgt, tgt_1, settings.max_tgt, embed, want_t)
    timings["embed_spans"] = time.perf_counter() - t

    t = time.perf_counter()
    if settings.span_neighbours:
        src_r = _span_neighbour_means(src_vecs, tgt_1, r_src, settings.top_k, lo, hi, settings)
        tgt_r = _span_neighbour_means(tgt_vecs, src_1, r_tgt, settings.top_k, *_transpose_band(lo, hi, m),
                                      settings)
    else:
        src_r = {k: _span_sums(r_src, k) / k for k in src_vecs}
        tgt_r = {k: _span_sums(r_tgt, k) / k for k in tgt_vecs}
    timings["span_neighbours"] = time.perf_counter() - t
    ctx.src_vecs, ctx.tgt_vecs, ctx.src_r, ctx.tgt_r = src_vecs, tgt_vecs, src_r, tgt_r
    ctx.strings_encoded = n + m + n_enc_s + n_enc_t
    return ctx


def _uncertain_sentences(ctx: AlignmentContext, cal: Calibration) -> tuple[np.ndarray, np.ndarray]:
    """Bool masks (n,), (m,) of sentences whose alignment a 1-1/1-0/0-1 pass leaves in doubt.

    A sentence is in doubt when its bead in that pass is a deletion or a 1-1
    bead whose gain is below ``settings.confident_gain`` or whose margin is
    below ``settings.confident_margin``. Every span containing
    a doubtful sentence is then embedded, so it can still be glued to any neighbour.
    """
    s = ctx.settings
    spans = align_prepared(ctx, cal, types=[(1, 0), (1, 1)])
    doubt_s = np.zeros(ctx.n, dtype=bool)
    doubt_t = np.zeros(ctx.m, dtype=bool)
    ones = [(s0, q0) for s0, s1, q0, q1 in spans if s1 - s0 == 1 and q1 - q0 == 1]
    for s0, s1, q0, q1 in spans:
        if s1 == s0:
            doubt_t[q0:q1] = True
        elif q1 == q0:
            doubt_s[s0:s1] = True
    if ones:
        idx = np.array(ones)
        sig = ctx.pair_signals(1, 1, idx[:, 0], idx[:, 1])
        if uses_learned_gain(s, cal):
            g = cal.gain.logit(sig)
        else:
            g = heuristic_gain(sig, s)
        weak = (g < s.confident_gain) | (sig["margin"] < s.confident_margin)
        doubt_s[idx[weak, 0]] = True
        doubt_t[idx[weak, 1]] = True
    return doubt_s, doubt_t


def uses_learned_gain(settings: AlignerSettings, calibration: Calibration) -> bool:
    """Whether the DP scores beads with ``calibration``'s gain models or :func:`heuristic_gain`.

    ``"learned"`` and ``"heuristic"`` force one; ``"auto"`` uses the learned gains
    when the calibration was fitted on gold alignments (with some encoder: the
    caller picks the calibration fitted for its encoder), else the heuristic ones.
    """
    if settings.gain == "auto":
        return calibration.fitted
    return settings.gain == "learned"


def heuristic_gain(sig: Mapping[str, np.ndarray], settings: AlignerSettings) -> np.ndarray:
    """Hand-set gain of beads with both sides (used when ``settings.gain == "heuristic"``).

    ``margin`` (or plain ``cos`` when ``settings.margin`` is 0), minus
    ``many_penalty`` per sentence beyond two; float64 array like the signals.
    """
    g = sig["cos"] - settings.margin * (sig["cos"] - sig["margin"])
    return g - settings.many_penalty * sig["n_extra"]


def align_prepared(
    ctx: AlignmentContext,
    calibration: Calibration,
    *,
    lo: np.ndarray | None = None,
    hi: np.ndarray | None = None,
    types: Sequence[tuple[int, int]] | None = None,
) -> list[tuple[int, int, int, int]]:
    """Run the banded DP (step 4) on a prepared context; returns spans as in :func:`align.dp.banded_dp`.

    ``lo``/``hi`` override the first-pass band (e.g. a full table for baselines);
    ``types`` the bead shapes (default :func:`bead_types`). Beads over spans that
    were not embedded (NaN signals) are not allowed.
    With learned gains (:func:`uses_learned_gain`) a bead's gain is the
    calibration's gain model's linear score plus ``gain_offset``; otherwise
    :func:`heuristic_gain` and ``settings.skip``.
    """
    s = ctx.settings
    lo = ctx.lo if lo is None else lo
    hi = ctx.hi if hi is None else hi
    types = bead_types(s) if types is None else list(types)
    if uses_learned_gain(s, calibration):
        off = s.gain_offset
        # broadcast: a skip model without weights gives one number for every sentence
        skip_src = np.broadcast_to(calibration.gain_skip.logit(ctx.skip_signals("src")) + off, (ctx.n,))
        skip_tgt: float | np.ndarray = np.broadcast_to(calibration.gain_skip.logit(ctx.skip_signals("tgt")) + off,
                                                       (ctx.m,))
        model = calibration.gain

        def score(sig: Mapping[str, np.ndarray]) -> np.ndarray:
            return model.logit(sig) + off
    else:
        skip_src = np.full(ctx.n, s.skip)
        skip_tgt = s.skip

        def score(sig: Mapping[str, np.ndarray]) -> np.ndarray:
            return heuristic_gain(sig, s)

    table = _GainBlocks(ctx, lo, hi, types, score, skip_src)
    # Many small matrix products: BLAS threads only add synchronisation cost here.
    with threadpool_limits(limits=1):
        return banded_dp(ctx.n, ctx.m, lo, hi, types, table.gain, skip_tgt)


class _GainBlocks:
    """Bead gains computed a block of source rows at a time, as dense matrices.

    For source start positions ``p`` in a block of ``block`` rows and every
    target start ``q`` the band can reach from them, the cosines of every bead
    shape come from one matrix product per shape (BLAS), and the signals of
    :meth:`AlignmentContext.match_signals` are computed on whole matrices; the
    DP then only slices rows out (:meth:`gain`). Same values as
    ``match_signals``, without a Python call per row and shape.
    """

    def __init__(self, ctx: AlignmentContext, lo: np.ndarray, hi: np.ndarray,
                 types: Sequence[tuple[int, int]], score: Callable, skip_src: np.ndarray,
                 block: int = 64) -> None:
        self.ctx, self.lo, self.hi, self.score, self.skip_src = ctx, lo, hi, score, skip_src
        self.types = [t for t in types if t[1] > 0]
        self.block = block
        self.max_a = max([a for a, _ in types] + [1])
        self.max_b = max([b for _, b in types] + [1])
        self._cache: dict[int, tuple[int, dict[tuple[int, int], np.ndarray]]] = {}
        # per-sentence arrays summed over runs of k sentences, once (not per block: that is quadratic)
        self.sums: dict[tuple[str, int], np.ndarray] = {}
        per_sentence = {}
        if ctx.lex is not None:
            per_sentence |= {"src_mass": ctx.lex.src_mass, "tgt_mass": ctx.lex.tgt_mass}
        if ctx.src_cont is not None:
            per_sentence |= {"src_cont": ctx.src_cont, "tgt_cont": ctx.tgt_cont}
        for name, x in per_sentence.items():
            for k in range(1, (self.max_a if name.startswith("src") else self.max_b) + 1):
                self.sums[(name, k)] = _span_sums(x, k)

    def gain(self, a: int, b: int, p: int, q0: int, q1: int) -> np.ndarray:
        """Gains of beads (a, b) starting at source ``p`` and target ``q0..q1``; float64 (q1 - q0 + 1,)."""
        if b == 0:
            return np.full(q1 - q0 + 1, self.skip_src[p])
        k = p // self.block
        if k not in self._cache:
            if len(self._cache) >= 3:
                del self._cache[min(self._cache)]
            self._cache[k] = self._compute(k)
        c0, mats = self._cache[k]
        return mats[(a, b)][p - k * self.block, q0 - c0 : q1 - c0 + 1]

    def _compute(self, k: int) -> tuple[int, dict[tuple[int, int], np.ndarray]]:
        ctx = self.ctx
        p0 = k * self.block
        p1 = min(p0 + self.block, ctx.n)  # source starts p0..p1-1
        c0 = max(int(self.lo[p0:p1 + self.max_a].min()) - self.max_b, 0)
        c1 = min(int(self.hi[p0:min(p1 + self.max_a, ctx.n) + 1].max()), ctx.m)  # target starts c0..c1-1
        ra, cb = p1 - p0, max(c1 - c0, 0)
        cos: dict[tuple[int, int], np.ndarray] = {}

        def sims(a: int, b: int, rows: int, cols: int) -> np.ndarray:
            """Cosines of spans (a at p0.., b at c0..) as a (rows, cols) float64 matrix, NaN outside."""
            key = (a, b, rows, cols)
            if key not in cos:
                out = np.full((rows, cols), np.nan)
                sv = ctx.src_vecs[a][p0 : p0 + rows]
                tv = ctx.tgt_vecs[b][c0 : c0 + cols]
                # only spans that were embedded (lazy spans leave NaN rows): one BLAS product on those
                rs = np.nonzero(~np.isnan(sv[:, 0]))[0] if a > 1 else np.arange(len(sv))
                cs = np.nonzero(~np.isnan(tv[:, 0]))[0] if b > 1 else np.arange(len(tv))
                if len(rs) == len(sv) and len(cs) == len(tv):
                    out[: len(sv), : len(tv)] = sv @ tv.T
                elif len(rs) and len(cs):
                    out[np.ix_(rs, cs)] = sv[rs] @ tv[cs].T
                cos[key] = out
            return cos[key]

        shared = None
        if ctx.lex is not None:  # shared token weight of every sentence pair the block can touch
            shared = sentence_overlap(ctx.lex, p0, p1 + self.max_a - 1, c0, c1 + self.max_b - 1)
        mats = {}
        for a, b in self.types:
            c = sims(a, b, ra, cb)
            sr = _pad(ctx.src_r[a][p0:p1], ra)
            tr = _pad(ctx.tgt_r[b][c0:c1], cb)
            margin = c - 0.5 * (sr[:, None] + tr[None, :])
            part_min = c.copy()
            part_max = np.full_like(c, -1.0) if a + b > 2 else c.copy()
            if a > 1:
                ext = sims(1, b, ra + a - 1, cb)
                for u in range(a):
                    part_min = np.minimum(part_min, ext[u : u + ra])
                    part_max = np.maximum(part_max, ext[u : u + ra])
            if b > 1:
                ext = sims(a, 1, ra, cb + b - 1)
                for u in range(b):
                    part_min = np.minimum(part_min, ext[:, u : u + cb])
                    part_max = np.maximum(part_max, ext[:, u : u + cb])
            sch = _pad(ctx.src_chars[a][p0:p1], ra)
            tch = _pad(ctx.tgt_chars[b][c0:c1], cb)
            z = (np.log1p(tch)[None, :] - np.log1p(sch)[:, None] - ctx.mu) / ctx.sigma
            za = np.minimum(np.abs(z), 4.0)
            short = np.log1p(np.minimum(tch[None, :], sch[:, None]))
            sig = {
                "cos": c, "margin": margin, "part_min": part_min, "part_max": c - part_max,
                "len_z": z, "len_abs": za, "len_sq": za * za, "short": short,
                "n_extra": float(a + b - 2), "is_2_2": float(a == 2 and b == 2),
                "margin_extra": margin * float(a + b - 2),
            }
            if ctx.settings.mean_span_cos:
                sig |= _mean_cos_signals(a, b, _mean_span_rows(ctx.src_vecs[1], p0, ra, a),
                                         _mean_span_rows(ctx.tgt_vecs[1], c0, cb, b).T)
            if ctx.settings.split_signals:
                sig |= structure_signals(
                    a, b, c, lambda a2, b2, dp, dq: sims(a2, b2, ra + dp, cb + dq)[dp : dp + ra, dq : dq + cb])
            if ctx.src_cont is not None:
                sc, tc = _pad(ctx.src_cont[p0:p1], ra), _pad(ctx.tgt_cont[c0:c1], cb)
                si = _pad(self.sums[("src_cont", a)][p0:p1], ra) - sc
                ti = _pad(self.sums[("tgt_cont", b)][c0:c1], cb) - tc
                sig |= continuation_signals(a, b, sc[:, None], tc[None, :], si[:, None], ti[None, :])
            if shared is not None:
                sm = _pad(self.sums[("src_mass", a)][p0:p1], ra)
                tm = _pad(self.sums[("tgt_mass", b)][c0:c1], cb)
                sig |= lexical_signals(_pad2(box_sums(shared, a, b), ra, cb), sm[:, None], tm[None, :])
            g = self.score(sig)
            mats[(a, b)] = np.where(np.isnan(g), -np.inf, g)
        return c0, mats


def structure_signals(a: int, b: int, cos: np.ndarray, cos_at: Callable[[int, int, int, int], np.ndarray]
                      ) -> dict[str, np.ndarray]:
    """Signals comparing beads of shape (a, b) with the smaller beads they could be split into.

    ``cos``: the beads' cosines (any array shape); ``cos_at(a2, b2, dp, dq)``:
    cosines, same shape, of the spans of ``a2`` source sentences starting ``dp``
    after the bead's start and ``b2`` target sentences starting ``dq`` after
    (NaN where not embedded). ``edge_min``: the least a multi-sentence side's
    edge sentence adds, ``cos`` minus the cosine without it (0 for 1-1 beads;
    low when a glued sentence does not belong). ``cross_2_2`` (2-2 only): how much
    the crossed sentence pairs beat the weaker straight pair (high when content
    moved across the sentence boundary, so two 1-1 beads would be wrong).
    ``shape_A_B``: 1 for that bead shape (a prior per shape, learned).
    """
    drops = []
    if a > 1:
        drops += [cos - cos_at(a - 1, b, 1, 0), cos - cos_at(a - 1, b, 0, 0)]
    if b > 1:
        drops += [cos - cos_at(a, b - 1, 0, 1), cos - cos_at(a, b - 1, 0, 0)]
    if drops:
        low = np.where(np.isnan(drops[0]), np.inf, drops[0])
        for d in drops[1:]:
            low = np.minimum(low, np.where(np.isnan(d), np.inf, d))
        edge = np.where(np.isnan(cos), np.nan, np.where(np.isinf(low), 0.0, low))  # no part embedded: 0
    else:
        edge = np.zeros_like(cos)
    if a == 2 and b == 2:
        straight = np.minimum(cos_at(1, 1, 0, 0), cos_at(1, 1, 1, 1))
        cross = np.maximum(cos_at(1, 1, 0, 1), cos_at(1, 1, 1, 0)) - straight
    else:
        cross = np.zeros_like(cos)
    out: dict[str, np.ndarray] = {"edge_min": edge, "cross_2_2": cross}
    for sa, sb in SHAPE_PRIORS:
        out[f"shape_{sa}_{sb}"] = np.full(np.shape(cos), float((a, b) == (sa, sb)))
    return out


def continues_previous(text: str) -> bool:
    """True when a sentence reads as the continuation of the previous one.

    Its first letter or digit is lower-case (Unicode case, so scripts without
    case never count), or it has no letter or digit at all (``"!"``, ``"» ."``).
    Such a sentence is five times as likely as a capitalised one to share its
    gold bead with the previous sentence on Text+Berg (60 of 161 against 140 of 1814).

    >>> continues_previous("maillons rapides vorhanden )"), continues_previous("Nous continuons"), \
    ...     continues_previous("!"), continues_previous("大模型")
    (True, False, True, False)
    """
    for ch in text:
        if ch.isalnum():
            return ch.islower()
    return True


def _is_cased(texts: Sequence[str]) -> bool:
    """True when most sentences start (first letter or digit) with an upper- or lower-case letter.

    Continuation signals need case on both sides: in a caseless script (Chinese)
    no sentence could be seen to continue, which would make every English
    lower-case start look like a mismatch.
    """
    cased = 0
    for text in texts:
        ch = next((c for c in text if c.isalnum()), "")
        cased += ch.isupper() or ch.islower()
    return cased * 2 > len(texts)


def continuation_signals(a: int, b: int, src_cont: np.ndarray, tgt_cont: np.ndarray,
                         src_inside: np.ndarray, tgt_inside: np.ndarray) -> dict[str, np.ndarray]:
    """Bead signals from continuation sentences (float arrays that broadcast to one shape).

    ``*_cont``: 1.0 where the bead's first sentence on that side continues the
    previous one; ``*_inside``: how many of its other sentences do. ``cont_start``
    (0-2): sides whose first sentence continues (the bead cuts a sentence in two);
    ``cont_diff``: 1 when exactly one side does; ``cont_inside``: continuation
    sentences the bead keeps with their predecessor.
    """
    start = src_cont + tgt_cont
    return {
        "cont_start": start,
        "cont_diff": np.abs(src_cont - tgt_cont),
        "cont_inside": (src_inside if a > 1 else 0.0) + (tgt_inside if b > 1 else 0.0) + 0.0 * start,
    }


def _mean_span_rows(vecs: np.ndarray, start: int, count: int, k: int) -> np.ndarray:
    """L2-normalised means of the single-sentence embeddings of runs of ``k`` sentences.

    Runs start at ``start .. start + count - 1``; float64 (count, d), NaN rows for
    runs that pass the end of ``vecs`` (n, d).
    """
    n, d = vecs.shape
    out = np.full((count, d), np.nan)
    ok = max(min(count, n - k + 1 - start), 0)
    if ok:
        acc = np.zeros((ok, d))
        for u in range(k):
            acc += vecs[start + u : start + u + ok]
        out[:ok] = acc / np.maximum(np.linalg.norm(acc, axis=1, keepdims=True), 1e-12)
    return out


def _mean_cos_signals(a: int, b: int, src_mean: np.ndarray, tgt_mean: np.ndarray,
                      rowwise: bool = False) -> dict[str, np.ndarray]:
    """``cos_mean``: cosine of the two sides' mean sentence embeddings (a second view of a
    multi-sentence span, next to the embedding of its concatenation); ``cos_mean_extra``:
    the same times the sentences beyond two. ``src_mean`` (r, d); ``tgt_mean`` (d, c), or (r, d) with ``rowwise``."""
    c = np.einsum("ij,ij->i", src_mean, tgt_mean) if rowwise else src_mean @ tgt_mean
    return {"cos_mean": c, "cos_mean_extra": c * float(a + b - 2)}


def _pad(x: np.ndarray, size: int) -> np.ndarray:
    """``x`` as float64, padded with NaN to length ``size``."""
    out = np.full(size, np.nan)
    out[: len(x)] = x[:size]
    return out


def _pad2(x: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """``x`` as float64 (rows, cols): cropped, or padded with NaN."""
    out = np.full((rows, cols), np.nan)
    r, c = min(rows, x.shape[0]), min(cols, x.shape[1])
    out[:r, :c] = x[:r, :c]
    return out


def make_beads(
    ctx: AlignmentContext, spans: Sequence[tuple[int, int, int, int]], calibration: Calibration
) -> tuple[Bead, ...]:
    """Beads with their signals and calibrated scores for DP output ``spans`` (step 5).

    Signals are computed per bead shape in one vectorised call each.
    """
    spans = list(spans)
    skip_sig = {"src": ctx.skip_signals("src"), "tgt": ctx.skip_signals("tgt")}
    by_shape: dict[tuple[int, int], list[int]] = {}
    for r, (s0, s1, q0, q1) in enumerate(spans):
        by_shape.setdefault((s1 - s0, q1 - q0), []).append(r)
    signals: list[dict[str, float]] = [{}] * len(spans)
    scores = np.zeros(len(spans))
    for (a, b), rows in by_shape.items():
        starts = np.array([(spans[r][0], spans[r][2]) for r in rows], dtype=np.int64)
        if a and b:
            sig = ctx.pair_signals(a, b, starts[:, 0], starts[:, 1])
            model = calibration.gain
            platt = calibration.match
        else:
            side, col = ("src", 0) if a else ("tgt", 1)
            sig = {k: v[starts[:, col]] for k, v in skip_sig[side].items()}
            model = calibration.gain_skip
            platt = calibration.skip
        scores[rows] = platt.predict({"logit": model.logit(sig)})
        names = list(sig)
        table = np.column_stack([np.asarray(sig[k], dtype=np.float64) for k in names]).tolist()
        for r, values in zip(rows, table):
            signals[r] = dict(zip(names, values))
    return tuple(
        Bead(
            src=tuple(range(s0, s1)),
            tgt=tuple(range(q0, q1)),
            score=float(scores[r]),
            sim=float(signals[r].get("cos", 0.0)) if (s1 > s0 and q1 > q0) else 0.0,
            signals=signals[r],
        )
        for r, (s0, s1, q0, q1) in enumerate(spans)
    )


def align_segments(
    src: Sequence[str],
    tgt: Sequence[str],
    embed: EmbedFn,
    settings: AlignerSettings,
    *,
    calibration: Calibration | None = None,
) -> AlignmentResult:
    """Align two sentence sequences (their comparison forms) into ordered beads.

    ``src``/``tgt``: sentences in document order (indices in the beads are
    0-based positions in these sequences). ``embed(texts)`` must return a
    float32 array (len(texts), d) of L2-normalised rows; it is called for single
    sentences and for concatenations of up to ``max_src``/``max_tgt``
    consecutive sentences (see :func:`join_sentences`). ``calibration``
    defaults to the packaged one (gain and score models). Every sentence of both
    sides ends up in exactly one bead; an untranslated sentence is a 1-0 (or 0-1) bead.
    """
    cal = calibration or packaged_calibration()
    n, m = len(src), len(tgt)
    if n == 0 or m == 0:
        empty = {"best_cos": 0.0, "best_margin": 0.0}
        beads = tuple(
            Bead(src=(i,), tgt=(), score=cal.score(empty | {"is_src": 1.0}, True), sim=0.0,
                 signals=empty | {"is_src": 1.0})
            for i in range(n)
        ) + tuple(
            Bead(src=(), tgt=(j,), score=cal.score(empty | {"is_src": 0.0}, True), sim=0.0,
                 signals=empty | {"is_src": 0.0})
            for j in range(m)
        )
        return AlignmentResult(beads=beads, stats={"n_src": n, "n_tgt": m, "strings_encoded": 0, "seconds": {}})
    ctx = prepare_alignment(src, tgt, embed, settings, cal)
    t = time.perf_counter()
    spans = align_prepared(ctx, cal)
    ctx.timings["dp"] = time.perf_counter() - t
    t = time.perf_counter()
    beads = make_beads(ctx, spans, cal)
    ctx.timings["score"] = time.perf_counter() - t
    stats = {
        "n_src": n,
        "n_tgt": m,
        "strings_encoded": ctx.strings_encoded,
        "anchors": int(len(ctx.anchors)),
        "band_cells": int((ctx.hi - ctx.lo + 1).sum()),
        "length_model": {"mu": round(ctx.mu, 4), "sigma": round(ctx.sigma, 4)},
        "gain": "learned" if uses_learned_gain(settings, cal) else "heuristic",
        "seconds": {k: round(v, 4) for k, v in ctx.timings.items()},
    }
    return AlignmentResult(beads=beads, stats=stats)


def _span_vectors(
    texts: Sequence[str], singles: np.ndarray, max_k: int, embed: EmbedFn, wanted: np.ndarray | None = None
) -> tuple[dict[int, "np.ndarray | SpanVectors"], int]:
    """Embeddings of runs of k consecutive sentences, k = 1..max_k.

    Returns ``{1: singles, k: SpanVectors}`` (rows for runs starting at
    0..len(texts)-k) and the number of strings passed to ``embed``. With
    ``wanted`` (bool (len,)), only runs containing a wanted sentence are embedded.
    """
    out: dict[int, np.ndarray | SpanVectors] = {1: singles}
    d = singles.shape[1]
    n = len(texts)
    hits = None if wanted is None else np.concatenate([[0], np.cumsum(wanted)])
    strings: list[str] = []
    where: dict[int, np.ndarray] = {}
    for k in range(2, max_k + 1):
        count = max(n - k + 1, 0)
        starts = np.arange(count)
        if hits is not None:
            starts = starts[hits[starts + k] > hits[starts]]
        where[k] = starts
        strings += [join_sentences(texts[q : q + k]) for q in starts.tolist()]
    vecs = _embed_checked(embed, strings, d) if strings else np.zeros((0, d), np.float32)
    pos = 0
    for k in range(2, max_k + 1):
        count = max(n - k + 1, 0)
        out[k] = SpanVectors(count, d, where[k], vecs[pos : pos + len(where[k])])
        pos += len(where[k])
    return out, len(strings)


def _transpose_band(lo: np.ndarray, hi: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray]:
    """The band seen from the target side: for each target prefix j, the range of source prefixes.

    ``lo``/``hi``: (n + 1,) inclusive target ranges per source prefix; returns
    (m + 1,) inclusive source ranges per target prefix (monotone envelopes).
    """
    n = len(lo) - 1
    j = np.arange(m + 1)
    hi_env = np.maximum.accumulate(hi)
    lo_env = np.minimum.accumulate(lo[::-1])[::-1]
    # source prefixes i with lo_env[i] <= j <= hi_env[i]
    first = np.searchsorted(hi_env, j, side="left")
    last = np.searchsorted(lo_env, j, side="right") - 1
    return np.clip(first, 0, n), np.clip(np.maximum(last, first), 0, n)


def _span_neighbour_means(
    spans: dict[int, np.ndarray], other: np.ndarray, r_single: np.ndarray, k: int,
    lo: np.ndarray, hi: np.ndarray, settings: AlignerSettings,
) -> dict[int, np.ndarray]:
    """Mean cosine of every embedded multi-sentence span to its ``k`` nearest single sentences on the other side.

    ``spans[j]`` is (count, d) float32 (NaN rows = not embedded); returns
    ``{j: float32 (count,)}`` with ``r_single`` reused for j = 1. Exhaustive FAISS
    search for small documents; otherwise among the other side's sentences the
    band allows for the span (``lo``/``hi``: (count + 1,) inclusive ranges of the
    other side's prefix per prefix on this side), widened by ``search_window``.
    """
    out = {1: r_single}
    multi = [j for j in sorted(spans) if j > 1 and len(spans[j])]
    for j in multi:
        sv = spans[j]
        rows = np.nonzero(sv.present)[0]
        means = np.full(len(sv), np.nan, dtype=np.float32)
        if len(rows) and other.shape[0]:
            queries = sv.vecs[sv.slot[rows]]
            if len(r_single) * other.shape[0] <= settings.exact_search_limit:
                sims, _ = _flat_search_all(queries, other, k)
            else:
                w = settings.search_window
                sims, _ = search_in_ranges(queries, other, lo[rows] - w, hi[np.minimum(rows + j, len(hi) - 1)] + w, k)
            means[rows] = np.nanmean(sims, axis=1)
        out[j] = means
    for j in spans:
        out.setdefault(j, np.zeros(len(spans[j]), np.float32))
    return out


def _flat_search_all(queries: np.ndarray, base: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Exhaustive FAISS search (see :func:`align.anchors.search_in_ranges` for the windowed one)."""
    big = np.array([base.shape[0]])
    return search_in_ranges(queries, base, np.zeros(len(queries), np.int64), np.repeat(big, len(queries)), k,
                            block=max(len(queries), 1))


def _span_chars(texts: Sequence[str], max_k: int) -> dict[int, np.ndarray]:
    """Character counts of runs of k consecutive sentences: ``{k: float64 (len - k + 1,)}``."""
    lens = np.array([len(s) for s in texts], dtype=np.float64)
    return {k: _span_sums(lens, k) for k in range(1, max_k + 1) if k <= len(texts)} | {
        k: np.zeros(0) for k in range(1, max_k + 1) if k > len(texts)
    }


def _length_model(src: Sequence[str], tgt: Sequence[str], anchors: np.ndarray) -> tuple[float, float]:
    """Mean and spread of ``log((1+len_tgt)/(1+len_src))`` (chars) over the anchor pairs.

    Falls back to the whole documents' ratio and a wide spread when there are
    fewer than 5 anchors. The spread is floored at 0.15 so short documents do
    not make the model overconfident.
    """
    if len(anchors) >= 5:
        ls = np.log1p([len(src[i]) for i in anchors[:, 0]])
        lt = np.log1p([len(tgt[j]) for j in anchors[:, 1]])
        d = lt - ls
        mu = float(np.median(d))
        sigma = float(1.4826 * np.median(np.abs(d - mu)))
        return mu, max(sigma, 0.15)
    tot_s = sum(len(s) for s in src) / max(len(src), 1)
    tot_t = sum(len(s) for s in tgt) / max(len(tgt), 1)
    return float(np.log1p(tot_t) - np.log1p(tot_s)), 0.5
