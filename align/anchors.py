"""First pass of the aligner: candidate search in FAISS, anchors, and the search band.

The first pass finds sentence pairs that are each other's nearest neighbour
across languages (searched in a FAISS inner-product index over L2-normalised
embeddings), keeps the longest chain of them that is monotone on both sides
(anchors), and turns the path through those anchors into a band of DP cells:
for every source prefix length ``i`` a contiguous range of target prefix
lengths ``[lo[i], hi[i]]``. The band holds O(n * band + m) cells, so the
second pass never builds an N x M table.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import faiss
import numpy as np


@dataclass(frozen=True)
class Neighbours:
    """k-nearest-neighbour search results in both directions.

    ``s2t_sim``/``s2t_idx``: shape (n, k) float32 / int64, the target
    sentences (0-based) nearest each source sentence, best first;
    ``t2s_*`` likewise (m, k) for each target sentence. Missing neighbours
    (k larger than the other side) have index -1 and similarity NaN.
    """

    s2t_sim: np.ndarray
    s2t_idx: np.ndarray
    t2s_sim: np.ndarray
    t2s_idx: np.ndarray

    def mean_sim(self, side: str) -> np.ndarray:
        """Mean similarity of each sentence to its neighbours, shape (n,) or (m,), float32.

        ``side`` is ``"src"`` or ``"tgt"``. This is the ``r`` of the margin criterion.
        """
        sims = self.s2t_sim if side == "src" else self.t2s_sim
        if sims.shape[1] == 0:
            return np.zeros(sims.shape[0], dtype=np.float32)
        return np.nanmean(sims, axis=1).astype(np.float32)


def search_neighbours(src_vecs: np.ndarray, tgt_vecs: np.ndarray, k: int) -> Neighbours:
    """Exact inner-product k-NN search both ways in FAISS ``IndexFlatIP`` indexes.

    ``src_vecs`` (n, d) and ``tgt_vecs`` (m, d) are float32, L2-normalised rows,
    so inner products are cosines. ``k`` is capped at the other side's size.
    """
    def one_way(queries: np.ndarray, base: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        kk = min(k, base.shape[0])
        if kk == 0 or queries.shape[0] == 0:
            return (np.zeros((queries.shape[0], 0), np.float32), np.zeros((queries.shape[0], 0), np.int64))
        index = faiss.IndexFlatIP(base.shape[1])
        index.add(np.ascontiguousarray(base, dtype=np.float32))
        sims, idx = index.search(np.ascontiguousarray(queries, dtype=np.float32), kk)
        sims = np.where(idx < 0, np.nan, sims).astype(np.float32)
        return sims, idx.astype(np.int64)

    s2t_sim, s2t_idx = one_way(src_vecs, tgt_vecs)
    t2s_sim, t2s_idx = one_way(tgt_vecs, src_vecs)
    return Neighbours(s2t_sim, s2t_idx, t2s_sim, t2s_idx)


def mutual_best_pairs(nb: Neighbours, min_cos: float) -> np.ndarray:
    """Pairs (i, j) where j is i's nearest target and i is j's nearest source.

    Returns an int64 array of shape (p, 2), 0-based sentence indices sorted by
    ``i``, keeping only pairs with cosine >= ``min_cos``.
    """
    if nb.s2t_idx.shape[1] == 0:
        return np.zeros((0, 2), dtype=np.int64)
    best_t = nb.s2t_idx[:, 0]
    best_s = nb.t2s_idx[:, 0]
    src = np.arange(best_t.shape[0])
    ok = (best_t >= 0) & (nb.s2t_sim[:, 0] >= min_cos)
    ok[ok] &= best_s[best_t[ok]] == src[ok]
    return np.stack([src[ok], best_t[ok]], axis=1).astype(np.int64)


def longest_monotone_chain(pairs: np.ndarray) -> np.ndarray:
    """The longest subsequence of ``pairs`` (sorted by column 0) strictly increasing in both columns.

    ``pairs`` is an int array (p, 2); returns the chosen rows, shape (q, 2).
    Patience sorting, O(p log p); written by hand because no installed
    library offers a longest-increasing-subsequence with recovery.
    """
    if len(pairs) == 0:
        return pairs.reshape(0, 2)
    tails: list[int] = []  # tails[L] = smallest j ending a chain of length L+1
    tail_pos: list[int] = []  # position in pairs of that tail
    prev = np.full(len(pairs), -1, dtype=np.int64)
    js = pairs[:, 1].tolist()
    for pos, j in enumerate(js):
        L = bisect.bisect_left(tails, j)
        if L == len(tails):
            tails.append(j)
            tail_pos.append(pos)
        else:
            tails[L] = j
            tail_pos[L] = pos
        prev[pos] = tail_pos[L - 1] if L > 0 else -1
    chain = []
    pos = tail_pos[-1]
    while pos >= 0:
        chain.append(pos)
        pos = int(prev[pos])
    return pairs[np.array(chain[::-1], dtype=np.int64)]


def band_from_anchors(
    anchors: np.ndarray, n: int, m: int, band: int, max_band: int
) -> tuple[np.ndarray, np.ndarray]:
    """The DP search band around the straight-line path through ``anchors``.

    ``anchors`` (q, 2) int are 1-1 sentence pairs (0-based), strictly increasing
    in both columns. The path runs (0, 0) → each anchor's cell (i, j) → (i+1, j+1)
    → ... → (n, m) in prefix-length coordinates. Between two path points the
    half-width is ``band`` widened to half the shorter side of the gap (a monotone
    path inside the gap's rectangle can stray that far), capped at ``max_band``.

    Returns ``lo, hi``: int64 arrays of shape (n + 1,), the inclusive range of
    target prefix lengths allowed after ``i`` source sentences, with
    ``0 <= lo[i] <= hi[i] <= m``, ``lo[0] == 0`` and ``hi[n] == m``.
    """
    pts = [(0, 0)]
    for i, j in anchors.tolist():
        if (i, j) != pts[-1]:
            pts.append((i, j))
        pts.append((i + 1, j + 1))
    if pts[-1] != (n, m):
        pts.append((n, m))
    pts_arr = np.array(pts, dtype=np.int64)
    lo = np.full(n + 1, m, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    for (x0, y0), (x1, y1) in zip(pts_arr[:-1].tolist(), pts_arr[1:].tolist()):
        dx, dy = x1 - x0, y1 - y0
        h = min(max(band, (min(dx, dy) + 1) // 2), max(band, max_band))
        rows = np.arange(x0, x1 + 1)
        if dx == 0:
            c_lo = np.array([y0], dtype=np.float64)
            c_hi = np.array([y1], dtype=np.float64)
        else:
            slope = dy / dx
            c_lo = np.clip(y0 + (rows - x0 - 0.5) * slope, y0, y1)
            c_hi = np.clip(y0 + (rows - x0 + 0.5) * slope, y0, y1)
        seg_lo = np.maximum(np.floor(c_lo).astype(np.int64) - h, 0)
        seg_hi = np.minimum(np.ceil(c_hi).astype(np.int64) + h, m)
        np.minimum.at(lo, rows, seg_lo)
        np.maximum.at(hi, rows, seg_hi)
    lo[0] = 0
    hi[n] = m
    return lo, hi
