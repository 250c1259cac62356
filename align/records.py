"""The shared records of bitextqa: Document, Segment, Bead, Finding and friends.

Every part of the product (aligner, checks, reports, exports) speaks in these
plain, frozen dataclasses; they serialise to JSON with :func:`to_json_dict`
and back with the ``from_dict`` class methods.

Conventions used throughout:

* character offsets are Python ``str`` indices (code points, not bytes) into
  ``Document.text``; ``end`` is exclusive;
* ``line`` is 1-based, counted in the decoded source file;
* segment ``idx`` is 0-based within its document (one language version);
* ``lang`` is a BCP-47 primary tag such as ``"zh"`` or ``"en"``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Mapping


class Origin(str, Enum):
    """How a Document was obtained from its input file."""

    FILE = "file"  #: the whole file is one language version
    INTERLEAVED = "interleaved"  #: one language of a file alternating languages by paragraph
    LANGUAGE_RUN = "language_run"  #: a language run found inside a mixed-language file
    MANIFEST = "manifest"  #: named by a pairs manifest


class Severity(str, Enum):
    """How bad a Finding is, most severe first."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Region:
    """A character range ``[start, end)`` of ``Document.text`` that belongs to the document."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Document:
    """One language version of one document.

    ``text`` is the whole decoded source file, in its original script, so that
    every offset points into the file a reviewer can open. ``regions`` says which
    character ranges of it belong to this language version: the whole text for
    a monolingual file, every other paragraph for an interleaved file, the
    language runs for a mixed file.
    """

    doc_id: str
    path: str
    lang: str
    text: str
    encoding: str
    origin: Origin
    regions: tuple[Region, ...]

    @property
    def content(self) -> str:
        """This version's own text: its regions joined by newlines (for hashing and display)."""
        return "\n".join(self.text[r.start : r.end] for r in self.regions)


@dataclass(frozen=True, slots=True)
class Segment:
    """One sentence of a Document, with exact offsets into ``Document.text``."""

    doc_id: str
    lang: str
    idx: int
    text: str  #: original text, ``== Document.text[start:end]``
    norm: str  #: form used for comparison (Simplified Chinese, normalised width and spaces)
    start: int
    end: int  #: exclusive
    line: int  #: 1-based line of ``start`` in the source file


@dataclass(frozen=True, slots=True)
class Bead:
    """One alignment unit: source and target segment indices (either may be empty).

    ``score`` is the calibrated probability in [0, 1] that the bead is right;
    ``sim`` the raw similarity the aligner used; ``signals`` the named inputs
    that produced the score (e.g. ``{"cos": 0.81, "margin": 1.12, "len_ratio": 0.9}``).
    """

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float
    sim: float
    signals: Mapping[str, float] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        """The bead's shape as ``"<n>-<m>"``, e.g. ``"1-1"``, ``"2-1"``, ``"1-0"``."""
        return f"{len(self.src)}-{len(self.tgt)}"

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Bead":
        """Rebuild a Bead from :func:`to_json_dict` output."""
        return cls(
            src=tuple(d["src"]),
            tgt=tuple(d["tgt"]),
            score=float(d["score"]),
            sim=float(d["sim"]),
            signals=dict(d.get("signals", {})),
        )


@dataclass(frozen=True, slots=True)
class Span:
    """An exact place in a source file: document, language, character range and line."""

    doc_id: str
    lang: str
    path: str
    start: int
    end: int  #: exclusive
    line: int  #: 1-based

    @classmethod
    def of_segment(cls, seg: Segment, path: str) -> "Span":
        """The span covering one whole segment."""
        return cls(seg.doc_id, seg.lang, path, seg.start, seg.end, seg.line)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any] | None) -> "Span | None":
        """Rebuild a Span (or None) from :func:`to_json_dict` output."""
        if d is None:
            return None
        return cls(d["doc_id"], d["lang"], d["path"], int(d["start"]), int(d["end"]), int(d["line"]))


