"""Find which monolingual documents translate each other, by their sentences.

Given documents with no declared pairing (``seeds/003`` in English,
``seeds/004`` in Chinese, or the two halves of an interleaved file fed in
separately), :func:`pair_documents` says for each one which document in
another language is its translation, how sure it is, and, when there is
none, says so with the best candidate's score as evidence.

How a candidate pair (A, B) is scored:

1. **Candidates** come from the corpus index: every sentence of A votes for
   the documents of its nearest other-language sentences; the
   ``max_candidates`` documents with most votes are scored exactly.
2. **Margin** (ratio margin of Artetxe & Schwenk 2019): the cosine of two
   sentences divided by the mean cosine of each one's ``margin_k`` nearest
   neighbours in the *whole corpus* of the other language. A sentence that
   resembles everything (a heading, a stock phrase) gets a low margin.
3. **Anchors**: sentence pairs that are each other's best match by margin,
   with margin >= ``anchor_margin``, kept only along the longest chain that
   is increasing in both documents (a translation keeps the order).
4. **Coverage**: a sentence is covered when it is an anchor, or when its best
   match (margin >= ``cover_margin``) lies between the anchors around it,
   so one long sentence translated by three short ones still counts.
   Coverage is measured in characters on each side; the pair's ``score`` is
   the harmonic mean of the two sides' coverage, so a document that merely
   shares some passages with a longer one (seeds 000 and 001 repeat
   passages) scores low on the longer side.

Documents are then paired greedily, best score first, each at most once, if
the score reaches ``min_score``. The thresholds were set from the seed table
in ``tests/test_pairing.py``: the true pairs (the halves of seeds 000 and
001) score 0.94-0.96; seed 000's English against seed 001's Chinese, which
share a dozen passages, 0.38 (0.48 when they are the only two documents, as
the margins then see a smaller corpus); unrelated documents <= 0.10.
"""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from .anchors import longest_monotone_chain
from .corpus_index import CorpusIndex, EntryMeta
from .records import Segment
from .settings import PairingSettings


@dataclass(frozen=True)
class DocVectors:
    """One monolingual document version as the pairing sees it.

    ``key`` names it in the corpus index (the pipeline uses ``"<doc_id>:<lang>"``);
    ``vectors`` is (n, d) float32, L2-normalised, one row per sentence in
    document order; ``lengths`` (n,) int, each sentence's length in characters;
    ``starts`` (n,) int, each sentence's start offset in ``Document.text``
    (used only to fill the index's entries).
    """

    key: str
    doc_id: str
    lang: str
    vectors: np.ndarray
    lengths: np.ndarray
    starts: np.ndarray | None = None

    @classmethod
    def from_segments(cls, key: str, segments: Sequence[Segment], vectors: np.ndarray) -> "DocVectors":
        """Build from a document's segments and their (n, d) embedding rows."""
        if not segments:
            raise ValueError(f"{key}: a document with no sentences cannot be paired")
        if len(segments) != len(vectors):
            raise ValueError(f"{key}: {len(segments)} segments but {len(vectors)} vectors")
        return cls(
            key=key,
            doc_id=segments[0].doc_id,
            lang=segments[0].lang,
            vectors=np.ascontiguousarray(vectors, dtype=np.float32),
            lengths=np.array([len(s.text) for s in segments], dtype=np.int64),
            starts=np.array([s.start for s in segments], dtype=np.int64),
        )

    def entries(self) -> list[EntryMeta]:
        """Index entries for this document's sentences (offsets from ``starts`` and ``lengths``)."""
        starts = self.starts if self.starts is not None else np.zeros(len(self.lengths), np.int64)
        return [
            EntryMeta(self.doc_id, self.lang, i, int(s), int(s + n))
            for i, (s, n) in enumerate(zip(starts.tolist(), self.lengths.tolist()))
        ]




@dataclass(frozen=True)
class PairScore:
    """How well document ``a`` and document ``b`` (other language) match.

    ``coverage_a``/``coverage_b``: share of each document's characters
    covered by in-order sentence matches, in [0, 1]; ``score``: their
    harmonic mean; ``anchors``: number of in-order mutual-best sentence pairs.
    """

    a: str
    b: str
    score: float
    coverage_a: float
    coverage_b: float
    anchors: int


@dataclass(frozen=True)
class DocPair:
    """Two documents found to translate each other.

    ``confidence`` is ``"high"`` when the score reaches
    ``PairingSettings.high_confidence`` and is at least 1.5 times the best
    competing score of either document, else ``"medium"``.
    """

    a: str
    b: str
    a_doc_id: str
    b_doc_id: str
    a_lang: str
    b_lang: str
    score: float
    coverage_a: float
    coverage_b: float
    anchors: int
    runner_up_score: float
    confidence: str


