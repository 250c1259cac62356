"""Sentences the aligner glued into a many-to-one bead although nothing renders them.

When a translation drops a sentence, an aligner often joins the lonely
sentence to a neighbour's bead (a 2-1 bead) instead of leaving it 1-0; checks
that only look at 1-0 beads then miss it. For each bead whose ``side`` holds
several sentences and whose other side holds at least one, every sentence
``x`` of the many side is weighed on four pieces of evidence:

* **meaning without it**: ``gain = sim(other, bead - x) - sim(other, bead)``
  (sentence embeddings, ``ctx.embed``); a carried sentence makes the whole
  bead *more* similar to the other side, so removing it lowers the similarity;
* **its own similarity**: ``sim_x``, the best similarity of ``x`` to the other
  side's text or to any one sentence or clause of it;
* **length**: where the other side's length sits between what this
  document's median length ratio predicts for the bead with ``x`` (0) and
  without it (1): ``length_fit``;
* **numbers**: values of ``x`` (:mod:`align.numbers`) found on the other side
  (``x`` is carried) or found nowhere there; and the list number ``x`` opens with
  (a heading ``(i) …``, an item ``三是…``), which the other side may not mention
  (``settings.glued_list_numbers``; :func:`~align.numbers.ordinals_mentioned`).

``x`` is reported (see :func:`glued_sentences`) when the meaning test says the
bead is at least as close without it and ``x`` alone is barely similar, or
when the length and the numbers agree with a weaker meaning test (a missing list
number counts as missing values, and with it ``x`` barely similar needs only a nearly
neutral meaning test), or when the
bilingual lexicon finds none of its words on the other side but finds the rest of the bead's
there, and the meaning test is nearly neutral (``settings.glued_lexical``); never when
one of its numbers (other than a year, and other than a value the bead's other
sentences hold too) or one of the other side's clauses (in the bead, or in the
sentence just before or after it when that sentence's bead is long enough to
hold it too: a boundary the aligner drew elsewhere) shows it is carried. A target sentence (added content) needs a lower own
similarity (``settings.glued_target_max_sim``). At most one
sentence per bead is reported, and never all of its sentences.
This is written by hand: no library decides which part of a bead is carried.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, replace
from typing import Sequence

import numpy as np

from ..normalize import normalize_for_comparison
from ..textjoin import join_sentences
from ..numbers import extract_quantities, opening_list_number, ordinals_mentioned, quantities_equal
from ..records import Bead, Segment
from ..settings import CheckSettings
from .content import has_content
from .context import CheckContext, other_side


@dataclass(frozen=True)
class GluedSentence:
    """Evidence on one sentence ``segment`` of a many-to-one bead (see module docstring).

    ``side`` is the side the sentence is on; ``bead`` its bead's 0-based
    position; similarities are cosine similarities in [-1, 1]; ``length_fit``
    is 0 when the other side's length fits the bead with the sentence, 1 when
    it fits the bead without it (may fall outside [0, 1]); ``numbers_found`` /
    ``numbers_missing`` count the sentence's values found / not found on the
    other side. ``dropped`` is the decision.
    """

    side: str
    bead: int
    segment: Segment
    sim_whole: float
    sim_without: float
    sim_sentence: float
    sim_clause: float
    length_fit: float | None
    numbers_found: int
    numbers_missing: int
    dropped: bool
    lexical: dict | None = None
    """The lexicon's evidence when it decided (``settings.glued_lexical``), else None."""
    list_number_missing: bool = False
    """The sentence opens with a list number (``(i)``, ``三是``) that the other side mentions nowhere,
    as a list number or an ordinal (``settings.glued_list_numbers``)."""

    @property
    def gain(self) -> float:
        """Rise in similarity when the sentence is removed from its bead."""
        return self.sim_without - self.sim_whole

    def evidence(self) -> dict:
        """The evidence as a JSON-ready dict for a Finding."""
        return {"bead": self.bead, "segment": self.segment.idx, "sim_whole": round(self.sim_whole, 4),
                "sim_without_sentence": round(self.sim_without, 4), "gain": round(self.gain, 4),
                "sim_sentence": round(self.sim_sentence, 4), "sim_best_clause": round(self.sim_clause, 4),
                "length_fit": None if self.length_fit is None else round(self.length_fit, 3),
                "numbers_found": self.numbers_found, "numbers_missing": self.numbers_missing,
                **({"list_number_missing": True} if self.list_number_missing else {}), **(self.lexical or {})}


