"""Checks for whole sentences or documents without a counterpart.

``unaligned_source``: a 1-0 bead, a source sentence nothing in the target
translates (left out). ``unaligned_target``: a 0-1 bead, a target sentence
with no source (added content). Both also report a sentence the aligner glued
into a neighbour's many-to-one bead that the other side does not carry
(:mod:`.glued`), and a sentence of a 1-1 pair whose partner belongs to the
adjacent pair (:func:`partner_of_neighbour`). A counterpart made only of list numbering or
punctuation (``(v)``) counts as none, and such segments are not reported
themselves. Where the language pair has a bilingual lexicon (``ctx.lexicon``),
it is a second witness beside the sentence embeddings on whether a text renders
a sentence's words (:func:`lexically_unrendered`); without one, only the
embeddings decide. ``no_counterpart``: a document that exists in
one language only; its sentences are counted there instead of reported one by one.
"""

from __future__ import annotations

import math
from typing import Iterator

import numpy as np

from ..langid import language_name
from ..numbers import opening_list_number, ordinals_mentioned
from ..records import Finding, Origin, Severity, Span
from ..textjoin import join_sentences
from .content import has_content
from .context import CheckContext, excerpt, other_side
from .glued import carried_by_neighbour, glued_sentences, numbers_carried


#: check name and severity of a sentence without counterpart, by the side it is on
_CHECK = {"src": ("unaligned_source", Severity.ERROR), "tgt": ("unaligned_target", Severity.WARNING)}


def _finding(ctx: CheckContext, side: str, span: Span | None, other_span: Span | None, message: str,
             evidence: dict) -> Finding:
    """The ``unaligned_source`` / ``unaligned_target`` finding of a sentence of ``side`` (at ``span``),
    with the other side's text it was aligned with (``other_span``, or None)."""
    check, severity = _CHECK[side]
    return Finding(
        check=check,
        severity=severity,
        doc_id=ctx.doc_id,
        message=message,
        src_span=span if side == "src" else other_span,
        tgt_span=span if side == "tgt" else other_span,
        evidence=evidence,
    )


def _unaligned(ctx: CheckContext, side: str) -> Iterator[Finding]:
    """Findings for the segments of ``side`` that sit alone in a bead."""
    other = other_side(side)
    doc = ctx.doc(side)
    if doc is None or ctx.doc(other) is None:
        return  # a one-language document is reported once, by no_counterpart
    if doc.origin == Origin.LANGUAGE_RUN:
        return  # stray runs inside the other language's file: see language_runs
    lang, other_lang = language_name(ctx.lang(side)), language_name(ctx.lang(other))
    for b_i, bead in enumerate(ctx.beads):
        mine, theirs = (bead.src, bead.tgt) if side == "src" else (bead.tgt, bead.src)
        # A counterpart that is only list numbering, e.g. "(v)", is no counterpart.
        if not mine or any(has_content(ctx.segment(other, i).text) for i in theirs):
            continue
        carried = carried_by_neighbour(ctx, side, b_i) if math.isfinite(ctx.settings.neighbour_join_gain) else None
        lexical: dict = {}
        if carried is not None:
            # the embeddings say its meaning is in the adjacent bead (a sentence boundary drawn
            # differently) unless the lexicon finds its words are not rendered there
            lexical = _carried_words_unrendered(ctx, side, b_i, carried[0]) or {}
            if not lexical:
                continue
        for idx in mine:
            seg = ctx.segment(side, idx)
            if not has_content(seg.text):
                continue  # numbering or punctuation alone carries nothing to translate
            if side == "tgt" and _renders_neighbour(ctx, b_i, idx) >= ctx.settings.unaligned_target_neighbour_sim:
                continue  # it translates the adjacent pair's source, which the aligner paired with other text
            message = f"This {lang} sentence has no {other_lang} counterpart: " + (
                "it seems to have been left out of the translation." if side == "src"
                else "it may be content added in translation.")
            yield _finding(ctx, side, ctx.segment_span(side, [seg]), None, message,
                           {"bead": b_i, "segment": idx, "chars": len(seg.text), "text": excerpt(seg.text, 60),
                            **lexical})
    if ctx.settings.glued_sentences:
        yield from _glued(ctx, side)
    if ctx.settings.partner_moved:
        yield from _partner_moved(ctx, side)


