"""Tests of the alignment metrics (align.evaluate), the eval-set reader and `bitextqa eval`."""

from __future__ import annotations

import json

import pytest

from align.errors import InputError
from align.eval_reader import read_eval_set
from align.evaluate import (
    GoldFormatError, format_bead, parse_gold, parse_gold_line, score, score_many, unaligned_scores,
)


@pytest.mark.parametrize(
    "line, bead",
    [
        ("[0]:[0]", ((0,), (0,))),
        ("[0, 1]:[2]", ((0, 1), (2,))),
        ("[]:[3]", ((), (3,))),
        ("[4]:[]", ((4,), ())),
        ("  [5,6] : [7, 8, 9] ", ((5, 6), (7, 8, 9))),
    ],
    ids=["1-1", "2-1", "insertion", "deletion", "spaces"],
)
def test_parse_gold_line(line, bead):
    assert parse_gold_line(line) == bead
    assert parse_gold_line(format_bead(bead)) == bead


@pytest.mark.parametrize(
    "line",
    ["[0]", "0:1", "[a]:[1]", "[]:[]", "[0]:[1]:[2]", "(0):(1)"],
    ids=["no-colon", "no-brackets", "not-a-number", "both-empty", "two-colons", "parentheses"],
)
def test_parse_gold_line_rejects(line):
    with pytest.raises(GoldFormatError) as err:
        parse_gold(["[0]:[0]", line])
    assert err.value.line == 2


GOLD = [((0,), (0,)), ((1, 2), (1,)), ((3,), ()), ((4,), (2,))]


@pytest.mark.parametrize(
    "test, strict_p, strict_r, lax_p, lax_r",
    [
        (GOLD, 1.0, 1.0, 1.0, 1.0),
        # 2-1 split into 1-1 + 1-0: strict misses it; lax counts the 1-1 (overlap) but not the 1-0
        ([((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), ()), ((4,), (2,))], 3 / 5, 2 / 3, 4 / 5, 1.0),
        # deletion glued to a neighbour: the 2-1 is lax-right, strict-wrong
        ([((0,), (0,)), ((1, 2), (1,)), ((3, 4), (2,))], 2 / 3, 2 / 3, 1.0, 1.0),
        # everything shifted by one target: nothing strict, little lax
        ([((0,), ()), ((1, 2), (0,)), ((3,), (1,)), ((4,), (2,))], 1 / 4, 1 / 3, 1 / 4, 1 / 3),
    ],
    ids=["identical", "split-2-1", "glued-deletion", "shifted"],
)
def test_strict_and_lax(test, strict_p, strict_r, lax_p, lax_r):
    s = score(test, GOLD)
    assert s.strict_p == pytest.approx(strict_p)
    assert s.strict_r == pytest.approx(strict_r)
    assert s.lax_p == pytest.approx(lax_p)
    assert s.lax_r == pytest.approx(lax_r)
    assert 0.0 <= s.strict_f1 <= s.lax_f1 <= 1.0


def test_score_many_pools_counts():
    """Pooled figures weight documents by their bead counts, not equally."""
    small_wrong = ([((0,), (1,))], [((0,), (0,))])
    big_right = (GOLD, GOLD)
    pooled = score_many([small_wrong, big_right])
    assert pooled.strict_p == pytest.approx(4 / 5)
    assert pooled.counts.test == 5


def test_unaligned_scores():
    test = [((0,), ()), ((1,), (0,)), ((), (1,))]
    gold = [((0,), ()), ((1,), (0, 1))]
    u = unaligned_scores(test, gold)
    assert (u["p"], u["r"], u["n_test"], u["n_gold"]) == (0.5, 1.0, 2, 1)


def write_set(root, docs):
    """Write an eval set: {name: (src lines, tgt lines, gold lines)} under root/{src,tgt,gold}."""
    for sub in ("src", "tgt", "gold"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    for name, (src, tgt, gold) in docs.items():
        (root / "src" / name).write_text("".join(s + "\n" for s in src), encoding="utf-8")
        (root / "tgt" / name).write_text("".join(s + "\n" for s in tgt), encoding="utf-8")
        (root / "gold" / name).write_text("".join(g + "\n" for g in gold), encoding="utf-8")
    return str(root / "src"), str(root / "tgt"), str(root / "gold")


def test_reader_reads_and_notes_duplicates(tmp_path):
    dirs = write_set(tmp_path, {"d1": (["a", "b"], ["A", "B"], ["[0]:[0]", "[1, 0]:[1]"])})
    (doc,) = read_eval_set(*dirs)
    assert doc.gold == (((0,), (0,)), ((1, 0), (1,)))
    assert len(doc.notes) == 1 and "d1:2" in doc.notes[0]


@pytest.mark.parametrize(
    "gold, line, what",
    [
        (["[0]:[0]", "[5]:[1]"], 2, "out of range"),
        (["[0]:[0]", "[1]-[1]"], 2, "expected a bead"),
    ],
    ids=["index-out-of-range", "malformed"],
)
def test_reader_errors_name_file_and_line(tmp_path, gold, line, what):
    dirs = write_set(tmp_path, {"d1": (["a", "b"], ["A", "B"], gold)})
    with pytest.raises(InputError) as err:
        read_eval_set(*dirs)
    assert err.value.line == line
    assert what in str(err.value) and "d1" in err.value.path


def test_reader_missing_counterpart(tmp_path):
    src, tgt, gold = write_set(tmp_path, {"d1": (["a"], ["A"], ["[0]:[0]"])})
    (tmp_path / "tgt" / "d1").unlink()
    with pytest.raises(InputError, match="missing"):
        read_eval_set(src, tgt, gold)


def test_eval_command_missing_gold_dir_exits_nonzero(tmp_path, capsys):
    from pipelines.cli import main

    code = main(["eval", "--src", str(tmp_path), "--tgt", str(tmp_path), "--gold", str(tmp_path / "nope")])
    assert code != 0
    assert "nope" in capsys.readouterr().err


@pytest.mark.slow
def test_eval_command_end_to_end(tmp_path, capsys):
    """`bitextqa eval` with the real encoder on a tiny zh→en set with one untranslated sentence."""
    from pipelines.cli import main

    src = ["今天天气很好。", "我们去公园散步。", "这句话没有翻译。", "晚上我们一起吃饭。"]
    tgt = ["The weather is nice today.", "We go for a walk in the park.", "In the evening we have dinner together."]
    gold = ["[0]:[0]", "[1]:[1]", "[2]:[]", "[3]:[2]"]
    dirs = write_set(tmp_path / "set", {"doc": (src, tgt, gold)})
    out = tmp_path / "figures.json"
    code = main(["eval", "--src", dirs[0], "--tgt", dirs[1], "--gold", dirs[2], "--json", str(out)])
    assert code == 0
    printed = capsys.readouterr().out
    assert "ALL (pooled)" in printed and "doc" in printed
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data["documents"]) == {"doc"}
    assert data["signature"]["encoder"] == "usem3"
    assert data["overall"]["strict_f1"] == pytest.approx(1.0)
    assert data["overall"]["unaligned"]["r"] == 1.0
