"""Bad input: each case gets a clear InputError naming the file, and the rest of the batch goes on (issue 4)."""

from __future__ import annotations

from pathlib import Path

import pytest

from align.discover import InputSpec, discover_inputs
from align.errors import InputError
from align.ingest import read_input
from align.segment import segment_document


def _write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


BAD_FILES = [
    # label, file name, content, (src, tgt), message fragment, the file the error must name
    ("empty", "empty.txt", b"", ("zh", "en"), "file is empty", "empty.txt"),
    ("whitespace only", "blank.txt", " \n\t\u3000\n\r\n", ("zh", "en"), "only whitespace", "blank.txt"),
    ("binary", "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), ("zh", "en"),
     "binary file", "image.txt"),
    ("invalid utf-8", "broken.txt", "我们来了。你好吗？".encode("utf-8") + b"\xff\xfe" + "结束了。".encode("utf-8"),
     ("zh", "en"), "invalid utf-8", "broken.txt"),
    ("mojibake guess names the encoding", "mojibake.txt", "好的。".encode("utf-8") + b"\xff\xfe\xfd" * 3,
     ("zh", "en"), "(decoded as", "mojibake.txt"),
    ("no letters", "numbers.txt", "2023 2024\n15.7% 33.6%\n", ("zh", "en"), "no letters", "numbers.txt"),
    ("language of neither side", "russian.txt", "Это текст на русском языке. Он не китайский.\n", ("zh", "en"),
     "text is in Russian (ru), but the run is zh→en", "russian.txt"),
    ("chinese file in a de/fr run", "zh.txt", "这是中文。\n", ("de", "fr"), "text is in Chinese (zh)", "zh.txt"),
    ("latin-script third language", "french.txt",
     "La promiscuité ou l'inconfort des camps de base favorisent généralement un passage relativement rapide à la "
     "station debout et, malgré des gestes encore imprécis, une volonté de mouvement excitée par l'imminence de "
     "l'action. De plus, vous n'êtes pas seul à subir les désagréments de la situation.\n",
     ("zh", "en"), "text is in French (fr), but the run is zh→en", "french.txt"),
    ("unsupported format", "slides.pptx", b"PK\x03\x04", ("zh", "en"), "unsupported file format '.pptx'", "slides.pptx"),
]


@pytest.mark.parametrize("label,name,content,langs,what,culprit", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_file_is_refused_by_name_and_batch_goes_on(
    tmp_path: Path, label: str, name: str, content: bytes | str, langs: tuple[str, str], what: str, culprit: str
) -> None:
    bad = _write(tmp_path, name, content)
    _write(tmp_path, "good.txt", "We came.\n我们来了。\nWe left.\n我们走了。\n" if langs == ("zh", "en")
           else "Wir kamen.\nNous sommes venus.\n")
    results: dict[str, object] = {}
    for spec in discover_inputs([str(tmp_path)]):
        try:
            results[spec.doc_id] = read_input(spec, *langs)
        except InputError as exc:
            results[spec.doc_id] = exc
    err = results[bad.stem]
    assert isinstance(err, InputError), err
    assert err.path == str(bad) and err.path.endswith(culprit)
    assert what in str(err)
    assert str(bad) in str(err)  # the message itself names the file
    assert err.hint  # and says what to do next
    assert not isinstance(results["good"], InputError)


def test_pair_in_the_same_language(tmp_path: Path) -> None:
    _write(tmp_path, "a.txt", "我们来了。\n")
    _write(tmp_path, "b.txt", "我们走了。\n")
    _write(tmp_path, "pairs.csv", "source,target\na.txt,b.txt\n")
    (spec,) = discover_inputs([str(tmp_path)])
    with pytest.raises(InputError, match="both sides are in Chinese") as info:
        read_input(spec, "zh", "en")
    assert str(tmp_path / "a.txt") in str(info.value) and str(tmp_path / "b.txt") in str(info.value)


def test_wrong_language_declared_by_name(tmp_path: Path) -> None:
    _write(tmp_path, "talk.zh.txt", "This is English, not Chinese.\n")
    _write(tmp_path, "talk.en.txt", "This is English too.\n")
    (spec,) = discover_inputs([str(tmp_path)])
    with pytest.raises(InputError, match="declared as zh but its text looks like en") as info:
        read_input(spec, "zh", "en")
    assert info.value.path == str(tmp_path / "talk.zh.txt")


def test_wrong_language_declared_for_a_single_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "notes.zh.txt", "Only English here.\n")
    with pytest.raises(InputError, match="declared as zh by its name") as info:
        read_input(discover_inputs([str(path)])[0], "zh", "en")
    assert info.value.path == str(path)


def test_pair_languages_not_the_runs(tmp_path: Path) -> None:
    _write(tmp_path, "x.de.txt", "Wir kamen.\n")
    _write(tmp_path, "x.fr.txt", "Nous sommes venus.\n")
    (spec,) = discover_inputs([str(tmp_path)])
    with pytest.raises(InputError, match="are not the run's zh and en"):
        read_input(spec, "zh", "en")


@pytest.mark.slow
def test_five_megabyte_line_without_punctuation(tmp_path: Path) -> None:
    """One 5 MB line, no sentence end: one segment covering it exactly (the time is in bench/segmentation.py)."""
    line = "industrial development " * (5_000_000 // 23)
    path = _write(tmp_path, "huge.txt", line + "\n")
    unit = read_input(InputSpec("huge", (str(path),), (None,)), "zh", "en")
    (doc,) = unit.documents
    segs = segment_document(doc)
    assert len(segs) == 1
    assert segs[0].start == 0 and segs[0].end == len(line.rstrip())
    assert segs[0].line == 1


def test_pair_side_in_a_third_latin_language(tmp_path: Path) -> None:
    _write(tmp_path, "talk.zh.txt", "我们来到了城市。天气很好。\n")
    _write(tmp_path, "talk.en.txt",
           "Die Enge und Unbequemlichkeit eines solchen Basislagers fördert naturgemäss einen ziemlich schnellen "
           "Wechsel in die Senkrechte. Und das gleiche gilt für den durch das bevorstehende Unternehmen ausgelösten "
           "Bewegungsdrang, auch wenn die Gesten noch unsicher sind.\n")
    (spec,) = discover_inputs([str(tmp_path)])
    with pytest.raises(InputError, match="text is in German \\(de\\), not English as declared") as info:
        read_input(spec, "zh", "en")
    assert info.value.path == str(tmp_path / "talk.en.txt")


def test_interleaved_file_with_a_third_language_side() -> None:
    seed = next((Path(__file__).resolve().parent.parent / "seeds").glob("000_*.txt"))
    with pytest.raises(InputError, match="paragraphs taken for German are in English") as info:
        read_input(InputSpec("000", (str(seed),), (None,)), "zh", "de")
    assert info.value.path == str(seed)


def test_unpaired_surrogate_is_refused_by_name() -> None:
    from align.ingest import build_unit

    with pytest.raises(InputError, match="unpaired surrogate code point U\\+D800 at character 6") as info:
        build_unit("x", "x.txt", "ab\ncd\n\ud800 more text", "utf-8", "zh", "en")
    assert info.value.path == "x.txt" and info.value.line == 3