def lexically_unrendered(ctx: CheckContext, side: str, text: str, other_text: str, rest: str,
                         least: int | None = None) -> dict | None:
    """Whether, by the language pair's bilingual lexicon (``ctx.lexicon``), ``other_text`` (a
    text of the other side) renders ``rest`` (a neighbouring text of ``side``) but not ``text``
    (a sentence of ``side``).

    All three must hold: the lexicon knows at least ``settings.unaligned_lexical_min_glossed_cjk``
    characters of ``text`` (a language written without spaces) or
    ``settings.unaligned_lexical_min_glossed`` letters of known words (a language written in
    words), and at most ``settings.unaligned_lexical_max_cover`` of them have a rendering in
    ``other_text``; at most ``settings.unaligned_lexical_max_exclusive`` do once the words of
    ``rest`` have taken their renderings first (each word of ``other_text`` renders one word:
    words ``text`` shares with ``rest``, such as a repeated topic, prove nothing); and at
    least ``settings.unaligned_lexical_rest_cover`` of ``other_text``'s known words have a
    rendering in ``rest`` (the lexicon sees that ``other_text`` translates ``rest``; if it
    sees too little of anything, its silence about ``text`` proves nothing).
    ``least`` replaces the least number of known characters or letters when given.
    Returns the evidence (shares in [0, 1]) or None, always None without a lexicon or with
    ``settings.unaligned_lexical`` off.
    """
    lex, st = ctx.lexicon, ctx.settings
    if lex is None or not st.unaligned_lexical:
        return None
    lang, other_lang = ctx.lang(side), ctx.lang(other_side(side))
    if least is None:
        least = st.unaligned_lexical_min_glossed_cjk if lex.written_without_spaces(lang) else st.unaligned_lexical_min_glossed
    cover = lex.coverage(text, lang, other_text)
    if cover.glossed < least or cover.ratio > st.unaligned_lexical_max_cover:
        return None
    exclusive = lex.exclusive_coverage(text, rest, lang, other_text)
    if exclusive.ratio > st.unaligned_lexical_max_exclusive:
        return None
    back = lex.coverage(other_text, other_lang, rest)
    if not back.glossed or back.ratio < st.unaligned_lexical_rest_cover:
        return None
    return {"lex_glossed": cover.glossed, "lex_cover": round(cover.ratio, 3),
            "lex_exclusive_cover": round(exclusive.ratio, 3), "lex_neighbour_cover": round(back.ratio, 3)}


def _carried_words_unrendered(ctx: CheckContext, side: str, b_i: int, n: int) -> dict | None:
    """:func:`lexically_unrendered` for the lone sentence(s) of bead ``b_i`` and the other side of
    adjacent bead ``n``, which :func:`.glued.carried_by_neighbour` says carries them; the
    evidence names that bead."""
    other = other_side(side)
    lone, nb = ctx.bead_segments(ctx.beads[b_i], side), ctx.beads[n]
    found = lexically_unrendered(ctx, side, join_sentences([s.text for s in lone]),
                                 join_sentences([s.text for s in ctx.bead_segments(nb, other)]),
                                 join_sentences([s.text for s in ctx.bead_segments(nb, side)]))
    return None if found is None else {"neighbour": n, **found}


def _renders_neighbour(ctx: CheckContext, b_i: int, idx: int) -> float:
    """The highest similarity (sentence vectors) of target sentence ``idx`` of lone bead ``b_i`` to a
    source sentence of the bead just before or after it (-1 without vectors or neighbours)."""
    if ctx.src_vectors is None or ctx.tgt_vectors is None:
        return -1.0
    near = [i for n in (b_i - 1, b_i + 1) if 0 <= n < len(ctx.beads) for i in ctx.beads[n].src]
    if not near:
        return -1.0
    return float((ctx.src_vectors[near] @ ctx.tgt_vectors[idx]).max())


