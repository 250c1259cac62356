"""Sentence alignment of a document with its translation: FAISS first pass, banded DP second pass.

1. Embed every sentence of both sides (``embed`` is the caller's cached encoder).
2. First pass: exact k-NN search both ways in FAISS; mutual nearest neighbours
   above a cosine floor, filtered to the longest monotone chain, are anchors;
   the path through them defines a band of DP cells (:mod:`align.anchors`).
3. Embed the concatenations of consecutive sentences the bead types need
   (overlap embeddings for n-1 and 1-n beads).
4. Second pass: a dynamic programme over 1-1, 1-0, 0-1, n-1, 1-n and 2-2 beads,
   restricted to the band (:mod:`align.dp`), maximising margin-normalised
   similarity with a per-document length-ratio model.
5. Every bead gets its signals and a calibrated score (:mod:`align.calibration`).

Pure: no file or network I/O; all inputs are plain sequences and callables.
"""

from __future__ import annotations

import time
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from .anchors import band_from_anchors, longest_monotone_chain, mutual_best_pairs, search_neighbours
from .calibration import Calibration, packaged_calibration
from .dp import banded_dp
from .records import Bead
from .settings import AlignerSettings

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


def _is_wide(ch: str) -> bool:
    """True for characters written without spaces between them (CJK ideographs, kana, full-width forms)."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


def join_sentences(parts: Sequence[str]) -> str:
    """Concatenate consecutive sentences: a single space, or nothing between two wide (CJK) characters."""
    out = ""
    for part in parts:
        if out and part and not (_is_wide(out[-1]) and _is_wide(part[0])):
            out += " "
        out += part
    return out


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
    defaults to the packaged one. Every sentence of both sides ends up in exactly
    one bead; an untranslated sentence is a 1-0 (or 0-1) bead.
    """
    cal = calibration or packaged_calibration()
    n, m = len(src), len(tgt)
    timings: dict[str, float] = {}
    stats: dict[str, Any] = {"n_src": n, "n_tgt": m}
    t0 = time.perf_counter()
    if n == 0 or m == 0:
        beads = tuple(
            Bead(src=(i,), tgt=(), score=1.0, sim=0.0, signals={"best_cos": 0.0, "best_margin": 0.0})
            for i in range(n)
        ) + tuple(
            Bead(src=(), tgt=(j,), score=1.0, sim=0.0, signals={"best_cos": 0.0, "best_margin": 0.0})
            for j in range(m)
        )
        stats.update(strings_encoded=0, seconds={})
        return AlignmentResult(beads=beads, stats=stats)

    # 1. single sentences
    src_1 = _embed_checked(embed, list(src), None)
    tgt_1 = _embed_checked(embed, list(tgt), src_1.shape[1])
    encoded = n + m
    timings["embed_single"] = time.perf_counter() - t0

    # 2. first pass
    t = time.perf_counter()
    nb = search_neighbours(src_1, tgt_1, settings.top_k)
    r_src, r_tgt = nb.mean_sim("src"), nb.mean_sim("tgt")
    anchors = longest_monotone_chain(mutual_best_pairs(nb, settings.anchor_min_cos))
    lo, hi = band_from_anchors(anchors, n, m, settings.band, settings.max_band)
    timings["first_pass"] = time.perf_counter() - t

    # 3. overlap embeddings for many-to-one beads
    t = time.perf_counter()
    src_vecs, n_enc_s = _span_vectors(src, src_1, settings.max_src, embed)
    tgt_vecs, n_enc_t = _span_vectors(tgt, tgt_1, settings.max_tgt, embed)
    encoded += n_enc_s + n_enc_t
    timings["embed_spans"] = time.perf_counter() - t

    # length model from the anchors: log char-length ratio ~ Normal(mu, sigma)
    mu, sigma = _length_model(src, tgt, anchors)
    src_chars = _span_chars(src, settings.max_src)
    tgt_chars = _span_chars(tgt, settings.max_tgt)
    src_r = {k: _span_sums(r_src, k) / k for k in src_vecs}
    tgt_r = {k: _span_sums(r_tgt, k) / k for k in tgt_vecs}

    margin_w = settings.margin
    len_w = settings.length_weight
    many = settings.many_penalty
    skip = settings.skip

    def gain(a: int, b: int, p: int, q0: int, q1: int) -> np.ndarray:
        if b == 0:
            return np.full(q1 - q0 + 1, skip)
        cos = (tgt_vecs[b][q0 : q1 + 1] @ src_vecs[a][p]).astype(np.float64)
        g = cos - margin_w * 0.5 * (src_r[a][p] + tgt_r[b][q0 : q1 + 1])
        if len_w:
            z = (np.log1p(tgt_chars[b][q0 : q1 + 1]) - np.log1p(src_chars[a][p]) - mu) / sigma
            g -= len_w * 0.5 * np.minimum(z * z, 16.0)
        if a + b > 2:
            g -= many * (a + b - 2)
        return g

    # 4. second pass
    t = time.perf_counter()
    spans = banded_dp(n, m, lo, hi, bead_types(settings), gain, skip)
    timings["dp"] = time.perf_counter() - t

    # 5. signals and scores
    t = time.perf_counter()
    best_cos_s = np.nan_to_num(nb.s2t_sim[:, 0], nan=0.0) if nb.s2t_sim.shape[1] else np.zeros(n)
    best_cos_t = np.nan_to_num(nb.t2s_sim[:, 0], nan=0.0) if nb.t2s_sim.shape[1] else np.zeros(m)
    beads = []
    for s0, s1, q0, q1 in spans:
        a, b = s1 - s0, q1 - q0
        if a and b:
            cos = float(src_vecs[a][s0] @ tgt_vecs[b][q0])
            marg = cos - 0.5 * float(src_r[a][s0] + tgt_r[b][q0])
            z = (np.log1p(tgt_chars[b][q0]) - np.log1p(src_chars[a][s0]) - mu) / sigma
            signals = {
                "cos": cos,
                "margin": marg,
                "len_z": float(z),
                "n_src": float(a),
                "n_tgt": float(b),
            }
            sim = cos
        else:
            if a:
                bc, rr = float(best_cos_s[s0]), float(r_tgt[nb.s2t_idx[s0, 0]] + r_src[s0]) / 2
            else:
                bc, rr = float(best_cos_t[q0]), float(r_src[nb.t2s_idx[q0, 0]] + r_tgt[q0]) / 2
            signals = {"best_cos": bc, "best_margin": bc - rr}
            sim = 0.0
        beads.append(
            Bead(
                src=tuple(range(s0, s1)),
                tgt=tuple(range(q0, q1)),
                score=cal.score(signals, is_skip=not (a and b)),
                sim=sim,
                signals=signals,
            )
        )
    timings["score"] = time.perf_counter() - t
    stats.update(
        strings_encoded=encoded,
        anchors=int(len(anchors)),
        band_cells=int((hi - lo + 1).sum()),
        length_model={"mu": mu, "sigma": sigma},
        seconds={k: round(v, 4) for k, v in timings.items()},
    )
    return AlignmentResult(beads=tuple(beads), stats=stats)


def _span_vectors(
    texts: Sequence[str], singles: np.ndarray, max_k: int, embed: EmbedFn
) -> tuple[dict[int, np.ndarray], int]:
    """Embeddings of every run of k consecutive sentences, k = 1..max_k.

    Returns ``{k: float32 array (len(texts) - k + 1, d)}`` (k=1 is ``singles``)
    and the number of strings passed to ``embed``.
    """
    out = {1: singles}
    strings: list[str] = []
    keys: list[tuple[int, int]] = []
    for k in range(2, max_k + 1):
        for q in range(len(texts) - k + 1):
            strings.append(join_sentences(texts[q : q + k]))
            keys.append((k, q))
    if not strings:
        return out, 0
    vecs = _embed_checked(embed, strings, singles.shape[1])
    pos = 0
    for k in range(2, max_k + 1):
        count = max(len(texts) - k + 1, 0)
        out[k] = vecs[pos : pos + count]
        pos += count
    return out, len(strings)


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
