"""The code version in the outputs' names (``pipelines/code_version.py``): it follows every change to the
library's and the pipeline's sources, so an upgrade redoes stages whose results it may change."""

from __future__ import annotations

from pathlib import Path

import align
import pipelines
from pipelines.code_version import code_version, source_fingerprint


def _tree(root: Path) -> Path:
    (root / "pkg" / "sub").mkdir(parents=True)
    (root / "pkg" / "a.py").write_text("x = 1\n", encoding="utf-8")
    (root / "pkg" / "sub" / "b.py").write_text("y = 2\n", encoding="utf-8")
    return root / "pkg"


def test_the_fingerprint_is_stable_and_ignores_compiled_files(tmp_path):
    pkg = _tree(tmp_path)
    first = source_fingerprint([pkg])
    assert source_fingerprint([pkg]) == first and len(first) == 12
    (pkg / "__pycache__").mkdir()
    (pkg / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"\x00compiled")
    (pkg / "sub" / "b.pyc").write_bytes(b"\x00")
    assert source_fingerprint([pkg]) == first


def test_the_fingerprint_follows_any_change_to_a_source(tmp_path):
    pkg = _tree(tmp_path)
    first = source_fingerprint([pkg])
    (pkg / "sub" / "b.py").write_text("y = 3\n", encoding="utf-8")
    edited = source_fingerprint([pkg])
    assert edited != first
    (pkg / "sub" / "b.py").rename(pkg / "sub" / "c.py")
    renamed = source_fingerprint([pkg])
    assert renamed not in (first, edited)
    (pkg / "data.json").write_text("{}", encoding="utf-8")  # data files count too
    assert source_fingerprint([pkg]) not in (first, edited, renamed)


def test_the_code_version_is_the_release_and_the_installed_sources_fingerprint():
    roots = [Path(align.__file__).parent, Path(pipelines.__file__).parent]
    assert code_version() == f"{align.__version__}+{source_fingerprint(roots)}"
