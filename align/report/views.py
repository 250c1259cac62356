"""What the report pages show, as plain data built from DocResults and the run summary.

Pure functions: the templates only lay these views out. A document page is a
list of :class:`Row` s, one per bead in alignment order (plus a row for any
finding span that falls outside every segment), each side cut into
highlighted :class:`~align.report.highlight.Piece` s, and the list of
:class:`FindingView` s pointing at their rows.
"""

from __future__ import annotations

import bisect
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from .. import run_summary
from ..records import SEVERITY_ORDER, DocResult, Document, Finding, Segment, Severity, Span, finding_sort_key
from .highlight import Piece, split_marks

SEVERITIES = tuple(s.value for s in Severity)


@dataclass(slots=True)
class SegView:
    """One segment in a row: its 0-based index, 1-based line and highlighted pieces."""

    idx: int
    line: int
    pieces: list[Piece]


@dataclass(slots=True)
class Row:
    """One line of the side-by-side view.

    ``pos`` is the 0-based bead position, or None for a row that shows text a
    finding points at outside every segment (``outside`` is then its side,
    ``"src"`` or ``"tgt"``). An empty ``src`` or ``tgt`` is a gap (unaligned).
    """

    row_id: str
    pos: int | None
    kind: str
    score: float | None
    sim: float | None
    src: list[SegView]
    tgt: list[SegView]
    fids: list[int] = field(default_factory=list)
    worst: str | None = None
    outside: str | None = None


@dataclass(slots=True)
class FindingView:
    """A finding as listed in the report: its id on the page, row anchor and span texts."""

    fid: int
    finding: Finding
    row_id: str | None
    src_text: str | None
    tgt_text: str | None

    @property
    def line(self) -> int | None:
        """1-based line of the first span, for display."""
        span = self.finding.src_span or self.finding.tgt_span
        return span.line if span else None


def evidence_text(evidence: Mapping[str, Any], limit: int = 60) -> str:
    """A one-line reading of a finding's evidence: ``key value · key value``.

    Floats get 3 decimals, lists are joined with commas, and any value longer
    than ``limit`` characters is cut with an ellipsis.

    >>> evidence_text({"tgt_value": 17.5, "src_value": 15.7, "segments": [3, 4]})
    'segments 3, 4 · src value 15.7 · tgt value 17.5'
    """
    parts = []
    for key in sorted(evidence):
        value = evidence[key]
        if isinstance(value, float):
            text = f"{value:.3f}".rstrip("0").rstrip(".")
        elif isinstance(value, (list, tuple)):
            text = ", ".join(str(v) for v in value)
        elif isinstance(value, Mapping):
            text = json.dumps(value, ensure_ascii=False, sort_keys=True)
        else:
            text = str(value)
        if len(text) > limit:
            text = text[: limit - 1] + "…"
        parts.append(f"{key.replace('_', ' ')} {text}")
    return " · ".join(parts)


@dataclass(slots=True)
class DocView:
    """Everything the page of one document shows.

    ``findings`` are in page order (by their first row; findings about the
    whole document first); ``FindingView.fid`` is the finding's id in the
    marks and rows (``Row.fids``, ``Piece.fids``), not its list position.
    """

    result: DocResult
    rows: list[Row]
    findings: list[FindingView]
    counts: dict[str, Any]
    checks: list[str]
    scores: list[float]
    gaps: list[int]


def doc_counts(result: DocResult) -> dict[str, Any]:
    """The run summary's counts of one document (:func:`align.run_summary.doc_counts`),
    plus its unaligned sentences per side (``unaligned_src``, ``unaligned_tgt``)."""
    counts = dict(run_summary.doc_counts(result))
    counts["unaligned_src"] = sum(len(b.src) for b in result.beads if not b.tgt)
    counts["unaligned_tgt"] = sum(len(b.tgt) for b in result.beads if not b.src)
    return counts


def _document_for(span: Span, own: Document | None, other: Document | None) -> Document | None:
    for doc in (own, other):
        if doc is not None and doc.path == span.path:
            return doc
    return own


def _text_of(span: Span | None, docs: Sequence[Document | None]) -> str | None:
    if span is None:
        return None
    for doc in docs:
        if doc is not None and doc.path == span.path and 0 <= span.start <= span.end <= len(doc.text):
            return doc.text[span.start : span.end]
    return None


