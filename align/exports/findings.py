"""Writers of a run's findings as CSV (for spreadsheets) and JSON (for tools).

``findings.csv``: one finding a row, flat columns (:data:`CSV_COLUMNS`), UTF-8
with a byte-order mark so Excel opens Chinese text correctly.
``findings.json``: one object with the tool version and a ``findings`` array;
its JSON Schema ships as package data (:func:`findings_schema`, file
``align/exports/schemas/findings.schema.json``) and is described in
``docs/findings-schema.md``.

Both writers stream: findings are written as they come, in the order given
(sort them with :func:`align.records.finding_sort_key` for stable files).
"""

from __future__ import annotations

import csv
import json
from importlib import resources
from typing import Any, Iterable, Mapping, TextIO

from .. import __version__
from ..records import DocResult, Finding, Span, to_json_dict

#: Version of the findings.json layout; bumped when a field changes meaning or is removed.
FINDINGS_SCHEMA_VERSION = 1

CSV_COLUMNS = (
    "check",
    "severity",
    "doc_id",
    "message",
    "src_path",
    "src_lang",
    "src_line",
    "src_start",
    "src_end",
    "src_text",
    "tgt_path",
    "tgt_lang",
    "tgt_line",
    "tgt_start",
    "tgt_end",
    "tgt_text",
    "evidence",
)

# Spreadsheets run a cell starting with one of these as a formula (CSV injection);
# text cells that start with one get a leading apostrophe, which Excel hides.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def document_texts(results: Iterable[DocResult]) -> dict[str, str]:
    """Map each document's ``path`` to its decoded text, to look up the text of finding spans."""
    texts: dict[str, str] = {}
    for r in results:
        for doc in (r.src, r.tgt):
            if doc is not None:
                texts.setdefault(doc.path, doc.text)
    return texts


def span_text(span: Span | None, texts: Mapping[str, str] | None) -> str | None:
    """The characters ``[start, end)`` of the span's file, or None when the text is not at hand."""
    if span is None or texts is None:
        return None
    text = texts.get(span.path)
    if text is None or not (0 <= span.start <= span.end <= len(text)):
        return None
    return text[span.start : span.end]


def _safe_cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def _span_cells(span: Span | None, texts: Mapping[str, str] | None) -> list[Any]:
    if span is None:
        return ["", "", "", "", "", ""]
    text = span_text(span, texts)
    return [span.path, span.lang, span.line, span.start, span.end, _safe_cell(text) if text is not None else ""]


def write_findings_csv(
    findings: Iterable[Finding],
    fh: TextIO,
    *,
    texts: Mapping[str, str] | None = None,
    bom: bool = True,
) -> int:
    """Write findings as CSV rows with the header :data:`CSV_COLUMNS`; return the number of rows.

    Open ``fh`` with ``encoding="utf-8", newline=""``: this function writes the
    byte-order mark itself (``bom=True``) so Excel detects UTF-8. ``texts``
    (path → decoded text, see :func:`document_texts`) fills ``src_text`` and
    ``tgt_text``. Offsets are 0-based characters, end exclusive; lines 1-based.
    ``evidence`` is a JSON object. Text cells starting with ``= + - @`` get a
    leading ``'`` so a spreadsheet does not run them as formulas.
    """
    if bom:
        fh.write("\ufeff")
    writer = csv.writer(fh)
    writer.writerow(CSV_COLUMNS)
    n = 0
    for f in findings:
        writer.writerow(
            [f.check, f.severity.value, f.doc_id, _safe_cell(f.message)]
            + _span_cells(f.src_span, texts)
            + _span_cells(f.tgt_span, texts)
            + [json.dumps(to_json_dict(f.evidence), ensure_ascii=False, sort_keys=True)]
        )
        n += 1
    return n


def finding_json(f: Finding, texts: Mapping[str, str] | None = None) -> dict[str, Any]:
    """One finding as the ``findings.json`` array item (spans get a ``text`` when it is known)."""
    d = to_json_dict(f)
    for side in ("src_span", "tgt_span"):
        if d.get(side) is not None:
            d[side]["text"] = span_text(getattr(f, side), texts)
    return d


def write_findings_json(
    findings: Iterable[Finding],
    fh: TextIO,
    *,
    texts: Mapping[str, str] | None = None,
) -> int:
    """Write ``{"schema_version", "tool", "tool_version", "findings": [...]}``; return the number of findings.

    Streams one finding at a time. The layout is the JSON Schema returned by
    :func:`findings_schema`. Text is written as UTF-8 (not ``\\u`` escapes).
    """
    head = {"schema_version": FINDINGS_SCHEMA_VERSION, "tool": "bitextqa", "tool_version": __version__}
    fh.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "findings": [')
    n = 0
    for f in findings:
        fh.write(",\n  " if n else "\n  ")
        fh.write(json.dumps(finding_json(f, texts), ensure_ascii=False, sort_keys=True))
        n += 1
    fh.write("\n]}\n" if n else "]}\n")
    return n


def findings_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``findings.json``, loaded from package data."""
    ref = resources.files("align.exports").joinpath("schemas/findings.schema.json")
    return json.loads(ref.read_text(encoding="utf-8"))
