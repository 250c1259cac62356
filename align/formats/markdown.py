"""Markdown reader (markdown-it-py, CommonMark with tables): paragraphs, headings, list items, cells.

Inline markup is removed (``**bold**`` → ``bold``, ``[text](url)`` → ``text``);
each block starts on its source line, soft line breaks stay line breaks, so
``Segment.line`` is the line in the ``.md`` file. Code blocks and raw HTML
blocks are not prose: they are not segmented, and a note names their lines.
"""

from __future__ import annotations

import re

from . import TextLayout, place_on_lines

_LINK_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+")
_MARKERS = re.compile(r"^(?:\s*(?:>|(?:[-*+]|\d{1,9}[.)]|#{1,6})(?=\s|$)))+")


def _inline_text(token) -> str:
    parts: list[str] = []
    for child in token.children or ():
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "image":
            parts.append(child.content)
    return "".join(parts)


def read_markdown(data: bytes, path: str) -> TextLayout:
    """Extract a Markdown file's prose blocks (see the module docstring)."""
    from markdown_it import MarkdownIt

    from ..ingest import decode_bytes

    text, encoding = decode_bytes(data, path)
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    items: list[tuple[int, str]] = []
    notes: list[str] = []
    covered: set[int] = set()  # 0-based source lines some token accounts for
    for tok in tokens:
        if tok.type == "inline" and tok.map:
            covered.update(range(*tok.map))
            content = _inline_text(tok)
            if content.strip():
                items.append((tok.map[0] + 1, content))
        elif tok.type in ("fence", "code_block", "html_block") and tok.map:
            covered.update(range(*tok.map))
            kind = "raw HTML block" if tok.type == "html_block" else "code block"
            notes.append(f"{path}:{tok.map[0] + 1}: {kind} (lines {tok.map[0] + 1}-{tok.map[1]}) is not checked")
    # Safety net: markdown-it stops descending past its nesting limit and drops
    # that text; any line with letters or digits no token accounts for is read
    # as plain text (markers stripped), with a note.
    lines = text.split("\n")
    for n, line in enumerate(lines):
        if n in covered or not any(ch.isalnum() for ch in line) or _LINK_DEFINITION.match(line):
            continue
        items.append((n + 1, _MARKERS.sub("", line).strip()))
        notes.append(f"{path}:{n + 1}: Markdown too deeply nested to parse; line read as plain text")
    items.sort(key=lambda it: it[0])
    out, spans = place_on_lines(items)
    paragraphs = []
    for a, b in spans:
        seg = out[a:b]
        lead = len(seg) - len(seg.lstrip())
        trail = len(seg) - len(seg.rstrip())
        paragraphs.append((a + lead, b - trail))
    return TextLayout(out, encoding, tuple(paragraphs), tuple(notes))
