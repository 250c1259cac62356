"""Suspect pairs: beads whose alignment or translation deserves a second look.

``low_score``: the calibrated probability that the bead is right is below
``settings.low_score``, or the pair's raw similarity is no higher than that
of unrelated sentence pairs of the same document (the calibrated score
rewards position and length, so an unrelated sentence put in the place of
the translation can still score well). ``length_ratio_outlier``: the bead's
target/source length ratio (in letters) is far from this document's own
ratios (median and median absolute deviation of the log ratio, so a few bad
beads do not move the yardstick). ``similarity_drop``: the bead's similarity
is far below the similarities of the beads around it. All three are
warnings carrying the score.
"""

from __future__ import annotations

import dataclasses
import math
import statistics
from dataclasses import dataclass
from typing import Iterable, Iterator

import numpy as np

from ..langid import language_name, written_without_spaces
from ..records import Bead, Finding, Segment, Severity
from ..textjoin import join_sentences
from .content import has_content
from .context import CheckContext, other_side
from .omission import clause_spans

# A consistent estimate of the standard deviation from the median absolute deviation.
_MAD_TO_SD = 1.4826
#: Most refits of the length-ratio model on the pairs it does not report (see RatioModel.fit).
_MAX_REFITS = 10


def _paired(ctx: CheckContext, beads: Iterable[tuple[int, Bead]] | None = None) -> list[tuple[int, Bead]]:
    """Beads with content on both sides, with their position: of ``ctx.beads``, or of ``beads``
    (``(position, bead)``, e.g. a regrouped copy)."""
    if beads is None:
        beads = enumerate(ctx.beads)
    return [(b_i, b) for b_i, b in beads
            if any(has_content(s.text) for s in ctx.bead_segments(b, "src"))
            and any(has_content(t.text) for t in ctx.bead_segments(b, "tgt"))]


def _spans(ctx: CheckContext, bead: Bead) -> dict:
    return {"src_span": ctx.segment_span("src", ctx.bead_segments(bead, "src")),
            "tgt_span": ctx.segment_span("tgt", ctx.bead_segments(bead, "tgt"))}


#: Offsets (in paired beads) at which sentences are taken as unrelated to each other.
_UNRELATED_OFFSETS = (-13, -8, -5, -3, 3, 5, 8, 13)
#: Fewest unrelated sentence pairs for their similarity quantile to be trusted.
_MIN_UNRELATED_PAIRS = 20


def unrelated_similarity(ctx: CheckContext, quantile: float) -> float | None:
    """The ``quantile`` of the similarities of sentence pairs this document's alignment holds unrelated.

    Each source sentence of a paired bead is compared (cosine of ``ctx.src_vectors`` and
    ``ctx.tgt_vectors`` rows) with the target sentences of the paired beads 3, 5, 8 and 13
    places before and after it: pairs that are not translations of each other but share
    the document's topic and style. Their similarity depends on the encoder and on the
    language pair, which is why a fixed cosine threshold does not carry across pairs (an
    unrelated zh-en pair scores about 0.13 at the median with the bundled encoder, a de-fr
    pair about 0.05). Deterministic (fixed offsets, no sampling), O(beads).

    Returns None without vectors, with fewer than ``settings.min_beads_for_stats``
    paired beads or fewer than 20 such pairs.
    """
    if ctx.src_vectors is None or ctx.tgt_vectors is None:
        return None
    paired = _paired(ctx)
    if len(paired) < ctx.settings.min_beads_for_stats:
        return None
    rows: list[int] = []
    cols: list[int] = []
    for n, (_, bead) in enumerate(paired):
        for off in _UNRELATED_OFFSETS:
            m = n + off
            if 0 <= m < len(paired):
                for i in bead.src:
                    for j in paired[m][1].tgt:
                        rows.append(i)
                        cols.append(j)
    if len(rows) < _MIN_UNRELATED_PAIRS:
        return None
    sims = np.einsum("ij,ij->i", ctx.src_vectors[rows], ctx.tgt_vectors[cols])
    return float(np.quantile(sims, quantile))


def low_score(ctx: CheckContext) -> Iterator[Finding]:
    """Warnings for beads whose calibrated score is below ``settings.low_score``, or whose raw
    similarity is no higher than unrelated pairs of the same document reach.

    The second test uses the ``settings.low_score_unrelated_quantile`` quantile of
    :func:`unrelated_similarity` (0 disables it): a pair no more alike than sentences
    three or more pairs apart is not a translation, however well its position and length
    fit (the calibrated score weighs those too).
    """
    q = ctx.settings.low_score_unrelated_quantile
    unrelated = unrelated_similarity(ctx, q) if q > 0 else None
    for b_i, bead in _paired(ctx):
        by_score = bead.score < ctx.settings.low_score
        by_sim = unrelated is not None and bead.sim <= unrelated
        if not (by_score or by_sim):
            continue
        if by_score:
            message = (f"These sentences may not be translations of each other "
                       f"(alignment confidence {bead.score:.2f}); check the pair.")
        else:
            message = (f"These sentences may not be translations of each other: they are no more "
                       f"similar in meaning ({bead.sim:.2f}) than unrelated sentences of this document "
                       f"usually are ({unrelated:.2f}); check the pair.")
        evidence = {"bead": b_i, "score": round(bead.score, 4), "sim": round(bead.sim, 4),
                    "threshold": ctx.settings.low_score, "kind": bead.kind}
        if unrelated is not None:
            evidence["unrelated_sim"] = round(unrelated, 4)
        yield Finding(
            check="low_score",
            severity=Severity.WARNING,
            doc_id=ctx.doc_id,
            message=message,
            evidence=evidence,
            **_spans(ctx, bead),
        )
    for pair in stand_in_pairs(ctx):
        yield _stand_in_finding(ctx, "low_score", pair, (
            f"This {language_name(ctx.tgt_lang)} sentence stands where the translation of this "
            f"{language_name(ctx.src_lang)} sentence should be, but does not translate it: the two are no "
            f"more similar in meaning ({pair.sim:.2f}) than unrelated sentences of this document usually "
            f"are ({pair.unrelated:.2f}), so the aligner left both unpaired; check the translation."),
            {"unrelated_sim": round(pair.unrelated, 4)})


