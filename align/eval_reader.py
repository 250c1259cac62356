"""Reader for pre-split evaluation sets: three folders of same-named files.

``SRC/<name>`` and ``TGT/<name>`` hold one sentence a line (the Text+Berg /
Bertalign layout); ``GOLD/<name>`` one bead a line in the format of
:mod:`align.evaluate`. This module is the only file I/O of the evaluation.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .evaluate import BeadPair, GoldFormatError, parse_gold_line


@dataclass(frozen=True)
class EvalDoc:
    """One evaluation document: its name, sentences of both sides and gold beads (0-based indices)."""

    name: str
    src: tuple[str, ...]
    tgt: tuple[str, ...]
    gold: tuple[BeadPair, ...]
    notes: tuple[str, ...] = ()  #: problems found in the gold that do not stop scoring, each naming file:line


def _read_lines(path: Path) -> list[str]:
    """Lines of a UTF-8 file without their line ends (a final empty line is dropped)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"not valid UTF-8 ({exc.reason})", "Convert the file to UTF-8.",
                         byte_offset=exc.start) from None
    except OSError as exc:
        raise InputError(str(path), f"cannot be read ({exc.strerror})", "Check the path.") from None
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [ln.rstrip("\r") for ln in lines]


def read_gold_file(path: Path, n_src: int, n_tgt: int) -> tuple[tuple[BeadPair, ...], tuple[str, ...]]:
    """Gold beads of one file and notes about it.

    Raises :class:`InputError` naming the file and 1-based line for a malformed
    line or an index out of range. An index used by two beads (a typo found in
    published gold sets, e.g. Text+Berg ``gold/002`` line 197) is kept as
    written and reported in the returned notes, since published figures were
    computed on the file as it is.
    """
    beads: list[BeadPair] = []
    notes: list[str] = []
    seen_s: set[int] = set()
    seen_t: set[int] = set()
    for k, text in enumerate(_read_lines(path), start=1):
        if not text.strip():
            continue
        try:
            bead = parse_gold_line(text, k)
        except GoldFormatError:
            raise InputError(str(path), f"expected a bead like '[0, 1]:[2]', found {text!r}",
                             "Write one bead a line; use [] for an empty side.", line=k) from None
        for idx, size, seen, side in ((bead[0], n_src, seen_s, "source"), (bead[1], n_tgt, seen_t, "target")):
            for i in idx:
                if not 0 <= i < size:
                    raise InputError(str(path), f"{side} index {i} is out of range (the {side} file has "
                                     f"{size} lines; indices are 0-based)", "Fix the gold line.", line=k)
                if i in seen:
                    notes.append(f"{path}:{k}: {side} index {i} appears in two gold beads")
                seen.add(i)
        beads.append(bead)
    return tuple(beads), tuple(notes)


def read_eval_set(src_dir: str | Path, tgt_dir: str | Path, gold_dir: str | Path) -> list[EvalDoc]:
    """All documents of an evaluation set, sorted by file name.

    Every file in ``gold_dir`` needs a same-named file in ``src_dir`` and
    ``tgt_dir``; raises :class:`InputError` naming the missing file otherwise,
    or if ``gold_dir`` holds no file.
    """
    src_dir, tgt_dir, gold_dir = Path(src_dir), Path(tgt_dir), Path(gold_dir)
    if not gold_dir.is_dir():
        raise InputError(str(gold_dir), "is not a folder", "Pass the folder holding the gold files.")
    names = sorted(p.name for p in gold_dir.iterdir() if p.is_file() and not p.name.startswith((".", "README")))
    if not names:
        raise InputError(str(gold_dir), "holds no gold file", "Pass the folder holding the gold files.")
    docs = []
    for name in names:
        sides = []
        for folder in (src_dir, tgt_dir):
            path = folder / name
            if not path.is_file():
                raise InputError(str(path), f"is missing (gold file {gold_dir / name} has no counterpart)",
                                 "Every gold file needs a same-named source and target file.")
            sides.append(tuple(_read_lines(path)))
        gold, notes = read_gold_file(gold_dir / name, len(sides[0]), len(sides[1]))
        docs.append(EvalDoc(name, sides[0], sides[1], gold, notes))
    return docs
