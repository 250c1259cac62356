"""SubRip ``.srt`` reader (hand-written: the format is a few lines of rules and no
maintained parser keeps line numbers).

A cue is: an optional number line, a timing line ``00:00:01,000 --> 00:00:04,000``,
then text lines, then a blank line. Styling tags (``<i>``, ``{\\an8}``) are removed;
each text line stays on its source line. A cue whose lines are all in one
language is one paragraph; a bilingual cue (one line per language) gives one
paragraph per line, so such files are detected as interleaved.
"""

from __future__ import annotations

import re

from ..errors import InputError
from . import TextLayout, place_on_lines

_TIMING = re.compile(r"^\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}\s*-->\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}")
_TAGS = re.compile(r"</?[a-zA-Z][^>]*>|\{\\[^}]*\}")


def read_srt(data: bytes, path: str) -> TextLayout:
    """Extract the text of an ``.srt`` file's cues (see the module docstring).

    Raises InputError naming the line of a cue without a timing line.
    """
    from ..ingest import decode_bytes
    from ..langid import detect_language

    text, encoding = decode_bytes(data, path)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cues: list[list[tuple[int, str]]] = []
    i = 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        start = i
        if lines[i].strip().isdigit():
            i += 1
        if i >= len(lines) or not _TIMING.match(lines[i]):
            raise InputError(path, f"expected a timing line like '00:00:01,000 --> 00:00:04,000', found "
                                   f"{lines[i][:60]!r}" if i < len(lines) else "cue ends without a timing line",
                             "Fix the cue or convert the file with a subtitle editor.", line=min(i, len(lines) - 1) + 1)
        i += 1
        cue: list[tuple[int, str]] = []
        while i < len(lines) and lines[i].strip():
            clean = _TAGS.sub("", lines[i]).strip()
            if clean:
                cue.append((i + 1, clean))
            i += 1
        if cue:
            cues.append(cue)
        elif i == start:  # pragma: no cover - defensive, loop always advances
            i += 1
    items = [it for cue in cues for it in cue]
    out, spans = place_on_lines(items)
    paragraphs: list[tuple[int, int]] = []
    k = 0
    for cue in cues:
        cue_spans = spans[k : k + len(cue)]
        k += len(cue)
        langs = {detect_language(t) for _, t in cue} - {None}
        if len(langs) > 1:
            paragraphs.extend(cue_spans)
        else:
            paragraphs.append((cue_spans[0][0], cue_spans[-1][1]))
    return TextLayout(out, encoding, tuple(paragraphs))