def _stand_in_finding(ctx: CheckContext, check: str, pair: StandInPair, message: str, extra: dict) -> Finding:
    """A warning of ``check`` on a stand-in pair, with both sentences' spans."""
    return Finding(
        check=check,
        severity=Severity.WARNING,
        doc_id=ctx.doc_id,
        message=message,
        src_span=ctx.segment_span("src", [pair.src]),
        tgt_span=ctx.segment_span("tgt", [pair.tgt]),
        evidence={"bead": pair.src_bead, "tgt_bead": pair.tgt_bead, "stand_in": True,
                  "src_segment": pair.src.idx, "tgt_segment": pair.tgt.idx, "sim": round(pair.sim, 4), **extra},
    )


def _letters(text: str) -> int:
    """Letters of ``text`` (``str.isalpha``: Chinese characters count, digits, spaces and punctuation
    do not: numbers are written alike in both languages and would only add noise)."""
    return sum(c.isalpha() for c in text)


def _segments_letters(segs: Iterable[Segment]) -> int:
    """Letters of some sentences (see :func:`_letters`)."""
    return sum(_letters(s.text) for s in segs)


def _chars(ctx: CheckContext, bead: Bead, side: str) -> int:
    """Letters of the bead's sentences on ``side`` (see :func:`_letters`)."""
    return _segments_letters(ctx.bead_segments(bead, side))


def _lengths(ctx: CheckContext, paired: list[tuple[int, Bead]]) -> list[tuple[int, int]]:
    """``(source letters, target letters)`` of each entry of ``paired``."""
    return [(_chars(ctx, b, "src"), _chars(ctx, b, "tgt")) for _, b in paired]


@dataclass(frozen=True)
class RatioModel:
    """This document's length ratio: what a pair's (target letters, source letters) should be.

    ``median``: median over the paired beads of ``log((t + 1) / (s + 1))``. The spread
    of that log ratio shrinks as pairs grow longer (a few words more or less weigh less
    in a long sentence: Gale and Church's observation), so a deviation is weighed by
    ``1 / sqrt(LENGTH_SHARE + (1 - LENGTH_SHARE) * typical / n)``, ``n`` being the pair's
    expected length in target letters, both sides counted, as the source predicts it
    (``2 * (s + 1) * exp(median)``; like Gale and Church, the spread is taken from the
    source, so that a target cut short does not make its own shortfall look less telling),
    and ``typical`` the median of ``n``: at the typical length the weight is 1; half the
    variance there is taken to be style, which no length removes. ``scale``: the robust
    standard deviation (median absolute deviation times 1.4826) of the weighted deviations.
    """

    median: float
    typical: float
    scale: float

    #: Share of the log-ratio variance, at the typical length, that does not shrink with length.
    LENGTH_SHARE = 0.5

    @staticmethod
    def expected(s: int, median: float) -> float:
        """A pair's expected length in target letters, both sides counted, from its ``s`` source letters."""
        return 2.0 * (s + 1) * math.exp(median)

    def weight(self, s: int, t: int) -> float:
        """The weight of a pair of ``s`` source and ``t`` target letters (1 at the typical length;
        depends on ``s`` only: see the class docstring)."""
        n = self.expected(s, self.median)
        return 1.0 / math.sqrt(self.LENGTH_SHARE + (1 - self.LENGTH_SHARE) * self.typical / n)

    def z(self, s: int, t: int) -> float:
        """Robust z-score of a pair of ``s`` source and ``t`` target letters (negative: target short)."""
        return (math.log((t + 1) / (s + 1)) - self.median) * self.weight(s, t) / self.scale

    @classmethod
    def fit(cls, lengths: list[tuple[int, int]], refit_z: float = 0.0) -> RatioModel | None:
        """The model of a document's ``(source letters, target letters)`` pairs; None if they do not vary.

        With ``refit_z`` > 0 (the reporting threshold, ``settings.length_ratio_z``) the model is
        fitted again on the pairs within ``refit_z`` robust standard deviations of it, until that
        set no longer changes (at most ``_MAX_REFITS`` times): the yardstick is taken from the
        pairs it does not report. The median and the median absolute deviation resist a few bad
        pairs, but not many on the same side: a document with one pair in six cut short puts the
        median low and the deviation about 1.5 times too high, hiding some of the very pairs it
        should show. On a document without outliers the model stays as it was. Never fits on
        fewer than half the pairs.
        """
        model = cls._fit(lengths)
        if model is None or refit_z <= 0:
            return model
        kept = list(range(len(lengths)))
        for _ in range(_MAX_REFITS):
            within = [i for i, p in enumerate(lengths) if abs(model.z(*p)) < refit_z]
            if within == kept or 2 * len(within) < len(lengths):
                break
            again = cls._fit([lengths[i] for i in within])
            if again is None:
                break
            model, kept = again, within
        return model

    @classmethod
    def _fit(cls, lengths: list[tuple[int, int]]) -> RatioModel | None:
        """:meth:`fit` once, on all of ``lengths``."""
        logs = [math.log((t + 1) / (s + 1)) for s, t in lengths]
        med = statistics.median(logs)
        typical = statistics.median(cls.expected(s, med) for s, _ in lengths)
        model = cls(med, max(typical, 1.0), 1.0)
        dev = statistics.median(abs(x - med) * model.weight(s, t) for x, (s, t) in zip(logs, lengths))
        if dev * _MAD_TO_SD <= 1e-9:
            return None
        return cls(med, max(typical, 1.0), dev * _MAD_TO_SD)