def partner_of_neighbour(ctx: CheckContext, side: str, b_i: int) -> dict | None:
    """Whether the other-side sentence of 1-1 bead ``b_i`` belongs to an adjacent bead, leaving
    this bead's ``side`` sentence without a counterpart.

    When a translation drops a sentence, an aligner that prefers 1-1 pairs often pairs the
    orphan with a sentence of the neighbouring pair's translation (one source sentence
    rendered as two). That partner belongs to the neighbour when: it is more similar
    (``ctx.embed``) to the neighbour's ``side`` text than to the orphan; joining it to the
    neighbour's other side does not lower the neighbour's similarity (a pair that is already
    close, 0.85 or more, gains little); and the orphan is at most
    ``settings.partner_moved_max_sim`` similar to the partner and to the neighbour's other
    side (nothing there renders it); a target sentence (added content) at most
    ``settings.partner_moved_target_max_sim``. A source sentence closer to its partner than
    that (up to ``partner_moved_relative_max_sim``: a heading and the first sentence of its
    paragraph) counts when the partner is ``partner_moved_relative_gap`` more similar to the
    neighbour's source and joining it raises the neighbour's similarity by
    ``partner_moved_min_join_gain``. A source sentence up to that similarity also counts, whatever
    the similarity of the partner to the neighbour, when joining the partner raises the
    neighbour's similarity that much and the bilingual lexicon says the partner renders the
    neighbour's source but not the sentence's words (:func:`lexically_unrendered`), or the values
    say so (:func:`_values_moved`), or the list numbering (:func:`_list_number_unrendered`): a heading
    whose words the partner shares with the first sentence of its paragraph only through the
    topic, which the embeddings find as close to the one as to the other. Likewise a source
    sentence more than ``partner_moved_max_sim`` similar to the neighbour's other side still
    counts when the lexicon or the values (that text, with the partner joined, renders the
    neighbour's source but not the sentence's words) or the list numbering (the sentence's number
    is not in that text) say it is not rendered there (a sentence on the neighbour's topic).
    Returns the evidence (neighbour bead and similarities) for the best such neighbour, or None.
    """
    if ctx.embed is None:
        return None
    other = other_side(side)
    bead = ctx.beads[b_i]
    mine, theirs = (bead.src, bead.tgt) if side == "src" else (bead.tgt, bead.src)
    if len(mine) != 1 or len(theirs) != 1:
        return None
    st = ctx.settings
    # "added" needs stronger evidence than "left out": one source sentence is often rendered as two
    limit = st.partner_moved_max_sim if side == "src" else min(st.partner_moved_max_sim, st.partner_moved_target_max_sim)
    x, t = ctx.segment(side, mine[0]), ctx.segment(other, theirs[0])
    if not has_content(x.text) or not has_content(t.text):
        return None
    vx, vt = ctx.vectors(side), ctx.vectors(other)
    # a source sentence above ``limit`` may still have lost its partner to the neighbour, on relative evidence
    relative = side == "src" and st.partner_moved_relative_gap <= 1
    upper = max(limit, st.partner_moved_relative_max_sim) if relative else limit
    if vx is not None and vt is not None and float(vx[x.idx] @ vt[t.idx]) > upper:
        return None  # a pair this similar is a translation: nothing to embed (most pairs stop here)
    best: dict | None = None
    for n in (b_i - 1, b_i + 1):
        if not 0 <= n < len(ctx.beads):
            continue
        nb = ctx.beads[n]
        n_mine, n_theirs = ctx.bead_segments(nb, side), ctx.bead_segments(nb, other)
        if not n_mine or not any(has_content(s.text) for s in n_theirs):
            continue
        joined = list(n_theirs) + [t] if n < b_i else [t] + list(n_theirs)
        v = np.asarray(ctx.embed([x.norm, t.norm, join_sentences([s.norm for s in n_mine]),
                                  join_sentences([s.norm for s in n_theirs]),
                                  join_sentences([s.norm for s in joined])]), dtype=np.float32)
        own, to_neighbour = float(v[0] @ v[1]), float(v[1] @ v[2])
        before, after = float(v[2] @ v[3]), float(v[2] @ v[4])
        x_there = float(v[0] @ v[3])
        moved = own <= limit or (relative and own <= upper and to_neighbour - own >= st.partner_moved_relative_gap
                                 and after - before >= st.partner_moved_min_join_gain)
        if best is not None and after - before <= best["join_gain"]:
            continue
        rest = join_sentences([s.text for s in n_mine])
        lexical: dict = {}
        if not (to_neighbour > own and after >= before and moved):
            if side != "src" or own > upper or after - before < st.partner_moved_min_join_gain:
                continue
            lexical = (lexically_unrendered(ctx, side, x.text, t.text, rest)
                       or _values_moved(ctx, side, x.text, t.text, rest)
                       or _list_number_unrendered(ctx, x.text, t.text) or {})
            if not lexical:
                continue
        if x_there > limit:  # the sentence may be rendered in the neighbour's translation, unless the words say not
            there_text = join_sentences([s.text for s in joined])
            there = (lexically_unrendered(ctx, side, x.text, there_text, rest)
                     or _values_moved(ctx, side, x.text, there_text, rest)
                     or _list_number_unrendered(ctx, x.text, there_text)) if side == "src" else None
            if there is None:
                continue
            lexical.update({f"{k}_neighbour_pair": v for k, v in there.items()})
        best = {"neighbour": n, "sim_own_pair": round(own, 4), "sim_partner_to_neighbour": round(to_neighbour, 4),
                "neighbour_sim": round(before, 4), "neighbour_sim_joined": round(after, 4),
                "join_gain": round(after - before, 4), "sim_to_neighbour": round(x_there, 4), **lexical}
    return best


