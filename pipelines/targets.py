"""Atomic writes through Luigi targets: a half-written file never looks finished.

Every output goes through ``LocalTarget.temporary_path()``: the data is
written to a temporary name in the same folder and renamed into place only when
the ``with`` block exits without an exception.
"""

from __future__ import annotations

import json
import os
from typing import Any, Callable, TextIO

import luigi
import numpy as np


def write_text(target: luigi.LocalTarget, write: Callable[[TextIO], Any], encoding: str = "utf-8") -> None:
    """Call ``write(fh)`` on a text file that becomes ``target`` only if it returns normally."""
    with target.temporary_path() as tmp:
        with open(tmp, "w", encoding=encoding, newline="\n") as fh:
            write(fh)


def write_json(target: luigi.LocalTarget, obj: Any) -> None:
    """Write ``obj`` as indented, key-sorted UTF-8 JSON to ``target`` atomically."""
    write_text(target, lambda fh: fh.write(json.dumps(obj, ensure_ascii=False, sort_keys=True, indent=1) + "\n"))


def read_json(target: luigi.LocalTarget) -> Any:
    """Read a JSON target."""
    with open(target.path, encoding="utf-8") as fh:
        return json.load(fh)


def write_arrays(target: luigi.LocalTarget, arrays: dict[str, np.ndarray]) -> None:
    """Write named numpy arrays to ``target`` (an ``.npz`` file) atomically."""
    with target.temporary_path() as tmp:
        with open(tmp, "wb") as fh:
            np.savez(fh, **arrays)


def read_arrays(target: luigi.LocalTarget) -> dict[str, np.ndarray]:
    """Read the arrays of an ``.npz`` target into memory."""
    with np.load(target.path, allow_pickle=False) as data:
        return {k: data[k] for k in data.files}


def touch(target: luigi.LocalTarget, content: str = "") -> None:
    """Create a small marker file atomically."""
    write_text(target, lambda fh: fh.write(content))


def ensure_parent(path: str) -> None:
    """Create the folder that will hold ``path``."""
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