def _compensated(ctx: CheckContext, paired: list[tuple[int, Bead]], lengths: list[tuple[int, int]], n: int,
                 model: RatioModel) -> bool:
    """Whether an adjacent bead deviates the other way and the two together have a normal ratio.

    Both beads must be adjacent in the document (positions ``b_i`` differ by one); the
    neighbour's robust z must be of opposite sign and at least ``settings.boundary_neighbour_share``
    of the threshold: a clause drawn into the wrong bead makes both beads outliers, while a
    neighbour merely on the long side of normal does not excuse a short translation.
    """
    z = model.z(*lengths[n])
    b_i, bead = paired[n]
    for m in (n - 1, n + 1):
        if not 0 <= m < len(paired) or abs(paired[m][0] - b_i) != 1:
            continue
        z_m = model.z(*lengths[m])
        if z_m * z >= 0 or abs(z_m) < ctx.settings.length_ratio_z * ctx.settings.boundary_neighbour_share:
            continue
        s = lengths[n][0] + lengths[m][0]
        t = lengths[n][1] + lengths[m][1]
        if abs(model.z(s, t)) < ctx.settings.length_ratio_z / 2:
            return True
    return _moved_sentence(ctx, paired, lengths, n, model) or _moved_clause(ctx, paired, lengths, n, model)


def _seg_chars(ctx: CheckContext, side: str, idx: int) -> int:
    return _letters(ctx.segment(side, idx).text)


def _adjacent_pairs(paired: list[tuple[int, Bead]], n: int) -> Iterator[tuple[int, Bead]]:
    """``(m, bead)`` for the entries of ``paired`` (``(bead position, bead)``) just before and after
    entry ``n`` whose beads are the adjacent beads of the document (no one-sided bead between)."""
    b_i = paired[n][0]
    for m in (n - 1, n + 1):
        if 0 <= m < len(paired) and abs(paired[m][0] - b_i) == 1:
            yield m, paired[m][1]


def _moved_sentence(ctx: CheckContext, paired: list[tuple[int, Bead]], lengths: list[tuple[int, int]], n: int,
                    model: RatioModel) -> bool:
    """Whether moving one edge sentence between bead ``n`` and an adjacent bead holding several
    sentences on that side makes both ratios normal (within the threshold).

    E.g. a 1-2 bead whose second target sentence translates the next source sentence,
    leaving the next bead's target too short. Only neighbours with two or more sentences
    on the side concerned give one away, so a 1-1 pair is never "repaired"; and the
    moving sentence must be more similar (``ctx.embed``) to the other side of the bead
    it moves to than to that of the bead it leaves, so a truncated translation next
    to a 1-2 pair is still reported. Without ``ctx.embed`` nothing moves.
    """
    bead = paired[n][1]
    limit = ctx.settings.length_ratio_z
    for m, other in _adjacent_pairs(paired, n):
        (s_me, t_me), (s_ot, t_ot) = lengths[n], lengths[m]
        for side in ("tgt", "src"):
            mine, theirs = (bead.tgt, other.tgt) if side == "tgt" else (bead.src, other.src)
            # the sentence of the neighbour nearest to this bead moves in, or ours moves out
            for give_from, seq in (("other", theirs), ("me", mine)):
                if len(seq) < 2:
                    continue
                edge = seq[-1] if (give_from == "other") == (m < n) else seq[0]
                c = _seg_chars(ctx, side, edge)
                sign = 1 if give_from == "other" else -1
                if side == "tgt":
                    z_me, z_ot = model.z(s_me, t_me + sign * c), model.z(s_ot, t_ot - sign * c)
                else:
                    z_me, z_ot = model.z(s_me + sign * c, t_me), model.z(s_ot - sign * c, t_ot)
                if abs(z_me) < limit and abs(z_ot) < limit and _belongs(ctx, side, edge, give_from, bead, other):
                    return True
    return False


def _min_clause(ctx: CheckContext, side: str) -> int:
    """Shortest clause (letters and digits) on ``side``: ``min_clause_chars_cjk`` for a language
    written without spaces (:func:`~align.langid.written_without_spaces`), ``min_clause_chars``
    otherwise."""
    wide = written_without_spaces(ctx.lang(side))
    return ctx.settings.min_clause_chars_cjk if wide else ctx.settings.min_clause_chars


