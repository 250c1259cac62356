"""The comparison form of a sentence: what embeddings and checks compare, never what users see.

Reports and exports always show the original text; :func:`normalize_for_comparison`
gives the form used to compare two sentences:

* Unicode NFKC, which folds full-width forms to half-width (``Ａ１，`` → ``A1,``),
  the ideographic space U+3000 to an ordinary space, and compatibility
  characters to their plain forms;
* for Chinese, Traditional → Simplified with OpenCC (``t2s``), so that a
  Traditional source compares equal to a Simplified translation memory;
* runs of whitespace collapsed to one space, and no leading/trailing space;
  for Chinese, whitespace between two ideographs (a line wrap or a stray
  U+3000 inside a sentence) removed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .langid import primary_language

_SPACES = re.compile(r"\s+")
#: unpaired UTF-16 surrogates: no file decodes to them, but a str from a caller may hold
#: them and OpenCC (UTF-8 inside) cannot take them; they compare as U+FFFD
_LONE_SURROGATES = re.compile("[\ud800-\udfff]")
#: Regex character-class ranges of the CJK ideographs: unified blocks, Extension A,
#: compatibility ideographs and Extensions B-H (U+20000-U+323AF, written as \U
#: escapes so each stays one character).
IDEOGRAPH_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U000323af"
_SPACE_BETWEEN_IDEOGRAPHS = re.compile(f"(?<=[{IDEOGRAPH_RANGES}])\\s+(?=[{IDEOGRAPH_RANGES}])")


@lru_cache(maxsize=4)
def _opencc(config: str):  # -> opencc.OpenCC (imported lazily: building it reads dictionaries)
    import opencc

    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """Traditional Chinese → Simplified Chinese with OpenCC's ``t2s`` (Simplified text is unchanged).

    >>> to_simplified("臺灣軟體")
    '台湾软体'
    """
    return _opencc("t2s").convert(text)


def is_chinese(lang: str) -> bool:
    """True for ``zh`` and its variants (``zh-Hant``, ``zh-TW``, ``zh_CN`` ...)."""
    return primary_language(lang) == "zh"


def normalize_for_comparison(text: str, lang: str) -> str:
    """The comparison form of ``text`` in language ``lang`` (BCP-47): see the module docstring.

    Pure; the result may differ in length from ``text``, so never use offsets
    into it as offsets into the original.

    >>> normalize_for_comparison("臺灣\\u3000ＡＩ產業，  成長１２％。", "zh")
    '台湾 AI产业, 成长12%。'
    >>> normalize_for_comparison("第二句\\n继续", "zh")
    '第二句继续'
    """
    out = unicodedata.normalize("NFKC", _LONE_SURROGATES.sub("\ufffd", text))
    if is_chinese(lang):
        out = _SPACE_BETWEEN_IDEOGRAPHS.sub("", to_simplified(out))
    return _SPACES.sub(" ", out).strip()
