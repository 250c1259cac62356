"""The benchmark's rule for findings on problems the uncorrupted run already reported
(``bench/qa_precision.py``, ``is_preexisting``): counted neither as hits nor as false alarms."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.qa_precision import is_preexisting  # noqa: E402

ADDED = "大模型技术的一个侧重点是在生产领域的应用。"
CLEAN = {("unaligned_target", "", ADDED), ("unaligned_source", "产业科技创新是新型工业化的根本动力。", "")}

# (label, finding key in the corrupted run, pre-existing)
CASES = [
    ("the same finding", ("unaligned_target", "", ADDED), True),
    ("the added sentence glued to a neighbour's pair, that pair's source as the other span",
     ("unaligned_target", "Adhere to the coordinated promotion.", ADDED), True),
    ("another check on the added sentence's pair: not the same problem",
     ("length_ratio_outlier", "Adhere to the coordinated promotion.", ADDED + "坚持建用研统筹推进。"), False),
    ("another added sentence", ("unaligned_target", "", "坚持建用研统筹推进。"), False),
    ("any check on a source text around a clean finding's source",
     ("length_ratio_outlier", "产业科技创新是新型工业化的根本动力。要加快。", "Industry."), True),
    ("a source-side finding on another sentence", ("unaligned_source", "要加快。", ""), False),
]


@pytest.mark.parametrize("label,key,expected", CASES, ids=[c[0] for c in CASES])
def test_preexisting(label, key, expected):
    assert is_preexisting(key, CLEAN) is expected