@dataclass(frozen=True)
class NoCounterpart:
    """A document for which no translation was found, with the evidence.

    ``best``/``best_score`` is its best-scoring other-language document (None
    when no other-language document exists); ``reason`` says in one sentence
    why it was not paired.
    """

    key: str
    doc_id: str
    lang: str
    best: str | None
    best_score: float
    reason: str


@dataclass(frozen=True)
class PairingResult:
    """Pairs found, documents left alone, and every candidate score computed (for the report)."""

    pairs: tuple[DocPair, ...]
    unpaired: tuple[NoCounterpart, ...]
    scores: tuple[PairScore, ...]
    settings: PairingSettings = field(default_factory=PairingSettings)

    def counterpart(self, key: str) -> str | None:
        """The key paired with ``key``, or None."""
        for p in self.pairs:
            if p.a == key:
                return p.b
            if p.b == key:
                return p.a
        return None


def _neighbour_means(index: CorpusIndex, vectors: np.ndarray, lang: str, k: int) -> np.ndarray:
    """Mean cosine of each row's ``k`` nearest sentences in ``lang`` (shape (n,), float32)."""
    scores, _ = index.search(vectors, k, lang=lang)
    scores = np.where(np.isfinite(scores), scores, np.nan)
    with np.errstate(invalid="ignore"):
        means = np.nanmean(scores, axis=1) if scores.shape[1] else np.zeros(len(vectors))
    return np.nan_to_num(means, nan=0.0).astype(np.float32)


def _side_coverage(
    anchors_x: list[int], anchors_y: list[int], best: np.ndarray, best_margin: np.ndarray,
    lengths: np.ndarray, n_other: int, cover_margin: float,
) -> float:
    """Share of one side's characters covered by anchors or by in-bracket best matches.

    ``anchors_x``/``anchors_y``: anchor positions on this side / the other,
    increasing; ``best`` (n,) the other-side index of each sentence's best
    match and ``best_margin`` (n,) its margin.
    """
    covered = 0
    anchor_set = set(anchors_x)
    for x in range(len(best)):
        if x in anchor_set:
            covered += int(lengths[x])
            continue
        if not anchors_x or best_margin[x] < cover_margin:
            continue
        p = bisect.bisect_right(anchors_x, x) - 1
        lo = anchors_y[p] if p >= 0 else 0
        hi = anchors_y[p + 1] if p + 1 < len(anchors_x) else n_other - 1
        if lo <= best[x] <= hi:
            covered += int(lengths[x])
    total = int(lengths.sum())
    return covered / total if total else 0.0


def score_pair(
    a: DocVectors, b: DocVectors, r_a: np.ndarray, r_b: np.ndarray, settings: PairingSettings
) -> PairScore:
    """Score one candidate pair (see the module docstring).

    ``r_a`` (n_a,) and ``r_b`` (n_b,) are the margin denominators: each
    sentence's mean cosine to its nearest sentences in the other language.
    """
    sims = a.vectors @ b.vectors.T
    denom = (r_a[:, None] + r_b[None, :]) / 2.0
    margin = sims / np.maximum(denom, 1e-6)
    best_b = margin.argmax(axis=1)
    best_a = margin.argmax(axis=0)
    rows = np.arange(len(a.vectors))
    mutual = (best_a[best_b] == rows) & (margin[rows, best_b] >= settings.anchor_margin)
    pairs = np.stack([rows[mutual], best_b[mutual]], axis=1).astype(np.int64)
    chain = longest_monotone_chain(pairs)
    ax, ay = chain[:, 0].tolist(), chain[:, 1].tolist()
    cov_a = _side_coverage(ax, ay, best_b, margin.max(axis=1), a.lengths, len(b.vectors), settings.cover_margin)
    order = np.argsort(ay, kind="stable")
    cov_b = _side_coverage(
        [ay[i] for i in order], [ax[i] for i in order], best_a, margin.max(axis=0), b.lengths,
        len(a.vectors), settings.cover_margin,
    )
    score = 2 * cov_a * cov_b / (cov_a + cov_b) if cov_a + cov_b > 0 else 0.0
    return PairScore(a.key, b.key, round(score, 4), round(cov_a, 4), round(cov_b, 4), len(chain))