def _values_moved(ctx: CheckContext, side: str, text: str, partner: str, rest: str) -> dict | None:
    """The values' evidence that ``partner`` (a text of the other side) renders ``rest`` (the
    adjacent pair's ``side`` text) and not ``text`` (a sentence of ``side``): ``partner`` holds a
    value of ``rest`` and none of ``text``'s, and ``text`` holds values, none of them in
    ``partner`` (``settings.partner_moved_numbers``). None when the values say nothing or otherwise."""
    if not ctx.settings.partner_moved_numbers:
        return None
    other = other_side(side)
    found, missing = numbers_carried(ctx, side, text, [partner], years=True)
    if found or not missing:
        return None
    to_rest, _ = numbers_carried(ctx, other, partner, [rest], years=True)
    to_text, _ = numbers_carried(ctx, other, partner, [text], years=True)
    if not to_rest or to_text:
        return None
    return {"values_missing": missing, "partner_values_in_neighbour": to_rest}


def _list_number_unrendered(ctx: CheckContext, text: str, other_text: str) -> dict | None:
    """The list numbering's evidence that ``other_text`` (a text of the other side) does not render
    ``text`` (a sentence): ``text`` opens with a list number (``(vi)``, ``Second,``, ``三是``) that
    ``other_text`` neither uses nor mentions as an ordinal (``settings.partner_moved_list_numbers``).
    Translations keep a heading's or list item's number, so a partner without it is another
    item's text. None when the numbering says nothing or otherwise."""
    if not ctx.settings.partner_moved_list_numbers:
        return None
    number = opening_list_number(text)
    if number is None or number in ordinals_mentioned(other_text):
        return None
    return {"list_number_missing": number}


