"""normalize_for_comparison: the comparison form of a sentence (issue 4)."""

import pytest

from align.normalize import is_chinese, normalize_for_comparison, to_simplified

CASES = [
    # label, text, lang, expected
    ("traditional to simplified", "臺灣軟體產業", "zh", "台湾软体产业"),
    ("simplified unchanged", "大模型技术的一个侧重点", "zh", "大模型技术的一个侧重点"),
    ("full-width latin and digits", "ＧＤＰ增长１２％", "zh", "GDP增长12%"),
    ("ideographic spaces between ideographs removed", "工业\u3000\u3000经济", "zh", "工业经济"),
    ("line wrap inside a chinese sentence removed", "第二句\n继续在下一行。", "zh", "第二句继续在下一行。"),
    ("space before latin kept", "采用\u30005G技术", "zh", "采用 5G技术"),
    ("full-width comma folded", "一是，二是", "zh", "一是,二是"),
    ("extension B ideograph kept", "\U00020000字", "zh", "\U00020000字"),
    ("em dash kept", "——访谈", "zh", "——访谈"),
    ("english whitespace collapsed", "  two\t\n spaces  ", "en", "two spaces"),
    ("no opencc for english", "臺灣", "en", "臺灣"),
    ("zh-Hant is chinese", "軟體", "zh-Hant", "软体"),
]


@pytest.mark.parametrize("label,text,lang,expected", CASES, ids=[c[0] for c in CASES])
def test_normalize_for_comparison(label: str, text: str, lang: str, expected: str) -> None:
    assert normalize_for_comparison(text, lang) == expected


@pytest.mark.parametrize("lang,expected", [("zh", True), ("zh-TW", True), ("zh_Hans", True), ("en", False), ("zu", False)])
def test_is_chinese(lang: str, expected: bool) -> None:
    assert is_chinese(lang) is expected


def test_to_simplified_leaves_non_chinese_alone() -> None:
    assert to_simplified("GDP 15.7%") == "GDP 15.7%"


def test_docstring_examples() -> None:
    import doctest

    import align.normalize

    result = doctest.testmod(align.normalize)
    assert result.attempted >= 3 and result.failed == 0
