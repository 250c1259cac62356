"""Joining consecutive sentences into one string, the same way everywhere.

Used for the concatenations the aligner embeds, the bead texts of
``alignment.jsonl`` and the exported translation units. The rule depends on
the characters, not on a language list: nothing between two wide characters
(CJK ideographs, kana, Hangul, full-width forms), one space otherwise.
"""

from __future__ import annotations

import unicodedata
from typing import Sequence

from .records import Document, Segment


def is_wide(ch: str) -> bool:
    """True for characters written without spaces between them (East Asian Wide or Fullwidth)."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


def join_sentences(parts: Sequence[str]) -> str:
    """Concatenate sentences: nothing between two wide characters, a single space otherwise."""
    out = ""
    for part in parts:
        if out and part and not (is_wide(out[-1]) and is_wide(part[0])):
            out += " "
        out += part
    return out


def join_segments(segments: Sequence[Segment], doc: Document | None = None) -> str:
    """The text of several consecutive segments as one string.

    Between two segments the original separator is kept when it is plain
    spacing on one line (``doc.text[a.end:b.start]``); otherwise (a paragraph
    break, the other language's paragraph of an interleaved file, or no
    Document at hand) the rule of :func:`join_sentences` applies.
    """
    if not segments:
        return ""
    parts = [segments[0].text]
    for a, b in zip(segments, segments[1:]):
        gap = None
        if doc is not None and 0 <= a.end <= b.start <= len(doc.text):
            between = doc.text[a.end : b.start]
            if between.strip() == "" and "\n" not in between and "\r" not in between:
                gap = between
        if gap is None:
            left, right = a.text[-1:], b.text[:1]
            gap = "" if (left and right and is_wide(left) and is_wide(right)) else " "
        parts.append(gap)
        parts.append(b.text)
    return "".join(parts)
