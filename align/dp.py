"""Banded dynamic programme over bead types: the second pass of the aligner.

Cells are prefix lengths ``(i, j)``: ``i`` source and ``j`` target sentences
consumed. Row ``i`` only holds the columns ``lo[i]..hi[i]`` (inclusive) of the
band, stored back to back in one flat array, so memory and time are
proportional to the band's area, never N x M.

A bead of type ``(a, b)`` moves from cell ``(i - a, j - b)`` to ``(i, j)`` and
earns ``gain(a, b, i - a, j_lo - b, j_hi - b)``; the DP maximises the sum of
gains. ``(0, 1)`` beads (target sentence left out) chain inside a row, which
is solved for the whole row at once with a running maximum, so the only Python
loop is over rows (and bead types), each step a numpy operation over the row.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

#: gain(a, b, p, q0, q1) -> float64 array of shape (q1 - q0 + 1,): gains of the beads
#: covering source sentences p..p+a-1 and target sentences q..q+b-1 for q in q0..q1.
GainFn = Callable[[int, int, int, int, int], np.ndarray]


def banded_dp(
    n: int,
    m: int,
    lo: np.ndarray,
    hi: np.ndarray,
    bead_types: Sequence[tuple[int, int]],
    gain: GainFn,
    skip_tgt: float | np.ndarray,
) -> list[tuple[int, int, int, int]]:
    """Best monotone segmentation of both sides into beads, restricted to the band.

    ``lo``/``hi``: int arrays (n + 1,) of allowed target prefix lengths per row
    (see :func:`align.anchors.band_from_anchors`). ``bead_types``: the allowed
    ``(a, b)`` with ``a >= 1`` (``(1, 0)`` included for source deletions);
    ``(0, 1)`` beads are always allowed; leaving target sentence ``j`` (0-based)
    unaligned earns ``skip_tgt`` (a float, or a float array of shape (m,)).

    Returns the beads in order as ``(src_start, src_end, tgt_start, tgt_end)``
    tuples of 0-based, end-exclusive sentence indices covering both sides exactly.
    """
    lo = np.asarray(lo, dtype=np.int64)
    hi = np.asarray(hi, dtype=np.int64)
    widths = hi - lo + 1
    off = np.zeros(n + 2, dtype=np.int64)
    np.cumsum(widths, out=off[1:])
    total = int(off[-1])
    score = np.full(total, -np.inf, dtype=np.float64)
    back = np.full(total, -1, dtype=np.int8)  # index into bead_types, -1 = (0, 1) chain / start
    types = list(bead_types)
    # cum_skip[j] = total gain of leaving target sentences 0..j-1 unaligned, shape (m + 1,)
    cum_skip = np.zeros(m + 1, dtype=np.float64)
    np.cumsum(np.broadcast_to(np.asarray(skip_tgt, dtype=np.float64), (m,)), out=cum_skip[1:])
    lo_l, hi_l, off_l = lo.tolist(), hi.tolist(), off.tolist()

    for i in range(n + 1):
        li, hi_i, oi = lo_l[i], hi_l[i], off_l[i]
        w = hi_i - li + 1
        best = np.full(w, -np.inf, dtype=np.float64)
        arg = np.full(w, -1, dtype=np.int8)
        if i == 0 and li == 0:
            best[0] = 0.0
        for t, (a, b) in enumerate(types):
            p = i - a
            if p < 0:
                continue
            lp, hp, op = lo_l[p], hi_l[p], off_l[p]
            j0 = max(li, lp + b)
            j1 = min(hi_i, hp + b)
            if j1 < j0:
                continue
            prev = score[op + (j0 - b - lp) : op + (j1 - b - lp) + 1]
            cand = prev + gain(a, b, p, j0 - b, j1 - b)
            seg = best[j0 - li : j1 - li + 1]
            better = cand > seg
            seg[better] = cand[better]
            arg[j0 - li : j1 - li + 1][better] = t
        # (0, 1) beads: row[j] = max_k<=j best[k] + cum_skip[j] - cum_skip[k], by a running maximum.
        ramp = cum_skip[li : hi_i + 1]
        shifted = best - ramp
        run = np.maximum.accumulate(shifted)
        row = run + ramp
        from_chain = shifted < run
        arg[from_chain] = -1
        score[oi : oi + w] = row
        back[oi : oi + w] = arg

    if not np.isfinite(score[off_l[n] + (m - lo_l[n])]):
        raise ValueError("the search band does not connect (0, 0) to (n, m)")
    beads: list[tuple[int, int, int, int]] = []
    i, j = n, m
    while i > 0 or j > 0:
        t = int(back[off_l[i] + (j - lo_l[i])])
        if t < 0:
            a, b = 0, 1
        else:
            a, b = types[t]
        beads.append((i - a, i, j - b, j))
        i, j = i - a, j - b
    beads.reverse()
    return beads