def _renderings(ctx: CheckContext, bead: Bead, side: str) -> list[str]:
    """What may render a piece of text on ``side`` of a bead: its whole text, each sentence and
    each clause (normalised forms)."""
    segs = ctx.bead_segments(bead, side)
    out = [join_sentences([x.norm for x in segs])]
    min_chars = _min_clause(ctx, side)
    for x in segs:
        spans = clause_spans(x.norm, 0, min_chars)
        out.extend([x.norm] if len(spans) < 2 else [x.norm] + [x.norm[a:b] for a, b in spans])
    return list(dict.fromkeys(out))


def _closer_to(ctx: CheckContext, text: str, to: Bead, frm: Bead, side: str) -> tuple[float, float]:
    """``(to_sim, from_sim)``: the best similarity (``ctx.embed``) of ``text`` to ``side`` of bead ``to``
    and of bead ``frm``, each taken over the side's whole text, sentences and clauses
    (:func:`_renderings`), so that a long bead does not dilute the clause that renders it."""
    to_r, frm_r = _renderings(ctx, to, side), _renderings(ctx, frm, side)
    v = np.asarray(ctx.embed([text] + to_r + frm_r), dtype=np.float32)
    sims = v[1:] @ v[0]
    return float(sims[: len(to_r)].max()), float(sims[len(to_r):].max())


def _edge_clause(ctx: CheckContext, side: str, bead: Bead, first: bool) -> tuple[str, int] | None:
    """The first (or last) clause of the bead's ``side``, as ``(comparison text, letters)``; None when
    that side is a single clause (moving all of it is a different bead shape, not a boundary)."""
    segs = ctx.bead_segments(bead, side)
    if not segs:
        return None
    seg = segs[0] if first else segs[-1]
    spans = clause_spans(seg.norm, 0, _min_clause(ctx, side))
    if len(spans) < 2 and len(segs) < 2:
        return None
    a, b = spans[0] if first else spans[-1]
    piece = seg.norm[a:b]
    return piece, _letters(piece)


def _moved_clause(ctx: CheckContext, paired: list[tuple[int, Bead]], lengths: list[tuple[int, int]], n: int,
                  model: RatioModel) -> bool:
    """Whether an edge clause belongs to the adjacent bead, and moving it makes bead ``n`` normal.

    The translation of a clause is sometimes put in the neighbouring sentence (``一是……；``
    at the end of one Chinese sentence, ``(1) ……;`` at the start of the next English one):
    the bead looks short, its neighbour long or unrelated, yet nothing is missing. For a
    short target, the clause nearest to this bead of the neighbour's target (moving in) or
    of this bead's source (moving out) is tried; for a long target, this bead's target
    clause nearest the neighbour (moving out) or the neighbour's nearest source clause
    (moving in). The clause must be more similar (``ctx.embed``; best match over each side's
    whole text, sentences and clauses, :func:`_closer_to`, so that the clause of a long bead
    that renders it literally is not diluted) to the other side of the
    bead it moves to than to that of the bead it leaves, and at least as similar to it as
    that bead's own sides are to each other (``Bead.sim``: the bead it joins must show
    that it carries the clause); and this bead's robust z must be within the threshold
    after the move. The clause a truncated translation lacks is carried by no neighbour,
    so the truncation stays reported. Without ``ctx.embed`` nothing moves.
    """
    if ctx.embed is None:
        return False
    bead = paired[n][1]
    s_me, t_me = lengths[n]
    short = model.z(s_me, t_me) < 0
    limit = ctx.settings.length_ratio_z
    for m, other in _adjacent_pairs(paired, n):
        after = m > n  # the neighbour follows this bead
        # (side of the clause, bead it leaves, bead it joins, first clause of the side?)
        if short:
            moves = [("tgt", other, bead, after), ("src", bead, other, not after)]
        else:
            moves = [("tgt", bead, other, not after), ("src", other, bead, after)]
        for side, frm, to, first in moves:
            edge = _edge_clause(ctx, side, frm, first)
            if edge is None:
                continue
            text, c = edge
            sign = 1 if to is bead else -1
            z_me = model.z(s_me, t_me + sign * c) if side == "tgt" else model.z(s_me + sign * c, t_me)
            if abs(z_me) >= limit:
                continue
            to_sim, from_sim = _closer_to(ctx, text, to, frm, "src" if side == "tgt" else "tgt")
            if to_sim > from_sim and to_sim >= to.sim:
                return True
    return False


def _belongs(ctx: CheckContext, side: str, edge: int, give_from: str, bead: Bead, other: Bead) -> bool:
    """Whether sentence ``edge`` of ``side`` is closer in meaning to the bead it would move to
    (best match over each bead's whole text, sentences and clauses: :func:`_closer_to`)."""
    if ctx.embed is None:
        return False
    to, frm = (bead, other) if give_from == "other" else (other, bead)
    to_sim, from_sim = _closer_to(ctx, ctx.segment(side, edge).norm, to, frm, "src" if side == "tgt" else "tgt")
    return to_sim > from_sim