def _chars(text: str) -> int:
    return len("".join(text.split()))


@dataclass(frozen=True)
class LengthModel:
    """This document's target/source length ratio, learned from its own paired beads.

    ``log_ratio`` is the median of ``log(target chars / source chars)`` (non-space
    characters) and ``sd`` a robust spread of it (median absolute deviation scaled to a
    standard deviation, at least 0.05), so a few bad beads do not move the yardstick.
    """

    log_ratio: float
    sd: float

    @property
    def ratio(self) -> float:
        """The median ratio itself (target chars per source char)."""
        return math.exp(self.log_ratio)

    def z(self, src_chars: float, tgt_chars: float) -> float:
        """How many ``sd`` the pair's log length ratio lies from the document's median
        (negative: the target is shorter than this document's translations usually are)."""
        return (math.log(tgt_chars / src_chars) - self.log_ratio) / self.sd


def document_length_model(ctx: CheckContext) -> LengthModel | None:
    """The :class:`LengthModel` of the paired beads with at least 10 characters a side, or None
    if there are fewer than ``settings.min_beads_for_stats`` of them."""
    ratios = []
    for b in ctx.beads:
        if b.src and b.tgt:
            s = sum(_chars(x.text) for x in ctx.bead_segments(b, "src"))
            t = sum(_chars(x.text) for x in ctx.bead_segments(b, "tgt"))
            if s >= 10 and t >= 10:
                ratios.append(math.log(t / s))
    if len(ratios) < ctx.settings.min_beads_for_stats:
        return None
    med = statistics.median(ratios)
    mad = statistics.median(abs(x - med) for x in ratios) * 1.4826  # MAD scaled to a normal SD
    return LengthModel(med, max(mad, 0.05))


def document_ratio(ctx: CheckContext) -> float | None:
    """Median target/source length ratio (non-space chars) of the paired beads, or None if too few."""
    model = document_length_model(ctx)
    return None if model is None else model.ratio


def _length_fit(ctx: CheckContext, side: str, many: Sequence[Segment], others: Sequence[Segment],
                x: Segment, ratio: float | None) -> float | None:
    if ratio is None:
        return None
    r = ratio if side == "src" else 1 / ratio  # predicts the other side's length from this side's
    total = sum(_chars(s.text) for s in many)
    rest = total - _chars(x.text)
    have = sum(_chars(t.text) for t in others)
    if rest <= 0 or have <= 0:
        return None
    with_x, without_x = math.log(r * total), math.log(r * rest)
    return (with_x - math.log(have)) / (with_x - without_x)


def _numbers(ctx: CheckContext, side: str, x: Segment, many: Sequence[Segment],
             others: Sequence[Segment]) -> tuple[int, int]:
    """:func:`numbers_carried` for sentence ``x`` of ``many`` (its bead's sentences on ``side``):
    a value the bead's other sentences also hold proves nothing about ``x``."""
    shared = [y.text for y in many if y is not x]
    return numbers_carried(ctx, side, x.text, [t.text for t in others], shared=shared)


def numbers_carried(ctx: CheckContext, side: str, text: str, others: Sequence[str],
                    years: bool = False, shared: Sequence[str] = ()) -> tuple[int, int]:
    """``(found, missing)``: how many values of ``text`` (on ``side``; list numbering and small
    numbers in words left out) are / are not among the values of the other side's ``others``.
    A year counts only as missing (a year recurs across neighbouring sentences, so finding it
    proves little), unless ``years``: then a year found counts as found too. A value found
    that ``shared`` (other texts of ``side``) also holds is not counted as found: the other
    side may render it from there."""
    mine = [q for q in extract_quantities(text, ctx.lang(side)) if not q.weak]
    if not mine:
        return 0, 0
    theirs = [q for t in others for q in extract_quantities(t, ctx.lang(other_side(side)))]
    ours = [q for t in shared for q in extract_quantities(t, ctx.lang(side))]
    hits = [any(quantities_equal(q, o) for o in theirs) for q in mine]
    found = sum(h for q, h in zip(mine, hits)
                if (years or q.form != "year") and not any(quantities_equal(q, o) for o in ours))
    return found, hits.count(False)


