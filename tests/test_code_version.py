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


def test_the_code_version_names_the_outputs_from_alignment_on_but_not_the_embeddings(tmp_path, monkeypatch):
    """Two code versions, one input: the alignment, the findings and the run report get new names (the
    next run redoes them), the ingested text, its sentences and their vectors in the shared cache keep
    theirs (no document is embedded again)."""
    import json

    import luigi

    from align.discover import InputSpec
    from align.settings import Settings, settings_to_dict
    from pipelines import corpus_tasks, tasks

    seed = Path(__file__).resolve().parent.parent / "seeds" / "000_17f6063197ae1b9a.txt"
    units = (tasks.spec_dict(InputSpec(seed.stem, (str(seed),), (None,)), "content-hash"),)
    common = {"out_dir": str(tmp_path / "out"), "cache_dir": str(tmp_path / "cache"),
              "settings_json": json.dumps(settings_to_dict(Settings()), sort_keys=True)}

    def names(version: str) -> dict[str, str]:
        luigi.Task.clear_instance_cache()  # Luigi keeps one object per parameters, and keys are memoised on it
        monkeypatch.setattr(tasks, "code_version", lambda: version)
        monkeypatch.setattr(corpus_tasks, "code_version", lambda: version)
        doc = {"doc_id": seed.stem, "units": units, **common}
        return {
            "ingest": tasks.IngestUnit(spec=units[0], **common).output().path,
            "segment": tasks.SegmentUnit(spec=units[0], **common).output().path,
            "embed": tasks.EmbedUnit(spec=units[0], **common).output().path,
            "corpus_index": corpus_tasks.UpdateCorpusIndex(units=units, **common).output().path,
            "align": tasks.AlignDoc(**doc).output().path,
            "check": tasks.CheckDoc(**doc).output().path,
        }

    old, new = names("0.1.0+aaaaaaaaaaaa"), names("0.1.0+bbbbbbbbbbbb")
    assert {k for k in old if old[k] != new[k]} == {"align", "check"}
