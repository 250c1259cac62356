"""Word ``.docx`` reader (python-docx): body paragraphs and table cells, in document order.

Line *n* of the extracted text is the *n*-th paragraph of the body (empty
paragraphs counted, table cell paragraphs included where the table stands),
so ``Segment.line`` tells the reviewer which paragraph to look at.
"""

from __future__ import annotations

import io
import zipfile
from typing import Iterator

from ..errors import InputError
from . import TextLayout


def _paragraph_texts(container) -> Iterator[str]:
    """Texts of the paragraphs of a body or cell, descending into tables (merged cells once)."""
    from docx.table import Table

    for block in container.iter_inner_content():
        if isinstance(block, Table):
            seen: set[int] = set()
            for row in block.rows:
                for cell in row.cells:
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    yield from _paragraph_texts(cell)
        else:
            yield _paragraph_text(block)


def _paragraph_text(paragraph) -> str:
    """All text of a paragraph as if tracked changes were accepted.

    python-docx's ``Paragraph.text`` skips runs inside ``<w:ins>`` (tracked
    insertions) and text boxes; this reads every ``<w:t>`` in document order
    (deleted text is ``<w:delText>``, so it stays out), tabs and breaks as spaces.
    """
    from docx.oxml.ns import qn

    t, tab, br, cr = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
    parts: list[str] = []
    for el in paragraph._p.iter(t, tab, br, cr):
        parts.append((el.text or "") if el.tag == t else " ")
    return "".join(parts)


def read_docx(data: bytes, path: str) -> TextLayout:
    """Extract a ``.docx`` file's paragraphs; one paragraph per line (see the module docstring).

    Line breaks and tabs inside a paragraph become spaces so that line numbers
    stay paragraph numbers. Raises InputError when the bytes are not a Word
    document. Tracked changes are read as if accepted (noted). Headers and
    footers are not read (noted when they hold text); nor are footnotes.
    """
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(path, f"not a readable .docx file ({exc.__class__.__name__}: {exc})",
                         "Open it in Word or LibreOffice and save it again as .docx.") from exc
    texts = [t.replace("\n", " ").replace("\t", " ").replace("\r", " ") for t in _paragraph_texts(document)]
    text = "\n".join(texts)
    paragraphs: list[tuple[int, int]] = []
    pos = 0
    for t in texts:
        stripped = t.strip()
        if stripped:
            a = pos + len(t) - len(t.lstrip())
            paragraphs.append((a, a + len(stripped)))
        pos += len(t) + 1
    notes: list[str] = []
    body = document.element.body
    if body.xpath(".//w:ins | .//w:del"):
        notes.append(f"{path}: tracked changes present; read as if all were accepted")
    extra = 0
    for section in document.sections:
        for part in (section.header, section.footer):
            if not part.is_linked_to_previous:
                extra += sum(1 for p in part.paragraphs if p.text.strip())
    if extra:
        notes.append(f"{path}: {extra} header/footer paragraph(s) are not checked")
    return TextLayout(text, "docx", tuple(paragraphs), tuple(notes))