def length_ratio_outlier(ctx: CheckContext) -> Iterator[Finding]:
    """Warnings for beads whose target/source length ratio is an outlier for this document.

    Lengths are counted in letters (:func:`_letters`). Each pair's log ratio is
    compared with the document's median, weighed by the pair's length
    (:class:`RatioModel`); beads more than ``settings.length_ratio_z`` robust
    standard deviations away, and with at least ``settings.min_ratio_chars``
    letters on the longer side (counted in the letters of the side that uses more of them
    for the same meaning: a 30-character Chinese target of a 100-letter English source
    counts as 100), are reported. Needs
    ``settings.min_beads_for_stats`` beads. With ``settings.boundary_compensation``,
    an outlier whose adjacent bead deviates the other way (robust z at least
    ``boundary_neighbour_share`` of the threshold) while the two together are
    within half the threshold is not reported: the sentence boundary moved
    (:func:`_compensated`); nor is one that becomes normal when one edge sentence of
    a neighbour holding several sentences (:func:`_moved_sentence`) or one edge
    clause that the neighbour carries (:func:`_moved_clause`) moves across.

    The model is refitted on the pairs it does not report (``settings.length_ratio_refit``:
    :meth:`RatioModel.fit`). With ``settings.length_ratio_regroup``, an outlier whose adjacent
    bead carries part of its meaning while the two together are still an outlier is reported
    with that bead (:func:`_straddled`; evidence ``with_bead``), and a pair that becomes an
    outlier once an edge sentence moves to the bead whose meaning it carries is reported too
    (:func:`_regrouped`; evidence ``moved_segment``).
    """
    paired = _paired(ctx)
    if len(paired) < ctx.settings.min_beads_for_stats:
        return
    lengths = _lengths(ctx, paired)
    model = RatioModel.fit(lengths, ctx.settings.length_ratio_z if ctx.settings.length_ratio_refit else 0.0)
    if model is None:
        return
    reported: set[int] = set()
    for n, ((b_i, bead), (s, t)) in enumerate(zip(paired, lengths)):
        if not _reportable(ctx, model, s, t):
            continue
        if ctx.settings.boundary_compensation and _compensated(ctx, paired, lengths, n, model):
            continue  # the adjacent bead holds the difference: a sentence boundary drawn differently
        reported.add(b_i)
        src, tgt = ctx.bead_segments(bead, "src"), ctx.bead_segments(bead, "tgt")
        m = _straddled(ctx, paired, lengths, n, model) if ctx.settings.length_ratio_regroup else None
        if m is None:
            yield _length_finding(ctx, model, b_i, bead.score, s, t, src, tgt, {})
            continue
        (m_i, other), (s_m, t_m) = paired[m], lengths[m]
        reported.add(m_i)
        first, second = ((src, tgt), (ctx.bead_segments(other, "src"), ctx.bead_segments(other, "tgt")))
        if m_i < b_i:
            first, second = second, first
        yield _length_finding(ctx, model, b_i, bead.score, s + s_m, t + t_m, first[0] + second[0],
                              first[1] + second[1], {"with_bead": m_i})
    if ctx.settings.length_ratio_regroup:
        for g in _regrouped(ctx, model):
            if g.bead not in reported:
                reported.add(g.bead)
                yield _length_finding(ctx, model, g.bead, ctx.beads[g.bead].score, g.s, g.t, g.src, g.tgt, {
                    "moved_segment": {"side": g.side, "segment": g.moved.idx, "from_bead": g.source_bead,
                                      "to_bead": g.target_bead}})


def _straddled(ctx: CheckContext, paired: list[tuple[int, Bead]], lengths: list[tuple[int, int]], n: int,
               model: RatioModel) -> int | None:
    """The entry of ``paired`` adjacent to outlier ``n`` that must be judged with it, if any.

    A sentence boundary of one language can fall inside a sentence of the other: the
    adjacent bead's clause nearest to bead ``n`` (on either side; its sentence when it is
    one clause) then renders part of bead ``n`` (more similar, ``ctx.embed`` via
    :func:`_closer_to`, to bead ``n``'s other side than to its own bead's), and the length
    bead ``n`` lacks may be missing from that neighbour. When the neighbour is not an outlier itself and the two beads together are
    still an outlier the same way, the pair is reported as one (the part that is missing
    cannot be placed in either alone); when together they are normal,
    :func:`_compensated` already excused it. None without ``ctx.embed``.
    """
    if ctx.embed is None:
        return None
    limit = ctx.settings.length_ratio_z
    z = model.z(*lengths[n])
    b_i, bead = paired[n]
    for m, other in _adjacent_pairs(paired, n):
        if abs(model.z(*lengths[m])) >= limit:
            continue
        s, t = lengths[n][0] + lengths[m][0], lengths[n][1] + lengths[m][1]
        if model.z(s, t) * z <= 0 or not _reportable(ctx, model, s, t):
            continue
        first = paired[m][0] > b_i
        for side in ("src", "tgt"):
            edge = _edge_clause(ctx, side, other, first)
            segs = ctx.bead_segments(other, side)
            text = edge[0] if edge is not None else (segs[0] if first else segs[-1]).norm
            to_sim, from_sim = _closer_to(ctx, text, bead, other, other_side(side))
            if to_sim > from_sim:
                return m
    return None


def _reportable(ctx: CheckContext, model: RatioModel, s: int, t: int) -> bool:
    """Whether a pair of ``s`` source and ``t`` target letters is a length outlier worth reporting:
    robust z at least ``settings.length_ratio_z`` away, and at least ``settings.min_ratio_chars``
    letters on the longer side, counted in the letters of the side that spends more of them on the
    same meaning (English, not Chinese characters, in either direction)."""
    ratio = math.exp(model.median)
    longest = max(s * ratio, t) / min(ratio, 1.0)
    return abs(model.z(s, t)) >= ctx.settings.length_ratio_z and longest >= ctx.settings.min_ratio_chars