def index_documents(docs: Sequence[DocVectors]) -> CorpusIndex:
    """A fresh in-memory corpus index over ``docs`` (when the caller has none)."""
    index = CorpusIndex(docs[0].vectors.shape[1])
    for d in docs:
        index.add_document(d.key, "", d.vectors, d.entries())
    return index


def pair_documents(
    docs: Sequence[DocVectors],
    index: CorpusIndex | None = None,
    settings: PairingSettings | None = None,
) -> PairingResult:
    """Find each document's translation among the other-language documents in ``docs``.

    ``index`` is the corpus index (its keys must be the ``DocVectors.key`` s;
    it may hold more documents, whose sentences then count in the margins
    but which are never proposed); when None, one is built from ``docs``.
    Every document of ``docs`` ends up in exactly one pair or in
    ``unpaired``. Deterministic: ties are broken by key.
    """
    settings = settings or PairingSettings()
    docs = sorted(docs, key=lambda d: d.key)
    by_key = {d.key: d for d in docs}
    if len(by_key) != len(docs):
        raise ValueError("document keys must be unique")
    if not docs:
        return PairingResult((), (), (), settings)
    index = index if index is not None else index_documents(docs)
    langs = sorted({d.lang for d in docs})

    # Margin denominators: each document against each other language present.
    r: dict[tuple[str, str], np.ndarray] = {}
    for d in docs:
        for lang in langs:
            if lang != d.lang:
                r[(d.key, lang)] = _neighbour_means(index, d.vectors, lang, settings.margin_k)

    # Candidates by sentence votes in the index, then exact scores.
    key_of_doc = {(d.doc_id, d.lang): d.key for d in docs}
    scored: dict[tuple[str, str], PairScore] = {}
    for d in docs:
        for lang in langs:
            if lang == d.lang:
                continue
            _, hits = index.search(d.vectors, settings.vote_k, lang=lang)
            votes = Counter(key_of_doc.get((e.doc_id, e.lang)) for row in hits for e in row)
            votes.pop(None, None)
            ranked = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[: settings.max_candidates]
            for other_key, _ in ranked:
                pair = tuple(sorted((d.key, other_key)))
                if pair in scored:
                    continue
                a, b = by_key[pair[0]], by_key[pair[1]]
                scored[pair] = score_pair(a, b, r[(a.key, b.lang)], r[(b.key, a.lang)], settings)

    ranked_pairs = sorted(scored.values(), key=lambda s: (-s.score, s.a, s.b))
    best_of: dict[str, PairScore] = {}
    for s in ranked_pairs:
        best_of.setdefault(s.a, s)
        best_of.setdefault(s.b, s)

    taken: dict[str, PairScore] = {}
    for s in ranked_pairs:
        if s.score < settings.min_score:
            break
        if s.a in taken or s.b in taken:
            continue
        taken[s.a] = taken[s.b] = s

    pairs: list[DocPair] = []
    for s in ranked_pairs:
        if taken.get(s.a) is not s:
            continue
        runner = max(
            (o.score for o in ranked_pairs if o is not s and (o.a in (s.a, s.b) or o.b in (s.a, s.b))),
            default=0.0,
        )
        clear = s.score >= settings.high_confidence and s.score >= 1.5 * runner
        a, b = by_key[s.a], by_key[s.b]
        pairs.append(
            DocPair(s.a, s.b, a.doc_id, b.doc_id, a.lang, b.lang, s.score, s.coverage_a, s.coverage_b,
                    s.anchors, round(runner, 4), "high" if clear else "medium")
        )

    unpaired: list[NoCounterpart] = []
    for d in docs:
        if d.key in taken:
            continue
        best = best_of.get(d.key)
        if best is None:
            others = [lang for lang in langs if lang != d.lang]
            reason = (
                f"no document in another language ({d.lang} only)" if not others
                else "no sentence of it is near any other-language document"
            )
            unpaired.append(NoCounterpart(d.key, d.doc_id, d.lang, None, 0.0, reason))
            continue
        other = best.b if best.a == d.key else best.a
        if best.score < settings.min_score:
            reason = (
                f"best candidate {other} covers only {best.score:.0%} of the text in order "
                f"(a pair needs {settings.min_score:.0%})"
            )
        else:
            partner = taken[other]
            third = partner.b if partner.a == other else partner.a
            reason = f"best candidate {other} is a better match for {third} ({partner.score:.2f} > {best.score:.2f})"
        unpaired.append(NoCounterpart(d.key, d.doc_id, d.lang, other, best.score, reason))

    return PairingResult(tuple(pairs), tuple(unpaired), tuple(ranked_pairs), settings)
