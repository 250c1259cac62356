"""``partial_omission``: part of a bead's source that its target does not carry.

Aligners and QA tools see whole missing sentences; a translation that drops a
clause, or a 2-1 bead whose target renders only one of the two sentences,
passes them. For each bead whose source splits into clauses (at commas,
semicolons and colons, or sentence ends), each clause ``c`` is tested:

1. **Length gate** (cheap): the target must be short enough to be missing
   ``c``: its length is at most what this document's median length ratio
   predicts for the source without ``c``, plus ``settings.omission_length_slack``
   of ``c``'s predicted length. Ordinary condensation that keeps the length
   is not tested further.
2. **Meaning test** (``ctx.embed``): the target must be at least as similar to
   the source without ``c`` as to the whole source (``sim(t, s - c) - sim(t,
   s) >= settings.omission_gain``), and ``c`` on its own must be less similar
   to the target than the rest is (``sim(t, c) <= sim(t, s - c) -
   settings.omission_clause_gap``).

Beads joining several source sentences are first tested sentence by sentence
(see :func:`_omitted_sentences`); the clause test then runs on the others.
The finding points at the exact clause or sentence in the source. Without
``ctx.embed`` the check reports nothing (it needs the meaning test to be precise).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator, Sequence

import numpy as np

from ..langid import detect_language, language_name
from ..normalize import normalize_for_comparison
from ..records import Finding, Segment, Severity
from ..settings import CheckSettings
from .content import has_content
from .context import CheckContext, excerpt
from .glued import _chars, _clause_windows, document_ratio, glued_sentences
from .glued import join_texts as _join

_CLAUSE_END = re.compile(r"[，,；;：:]+\s*|[。！？!?]+[”’」』)）]*\s*|(?<=[a-z\d%)”’])[.]\s+|\s+[—–-]{1,2}\s+|——")
_WIDE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def clause_spans(text: str, start: int, min_chars: int) -> list[tuple[int, int]]:
    """Clauses of ``text`` as ``[a, b)`` offsets (plus ``start``), each at least ``min_chars`` long.

    Cuts after clause punctuation (commas, semicolons, colons, dashes,
    sentence ends); a piece shorter than ``min_chars`` letters is joined to
    the one before it (or after it, at the start).
    """
    cuts = [m.end() for m in _CLAUSE_END.finditer(text)]
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
        texts.append(_join([t.norm for t in tgt]))
        texts.append(_join([x.norm for x in src]))
        for i, x in enumerate(src):
            texts.append(x.norm)
            texts.append(_join([y.norm for j, y in enumerate(src) if j != i]))
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
    """The evidence on one source clause ``[start, end)`` (offsets into the source ``Document.text``).

    ``gated``: the target is short enough to be missing the clause (length gate);
    similarities are cosines in [-1, 1]: target vs whole source (``sim_whole``),
    vs source without the clause (``sim_without``), vs the clause (``sim_clause``),
    and the clause's best similarity to one clause or two adjacent clauses of the
    target (``sim_best_window``, -1 when the target has a single clause), and to
    the adjacent target sentences of the neighbouring beads or their clauses
    (``sim_neighbour``, -1 when not computed): a high value there means a
    sentence boundary drawn differently, not an omission.
    """

    bead: int
    start: int
    end: int
    clauses: int
    gated: bool
    sim_whole: float
    sim_without: float
    sim_clause: float
    sim_best_window: float
    sim_neighbour: float = -1.0

    @property
    def gain(self) -> float:
        """Rise in similarity to the target when the clause is removed from the source."""
        return self.sim_without - self.sim_whole

    def omitted(self, st: CheckSettings) -> bool:
        """Whether the evidence says the target does not carry the clause."""
        return (self.gated and self.gain >= st.omission_gain
                and self.sim_clause <= self.sim_without - st.omission_clause_gap
                and self.sim_best_window < st.omission_clause_carried
                and self.sim_neighbour < st.omission_clause_carried)


def _adjacent_targets(ctx: CheckContext, b_i: int) -> list[Segment]:
    """The target sentence just before bead ``b_i``'s target and the one just after it (if any)."""
    out = []
    for n, pick in ((b_i - 1, -1), (b_i + 1, 0)):
        if 0 <= n < len(ctx.beads) and ctx.beads[n].tgt:
            out.append(ctx.segment("tgt", ctx.beads[n].tgt[pick]))
    return out


