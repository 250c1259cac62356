"""Language identification of text spans, by writing system first.

Scripts settle most cases cheaply (Han → zh, Hangul → ko, kana → ja,
Cyrillic → ru ...); languages that share a script are told apart by a
statistical identifier where one is installed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

# Script name (first word of the Unicode character name) → the language we
# assume when a span is written in it and no finer identifier decides.
SCRIPT_LANG: dict[str, str] = {
    "CJK": "zh",
    "HIRAGANA": "ja",
    "KATAKANA": "ja",
    "HANGUL": "ko",
    "CYRILLIC": "ru",
    "ARABIC": "ar",
    "HEBREW": "he",
    "GREEK": "el",
    "THAI": "th",
    "DEVANAGARI": "hi",
    "LATIN": "en",
}


@lru_cache(maxsize=1 << 16)  # pure; caching makes long texts ~10x faster (issue 4: 5 MB inputs)
def char_script(ch: str) -> str | None:
    """The script of one letter (``"LATIN"``, ``"CJK"``, ...) or None for non-letters.

    Uses ``unicodedata.name``, so Extension B ideographs (U+20000 and up) and
    full-width Latin letters are classified like their ordinary forms.
    """
    if not ch.isalpha():
        return None
    name = unicodedata.name(ch, "")
    if not name:
        return None
    if name.startswith("FULLWIDTH LATIN"):
        return "LATIN"
    first = name.split(" ", 1)[0]
    return first if first in SCRIPT_LANG else "OTHER"


def script_counts(text: str) -> Counter[str]:
    """How many letters of ``text`` are in each script (CJK counts per ideograph)."""
    return Counter(s for s in map(char_script, text) if s is not None)


def detect_language(text: str, candidates: Sequence[str] = ()) -> str | None:
    """The language of ``text`` (BCP-47 primary tag), or None if it has no letters.

    The dominant script decides; Latin letters are weighted 1/4 of an ideograph
    since one Chinese character carries about a word. When the script maps to a
    language not among ``candidates`` but a candidate shares that script, the
    candidate wins (e.g. Latin text in a de/fr pair is ``de`` or ``fr``).
    """
    counts = script_counts(text)
    if not counts:
        return None
    weighted = {s: n * (0.25 if s in ("LATIN", "CYRILLIC", "GREEK") else 1.0) for s, n in counts.items()}
    script = max(weighted, key=lambda s: (weighted[s], s))
    lang = SCRIPT_LANG.get(script)
    if candidates and lang not in candidates:
        same_script = [c for c in candidates if SCRIPT_LANG.get(_script_of_lang(c)) is not None
                       and _script_of_lang(c) == script]
        if same_script:
            return same_script[0]
    return lang


def _script_of_lang(lang: str) -> str:
    """The main script of a language code (Latin for languages not listed)."""
    for script, code in SCRIPT_LANG.items():
        if code == lang:
            return script
    return "LATIN"


# Scripts each language is written in, where more than its SCRIPT_LANG entry
# (Japanese mixes kana and kanji; Korean may use hanja).
_EXTRA_SCRIPTS: dict[str, frozenset[str]] = {
    "ja": frozenset({"HIRAGANA", "KATAKANA", "CJK"}),
    "ko": frozenset({"HANGUL", "CJK"}),
}

#: English names of common languages, for messages a reviewer reads.
LANGUAGE_NAMES: dict[str, str] = {
    "zh": "Chinese", "en": "English", "de": "German", "fr": "French", "es": "Spanish",
    "it": "Italian", "pt": "Portuguese", "nl": "Dutch", "ru": "Russian", "uk": "Ukrainian",
    "ja": "Japanese", "ko": "Korean", "ar": "Arabic", "he": "Hebrew", "el": "Greek",
    "th": "Thai", "hi": "Hindi", "vi": "Vietnamese", "pl": "Polish", "tr": "Turkish",
    "sv": "Swedish", "da": "Danish", "no": "Norwegian", "fi": "Finnish", "cs": "Czech",
}


def lang_scripts(lang: str) -> frozenset[str]:
    """The scripts (``char_script`` names) that ``lang`` is written in.

    Languages not listed in :data:`SCRIPT_LANG` are assumed to use Latin.
    """
    if lang in _EXTRA_SCRIPTS:
        return _EXTRA_SCRIPTS[lang]
    return frozenset({_script_of_lang(lang)})


def language_name(lang: str) -> str:
    """A readable English name for a language code (the code itself if unknown)."""
    return LANGUAGE_NAMES.get(lang.split("-")[0].lower(), lang)


# --------------------------------------------------------------------------- language runs
# (added with issue 4, ingestion: additive, existing functions unchanged)

# Neutral characters that close what precedes them: at a change of script they
# stay with the run on their left (``能力。The`` → ``能力。`` | ``The``).
_CLOSING_NEUTRALS = frozenset("。．.!?！？；;:：,，、)）]】」』”’\"'…%›»〉》〕")


_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True, slots=True)
class LanguageRun:
    """A stretch ``[start, end)`` of text (character offsets, end exclusive) in one language.

    ``lang`` is None for a stretch without letters (only when the whole text has none).
    ``letters`` counts the letters of that language in the run.
    """

    start: int
    end: int
    lang: str | None
    letters: int


def _lang_of_script(script: str, candidates: Sequence[str]) -> str:
    for c in candidates:
        if script in lang_scripts(c.split("-")[0]):
            return c
    return SCRIPT_LANG.get(script, "und")


def language_runs(
    text: str, candidates: Sequence[str] = (), start: int = 0, end: int | None = None
) -> list[LanguageRun]:
    """Cut ``text[start:end]`` into maximal runs of one writing system, as languages.

    The runs partition the range exactly (consecutive, no gaps), so every
    character belongs to one run. A script maps to the first of ``candidates``
    written in it, else to :data:`SCRIPT_LANG`. Digits, spaces and
    punctuation join the run around them; between two scripts, closing
    punctuation (``。.!?”`` ...) stays left and the rest goes right. Languages
    sharing a script (de/fr) are not told apart here.

    >>> [(r.lang, "中文。English words."[r.start:r.end]) for r in language_runs("中文。English words.", ("zh", "en"))]
    [('zh', '中文。'), ('en', 'English words.')]
    """
    end = len(text) if end is None else end
    # (first letter, last letter + 1, script, letters) of maximal same-script letter stretches,
    # built word by word (a regex finds the words; most words are in one script)
    stretches: list[list] = []

    def add(i: int, j: int, script: str, n: int) -> None:
        if stretches and stretches[-1][2] == script:
            stretches[-1][1] = j
            stretches[-1][3] += n
        else:
            stretches.append([i, j, script, n])

    for m in _WORD.finditer(text, start, end):
        word = m.group()
        if word.isascii():  # fast path: ASCII letters are Latin
            add(m.start(), m.end(), "LATIN", len(word))
            continue
        scripts = set(map(char_script, word))
        scripts.discard(None)
        if len(scripts) == 1:
            add(m.start(), m.end(), scripts.pop(), sum(1 for ch in word if ch.isalpha()))
            continue
        for k, ch in enumerate(word):
            script = char_script(ch)
            if script is not None:
                add(m.start() + k, m.start() + k + 1, script, 1)
    if not stretches:
        return [LanguageRun(start, end, None, 0)] if end > start else []
    runs: list[LanguageRun] = []
    cut = start
    for here, nxt in zip(stretches, stretches[1:]):
        split = here[1]
        while split < nxt[0] and text[split] in _CLOSING_NEUTRALS:
            split += 1
        runs.append(LanguageRun(cut, split, _lang_of_script(here[2], candidates), here[3]))
        cut = split
    last = stretches[-1]
    runs.append(LanguageRun(cut, end, _lang_of_script(last[2], candidates), last[3]))
    # the same language on both sides of a short stretch of another script stays split:
    # merging adjacent runs of the same language (e.g. LATIN/OTHER mapping to one code) only
    merged: list[LanguageRun] = []
    for r in runs:
        if merged and merged[-1].lang == r.lang:
            m = merged[-1]
            merged[-1] = LanguageRun(m.start, r.end, r.lang, m.letters + r.letters)
        else:
            merged.append(r)
    return merged


def primary_language(lang: str) -> str:
    """The primary subtag of a BCP-47 code, lower case: ``zh-Hant`` → ``zh``, ``en_US`` → ``en``.

    (Added with issue 4, ingestion.)
    """
    return lang.strip().replace("_", "-").split("-", 1)[0].lower()


#: Languages written without spaces between words: Chinese, Japanese, Cantonese, Wu.
_WITHOUT_SPACES = frozenset({"zh", "ja", "yue", "wuu"})


def written_without_spaces(lang: str) -> bool:
    """Whether ``lang`` (a BCP-47 code) is written without spaces between words, so that lengths and
    clauses count characters rather than words (Korean is written with spaces)."""
    return primary_language(lang) in _WITHOUT_SPACES


@lru_cache(maxsize=16)
def _lingua_detector(langs: tuple[str, ...]):  # -> lingua.LanguageDetector, or None
    """A lingua detector restricted to ``langs`` (built once per set; None if lingua lacks one)."""
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    try:
        languages = [Language.from_iso_code_639_1(IsoCode639_1.from_str(code)) for code in langs]
    except (ValueError, AttributeError):
        return None
    return LanguageDetectorBuilder.from_languages(*languages).build()


def language_confidence(text: str, lang: str, candidates: Sequence[str]) -> float | None:
    """How sure the statistical identifier is that ``text`` is in ``lang`` rather than the other ``candidates``.

    A probability in [0, 1] from lingua-language-detector (offline, maintained),
    with a detector restricted to ``candidates`` and built lazily, once per
    language set. None when lingua does not know one of the languages. Meant
    for languages that share a script (de/fr, es/pt); scripts decide the rest.
    """
    codes = tuple(sorted({c.split("-")[0].lower() for c in (*candidates, lang)}))
    if len(codes) < 2:
        return None
    detector = _lingua_detector(codes)
    if detector is None:
        return None
    from lingua import IsoCode639_1, Language

    target = Language.from_iso_code_639_1(IsoCode639_1.from_str(lang.split("-")[0].lower()))
    return float(detector.compute_language_confidence(text, target))


def likely_language(text: str, candidates: Sequence[str]) -> tuple[str, float] | None:
    """lingua's most likely language of ``text`` among ``candidates``, with its confidence in [0, 1].

    None when lingua does not know one of the candidates. (Added with issue 4,
    ingestion, to catch a document in a third language of the same script,
    e.g. French given to an English-Chinese run.)
    """
    codes = tuple(sorted({primary_language(c) for c in candidates}))
    if len(codes) < 2:
        return None
    detector = _lingua_detector(codes)
    if detector is None:
        return None
    values = detector.compute_language_confidence_values(text)
    if not values:
        return None
    best = values[0]
    return best.language.iso_code_639_1.name.lower(), float(best.value)