@dataclass(frozen=True, slots=True)
class Finding:
    """One QA result a reviewer acts on.

    ``check`` is a stable snake_case name (``unaligned_source``,
    ``source_text_in_target``, ``number_mismatch`` ...); ``evidence`` a small
    JSON-serialisable dict of what was compared; ``message`` one sentence a
    reviewer understands without reading code.
    """

    check: str
    severity: Severity
    doc_id: str
    message: str
    src_span: Span | None = None
    tgt_span: Span | None = None
    evidence: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Finding":
        """Rebuild a Finding from :func:`to_json_dict` output."""
        return cls(
            check=d["check"],
            severity=Severity(d["severity"]),
            doc_id=d["doc_id"],
            message=d["message"],
            src_span=Span.from_dict(d.get("src_span")),
            tgt_span=Span.from_dict(d.get("tgt_span")),
            evidence=dict(d.get("evidence", {})),
        )


SEVERITY_ORDER: Mapping[Severity, int] = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def finding_sort_key(f: Finding) -> tuple:
    """A total, deterministic order for findings: document, position, severity, check."""
    span = f.src_span or f.tgt_span
    pos = (span.lang, span.start) if span else ("", -1)
    return (f.doc_id, pos, SEVERITY_ORDER[f.severity], f.check, f.message)


def to_json_dict(obj: Any) -> Any:
    """Turn a record (or nested records, tuples, enums) into JSON-ready plain data."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_json_dict(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, Mapping):
        return {str(k): to_json_dict(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_json_dict(v) for v in obj]
    if hasattr(obj, "item") and callable(obj.item):  # numpy scalar
        return obj.item()
    return obj


def document_from_dict(d: Mapping[str, Any]) -> Document:
    """Rebuild a Document from :func:`to_json_dict` output."""
    return Document(
        doc_id=d["doc_id"],
        path=d["path"],
        lang=d["lang"],
        text=d["text"],
        encoding=d["encoding"],
        origin=Origin(d["origin"]),
        regions=tuple(Region(int(r["start"]), int(r["end"])) for r in d["regions"]),
    )


def segment_from_dict(d: Mapping[str, Any]) -> Segment:
    """Rebuild a Segment from :func:`to_json_dict` output."""
    return Segment(
        doc_id=d["doc_id"],
        lang=d["lang"],
        idx=int(d["idx"]),
        text=d["text"],
        norm=d["norm"],
        start=int(d["start"]),
        end=int(d["end"]),
        line=int(d["line"]),
    )


@dataclass(frozen=True, slots=True)
class InputUnit:
    """What ingestion makes of one input: one document's language versions.

    ``kind`` is ``"interleaved"`` (one file alternating languages by paragraph),
    ``"pair"`` (two files, one per language), or ``"monolingual"`` (one file in
    one language, possibly with runs of another language inside it).
    ``notes`` are human-readable remarks about the input's shape, each naming
    the file and line (e.g. a doubled paragraph in an interleaved file).
    """

    doc_id: str
    kind: str
    documents: tuple[Document, ...]
    notes: tuple[str, ...] = ()

    def by_lang(self, lang: str) -> Document | None:
        """The language version in ``lang``, or None."""
        for d in self.documents:
            if d.lang == lang:
                return d
        return None


def input_unit_from_dict(d: Mapping[str, Any]) -> InputUnit:
    """Rebuild an InputUnit from :func:`to_json_dict` output."""
    return InputUnit(
        doc_id=d["doc_id"],
        kind=d["kind"],
        documents=tuple(document_from_dict(x) for x in d["documents"]),
        notes=tuple(d.get("notes", ())),
    )


@dataclass(frozen=True, slots=True)
class DocResult:
    """Everything known about one document after a run: what the report and exports read.

    ``src``/``tgt`` may be None when a document has no counterpart; then the
    other side's segments are all in 1-0 (or 0-1) beads.
    """

    doc_id: str
    src_lang: str
    tgt_lang: str
    src: Document | None
    tgt: Document | None
    src_segments: tuple[Segment, ...]
    tgt_segments: tuple[Segment, ...]
    beads: tuple[Bead, ...]
    findings: tuple[Finding, ...]
    notes: tuple[str, ...] = ()