def sentence_dropped(st: CheckSettings, sim_sentence: float, sim_clause: float, gain: float,
                     length_fit: float | None, found: int, missing: int, list_number_missing: bool = False) -> bool:
    """Whether the evidence on one glued sentence says the other side does not carry it.

    Arguments as in :class:`GluedSentence` (``sim_clause`` is its ``sim_best_clause``);
    thresholds from ``st``. ``missing`` decides only with the length evidence: at least
    ``settings.glued_numbers_missing`` values the other side does not hold stand for a meaning
    test (a sentence on the same topic, written alike, can be as similar as a loose translation),
    and, with ``settings.glued_numbers_gaining``, stand for the length evidence when the bead is
    more similar without the sentence. With the length evidence, a sentence whose removal makes
    the bead more similar may be as similar as ``settings.glued_length_gaining_max_sim``.
    ``list_number_missing`` (a heading or list item whose number the other side lacks) counts as
    values missing, and with it a sentence at most ``settings.glued_max_sim`` similar is dropped
    when its removal costs the bead at most ``-settings.glued_lexical_gain``.
    """
    if found:
        return False  # one of its numbers is in the translation: it is carried, at least in part
    if sim_clause >= st.glued_clause_carried:
        return False  # a clause (or two) of the other side renders it
    numbers_missing = 0 < st.glued_numbers_missing <= missing or list_number_missing
    if gain >= st.glued_gain and (sim_sentence <= st.glued_max_sim or (st.glued_numbers_gaining and numbers_missing)):
        return True
    if list_number_missing and sim_sentence <= st.glued_max_sim and gain >= st.glued_lexical_gain:
        return True  # the number is the witness the meaning test lacks, as the lexicon's words are
    if not st.glued_use_length or length_fit is None:
        return False
    if not (length_fit >= st.glued_length_fit and gain >= st.glued_length_gain):
        return False
    most = st.glued_length_gaining_max_sim if gain >= st.glued_gain else st.glued_length_max_sim
    return sim_sentence <= most or numbers_missing


def _clause_windows(ctx: CheckContext, side: str, segs: Sequence[Segment]) -> list[str]:
    """Texts of each clause and each pair of adjacent clauses of ``segs`` (normalised), in order."""
    from .omission import _min_clause_chars, clause_spans

    pieces: list[str] = []
    for s in segs:
        min_c = _min_clause_chars(ctx, s)
        pieces.extend(normalize_for_comparison(s.text[a:b], ctx.lang(side)) for a, b in clause_spans(s.text, 0, min_c))
    if len(pieces) < 2:
        return []
    return pieces + [join_sentences(pieces[i : i + 2]) for i in range(len(pieces) - 1)]


def glued_sentences(ctx: CheckContext, side: str) -> list[GluedSentence]:
    """Evidence and decision for each sentence of ``side`` in the beads holding several of them.

    Empty without ``ctx.embed`` or without both documents. At most one
    sentence per bead has ``dropped`` set (the least similar one). Computed once per
    context (``partial_omission`` and ``unaligned_source`` both use it). With
    ``settings.glued_without_added``, source sentences are weighed against their bead's target
    without the target sentences this judges added content (a 2-2 bead that joins a dropped
    translation's source with an untranslated target sentence).
    """
    return ctx.shared(("glued_sentences", side), lambda: _glued_sentences(ctx, side))


