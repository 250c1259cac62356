"""``partial_omission``: part of a bead's source that its target does not carry.

Aligners and QA tools see whole missing sentences; a translation that drops a
clause, or a 2-1 bead whose target renders only one of the two sentences,
passes them. The source of each paired bead is cut into clause pieces (commas,
enumeration commas, semicolons, colons, sentence ends) and every run of up to
``settings.omission_max_pieces`` pieces is a candidate; the target is cut the
same way. The evidence on each candidate (:class:`ClauseTest`) comes from three
sources:

* **length**: this document's own target/source length ratio
  (:class:`~align.checks.glued.LengthModel`): is the target short, and short by
  about the candidate?
* **meaning** (``ctx.embed``): the similarity of the target to the source with
  and without the candidate, the candidate's best similarity to any window of
  the target, and whether some target window is rendered by the candidate
  better than by every other source piece (in-order clause evidence);
* **numbers**: the candidate's values found or not found in the target.

Nine tests decide (:meth:`ClauseTest.omitted`): the in-order clause alignment
with the length model, the whole-clause test, the unrendered clause test and the
unrendered words test (each with and without the length gate), the unrendered
list item test, the unrendered part test and the unrendered values test. A
candidate rendered by the target sentence just before or after the bead, when
that sentence's own bead could hold it and its own source does not render that
part of it better, is never reported (a sentence boundary drawn elsewhere); a
target sentence whose values belong to the bead beside (the aligner took it from
there) is left out of the bead's target (:func:`own_target`). At most one
candidate per bead is reported (the one whose removal raises the similarity most), with the
exact source span. Whole glued sentences are left to ``unaligned_source``
(:mod:`align.checks.glued`); with ``settings.glued_sentences`` off, the sentences
of a many-to-one bead are tested here (:func:`_omitted_sentences`). Without
``ctx.embed`` the check reports nothing. The decision rules are written by
hand: no library decides which part of a bead a translation carries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator, NamedTuple, Sequence

import numpy as np

from ..langid import detect_language, language_name
from ..lexicon import Coverage
from ..normalize import normalize_for_comparison
from ..numbers import Quantity, closing_list_number, extract_quantities, opening_list_number, quantities_equal
from ..questions import asks_question, first_question_word, is_question, knows_questions
from ..records import Finding, Segment, Severity
from ..settings import CheckSettings
from ..textjoin import join_sentences
from .content import has_content
from .context import CheckContext, excerpt
from .glued import _adjacent_beads, _chars, _clause_windows, document_length_model, glued_sentences, numbers_carried

# a comma or colon between two digits (103,000; 10:30) is part of a number, not a clause end
_CLAUSE_END = re.compile(r"(?:[，；：]|[,;:](?!\d)|(?<!\d)[,;:])+\s*|[。！？!?]+[”’」』)）]*\s*|(?<=[a-z\d%)”’])[.]\s+|\s+[—–-]{1,2}\s+|——")
# the same, plus enumeration commas (、 and its half-width form ､), which separate list items
_PIECE_END = re.compile(r"(?:[，；：、､]|[,;:](?!\d)|(?<!\d)[,;:])+\s*|[。！？!?]+[”’」』)）]*\s*|(?<=[a-z\d%)”’])[.]\s+|\s+[—–-]{1,2}\s+|——")
_WIDE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def clause_spans(text: str, start: int, min_chars: int, lists: bool = False) -> list[tuple[int, int]]:
    """Clauses of ``text`` as ``[a, b)`` character offsets (plus ``start``, end exclusive), each at
    least ``min_chars`` letters and digits long.

    Cuts after clause punctuation (commas, semicolons, colons, dashes,
    sentence ends; with ``lists`` also after enumeration commas ``、``); a piece
    shorter than ``min_chars`` is joined to the one before it (or after it, at the start).

    >>> t = "促进稀土在航空航天、电子信息、新能源等领域高端应用,要增强高端产品供给能力。"
    >>> [t[a:b] for a, b in clause_spans(t, 0, 8)]
    ['促进稀土在航空航天、电子信息、新能源等领域高端应用,', '要增强高端产品供给能力。']
    >>> [t[a:b] for a, b in clause_spans(t, 0, 4, lists=True)]
    ['促进稀土在航空航天、', '电子信息、', '新能源等领域高端应用,', '要增强高端产品供给能力。']
    """
    cuts = [m.end() for m in (_PIECE_END if lists else _CLAUSE_END).finditer(text)]
    pieces: list[list[int]] = []
    pos = 0
    for cut in cuts + [len(text)]:
        if cut <= pos:
            continue
        pieces.append([pos, cut])
        pos = cut
    merged: list[list[int]] = []
    for p in pieces:
        letters = sum(ch.isalnum() for ch in text[p[0] : p[1]])
        if merged and (letters < min_chars or sum(ch.isalnum() for ch in text[merged[-1][0]:merged[-1][1]]) < min_chars):
            merged[-1][1] = p[1]
        else:
            merged.append(p)
    out = []
    for a, b in merged:
        seg = text[a:b]
        a2 = a + len(seg) - len(seg.lstrip())
        b2 = a + len(seg.rstrip())
        if b2 > a2:
            out.append((start + a2, start + b2))
    return out


def _written_wide(seg: Segment) -> bool:
    """Whether ``seg`` is written in ideographs (without spaces), judged by its first 20
    characters: the ``*_cjk`` clause and piece lengths apply. By the text rather than by its
    document's language (:func:`~align.langid.written_without_spaces`, as ``suspect`` decides),
    so that a sentence left in the other language (an English sentence in a Chinese text) is
    cut as what it is written in."""
    return bool(_WIDE.search(seg.text[:20]))


def _min_clause_chars(ctx: CheckContext, seg: Segment) -> int:
    """Shortest clause tested on its own in ``seg`` (settings ``min_clause_chars[_cjk]``)."""
    return ctx.settings.min_clause_chars_cjk if _written_wide(seg) else ctx.settings.min_clause_chars


def _mixed(ctx: CheckContext, src: Sequence[Segment], tgt: Sequence[Segment]) -> bool:
    """Whether a bead holds text of the wrong language (reported by the language-run checks).

    Removing a clause from a source that contains a copy of the target would
    raise the similarity for the wrong reason, so such beads are not tested.
    """
    langs = (ctx.src_lang, ctx.tgt_lang)
    for side, segs in (("src", src), ("tgt", tgt)):
        other = ctx.tgt_lang if side == "src" else ctx.src_lang
        for seg in segs:
            for a, b in clause_spans(seg.text, 0, 1):
                piece = seg.text[a:b]
                if sum(ch.isalpha() for ch in piece) >= 12 and detect_language(piece, langs) == other:
                    return True
    return False


def _omitted_sentences(ctx: CheckContext) -> list[Finding]:
    """Whole source sentences of many-to-one beads that the target does not carry.

    For a bead joining several source sentences, sentence ``s`` is reported
    when the target is at least as similar to the bead without ``s``
    (``gain >= settings.omission_sentence_gain``) and ``s`` alone is barely
    similar to the target (``sim <= settings.omission_sentence_max_sim``).
    """
    assert ctx.embed is not None
    st = ctx.settings
    src_name, tgt_name = language_name(ctx.src_lang), language_name(ctx.tgt_lang)
    beads = [(b_i, b) for b_i, b in enumerate(ctx.beads) if len(b.src) >= 2 and b.tgt]
    texts: list[str] = []
    for _, b in beads:
        src, tgt = ctx.bead_segments(b, "src"), ctx.bead_segments(b, "tgt")
        texts.append(join_sentences([t.norm for t in tgt]))
        texts.append(join_sentences([x.norm for x in src]))
        for i, x in enumerate(src):
            texts.append(x.norm)
            texts.append(join_sentences([y.norm for j, y in enumerate(src) if j != i]))
    if not texts:
        return []
    vecs = np.asarray(ctx.embed(texts), dtype=np.float32)
    out: list[Finding] = []
    row = 0
    for b_i, b in beads:
        src, tgt = ctx.bead_segments(b, "src"), ctx.bead_segments(b, "tgt")
        t_vec, full = vecs[row], vecs[row + 1]
        row += 2
        sim_full = float(t_vec @ full)
        best = None
        mixed = _mixed(ctx, src, tgt)
        for x in src:
            sim_s, sim_rest = float(t_vec @ vecs[row]), float(t_vec @ vecs[row + 1])
            row += 2
            gain = sim_rest - sim_full
            if not mixed and has_content(x.text) and gain >= st.omission_sentence_gain \
                    and sim_s <= st.omission_sentence_max_sim:
                if best is None or sim_s < best[1]:
                    best = (x, sim_s, sim_rest, gain)
        if best is None:
            continue
        x, sim_s, sim_rest, gain = best
        out.append(Finding(
            check="partial_omission",
            severity=Severity.WARNING,
            doc_id=ctx.doc_id,
            message=(f"This {src_name} sentence (“{excerpt(x.text, 30)}”) was aligned together with its "
                     f"neighbours but does not seem to be carried by their {tgt_name} translation."),
            src_span=ctx.segment_span("src", [x]),
            tgt_span=ctx.segment_span("tgt", tgt),
            evidence={"bead": b_i, "sentence": x.idx, "sim_whole": round(sim_full, 4),
                      "sim_without_sentence": round(sim_rest, 4), "sim_sentence": round(sim_s, 4),
                      "gain": round(gain, 4), "sentences": len(src), "score": round(b.score, 4)},
        ))
    return out


@dataclass(frozen=True)
class ClauseTest:
    """The evidence on one candidate omission: source text ``[start, end)`` (offsets into the
    source ``Document.text``), a run of ``pieces`` of the bead's ``bead_pieces`` pieces.

    Length (this document's own ratio, :class:`~align.checks.glued.LengthModel`): ``z`` is how
    far the bead's target/source length ratio lies from the document's, in robust standard
    deviations (negative: short); ``z_without`` the same with the candidate removed from the
    source; ``share`` the candidate's share of the bead's source characters.
    Meaning (cosines in [-1, 1]): target vs whole source (``sim_whole``) and vs source without
    the candidate (``sim_without``); ``sim_clause``: the candidate's best similarity to the
    whole target or to a run of up to three target pieces; ``sim_others``: the median of the
    same for the bead's other source pieces; ``sim_neighbour``: the candidate's best similarity
    to the target sentence just before or after the bead, or to their clauses (-1 when there
    is none): a high value there means a sentence boundary drawn differently, not an omission.
    ``claimed``: some target piece is closer to a piece of the candidate than to any other
    source piece (in-order clause alignment: that target piece renders it; for a candidate the
    lexicon finds little of rendered, closeness is read with the lexicon's evidence too,
    ``settings.omission_claim_lexical_weight``), and, with
    ``settings.omission_claim_needs_window``, some window of ``sim_owned`` exists.
    Numbers: values of the candidate found / not found in the target (``years_found``: its
    years found there, which ``numbers_found`` leaves out); ``numbers_neighbour``: its values
    other than years found in the target sentence just before or after the bead.

    For the clause test (whole clauses only, ``whole_clauses``: the candidate starts and ends
    at clause punctuation other than enumeration commas, see :func:`clause_spans`):
    ``sim_alone`` is the candidate's similarity to the whole target, ``sim_window`` its best
    similarity to one or two adjacent target pieces (-1 for a one-piece target), and
    ``ratio_gated`` says the target is no longer than the document's median ratio predicts for
    the source without the candidate plus ``settings.omission_length_slack`` of the candidate.

    Exclusive rendering (a target window explained better by another source piece does not
    render the candidate): ``sim_owned`` is the candidate's best similarity to the target
    windows of ``sim_clause`` that it matches at least as well as every other source piece
    does, ``sim_window_owned`` the same over one or two adjacent target pieces (-1 when it
    matches none). ``neighbours``: for the target sentence just before and the one just after
    the bead, ``(similarity, z)``: the candidate's best similarity to it or its clauses, and
    the length z of that sentence's bead if the candidate were added to its source (near 0 or
    above: that bead's target is long enough to carry the candidate too). ``neighbours_owned``: for
    each of those sentences, the candidate's best similarity to the parts of it (the sentence, its
    clauses, pairs of adjacent clauses) that it matches no more than
    ``settings.omission_neighbour_owned_margin`` less well than the best clause piece of that
    sentence's own source does (with ``settings.omission_neighbour_owned_pairs``: the best of its
    pieces, pairs of adjacent pieces and the whole; -1 when none; empty unless
    ``settings.omission_neighbour_owned``).

    Words (the language pair's bilingual lexicon, ``ctx.lexicon``; all 0 / -1 without one):
    ``lex_glossed`` is how much of the candidate the lexicon knows (characters for a language
    written without spaces, letters of words otherwise), ``lex_covered`` how much of that has a
    rendering in the target once the rest of the bead's source has taken its own renderings
    (:meth:`~align.lexicon.BilingualLexicon.exclusive_coverage`: a clause rendered only by a
    repeat of a word of another clause is not covered); ``lex_rest`` the share of the rest of
    the source that the target renders (-1: no lexicon); ``lex_neighbour`` the largest share
    of the candidate that the target sentence just before or after the bead renders (a boundary
    drawn elsewhere, when high), counted once that sentence's own source has taken its renderings
(``lex_neighbours``: the same per adjacent target sentence, in the order of ``neighbours``; a
sentence on the same subject shares words with the candidate without rendering it);
``source_cjk``: the source is written without spaces (Chinese, Japanese: the ``*_cjk``
settings apply); ``lexical_edge``: the candidate starts or ends where the lexicon, not punctuation, cut the
source (:func:`_lexical_cuts`); ``lex_in_characters``: the source is written without spaces,
    so ``lex_glossed`` counts characters (the ``*_cjk`` thresholds apply) rather than letters.
    ``item_number_bare``: the candidate opens with a list number (``一是``, "First,";
    :func:`~align.numbers.opening_list_number`) with which a target sentence ends
    (:func:`~align.numbers.closing_list_number`: "…reflected in: First."): the translation gives
    the item's number and nothing after it.
    """

    bead: int
    start: int
    end: int
    pieces: int
    bead_pieces: int
    share: float
    z: float
    z_without: float
    sim_whole: float
    sim_without: float
    sim_clause: float
    sim_others: float
    sim_neighbour: float
    claimed: bool
    numbers_found: int
    numbers_missing: int
    whole_clauses: bool = False
    sim_alone: float = -1.0
    sim_window: float = -1.0
    ratio_gated: bool = False
    neighbours: tuple[tuple[float, float], ...] = ()
    sim_owned: float = -1.0
    sim_window_owned: float = -1.0
    years_found: int = 0
    lex_glossed: int = 0
    lex_covered: int = 0
    lex_rest: float = -1.0
    lex_in_characters: bool = False
    lex_neighbour: float = 0.0
    lex_neighbours: tuple[float, ...] = ()
    lexical_edge: bool = False
    source_cjk: bool = False
    numbers_neighbour: int = 0
    neighbours_owned: tuple[float, ...] = ()
    item_number_bare: bool = False

    @property
    def gain(self) -> float:
        """Rise in similarity to the target when the candidate is removed from the source."""
        return self.sim_without - self.sim_whole

    @property
    def length_fit(self) -> float:
        """Where the target's length sits between what the document's ratio predicts for the
        whole source (0) and for the source without the candidate (1); may fall outside [0, 1]."""
        return -self.z / (self.z_without - self.z) if self.z_without > self.z else 0.0

    def omitted(self, st: CheckSettings) -> bool:
        """Whether the evidence says the target does not carry the candidate.

        Nine tests, any suffices; none when an adjacent target sentence renders the
        candidate (:meth:`neighbour_carries`), the lexicon finds most of its words in the
        target (:meth:`words_carried`; except for the unrendered values test), or the candidate
        was cut out by the lexicon without its support (:meth:`lexical_edge_supported`; except
        for the unrendered part test, where the embeddings give it, and with
        ``settings.omission_values_any_edge`` the unrendered values test, where its values do). **Clause test** (``settings.omission_clause_test``, whole
        clauses only; with ``settings.omission_clause_test_unclaimed`` not claimed and not a
        sliver, as below): the target is short enough to miss the candidate (``ratio_gated``), more
        similar to the source without it (``gain >= settings.omission_clause_test_gain``), the
        candidate alone is less similar to the target than the rest of the source by
        ``settings.omission_clause_test_gap``, and no one or two target pieces that it matches
        better than the other source pieces do render it (``sim_window_owned`` below
        ``settings.omission_clause_carried``).
        **Aligned pieces test**, needed: the target is short (``z <= settings.omission_length_z``) by about the
        candidate (``length_fit >= settings.omission_length_fit``), the candidate is not a
        sliver (``share >= settings.omission_min_share``), no target piece claims it, it is not
        rendered by an adjacent target sentence, and none of its numbers is in the target.
        Then either all its numbers are missing from the target (``settings.omission_numbers``)
        or the meaning test agrees: the target is more similar to the source without it
        (``gain >= settings.omission_gain``, or ``settings.omission_mild_gain`` when the target
        is only mildly short: ``z > settings.omission_mild_z``) and the candidate is barely rendered by any part of
        the target (``sim_clause`` below ``settings.omission_clause_carried`` and at least
        ``settings.omission_clause_gap`` below the other pieces' ``sim_others``).
        **Unrendered clause test** (``settings.omission_unrendered_test``, whole clauses only):
        the target is short by about the candidate (``length_fit``, ``share`` as above), no target
        piece claims it and no target window is rendered by it better than by the rest of the
        source (``sim_owned`` below ``settings.omission_unrendered_owned``), its best rendering
        is at least ``settings.omission_unrendered_gap`` below the other pieces', none of its
        numbers (years included) is in the target, and removing it costs the similarity to the target at most
        ``-settings.omission_unrendered_gain``. The same test also reports, whatever the length of
        the target (``settings.omission_unrendered_any_length``: a target made long by a sentence
        the aligner joined to it hides a missing clause), a whole clause that is at least
        ``settings.omission_unrendered_any_share`` of the source, rendered nowhere better than
        ``settings.omission_unrendered_any_sim`` and at least ``settings.omission_unrendered_any_gap``
        below the other pieces.
        **Unrendered words test** (``settings.omission_lexical_test``, with a lexicon): the target
        is short by about the candidate (``z``, ``length_fit``, ``share`` as above, and neither
        shorter than the rest of the source explains, ``length_fit`` at most
        ``settings.omission_lexical_max_length_fit``, nor most of the bead, ``share`` at most
        ``settings.omission_lexical_max_share``: that is a bead aligned wrongly), no target
        piece claims it, none of its numbers is in the target, the lexicon knows enough of it
        (``settings.omission_lexical_min_glossed[_cjk]``) and the target renders at most ``settings.omission_lexical_max_cover``
        of that, while it renders at least ``settings.omission_lexical_rest_cover`` of the rest of
        the source, and the target sentence just before or after the bead renders less than
        ``settings.omission_lexical_neighbour_cover`` of it; the embeddings must not contradict (the candidate's best rendering at most
        ``settings.omission_lexical_sim_slack`` above the other pieces'). The same test also
        reports, whatever the length of the target (``settings.omission_lexical_any_length``), a
        whole clause of which the target renders at most ``settings.omission_lexical_any_max_cover``
        of the known words, when the embeddings agree instead: its best rendering is at least
        ``settings.omission_lexical_any_gap`` below the other pieces' and removing it costs the
        similarity at most ``-settings.omission_lexical_any_gain``.
        **Unrendered part test** (``settings.omission_unrendered_part_test``): a candidate that is
        part of a clause (a list item, or a piece the lexicon cut out, even one it knows too little
        of to stand behind the cut alone) is reported when the embeddings say what the unrendered
        clause test without the length evidence asks of a whole clause (share, best rendering,
        gap, unclaimed, no numbers in the target) and the lexicon agrees: it knows at least
        ``settings.omission_lexical_cut_min_glossed[_cjk]`` of it, the target renders at most
        ``settings.omission_lexical_any_max_cover`` of that and at least
        ``settings.omission_unrendered_part_rest_cover`` of the rest of the source.
        **Unrendered list item test** (``settings.omission_unrendered_item_test``, with a lexicon): a
        candidate opening with a list number with which a target sentence ends
        (``item_number_bare``: the translation gives the item's number, then nothing), the target
        short by about it (``z``, ``length_fit`` as above; ``share`` at least
        ``settings.omission_min_share``), unclaimed, none of its numbers in the target, and the
        lexicon knowing enough of it (as the unrendered words test) while the target renders at
        most ``settings.omission_lexical_max_cover`` of that and the adjacent target sentences
        less than ``settings.omission_lexical_neighbour_cover``; what the
        unrendered words test asks of the rest of the source (its share of the bead, its words
        rendered) is not asked: the list number shows the bead is aligned up to here.
        **Unrendered values test** (``settings.omission_values_test``), whatever the length of the
        target and whatever the lexicon says: none of the candidate's values (years included) is
        in the target and none but years is in the target sentence just before or after the bead,
        no target piece claims it, no part of the target is more like it than like the other
        source pieces (``sim_owned`` is -1), the target is more similar to the source without it
        (``gain > settings.omission_values_gain``), and it is at least
        ``settings.omission_values_min_share`` of the source. The values are the witness the
        lexicon lacks: a clause such as "accounting for 17.9% of the world's total R&D
        investment" shares its general words (world, total, investment) with any sentence on the
        subject.
        """
        return self.test_name(st) is not None

    def test_name(self, st: CheckSettings) -> str | None:
        """The first of the tests of :meth:`omitted` that reports the candidate (``"aligned_pieces"``,
        ``"whole_clause"``, ``"unrendered"``, ``"unrendered_any_length"``, ``"unrendered_words"`` or
        ``"unrendered_words_any_length"``, ``"unrendered_item"``, ``"unrendered_part"``,
        ``"unrendered_values"``), or None."""
        if self.neighbour_carries(st):
            return None
        if self._unrendered_part(st):  # before the cut veto: the embeddings stand behind a cut the lexicon cannot
            return "unrendered_part"
        values = self._unrendered_values(st)  # the values stand in for the words: no lexical veto
        if values and st.omission_values_any_edge:  # ...nor the cut's (omission_values_any_edge)
            return "unrendered_values"
        if not self.lexical_edge_supported(st):
            return None
        if values:
            return "unrendered_values"
        if self.words_carried(st):
            return None
        for name, test in (("aligned_pieces", self._aligned_pieces_say_omitted),
                           ("whole_clause", self._clause_test_says_omitted), ("unrendered", self._unrendered),
                           ("unrendered_any_length", self._unrendered_any_length),
                           ("unrendered_words", self._unrendered_words),
                           ("unrendered_item", self._unrendered_item),
                           ("unrendered_words_any_length", self._unrendered_words_any_length)):
            if test(st):
                return name
        return None

    def neighbour_carries(self, st: CheckSettings) -> bool:
        """Whether the target sentence just before or after the bead seems to render the candidate
        (a sentence boundary drawn differently): at least ``settings.omission_clause_carried``
        similar with that sentence's bead long enough to hold it (length z with the candidate
        added at least ``settings.omission_neighbour_z``), or at least
        ``settings.omission_neighbour_sim`` similar whatever the lengths. With
        ``settings.omission_lexical_neighbour_veto`` and a lexicon that knows enough of the
        candidate (as :meth:`words_carried`), a sentence whose words left over by its own source
        render less than ``settings.omission_lexical_neighbour_cover`` of it does not carry it,
        however similar (a sentence on the same subject, not the candidate moved there). With
        ``settings.omission_neighbour_owned``, the similarity is taken only over the parts of that
        sentence the candidate renders about as well as the best clause piece of its own source does
        (with ``settings.omission_neighbour_owned_pairs``, the best of its pieces, pairs of adjacent
        pieces and the whole; ``neighbours_owned``): a sentence its own source renders better does
        not carry it either."""
        least = (st.omission_lexical_carried_min_glossed_cjk if self.lex_in_characters
                 else st.omission_lexical_carried_min_glossed)
        on = st.omission_lexical_neighbour_veto_cjk if self.source_cjk else st.omission_lexical_neighbour_veto
        veto = (st.omission_lexical_test and on and self.lex_rest >= 0
                and self.lex_glossed >= max(1, least) and len(self.lex_neighbours) == len(self.neighbours))
        owned = st.omission_neighbour_owned and len(self.neighbours_owned) == len(self.neighbours)
        for k, (sim, z) in enumerate(self.neighbours):
            if owned:  # only the parts of that sentence its own source does not render better
                sim = self.neighbours_owned[k]
            if (((sim >= st.omission_clause_carried and z >= st.omission_neighbour_z)
                 or sim >= st.omission_neighbour_sim)
                    and not (veto and self.lex_neighbours[k] < st.omission_lexical_neighbour_cover)):
                return True
        return False

    def lexical_edge_supported(self, st: CheckSettings) -> bool:
        """Whether a candidate cut out by the lexicon (``lexical_edge``) has the lexicon's support:
        it knows at least ``settings.omission_lexical_min_glossed[_cjk]`` of it (the unrendered
        words test's least) and the target renders at most ``settings.omission_lexical_cut_max_cover``
        of that. Always true for a candidate cut at punctuation only."""
        return not self.lexical_edge or _few_words(st, self.lex_in_characters, self.lex_glossed, self.lex_covered,
                                                   st.omission_lexical_cut_max_cover)

    def words_carried(self, st: CheckSettings) -> bool:
        """Whether the lexicon finds most of the candidate's words rendered in the target (at least
        ``settings.omission_lexical_carried`` of them, or ``settings.omission_lexical_carried_words`` for
        a source written in words, with ``settings.omission_lexical_carried_min_glossed[_cjk]``
        known): then
        no test reports it, however the embeddings judge it."""
        least = (st.omission_lexical_carried_min_glossed_cjk if self.lex_in_characters
                 else st.omission_lexical_carried_min_glossed)
        return (st.omission_lexical_test and self.lex_rest >= 0 and self.lex_glossed >= max(1, least)
                and self.lex_covered >= (st.omission_lexical_carried if self.lex_in_characters
                                         else st.omission_lexical_carried_words) * self.lex_glossed)

    def _unrendered_values(self, st: CheckSettings) -> bool:
        """The unrendered values test (see :meth:`omitted`)."""
        return (st.omission_values_test and self.numbers_missing > 0 and not self.numbers_found
                and not self.years_found and not self.numbers_neighbour and not self.claimed
                and self.sim_owned < 0 and self.gain > st.omission_values_gain
                and self.share >= st.omission_values_min_share)

    def _embeddings_say_unrendered(self, st: CheckSettings, by_gain: bool = False) -> bool:
        """What the unrendered clause test without the length evidence asks of the embeddings and
        the numbers (see :meth:`omitted`), whatever the candidate's edges. With ``by_gain``, a rise
        in similarity when the candidate is removed (``gain > 0``; no part of the target closer to
        it than to the rest) stands in for its best rendering being very low: it need only be the
        unrendered clause test's ``settings.omission_unrendered_gap`` below the other pieces'."""
        if (self.claimed or self.numbers_found or self.years_found
                or self.share < st.omission_unrendered_any_share):
            return False
        if (self.sim_owned < st.omission_unrendered_owned and self.sim_clause <= st.omission_unrendered_any_sim
                and self.sim_clause <= self.sim_others - st.omission_unrendered_any_gap):
            return True
        return (by_gain and self.gain > 0 and self.sim_owned < 0
                and self.sim_clause <= self.sim_others - st.omission_unrendered_gap)

    def _unrendered_any_length(self, st: CheckSettings) -> bool:
        """The unrendered clause test without the length evidence (see :meth:`omitted`)."""
        return st.omission_unrendered_any_length and self.whole_clauses and self._embeddings_say_unrendered(st)

    def _unrendered_part(self, st: CheckSettings) -> bool:
        """The unrendered part test (see :meth:`omitted`)."""
        least = (st.omission_lexical_cut_min_glossed_cjk if self.lex_in_characters
                 else st.omission_lexical_cut_min_glossed)
        return (st.omission_unrendered_part_test and st.omission_lexical_test and not self.whole_clauses
                and _lexicon_says_unrendered(st, self.lex_in_characters, self.lex_glossed, self.lex_covered,
                                             self.lex_rest, st.omission_lexical_any_max_cover, least=least,
                                             rest_cover=st.omission_unrendered_part_rest_cover)
                and self._embeddings_say_unrendered(st, by_gain=st.omission_unrendered_part_by_gain))

    def _words_unrendered(self, st: CheckSettings, max_cover: float, judge_rest: bool = True) -> bool:
        """What both unrendered words tests and the unrendered list item test ask of the lexicon (see
        :meth:`omitted`), with the target rendering at most ``max_cover`` of the candidate's known
        words; without ``judge_rest`` (the list item test), nothing of the rest of the source (its
        words rendered, the candidate's largest share of the bead)."""
        if judge_rest:
            lexicon = _lexicon_says_unrendered(st, self.lex_in_characters, self.lex_glossed, self.lex_covered,
                                               self.lex_rest, max_cover)
        else:
            lexicon = self.lex_rest >= 0 and _few_words(st, self.lex_in_characters, self.lex_glossed,
                                                        self.lex_covered, max_cover)
        return (st.omission_lexical_test and lexicon
                and self.lex_neighbour < st.omission_lexical_neighbour_cover
                and not self.claimed and not self.numbers_found and not self.years_found
                and self.share >= st.omission_min_share
                and (not judge_rest or self.share <= st.omission_lexical_max_share))

    def _unrendered_words(self, st: CheckSettings) -> bool:
        """The unrendered words test (see :meth:`omitted`)."""
        return (self._words_unrendered(st, st.omission_lexical_max_cover)
                and self.z <= st.omission_length_z
                and st.omission_length_fit <= self.length_fit <= st.omission_lexical_max_length_fit
                and self.sim_clause <= self.sim_others + st.omission_lexical_sim_slack)

    def _unrendered_item(self, st: CheckSettings) -> bool:
        """The unrendered list item test (see :meth:`omitted`)."""
        return (st.omission_unrendered_item_test and self.item_number_bare
                and self._words_unrendered(st, st.omission_lexical_max_cover, judge_rest=False)
                and self.z <= st.omission_length_z and self.length_fit >= st.omission_length_fit)

    def _unrendered_words_any_length(self, st: CheckSettings) -> bool:
        """The unrendered words test without the length evidence (see :meth:`omitted`)."""
        return (st.omission_lexical_any_length and self.whole_clauses
                and self._words_unrendered(st, st.omission_lexical_any_max_cover)
                and self.sim_clause <= self.sim_others - st.omission_lexical_any_gap
                and self.gain >= st.omission_lexical_any_gain)

    def _unrendered(self, st: CheckSettings) -> bool:
        """The unrendered clause test (see :meth:`omitted`)."""
        return (st.omission_unrendered_test and self.whole_clauses and not self.claimed
                and not self.numbers_found and not self.years_found and self.share >= st.omission_min_share
                and self.z <= st.omission_length_z and self.length_fit >= st.omission_length_fit
                and self.sim_owned < st.omission_unrendered_owned
                and self.sim_clause <= self.sim_others - st.omission_unrendered_gap
                and self.gain >= st.omission_unrendered_gain)

    def _clause_test_says_omitted(self, st: CheckSettings) -> bool:
        """The whole-clause test: short enough to miss it, closer without it, and no part of the
        target nor an adjacent target sentence renders it."""
        unclaimed = st.omission_clause_test_unclaimed_cjk if self.source_cjk else st.omission_clause_test_unclaimed
        if unclaimed and (self.claimed or self.share < st.omission_min_share):
            return False
        return (st.omission_clause_test and self.whole_clauses and self.ratio_gated
                and self.z <= st.omission_length_z
                and self.gain >= st.omission_clause_test_gain
                and self.sim_alone <= self.sim_without - st.omission_clause_test_gap
                and self.sim_window_owned < st.omission_clause_carried)

    def _aligned_pieces_say_omitted(self, st: CheckSettings) -> bool:
        """The in-order clause alignment test with the length model (see :meth:`omitted`)."""
        if (self.claimed or self.numbers_found or self.share < st.omission_min_share
                or self.z > st.omission_length_z or self.length_fit < st.omission_length_fit):
            return False
        if st.omission_numbers and self.numbers_missing:
            return True
        gain = st.omission_gain if self.z <= st.omission_mild_z else max(st.omission_gain, st.omission_mild_gain)
        return (self.gain >= gain and self.sim_clause < st.omission_clause_carried
                and self.sim_clause <= self.sim_others - st.omission_clause_gap)


def _pieces(ctx: CheckContext, side: str, segs: Sequence[Segment]) -> list[tuple[int, int]]:
    """The clause pieces of ``segs`` (lists split at enumeration commas too), as offsets into
    ``side``'s ``Document.text``, in order."""
    st = ctx.settings
    out: list[tuple[int, int]] = []
    for s in segs:
        min_c = st.omission_piece_chars_cjk if _written_wide(s) else st.omission_piece_chars
        out.extend(clause_spans(s.text, s.start, min_c, lists=True))
    return out


def _lexical_cuts(ctx: CheckContext, src: Sequence[Segment], target: str,
                  pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``pieces`` (offsets into the source ``Document.text``) also cut at the edges of the spans
    of ``src`` whose words ``target`` leaves unrendered, by the lexicon
    (:meth:`~align.lexicon.BilingualLexicon.unrendered_spans`, spans of at least
    ``settings.omission_lexical_cut_min_glossed[_cjk]`` letters or characters): a clause dropped
    from the translation that no punctuation of the source marks (its clauses joined by a
    conjunction) becomes a candidate. A cut leaving a piece shorter than
    ``settings.omission_piece_chars[_cjk]`` letters and digits is not made."""
    st, lex = ctx.settings, ctx.lexicon
    assert lex is not None
    cjk = lex.written_without_spaces(ctx.src_lang)
    least = st.omission_lexical_cut_min_glossed_cjk if cjk else st.omission_lexical_cut_min_glossed
    min_c = st.omission_piece_chars_cjk if cjk else st.omission_piece_chars
    cuts = sorted({s.start + x for s in src
                   for span in lex.unrendered_spans(s.text, ctx.src_lang, target, least,
                                                    st.omission_lexical_cut_penalty)
                   for x in span if 0 < x < len(s.text)})
    text = ctx.src_doc.text
    letters = lambda a, b: sum(ch.isalnum() for ch in text[a:b])  # noqa: E731
    out = list(pieces)
    for cut in cuts:
        for k, (a, b) in enumerate(out):
            if a < cut < b and letters(a, cut) >= min_c and letters(cut, b) >= min_c:
                left = text[a:cut].rstrip()
                right = text[cut:b]
                out[k:k + 1] = [(a, a + len(left)), (cut + len(right) - len(right.lstrip()), b)]
                break
    return out


def _lexical_target(ctx: CheckContext, src: Sequence[Segment], target: str) -> str:
    """A bead's ``target`` text as the lexicon reads it: for a target written without spaces (with
    ``settings.omission_lexical_abbreviations``), followed by the words its abbreviations of lists of
    the source ``src`` stand for
    (:meth:`~align.lexicon.BilingualLexicon.with_abbreviations_spelled_out`: 专精特新 renders
    "specialization, refinement, distinctiveness, and novelty")."""
    lex = ctx.lexicon
    if (lex is None or not ctx.settings.omission_lexical_abbreviations or lex.written_without_spaces(ctx.src_lang)
            or not lex.written_without_spaces(ctx.tgt_lang)):
        return target
    return lex.with_abbreviations_spelled_out(" ".join(s.text for s in src), target)


def _values_unrendered(ctx: CheckContext, text: str, target: Sequence[str]) -> bool:
    """Whether source ``text`` holds values and the target texts none of them (years included)."""
    found, missing = numbers_carried(ctx, "src", text, target, years=True)
    return bool(missing) and not found


def _little_rendered(ctx: CheckContext, pieces: list[tuple[int, int]], piece_cov: list[Coverage], i: int, j: int,
                     target: str) -> bool:
    """Whether the lexicon says the unrendered words test may report the run ``[i, j)`` of ``pieces``
    (offsets into the source ``Document.text``; ``piece_cov``: how much of each piece ``target``
    renders; the same counts as :func:`clause_tests` gives the run): it knows at least
    ``settings.omission_lexical_min_glossed[_cjk]`` of the run, of which ``target`` renders at most
    ``settings.omission_lexical_any_max_cover`` (once the rest of the source has taken its
    renderings), while it renders at least ``settings.omission_lexical_rest_cover`` of the rest."""
    st, lex, text = ctx.settings, ctx.lexicon, ctx.src_doc.text
    assert lex is not None
    cjk = lex.written_without_spaces(ctx.src_lang)
    rest = sum(piece_cov[:i] + piece_cov[j:], Coverage(0, 0)).ratio
    known = sum(piece_cov[i:j], Coverage(0, 0)).glossed  # what the lexicon knows of the run, rendered or not
    if not _lexicon_says_unrendered(st, cjk, known, 0, rest, st.omission_lexical_any_max_cover):
        return False  # the exclusive count below cannot pass either: saved
    exclusive = lex.exclusive_coverage_once if st.omission_lexical_once_per_word else lex.exclusive_coverage
    cand = exclusive(text[pieces[i][0]:pieces[j - 1][1]], " ".join(text[a:b] for a, b in pieces[:i] + pieces[j:]),
                     ctx.src_lang, target)
    return _lexicon_says_unrendered(st, cjk, cand.glossed, cand.covered, rest, st.omission_lexical_any_max_cover)


def _lexicon_says_unrendered(st: CheckSettings, cjk: bool, glossed: int, covered: int, rest: float,
                             max_cover: float, least: int | None = None, rest_cover: float | None = None) -> bool:
    """The lexicon's side of the unrendered words and unrendered part tests: it knows at least
    ``least`` of the candidate (``glossed``: characters for a source written without spaces,
    ``cjk``, else letters; by default ``settings.omission_lexical_min_glossed[_cjk]``), the target
    renders at most ``max_cover`` of that (``covered``) and at least ``rest_cover`` of the rest of
    the source (``rest``; by default ``settings.omission_lexical_rest_cover``)."""
    if rest_cover is None:
        rest_cover = st.omission_lexical_rest_cover
    return rest >= rest_cover and _few_words(st, cjk, glossed, covered, max_cover, least)


def _runs(n: int, longest: int) -> list[tuple[int, int]]:
    """Contiguous runs ``[i, j)`` of ``n`` pieces, at most ``longest`` long, never all of them."""
    return [(i, j) for i in range(n) for j in range(i + 1, min(n, i + longest) + 1) if j - i < n]


def monotone_matching(sim: np.ndarray, floor: float) -> list[tuple[int, int]]:
    """The order-preserving one-to-one matching of rows to columns of ``sim`` (``(n, m)``
    similarities) that maximises the sum of ``sim - floor`` over matched pairs: the in-order
    alignment of source clause pieces (rows) to target clause pieces (columns). Pairs below
    ``floor`` are never matched. Returns ``(row, column)`` pairs, 0-based, in order.

    >>> monotone_matching(np.array([[0.9, 0.1], [0.1, 0.2], [0.1, 0.8]]), 0.3)
    [(0, 0), (2, 1)]
    >>> monotone_matching(np.array([[0.1, 0.9], [0.9, 0.1]]), 0.3)  # crossing: only one kept
    [(0, 1)]
    """
    # A longest-common-subsequence style DP, written by hand: it is a few lines over tiny arrays.
    n, m = sim.shape
    gain = sim - floor
    best = np.zeros((n + 1, m + 1))
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            best[i, j] = max(best[i - 1, j], best[i, j - 1],
                             best[i - 1, j - 1] + gain[i - 1, j - 1] if gain[i - 1, j - 1] > 0 else -np.inf)
    pairs = []
    i, j = n, m
    while i and j:
        if best[i, j] == best[i - 1, j]:
            i -= 1
        elif best[i, j] == best[i, j - 1]:
            j -= 1
        else:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
    return pairs[::-1]


class _BeadPlan(NamedTuple):
    """A paired bead :func:`clause_tests` tests: its source and target segments, the source's clause
    pieces (offsets into the source ``Document.text``) and their lengths, the target's length and
    its length z, the candidate runs ``[i, j)`` of pieces, the source's whole clauses, the target's
    pieces and the target as the lexicon reads it."""

    bead: int
    src: list[Segment]
    tgt: list[Segment]
    pieces: list[tuple[int, int]]
    s_len: list[int]
    t_len: int
    z: float
    runs: list[tuple[int, int]]
    clauses: list[tuple[int, int]]
    t_pieces: list[tuple[int, int]]
    t_full: str


class _BeadJob(NamedTuple):
    """A bead's share of :func:`clause_tests`' one batch of embeddings: its :class:`_BeadPlan`, the
    candidate runs tested (``runs``: the plan's, plus every single piece where the target is not
    short), the runs of target pieces compared (``t_runs``), how many texts of the adjacent target
    sentences (``n_near``) and of their own sources' pieces (``n_near_src``) were embedded, and per
    adjacent target sentence its counts and characters (``nbrs``) and its text with its bead's
    source text (``nb_texts``)."""

    plan: _BeadPlan
    runs: list[tuple[int, int]]
    t_runs: list[tuple[int, int]]
    n_near: int
    n_near_src: int
    nbrs: list[tuple[int, int, int, int]]
    nb_texts: list[tuple[str, str]]


def clause_tests(ctx: CheckContext, all_clauses: bool = False) -> list[ClauseTest]:
    """The evidence on every candidate omission of every paired bead (see :class:`ClauseTest`).

    The source of a bead is cut into clause pieces (commas, enumeration commas, semicolons,
    colons, sentence ends); each contiguous run of up to ``settings.omission_max_pieces`` of
    them (not all) is a candidate, so the cost grows linearly with the bead's length. Beads
    whose target is short for this document (``z <= settings.omission_length_z``), or every
    bead with ``all_clauses``, are tested on all candidates; with
    ``settings.omission_unrendered_any_length`` the other beads are tested on the whole clauses
    of at least ``settings.omission_unrendered_any_share`` of their source that are at most
    ``settings.omission_unrendered_any_sim`` similar to the whole target (found in one batch
    first), on the runs whose values the target lacks (the unrendered values test) and on the
    whole clauses of which the lexicon finds little rendered (:func:`_little_rendered`, the
    unrendered words test), plus their single pieces. Beads with text of the wrong language, with a single
    piece, or whose glued sentence is reported by ``unaligned_source`` are left out. Empty
    without ``ctx.embed`` or without the document's length statistics.
    """
    if ctx.src_doc is None or ctx.tgt_doc is None or ctx.embed is None:
        return []
    model = document_length_model(ctx)
    if model is None:
        return []
    st = ctx.settings
    skip = {g.bead for g in glued_sentences(ctx, "src") if g.dropped} if st.glued_sentences else set()
    src_text, tgt_text = ctx.src_doc.text, ctx.tgt_doc.text
    src_norm = lambda a, b: normalize_for_comparison(src_text[a:b], ctx.src_lang)  # noqa: E731
    beads: list[_BeadPlan] = []
    loose: list[tuple[int, int, int]] = []  # candidates of beads whose target is not short: (bead, i, j)
    plain_edges: dict[int, tuple[set[int], set[int]]] = {}  # bead: piece starts, ends before lexical cuts
    source_cjk: dict[int, bool] = {}  # bead: its source is written without spaces
    loose_texts: list[str] = []
    piece_cov: dict[int, list[Coverage]] = {}  # bead: how much of each source piece its target renders, by the lexicon
    for b_i, bead, src, tgt in ctx.paired_beads():
        if b_i in skip or not any(has_content(t.text) for t in tgt):
            continue
        if st.omission_foreign_target:  # a target sentence the aligner took from the bead beside it
            tgt = own_target(ctx, b_i, src, tgt)
        pieces = _pieces(ctx, "src", src)
        s_len = [_chars(src_text[a:b]) for a, b in pieces]
        t_len = sum(_chars(t.text) for t in tgt)
        if not t_len or not sum(s_len):
            continue
        z = model.z(sum(s_len), t_len)
        cjk = source_cjk[b_i] = _written_wide(src[0])  # written without spaces (as _pieces decides)
        t_pieces = _pieces(ctx, "tgt", tgt)
        # the target as the lexicon reads it, for the cuts, the selection below and the tests
        t_full = (_lexical_target(ctx, src, " ".join(tgt_text[x:y] for x, y in t_pieces))
                  if ctx.lexicon is not None else "")
        if z <= st.omission_length_z and ctx.lexicon is not None and st.omission_lexical_test \
                and (st.omission_lexical_cuts_cjk if cjk else st.omission_lexical_cuts):
            # a short target: also cut where its words stop rendering the source
            plain_edges[b_i] = ({a for a, _ in pieces}, {b for _, b in pieces})
            pieces = _lexical_cuts(ctx, src, t_full, pieces)
            s_len = [_chars(src_text[a:b]) for a, b in pieces]
        if len(pieces) < 2:
            continue
        if (z > st.omission_length_z and not all_clauses and not st.omission_unrendered_any_length) \
                or _mixed(ctx, src, tgt):
            continue
        runs = _runs(len(pieces), st.omission_max_pieces)
        clauses = [c for s in src for c in clause_spans(s.text, s.start, _min_clause_chars(ctx, s))]
        if st.omission_long_clauses:  # a whole clause of more pieces than a run holds (a long list)
            first = {a: k for k, (a, _) in enumerate(pieces)}
            last = {b: k + 1 for k, (_, b) in enumerate(pieces)}
            runs += [(first[a], last[b]) for a, b in clauses if a in first and b in last
                     and st.omission_max_pieces < last[b] - first[a] < len(pieces)]
        if z > st.omission_length_z and not all_clauses:
            # a target that is not short: only the unrendered test without length runs, on whole
            # clauses of a large share that are not like the whole target (checked below, in one batch)
            starts, ends = {a for a, _ in clauses}, {b for _, b in clauses}
            large = [(i, j) for i, j in runs if pieces[i][0] in starts and pieces[j - 1][1] in ends
                     and sum(s_len[i:j]) >= st.omission_unrendered_any_share * sum(s_len)]
            # and the unrendered values test, on the runs none of whose values the target holds
            # (none when the target holds every value of the source: most beads)
            t_texts = [t.text for t in tgt]
            valued: list[tuple[int, int]] = []
            if st.omission_values_test and numbers_carried(ctx, "src", " ".join(x.text for x in src), t_texts,
                                                           years=True)[1]:
                valued = [(i, j) for i, j in runs if sum(s_len[i:j]) >= st.omission_values_min_share * sum(s_len)
                          and _values_unrendered(ctx, src_text[pieces[i][0]:pieces[j - 1][1]], t_texts)]
            # and the unrendered words test, on the whole clauses of which the lexicon finds little
            # rendered, while it finds most of the rest of the source (no embeddings needed to pick them)
            worded: list[tuple[int, int]] = []
            if ctx.lexicon is not None and st.omission_lexical_test and st.omission_lexical_any_length:
                piece_cov[b_i] = [ctx.lexicon.coverage(src_text[a:b], ctx.src_lang, t_full) for a, b in pieces]
                worded = [(i, j) for i, j in runs if pieces[i][0] in starts and pieces[j - 1][1] in ends
                          and sum(s_len[i:j]) >= st.omission_min_share * sum(s_len)
                          and _little_rendered(ctx, pieces, piece_cov[b_i], i, j, t_full)]
            if not large and not valued and not worded:
                continue
            for i, j in large:
                loose.append((len(beads), i, j))
                loose_texts += [join_sentences([normalize_for_comparison(t.text, ctx.tgt_lang) for t in tgt]),
                                join_sentences([src_norm(a, b) for a, b in pieces[i:j]])]
            runs = sorted(set(valued) | set(worded))
        beads.append(_BeadPlan(b_i, src, tgt, pieces, s_len, t_len, z, runs, clauses, t_pieces, t_full))
    if loose_texts:
        vecs = np.asarray(ctx.embed(loose_texts), dtype=np.float32)
        for k, (n, i, j) in enumerate(loose):
            if float(vecs[2 * k] @ vecs[2 * k + 1]) <= st.omission_unrendered_any_sim:
                beads[n].runs.append((i, j))
    jobs: list[_BeadJob] = []
    texts: list[str] = []
    for plan in beads:
        b_i, tgt, pieces, z, runs, t_pieces = plan.bead, plan.tgt, plan.pieces, plan.z, plan.runs, plan.t_pieces
        if not runs:
            continue
        if z > st.omission_length_z and not all_clauses:
            runs = sorted(set(runs) | {(i, i + 1) for i in range(len(pieces))})  # the in-order evidence needs them
        m = len(t_pieces)
        t_runs = [(i, j) for i in range(m) for j in range(i + 1, min(m, i + 3) + 1)] + ([(0, m)] if m > 3 else [])
        near: list[str] = []
        near_src: list[str] = []  # the clause pieces of each adjacent target sentence's own source
        # per adjacent target sentence: its texts (in near), its own source's pieces (in near_src),
        # its bead's source and target characters
        nbrs: list[tuple[int, int, int, int]] = []
        nb_texts: list[tuple[str, str]] = []  # per adjacent target sentence: its text, its bead's source text
        for n, seg in _adjacent_beads(ctx, "tgt", b_i):
            mine = [seg.norm] + _clause_windows(ctx, "tgt", [seg])
            nb_segs = ctx.bead_segments(ctx.beads[n], "src")
            nb_src = ([src_norm(x, y) for x, y in _pieces(ctx, "src", nb_segs)] if st.omission_neighbour_owned else [])
            if st.omission_neighbour_owned_pairs and len(nb_src) > 1:
                # read as the sentence is read: whole, by piece and by pairs of adjacent pieces
                nb_src += [join_sentences(nb_src[k : k + 2]) for k in range(len(nb_src) - 1)]
                nb_src.append(join_sentences([x.norm for x in nb_segs]))
            nbrs.append((len(mine), len(nb_src), sum(_chars(x.text) for x in nb_segs),
                         sum(_chars(x.text) for x in ctx.bead_segments(ctx.beads[n], "tgt"))))
            nb_texts.append((seg.text, " ".join(x.text for x in nb_segs)))
            near += mine
            near_src += nb_src
        src_parts = [src_norm(a, b) for a, b in pieces]
        tgt_parts = [normalize_for_comparison(tgt_text[a:b], ctx.tgt_lang) for a, b in t_pieces]
        jobs.append(_BeadJob(plan, runs, t_runs, len(near), len(near_src), nbrs, nb_texts))
        texts.append(join_sentences([normalize_for_comparison(t.text, ctx.tgt_lang) for t in tgt]))
        texts.append(join_sentences(src_parts))
        texts.extend(join_sentences(tgt_parts[i:j]) for i, j in t_runs)
        texts.extend(near)
        texts.extend(near_src)
        for i, j in runs:
            texts.append(join_sentences(src_parts[i:j]))
            texts.append(join_sentences(src_parts[:i] + src_parts[j:]))
    if not jobs:
        return []
    vecs = np.asarray(ctx.embed(texts), dtype=np.float32)
    out: list[ClauseTest] = []
    row = 0
    lex = ctx.lexicon
    in_characters = lex is not None and lex.written_without_spaces(ctx.src_lang)  # what lex_glossed counts
    if lex is not None:
        exclusive = lex.exclusive_coverage_once if st.omission_lexical_once_per_word else lex.exclusive_coverage
    for plan, runs, t_runs, n_near, n_near_src, nbrs, nb_texts in jobs:
        b_i, pieces, s_len, t_len, z, t_pieces, t_full, clauses = (plan.bead, plan.pieces, plan.s_len, plan.t_len,
                                                                   plan.z, plan.t_pieces, plan.t_full, plan.clauses)
        t_vec, full_vec = vecs[row], vecs[row + 1]
        row += 2
        windows = np.vstack([t_vec[None, :], vecs[row : row + len(t_runs)]])  # whole target, runs of pieces
        short_idx = [k for k, (i, j) in enumerate(t_runs) if j - i <= 2]
        short = vecs[row : row + len(t_runs)][short_idx]
        singles = vecs[row : row + len(t_runs)][[k for k, (i, j) in enumerate(t_runs) if j - i == 1]]
        row += len(t_runs)
        near_vecs = vecs[row : row + n_near]
        row += n_near
        near_src_vecs = vecs[row : row + n_near_src]
        row += n_near_src
        # how well each adjacent target sentence's texts are rendered by its own source's best piece
        nb_own_best, pos, pos_src = [], 0, 0
        for n_texts, n_src, _, _ in nbrs:
            if n_src:
                own_vecs = near_src_vecs[pos_src : pos_src + n_src]
                nb_own_best.append((near_vecs[pos : pos + n_texts] @ own_vecs.T).max(axis=1))
            else:  # no source of its own (a 0-1 bead): nothing else renders it
                nb_own_best.append(np.full(n_texts, -np.inf, dtype=np.float32))
            pos += n_texts
            pos_src += n_src
        run_vecs = vecs[row : row + 2 * len(runs) : 2]
        rest_vecs = vecs[row + 1 : row + 2 * len(runs) : 2]
        row += 2 * len(runs)
        sim_full = float(t_vec @ full_vec)
        cover = (run_vecs @ windows.T).max(axis=1)  # best rendering of each run in the target
        single = {run: k for k, run in enumerate(runs) if run[1] - run[0] == 1}
        piece_cover = np.array([cover[single[(i, i + 1)]] for i in range(len(pieces))])
        # in-order clause alignment, cheaply: the source piece each target piece renders best
        best_src = (run_vecs[[single[(i, i + 1)] for i in range(len(pieces))]] @ singles.T)
        owners = _claiming_owners(best_src, st)
        worded_owners: set[int] | None = None  # the same read with the lexicon's evidence, when first needed
        piece_vecs = run_vecs[[single[(i, i + 1)] for i in range(len(pieces))]]
        piece_win = piece_vecs @ windows.T  # each source piece vs each target window
        total = sum(s_len)
        starts, ends = {a for a, _ in clauses}, {b for _, b in clauses}
        if lex is not None:  # how much of each source piece the bead's target renders, by the lexicon
            piece_lex = piece_cov.get(b_i) or [lex.coverage(src_text[x:y], ctx.src_lang, t_full) for x, y in pieces]
        # the list number each piece opens with (一是, "First,"), for the unrendered list item test
        item_start = ({x: opening_list_number(src_text[x:y]) for x, y in pieces}
                      if st.omission_unrendered_item_test else {})
        bare = ({closing_list_number(t.text) for t in plan.tgt} - {None}  # list numbers a target sentence ends with
                if any(v is not None for v in item_start.values()) else set())
        for k, (i, j) in enumerate(runs):
            a, b = pieces[i][0], pieces[j - 1][1]
            cut = sum(s_len[i:j])

            t_texts = [tgt_text[x:y] for x, y in t_pieces]
            found, missing = numbers_carried(ctx, "src", src_text[a:b], t_texts)
            with_years = numbers_carried(ctx, "src", src_text[a:b], t_texts, years=True)[0] if not found else found
            in_neighbour = (numbers_carried(ctx, "src", src_text[a:b], [t for t, _ in nb_texts])[0]
                            if missing and not with_years else 0)
            cand_win = windows @ run_vecs[k]
            others = np.r_[piece_win[:i], piece_win[j:]].max(axis=0)
            own = cand_win >= others  # windows this candidate renders better than any other source piece
            own_short = own[1:][short_idx]
            cand_short = cand_win[1:][short_idx]
            nb_sims, nb_owned, pos = [], [], 0
            for (n_texts, _, nb_src, nb_tgt), own_best in zip(nbrs, nb_own_best):
                cand_nb = near_vecs[pos : pos + n_texts] @ run_vecs[k]
                pos += n_texts
                nb_sims.append((float(cand_nb.max()), model.z(nb_src + cut, nb_tgt) if nb_tgt else -99.0))
                mine_nb = cand_nb >= own_best - st.omission_neighbour_owned_margin
                nb_owned.append(float(cand_nb[mine_nb].max()) if mine_nb.any() else -1.0)
            if lex is not None:
                rest_text = " ".join(src_text[x:y] for x, y in pieces[:i] + pieces[j:])
                lex_cand = exclusive(src_text[a:b], rest_text, ctx.src_lang, t_full)
                lex_rest = sum(piece_lex[:i] + piece_lex[j:], Coverage(0, 0)).ratio
                if not lex_cand.glossed:
                    lex_nbs: tuple[float, ...] = tuple(0.0 for _ in nb_texts)
                elif (st.omission_lexical_neighbour_exclusive_cjk if in_characters
                      else st.omission_lexical_neighbour_exclusive):  # the neighbour's own source takes its words first
                    lex_nbs = tuple(exclusive(src_text[a:b], nb_src, ctx.src_lang, t).ratio
                                    for t, nb_src in nb_texts)
                else:
                    lex_nbs = tuple(lex.coverage(src_text[a:b], ctx.src_lang, t).ratio for t, _ in nb_texts)
                lex_neighbour = max(lex_nbs, default=0.0)
            else:
                lex_cand, lex_rest, lex_neighbour, lex_nbs = Coverage(0, 0), -1.0, 0.0, ()
            claim_by = owners
            if lex is not None and st.omission_claim_lexical_weight and _few_words(st, in_characters, lex_cand.glossed, lex_cand.covered):
                # the lexicon finds little of the candidate rendered: it has a say in what renders what
                if worded_owners is None:
                    worded_owners = _claiming_owners(best_src + st.omission_claim_lexical_weight * _words_rendered(
                        ctx, [src_text[x:y] for x, y in pieces], [tgt_text[x:y] for x, y in t_pieces]), st)
                claim_by = worded_owners
            out.append(ClauseTest(
                bead=b_i, start=a, end=b, pieces=j - i, bead_pieces=len(pieces), share=cut / total,
                z=z, z_without=model.z(total - cut, t_len),
                sim_whole=sim_full, sim_without=float(t_vec @ rest_vecs[k]), sim_clause=float(cover[k]),
                sim_others=float(np.median(np.r_[piece_cover[:i], piece_cover[j:]])),
                sim_neighbour=float((near_vecs @ run_vecs[k]).max()) if n_near else -1.0,
                claimed=any(i <= o < j for o in claim_by) and (own.any() or not st.omission_claim_needs_window),
                numbers_found=found, numbers_missing=missing,
                whole_clauses=a in starts and b in ends, sim_alone=float(t_vec @ run_vecs[k]),
                sim_window=float((short @ run_vecs[k]).max()) if len(t_pieces) > 1 else -1.0,
                ratio_gated=t_len <= model.ratio * (total - cut * (1 - st.omission_length_slack)),
                neighbours=tuple(nb_sims), years_found=with_years - found,
                sim_owned=float(cand_win[own].max()) if own.any() else -1.0,
                sim_window_owned=float(cand_short[own_short].max()) if len(t_pieces) > 1 and own_short.any() else -1.0,
                lex_glossed=lex_cand.glossed, lex_covered=lex_cand.covered, lex_rest=lex_rest,
                lex_neighbour=lex_neighbour, lex_neighbours=lex_nbs,
                lexical_edge=b_i in plain_edges and (a not in plain_edges[b_i][0] or b not in plain_edges[b_i][1]),
                source_cjk=source_cjk[b_i], numbers_neighbour=in_neighbour,
                neighbours_owned=tuple(nb_owned) if st.omission_neighbour_owned else (),
                lex_in_characters=in_characters,
                item_number_bare=item_start.get(a) in bare))  # bare holds no None
    return out


def own_target(ctx: CheckContext, b_i: int, src: Sequence[Segment], tgt: Sequence[Segment]) -> list[Segment]:
    """The target sentences of bead ``b_i`` that belong to it: without a first (or last) sentence
    of several whose values belong to the bead before (or after). Such a sentence holds values
    (years and small numbers in words left out), none of them in the bead's source, all of them in
    the other bead's source and none in that bead's target: the aligner drew the boundary on the
    wrong side of it (a clause deleted here makes the bead's source closer in meaning to the
    sentence before than its own source is), and its words must not pass for a rendering of this
    bead's source."""
    out = list(tgt)
    src_lang, tgt_lang = ctx.lang("src"), ctx.lang("tgt")

    def values(texts: Sequence[Segment], lang: str) -> list[Quantity]:
        return [q for x in texts for q in extract_quantities(x.text, lang)]

    own_src: list[Quantity] | None = None  # read only when an edge sentence holds values (few do)
    for n, k in ((b_i - 1, 0), (b_i + 1, -1)):
        if not (0 <= n < len(ctx.beads)) or len(out) < 2:
            continue
        mine = [q for q in extract_quantities(out[k].text, tgt_lang) if not q.weak and q.form != "year"]
        if not mine:
            continue
        if own_src is None:
            own_src = values(src, src_lang)
        nb_src = values(ctx.bead_segments(ctx.beads[n], "src"), src_lang)
        nb_tgt = values(ctx.bead_segments(ctx.beads[n], "tgt"), tgt_lang)
        if all(not any(quantities_equal(q, o) for o in own_src)
               and any(quantities_equal(q, o) for o in nb_src)
               and not any(quantities_equal(q, o) for o in nb_tgt) for q in mine):
            out.pop(k)
    return out


def _claiming_owners(sim: np.ndarray, st: CheckSettings) -> set[int]:
    """The source pieces some target piece renders, from ``sim`` (source pieces by target pieces):
    each target piece's most similar source piece, at least ``settings.omission_claimed_sim``
    similar, and the source pieces of the order-preserving matching (``settings.omission_matched_sim``)."""
    owners = {int(sim[:, y].argmax()) for y in range(sim.shape[1]) if sim[:, y].max() >= st.omission_claimed_sim}
    if st.omission_matched_sim <= 1:
        owners |= {x for x, _ in monotone_matching(sim, st.omission_matched_sim)}
    return owners


def _words_rendered(ctx: CheckContext, src: list[str], tgt: list[str]) -> np.ndarray:
    """``(len(src), len(tgt))``: the share of each target piece's words that each source piece
    renders, by the lexicon (:meth:`~align.lexicon.BilingualLexicon.content_coverage`), less its
    mean over the source pieces (0 for a target piece of less than
    ``settings.omission_lexical_min_glossed[_cjk]`` letters of content words, or known characters:
    too little to speak)."""
    st, lex = ctx.settings, ctx.lexicon
    assert lex is not None
    least = (st.omission_lexical_min_glossed_cjk if lex.written_without_spaces(ctx.tgt_lang)
             else st.omission_lexical_min_glossed)
    share = np.zeros((len(src), len(tgt)))
    for y, t in enumerate(tgt):
        # what counts as the target piece's words does not depend on the source piece: asked of the first
        first = lex.content_coverage(t, ctx.tgt_lang, src[0]) if src else None
        if first is not None and first.glossed >= least:
            share[:, y] = [first.ratio] + [lex.content_coverage(t, ctx.tgt_lang, x).ratio for x in src[1:]]
    return share - share.mean(axis=0)


def _few_words(st: CheckSettings, cjk: bool, glossed: int, covered: int, max_cover: float | None = None,
               least: int | None = None) -> bool:
    """Whether the lexicon knows at least ``least`` of a candidate (``glossed``: characters for a
    source written without spaces, ``cjk``, else letters; by default
    ``settings.omission_lexical_min_glossed[_cjk]``) and finds at most ``max_cover`` of that
    rendered (``covered``; by default ``settings.omission_lexical_max_cover``)."""
    if least is None:
        least = st.omission_lexical_min_glossed_cjk if cjk else st.omission_lexical_min_glossed
    if max_cover is None:
        max_cover = st.omission_lexical_max_cover
    return glossed >= max(1, least) and covered <= max_cover * glossed


def _strength(c: ClauseTest, test: str, st: CheckSettings) -> tuple[bool, bool, bool, float]:
    """How firmly the evidence says a candidate is untranslated, for choosing the one a bead reports
    (``settings.omission_report_by_evidence``): numbers missing, then words the dictionary finds
    unrendered (of any it knows), then the gain; the gain alone without that setting. A candidate
    the lexicon cut out without its support that only its values report (``test``, its
    :meth:`ClauseTest.test_name`, is ``"unrendered_values"``; ``settings.omission_values_any_edge``)
    comes after every other: its edges are the least sure."""
    edge = test != "unrendered_values" or c.lexical_edge_supported(st)
    if not st.omission_report_by_evidence:
        return (edge, False, False, c.gain)
    few_words = _few_words(st, c.lex_in_characters, c.lex_glossed, c.lex_covered, least=1)
    return (edge, c.numbers_missing > 0, few_words, c.gain)


def _finding(ctx: CheckContext, b_i: int, start: int, end: int, detail: str, evidence: dict) -> Finding:
    """The ``partial_omission`` warning on source text ``[start, end)`` of bead ``b_i`` (offsets into
    the source ``Document.text``), with why (``detail``) and the test's ``evidence``."""
    clause = ctx.src_doc.text[start:end]
    return Finding(
        check="partial_omission",
        severity=Severity.WARNING,
        doc_id=ctx.doc_id,
        message=(f"Part of this {language_name(ctx.src_lang)} passage (“{excerpt(clause, 30)}”) does not seem to be "
                 f"carried by its {language_name(ctx.tgt_lang)} translation: {detail}."),
        src_span=ctx.span("src", start, end),
        tgt_span=ctx.segment_span("tgt", ctx.bead_segments(ctx.beads[b_i], "tgt")),
        evidence={"bead": b_i, "clause": excerpt(clause, 80), **evidence},
    )


def _questions_lost(ctx: CheckContext, reported: set[int]) -> Iterator[Finding]:
    """Findings for questions of the source whose translation asks none (``settings.omission_question_test``):
    a source sentence of a bead that ends with a question mark and holds a question word of its
    language (:func:`~align.questions.is_question`), in a bead whose target holds no question word
    of the target language, is reported from the clause piece that holds its first question word.
    Beads in ``reported`` (another candidate already reported), beads whose sentence the glued
    check reports whole, beads holding text of the wrong language (:func:`_mixed`, or a target
    with a question word of the source language) and languages without question words say nothing."""
    if not knows_questions(ctx.src_lang) or not knows_questions(ctx.tgt_lang):
        return
    st = ctx.settings
    glued = {g.bead for g in glued_sentences(ctx, "src") if g.dropped} if st.glued_sentences else set()
    src_name, tgt_name = language_name(ctx.src_lang), language_name(ctx.tgt_lang)
    for b_i, bead, src, tgt in ctx.paired_beads():
        if b_i in reported or b_i in glued or not any(has_content(t.text) for t in tgt):
            continue
        question = next((s for s in src if is_question(s.text, ctx.src_lang)), None)
        if question is None or _mixed(ctx, src, tgt) or any(
                asks_question(t.text, ctx.tgt_lang) or asks_question(t.text, ctx.src_lang) for t in tgt):
            continue  # a target asking in the source's language holds source text: the language checks report it
        at = question.start + (first_question_word(question.text, ctx.src_lang) or 0)
        pieces = clause_spans(question.text, question.start, _min_clause_chars(ctx, question))
        a, b = next(((a, b) for a, b in pieces if a <= at < b), (pieces[-1] if pieces else (question.start, question.end)))
        yield _finding(ctx, b_i, a, b, f"the {src_name} asks a question, and the translation asks none "
                                        f"(no {tgt_name} question word)",
                       {"test": "question_lost", "score": round(bead.score, 4)})


def partial_omission(ctx: CheckContext) -> Iterator[Finding]:
    """Warnings for source clauses of a bead that its target does not seem to carry."""
    if ctx.src_doc is None or ctx.tgt_doc is None or ctx.embed is None:
        return
    st = ctx.settings
    tgt_name = language_name(ctx.tgt_lang)
    if not st.glued_sentences:  # else whole glued sentences are reported by unaligned_source
        yield from _omitted_sentences(ctx)
    best: dict[int, tuple[tuple, ClauseTest, str]] = {}  # per bead: the strongest omitted candidate, its test
    for c in clause_tests(ctx):
        test = c.test_name(st)
        if test is not None:
            strength = _strength(c, test, st)
            if c.bead not in best or strength > best[c.bead][0]:
                best[c.bead] = (strength, c, test)
    if st.omission_question_test:
        yield from _questions_lost(ctx, set(best))
    for b_i, (_, c, test) in sorted(best.items()):
        bead = ctx.beads[b_i]
        why = (f"none of its numbers is in the {tgt_name}" if st.omission_numbers and c.numbers_missing
               else "nothing in the translation renders it")
        if test == "unrendered_values":
            detail = (f"none of its numbers is in the {tgt_name}, and no part of the translation is closer "
                      f"in meaning to it than to the rest")
        elif test == "unrendered_any_length":
            detail = ("nothing in the translation renders it (the translation is not short: another "
                      "sentence may have been aligned with it)")
        elif test in ("unrendered_words", "unrendered_words_any_length", "unrendered_part", "unrendered_item"):
            unit = "characters" if c.lex_in_characters else "letters of its known words"  # as lex_glossed counts
            words = f"a bilingual dictionary finds few of its words there ({c.lex_covered} of {c.lex_glossed} {unit})"
            detail = (f"the translation is short by about that much and {words}" if test == "unrendered_words" else
                      f"the translation gives its list number and nothing after it, and {words}"
                      if test == "unrendered_item" else
                      f"{words} but most of the rest of the passage's, and no part of the translation is closer "
                      f"in meaning to it than to the rest")
        else:
            detail = f"the translation is short by about that much and {why}"
        yield _finding(ctx, b_i, c.start, c.end, detail, {
            "sim_whole": round(c.sim_whole, 4), "sim_without_clause": round(c.sim_without, 4),
            "gain": round(c.gain, 4), "sim_clause": round(c.sim_clause, 4), "sim_other_clauses": round(c.sim_others, 4),
            "sim_adjacent_target": round(c.sim_neighbour, 4), "length_z": round(c.z, 3),
            "length_z_without_clause": round(c.z_without, 3), "length_fit": round(c.length_fit, 3),
            "share": round(c.share, 3), "numbers_missing": c.numbers_missing,
            "pieces": c.pieces, "bead_pieces": c.bead_pieces, "score": round(bead.score, 4),
            "test": test, "sim_owned": round(c.sim_owned, 4),
            # the adjacent target sentences only where their own source does not render them better
            **({"sim_adjacent_target_own_parts": round(max(c.neighbours_owned), 4)} if c.neighbours_owned else {}),
            **({"words_known": c.lex_glossed, "words_rendered": c.lex_covered,
                "rest_rendered": round(c.lex_rest, 3)} if c.lex_rest >= 0 else {})})
