"""Checks on what a bead's target contains: ``empty_target`` and ``target_identical_to_source``."""

from __future__ import annotations

import re
from typing import Iterator

from ..langid import char_script, lang_scripts, language_name
from ..records import Finding, Severity
from .context import CheckContext, excerpt

# A segment that is only list numbering or punctuation carries no content: (iv), 3., 一、, （二）
_ONLY_NUMBERING = re.compile(
    r"^[\s\W_]*(?:[(（]?(?:[ivxlcdm]{1,6}|[a-h]|\d{1,3}|[一二三四五六七八九十]{1,3})[)）.、．:：]?)?[\s\W_]*$",
    re.IGNORECASE,
)


def has_content(text: str) -> bool:
    """Whether a text has words or numbers beyond list numbering and punctuation."""
    return any(ch.isalnum() for ch in text) and not _ONLY_NUMBERING.match(text)


def _comparable(text: str) -> str:
    """A text folded for an identity test: case, width and spacing ignored."""
    import unicodedata

    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def empty_target(ctx: CheckContext) -> Iterator[Finding]:
    """Errors for beads whose source has content while their target has no letter or digit at all.

    (A target that is only list numbering, such as ``(v)``, is reported by
    ``unaligned_source`` instead: the source then has no counterpart.)
    """
    if ctx.src_doc is None or ctx.tgt_doc is None:
        return
    src_name, tgt_name = language_name(ctx.src_lang), language_name(ctx.tgt_lang)
    for b_i, _, src, tgt in ctx.paired_beads():
        if any(has_content(s.text) for s in src) and not any(ch.isalnum() for t in tgt for ch in t.text):
            yield Finding(
                check="empty_target",
                severity=Severity.ERROR,
                doc_id=ctx.doc_id,
                message=f"The {tgt_name} translation of this {src_name} text is empty.",
                src_span=ctx.segment_span("src", src),
                tgt_span=ctx.segment_span("tgt", tgt),
                evidence={"bead": b_i, "target_text": " ".join(t.text for t in tgt)},
            )


def foreign_script_only(text: str, lang: str) -> bool:
    """Whether every letter of ``text`` is in a script that ``lang`` is not written in (and it has
    letters): e.g. Chinese characters for English. Same-script pairs (de/fr) never qualify."""
    own = lang_scripts(lang)
    scripts = [char_script(ch) for ch in text if ch.isalpha()]
    return bool(scripts) and all(s is not None and s not in own for s in scripts)


def target_identical_to_source(ctx: CheckContext) -> Iterator[Finding]:
    """Errors for beads whose target repeats the source unchanged (copied, not translated).

    Texts with fewer than ``settings.min_identical_letters`` letters (codes,
    names, numbers) may legitimately stay the same and are not reported; but a text
    written only in a script the target language does not use (:func:`foreign_script_only`)
    cannot be a name or code kept as is, and is reported from
    ``settings.min_identical_foreign_letters`` letters (``三是规模大。`` as English).
    """
    if ctx.src_doc is None or ctx.tgt_doc is None:
        return
    tgt_name = language_name(ctx.tgt_lang)
    st = ctx.settings
    for b_i, _, src, tgt in ctx.paired_beads():
        s_text = _comparable(" ".join(s.text for s in src))
        t_text = _comparable(" ".join(t.text for t in tgt))
        if s_text != t_text:
            continue
        letters = sum(ch.isalpha() for ch in s_text)
        least = st.min_identical_foreign_letters if foreign_script_only(t_text, ctx.tgt_lang) else st.min_identical_letters
        if letters >= least:
            yield Finding(
                check="target_identical_to_source",
                severity=Severity.ERROR,
                doc_id=ctx.doc_id,
                message=f"The {tgt_name} text is identical to the source: it was copied, not translated.",
                src_span=ctx.segment_span("src", src),
                tgt_span=ctx.segment_span("tgt", tgt),
                evidence={"bead": b_i, "text": excerpt(s_text, 80)},
            )