def _length_finding(ctx: CheckContext, model: RatioModel, b_i: int, score: float, s: int, t: int,
                    src: list[Segment], tgt: list[Segment], extra: dict) -> Finding:
    """The ``length_ratio_outlier`` warning on the pair of ``src`` and ``tgt`` sentences (``s`` and
    ``t`` letters), reported under bead position ``b_i``."""
    z = model.z(s, t)
    x = math.log((t + 1) / (s + 1))
    shorter = z < 0
    return Finding(
        check="length_ratio_outlier",
        severity=Severity.WARNING,
        doc_id=ctx.doc_id,
        message=(f"The {language_name(ctx.tgt_lang)} text is {math.exp(abs(x - model.median)):.1f} times "
                 f"{'shorter' if shorter else 'longer'} than usual in this document for a source "
                 f"of this length: {'part of it may be missing' if shorter else 'it may contain added content'}."),
        evidence={"bead": b_i, "ratio": round(math.exp(x), 3), "document_median_ratio": round(math.exp(model.median), 3),
                  "z": round(z, 2), "score": round(score, 4), **extra},
        src_span=ctx.segment_span("src", src),
        tgt_span=ctx.segment_span("tgt", tgt),
    )


@dataclass(frozen=True)
class _Regroup:
    """A pair judged with one edge sentence ``moved`` (on ``side``) from bead ``source_bead`` to the
    adjacent bead ``target_bead``: ``bead`` is the one of the two reported, ``src``/``tgt`` its
    sentences after the move and ``s``/``t`` their letters."""

    bead: int
    side: str
    moved: Segment
    source_bead: int
    target_bead: int
    src: list[Segment]
    tgt: list[Segment]
    s: int
    t: int


def _regrouped(ctx: CheckContext, model: RatioModel) -> Iterator[_Regroup]:
    """Pairs that are length outliers once an edge sentence is counted with the bead whose meaning it carries.

    An aligner weighs length: when a translation is cut short, it often glues the short
    sentence to a neighbour's bead (1-2), or glues its source to the next bead (2-1) and leaves
    the short sentence alone (0-1), so that no bead's ratio looks wrong. For each bead with two
    or more sentences on one side, the edge sentence facing an adjacent bead (paired, or holding
    the other side only) is moved there when it is more similar in meaning (``ctx.embed``, best
    match over each bead's whole text, sentences and clauses: :func:`_closer_to`) to that
    bead's other side than to its own bead's. If exactly one of the two beads is then an
    outlier (:func:`_reportable`) and the other is not, that one is reported, with the
    sentences it holds after the move, unless the regrouped document excuses it as
    :func:`_compensated` would (``settings.boundary_compensation``). The mirror of :func:`_moved_sentence`, which excuses an
    outlier that such a move makes normal. Without ``ctx.embed`` nothing moves.
    """
    if ctx.embed is None:
        return
    beads = ctx.beads
    for b in range(len(beads) - 1):
        for side in ("src", "tgt"):
            other = other_side(side)
            for n, m in ((b, b + 1), (b + 1, b)):
                mine = ctx.bead_segments(beads[n], side)
                theirs_n, theirs_m = ctx.bead_segments(beads[n], other), ctx.bead_segments(beads[m], other)
                if len(mine) < 2 or not any(has_content(x.text) for x in theirs_n) \
                        or not any(has_content(x.text) for x in theirs_m):
                    continue
                edge = mine[-1] if m > n else mine[0]
                if not has_content(edge.text):
                    continue
                rest = [x for x in mine if x is not edge]
                mine_m = ctx.bead_segments(beads[m], side)
                joined = [edge] + mine_m if m > n else mine_m + [edge]
                after = {}
                for k, segs_side, segs_other in ((n, rest, theirs_n), (m, joined, theirs_m)):
                    src, tgt = (segs_side, segs_other) if side == "src" else (segs_other, segs_side)
                    after[k] = (src, tgt, _segments_letters(src), _segments_letters(tgt))
                out = [k for k in (n, m) if _reportable(ctx, model, after[k][2], after[k][3])]
                if len(out) != 1:
                    continue
                to_sim, from_sim = _closer_to(ctx, edge.norm, beads[m], beads[n], other)
                if to_sim <= from_sim:
                    continue
                if ctx.settings.boundary_compensation and _compensated_after(ctx, model, n, m, side, rest, joined,
                                                                             out[0]):
                    continue
                src, tgt, s_len, t_len = after[out[0]]
                yield _Regroup(out[0], side, edge, n, m, src, tgt, s_len, t_len)


def _compensated_after(ctx: CheckContext, model: RatioModel, n: int, m: int, side: str, rest: list[Segment],
                       joined: list[Segment], judged: int) -> bool:
    """:func:`_compensated` for bead ``judged`` (``n`` or ``m``) of the document as regrouped: bead ``n``
    holding ``rest`` and bead ``m`` holding ``joined`` on ``side``. Only the bead on the other side
    of ``judged`` may excuse it (a boundary drawn differently there); the other bead of the move
    may not: meaning, not length, put the boundary between those two."""
    def regrouped(b_i: int, bead: Bead) -> Bead:
        if b_i not in (n, m):
            return bead
        idx = tuple(x.idx for x in (rest if b_i == n else joined))
        return dataclasses.replace(bead, src=idx) if side == "src" else dataclasses.replace(bead, tgt=idx)

    partner = m if judged == n else n  # it has the sentence where its meaning is: it excuses nothing
    paired = _paired(ctx, ((b_i, regrouped(b_i, b)) for b_i, b in enumerate(ctx.beads) if b_i != partner))
    lengths = _lengths(ctx, paired)
    at = next((k for k, (b_i, _) in enumerate(paired) if b_i == judged), None)
    return at is not None and _compensated(ctx, paired, lengths, at, model)


