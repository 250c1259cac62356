"""Suspect pairs: beads whose alignment or translation deserves a second look.

``low_score``: the calibrated probability that the bead is right is below
``settings.low_score``. ``length_ratio_outlier``: the bead's target/source
length ratio is far from this document's own ratios (median and median
absolute deviation of the log ratio, so a few bad beads do not move the
yardstick). ``similarity_drop``: the bead's similarity is far below the
similarities of the beads around it. All three are warnings carrying the score.
"""

from __future__ import annotations

import math
import statistics
from typing import Iterator

from ..langid import language_name
from ..records import Bead, Finding, Severity
from .content import has_content
from .context import CheckContext
from .glued import join_texts

# A consistent estimate of the standard deviation from the median absolute deviation.
_MAD_TO_SD = 1.4826


def _paired(ctx: CheckContext) -> list[tuple[int, Bead]]:
    """Beads with content on both sides, with their position."""
    return [(b_i, b) for b_i, b, src, tgt in ctx.paired_beads()
            if any(has_content(s.text) for s in src) and any(has_content(t.text) for t in tgt)]


def _spans(ctx: CheckContext, bead: Bead) -> dict:
    return {"src_span": ctx.segment_span("src", ctx.bead_segments(bead, "src")),
            "tgt_span": ctx.segment_span("tgt", ctx.bead_segments(bead, "tgt"))}


def low_score(ctx: CheckContext) -> Iterator[Finding]:
    """Warnings for beads whose calibrated score is below ``settings.low_score``."""
    for b_i, bead in _paired(ctx):
        if bead.score < ctx.settings.low_score:
            yield Finding(
                check="low_score",
                severity=Severity.WARNING,
                doc_id=ctx.doc_id,
                message=(f"These sentences may not be translations of each other "
                         f"(alignment confidence {bead.score:.2f}); check the pair."),
                evidence={"bead": b_i, "score": round(bead.score, 4), "sim": round(bead.sim, 4),
                          "threshold": ctx.settings.low_score, "kind": bead.kind},
                **_spans(ctx, bead),
            )


def _chars(ctx: CheckContext, bead: Bead, side: str) -> int:
    return sum(len("".join(s.text.split())) for s in ctx.bead_segments(bead, side))


def _compensated(ctx: CheckContext, paired: list[tuple[int, Bead]], logs: list[float], n: int,
                 med: float, mad: float) -> bool:
    """Whether an adjacent bead deviates the other way and the two together have a normal ratio.

    Both beads must be adjacent in the document (positions ``b_i`` differ by one); the
    neighbour's robust z must be at least half the threshold, of opposite sign.
    """
    z = (logs[n] - med) / mad
    b_i, bead = paired[n]
    for m in (n - 1, n + 1):
        if not 0 <= m < len(paired) or abs(paired[m][0] - b_i) != 1:
            continue
        z_m = (logs[m] - med) / mad
        if z_m * z >= 0 or abs(z_m) < ctx.settings.length_ratio_z / 2:
            continue
        other = paired[m][1]
        s = _chars(ctx, bead, "src") + _chars(ctx, other, "src")
        t = _chars(ctx, bead, "tgt") + _chars(ctx, other, "tgt")
        if abs((math.log((t + 1) / (s + 1)) - med) / mad) < ctx.settings.length_ratio_z / 2:
            return True
    return _moved_sentence(ctx, paired, n, med, mad)


def _seg_chars(ctx: CheckContext, side: str, idx: int) -> int:
    return len("".join(ctx.segment(side, idx).text.split()))


