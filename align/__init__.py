"""bitextqa's library: segmentation, embeddings, alignment, scoring, QA checks, exports, reports.

Pure functions over the records in :mod:`align.records`; no Luigi, no argument
parsing, and no file I/O outside the reader and writer modules.
"""

__version__ = "0.1.0"
