"""The rows of the side-by-side view as HTML, written directly rather than through Jinja2.

A long document has tens of thousands of rows and highlighted pieces; a Jinja2
loop with macros spent most of the report's rendering time on them (about 4x
slower than this). Every piece of text and every attribute value goes through
:func:`html.escape` with ``quote=True``; the rest of the page stays in the
templates.
"""

from __future__ import annotations

from html import escape
from typing import Sequence

from ..records import SEVERITY_ORDER, Finding
from .views import DocView, Row, SegView


def _mark_severity(fids: Sequence[int], findings: Sequence[Finding]) -> str:
    return min((findings[i].severity for i in fids), key=SEVERITY_ORDER.__getitem__).value


def _segment(seg: SegView, findings: Sequence[Finding], out: list[str]) -> None:
    out.append(f'<span class="seg" title="sentence {seg.idx}, line {seg.line}">' if seg.idx >= 0
               else f'<span class="seg" title="line {seg.line}">')
    for p in seg.pieces:
        if p.fids:
            title = "; ".join(f"{findings[i].check}: {findings[i].message}" for i in p.fids)
            out.append(f'<mark class="m-{_mark_severity(p.fids, findings)}" data-f="{" ".join(map(str, p.fids))}" '
                       f'title="{escape(title)}">{escape(p.text, quote=False)}</mark>')
        else:
            out.append(escape(p.text, quote=False))
    out.append("</span>")


def _cell(side: str, segs: Sequence[SegView], lang: str, row: Row, findings: Sequence[Finding], out: list[str]) -> None:
    if segs:
        out.append(f'<div class="cell {side}" lang="{escape(lang)}" dir="auto">')
        for seg in segs:
            _segment(seg, findings, out)
        out.append("</div>\n")
    else:
        label = "" if row.outside else f"no {escape(lang)} counterpart"
        out.append(f'<div class="cell {side} gap">{label}</div>\n')


def _score_bin(score: float) -> int:
    return min(4, max(0, int(score * 5)))


def rows_html(view: DocView) -> str:
    """The ``<div class="row">`` elements of a document page, in order, as one HTML string.

    Each row carries ``id`` (``b<pos>`` for beads, ``x<n>`` for text outside
    every segment), ``data-score`` (4 decimals), ``data-f`` (ids of its
    findings) and ``data-worst`` (its worst severity), which the page script
    filters and sorts on.
    """
    findings = [fv.finding for fv in view.findings]
    r = view.result
    out: list[str] = []
    for row in view.rows:
        cls = "row"
        if row.fids:
            cls += f" has-f w-{row.worst}"
        if row.outside:
            cls += " outside"
        attrs = f'class="{cls}" id="{row.row_id}" tabindex="-1"'
        if row.score is not None:
            attrs += f' data-score="{row.score:.4f}"'
        if row.fids:
            attrs += f' data-f="{" ".join(map(str, row.fids))}" data-worst="{row.worst}"'
        lines = "/".join(str(segs[0].line) if segs else "–" for segs in (row.src, row.tgt))
        out.append(f"<div {attrs}>\n<div class=\"pos\">{'' if row.pos is None else row.pos}"
                   f"<span class=\"ln\">{lines}</span></div>\n")
        _cell("src", row.src, r.src_lang, row, findings, out)
        _cell("tgt", row.tgt, r.tgt_lang, row, findings, out)
        if row.score is not None:
            out.append(f'<div class="meta"><span class="score s{_score_bin(row.score)}" '
                       f'title="calibrated score; similarity {row.sim or 0.0:.3f}">{row.score:.2f}</span> '
                       f"{escape(row.kind)}</div>\n")
        else:
            out.append('<div class="meta">outside the aligned sentences</div>\n')
        out.append("</div>\n")
    return "".join(out)
