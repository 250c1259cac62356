"""Language identification of text spans, by writing system first.

Scripts settle most cases cheaply (Han → zh, Hangul → ko, kana → ja,
Cyrillic → ru ...); languages that share a script are told apart by a
statistical identifier where one is installed.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
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
