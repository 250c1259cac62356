"""Alignment quality against gold beads: strict and lax precision, recall and F1.

Definitions follow the ones used to report results on the Text+Berg set in the
Vecalign (Thompson & Koehn 2019) and Bertalign (Liu & Zhu 2022) papers:

* **strict**: a test bead counts only if the gold alignment has exactly the
  same bead (same source and target index sets);
* **lax**: a test bead also counts if some gold bead overlaps it on both
  sides (a side that is empty in both counts as overlapping);
* **precision** is over all test beads, deletions (1-0, 0-1) included;
  **recall** is over the gold beads that have both sides, matched against the
  test beads that have both sides (so a missing deletion costs precision only
  once, not twice).

Figures for a set of documents are pooled counts (micro average), not a mean
of per-document figures. Unaligned sentences are scored separately by
:func:`unaligned_scores` (precision/recall of the sentences a side leaves
unaligned), because the main figures barely see them.

Gold format (one bead a line): ``[0, 1]:[2]`` — 0-based source indices, a
colon, 0-based target indices; ``[]`` for an empty side.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

#: A bead as two tuples of 0-based sentence indices (either may be empty).
BeadPair = tuple[tuple[int, ...], tuple[int, ...]]


class GoldFormatError(ValueError):
    """A gold line that is not ``[i, ...]:[j, ...]``; ``line`` is 1-based."""

    def __init__(self, line: int, text: str) -> None:
        self.line = line
        self.text = text
        super().__init__(f"line {line}: expected '[0, 1]:[2]' (empty brackets for none), found {text!r}")


def parse_gold_line(text: str, line: int = 1) -> BeadPair:
    """Parse one gold line such as ``[0, 1]:[2]`` or ``[]:[3]`` into a bead pair.

    Raises :class:`GoldFormatError` (with the 1-based ``line``) if malformed.
    """
    try:
        left, right = text.strip().split(":")
        sides = []
        for part in (left, right):
            part = part.strip()
            if not (part.startswith("[") and part.endswith("]")):
                raise ValueError(part)
            inner = part[1:-1].strip()
            sides.append(tuple(int(x) for x in inner.split(",")) if inner else ())
    except ValueError:
        raise GoldFormatError(line, text) from None
    if not sides[0] and not sides[1]:
        raise GoldFormatError(line, text)
    return sides[0], sides[1]


def parse_gold(lines: Iterable[str]) -> list[BeadPair]:
    """Parse gold lines (blank lines skipped) into bead pairs, in order."""
    return [parse_gold_line(t, k) for k, t in enumerate(lines, start=1) if t.strip()]


def format_bead(bead: BeadPair) -> str:
    """The gold-file form of a bead, e.g. ``[0, 1]:[2]``."""
    return f"[{', '.join(map(str, bead[0]))}]:[{', '.join(map(str, bead[1]))}]"


@dataclass(frozen=True)
class Counts:
    """Raw counts behind the figures (all are numbers of beads)."""

    test: int  #: test beads (precision denominator)
    gold_matched: int  #: gold beads with both sides (recall denominator)
    strict_tp_p: int  #: test beads exactly in gold
    lax_tp_p: int  #: test beads overlapping a gold bead on both sides
    strict_tp_r: int  #: gold beads (both sides) exactly in the test's both-sided beads
    lax_tp_r: int  #: gold beads (both sides) overlapping a test both-sided bead

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(*(a + b for a, b in zip(self.as_tuple(), other.as_tuple())))

    def as_tuple(self) -> tuple[int, ...]:
        """The counts in field order."""
        return (self.test, self.gold_matched, self.strict_tp_p, self.lax_tp_p, self.strict_tp_r, self.lax_tp_r)


@dataclass(frozen=True)
class Scores:
    """Precision, recall and F1 in [0, 1], strict and lax, with their counts."""

    strict_p: float
    strict_r: float
    strict_f1: float
    lax_p: float
    lax_r: float
    lax_f1: float
    counts: Counts

    def as_dict(self) -> dict[str, float | int]:
        """Flat JSON-ready form."""
        d: dict[str, float | int] = {
            k: round(getattr(self, k), 4)
            for k in ("strict_p", "strict_r", "strict_f1", "lax_p", "lax_r", "lax_f1")
        }
        d.update({f"n_{k}": v for k, v in zip(("test", "gold"), self.counts.as_tuple()[:2])})
        return d


def _overlaps(a: BeadPair, b: BeadPair) -> bool:
    """Both sides intersect, where two empty sides count as intersecting."""
    def side(x: tuple[int, ...], y: tuple[int, ...]) -> bool:
        return (not x and not y) or bool(set(x) & set(y))

    return side(a[0], b[0]) and side(a[1], b[1])


def _hits(test: Sequence[BeadPair], gold: Sequence[BeadPair]) -> tuple[int, int]:
    """(strict, lax) number of ``test`` beads found in / overlapping ``gold``.

    Linear time: gold beads are indexed by their source and target indices.
    """
    gold_set = set(gold)
    by_src: dict[int, list[int]] = {}
    by_tgt: dict[int, list[int]] = {}
    for k, (s, t) in enumerate(gold):
        for i in s:
            by_src.setdefault(i, []).append(k)
        for j in t:
            by_tgt.setdefault(j, []).append(k)
    strict = lax = 0
    for bead in test:
        if bead in gold_set:
            strict += 1
            lax += 1
            continue
        cands = {k for i in bead[0] for k in by_src.get(i, ())} | {k for j in bead[1] for k in by_tgt.get(j, ())}
        if any(_overlaps(bead, gold[k]) for k in cands):
            lax += 1
    return strict, lax


def count(test: Sequence[BeadPair], gold: Sequence[BeadPair]) -> Counts:
    """The counts of one document's test alignment against its gold alignment."""
    test = [(tuple(s), tuple(t)) for s, t in test if s or t]
    gold = [(tuple(s), tuple(t)) for s, t in gold if s or t]
    sp, lp = _hits(test, gold)
    test_both = [b for b in test if b[0] and b[1]]
    gold_both = [b for b in gold if b[0] and b[1]]
    sr, lr = _hits(gold_both, test_both)
    return Counts(len(test), len(gold_both), sp, lp, sr, lr)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def scores_from_counts(c: Counts) -> Scores:
    """Precision, recall and F1 from counts (0 when a denominator is 0)."""
    sp = c.strict_tp_p / c.test if c.test else 0.0
    lp = c.lax_tp_p / c.test if c.test else 0.0
    sr = c.strict_tp_r / c.gold_matched if c.gold_matched else 0.0
    lr = c.lax_tp_r / c.gold_matched if c.gold_matched else 0.0
    return Scores(sp, sr, _f1(sp, sr), lp, lr, _f1(lp, lr), c)


