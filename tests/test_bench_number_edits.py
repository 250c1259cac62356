"""The benchmark's number edits (``bench/qa_precision.py``): an edit that leaves the target
consistent with the source makes no error, so it is not scored as one the checks missed."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from align.numbers import extract_quantities  # noqa: E402
from bench import qa_precision as q  # noqa: E402

SOURCE = "医疗物资生产供应在短时间内实现十几倍甚至数十倍的增长,其中制造业企业数量达到63家。"
TARGET = "Production increased ten-fold or even 20 or 30-fold, and 63 of them were manufacturers."


@pytest.fixture
def zh_en(monkeypatch):
    monkeypatch.setattr(q, "SRC", "zh")
    monkeypatch.setattr(q, "TGT", "en")
    return extract_quantities(SOURCE, "zh")


def _quantity(text: str, shown: str):
    return next(x for x in extract_quantities(text, "en") if x.text == shown)


@pytest.mark.parametrize("new_value,inert", [("60", True), ("25", True), ("10", False)])
def test_a_changed_value_still_inside_the_sources_range_is_no_error(zh_en, new_value, inert):
    # 数十倍 is tens of times (20 to 90): 20 -> 60 keeps the English true to it, 20 -> 10 does not
    new = TARGET.replace("20 or", f"{new_value} or")
    assert q._number_edit_inert(_quantity(TARGET, "20"), _quantity(new, new_value), zh_en, new) is inert


def test_a_changed_exact_value_is_an_error(zh_en):
    new = TARGET.replace("63 of", "93 of")
    assert q._number_edit_inert(_quantity(TARGET, "63"), _quantity(new, "93"), zh_en, new) is False


def test_a_dropped_value_is_no_error_only_while_another_renders_the_sources_range(zh_en):
    assert q._number_edit_inert(_quantity(TARGET, "20"), None, zh_en, TARGET.replace("20 or ", "")) is True
    assert q._number_edit_inert(_quantity(TARGET, "20"), None, zh_en,
                                TARGET.replace("20 or 30-fold", "manyfold")) is False
    assert q._number_edit_inert(_quantity(TARGET, "63"), None, zh_en, TARGET.replace("63 of", "of")) is False


def test_a_changed_figure_with_an_approximate_marker_is_an_error(monkeypatch):
    # "Over 3.28 million": the marker is a tolerance around a figure, not a range of renderings
    monkeypatch.setattr(q, "SRC", "en")
    monkeypatch.setattr(q, "TGT", "zh")
    s_vals = extract_quantities("Over 3.28 million enterprises were registered.", "en")
    target, new = "登记企业超过328万家。", "登记企业超过348万家。"  # 3.48 million: inside "over"'s tolerance
    old_q = next(x for x in extract_quantities(target, "zh") if "328" in x.text)
    new_q = next(x for x in extract_quantities(new, "zh") if "348" in x.text)
    assert q._number_edit_inert(old_q, new_q, s_vals, new) is False
