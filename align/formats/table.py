"""Two-column ``.csv`` / ``.tsv`` reader (standard library ``csv``): source and target per row.

The first row is a header, and skipped, when it names the columns: two
language codes (``zh,en``: these declare the columns' languages) or words such
as ``source,target``. Every cell starts on its row's line in the
line-aligned text of its column. Rows with one cell empty are kept (the other
side then has nothing to align with, and the report says so).
"""

from __future__ import annotations

import csv
import io
import re

from ..errors import InputError
from . import PairLayout, PairSide, place_on_lines

_LANG_CODE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,4})?$")
_HEADER_WORDS = frozenset("source target src tgt original translation text source_text target_text".split())


def _read(data: bytes, path: str, delimiter: str) -> PairLayout:
    from ..ingest import decode_bytes

    text, encoding = decode_bytes(data, path)
    rows: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    prev_end = 0
    try:
        for row in reader:
            start_line = prev_end + 1
            prev_end = reader.line_num
            cells = [c for c in row]
            while cells and not cells[-1].strip():
                cells.pop()
            if not cells:
                continue
            if len(cells) != 2:
                raise InputError(path, f"expected two columns (source and target), found {len(cells)}",
                                 f"Give one source and one target cell per row, separated by {delimiter!r}.",
                                 line=start_line)
            rows.append((start_line, cells))
    except csv.Error as exc:
        raise InputError(path, f"cannot parse the table ({exc})", "Check its quoting.", line=reader.line_num) from exc
    if not rows:
        raise InputError(path, "table has no rows with text", "Give one source and one target cell per row.")
    langs: list[str | None] = [None, None]
    notes: list[str] = []
    first = [c.strip() for c in rows[0][1]]
    if all(_LANG_CODE.match(c) for c in first) and first[0] != first[1]:
        langs = [c.replace("_", "-") for c in first]
        rows = rows[1:]
    elif all(c.lower() in _HEADER_WORDS for c in first):
        rows = rows[1:]
        notes.append(f"{path}:1: header row skipped")
    sides = []
    for col in (0, 1):
        items = [(line, cells[col].strip()) for line, cells in rows if cells[col].strip()]
        out, spans = place_on_lines(items)
        sides.append(PairSide(out, tuple(spans), langs[col]))
    return PairLayout(sides[0], sides[1], encoding, tuple(notes))


def read_csv(data: bytes, path: str) -> PairLayout:
    """Read a comma-separated two-column table (see the module docstring)."""
    return _read(data, path, ",")


def read_tsv(data: bytes, path: str) -> PairLayout:
    """Read a tab-separated two-column table (see the module docstring)."""
    return _read(data, path, "\t")