def similarity_drop(ctx: CheckContext) -> Iterator[Finding]:
    """Warnings for beads whose similarity is far below that of their neighbours.

    A bead is reported when its similarity is more than
    ``settings.similarity_drop`` below the median of the
    ``settings.neighbour_beads`` paired beads on each side of it, and at most
    ``settings.similarity_drop_max_sim`` (a pair still that similar is a loosely
    worded translation, not a wrong one).
    """
    paired = _paired(ctx)
    k = ctx.settings.neighbour_beads
    if len(paired) < 3:
        return
    sims = [b.sim for _, b in paired]
    for n, (b_i, bead) in enumerate(paired):
        around = sims[max(0, n - k) : n] + sims[n + 1 : n + 1 + k]
        if len(around) < 2:
            continue
        ref = statistics.median(around)
        if ref - bead.sim < ctx.settings.similarity_drop or bead.sim > ctx.settings.similarity_drop_max_sim:
            continue
        yield Finding(
            check="similarity_drop",
            severity=Severity.WARNING,
            doc_id=ctx.doc_id,
            message=(f"This pair is much less similar in meaning than the pairs around it "
                     f"(similarity {bead.sim:.2f} against {ref:.2f} nearby); check the translation."),
            evidence={"bead": b_i, "sim": round(bead.sim, 4), "neighbour_median": round(ref, 4),
                      "score": round(bead.score, 4)},
            **_spans(ctx, bead),
        )
    for pair in stand_in_pairs(ctx):
        lo, hi = pair.beads
        before = [sim for (b_i, _), sim in zip(paired, sims) if b_i < lo][-k:]
        after = [sim for (b_i, _), sim in zip(paired, sims) if b_i > hi][:k]
        if len(before) + len(after) < 2:
            continue
        ref = statistics.median(before + after)
        if ref - pair.sim < ctx.settings.similarity_drop or pair.sim > ctx.settings.similarity_drop_max_sim:
            continue
        yield _stand_in_finding(ctx, "similarity_drop", pair, (
            f"This {language_name(ctx.tgt_lang)} sentence stands where the translation of this "
            f"{language_name(ctx.src_lang)} sentence should be, but is much less similar in meaning to it "
            f"(similarity {pair.sim:.2f}) than the pairs around it are to each other ({ref:.2f}); "
            f"check the translation."), {"neighbour_median": round(ref, 4)})


# ---------------------------------------------------------------------------
# stand-in pairs: a lone source and a lone target sentence in the same gap


@dataclass(frozen=True)
class StandInPair:
    """A source and a target sentence that the alignment leaves apart in the same gap.

    ``src``/``tgt`` are the two segments; ``src_bead``/``tgt_bead`` the 0-based positions of
    the beads holding them (a 1-0 / 0-1 bead, or the many-sentence bead next to the gap that
    the aligner glued the sentence to); ``sim`` their cosine similarity; ``unrelated`` the
    document's yardstick (:func:`unrelated_similarity`). Built only when ``sim <= unrelated``:
    the target sentence stands where the translation of the source sentence should be, but
    does not translate it (a wrong or replaced translation).
    """

    src: Segment
    tgt: Segment
    src_bead: int
    tgt_bead: int
    sim: float
    unrelated: float

    @property
    def beads(self) -> tuple[int, int]:
        """The first and last bead position the pair spans (inclusive)."""
        return min(self.src_bead, self.tgt_bead), max(self.src_bead, self.tgt_bead)


def _lone(ctx: CheckContext, b_i: int) -> str | None:
    """``"src"`` or ``"tgt"`` when bead ``b_i`` holds sentences of that side only (with content)."""
    bead = ctx.beads[b_i]
    for side, mine, theirs in (("src", bead.src, bead.tgt), ("tgt", bead.tgt, bead.src)):
        other = other_side(side)
        if mine and not any(has_content(ctx.segment(other, i).text) for i in theirs) \
                and any(has_content(ctx.segment(side, i).text) for i in mine):
            return side
    return None


def _document_log_ratio(ctx: CheckContext) -> float | None:
    """Median of ``log((target letters + 1) / (source letters + 1))`` over the paired beads, or None
    with fewer than ``settings.min_beads_for_stats`` of them."""
    paired = _paired(ctx)
    if len(paired) < ctx.settings.min_beads_for_stats:
        return None
    return statistics.median(math.log((_chars(ctx, b, "tgt") + 1) / (_chars(ctx, b, "src") + 1)) for _, b in paired)