def clause_tests(ctx: CheckContext, all_clauses: bool = False) -> list[ClauseTest]:
    """The clause tests of every paired bead (only the gated clauses unless ``all_clauses``).

    Beads with text of the wrong language, with a single clause, or whose
    glued sentence is reported by ``unaligned_source`` are left out. Empty
    without ``ctx.embed`` or without the document statistics.
    """
    if ctx.src_doc is None or ctx.tgt_doc is None or ctx.embed is None:
        return []
    ratio = document_ratio(ctx)
    if ratio is None:
        return []
    st = ctx.settings
    skip = {g.bead for g in glued_sentences(ctx, "src") if g.dropped} if st.glued_sentences else set()
    jobs = []
    texts: list[str] = []
    src_doc_text = ctx.src_doc.text
    for b_i, bead in enumerate(ctx.beads):
        if not bead.src or not bead.tgt or b_i in skip:
            continue
        src = ctx.bead_segments(bead, "src")
        tgt = ctx.bead_segments(bead, "tgt")
        if not any(has_content(t.text) for t in tgt):
            continue
        min_c = st.min_clause_chars_cjk if _WIDE.search(src[0].text[:20]) else st.min_clause_chars
        clauses = [c for s in src for c in clause_spans(s.text, s.start, min_c)]
        if len(clauses) < 2 or _mixed(ctx, src, tgt):
            continue
        total = sum(_chars(src_doc_text[a:b]) for a, b in clauses)
        tgt_len = sum(_chars(t.text) for t in tgt)
        # 1. length gate: keep the clauses whose absence the target's length can explain
        gated = [tgt_len <= ratio * (total - _chars(src_doc_text[a:b]) * (1 - st.omission_length_slack))
                 for a, b in clauses]
        tested = [i for i in range(len(clauses)) if gated[i] or all_clauses]
        if not tested:
            continue
        windows, near = [], []
        if st.omission_clause_carried <= 1:
            windows = _clause_windows(ctx, "tgt", tgt)
            for seg in _adjacent_targets(ctx, b_i):
                near += [seg.norm] + _clause_windows(ctx, "tgt", [seg])
        jobs.append((b_i, clauses, gated, tested, len(windows), len(near)))
        texts.append(_join([normalize_for_comparison(t.text, ctx.tgt_lang) for t in tgt]))
        texts.append(_join([normalize_for_comparison(src_doc_text[a:b], ctx.src_lang) for a, b in clauses]))
        texts.extend(windows)
        texts.extend(near)
        for i in tested:
            a, b = clauses[i]
            texts.append(normalize_for_comparison(src_doc_text[a:b], ctx.src_lang))
            texts.append(_join([normalize_for_comparison(src_doc_text[x:y], ctx.src_lang)
                                for j, (x, y) in enumerate(clauses) if j != i]))
    if not jobs:
        return []
    vecs = np.asarray(ctx.embed(texts), dtype=np.float32)
    out: list[ClauseTest] = []
    row = 0
    for b_i, clauses, gated, tested, n_win, n_near in jobs:
        t_vec, full_vec = vecs[row], vecs[row + 1]
        win = vecs[row + 2 : row + 2 + n_win]
        near_vecs = vecs[row + 2 + n_win : row + 2 + n_win + n_near]
        row += 2 + n_win + n_near
        sim_full = float(t_vec @ full_vec)
        for i in tested:
            c_vec, rest_vec = vecs[row], vecs[row + 1]
            row += 2
            best_win = float((win @ c_vec).max()) if n_win else -1.0
            best_near = float((near_vecs @ c_vec).max()) if n_near else -1.0
            a, b = clauses[i]
            out.append(ClauseTest(b_i, a, b, len(clauses), gated[i], sim_full, float(t_vec @ rest_vec),
                                  float(t_vec @ c_vec), best_win, best_near))
    return out


def partial_omission(ctx: CheckContext) -> Iterator[Finding]:
    """Warnings for source clauses of a bead that its target does not seem to carry."""
    if ctx.src_doc is None or ctx.tgt_doc is None or ctx.embed is None:
        return
    st = ctx.settings
    src_name, tgt_name = language_name(ctx.src_lang), language_name(ctx.tgt_lang)
    if not st.glued_sentences:  # else whole glued sentences are reported by unaligned_source
        yield from _omitted_sentences(ctx)
    best: dict[int, ClauseTest] = {}
    for c in clause_tests(ctx):
        if c.omitted(st) and (c.bead not in best or c.gain > best[c.bead].gain):
            best[c.bead] = c
    for b_i, c in sorted(best.items()):
        bead = ctx.beads[b_i]
        clause = ctx.src_doc.text[c.start:c.end]
        yield Finding(
            check="partial_omission",
            severity=Severity.WARNING,
            doc_id=ctx.doc_id,
            message=(f"Part of this {src_name} passage (“{excerpt(clause, 30)}”) does not seem to be "
                     f"carried by its {tgt_name} translation."),
            src_span=ctx.span("src", c.start, c.end),
            tgt_span=ctx.segment_span("tgt", ctx.bead_segments(bead, "tgt")),
            evidence={"bead": b_i, "clause": excerpt(clause, 80), "sim_whole": round(c.sim_whole, 4),
                      "sim_without_clause": round(c.sim_without, 4), "sim_clause": round(c.sim_clause, 4),
                      "sim_best_target_clause": round(c.sim_best_window, 4),
                      "sim_adjacent_target": round(c.sim_neighbour, 4),
                      "gain": round(c.gain, 4), "clauses": c.clauses, "score": round(bead.score, 4)},
        )
