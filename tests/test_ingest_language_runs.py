"""language_runs (align/langid.py, added for issue 4): runs of one script with exact character spans."""

from __future__ import annotations

from pathlib import Path

import pytest

from align.langid import language_runs

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

CASES = [
    # label, text, candidates, expected [(lang, run text)]
    ("chinese then english", "中文。English words.", ("zh", "en"), [("zh", "中文。"), ("en", "English words.")]),
    ("english then chinese, space goes right", "It grew. 中小企业", ("zh", "en"), [("en", "It grew."), ("zh", " 中小企业")]),
    ("digits stay inside a run", "增长15.7%的工业", ("zh", "en"), [("zh", "增长15.7%的工业")]),
    ("short latin code is its own run", "GDP增长", ("zh", "en"), [("en", "GDP"), ("zh", "增长")]),
    ("extension B ideograph is chinese", "\U00020000字 and more", ("zh", "en"), [("zh", "\U00020000字"), ("en", " and more")]),
    ("full-width latin is latin", "ＡＢＣ公司", ("zh", "en"), [("en", "ＡＢＣ"), ("zh", "公司")]),
    ("ideographic space and em dash", "——访谈\u3000Interview", ("zh", "en"), [("zh", "——访谈"), ("en", "\u3000Interview")]),
    ("same script pair is one run", "Wir kamen. Nous sommes venus.", ("de", "fr"), [("de", "Wir kamen. Nous sommes venus.")]),
    ("no letters", "2023 — 15.7%", ("zh", "en"), [(None, "2023 — 15.7%")]),
    ("empty", "", ("zh", "en"), []),
]


@pytest.mark.parametrize("label,text,candidates,expected", CASES, ids=[c[0] for c in CASES])
def test_language_runs(label: str, text: str, candidates: tuple[str, str], expected: list) -> None:
    runs = language_runs(text, candidates)
    assert [(r.lang, text[r.start : r.end]) for r in runs] == expected
    if runs:  # the runs partition the text exactly
        assert runs[0].start == 0 and runs[-1].end == len(text)
        assert all(x.end == y.start for x, y in zip(runs, runs[1:]))


def test_seed_002_chinese_passage_span() -> None:
    text = next(SEEDS.glob("002_*.txt")).read_text(encoding="utf-8")
    zh = [r for r in language_runs(text, ("zh", "en")) if r.lang == "zh"]
    assert len(zh) == 1
    run = text[zh[0].start : zh[0].end]
    assert run.startswith("“我们还将在优化制造业企业发展环境上下更大功夫。")
    assert run.endswith("强化产业链配套能力。")
    assert text[zh[0].end :].startswith("The second is to accelerate")


def test_sub_range() -> None:
    text = "English 中文 English"
    runs = language_runs(text, ("zh", "en"), 8, 10)
    assert [(r.lang, r.start, r.end) for r in runs] == [("zh", 8, 10)]
