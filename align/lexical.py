"""Lexical evidence for the aligner: numbers, names and cognates two sentences share.

Translations keep many strings the encoder only sees blurred: numbers
(``4.45 Uhr`` / ``4 h 45``), names (``Nadelhorn``, ``Intercity``), codes and
cognates (``Telefon`` / ``téléphone``). Following Simard, Foster & Isabelle
(1992), two words count as the same *stem* when their first
``prefix`` letters agree after case and accent folding; every run of digits is
a number token. Each sentence becomes the set of its tokens; a token is weighted
by its inverse document frequency over both sides of the document pair, so
words that happen to be common in both languages count little.

Language-neutral by construction: tokens come from Unicode character classes,
not word lists. Words written in a script without spaces between words (East
Asian wide characters) are not used as stems, so Chinese-English pairs share
only digits and Latin-script names, and a pair of unrelated scripts simply
shares nothing (the signals are then 0 for every bead).

Written by hand (numpy only): it is a few set intersections and one small
matrix product per block of sentences, which no library packages for this use.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .textjoin import is_wide

_TOKEN = re.compile(r"\w+")
_DIGITS = re.compile(r"\d+")


def lexical_tokens(text: str, prefix: int = 4) -> set[str]:
    """The lexical tokens of one sentence: ``"n:<number>"`` for each run of digits, ``"w:<stem>"`` for words.

    A stem is the first ``prefix`` characters of a word of at least ``prefix``
    letters, case- and accent-folded (NFKD, combining marks dropped). Digit runs
    are normalised through ``int`` (so full-width ``４５`` and ``045`` are ``45``).
    Words of wide (CJK) characters give no stem.

    >>> sorted(lexical_tokens("Abfahrt 6.02 Uhr, Genève"))
    ['n:2', 'n:6', 'w:abfa', 'w:gene']
    """
    out: set[str] = set()
    for word in _TOKEN.findall(text.casefold()):
        if not word.isalpha():  # digits, possibly mixed with letters: numbers only
            out.update("n:" + (str(int(run)) if len(run) < 20 else run) for run in _DIGITS.findall(word))
            continue
        if len(word) < prefix or is_wide(word[0]):
            continue
        if not word.isascii():  # fold accents (only where there are any: this runs on every sentence)
            word = "".join(c for c in unicodedata.normalize("NFKD", word[: 2 * prefix]) if not unicodedata.combining(c))
        if len(word) >= prefix:
            out.add("w:" + word[:prefix])
    return out


@dataclass(frozen=True)
class LexicalIndex:
    """Lexical tokens of both sides of one document pair, as integer ids with idf weights.

    ``src_sets``/``tgt_sets``: one frozenset of token ids per sentence (0-based
    sentence positions). ``src_ptr``/``src_tok`` (and ``tgt_*``): the same in
    compressed rows, int64, ``src_tok[src_ptr[i]:src_ptr[i + 1]]`` sorted.
    ``idf``: float64 (vocabulary,), ``log(1 + (n + m) / df)`` with ``df`` the
    number of sentences (either side) holding the token. ``src_mass``/``tgt_mass``:
    float64 (n,)/(m,), each sentence's summed token weights.
    """

    src_sets: tuple[frozenset[int], ...]
    tgt_sets: tuple[frozenset[int], ...]
    src_ptr: np.ndarray
    src_tok: np.ndarray
    tgt_ptr: np.ndarray
    tgt_tok: np.ndarray
    idf: np.ndarray
    src_mass: np.ndarray
    tgt_mass: np.ndarray


def build_lexical_index(src: Sequence[str], tgt: Sequence[str], prefix: int = 4) -> LexicalIndex:
    """Tokenise both sides (see :func:`lexical_tokens`) and weight the tokens by idf over both."""
    vocab: dict[str, int] = {}
    sides = []
    for texts in (src, tgt):
        sets = []
        for text in texts:
            sets.append(frozenset(vocab.setdefault(t, len(vocab)) for t in lexical_tokens(text, prefix)))
        sides.append(tuple(sets))
    df = np.zeros(len(vocab), dtype=np.float64)
    for sets in sides:
        for s in sets:
            if s:
                df[list(s)] += 1.0
    total = max(len(src) + len(tgt), 1)
    idf = np.log1p(total / np.maximum(df, 1.0))
    csr = []
    for sets in sides:
        ptr = np.zeros(len(sets) + 1, dtype=np.int64)
        np.cumsum([len(s) for s in sets], out=ptr[1:])
        tok = np.fromiter((t for s in sets for t in sorted(s)), dtype=np.int64, count=int(ptr[-1]))
        run = np.concatenate([[0.0], np.cumsum(idf[tok])])
        csr.append((ptr, tok, run[ptr[1:]] - run[ptr[:-1]]))
    (sp, st, sm), (tp, tt, tm) = csr
    return LexicalIndex(sides[0], sides[1], sp, st, tp, tt, idf, sm, tm)


def sentence_overlap(index: LexicalIndex, s0: int, s1: int, t0: int, t1: int) -> np.ndarray:
    """Shared token weight of every source sentence s0..s1-1 with every target sentence t0..t1-1.

    Returns float64 (s1 - s0, t1 - t0): entry (i, j) is the summed idf of the
    tokens both sentences hold. Ranges are 0-based, end exclusive, clipped to the document.
    """
    s1, t1 = min(s1, len(index.src_sets)), min(t1, len(index.tgt_sets))
    rows, cols = max(s1 - s0, 0), max(t1 - t0, 0)
    out = np.zeros((rows, cols), dtype=np.float64)
    if not rows or not cols:
        return out
    stok = index.src_tok[index.src_ptr[s0] : index.src_ptr[s1]]
    ttok = index.tgt_tok[index.tgt_ptr[t0] : index.tgt_ptr[t1]]
    if not len(stok) or not len(ttok):
        return out
    local = np.unique(stok)  # only tokens of the source rows can be shared
    srow = np.repeat(np.arange(rows), np.diff(index.src_ptr[s0 : s1 + 1]))
    trow = np.repeat(np.arange(cols), np.diff(index.tgt_ptr[t0 : t1 + 1]))
    pos = np.minimum(np.searchsorted(local, ttok), len(local) - 1)
    hit = local[pos] == ttok
    smat = np.zeros((rows, len(local)), dtype=np.float64)
    smat[srow, np.searchsorted(local, stok)] = 1.0
    tmat = np.zeros((cols, len(local)), dtype=np.float64)
    tmat[trow[hit], pos[hit]] = index.idf[ttok[hit]]
    return smat @ tmat.T


def box_sums(mat: np.ndarray, a: int, b: int) -> np.ndarray:
    """Sums of every ``a`` x ``b`` window of ``mat``: shape (rows - a + 1, cols - b + 1), float64."""
    c = np.zeros((mat.shape[0] + 1, mat.shape[1] + 1), dtype=np.float64)
    np.cumsum(np.cumsum(mat, axis=0), axis=1, out=c[1:, 1:])
    return c[a:, b:] - c[:-a, b:] - c[a:, :-b] + c[:-a, :-b]


def span_shared(index: LexicalIndex, a: int, b: int, ps: np.ndarray, qs: np.ndarray) -> np.ndarray:
    """Shared token weight of beads (source ps[r]..ps[r]+a-1, target qs[r]..qs[r]+b-1), float64 (len(ps),).

    The sum over the bead's sentence pairs of :func:`sentence_overlap`, computed
    per bead with set intersections (for scoring chosen beads, not whole bands).
    """
    idf = index.idf
    out = np.zeros(len(ps), dtype=np.float64)
    for r, (p, q) in enumerate(zip(np.asarray(ps).tolist(), np.asarray(qs).tolist())):
        total = 0.0
        for i in range(p, min(p + a, len(index.src_sets))):
            si = index.src_sets[i]
            if not si:
                continue
            for j in range(q, min(q + b, len(index.tgt_sets))):
                common = si & index.tgt_sets[j]
                if common:
                    total += math.fsum(idf[list(common)])
        out[r] = total
    return out


#: Names of the lexical signals of a bead with both sides (see :func:`lexical_signals`).
LEXICAL_SIGNALS = ("lex_dice", "lex_shared", "lex_unshared")


def lexical_signals(shared: np.ndarray, src_mass: np.ndarray, tgt_mass: np.ndarray) -> dict[str, np.ndarray]:
    """Bead signals from shared and total token weights (float arrays of one shape).

    ``lex_dice``: ``2 * shared / (src_mass + tgt_mass)`` clipped to [0, 1] (0 when
    neither side has tokens); ``lex_shared``: ``log1p(shared)``, how much evidence
    agrees; ``lex_unshared``: ``log1p`` of the weight on either side left unmatched.
    """
    total = src_mass + tgt_mass
    with np.errstate(invalid="ignore", divide="ignore"):
        dice = np.where(total > 0, 2.0 * shared / np.where(total > 0, total, 1.0), 0.0)
    return {
        "lex_dice": np.clip(dice, 0.0, 1.0),
        "lex_shared": np.log1p(shared),
        "lex_unshared": np.log1p(np.maximum(total - 2.0 * shared, 0.0)),
    }


def best_neighbour_dice(index: LexicalIndex, side: str, neighbours: np.ndarray) -> np.ndarray:
    """For each sentence of ``side`` (``"src"``/``"tgt"``), its best lexical Dice with the given neighbours.

    ``neighbours``: int array (count, k) of 0-based sentence positions on the
    other side, -1 for none (e.g. its embedding nearest neighbours). Dice is
    ``2 * shared / (mass_own + mass_other)``; float64 (count,), 0 without tokens.
    """
    own_sets, other_sets = (index.src_sets, index.tgt_sets) if side == "src" else (index.tgt_sets, index.src_sets)
    own_mass, other_mass = (index.src_mass, index.tgt_mass) if side == "src" else (index.tgt_mass, index.src_mass)
    idf = index.idf
    out = np.zeros(len(own_sets), dtype=np.float64)
    for i, row in enumerate(np.asarray(neighbours).tolist()):
        si = own_sets[i]
        if not si:
            continue
        best = 0.0
        for j in row:
            if j < 0:
                continue
            common = si & other_sets[j]
            if common:
                best = max(best, 2.0 * math.fsum(idf[list(common)]) / (own_mass[i] + other_mass[j]))
        out[i] = min(best, 1.0)
    return out
