"""Small inline SVG charts for the report (no chart library, nothing to download).

Written by hand: a few rectangles and a polyline, where a charting library
would mean shipping (or fetching) tens of kilobytes of JavaScript. Every label
is XML-escaped here; the returned string is trusted markup.
"""

from __future__ import annotations

from html import escape
from typing import Sequence

#: Score bins of the per-document chart: lower edges, in [0, 1].
SCORE_BINS = (0.0, 0.2, 0.4, 0.6, 0.8)
BIN_COLOURS = ("#c62828", "#ef6c00", "#f9a825", "#7cb342", "#2e7d32")
GAP_COLOUR = "#9e9e9e"


def bin_counts(scores: Sequence[float]) -> list[int]:
    """How many scores fall in each bin of :data:`SCORE_BINS` (the last bin includes 1.0)."""
    counts = [0] * len(SCORE_BINS)
    for s in scores:
        i = len(SCORE_BINS) - 1
        while i > 0 and s < SCORE_BINS[i]:
            i -= 1
        counts[i] += 1
    return counts


def _bin_label(i: int) -> str:
    hi = SCORE_BINS[i + 1] if i + 1 < len(SCORE_BINS) else 1.0
    return f"score {SCORE_BINS[i]:.1f}–{hi:.1f}"


def score_bars_svg(
    docs: Sequence[tuple[str, Sequence[float], int]], width: int = 720, hrefs: Sequence[str] | None = None
) -> str:
    """One stacked bar per document: its aligned beads by score bin, then its unaligned beads.

    ``docs`` is ``(doc_id, scores of beads with both sides, number of 1-0/0-1 beads)``;
    ``hrefs`` (one relative URL per document) turn the labels into links.
    Bars are scaled to 100% of each document's beads; counts are in the tooltips.
    """
    label_w, bar_w, row_h = 190, width - 190 - 70, 22
    legend_h = 26
    height = legend_h + row_h * max(1, len(docs)) + 4
    out = [
        f'<svg class="chart" role="img" aria-label="Bead scores per document" xmlns="http://www.w3.org/2000/svg" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
    ]
    x = label_w
    for i, colour in enumerate(BIN_COLOURS):
        out.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{colour}"/>'
                   f'<text x="{x + 16}" y="16" class="legend">{escape(_bin_label(i)[6:])}</text>')
        x += 78
    out.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{GAP_COLOUR}"/>'
               f'<text x="{x + 16}" y="16" class="legend">unaligned</text>')
    for row, (doc_id, scores, gaps) in enumerate(docs):
        y = legend_h + row * row_h
        label = doc_id if len(doc_id) <= 28 else doc_id[:27] + "…"
        text = (f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end" class="label">'
                f'<title>{escape(doc_id)}</title>{escape(label)}</text>')
        out.append(f'<a href="{escape(hrefs[row])}">{text}</a>' if hrefs else text)
        counts = bin_counts(scores) + [gaps]
        total = sum(counts)
        colours = BIN_COLOURS + (GAP_COLOUR,)
        names = [_bin_label(i) for i in range(len(SCORE_BINS))] + ["unaligned"]
        x = float(label_w)
        if total == 0:
            out.append(f'<text x="{x}" y="{y + 15}" class="label">no beads</text>')
            continue
        for n, colour, name in zip(counts, colours, names):
            if n == 0:
                continue
            w = bar_w * n / total
            out.append(f'<rect x="{x:.2f}" y="{y + 3}" width="{w:.2f}" height="{row_h - 6}" fill="{colour}">'
                       f'<title>{escape(doc_id)}: {n} bead{"s" if n != 1 else ""}, {escape(name)}</title></rect>')
            x += w
        out.append(f'<text x="{label_w + bar_w + 6}" y="{y + 15}" class="label">{total}</text>')
    out.append("</svg>")
    return "".join(out)


def score_track_svg(scores: Sequence[float], gaps: Sequence[int], width: int = 720, height: int = 70) -> str:
    """Bead scores along the document (x: bead position, y: score 0–1), gaps as grey ticks.

    Long documents are bucketed to at most ``width // 2`` points, each showing
    the lowest score of its bucket so that drops stay visible.
    """
    n = len(scores)
    out = [f'<svg class="track" role="img" aria-label="Bead scores along the document" '
           f'xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
           f'<rect x="0" y="0" width="{width}" height="{height - 10}" class="track-bg"/>']
    if n:
        buckets = min(n, max(1, width // 2))
        plot_h = height - 14
        pts = []
        for b in range(buckets):
            lo, hi = b * n // buckets, max(b * n // buckets + 1, (b + 1) * n // buckets)
            s = min(scores[lo:hi])
            x = (b + 0.5) * width / buckets
            pts.append(f"{x:.1f},{2 + (1 - s) * plot_h:.1f}")
        out.append(f'<polyline fill="none" stroke="#1565c0" stroke-width="1.2" points="{" ".join(pts)}"/>')
        for g in gaps:
            x = (g + 0.5) * width / n
            out.append(f'<rect x="{x - 0.75:.1f}" y="{height - 9}" width="1.5" height="9" fill="{GAP_COLOUR}"/>')
    out.append("</svg>")
    return "".join(out)