def _glued_sentences(ctx: CheckContext, side: str) -> list[GluedSentence]:
    """:func:`glued_sentences`, computed."""
    from .omission import _mixed  # omission imports this module

    if ctx.embed is None or ctx.src_doc is None or ctx.tgt_doc is None:
        return []
    other = other_side(side)
    st = ctx.settings
    ratio = document_ratio(ctx)
    jobs: list[tuple[int, list[Segment], list[Segment]]] = []
    texts: list[str] = []
    added: set[int] = set()  # target sentences judged added content: they render no source sentence
    if side == "src" and st.glued_without_added:
        added = {g.segment.idx for g in glued_sentences(ctx, "tgt") if g.dropped}
    for b_i, bead in enumerate(ctx.beads):
        many = ctx.bead_segments(bead, side)
        others = [t for t in ctx.bead_segments(bead, other) if t.idx not in added]
        if len(many) < 2 or not any(has_content(t.text) for t in others):
            continue
        near: list[str] = []
        nbrs: list[tuple[int, int, int]] = []  # per adjacent sentence: texts, its bead's chars on side / other
        for n, seg in _adjacent_beads(ctx, other, b_i):
            mine = [seg.norm] + _clause_windows(ctx, other, [seg])
            near += mine
            nb = ctx.beads[n]
            nbrs.append((len(mine), sum(_chars(y.text) for y in ctx.bead_segments(nb, side)),
                         sum(_chars(y.text) for y in ctx.bead_segments(nb, other))))
        jobs.append((b_i, many, others, len(_clause_windows(ctx, other, others)), len(near), nbrs))
        texts.append(join_sentences([t.norm for t in others]))
        texts.append(join_sentences([s.norm for s in many]))
        texts.extend(t.norm for t in others)
        windows = _clause_windows(ctx, other, others)
        texts.extend(windows)
        texts.extend(near)
        for k, x in enumerate(many):
            texts.append(x.norm)
            texts.append(join_sentences([y.norm for j, y in enumerate(many) if j != k]))
    if not jobs:
        return []
    vecs = np.asarray(ctx.embed(texts), dtype=np.float32)
    out: list[GluedSentence] = []
    row = 0
    model = document_length_model(ctx)
    for b_i, many, others, n_win, n_near, nbrs in jobs:
        o_vec, full = vecs[row], vecs[row + 1]
        o_each = vecs[row + 2 : row + 2 + len(others)]
        o_win = vecs[row + 2 + len(others) : row + 2 + len(others) + n_win]
        o_near = vecs[row + 2 + len(others) + n_win : row + 2 + len(others) + n_win + n_near]
        row += 2 + len(others) + n_win + n_near
        sim_full = float(o_vec @ full)
        here: list[GluedSentence] = []
        mixed = _mixed(ctx, many if side == "src" else others, others if side == "src" else many)
        numbers = [opening_list_number(x.text) if st.glued_list_numbers else None for x in many]
        their_numbers = ({v for t in others for v in ordinals_mentioned(t.text)}
                         if any(n is not None for n in numbers) else set())  # read only when some sentence has one
        for x, number in zip(many, numbers):
            x_vec, rest = vecs[row], vecs[row + 1]
            row += 2
            sim_x = max(float(o_vec @ x_vec), float((o_each @ x_vec).max()))
            sim_c = max(sim_x, float((o_win @ x_vec).max())) if n_win else sim_x
            sim_rest = float(o_vec @ rest)
            fit = _length_fit(ctx, side, many, others, x, ratio)
            found, missing = _numbers(ctx, side, x, many, others)
            unnumbered = number is not None and number not in their_numbers
            ok = not mixed and has_content(x.text) and sentence_dropped(st, sim_x, sim_c, sim_rest - sim_full, fit,
                                                               found, missing, unnumbered)
            lexical = None
            if not ok and not mixed and has_content(x.text):
                lexical = _words_unrendered(ctx, side, x, many, others, sim_x, sim_c, sim_rest - sim_full, found)
                ok = lexical is not None
            if side == "tgt" and sim_x > st.glued_target_max_sim:
                ok = False  # see CheckSettings.glued_target_max_sim
            if _neighbour_carries(st, model, side, o_near @ x_vec, nbrs, _chars(x.text)):
                ok = False  # the adjacent pair's other side renders it: the aligner drew the boundary elsewhere
            here.append(GluedSentence(side, b_i, x, sim_full, sim_rest, sim_x, sim_c, fit, found, missing, ok,
                                      lexical if ok else None, unnumbered))
        dropped = [g for g in here if g.dropped]
        keep = min(dropped, key=lambda g: g.sim_sentence) if dropped and len(dropped) < len(here) else None
        out.extend(g if g is keep else _undecided(g) for g in here)
    return out


def _words_unrendered(ctx: CheckContext, side: str, x: Segment, many: Sequence[Segment], others: Sequence[Segment],
                      sim_x: float, sim_c: float, gain: float, found: int) -> dict | None:
    """The lexicon's evidence that glued sentence ``x`` is not rendered by its bead's other side
    (``others``) while the rest of ``many`` is, for a sentence the embeddings find barely similar
    to the other side but whose removal barely moves the bead's similarity (``gain``): see
    ``settings.glued_lexical``. None when the evidence is missing or says otherwise."""
    from .unaligned import lexically_unrendered  # unaligned imports this module

    st, lex = ctx.settings, ctx.lexicon
    if lex is None or not st.glued_lexical or found:
        return None
    if sim_x > st.glued_max_sim or sim_c >= st.glued_clause_carried or gain < st.glued_lexical_gain:
        return None
    least = st.glued_lexical_min_glossed_cjk if lex.written_without_spaces(ctx.lang(side)) else st.glued_lexical_min_glossed
    return lexically_unrendered(ctx, side, x.text, join_sentences([t.text for t in others]),
                                join_sentences([y.text for y in many if y is not x]), least=least)


