"""Readers for document formats other than plain text.

Each reader is a pure function ``read(data: bytes, path: str) -> TextLayout | PairLayout``
(``path`` only names the file in messages); :func:`align.ingest.read_input`
does the file reading and picks the reader by extension from :data:`READERS`,
importing it only when used.

How a sentence maps back to its place in the original file: readers build a
*line-aligned* text, where each block of text (paragraph, cell, subtitle,
translation unit) starts on the same 1-based line as in the source file
(:func:`place_on_lines`). So ``Segment.line`` is the line in the original file
and ``Segment.start``/``end`` are character offsets in that line's extracted
text (markup and entities removed). For ``.docx``, which has no lines, line
*n* is the *n*-th paragraph of the document body (table cells included, in
document order).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from typing import Callable, Sequence, Union

#: Extension (lower case, with dot) → ``"module:function"`` in this package.
READERS: dict[str, str] = {
    ".docx": "docx:read_docx",
    ".html": "html:read_html",
    ".htm": "html:read_html",
    ".xhtml": "html:read_html",
    ".md": "markdown:read_markdown",
    ".markdown": "markdown:read_markdown",
    ".srt": "subtitles:read_srt",
    ".csv": "table:read_csv",
    ".tsv": "table:read_tsv",
    ".tab": "table:read_tsv",
    ".xliff": "xliff:read_xliff",
    ".xlf": "xliff:read_xliff",
    ".tmx": "tmx:read_tmx",
}


@dataclass(frozen=True, slots=True)
class TextLayout:
    """One extracted text whose shape (interleaved or one language) is still to be detected.

    ``paragraphs`` are ``(start, end)`` character spans of ``text`` (end
    exclusive), in order: the units languages alternate by.
    """

    text: str
    encoding: str
    paragraphs: tuple[tuple[int, int], ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PairSide:
    """One language of a format that carries pairs: its text, spans and declared language (or None)."""

    text: str
    paragraphs: tuple[tuple[int, int], ...]
    lang: str | None


@dataclass(frozen=True, slots=True)
class PairLayout:
    """A format that gives source and target directly (TMX, XLIFF, two-column tables).

    ``first`` and ``second`` are in the order the file gives them (source
    first when the file says which is the source).
    """

    first: PairSide
    second: PairSide
    encoding: str
    notes: tuple[str, ...] = field(default=())


Layout = Union[TextLayout, PairLayout]


def reader_for(ext: str) -> Callable[[bytes, str], Layout] | None:
    """The reader function for a file extension (``".docx"``), imported lazily; None if unsupported."""
    target = READERS.get(ext.lower())
    if target is None:
        return None
    module, func = target.split(":")
    return getattr(import_module(f"{__name__}.{module}"), func)


def place_on_lines(items: Sequence[tuple[int, str]], sep: str = "  ") -> tuple[str, list[tuple[int, int]]]:
    """Build a line-aligned text: each ``(line, text)`` item starts on its 1-based ``line``.

    Items must come in source order. Items that share a line are joined by
    ``sep``; an item whose line was already passed (an earlier item ran over
    more lines than in the source) starts on the next free line. Returns the
    text and each item's ``(start, end)`` span in it, in item order.
    """
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    pos, cur = 0, 1
    for n, (line, text) in enumerate(items):
        if line > cur:
            gap = "\n" * (line - cur)
            cur = line
        elif n == 0:
            gap = ""
        elif line == cur:
            gap = sep
        else:
            gap = "\n"
            cur += 1
        parts.append(gap)
        pos += len(gap)
        parts.append(text)
        spans.append((pos, pos + len(text)))
        pos += len(text)
        cur += text.count("\n")
    return "".join(parts), spans