def _glued_edge(ctx: CheckContext, side: str, b_i: int, first: bool, log_ratio: float | None,
                unrelated: float) -> Segment | None:
    """The edge sentence of ``side`` of bead ``b_i`` facing a gap, if the bead holds several
    sentences there and does not seem to carry it.

    ``first``: the edge is the bead's first sentence (the gap is before the bead) when true,
    its last (the gap is after it) when false. The sentence is taken as not carried when the
    other side's length (in letters) is nearer to what this document's median ratio
    (``log_ratio``) predicts without it than with it (``settings.stand_in_length_fit``: 0 =
    fits the bead with the sentence, 1 = without it); or, in meaning (``ctx.embed``), when
    the bead's other side is no less similar without it than with it (a sentence the other
    side renders makes the bead more similar), or when the sentence alone is no more similar
    to the bead's other side than unrelated sentences of the document are (``unrelated``,
    :func:`unrelated_similarity`: one sentence changes a long bead's embedding too little to
    tell).
    """
    if ctx.embed is None or not 0 <= b_i < len(ctx.beads):
        return None
    bead = ctx.beads[b_i]
    other = other_side(side)
    many = ctx.bead_segments(bead, side)
    theirs = ctx.bead_segments(bead, other)
    if len(many) < 2 or not any(has_content(t.text) for t in theirs):
        return None
    edge = many[0] if first else many[-1]
    rest = many[1:] if first else many[:-1]
    if not has_content(edge.text):
        return None
    if log_ratio is not None:
        r = log_ratio if side == "src" else -log_ratio  # predicts the other side's letters from this side's
        total = _segments_letters(many)
        without = total - _letters(edge.text)
        have = _segments_letters(theirs)
        if without > 0 and have > 0 and total > without:
            with_x, without_x = math.log(total) + r, math.log(without) + r
            if (with_x - math.log(have)) / (with_x - without_x) >= ctx.settings.stand_in_length_fit:
                return edge
    v = np.asarray(ctx.embed([join_sentences([t.norm for t in theirs]), join_sentences([s.norm for s in many]),
                              join_sentences([s.norm for s in rest]), edge.norm]), dtype=np.float32)
    return edge if float(v[0] @ v[2]) >= float(v[0] @ v[1]) or float(v[0] @ v[3]) <= unrelated else None


def stand_in_pairs(ctx: CheckContext) -> list[StandInPair]:
    """Source and target sentences left unaligned in the same gap that do not translate each other.

    A gap is a run of one-sided beads (1-0 / 0-1) between two paired beads. When it holds
    exactly one source and one target sentence that no adjacent bead renders
    (:func:`align.checks.glued.carried_by_neighbour`), they stand in each other's place: the
    translation has *a* sentence where the source sentence is, but the aligner would not pair
    them. When it holds a sentence of one side only, its partner may be the edge sentence of
    the adjacent bead that the aligner glued to a neighbour (a bead with several sentences on
    that side, which does not seem to carry it: :func:`_glued_edge`). The pair
    is kept when its cosine similarity (sentence vectors) is no higher than the
    ``settings.low_score_unrelated_quantile`` quantile of :func:`unrelated_similarity`: the
    two are as unrelated as sentences far apart in this document.

    Empty without vectors, with ``settings.stand_in_pairs`` false, or when the document is too
    short for the yardstick. Sorted by position. Computed once per context (``low_score`` and
    ``similarity_drop`` both report the pairs).
    """
    return ctx.shared("stand_in_pairs", lambda: _stand_in_pairs(ctx))


def _stand_in_pairs(ctx: CheckContext) -> list[StandInPair]:
    """:func:`stand_in_pairs`, computed."""
    from .glued import carried_by_neighbour  # glued imports omission, which imports suspect's peers

    st = ctx.settings
    if (not st.stand_in_pairs or ctx.src_vectors is None or ctx.tgt_vectors is None
            or ctx.src_doc is None or ctx.tgt_doc is None or st.low_score_unrelated_quantile <= 0):
        return []
    unrelated = unrelated_similarity(ctx, st.low_score_unrelated_quantile)
    if unrelated is None:
        return []
    out: list[StandInPair] = []
    log_ratio = _document_log_ratio(ctx)
    n = len(ctx.beads)
    b_i = 0
    while b_i < n:
        if _lone(ctx, b_i) is None:
            b_i += 1
            continue
        start = b_i
        while b_i < n and _lone(ctx, b_i) is not None:
            b_i += 1
        lone: dict[str, list[tuple[int, Segment]]] = {"src": [], "tgt": []}
        for g in range(start, b_i):
            side = _lone(ctx, g)
            assert side is not None
            if math.isfinite(st.neighbour_join_gain) and carried_by_neighbour(ctx, side, g) is not None:
                continue  # rendered by the adjacent bead: a sentence boundary drawn differently
            mine = ctx.beads[g].src if side == "src" else ctx.beads[g].tgt
            lone[side].extend((g, ctx.segment(side, i)) for i in mine if has_content(ctx.segment(side, i).text))
        for side in ("src", "tgt"):
            other = other_side(side)
            if len(lone[other]) == 1 and not lone[side]:
                # the partner may be glued to the paired bead before or after the gap
                for nb, first in ((start - 1, False), (b_i, True)):
                    edge = _glued_edge(ctx, side, nb, first, log_ratio, unrelated)
                    if edge is not None:
                        lone[side].append((nb, edge))
                if len(lone[side]) > 1:
                    lone[side] = []  # two candidates: no telling which one stands in
        if len(lone["src"]) == 1 and len(lone["tgt"]) == 1:
            (sb, s), (tb, t) = lone["src"][0], lone["tgt"][0]
            sim = float(ctx.src_vectors[s.idx] @ ctx.tgt_vectors[t.idx])
            if sim <= unrelated:
                out.append(StandInPair(s, t, sb, tb, sim, unrelated))
    return out
