"""Cut a segment's text into pieces at the edges of the finding spans that touch it.

Written by hand because it is a few lines of interval bookkeeping that no
library does for us: the report wraps every piece covered by at least one
finding in a ``<mark>``, so overlapping findings and spans that cross segment
edges both come out right.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of characters and the ids of the findings whose spans cover all of it (sorted)."""

    text: str
    fids: tuple[int, ...]


def split_marks(text: str, base: int, marks: Sequence[tuple[int, int, int]]) -> list[Piece]:
    """Split ``text`` (which starts at offset ``base`` of its document) at the edges of ``marks``.

    ``marks`` are ``(start, end, finding_id)`` in document character offsets,
    end exclusive; parts outside ``[base, base + len(text))`` are ignored and
    empty ranges mark nothing. Returns pieces whose texts concatenate to
    ``text``; neighbouring pieces with the same finding ids are merged.

    >>> [(p.text, p.fids) for p in split_marks("abcdef", 10, [(11, 13, 0), (12, 20, 1)])]
    [('a', ()), ('b', (0,)), ('c', (0, 1)), ('def', (1,))]
    """
    end_all = base + len(text)
    clipped = [(max(s, base), min(e, end_all), fid) for s, e, fid in marks]
    clipped = [(s, e, fid) for s, e, fid in clipped if s < e]
    if not clipped:
        return [Piece(text, ())] if text else []
    cuts = sorted({base, end_all, *(s for s, _, _ in clipped), *(e for _, e, _ in clipped)})
    pieces: list[Piece] = []
    for a, b in zip(cuts, cuts[1:]):
        fids = tuple(sorted({fid for s, e, fid in clipped if s <= a and e >= b}))
        chunk = text[a - base : b - base]
        if pieces and pieces[-1].fids == fids:
            pieces[-1] = Piece(pieces[-1].text + chunk, fids)
        else:
            pieces.append(Piece(chunk, fids))
    return pieces
