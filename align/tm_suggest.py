"""The corpus as a translation memory: aligned units, and suggestions for untranslated sentences.

Every bead with sentences on both sides, in every aligned document, is a
:class:`TranslationUnit` (a source text, its translation, and both spans).
For a sentence that has no translation (a 1-0 or 0-1 bead: an omission, or
every sentence of a document without counterpart),
:func:`suggest_translations` offers the closest units of the corpus in the
sentence's language, with their cosine similarity and the translation they
carry.

Suggestions are reported as :class:`~align.records.Finding` s with check
``tm_suggestion`` and severity ``info``, one per untranslated sentence that
has at least one suggestion above ``TMSettings.min_score``: they then travel
with the other findings into findings.jsonl, the CSV/JSON exports and the
report (filterable by check), and need no new output format. The
suggestions themselves are in ``evidence["suggestions"]``, best first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np

from .corpus_index import IndexPolicy, build_search_index
from .records import DocResult, Finding, Segment, Severity, Span, to_json_dict
from .settings import TMSettings
from .textjoin import join_sentences

#: Per output document: (source sentence vectors (n_src, d), target sentence vectors (n_tgt, d)),
#: rows in segment order, float32 L2-normalised; None for a missing side.
SideVectors = tuple["np.ndarray | None", "np.ndarray | None"]


@dataclass(frozen=True)
class TranslationUnit:
    """One aligned bead with sentences on both sides, as a memory entry.

    ``src_text``/``tgt_text``: the original sentences of each side joined by a
    space (CJK: no space); ``src_norm``/``tgt_norm`` the same for the
    comparison forms; spans run from the first sentence's start to the last
    one's end (characters, end exclusive). ``bead`` is the 0-based bead index
    in its document; ``score`` the bead's calibrated score.
    """

    doc_id: str
    bead: int
    src_lang: str
    tgt_lang: str
    src_text: str
    tgt_text: str
    src_norm: str
    tgt_norm: str
    src_span: Span
    tgt_span: Span
    score: float


def _span(segs: Sequence[Segment], path: str) -> Span:
    """The span from the first to the last of consecutive segments."""
    return Span(segs[0].doc_id, segs[0].lang, path, segs[0].start, segs[-1].end, segs[0].line)


def translation_units(result: DocResult, min_score: float = 0.0) -> list[TranslationUnit]:
    """The document's beads that have both sides and a score >= ``min_score``, in bead order."""
    if result.src is None or result.tgt is None:
        return []
    out = []
    for b_idx, bead in enumerate(result.beads):
        if not bead.src or not bead.tgt or bead.score < min_score:
            continue
        src = [result.src_segments[i] for i in bead.src]
        tgt = [result.tgt_segments[j] for j in bead.tgt]
        out.append(TranslationUnit(
            doc_id=result.doc_id,
            bead=b_idx,
            src_lang=result.src_lang,
            tgt_lang=result.tgt_lang,
            src_text=join_sentences([s.text for s in src]),
            tgt_text=join_sentences([s.text for s in tgt]),
            src_norm=join_sentences([s.norm for s in src]),
            tgt_norm=join_sentences([s.norm for s in tgt]),
            src_span=_span(src, result.src.path),
            tgt_span=_span(tgt, result.tgt.path),
            score=float(bead.score),
        ))
    return out


def _unit_vector(vectors: np.ndarray, rows: Sequence[int]) -> np.ndarray:
    """The normalised sum of some sentence vectors (a bead side's vector), shape (d,)."""
    v = vectors[list(rows)].sum(axis=0)
    n = float(np.linalg.norm(v))
    return (v / n if n > 0 else v).astype(np.float32)


def unit_vectors(
    result: DocResult, units: Sequence[TranslationUnit], vectors: SideVectors
) -> tuple[np.ndarray, np.ndarray]:
    """Source and target vectors of ``units`` (each (len(units), d) float32, unit rows).

    A bead side of several sentences gets the normalised sum of their vectors.
    """
    src_vecs, tgt_vecs = vectors
    if not units:
        d = (src_vecs if src_vecs is not None else tgt_vecs).shape[1]
        return np.zeros((0, d), np.float32), np.zeros((0, d), np.float32)
    s = np.stack([_unit_vector(src_vecs, result.beads[u.bead].src) for u in units])
    t = np.stack([_unit_vector(tgt_vecs, result.beads[u.bead].tgt) for u in units])
    return s, t




@dataclass(frozen=True)
class _Memory:
    """Memory entries of one language: their vectors and, per row, (unit, side of the query text)."""

    vectors: np.ndarray
    rows: list[tuple[TranslationUnit, str]]


