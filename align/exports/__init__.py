"""Everything a run exports for people and tools to load.

* :mod:`.findings`: ``findings.csv`` and ``findings.json`` (with a JSON Schema);
* :mod:`.units`: translation units from aligned documents, and the filters MT
  trainers expect (:func:`select_units`);
* :mod:`.tmx`, :mod:`.moses`, :mod:`.tsv`: streaming writers of those units.

Writers take open file objects; the caller opens them (atomically, through a
Luigi target or a temporary file that is renamed) and closes them.
"""

from .findings import document_texts, findings_schema, write_findings_csv, write_findings_json
from .moses import write_moses
from .stats import ExportStats
from .tmx import TmxHeader, write_tmx
from .tsv import write_tsv
from .units import SelectionStats, TranslationUnit, bead_units, join_segments, select_units

__all__ = [
    "ExportStats",
    "SelectionStats",
    "TmxHeader",
    "TranslationUnit",
    "bead_units",
    "document_texts",
    "findings_schema",
    "join_segments",
    "select_units",
    "write_findings_csv",
    "write_findings_json",
    "write_moses",
    "write_tmx",
    "write_tsv",
]