def _neighbour_carries(st: CheckSettings, model: LengthModel | None, side: str, sims: np.ndarray,
                       nbrs: Sequence[tuple[int, int, int]], x_chars: int) -> bool:
    """Whether an adjacent sentence of the other side renders a glued sentence of ``x_chars``
    characters on ``side``: ``sims`` are its similarities to the adjacent sentences and their
    clauses, in the order of ``nbrs`` (per adjacent sentence: how many of ``sims`` are its,
    then its bead's characters on ``side`` and on the other side). An adjacent sentence at
    least ``settings.glued_neighbour_carried`` similar renders it if its bead is long enough
    on the other side to hold it too (length z with the sentence added, as
    :meth:`LengthModel.z` from the source's view, at least ``settings.glued_neighbour_z``;
    always without a length model), or if it is at least ``settings.glued_neighbour_sim``
    similar whatever the lengths. A target sentence (added content needs the stronger evidence)
    is taken as rendered on similarity alone."""
    pos = 0
    for n_texts, mine, theirs in nbrs:
        sim = float(sims[pos : pos + n_texts].max()) if n_texts else -1.0
        pos += n_texts
        if sim >= st.glued_neighbour_sim:
            return True
        if sim < st.glued_neighbour_carried:
            continue
        if model is None or not theirs or side == "tgt":
            return True
        if model.z(mine + x_chars, theirs) >= st.glued_neighbour_z:
            return True
    return False


def _adjacent_beads(ctx: CheckContext, side: str, b_i: int) -> list[tuple[int, Segment]]:
    """``(bead position, segment)`` of the ``side`` sentence just before bead ``b_i``'s (the last
    of the bead before) and the one just after it (the first of the bead after), if any."""
    out = []
    for n, pick in ((b_i - 1, -1), (b_i + 1, 0)):
        if 0 <= n < len(ctx.beads):
            idx = ctx.beads[n].src if side == "src" else ctx.beads[n].tgt
            if idx:
                out.append((n, ctx.segment(side, idx[pick])))
    return out


def _undecided(g: GluedSentence) -> GluedSentence:
    return replace(g, dropped=False) if g.dropped else g


def carried_by_neighbour(ctx: CheckContext, side: str, b_i: int) -> tuple[int, float, float] | None:
    """Whether the lone segment(s) of 1-0/0-1 bead ``b_i`` are rendered inside an adjacent bead.

    A sentence-boundary difference (one long source sentence translated as two,
    the aligner pairing one and leaving the other alone) leaves a lone sentence
    whose meaning is in the neighbouring bead's other side. Returns ``(neighbour
    bead, similarity of the neighbour's pair, similarity with the lone text
    joined in)`` when joining the lone text to the adjacent bead raises that
    bead's similarity by at least ``settings.neighbour_join_gain`` and the lone text alone is at
    least ``settings.neighbour_join_min_sim`` similar to that bead's other side (an unrelated
    sentence can nudge a pair's similarity up by chance); else None.
    """
    if ctx.embed is None:
        return None
    bead = ctx.beads[b_i]
    lone = ctx.bead_segments(bead, side)
    other = other_side(side)
    best: tuple[int, float, float] | None = None
    for n in (b_i - 1, b_i + 1):
        if not (0 <= n < len(ctx.beads)):
            continue
        nb: Bead = ctx.beads[n]
        mine, theirs = ctx.bead_segments(nb, side), ctx.bead_segments(nb, other)
        if not mine or not theirs:
            continue
        joined = list(mine) + list(lone) if n < b_i else list(lone) + list(mine)
        texts = [join_sentences([t.norm for t in theirs]), join_sentences([s.norm for s in mine]),
                 join_sentences([s.norm for s in joined]), join_sentences([s.norm for s in lone])]
        v = np.asarray(ctx.embed(texts), dtype=np.float32)
        before, after = float(v[0] @ v[1]), float(v[0] @ v[2])
        if float(v[0] @ v[3]) < ctx.settings.neighbour_join_min_sim:
            continue  # the lone text has nothing to do with that pair
        if after - before >= ctx.settings.neighbour_join_gain and (best is None or after - before > best[2] - best[1]):
            best = (n, before, after)
    return best
