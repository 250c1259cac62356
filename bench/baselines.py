"""Baseline aligners for the benchmarks: Gale-Church (length only), greedy nearest neighbour, full-table DP.

They exist to show, in one run, what the real aligner gains over simple
methods on the same input and the same embeddings. Beads are returned as
``(src_indices, tgt_indices)`` tuples of 0-based sentence indices.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from align.aligner import AlignmentContext, align_prepared
from align.anchors import mutual_best_pairs, search_neighbours
from align.settings import AlignerSettings
from align.calibration import Calibration
from align.dp import banded_dp

BeadPair = tuple[tuple[int, ...], tuple[int, ...]]

#: Gale & Church (1993) bead priors and length-difference variance.
GC_PRIORS = {(1, 1): 0.89, (1, 0): 0.0099 / 2, (0, 1): 0.0099 / 2, (2, 1): 0.089 / 2, (1, 2): 0.089 / 2,
             (2, 2): 0.011}
GC_VARIANCE = 6.8

_erf = np.frompyfunc(math.erf, 1, 1)


def _norm_sf(x: np.ndarray) -> np.ndarray:
    """Upper tail of the standard normal, 1 - Phi(x), float64."""
    return 0.5 * (1.0 - _erf(np.asarray(x, dtype=np.float64) / math.sqrt(2.0)).astype(np.float64))


def gale_church(src: Sequence[str], tgt: Sequence[str]) -> list[BeadPair]:
    """Length-based alignment (Gale & Church 1993) in characters, over the full N x M table.

    The expected target/source length ratio is the documents' own total ratio
    (so Chinese vs English works too). Bead shapes 1-1, 1-0, 0-1, 2-1, 1-2, 2-2.
    """
    n, m = len(src), len(tgt)
    if n == 0 or m == 0:
        return [((i,), ()) for i in range(n)] + [((), (j,)) for j in range(m)]
    ls = np.array([len(s) for s in src], dtype=np.float64)
    lt = np.array([len(t) for t in tgt], dtype=np.float64)
    c = lt.sum() / max(ls.sum(), 1.0)
    cs = np.concatenate([[0.0], np.cumsum(ls)])
    ct = np.concatenate([[0.0], np.cumsum(lt)])

    def gain(a: int, b: int, p: int, q0: int, q1: int) -> np.ndarray:
        if b == 0:
            return np.full(q1 - q0 + 1, math.log(GC_PRIORS[(1, 0)]))
        l1 = cs[p + a] - cs[p]
        l2 = ct[q0 + b : q1 + b + 1] - ct[q0 : q1 + 1]
        mean = (l1 + l2 / c) / 2.0
        delta = (l2 - l1 * c) / np.sqrt(np.maximum(mean, 1.0) * GC_VARIANCE)
        prob = np.maximum(2.0 * _norm_sf(np.abs(delta)), 1e-12)
        return np.log(prob) + math.log(GC_PRIORS[(a, b)])

    lo = np.zeros(n + 1, dtype=np.int64)
    hi = np.full(n + 1, m, dtype=np.int64)
    types = [(1, 0), (1, 1), (2, 1), (1, 2), (2, 2)]
    spans = banded_dp(n, m, lo, hi, types, gain, math.log(GC_PRIORS[(0, 1)]))
    return [(tuple(range(a, b)), tuple(range(c_, d))) for a, b, c_, d in spans]


def greedy_nearest(
    src_vecs: np.ndarray, tgt_vecs: np.ndarray, min_cos: float = 0.3, settings: AlignerSettings | None = None
) -> list[BeadPair]:
    """Greedy matcher: each pair of mutual nearest neighbours with cosine >= ``min_cos`` is a 1-1 bead.

    Everything else is a 1-0 or 0-1 bead. No order constraint and no
    many-to-one beads: the simplest use of the same embeddings. The neighbours
    come from the aligner's own FAISS search (:func:`align.anchors.search_neighbours`,
    exhaustive up to ``settings.exact_search_limit`` pairs, near the diagonal beyond).
    """
    s = settings or AlignerSettings()
    n, m = len(src_vecs), len(tgt_vecs)
    if n == 0 or m == 0:
        return [((i,), ()) for i in range(n)] + [((), (j,)) for j in range(m)]
    nb = search_neighbours(src_vecs, tgt_vecs, 1, exact_limit=s.exact_search_limit, window=s.search_window,
                           min_cos=s.anchor_min_cos)
    pairs = mutual_best_pairs(nb, min_cos)
    matched = dict(pairs.tolist())
    beads: list[BeadPair] = [((i,), (matched[i],)) if i in matched else ((i,), ()) for i in range(n)]
    used = set(matched.values())
    beads += [((), (j,)) for j in range(m) if j not in used]
    return beads


def full_table_dp(ctx: AlignmentContext, calibration: Calibration) -> list[BeadPair]:
    """The aligner's own DP and gains, but over the full (n + 1) x (m + 1) table instead of the band."""
    lo = np.zeros(ctx.n + 1, dtype=np.int64)
    hi = np.full(ctx.n + 1, ctx.m, dtype=np.int64)
    spans = align_prepared(ctx, calibration, lo=lo, hi=hi)
    return [(tuple(range(a, b)), tuple(range(c, d))) for a, b, c, d in spans]
