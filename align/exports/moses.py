"""Moses-style parallel text: two line-aligned plain-text files, one sentence a line.

Line ``n`` of the source file translates line ``n`` of the target file. Line
breaks and tabs inside a sentence become spaces (counted), and characters XML
1.0 forbids are removed (counted) so the text matches the TMX export.
"""

from __future__ import annotations

from typing import Iterable, TextIO

from .stats import ExportStats
from .units import TranslationUnit


def write_moses(units: Iterable[TranslationUnit], src_fh: TextIO, tgt_fh: TextIO) -> ExportStats:
    """Write each unit's source text as a line of ``src_fh`` and its target text to ``tgt_fh``.

    Both files are text streams the caller opened (UTF-8, ``newline="\\n"``
    recommended). Streams: memory does not grow with the number of units.
    """
    stats = ExportStats()
    for unit in units:
        src, tgt = stats.clean(unit.src_text, unit.tgt_text, flatten=True)
        src_fh.write(src + "\n")
        tgt_fh.write(tgt + "\n")
        stats.units_written += 1
    return stats
