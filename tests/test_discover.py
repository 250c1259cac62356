"""discover_inputs: which files make one document (issue 4)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from align.discover import InputSpec, discover_inputs, read_manifest
from align.errors import InputError
from align.ingest import read_input

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _touch(folder: Path, *names: str) -> None:
    for name in names:
        p = folder / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x\n", encoding="utf-8")


def test_seeds_folder_gives_one_spec_per_file_sorted() -> None:
    specs = discover_inputs([str(SEEDS)])
    assert [s.doc_id for s in specs] == sorted(p.stem for p in SEEDS.glob("*.txt"))
    assert all(len(s.paths) == 1 and s.langs == (None,) for s in specs)
    assert specs == discover_inputs([str(SEEDS)])  # deterministic


def test_language_suffix_pairs(tmp_path: Path) -> None:
    _touch(tmp_path, "b.zh.txt", "b.en.txt", "a.de.md", "a.fr.md", "c.zh-Hant.txt", "c.en.txt", "lone.zh.txt")
    specs = {s.doc_id: s for s in discover_inputs([str(tmp_path)])}
    assert sorted(specs) == ["a", "b", "c", "lone"]
    assert specs["b"].langs == ("en", "zh") and specs["b"].paths[0].endswith("b.en.txt")
    assert specs["a"].langs == ("de", "fr")
    assert specs["c"].langs == ("en", "zh-Hant")
    assert specs["lone"].paths[0].endswith("lone.zh.txt") and specs["lone"].langs == ("zh",)


def test_hidden_files_skipped_readme_kept(tmp_path: Path) -> None:
    _touch(tmp_path, ".DS_Store", ".git/config", "README.md", "doc.txt")
    ids = [s.doc_id for s in discover_inputs([str(tmp_path)])]
    assert ids == ["README", "doc"]


def test_colliding_ids_use_relative_paths(tmp_path: Path) -> None:
    _touch(tmp_path, "x/report.txt", "y/report.txt", "y/report.md")
    ids = [s.doc_id for s in discover_inputs([str(tmp_path)])]
    assert ids == ["x__report.txt", "y__report.md", "y__report.txt"]


def test_csv_manifest(tmp_path: Path) -> None:
    (tmp_path / "src.txt").write_text("我们来了。\n", encoding="utf-8")
    (tmp_path / "tgt.txt").write_text("We came.\n", encoding="utf-8")
    _touch(tmp_path, "other.txt")
    (tmp_path / "pairs.csv").write_text(
        "source,target,source_lang,target_lang,doc_id\nsrc.txt,tgt.txt,zh,en,speech\n", encoding="utf-8"
    )
    specs = discover_inputs([str(tmp_path)])
    assert [s.doc_id for s in specs] == ["other", "speech"]
    speech = specs[1]
    assert speech.langs == ("zh", "en") and speech.manifest and speech.manifest.endswith("pairs.csv")
    unit = read_input(speech, "zh", "en")
    assert unit.kind == "pair" and unit.by_lang("en").text == "We came.\n"


def test_toml_manifest(tmp_path: Path) -> None:
    _touch(tmp_path, "a.txt", "b.txt")
    (tmp_path / "pairs.toml").write_text('[[pair]]\nsource = "a.txt"\ntarget = "b.txt"\n', encoding="utf-8")
    (spec,) = discover_inputs([str(tmp_path)])
    assert spec.doc_id == "a" and spec.langs == (None, None)


BAD_MANIFESTS = [
    ("csv without target column", "pairs.csv", "source,lang\na.txt,zh\n", "expected columns 'source' and 'target'"),
    ("csv row without target", "pairs.csv", "source,target\na.txt,\n", "row lacks a source or target"),
    ("toml without pairs", "pairs.toml", "title = 'x'\n", "no [[pair]] tables"),
    ("toml syntax error", "pairs.toml", "[[pair]\n", "cannot read the pairs manifest"),
]


@pytest.mark.parametrize("label,name,content,what", BAD_MANIFESTS, ids=[b[0] for b in BAD_MANIFESTS])
def test_bad_manifest_fails_at_read_time(tmp_path: Path, label: str, name: str, content: str, what: str) -> None:
    (tmp_path / name).write_text(content, encoding="utf-8")
    _touch(tmp_path, "a.txt")
    specs = discover_inputs([str(tmp_path)])
    bad = [s for s in specs if s.problem]
    assert len(bad) == 1 and what in bad[0].problem
    with pytest.raises(InputError) as info:
        read_input(bad[0], "zh", "en")
    assert info.value.path.endswith(name)
    assert any(s.doc_id == "a" and not s.problem for s in specs)  # the rest of the batch goes on
    # the pipeline rebuilds specs from (doc_id, paths, langs): the error must survive that
    rebuilt = InputSpec(bad[0].doc_id, bad[0].paths, bad[0].langs)
    with pytest.raises(InputError, match=re.escape(what)):
        read_input(rebuilt, "zh", "en")


def test_manifest_pointing_to_missing_file(tmp_path: Path) -> None:
    (tmp_path / "pairs.csv").write_text("source,target\nnope.txt,gone.txt\n", encoding="utf-8")
    (spec,) = discover_inputs([str(tmp_path)])
    with pytest.raises(InputError, match="no such file") as info:
        read_input(spec, "zh", "en")
    assert info.value.path.endswith("nope.txt")


def test_missing_path_becomes_failing_spec(tmp_path: Path) -> None:
    (spec,) = discover_inputs([str(tmp_path / "absent.txt")])
    assert spec == InputSpec("absent", (str(tmp_path / "absent.txt"),), (None,), problem="no such file or folder")
    with pytest.raises(InputError, match="no such file or folder"):
        read_input(spec, "zh", "en")


def test_read_manifest_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "pairs.csv"
    path.write_text("source,target\na.txt,b.txt\nc.txt,\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_manifest(str(path))
    assert info.value.line == 3


def test_file_name_that_is_not_utf8_becomes_a_failing_spec_naming_it(tmp_path: Path) -> None:
    """os.listdir gives undecodable bytes as lone surrogates; the spec shows them as \\xNN and fails."""
    with open(bytes(tmp_path) + b"/caf\xe9.en.txt", "wb") as fh:
        fh.write(b"Hello there.\n")
    (tmp_path / "good.txt").write_text("Fine.\n", encoding="utf-8")
    specs = discover_inputs([str(tmp_path)])
    assert [s.doc_id for s in specs] == ["caf\\xe9", "good"]
    bad = specs[0]
    assert bad.paths == (str(tmp_path / "caf\\xe9.en.txt"),) and bad.problem and "UTF-8" in bad.problem
    bad.paths[0].encode("utf-8")  # every string of the spec can be written out
    with pytest.raises(InputError, match=r"caf\\xe9\.en\.txt.*not valid UTF-8"):
        read_input(bad, "zh", "en")
    assert specs[1].problem is None
