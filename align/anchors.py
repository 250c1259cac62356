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
from contextlib import nullcontext
from dataclasses import dataclass

import faiss
import numpy as np
from threadpoolctl import threadpool_limits


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


def _flat_search(queries: np.ndarray, base: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Exact inner-product search of ``queries`` in a FAISS ``IndexFlatIP`` over ``base``.

    Returns (len(queries), k) float32 similarities (NaN where missing) and int64
    indices into ``base`` (-1 where missing).
    """
    kk = min(k, base.shape[0])
    sims = np.full((queries.shape[0], k), np.nan, dtype=np.float32)
    idx = np.full((queries.shape[0], k), -1, dtype=np.int64)
    if kk == 0 or queries.shape[0] == 0:
        return sims, idx
    index = faiss.IndexFlatIP(base.shape[1])
    index.add(np.ascontiguousarray(base, dtype=np.float32))
    s, i = index.search(np.ascontiguousarray(queries, dtype=np.float32), kk)
    sims[:, :kk] = np.where(i < 0, np.nan, s)
    idx[:, :kk] = i
    return sims, idx


def search_in_ranges(
    queries: np.ndarray, base: np.ndarray, lo: np.ndarray, hi: np.ndarray, k: int, block: int = 256
) -> tuple[np.ndarray, np.ndarray]:
    """k-NN of each query among ``base[lo[q]:hi[q]]`` (roughly: the union over its block).

    Consecutive queries are searched ``block`` at a time in one FAISS
    ``IndexFlatIP`` over the union of their ranges, so the cost is linear in
    the number of queries when ranges are short. ``lo``/``hi``: int arrays
    (len(queries),), 0-based, ``hi`` exclusive. Returns like :func:`_flat_search`,
    indices into the whole ``base``.
    """
    nq = queries.shape[0]
    sims = np.full((nq, k), np.nan, dtype=np.float32)
    idx = np.full((nq, k), -1, dtype=np.int64)
    with threadpool_limits(limits=1) if nq > block else nullcontext():
        _search_blocks(queries, base, lo, hi, k, block, sims, idx)
    return sims, idx


def _search_blocks(queries, base, lo, hi, k, block, sims, idx) -> None:
    """The loop of :func:`search_in_ranges`, filling ``sims``/``idx`` in place.

    A block grows while it has fewer than ``block`` queries and the union of
    their ranges stays within twice the widest single range plus ``block``, so
    scattered queries do not make one block search the whole base.
    """
    nq = queries.shape[0]
    lo = np.clip(np.asarray(lo, dtype=np.int64), 0, base.shape[0])
    hi = np.clip(np.asarray(hi, dtype=np.int64), 0, base.shape[0])
    lo_l, hi_l = lo.tolist(), hi.tolist()
    b0 = 0
    while b0 < nq:
        c0, c1, widest = lo_l[b0], hi_l[b0], hi_l[b0] - lo_l[b0]
        b1 = b0 + 1
        while b1 < nq and b1 - b0 < block:
            n0, n1 = min(c0, lo_l[b1]), max(c1, hi_l[b1])
            w = max(widest, hi_l[b1] - lo_l[b1])
            if n1 - n0 > 2 * w + block:
                break
            c0, c1, widest = n0, n1, w
            b1 += 1
        if c1 > c0:
            s, i = _flat_search(queries[b0:b1], base[c0:c1], k)
            sims[b0:b1] = s
            idx[b0:b1] = np.where(i >= 0, i + c0, -1)
        b0 = b1


def search_neighbours(
    src_vecs: np.ndarray, tgt_vecs: np.ndarray, k: int, *, exact_limit: int = 4_000_000, window: int = 256,
    min_cos: float = 0.3,
) -> Neighbours:
    """k-NN search both ways in FAISS ``IndexFlatIP`` indexes (inner product = cosine).

    ``src_vecs`` (n, d) and ``tgt_vecs`` (m, d) are float32, L2-normalised rows.
    When ``n * m <= exact_limit`` the search is exhaustive. Larger documents are
    searched near the diagonal only, which keeps the cost linear: source
    sentences in blocks, each against the target sentences within ``window`` of
    where the previous block's confident matches (cosine >= ``min_cos``) say it
    should be (so the window follows insertions and deletions; a block with no
    confident match doubles the window for the next one); then each target
    sentence against the source sentences within ``window`` of the path so found.
    """
    n, m = src_vecs.shape[0], tgt_vecs.shape[0]
    if n * m <= exact_limit:
        s2t_sim, s2t_idx = _flat_search(src_vecs, tgt_vecs, k)
        t2s_sim, t2s_idx = _flat_search(tgt_vecs, src_vecs, k)
        return Neighbours(s2t_sim, s2t_idx, t2s_sim, t2s_idx)
    with threadpool_limits(limits=1):
        return _windowed_neighbours(src_vecs, tgt_vecs, k, window, min_cos)


def _windowed_neighbours(src_vecs: np.ndarray, tgt_vecs: np.ndarray, k: int, window: int,
                         min_cos: float) -> Neighbours:
    """The diagonal-window search of :func:`search_neighbours` (see there)."""
    n, m = src_vecs.shape[0], tgt_vecs.shape[0]
    block = window
    ratio = m / n
    s2t_sim = np.full((n, k), np.nan, dtype=np.float32)
    s2t_idx = np.full((n, k), -1, dtype=np.int64)
    offset = 0.0  # target position = i * ratio + offset
    max_window = max(window, 16 * window)
    path_i: list[np.ndarray] = []
    path_j: list[np.ndarray] = []
    for b0 in range(0, n, block):
        b1 = min(b0 + block, n)
        w = window
        while True:  # widen the window until the block's matches agree on a diagonal (or it is all of m)
            c0 = max(int(b0 * ratio + offset) - w, 0)
            c1 = min(int(b1 * ratio + offset) + w, m)
            if c1 - c0 < k:
                c0, c1 = max(min(c0, m - k), 0), m
            s, i = _flat_search(src_vecs[b0:b1], tgt_vecs[c0:c1], k)
            # Confident matches must also agree on one diagonal: chance matches scatter.
            good = np.nan_to_num(s[:, 0], nan=-1.0) >= min_cos
            rows = np.arange(b0, b1)[good]
            cols = i[good, 0] + c0
            if len(rows):
                diag = cols - rows * ratio
                on = np.abs(diag - np.median(diag)) <= 3 + ratio
                rows, cols = rows[on], cols[on]
            found = len(rows) >= max(3, (b1 - b0) // 4)
            if found or (c0 == 0 and c1 == m) or w >= max_window:
                break
            w *= 4
        s2t_sim[b0:b1] = s
        s2t_idx[b0:b1] = np.where(i >= 0, i + c0, -1)
        if found:
            offset = float(np.median(cols - rows * ratio))
            path_i.append(rows)
            path_j.append(cols)
    if path_i:
        pi = np.concatenate(path_i)
        pj = np.concatenate(path_j)
    else:
        pi = np.zeros(0, dtype=np.int64)
        pj = np.zeros(0, dtype=np.int64)
    # source sentences off the path (e.g. in a block that straddled an insertion): search again
    # across the whole gap between the path points around them
    off = np.ones(n, dtype=bool)
    off[pi] = False
    if off.any():
        rows = np.nonzero(off)[0]
        lo, hi = _gap_ranges(pi, pj, n, m, window)
        s, i = search_in_ranges(src_vecs[rows], tgt_vecs, lo[rows], hi[rows], k, block)
        s2t_sim[rows], s2t_idx[rows] = s, i
    # target side: each target sentence among the source sentences the path allows for it
    order = np.argsort(pj, kind="stable")
    lo, hi = _gap_ranges(pj[order], pi[order], m, n, window)
    t2s_sim, t2s_idx = search_in_ranges(tgt_vecs, src_vecs, lo, hi, k, block)
    return Neighbours(s2t_sim, s2t_idx, t2s_sim, t2s_idx)


def _gap_ranges(
    px: np.ndarray, py: np.ndarray, count: int, other: int, window: int, cap: int = 8192
) -> tuple[np.ndarray, np.ndarray]:
    """Per position x in 0..count-1, the range of the other side to search, from path points (px, py).

    ``px`` must be sorted. A position on the path gets ``py ± window``; a position
    in a gap gets everything between the path points on either side of it (± window),
    or, when that is wider than ``cap``, the straight line between them ± window.
    Returns int64 ``lo``, ``hi`` (count,), ``hi`` exclusive, clipped to [0, other].
    """
    if len(px) == 0:
        centre = np.arange(count) * (other / max(count, 1))
        return (np.maximum(centre.astype(np.int64) - window, 0),
                np.minimum(centre.astype(np.int64) + window + 1, other))
    py = np.maximum.accumulate(py)
    x = np.arange(count)
    prev = np.searchsorted(px, x, side="right") - 1
    nxt = np.searchsorted(px, x, side="left")
    y_prev = np.where(prev >= 0, py[np.maximum(prev, 0)], 0)
    y_next = np.where(nxt < len(px), py[np.minimum(nxt, len(px) - 1)], other)
    lo = y_prev - window
    hi = y_next + window + 1
    wide = hi - lo > cap
    if wide.any():
        centre = np.interp(x[wide], px, py)
        lo[wide] = centre.astype(np.int64) - window
        hi[wide] = centre.astype(np.int64) + window + 1
    return np.clip(lo, 0, other), np.clip(hi, 0, other)


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
    anchors: np.ndarray, n: int, m: int, band: int, max_band: int, rect_cells: int = 40_000
) -> tuple[np.ndarray, np.ndarray]:
    """The DP search band around the straight-line path through ``anchors``.

    ``anchors`` (q, 2) int are 1-1 sentence pairs (0-based), strictly increasing
    in both columns. The path runs (0, 0) → each anchor's cell (i, j) → (i+1, j+1)
    → ... → (n, m) in prefix-length coordinates. A gap between two path points
    whose rectangle has at most ``rect_cells`` cells is allowed whole (so a long
    insertion or deletion between anchors is always reachable); a larger gap gets
    the straight line between them with half-width ``band`` widened to half the
    shorter side of the gap, capped at ``max_band``.

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
        rows = np.arange(x0, x1 + 1)
        if dx * dy <= rect_cells:  # small gap: any monotone path through it is allowed
            seg_lo = np.full(len(rows), max(y0 - band, 0))
            seg_hi = np.full(len(rows), min(y1 + band, m))
        else:
            h = min(max(band, (min(dx, dy) + 1) // 2), max(band, max_band))
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
