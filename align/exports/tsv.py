"""Tab-separated parallel text, one pair a line, as MT toolkits (OPUS, Marian, fairseq) read it.

Columns: ``source``, ``target`` and, with ``metadata=True``, ``score``,
``doc_id``, ``position``. No quoting: tabs and line breaks inside a sentence
become spaces (counted), and characters XML 1.0 forbids are removed (counted)
so the text matches the TMX export.
"""

from __future__ import annotations

from typing import Iterable, TextIO

from .cleaning import flatten_line_breaks, strip_xml_forbidden
from .stats import ExportStats
from .units import TranslationUnit

TSV_COLUMNS = ("source", "target")
TSV_METADATA_COLUMNS = ("score", "doc_id", "position")


def write_tsv(
    units: Iterable[TranslationUnit], fh: TextIO, *, metadata: bool = False, header: bool = False
) -> ExportStats:
    """Write one ``source<TAB>target[<TAB>score<TAB>doc_id<TAB>position]`` line per unit.

    ``header`` writes the column names as a first line. ``fh`` is a text
    stream the caller opened (UTF-8, ``newline="\\n"`` recommended). Streams.
    """
    stats = ExportStats()
    if header:
        fh.write("\t".join(TSV_COLUMNS + (TSV_METADATA_COLUMNS if metadata else ())) + "\n")
    for unit in units:
        fields = stats.clean(unit.src_text, unit.tgt_text, flatten=True)
        if metadata:
            doc_id = flatten_line_breaks(strip_xml_forbidden(unit.doc_id)[0])[0]
            fields += [f"{unit.score:.4f}", doc_id, str(unit.position)]
        fh.write("\t".join(fields) + "\n")
        stats.units_written += 1
    return stats