def _moved_sentence(ctx: CheckContext, paired: list[tuple[int, Bead]], n: int, med: float, mad: float) -> bool:
    """Whether moving one edge sentence between bead ``n`` and an adjacent bead holding several
    sentences on that side makes both ratios normal (within the threshold).

    E.g. a 1-2 bead whose second target sentence translates the next source sentence,
    leaving the next bead's target too short. Only neighbours with two or more sentences
    on the side concerned give one away, so a 1-1 pair is never "repaired"; and the
    moving sentence must be more similar (``ctx.embed``) to the other side of the bead
    it moves to than to that of the bead it leaves, so a truncated translation next
    to a 1-2 pair is still reported. Without ``ctx.embed`` nothing moves.
    """
    b_i, bead = paired[n]
    limit = ctx.settings.length_ratio_z

    def z_of(s: int, t: int) -> float:
        return (math.log((t + 1) / (s + 1)) - med) / mad

    for m in (n - 1, n + 1):
        if not 0 <= m < len(paired) or abs(paired[m][0] - b_i) != 1:
            continue
        other = paired[m][1]
        for side in ("tgt", "src"):
            mine, theirs = (bead.tgt, other.tgt) if side == "tgt" else (bead.src, other.src)
            s_me, t_me = _chars(ctx, bead, "src"), _chars(ctx, bead, "tgt")
            s_ot, t_ot = _chars(ctx, other, "src"), _chars(ctx, other, "tgt")
            # the sentence of the neighbour nearest to this bead moves in, or ours moves out
            for give_from, seq in (("other", theirs), ("me", mine)):
                if len(seq) < 2:
                    continue
                edge = seq[-1] if (give_from == "other") == (m < n) else seq[0]
                c = _seg_chars(ctx, side, edge)
                sign = 1 if give_from == "other" else -1
                if side == "tgt":
                    z_me, z_ot = z_of(s_me, t_me + sign * c), z_of(s_ot, t_ot - sign * c)
                else:
                    z_me, z_ot = z_of(s_me + sign * c, t_me), z_of(s_ot - sign * c, t_ot)
                if abs(z_me) < limit and abs(z_ot) < limit and _belongs(ctx, side, edge, give_from, bead, other):
                    return True
    return False


def _belongs(ctx: CheckContext, side: str, edge: int, give_from: str, bead: Bead, other: Bead) -> bool:
    """Whether sentence ``edge`` of ``side`` is closer in meaning to the bead it would move to."""
    if ctx.embed is None:
        return False
    opp = "src" if side == "tgt" else "tgt"
    to, frm = (bead, other) if give_from == "other" else (other, bead)
    texts = [ctx.segment(side, edge).norm,
             join_texts([x.norm for x in ctx.bead_segments(to, opp)]),
             join_texts([x.norm for x in ctx.bead_segments(frm, opp)])]
    v = ctx.embed(texts)
    return float(v[0] @ v[1]) > float(v[0] @ v[2])


def length_ratio_outlier(ctx: CheckContext) -> Iterator[Finding]:
    """Warnings for beads whose target/source length ratio is an outlier for this document.

    The log of (target chars / source chars) is compared with the document's
    median; beads more than ``settings.length_ratio_z`` robust standard
    deviations away, and with at least ``settings.min_ratio_chars`` characters
    on the longer side, are reported. Needs ``settings.min_beads_for_stats`` beads.
    With ``settings.boundary_compensation``, an outlier whose adjacent bead deviates
    the other way (robust z at least half the threshold) while the two together are
    within half the threshold is not reported: the sentence boundary moved; nor is
    one that becomes normal, with its neighbour, when one edge sentence of a
    neighbour holding several sentences moves across (see :func:`_moved_sentence`).
    """
    paired = _paired(ctx)
    if len(paired) < ctx.settings.min_beads_for_stats:
        return
    logs = [math.log((_chars(ctx, b, "tgt") + 1) / (_chars(ctx, b, "src") + 1)) for _, b in paired]
    med = statistics.median(logs)
    mad = statistics.median(abs(x - med) for x in logs) * _MAD_TO_SD
    if mad <= 1e-9:
        return
    tgt_name = language_name(ctx.tgt_lang)
    for n, ((b_i, bead), x) in enumerate(zip(paired, logs)):
        z = (x - med) / mad
        longest = max(_chars(ctx, bead, "src") * math.exp(med), _chars(ctx, bead, "tgt"))
        if abs(z) < ctx.settings.length_ratio_z or longest < ctx.settings.min_ratio_chars:
            continue
        if ctx.settings.boundary_compensation and _compensated(ctx, paired, logs, n, med, mad):
            continue  # the adjacent bead holds the difference: a sentence boundary drawn differently
        shorter = z < 0
        yield Finding(
            check="length_ratio_outlier",
            severity=Severity.WARNING,
            doc_id=ctx.doc_id,
            message=(f"The {tgt_name} text is {math.exp(abs(x - med)):.1f} times "
                     f"{'shorter' if shorter else 'longer'} than usual in this document for a source "
                     f"of this length: {'part of it may be missing' if shorter else 'it may contain added content'}."),
            evidence={"bead": b_i, "ratio": round(math.exp(x), 3), "document_median_ratio": round(math.exp(med), 3),
                      "z": round(z, 2), "score": round(bead.score, 4)},
            **_spans(ctx, bead),
        )


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
