"""Shared helpers of the XML readers (TMX, XLIFF): safe parsing and inline-aware text."""

from __future__ import annotations

import re

from ..errors import InputError

#: Inline elements that hold native code (tags of the original format), not text.
NATIVE_CODE = frozenset({"bpt", "ept", "ph", "it", "sc", "ec"})
_SPACE = re.compile(r"\s+")


def local(tag: object) -> str:
    """The local name of an element tag (``{ns}seg`` → ``seg``); ``""`` for comments and PIs."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def parse_xml(data: bytes, path: str):
    """Parse XML bytes safely (no external entities, no network); InputError with the line if malformed."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    try:
        return etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno and exc.lineno > 0 else None
        raise InputError(path, f"not well-formed XML ({exc.msg})", "Fix the file or export it again.",
                         line=line) from exc


def inline_text(el) -> str:
    """The translatable text of a segment element: text and inline elements, without native code.

    Whitespace runs are collapsed to one space and the ends stripped.
    """
    return _SPACE.sub(" ", _raw_text(el)).strip()


def _raw_text(el) -> str:
    parts: list[str] = [el.text or ""]
    for child in el:
        if local(child.tag) not in NATIVE_CODE:
            parts.append(_raw_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def xml_lang(el) -> str | None:
    """The ``xml:lang`` (or TMX 1.1 ``lang``) attribute of an element, normalised (``en_US`` → ``en-US``)."""
    value = el.get("{http://www.w3.org/XML/1998/namespace}lang") or el.get("lang")
    return value.strip().replace("_", "-") if value and value.strip() else None


def xml_encoding(root) -> str:
    """The encoding an XML document declared (UTF-8 when it declared none)."""
    return (root.getroottree().docinfo.encoding or "utf-8").lower()