def _partner_moved(ctx: CheckContext, side: str) -> Iterator[Finding]:
    """Findings for sentences whose aligned partner belongs to the adjacent pair (:func:`partner_of_neighbour`)."""
    other = other_side(side)
    if ctx.doc(side) is None or ctx.doc(other) is None:
        return
    lang, other_lang = language_name(ctx.lang(side)), language_name(ctx.lang(other))
    for b_i, bead in enumerate(ctx.beads):
        if not bead.src or not bead.tgt:
            continue
        moved = partner_of_neighbour(ctx, side, b_i)
        if moved is None:
            continue
        mine, theirs = (bead.src, bead.tgt) if side == "src" else (bead.tgt, bead.src)
        seg, partner = ctx.segment(side, mine[0]), ctx.segment(other, theirs[0])
        where = "next" if moved["neighbour"] > b_i else "previous"
        message = (f"This {lang} sentence has no {other_lang} counterpart: the aligner paired it with a "
                   f"{other_lang} sentence that belongs to the {where} pair, so it " + (
                       "seems to have been left out of the translation." if side == "src"
                       else "may be content added in translation."))
        yield _finding(ctx, side, ctx.segment_span(side, [seg]), ctx.segment_span(other, [partner]), message,
                       {"bead": b_i, "segment": seg.idx, "partner_segment": partner.idx, **moved,
                        "chars": len(seg.text), "text": excerpt(seg.text, 60)})


def _glued(ctx: CheckContext, side: str) -> Iterator[Finding]:
    """Findings for sentences glued into a many-to-one bead that the other side does not carry."""
    other = other_side(side)
    lang, other_lang = language_name(ctx.lang(side)), language_name(ctx.lang(other))
    for g in glued_sentences(ctx, side):
        if not g.dropped:
            continue
        bead = ctx.beads[g.bead]
        theirs = ctx.bead_segments(bead, other)
        message = f"This {lang} sentence was aligned together with its neighbours, but " + (
            f"their {other_lang} translation does not seem to carry it: it may have been left out."
            if side == "src" else
            f"nothing in their {other_lang} source corresponds to it: it may be added content.")
        if g.list_number_missing:
            message += f" It opens with a list number that their {other_lang} does not have."
        yield _finding(ctx, side, ctx.segment_span(side, [g.segment]), ctx.segment_span(other, theirs), message,
                       {**g.evidence(), "kind": bead.kind, "chars": len(g.segment.text),
                        "text": excerpt(g.segment.text, 60)})


def unaligned_source(ctx: CheckContext) -> Iterator[Finding]:
    """One error per source sentence alone in a 1-0 bead (not translated)."""
    return _unaligned(ctx, "src")


def unaligned_target(ctx: CheckContext) -> Iterator[Finding]:
    """One warning per target sentence alone in a 0-1 bead (added content)."""
    return _unaligned(ctx, "tgt")


def no_counterpart(ctx: CheckContext) -> Iterator[Finding]:
    """One finding for a document that exists in one language only.

    Its sentences are all unaligned by construction; they are counted in the
    evidence rather than reported one by one.
    """
    for side in ("src", "tgt"):
        other = other_side(side)
        doc = ctx.doc(side)
        if doc is None or ctx.doc(other) is not None:
            continue
        segs = [s for s in ctx.segments(side) if s.text.strip()]
        if doc.regions:
            start, end = min(r.start for r in doc.regions), max(r.end for r in doc.regions)
        else:
            start, end = 0, len(doc.text)
        span = ctx.span(side, start, end)
        lang, other_lang = language_name(ctx.lang(side)), language_name(ctx.lang(other))
        yield Finding(
            check="no_counterpart",
            severity=Severity.WARNING,
            doc_id=ctx.doc_id,
            message=(f"This document exists only in {lang}: no {other_lang} version was found to "
                     f"check it against, so none of its {len(segs)} sentences were compared."),
            src_span=span if side == "src" else None,
            tgt_span=span if side == "tgt" else None,
            evidence={"lang": ctx.lang(side), "missing_lang": ctx.lang(other),
                      "sentences": len(segs), "chars": sum(len(s.text) for s in segs)},
        )
