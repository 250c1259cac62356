"""Text cleaning that the export formats need, and nothing more.

Two jobs, both counted so the export summary can say what was changed:

* :func:`strip_xml_forbidden` removes the characters XML 1.0 does not allow in
  a document at all (C0 controls other than tab, line feed and carriage
  return; lone surrogates; U+FFFE and U+FFFF). lxml refuses to write them, and
  a TMX reader would reject the file. Everything else is kept as is.
* :func:`flatten_line_breaks` replaces the characters that end a line (or a
  TSV field) in line-based formats (Moses, TSV) by one space each.

Written by hand: it is one regular expression each, taken from the XML 1.0
``Char`` production (https://www.w3.org/TR/xml/#charsets).
"""

from __future__ import annotations

import re

# XML 1.0 (5th ed.) Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
# This class matches everything OUTSIDE that production.
_XML_FORBIDDEN = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

# Characters that Python's str.splitlines(), Moses tools and TSV readers treat
# as a line or field break: tab, LF, VT, FF, CR, FS, GS, RS, NEL, LS, PS.
_LINE_BREAKS = re.compile("[\t\n\x0b\x0c\r\x1c\x1d\x1e\x85\u2028\u2029]")


def strip_xml_forbidden(text: str) -> tuple[str, int]:
    """Remove characters XML 1.0 forbids; return ``(clean_text, number_removed)``.

    Counts are in code points. Tab, LF and CR are allowed and kept.

    >>> strip_xml_forbidden("a\\x00b\\x1bc\\ufffe")
    ('abc', 3)
    >>> strip_xml_forbidden("大模型 & <b>\\U00020000")
    ('大模型 & <b>\\U00020000', 0)
    """
    clean, n = _XML_FORBIDDEN.subn("", text)
    return clean, n


def flatten_line_breaks(text: str) -> tuple[str, int]:
    """Replace each line/field break character by one space; return ``(text, number_replaced)``.

    Needed for line-aligned formats, where a line break inside a sentence
    would shift every following pair.

    >>> flatten_line_breaks("one\\ntwo\\tthree\\u2028four")
    ('one two three four', 3)
    """
    clean, n = _LINE_BREAKS.subn(" ", text)
    return clean, n
