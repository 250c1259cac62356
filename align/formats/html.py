"""HTML reader (lxml): the text of block elements, each placed on its source line.

Whitespace is collapsed as a browser would (except inside ``<pre>``);
``<script>``, ``<style>``, ``<template>`` and comments are not text. Inline
elements (``<b>``, ``<a>``, ``<span>`` ...) stay inside their paragraph.
"""

from __future__ import annotations

import re

from ..errors import InputError
from . import TextLayout, place_on_lines

_BLOCKS = frozenset(
    "address article aside blockquote body caption center dd details dialog div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li main nav ol p pre section summary table "
    "tbody td tfoot th thead title tr ul legend option".split()
)
_SKIP = frozenset("script style template noscript svg math head iframe object".split())
_SPACE = re.compile(r"\s+")


def _collect(el, items: list[tuple[int, str]], buf: list[str], line: list[int], pre: bool) -> None:
    """Walk ``el``: append finished ``(line, text)`` blocks to ``items``; ``buf``/``line`` hold the open one."""

    def flush() -> None:
        raw = "".join(buf)
        text = raw.strip() if pre else _SPACE.sub(" ", raw).strip()
        if text:
            items.append((line[0], text))
        buf.clear()

    tag = el.tag if isinstance(el.tag, str) else None
    name = tag.lower().rsplit("}", 1)[-1] if tag else None
    if name == "head":  # only the title of the head is text
        for title in el.iter("title"):
            items.append((title.sourceline or 1, _SPACE.sub(" ", title.text_content()).strip()))
        return
    if name is None or name in _SKIP:
        return
    if name == "br":  # a line break inside a paragraph: whitespace, not a paragraph end
        buf.append("\n" if pre else " ")
        return
    is_block = name in _BLOCKS
    pre = pre or name == "pre"
    if is_block:
        flush()
        line[0] = el.sourceline or line[0]
    if el.text:
        if not buf:
            line[0] = el.sourceline or line[0]
        buf.append(el.text)
    for child in el:
        _collect(child, items, buf, line, pre)
        if child.tail:
            if not buf and child.sourceline:
                line[0] = child.sourceline
            buf.append(child.tail)
    if is_block:
        flush()


def read_html(data: bytes, path: str) -> TextLayout:
    """Extract an HTML file's paragraphs (see the module docstring); InputError if it has no text."""
    from lxml import etree
    from lxml import html as lxml_html

    from ..ingest import decode_bytes

    text, encoding = decode_bytes(data, path)
    parser = lxml_html.HTMLParser(encoding="utf-8")
    try:
        root = lxml_html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(path, f"cannot parse as HTML ({exc})", "Check that the file is an HTML page.") from exc
    # the HTML parser recovers from almost anything, but after a fatal error it
    # stops reading: the rest of the page would be lost without a word
    fatal = [e for e in parser.error_log if e.level_name == "FATAL"]
    if fatal:
        raise InputError(path, f"the HTML parser gave up ({fatal[0].message})",
                         "Simplify or repair the page (e.g. save it again from a browser).", line=fatal[0].line)
    items: list[tuple[int, str]] = []
    buf: list[str] = []
    _collect(root, items, buf, [1], False)
    items = [it for it in items if it[1]]
    items.sort(key=lambda it: it[0])
    out, spans = place_on_lines(items)
    return TextLayout(out, encoding, tuple(spans))