class _SideIndex:
    """Segments of one side sorted by start offset, for finding the ones a span overlaps."""

    def __init__(self, segments: Sequence[Segment], doc: Document | None) -> None:
        self.order = sorted(segments, key=lambda s: (s.start, s.idx))
        self.starts = [s.start for s in self.order]
        self.doc = doc
        # Longest segment, so a scan can start early enough to catch a segment covering span.start.
        self.max_len = max((s.end - s.start for s in self.order), default=0)
        self.last_end = max((s.end for s in self.order), default=0)

    def overlapping(self, span: Span) -> list[Segment]:
        """Segments sharing at least one character with the span (or containing an empty span)."""
        i = bisect.bisect_left(self.starts, span.start - self.max_len)
        hits = []
        while i < len(self.order) and self.order[i].start <= span.end:
            s = self.order[i]
            if (s.start < span.end and s.end > span.start) or (span.start == span.end and s.start <= span.start <= s.end):
                hits.append(s)
            i += 1
        return hits

    def covered_whole(self, span: Span) -> bool:
        """True when the span covers every segment of this side and there are at least two."""
        return len(self.order) >= 2 and span.start <= self.order[0].start and span.end >= self.last_end

    def preceding(self, offset: int) -> Segment | None:
        """The last segment starting before ``offset``."""
        i = bisect.bisect_left(self.starts, offset)
        return self.order[i - 1] if i > 0 else None


def build_doc_view(result: DocResult) -> DocView:
    """Lay one document out as rows (beads in order) with every finding span highlighted."""
    findings = sorted(result.findings, key=finding_sort_key)
    sides = {
        "src": (_SideIndex(result.src_segments, result.src), result.src_segments),
        "tgt": (_SideIndex(result.tgt_segments, result.tgt), result.tgt_segments),
    }
    # Which row each segment is in.
    seg_row: dict[tuple[str, int], int] = {}
    for pos, bead in enumerate(result.beads):
        for i in bead.src:
            seg_row[("src", i)] = pos
        for i in bead.tgt:
            seg_row[("tgt", i)] = pos

    marks: dict[tuple[str, int], list[tuple[int, int, int]]] = {}
    row_fids: dict[int, list[int]] = {}
    outside: list[tuple[int, str, Span, int]] = []  # (after row, side, span, fid)
    first_row: dict[int, str] = {}
    for fid, f in enumerate(findings):
        for side, span in (("src", f.src_span), ("tgt", f.tgt_span)):
            if span is None:
                continue
            other = "tgt" if side == "src" else "src"
            if span.doc_id != result.doc_id:
                continue  # a place in another document (e.g. an earlier translation): listed only
            if sides[side][0].covered_whole(span):
                continue  # about the whole document: listed, not painted over every row
            hit_side, hits = side, sides[side][0].overlapping(span)
            if not hits:
                # A span may point into the other language version of the same file
                # (e.g. text of one language found inside the other's paragraphs).
                other_doc = sides[other][0].doc
                if other_doc is not None and other_doc.path == span.path:
                    hit_side, hits = other, sides[other][0].overlapping(span)
            if hits:
                for seg in hits:
                    marks.setdefault((hit_side, seg.idx), []).append((span.start, span.end, fid))
                    pos = seg_row.get((hit_side, seg.idx))
                    if pos is not None:
                        row_fids.setdefault(pos, []).append(fid)
                        first_row.setdefault(fid, f"b{pos}")
            else:
                before = sides[side][0].preceding(span.start)
                after_row = seg_row.get((side, before.idx), -1) if before else -1
                outside.append((after_row, side, span, fid))

    docs = {"src": result.src, "tgt": result.tgt}

    def seg_views(side: str, idxs: Sequence[int]) -> list[SegView]:
        segs = sides[side][1]
        return [
            SegView(segs[i].idx, segs[i].line, split_marks(segs[i].text, segs[i].start, marks.get((side, i), ())))
            for i in idxs
        ]

    def worst(fids: Sequence[int]) -> str | None:
        if not fids:
            return None
        return min((findings[i].severity for i in fids), key=SEVERITY_ORDER.__getitem__).value

    extra: dict[int, list[Row]] = {}
    for n, (after_row, side, span, fid) in enumerate(sorted(outside, key=lambda t: (t[0], t[2].start, t[3]))):
        doc = _document_for(span, docs[side], docs["tgt" if side == "src" else "src"])
        text = _text_of(span, [doc]) or ""
        view = [SegView(-1, span.line, [Piece(text, (fid,))])] if text else []
        row = Row(f"x{n}", None, "outside", None, None, view if side == "src" else [], view if side == "tgt" else [],
                  [fid], findings[fid].severity.value, side)
        extra.setdefault(after_row, []).append(row)
        first_row.setdefault(fid, row.row_id)

    rows: list[Row] = list(extra.get(-1, []))
    for pos, bead in enumerate(result.beads):
        fids = sorted(set(row_fids.get(pos, [])))
        rows.append(Row(f"b{pos}", pos, bead.kind, float(bead.score), float(bead.sim),
                        seg_views("src", bead.src), seg_views("tgt", bead.tgt), fids, worst(fids)))
        rows.extend(extra.get(pos, []))

    all_docs = [result.src, result.tgt]
    fviews = [
        FindingView(fid, f, first_row.get(fid), _text_of(f.src_span, all_docs), _text_of(f.tgt_span, all_docs))
        for fid, f in enumerate(findings)
    ]
    # List findings in page order (whole-document ones first), so j/k walks down the page.
    row_order = {row.row_id: n for n, row in enumerate(rows)}
    fviews.sort(key=lambda fv: (row_order.get(fv.row_id, -1) if fv.row_id else -1, fv.fid))
    return DocView(
        result=result,
        rows=rows,
        findings=fviews,
        counts=doc_counts(result),
        checks=sorted({f.check for f in findings}),
        scores=[float(b.score) for b in result.beads],
        gaps=[pos for pos, b in enumerate(result.beads) if not (b.src and b.tgt)],
    )


