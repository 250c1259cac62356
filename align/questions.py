"""Whether a sentence asks a question, by its language's question words.

A translation that keeps a question's topic and drops the question itself
("What specific tasks are there in building X?" rendered as ``X建设?``) still
carries most of its words; what it lost is the asking. Question words per
language are data here: English wh-words and an auxiliary verb opening the
sentence (or following a speaker's colon: "Reporter: Is it ...?"); Chinese
interrogative words and particles. A language without an entry says nothing
(None), so checks built on it are off for that language.

Written by hand: a few patterns per language; no maintained library marks
interrogatives across languages.
"""

from __future__ import annotations

import re

_AUXILIARIES = "is|are|was|were|do|does|did|can|could|will|would|should|shall|may|might|must|has|have|had"

#: question words (or constructions) per language
_QUESTION_WORDS: dict[str, re.Pattern[str]] = {
    "en": re.compile(rf"\b(?:what|which|who|whom|whose|why|where|when|how|whether)\b"
                     rf"|(?:^|[:：]\s*)[“\"‘']?(?:{_AUXILIARIES})\b", re.IGNORECASE),
    "zh": re.compile(r"哪|什么|如何|怎|为何|何时|何处|何以|谁|多少|吗|呢|是否|能否|可否|有没有|是不是|难道"),
}
# a question mark at the end, closing quotes and brackets after it allowed
_QUESTION_END = re.compile(r"[?？][”’」』)）\"']*\s*$")


def _question_words(lang: str) -> re.Pattern[str] | None:
    """The question-word pattern of ``lang`` (``zh-Hans`` reads as ``zh``), or None."""
    return _QUESTION_WORDS.get(lang.split("-")[0].lower())


def knows_questions(lang: str) -> bool:
    """Whether there are question words for ``lang`` (without them, nothing here says anything)."""
    return _question_words(lang) is not None


def asks_question(text: str, lang: str) -> bool | None:
    """Whether ``text`` holds a question word of ``lang`` (None: no data for ``lang``).

    >>> asks_question("What specific tasks are there?", "en"), asks_question("以科技创新引领产业体系建设?", "zh")
    (True, False)
    """
    pattern = _question_words(lang)
    return None if pattern is None else pattern.search(text) is not None


def is_question(text: str, lang: str) -> bool:
    """Whether ``text`` is a question of ``lang``: it ends with a question mark and holds one of the
    language's question words (False without data for ``lang``).

    >>> is_question("Reporter: Is the target within reach?", "en"), is_question("有哪些具体任务?", "zh")
    (True, True)
    """
    return _QUESTION_END.search(text) is not None and bool(asks_question(text, lang))


def first_question_word(text: str, lang: str) -> int | None:
    """Offset of the first question word of ``lang`` in ``text``, or None."""
    pattern = _question_words(lang)
    m = pattern.search(text) if pattern is not None else None
    return None if m is None else m.start()