def _memories(
    results: Sequence[DocResult], vectors: Mapping[str, SideVectors], min_unit_score: float
) -> dict[str, _Memory]:
    """Both sides of every trusted unit, indexed by the language a query must be in to match it."""
    parts: dict[str, tuple[list[np.ndarray], list[tuple[TranslationUnit, str]]]] = {}
    for result in results:
        units = translation_units(result, min_unit_score)
        if not units or result.doc_id not in vectors:
            continue
        s, t = unit_vectors(result, units, vectors[result.doc_id])
        for side, lang, mat in (("src", result.src_lang, s), ("tgt", result.tgt_lang, t)):
            vecs, rows = parts.setdefault(lang, ([], []))
            vecs.append(mat)
            rows.extend((u, side) for u in units)
    return {lang: _Memory(np.concatenate(v), r) for lang, (v, r) in parts.items()}


def untranslated(result: DocResult) -> list[tuple[Segment, str]]:
    """The document's sentences in 1-0 or 0-1 beads, with their side (``"src"`` or ``"tgt"``)."""
    out = []
    for bead in result.beads:
        if bead.src and not bead.tgt:
            out.extend((result.src_segments[i], "src") for i in bead.src)
        elif bead.tgt and not bead.src:
            out.extend((result.tgt_segments[j], "tgt") for j in bead.tgt)
    return out


def suggest_translations(
    results: Sequence[DocResult],
    vectors: Mapping[str, SideVectors],
    settings: TMSettings | None = None,
    policy: IndexPolicy | None = None,
) -> list[Finding]:
    """``tm_suggestion`` findings for every untranslated sentence with a close memory entry.

    ``results`` are the corpus's aligned documents (the memory and the
    queries); ``vectors[doc_id]`` their sentence vectors. The memory of each
    language is searched in a FAISS index (exact or IVF by size, see
    :func:`align.corpus_index.build_search_index`). Deterministic order:
    by document, then sentence position.
    """
    settings = settings or TMSettings()
    memories = _memories(results, vectors, settings.min_unit_score)
    indexes = {lang: build_search_index(m.vectors, policy)[0] for lang, m in memories.items()}
    findings: list[Finding] = []
    for result in sorted(results, key=lambda r: r.doc_id):
        todo = untranslated(result)
        if not todo or result.doc_id not in vectors:
            continue
        src_vecs, tgt_vecs = vectors[result.doc_id]
        by_lang: dict[str, list[tuple[Segment, str]]] = {}
        for seg, side in todo:
            by_lang.setdefault(seg.lang, []).append((seg, side))
        for lang, items in sorted(by_lang.items()):
            if lang not in indexes:
                continue
            q = np.stack([(src_vecs if side == "src" else tgt_vecs)[seg.idx] for seg, side in items])
            k = min(settings.max_suggestions, indexes[lang].ntotal)
            scores, ids = indexes[lang].search(np.ascontiguousarray(q, dtype=np.float32), k)
            for (seg, side), row_s, row_i in zip(items, scores, ids):
                found = [(float(s), memories[lang].rows[int(i)]) for s, i in zip(row_s, row_i)
                         if i >= 0 and s >= settings.min_score]
                if found:
                    doc = result.src if side == "src" else result.tgt
                    findings.append(_finding(result.doc_id, seg, side, doc.path if doc else "", found))
    return findings


def _finding(doc_id: str, seg: Segment, side: str, path: str,
             found: list[tuple[float, tuple[TranslationUnit, str]]]) -> Finding:
    """One ``tm_suggestion`` finding for one untranslated sentence."""
    suggestions = []
    for score, (unit, matched_side) in found:
        same, other = ("src", "tgt") if matched_side == "src" else ("tgt", "src")
        suggestions.append({
            "score": round(score, 4),
            "matched": getattr(unit, f"{same}_text"),
            "translation": getattr(unit, f"{other}_text"),
            "translation_lang": getattr(unit, f"{other}_lang"),
            "doc_id": unit.doc_id,
            "matched_span": to_json_dict(getattr(unit, f"{same}_span")),
            "translation_span": to_json_dict(getattr(unit, f"{other}_span")),
        })
    best = suggestions[0]
    span = Span.of_segment(seg, path)
    return Finding(
        check="tm_suggestion",
        severity=Severity.INFO,
        doc_id=doc_id,
        message=(f"Untranslated sentence; the corpus has a close match ({best['score']:.2f}) "
                 f"translated as: {best['translation'][:120]}"),
        src_span=span if side == "src" else None,
        tgt_span=span if side == "tgt" else None,
        evidence={"suggestions": suggestions},
    )
