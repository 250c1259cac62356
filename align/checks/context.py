"""What a QA check sees of one document pair: :class:`CheckContext`.

A check is a pure function ``(ctx) -> Iterable[Finding]``; everything it may
look at is in the context (documents, segments, beads, embeddings, settings),
so checks do no I/O and can be tested on hand-made records.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import cached_property
from typing import Callable, Iterator, Sequence, TypeVar

import numpy as np

from ..lexicon import BilingualLexicon
from ..records import Bead, Document, Segment, Span
from ..settings import CheckSettings

T = TypeVar("T")

#: The two sides of a document pair, as used in check helpers.
SIDES = ("src", "tgt")


@dataclass(frozen=True)
class CheckContext:
    """One document pair after alignment, as the QA checks see it.

    ``src_doc``/``tgt_doc`` is None when that language version does not exist;
    all segments of the other side are then in 1-0 (or 0-1) beads.
    ``src_vectors``/``tgt_vectors`` are the sentence embeddings, shape ``(n, d)``
    float32 with L2-normalised rows, row ``i`` for the segment with ``idx == i``.
    ``embed`` encodes extra strings (e.g. clauses) into the same space, returning
    ``(len(texts), d)`` float32 L2-normalised rows; checks that need it skip
    their embedding-based part when it is None. ``lexicon`` is the language pair's
    bilingual word list (:func:`align.lexicon.lexicon_for`), None when the pair has
    none or it is turned off; checks skip their lexical test without it.
    """

    doc_id: str
    src_lang: str
    tgt_lang: str
    src_doc: Document | None
    tgt_doc: Document | None
    src_segments: Sequence[Segment]
    tgt_segments: Sequence[Segment]
    beads: Sequence[Bead]
    settings: CheckSettings
    src_vectors: np.ndarray | None = None
    tgt_vectors: np.ndarray | None = None
    embed: Callable[[Sequence[str]], np.ndarray] | None = None
    lexicon: BilingualLexicon | None = None

    # -- side-generic accessors (side is "src" or "tgt") -------------------

    def doc(self, side: str) -> Document | None:
        """The Document of ``side`` (``"src"`` or ``"tgt"``), or None if absent."""
        return self.src_doc if side == "src" else self.tgt_doc

    def lang(self, side: str) -> str:
        """The language code of ``side``."""
        return self.src_lang if side == "src" else self.tgt_lang

    def segments(self, side: str) -> Sequence[Segment]:
        """The segments of ``side`` in document order."""
        return self.src_segments if side == "src" else self.tgt_segments

    def vectors(self, side: str) -> np.ndarray | None:
        """The sentence embeddings of ``side`` (``(n, d)`` float32) or None."""
        return self.src_vectors if side == "src" else self.tgt_vectors

    @cached_property
    def _shared(self) -> dict[object, object]:
        return {}

    def shared(self, key: object, compute: Callable[[], T]) -> T:
        """``compute()``, run once per context for ``key``: an analysis that several checks use
        (e.g. the glued-sentence tests, which embed strings), so it is not done once per check."""
        if key not in self._shared:
            self._shared[key] = compute()
        return self._shared[key]  # type: ignore[return-value]

    @cached_property
    def _by_idx(self) -> dict[str, dict[int, Segment]]:
        return {side: {s.idx: s for s in self.segments(side)} for side in SIDES}

    def segment(self, side: str, idx: int) -> Segment:
        """The segment of ``side`` whose 0-based ``idx`` is ``idx``."""
        return self._by_idx[side][idx]

    def path(self, side: str) -> str:
        """The source file of ``side`` ("" when that side has no document)."""
        d = self.doc(side)
        return d.path if d is not None else ""

    @cached_property
    def _line_starts(self) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for side in SIDES:
            d = self.doc(side)
            starts = [0]
            if d is not None:
                pos = d.text.find("\n")
                while pos != -1:
                    starts.append(pos + 1)
                    pos = d.text.find("\n", pos + 1)
            out[side] = starts
        return out

    def line_of(self, side: str, offset: int) -> int:
        """1-based line of character ``offset`` in the source file of ``side``."""
        return bisect.bisect_right(self._line_starts[side], offset)

    def span(self, side: str, start: int, end: int) -> Span:
        """A span of ``side``'s file: characters ``[start, end)`` of ``Document.text``."""
        return Span(self.doc_id, self.lang(side), self.path(side), start, end, self.line_of(side, start))

    def segment_span(self, side: str, segs: Sequence[Segment]) -> Span | None:
        """The span from the first to the last of ``segs`` (None if empty)."""
        if not segs:
            return None
        if len(segs) == 1:
            return Span.of_segment(segs[0], self.path(side))
        return self.span(side, min(s.start for s in segs), max(s.end for s in segs))

    def bead_segments(self, bead: Bead, side: str) -> list[Segment]:
        """The segments of ``side`` in ``bead``, in order."""
        return [self.segment(side, i) for i in (bead.src if side == "src" else bead.tgt)]

    def paired_beads(self) -> Iterator[tuple[int, Bead, list[Segment], list[Segment]]]:
        """``(position, bead, source segments, target segments)`` of the beads with both sides."""
        for b_i, bead in enumerate(self.beads):
            if bead.src and bead.tgt:
                yield b_i, bead, self.bead_segments(bead, "src"), self.bead_segments(bead, "tgt")


def other_side(side: str) -> str:
    """``"tgt"`` for ``"src"`` and vice versa."""
    return "tgt" if side == "src" else "src"


def excerpt(text: str, limit: int = 40) -> str:
    """``text`` with runs of whitespace collapsed, cut to ``limit`` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
