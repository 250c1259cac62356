"""Per-document decisions between the stages: which version is the source, and
what a document without a counterpart aligns to.

Pure functions; the Luigi tasks in :mod:`pipelines.tasks` call them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from .records import Bead, Document, InputUnit


@dataclass(frozen=True, slots=True)
class Sides:
    """The source and target versions chosen for one document (either may be None)."""

    src_lang: str
    tgt_lang: str
    src: Document | None
    tgt: Document | None
    notes: tuple[str, ...] = ()


def choose_sides(unit: InputUnit, src_lang: str, tgt_lang: str) -> Sides:
    """Decide which language version of ``unit`` is the source and which the target.

    The configured pair decides when the unit's languages are among it. A unit
    in two other languages keeps its first-appearing language as the source and
    says so in a note; a monolingual unit in a language outside the pair is
    treated as a source with no counterpart.
    """
    langs = [d.lang for d in unit.documents]
    if len(unit.documents) == 1:
        doc = unit.documents[0]
        if doc.lang == tgt_lang:
            return Sides(src_lang, tgt_lang, None, doc)
        notes = ()
        if doc.lang != src_lang:
            notes = (f"{doc.path}: written in {doc.lang!r}, outside the configured pair {src_lang}→{tgt_lang}; "
                     f"treated as a source with no counterpart.",)
        return Sides(doc.lang if notes else src_lang, tgt_lang, doc, None, notes)
    src = unit.by_lang(src_lang)
    tgt = unit.by_lang(tgt_lang)
    if src is not None and tgt is not None:
        return Sides(src_lang, tgt_lang, src, tgt)
    if src is not None or tgt is not None:
        # One side of the configured pair plus another language: pair it with the other one.
        known = src or tgt
        other = next(d for d in unit.documents if d is not known)
        if src is not None:
            return Sides(src_lang, other.lang, src, other,
                         (f"{unit.doc_id}: no {tgt_lang!r} version; aligned {src_lang}→{other.lang} instead.",))
        return Sides(other.lang, tgt_lang, other, tgt,
                     (f"{unit.doc_id}: no {src_lang!r} version; aligned {other.lang}→{tgt_lang} instead.",))
    first, second = unit.documents[0], unit.documents[1]
    return Sides(
        first.lang, second.lang, first, second,
        (f"{unit.doc_id}: languages {', '.join(langs)} are outside the configured pair "
         f"{src_lang}→{tgt_lang}; aligned {first.lang}→{second.lang} in order of appearance.",),
    )


def beads_without_counterpart(n_src: int, n_tgt: int) -> tuple[Bead, ...]:
    """Beads for a document whose other version is missing: every sentence on its own.

    The score is 1.0 because nothing is uncertain: there is nothing to align to.
    """
    src = tuple(Bead((i,), (), 1.0, 0.0, {"no_counterpart": 1.0}) for i in range(n_src))
    tgt = tuple(Bead((), (j,), 1.0, 0.0, {"no_counterpart": 1.0}) for j in range(n_tgt))
    return src + tgt


def check_coverage(beads: Sequence[Bead], n_src: int, n_tgt: int) -> None:
    """Raise ValueError unless every source and target index appears in exactly one bead, in order."""
    src = [i for b in beads for i in b.src]
    tgt = [j for b in beads for j in b.tgt]
    if sorted(src) != list(range(n_src)) or sorted(tgt) != list(range(n_tgt)):
        raise ValueError(
            f"alignment does not cover every sentence exactly once "
            f"({len(src)} source indices for {n_src} sentences, {len(tgt)} target indices for {n_tgt})"
        )