def score(test: Sequence[BeadPair], gold: Sequence[BeadPair]) -> Scores:
    """Strict and lax precision/recall/F1 of one document (see the module docstring)."""
    return scores_from_counts(count(test, gold))


def score_many(pairs: Iterable[tuple[Sequence[BeadPair], Sequence[BeadPair]]]) -> Scores:
    """Pooled (micro-averaged) scores over ``(test, gold)`` pairs of documents."""
    total = Counts(0, 0, 0, 0, 0, 0)
    for test, gold in pairs:
        total = total + count(test, gold)
    return scores_from_counts(total)


def unaligned_scores(
    test: Sequence[BeadPair], gold: Sequence[BeadPair]
) -> dict[str, float | int]:
    """Precision/recall/F1 of the sentences left unaligned (in 1-0 or 0-1 beads), both sides pooled.

    Returns ``{"p", "r", "f1", "n_test", "n_gold"}``; p is 1.0 when the test leaves
    nothing unaligned, r is 1.0 when the gold has nothing unaligned.
    """
    def unaligned(beads: Sequence[BeadPair]) -> set[tuple[str, int]]:
        out: set[tuple[str, int]] = set()
        for s, t in beads:
            if not t:
                out |= {("src", i) for i in s}
            if not s:
                out |= {("tgt", j) for j in t}
        return out

    u_test, u_gold = unaligned(test), unaligned(gold)
    hit = len(u_test & u_gold)
    p = hit / len(u_test) if u_test else 1.0
    r = hit / len(u_gold) if u_gold else 1.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(_f1(p, r), 4), "n_test": len(u_test), "n_gold": len(u_gold)}
