"""Checks on what a bead's target contains: ``empty_target`` and ``target_identical_to_source``."""

from __future__ import annotations

import re
from typing import Iterator

from ..langid import language_name
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


def target_identical_to_source(ctx: CheckContext) -> Iterator[Finding]:
    """Warnings for beads whose target repeats the source unchanged (copied, not translated).

    Texts with fewer than ``settings.min_identical_letters`` letters (codes,
    names, numbers) may legitimately stay the same and are not reported.
    """
    if ctx.src_doc is None or ctx.tgt_doc is None:
        return
    tgt_name = language_name(ctx.tgt_lang)
    for b_i, _, src, tgt in ctx.paired_beads():
        s_text = _comparable(" ".join(s.text for s in src))
        t_text = _comparable(" ".join(t.text for t in tgt))
        if s_text == t_text and sum(ch.isalpha() for ch in s_text) >= ctx.settings.min_identical_letters:
            yield Finding(
                check="target_identical_to_source",
                severity=Severity.ERROR,
                doc_id=ctx.doc_id,
                message=f"The {tgt_name} text is identical to the source: it was copied, not translated.",
                src_span=ctx.segment_span("src", src),
                tgt_span=ctx.segment_span("tgt", tgt),
                evidence={"bead": b_i, "text": excerpt(s_text, 80)},
            )
