"""Translation units for MT training: what the exporters write, and how they are chosen.

:func:`bead_units` turns one :class:`~align.records.DocResult` into
:class:`TranslationUnit` s (one per bead that has text on both sides);
:func:`select_units` streams units from many documents through the filters MT
trainers expect (1-1 beads only unless asked, a score threshold, a language
pair, exact-duplicate removal) and counts what each filter removed in a
:class:`SelectionStats`. Both are pure: no file I/O.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Sequence

from ..records import DocResult, Document, Segment
from ..textjoin import join_segments


@dataclass(frozen=True, slots=True)
class TranslationUnit:
    """One aligned pair ready for export.

    ``position`` is the 0-based index of the bead in its document's alignment;
    ``kind`` the bead shape (``"1-1"``, ``"2-1"`` ...); ``score`` the bead's
    calibrated probability in [0, 1]. ``src_lang``/``tgt_lang`` are BCP-47 tags.
    """

    src_text: str
    tgt_text: str
    src_lang: str
    tgt_lang: str
    score: float
    doc_id: str
    position: int
    kind: str = "1-1"

    def swapped(self) -> "TranslationUnit":
        """The same pair with source and target exchanged."""
        return TranslationUnit(
            self.tgt_text, self.src_text, self.tgt_lang, self.src_lang, self.score, self.doc_id, self.position,
            "-".join(reversed(self.kind.split("-"))),
        )


def bead_units(result: DocResult) -> Iterator[TranslationUnit]:
    """Every bead of a document as a unit, in bead order, including 1-0/0-1 beads (empty side ``""``)."""
    for pos, bead in enumerate(result.beads):
        src = [result.src_segments[i] for i in bead.src]
        tgt = [result.tgt_segments[i] for i in bead.tgt]
        yield TranslationUnit(
            src_text=join_segments(src, result.src),
            tgt_text=join_segments(tgt, result.tgt),
            src_lang=result.src_lang,
            tgt_lang=result.tgt_lang,
            score=float(bead.score),
            doc_id=result.doc_id,
            position=pos,
            kind=bead.kind,
        )


#: Names of the selection filters, in the order they are applied (keys of ``SelectionStats.removed``).
FILTERS = ("empty_side", "other_langs", "not_1_1", "below_min_score", "duplicate")


@dataclass(slots=True)
class SelectionStats:
    """What :func:`select_units` saw, kept and removed (filled while the units are consumed).

    ``removed[name]`` counts units removed by each filter of :data:`FILTERS`;
    a unit is counted once, by the first filter that removes it.
    ``swapped`` counts kept units whose sides were exchanged to match ``langs``.
    """

    seen: int = 0
    kept: int = 0
    swapped: int = 0
    removed: dict[str, int] = field(default_factory=lambda: {name: 0 for name in FILTERS})

    def as_dict(self) -> dict[str, object]:
        """Plain data for JSON summaries."""
        return {"seen": self.seen, "kept": self.kept, "swapped": self.swapped, "removed": dict(self.removed)}


def _pair_key(unit: TranslationUnit) -> int:
    """8-byte digest of the pair (sides stripped): ~70 bytes of memory per unique unit in the set."""
    h = hashlib.blake2b(digest_size=8)
    h.update(unit.src_text.strip().encode("utf-8", "surrogatepass"))
    h.update(b"\x00")
    h.update(unit.tgt_text.strip().encode("utf-8", "surrogatepass"))
    return int.from_bytes(h.digest(), "big")


def select_units(
    results: Iterable[DocResult],
    stats: SelectionStats,
    *,
    min_score: float = 0.0,
    one_to_one_only: bool = True,
    dedupe: bool = False,
    langs: tuple[str, str] | None = None,
) -> Iterator[TranslationUnit]:
    """Stream the units worth exporting from many documents, counting removals in ``stats``.

    Filters, in order: a side is empty (1-0/0-1 beads: never exported, there is
    no pair); the document's language pair is not ``{langs}`` (units of the
    pair in the other direction are swapped to ``langs[0]→langs[1]``, not
    removed); the bead is not 1-1 (unless ``one_to_one_only`` is False);
    ``score < min_score``; the same (source, target) pair, ignoring leading and
    trailing spaces, was already kept (only when ``dedupe``).

    Memory is flat in the number of units, except ``dedupe``, which keeps an
    8-byte digest per unique unit. ``stats`` is complete once the iterator is
    exhausted.
    """
    seen_keys: set[int] = set()
    for result in results:
        for unit in bead_units(result):
            stats.seen += 1
            was_swapped = False
            if not unit.src_text.strip() or not unit.tgt_text.strip():
                stats.removed["empty_side"] += 1
                continue
            if langs is not None:
                if (unit.src_lang, unit.tgt_lang) == (langs[1], langs[0]):
                    unit = unit.swapped()
                    was_swapped = True
                elif (unit.src_lang, unit.tgt_lang) != langs:
                    stats.removed["other_langs"] += 1
                    continue
            if one_to_one_only and unit.kind != "1-1":
                stats.removed["not_1_1"] += 1
                continue
            if unit.score < min_score:
                stats.removed["below_min_score"] += 1
                continue
            if dedupe:
                key = _pair_key(unit)
                if key in seen_keys:
                    stats.removed["duplicate"] += 1
                    continue
                seen_keys.add(key)
            stats.kept += 1
            stats.swapped += was_swapped
            yield unit
