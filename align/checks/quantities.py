"""Number checks: ``number_mismatch`` and ``dropped_number``.

Within each bead that has both sides, the quantities of the source and the
target sentences (see :mod:`align.numbers`) are compared by value. A value
with no equal on the other side is paired with the closest value of the same
kind there (a mismatch) or, if there is none, reported as present on one side
only; a precise value written more often on one side than on the other
(``2012年以来……相较2012年`` against one "2012") is reported as dropped too. A
number found with the very same value in a neighbouring bead, more often on
that bead's other side than on its own side, is not reported as dropped: that
is a sentence-boundary question, not a lost number.
"""

from __future__ import annotations

import dataclasses
from typing import Iterator

from ..langid import detect_language, language_name
from ..numbers import Quantity, compare_quantities, extract_quantities, format_value, quantities_equal
from ..records import Finding, Severity
from .context import CheckContext


def _bead_quantities(ctx: CheckContext, side: str, idxs: tuple[int, ...]) -> list[Quantity]:
    """The quantities of some segments of ``side``, with offsets into ``Document.text``."""
    out: list[Quantity] = []
    langs = (ctx.lang(side), ctx.lang("tgt" if side == "src" else "src"))
    for i in idxs:
        seg = ctx.segment(side, i)
        # Text left in the other language (a copied source) is read as that language.
        lang = detect_language(seg.text, langs) or ctx.lang(side)
        for q in extract_quantities(seg.text, lang):
            out.append(dataclasses.replace(q, start=q.start + seg.start, end=q.end + seg.start))
    return out


def _shown(q: Quantity) -> str:
    """How a quantity is named in a message: as written, plus its value when that differs."""
    value = format_value(q)
    written = q.text.strip()
    return f"“{written}”" if written.replace(",", "") == value.replace(",", "") else f"“{written}” ({value})"


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def _number_findings(ctx: CheckContext) -> Iterator[Finding]:
    if ctx.src_doc is None or ctx.tgt_doc is None:
        return
    src_name, tgt_name = language_name(ctx.src_lang), language_name(ctx.tgt_lang)
    paired = [(b_i, b) for b_i, b in enumerate(ctx.beads) if b.src and b.tgt]
    cache: dict[int, tuple[list[Quantity], list[Quantity]]] = {}

    def quantities(b_i: int) -> tuple[list[Quantity], list[Quantity]]:
        if b_i not in cache:
            b = ctx.beads[b_i]
            cache[b_i] = (_bead_quantities(ctx, "src", b.src), _bead_quantities(ctx, "tgt", b.tgt))
        return cache[b_i]

    def in_neighbour(b_i: int, q: Quantity, side: str) -> bool:
        """Whether an adjacent bead's ``side`` holds ``q``'s value more often than its other side:
        the number crossed a sentence boundary drawn differently. One the neighbour's own
        other side accounts for (a year said in both of its languages) does not count."""
        for n in (b_i - 1, b_i + 1):
            if 0 <= n < len(ctx.beads) and ctx.beads[n].src and ctx.beads[n].tgt:
                there, own = quantities(n) if side == "src" else quantities(n)[::-1]
                if sum(quantities_equal(q, x) for x in there) > sum(quantities_equal(q, x) for x in own):
                    return True
        return False

    for b_i, bead in paired:
        src_q, tgt_q = quantities(b_i)
        if not src_q and not tgt_q:
            continue
        cmp = compare_quantities(src_q, tgt_q)
        tgt_bead_span = ctx.segment_span("tgt", ctx.bead_segments(bead, "tgt"))
        src_bead_span = ctx.segment_span("src", ctx.bead_segments(bead, "src"))
        for s, t in cmp.mismatched:
            yield Finding(
                check="number_mismatch",
                severity=Severity.ERROR,
                doc_id=ctx.doc_id,
                message=(f"The number {_shown(s)} in the {src_name} does not match "
                         f"{_shown(t)} in the {tgt_name}, its closest counterpart."),
                src_span=ctx.span("src", s.start, s.end),
                tgt_span=ctx.span("tgt", t.start, t.end),
                evidence={"bead": b_i, "src_text": s.text, "src_value": s.value, "tgt_text": t.text,
                          "tgt_value": t.value, "kind": s.kind,
                          "src_values": [q.value for q in src_q], "tgt_values": [q.value for q in tgt_q]},
            )
        for side, only, extra in (("src", cmp.src_only, cmp.src_extra), ("tgt", cmp.tgt_only, cmp.tgt_extra)):
            for q in only + extra:
                other = "tgt" if side == "src" else "src"
                if in_neighbour(b_i, q, other):
                    continue
                here, there = (src_name, tgt_name) if side == "src" else (tgt_name, src_name)
                verb = "is missing from" if side == "src" else "has no source in"
                message = f"The number {_shown(q)} in the {here} {verb} the {there}."
                if q in extra:
                    mine = [x for x in (src_q if side == "src" else tgt_q) if quantities_equal(q, x)]
                    theirs = [x for x in (tgt_q if side == "src" else src_q) if quantities_equal(q, x)]
                    message = (f"The number {_shown(q)} is written {_times(len(mine))} in the {here} but "
                               f"{_times(len(theirs))} in the {there}: one occurrence "
                               f"{'may be missing from' if side == 'src' else 'may have no source in'} the {there}.")
                yield Finding(
                    check="dropped_number",
                    severity=Severity.WARNING,
                    doc_id=ctx.doc_id,
                    message=message,
                    src_span=ctx.span("src", q.start, q.end) if side == "src" else src_bead_span,
                    tgt_span=ctx.span("tgt", q.start, q.end) if side == "tgt" else tgt_bead_span,
                    evidence={"bead": b_i, "side": side, "text": q.text, "value": q.value, "kind": q.kind,
                              "repeated": q in extra,
                              "src_values": [x.value for x in src_q], "tgt_values": [x.value for x in tgt_q]},
                )


def number_mismatch(ctx: CheckContext) -> Iterator[Finding]:
    """Errors for values that differ between source and target (paired with the closest)."""
    return (f for f in _number_findings(ctx) if f.check == "number_mismatch")


def dropped_number(ctx: CheckContext) -> Iterator[Finding]:
    """Warnings for values present on one side of a bead only."""
    return (f for f in _number_findings(ctx) if f.check == "dropped_number")
