"""Run-level summaries: counts, coverage and the signature that makes a result reproducible."""

from __future__ import annotations

import platform
from collections import Counter
from typing import Any, Mapping, Sequence

from . import __version__
from .records import DocResult
from .settings import Settings, settings_to_dict


def signature(settings: Settings, encoder_revision: str | None = None) -> dict[str, Any]:
    """What a reader needs to reproduce a result: tool version, encoder, aligner settings, segmenter.

    Printed beside results in the report, the TMX header and benchmark JSON.
    """
    return {
        "tool": "bitextqa",
        "version": __version__,
        "python": platform.python_version(),
        "model": settings.model,
        "model_revision": encoder_revision,
        "index": "faiss IndexFlatIP (exact inner product)",
        "segmenter": "align.segment",
        "settings": settings_to_dict(settings),
    }


def doc_counts(result: DocResult) -> dict[str, Any]:
    """Sentence, bead and finding counts of one document, with its alignment coverage.

    Coverage is the share of sentences (both sides) that are in a bead with the
    other side; a document without a counterpart has coverage 0.
    """
    n_src, n_tgt = len(result.src_segments), len(result.tgt_segments)
    aligned_src = sum(len(b.src) for b in result.beads if b.src and b.tgt)
    aligned_tgt = sum(len(b.tgt) for b in result.beads if b.src and b.tgt)
    total = n_src + n_tgt
    by_check = Counter(f.check for f in result.findings)
    by_sev = Counter(f.severity.value for f in result.findings)
    return {
        "doc_id": result.doc_id,
        "src_lang": result.src_lang,
        "tgt_lang": result.tgt_lang,
        "src_path": result.src.path if result.src else None,
        "tgt_path": result.tgt.path if result.tgt else None,
        "src_sentences": n_src,
        "tgt_sentences": n_tgt,
        "beads": len(result.beads),
        "bead_kinds": dict(sorted(Counter(b.kind for b in result.beads).items())),
        "coverage": round((aligned_src + aligned_tgt) / total, 4) if total else 0.0,
        "findings": len(result.findings),
        "findings_by_check": dict(sorted(by_check.items())),
        "findings_by_severity": dict(sorted(by_sev.items())),
        "notes": list(result.notes),
    }


def report_summary(results: Sequence[DocResult], failed: Sequence[Mapping[str, Any]], settings: Settings) -> dict[str, Any]:
    """The deterministic part of a run's summary (no timings), as the report shows it."""
    docs = [doc_counts(r) for r in results]
    by_check: Counter[str] = Counter()
    by_sev: Counter[str] = Counter()
    for d in docs:
        by_check.update(d["findings_by_check"])
        by_sev.update(d["findings_by_severity"])
    return {
        "signature": signature(settings),
        "documents": docs,
        "failed": [dict(f) for f in failed],
        "totals": {
            "documents": len(docs) + len(failed),
            "completed": len(docs),
            "failed": len(failed),
            "src_sentences": sum(d["src_sentences"] for d in docs),
            "tgt_sentences": sum(d["tgt_sentences"] for d in docs),
            "beads": sum(d["beads"] for d in docs),
            "findings": sum(d["findings"] for d in docs),
            "findings_by_check": dict(sorted(by_check.items())),
            "findings_by_severity": dict(sorted(by_sev.items())),
        },
    }