# ---------------------------------------------------------------- run level


@dataclass(slots=True)
class FailedDoc:
    """A document that did not complete, with what went wrong."""

    doc_id: str
    paths: list[str]
    stage: str | None
    message: str


def failed_documents(summary: Mapping[str, Any]) -> list[FailedDoc]:
    """The failed documents named in a run summary, whichever of its layouts it uses.

    Accepts ``summary["failed"]`` or ``summary["documents"]["failed"]``, each a
    list of dicts (``doc_id``, ``paths``/``path``, ``stage``, ``message``/``error``)
    or a mapping doc_id → message; anything missing is shown as empty.
    """
    raw: Any = summary.get("failed")
    if raw is None and isinstance(summary.get("documents"), Mapping):
        raw = summary["documents"].get("failed")
    if isinstance(raw, Mapping):
        raw = [{"doc_id": k, "message": v} if not isinstance(v, Mapping) else {"doc_id": k, **v} for k, v in raw.items()]
    out: list[FailedDoc] = []
    for item in raw or []:
        if not isinstance(item, Mapping):
            out.append(FailedDoc(str(item), [], None, ""))
            continue
        paths = item.get("paths") or ([item["path"]] if item.get("path") else [])
        message = item.get("message") or item.get("error") or ""
        out.append(FailedDoc(str(item.get("doc_id", "?")), [str(p) for p in paths], item.get("stage"), str(message)))
    return out


def signature_items(summary: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(label, value) pairs that identify how the run was made: version, encoder, settings.

    Reads ``summary["signature"]`` if present, else the top level; unknown
    layouts simply give fewer items.
    """
    sig = summary.get("signature") if isinstance(summary.get("signature"), Mapping) else summary
    items: list[tuple[str, str]] = []
    for key, label in (
        ("tool", "tool"),
        ("version", "version"),
        ("tool_version", "version"),
        ("model", "encoder"),
        ("encoder", "encoder"),
        ("model_revision", "encoder revision"),
        ("encoder_revision", "encoder revision"),
        ("index", "index"),
        ("segmenter", "segmenter"),
        ("python", "python"),
    ):
        value = sig.get(key)
        if value not in (None, "", {}) and not isinstance(value, (Mapping, list)):
            items.append((label, str(value)))
    settings = sig.get("settings") or summary.get("settings")
    if isinstance(settings, Mapping):
        items.append(("settings", " · ".join(f"{k}={v}" for k, v in flatten_settings(settings))))
    elif settings:
        items.append(("settings", str(settings)))
    return items


def flatten_settings(settings: Mapping[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """Nested settings as sorted ``(dotted.key, JSON value)`` pairs.

    >>> flatten_settings({"model": "usem3", "aligner": {"band": 12, "anchors": True}})
    [('aligner.anchors', 'true'), ('aligner.band', '12'), ('model', '"usem3"')]
    """
    out: list[tuple[str, str]] = []
    for key in sorted(settings):
        value = settings[key]
        if isinstance(value, Mapping):
            out.extend(flatten_settings(value, f"{prefix}{key}."))
        else:
            out.append((f"{prefix}{key}", json.dumps(value, ensure_ascii=False)))
    return out


def findings_matrix(results: Sequence[DocResult]) -> list[tuple[str, dict[str, int], int]]:
    """Findings counted by check (rows, most first) and severity: ``(check, {severity: n}, total)``."""
    table: dict[str, Counter[str]] = {}
    for r in results:
        for f in r.findings:
            table.setdefault(f.check, Counter())[f.severity.value] += 1
    rows = [(check, {s: c[s] for s in SEVERITIES}, sum(c.values())) for check, c in table.items()]
    return sorted(rows, key=lambda t: (-t[2], t[0]))
