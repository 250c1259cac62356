"""Atomic writes through Luigi targets: a half-written file never looks finished.

Every output goes through Luigi's ``atomic_file`` (what ``LocalTarget.open("w")``
uses): the data is written to a temporary file beside the target and moved into
place with ``os.replace`` (which atomically replaces an older version) only when
the ``with`` block exits without an exception; the temporary file is removed otherwise.
"""

from __future__ import annotations

import io
import json
import os
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING, Any, Callable, Iterator, TextIO

import luigi
from luigi.local_target import atomic_file


if TYPE_CHECKING:  # numpy is imported where arrays are made: a no-op rerun never needs it
    import numpy as np


@contextmanager
def atomic_open(target: luigi.LocalTarget, binary: bool = False) -> Iterator[Any]:
    """Open Luigi's atomic file for ``target``; publish it on success, delete it on an exception.

    (Luigi's own ``LocalTarget.open("w")`` leaves the temporary file to the
    garbage collector when the block fails; we remove it at once.)
    """
    ensure_parent(target.path)
    raw = atomic_file(target.path)
    fh = raw if binary else io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
    try:
        yield fh
        fh.close()  # closing flushes and moves the temporary file into place (os.replace)
    except BaseException as exc:
        with suppress(OSError):
            os.remove(raw.tmp_path)
        if isinstance(exc, OSError) and exc.filename is None:  # ENOSPC/EFBIG from write() name no file
            raise OSError(exc.errno, exc.strerror or str(exc), target.path) from exc
        raise


def write_text(target: luigi.LocalTarget, write: Callable[[TextIO], Any]) -> None:
    """Call ``write(fh)`` on a UTF-8 text file that becomes ``target`` only if it returns normally."""
    with atomic_open(target) as fh:
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
    import numpy as np

    with atomic_open(target, binary=True) as fh:
        np.savez(fh, **arrays)


def read_arrays(target: luigi.LocalTarget) -> dict[str, np.ndarray]:
    """Read the arrays of an ``.npz`` target into memory."""
    import numpy as np

    with np.load(target.path, allow_pickle=False) as data:
        return {k: data[k] for k in data.files}


def ensure_parent(path: str) -> None:
    """Create the folder that will hold ``path``."""
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
