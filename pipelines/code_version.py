"""The version that names the pipeline's outputs: the release number and a hash of the code.

Every stage's output is named by a hash of its inputs and settings (``pipelines.tasks.stage_key``).
The release number alone would leave an output folder's findings "up to date" after an upgrade
that changes how they are computed without changing a setting. The stages from alignment on
(align, check, publish, corpus checks, run report) are named with :func:`code_version`, so any
change to the sources of the library or the pipeline redoes them on the next run. Ingestion,
segmentation and embedding keep the release number: their names also name the vectors in the
shared embedding cache, and re-embedding every document after each upgrade is the one step that
is expensive; a change to how text is read or cut into sentences needs a new release number.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import align
import pipelines


def source_fingerprint(roots: Iterable[Path]) -> str:
    """A short hash of every file under ``roots`` (its path relative to its root, and its bytes),
    in a fixed order; compiled files (``__pycache__``, ``*.pyc``) are left out."""
    digest = hashlib.sha256()
    for root in roots:
        files = sorted(p for p in Path(root).rglob("*")
                       if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc")
        for path in files:
            digest.update(f"{root.name}/{path.relative_to(root).as_posix()}\0".encode("utf-8"))
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()[:12]


@lru_cache(maxsize=1)
def code_version() -> str:
    """``align.__version__`` and the fingerprint of the installed ``align`` and ``pipelines`` packages,
    e.g. ``0.1.0+3f2a9c1d0b7e``."""
    roots = [Path(align.__file__).parent, Path(pipelines.__file__).parent]
    return f"{align.__version__}+{source_fingerprint(roots)}"
