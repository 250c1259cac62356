"""Reader and writer of a run's per-document outputs (``DIR/docs/<doc_id>/``).

Layout of one document folder:

* ``alignment.jsonl``: one bead a line, in order; each line carries the bead
  (``src``/``tgt`` segment indices, ``score``, ``sim``, ``signals``) and both
  sides' segments (index, text, comparison form, character offsets into the
  source file's decoded text, end exclusive, 1-based line), so a line can be read
  on its own;
* ``findings.jsonl``: one finding a line (the :class:`~align.records.Finding` fields);
* ``documents.json``: the document's language versions (path, language,
  encoding, origin, regions and decoded text) and the ingestion notes.

Lines are written with sorted keys and no timestamps, so an unchanged input
gives byte-identical files.
"""

from __future__ import annotations

import json
import os
from typing import Any, Iterable, Iterator, Mapping, Sequence, TextIO

from .records import (
    Bead,
    DocResult,
    Document,
    Finding,
    Segment,
    document_from_dict,
    to_json_dict,
)
from .textjoin import join_segments

ALIGNMENT_FILE = "alignment.jsonl"
FINDINGS_FILE = "findings.jsonl"
DOCUMENTS_FILE = "documents.json"


def dumps_line(obj: Any) -> str:
    """One JSON line: sorted keys, UTF-8 text kept as is, no trailing spaces."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def _segment_entry(seg: Segment) -> dict[str, Any]:
    return {"idx": seg.idx, "text": seg.text, "norm": seg.norm, "start": seg.start, "end": seg.end, "line": seg.line}


def bead_lines(result: DocResult) -> Iterator[dict[str, Any]]:
    """The ``alignment.jsonl`` records of a document, one per bead, in bead order."""
    for pos, bead in enumerate(result.beads):
        src = [result.src_segments[i] for i in bead.src]
        tgt = [result.tgt_segments[i] for i in bead.tgt]
        yield {
            "doc_id": result.doc_id,
            "bead": pos,
            "kind": bead.kind,
            "src": list(bead.src),
            "tgt": list(bead.tgt),
            "score": round(float(bead.score), 6),
            "sim": round(float(bead.sim), 6),
            "signals": {k: round(float(v), 6) for k, v in sorted(bead.signals.items())},
            "src_lang": result.src_lang,
            "tgt_lang": result.tgt_lang,
            "src_text": join_segments(src, result.src),
            "tgt_text": join_segments(tgt, result.tgt),
            "src_segments": [_segment_entry(s) for s in src],
            "tgt_segments": [_segment_entry(s) for s in tgt],
        }


def write_alignment(result: DocResult, fh: TextIO) -> int:
    """Write ``alignment.jsonl`` for one document; returns the number of beads written."""
    n = 0
    for line in bead_lines(result):
        fh.write(dumps_line(line))
        n += 1
    return n


def write_findings_jsonl(findings: Iterable[Finding], fh: TextIO) -> int:
    """Write one finding a line; returns the number written."""
    n = 0
    for f in findings:
        fh.write(dumps_line(to_json_dict(f)))
        n += 1
    return n


def documents_record(result: DocResult) -> dict[str, Any]:
    """The ``documents.json`` content of a document."""
    return {
        "doc_id": result.doc_id,
        "src_lang": result.src_lang,
        "tgt_lang": result.tgt_lang,
        "src": to_json_dict(result.src) if result.src else None,
        "tgt": to_json_dict(result.tgt) if result.tgt else None,
        "notes": list(result.notes),
    }


def write_documents(result: DocResult, fh: TextIO) -> None:
    """Write ``documents.json`` for one document."""
    fh.write(json.dumps(documents_record(result), ensure_ascii=False, sort_keys=True, indent=1) + "\n")


def _segments_from_beads(lines: Sequence[Mapping[str, Any]], side: str, doc_id: str, lang: str) -> tuple[Segment, ...]:
    by_idx: dict[int, Segment] = {}
    for line in lines:
        for e in line[f"{side}_segments"]:
            by_idx[e["idx"]] = Segment(doc_id, lang, e["idx"], e["text"], e["norm"], e["start"], e["end"], e["line"])
    return tuple(by_idx[i] for i in sorted(by_idx))


def read_doc_result(doc_dir: str) -> DocResult:
    """Read one document folder written by :func:`write_alignment` and friends back into a DocResult."""
    with open(os.path.join(doc_dir, DOCUMENTS_FILE), encoding="utf-8") as fh:
        meta = json.load(fh)
    with open(os.path.join(doc_dir, ALIGNMENT_FILE), encoding="utf-8") as fh:
        lines = [json.loads(x) for x in fh if x.strip()]
    findings: list[Finding] = []
    fpath = os.path.join(doc_dir, FINDINGS_FILE)
    if os.path.exists(fpath):
        with open(fpath, encoding="utf-8") as fh:
            findings = [Finding.from_dict(json.loads(x)) for x in fh if x.strip()]
    src: Document | None = document_from_dict(meta["src"]) if meta.get("src") else None
    tgt: Document | None = document_from_dict(meta["tgt"]) if meta.get("tgt") else None
    doc_id = meta["doc_id"]
    return DocResult(
        doc_id=doc_id,
        src_lang=meta["src_lang"],
        tgt_lang=meta["tgt_lang"],
        src=src,
        tgt=tgt,
        src_segments=_segments_from_beads(lines, "src", src.doc_id if src else doc_id, meta["src_lang"]),
        tgt_segments=_segments_from_beads(lines, "tgt", tgt.doc_id if tgt else doc_id, meta["tgt_lang"]),
        beads=tuple(Bead.from_dict(x) for x in lines),
        findings=tuple(findings),
        notes=tuple(meta.get("notes", ())),
    )


def load_doc_results(out_dir: str) -> Iterator[DocResult]:
    """Every document result of a finished run folder, in doc_id order."""
    docs_dir = os.path.join(out_dir, "docs")
    if not os.path.isdir(docs_dir):
        return
    for name in sorted(os.listdir(docs_dir)):
        d = os.path.join(docs_dir, name)
        if os.path.exists(os.path.join(d, ALIGNMENT_FILE)) and os.path.exists(os.path.join(d, DOCUMENTS_FILE)):
            yield read_doc_result(d)
