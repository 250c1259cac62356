"""Quantities in text: every number with its exact character span, value and tolerance.

:func:`extract_quantities` finds the numbers of one text (Chinese or English,
with digits handled for any language) and turns each into a :class:`Quantity`
whose value can be compared across languages: ``328.2万`` and ``3.282
million`` are both 3 282 000; ``三成``, ``30%`` and ``0.3`` as a fraction
are all the ratio 30 (ratios are kept in percent); ``十四五`` is the 14th
(Five-Year Plan); ``18世纪60年代`` and ``the 1760s`` are the years
1760-1769. Approximate markers (``多``, ``超过``, ``近``, ``左右``, ``about``,
``more than``, ``nearly`` ...) widen the tolerance. :func:`compare_quantities`
pairs the quantities of a source and a target text.

Chinese numerals are converted by ``cn2an``; the rest (finding the numbers,
scales such as 万/亿 and million/billion, markers, English number words) is
hand-written glue, because no maintained library extracts quantities with
spans from both languages.

Offsets are Python ``str`` indices into the text given, end exclusive.
Footnote markers (``Unwaverings,”1``, ``[1]``, ``①``) and list numbering
(``一是``, ``（一）``, ``(1)``, ``(iv)``) are not quantities.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

__all__ = ["Quantity", "QuantityComparison", "extract_quantities", "compare_quantities",
           "quantities_match", "quantities_equal", "format_value"]

#: Relative tolerance of a quantity marked approximate (``about``, ``多``, ``左右`` ...).
APPROX_TOLERANCE = 0.08


@dataclass(frozen=True, slots=True)
class Quantity:
    """One number found in a text.

    ``value`` is canonical across languages: plain numbers as such, ratios in
    percent (``kind == "ratio"``), percentage points (``kind == "points"``),
    decades and centuries as their first year. ``[low, high]`` is the range of
    values it is compatible with (rounding of the written digits, approximate
    markers, the years of a decade). ``weak`` marks small numbers written as
    words (``two``, ``三``, ``first``): they may match a number on the other
    side but are never reported alone, since translations often render them
    as articles or leave them implicit. English number words from three to ten
    that count a plural noun (``four aspects``, ``Eight ... companies``) and
    the ends of a range in words (``five to ten``) are not weak: a translation
    keeps them as numbers (``8家``, ``5—10家``).
    """

    start: int
    end: int  #: exclusive
    text: str
    value: float
    low: float
    high: float
    kind: str  #: "count", "ratio" (percent, fraction, 成) or "points" (percentage points)
    form: str  #: how it was written: "digits", "words", "year", "ordinal", "month", "decade", ...
    approx: bool = False
    weak: bool = False
    slack: float = 0.0  #: rounding tolerance of the written digits (already inside low/high)
    digits: bool = False  #: written with Arabic digits (precise), not words or Chinese numerals
    #: a vague count (``数十``, ``十几万``) stands for round multiples of this unit only (10, 10 000); 0 otherwise
    step: float = 0.0
    #: a lone ``一`` before a measure word (``一批``, ``一代``, ``一个``), most often the indefinite
    #: article: it may match a word (``one``) on the other side, never a number in digits
    article: bool = False

    @property
    def is_year(self) -> bool:
        """Whether the quantity reads as a calendar year, decade or century."""
        return self.form in ("year", "decade", "century")


# ---------------------------------------------------------------------------
# shared helpers

# Full-width digits and signs mapped one-to-one (offsets are unchanged).
_WIDTH = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)},
                        "％": "%", "．": ".", "／": "/", "～": "~", "\u3000": " "})

_APPROX_EN = re.compile(
    r"(?:about|around|approximately|roughly|nearly|almost|close to|more than|over|exceeding|exceeded|exceeds|"
    r"surpassed|surpassing|topped|"
    r"above|below|under|less than|fewer than|at least|up to|some|an estimated|upwards of|"
    r"in excess of|as many as|as much as)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_APPROX_ZH_PRE = re.compile(r"(?:大约|约|将近|接近|近|超过|超|逾|突破|不到|不足|至少|最多|多达|高达|上下)$")
_APPROX_ZH_POST = re.compile(r"(?:左右|以上|以下|以内|上下|多|余|来)")


def _digits_tolerance(digits: str, scale: float) -> float:
    """Half a unit of the last written digit, times the scale (rounding tolerance)."""
    decimals = len(digits.split(".", 1)[1]) if "." in digits else 0
    return 0.499 * (10 ** -decimals) * scale  # just under half, so 14 and 15 do not touch


def _make(start: int, end: int, text: str, value: float, kind: str, form: str, *,
          approx: bool = False, weak: bool = False, slack: float = 0.0,
          low: float | None = None, high: float | None = None, step: float = 0.0,
          article: bool = False) -> Quantity:
    """A Quantity with its tolerance interval: rounding ``slack`` plus the approximate margin."""
    lo = value if low is None else low
    hi = value if high is None else high
    lo, hi = lo - slack, hi + slack
    if approx:
        lo, hi = lo - abs(lo) * APPROX_TOLERANCE, hi + abs(hi) * APPROX_TOLERANCE
    written = text[start:end]
    return Quantity(start, end, written, float(value), float(lo), float(hi), kind, form, approx, weak,
                    float(slack), bool(re.search(r"\d", written)), float(step), article)


def _parse_digits(s: str, decimal_comma: bool = False) -> float:
    """The value of a written digit string such as ``1,186`` or ``40.16`` (or ``3,5`` with a decimal comma)."""
    if decimal_comma:
        s = s.replace(".", "").replace("\u202f", "").replace(" ", "").replace(",", ".")
    else:
        s = s.replace(",", "")
    return float(s)


# ---------------------------------------------------------------------------
# Chinese

_ZH_DIGIT = "〇零一二两三四五六七八九"
_ZH_NUMERAL = _ZH_DIGIT + "十百千万亿"
# Measure words and units after which a lone small numeral is a quantity (一个, 三家, 两项 ...).
_ZH_MEASURE = set("个家种项条件台座所名位人次年月日天号届类户元吨倍成周岁篇份部辆架艘款场处亩米克大季代方轮批期点兆")
_ZH_SCALE = {"十": 10.0, "百": 100.0, "千": 1e3, "万": 1e4, "亿": 1e8}
_NUM_D = r"\d+(?:,\d{3})*(?:\.\d+)?"

_CJK_SMALL = "[一二三四五六七八九十]{1,3}"  # a small Chinese numeral: list numbers, 第三, 三是
_ITEM_START = r"(?:^|(?<=[。；;：:！？!?\s”」]))"  # where a list item may start: after a stop or a space

_ZH_SKIP = re.compile(
    r"[①-⑳⑴-⒇⒈-⒛]"  # circled / parenthesised footnote and list marks
    r"|[\[［【〔]\d{1,3}[\]］】〕]"  # bracketed footnote numbers
    rf"|[（(](?:{_CJK_SMALL}|\d{{1,2}}|[ivxlcIVXLC]{{1,5}})[)）]"  # (一) (1) (iv) list numbers
    rf"|{_ITEM_START}(?:{_CJK_SMALL}|\d{{1,2}})(?:是|、|\.(?!\d)|．)"  # 一是 二、 1.
    rf"|{_ITEM_START}(?:其[一二三四五六七八九十]|第{_CJK_SMALL}(?=[,，、:：]))"
    r"|[⁰¹²³⁴-⁹]+"
)
_ZH_PLAN = re.compile(r"十([一二三四五六七八九])五(?![〇零一二两三四五六七八九十百千万亿年])")
_ZH_CENTURY = re.compile(rf"(\d{{1,2}}|[{_ZH_NUMERAL}]{{1,3}})世纪(?:(\d0|[一二三四五六七八九]十)年代)?")
_ZH_DECADE = re.compile(r"(?<![\d年])(\d0|[一二三四五六七八九]十)年代")
# Vague numbers: 数十 / 几百 (tens, hundreds), 十几 / 二十几 (ten-odd, twenty-odd), times 万/亿.
_ZH_VAGUE = re.compile(r"[数几上]([十百千万亿])([万亿]*)|([一二三四五六七八九]?十)几([万亿]*)|(?<=[超逾近])([万亿]+)")
# A range to a second number after a lone numeral (五至十家, 一到两年, 五—十): the first is a number too.
_ZH_RANGE_NEXT = re.compile(rf"\s*[至到—–~\-]{{1,2}}\s*(?:第)?[{_ZH_DIGIT}十\d]")
_ZH_PERCENT_OF = re.compile(rf"百分之({_NUM_D}|[{_ZH_NUMERAL}点]+)")
_ZH_FRACTION = re.compile(rf"([{_ZH_NUMERAL}]+|\d+)分之([{_ZH_NUMERAL}]+|\d+)")
_DIGIT_FRACTION = re.compile(r"(?<![\d/.])(\d{1,2})/(\d{1,3})(?![\d/])")
_ZH_GENERAL = re.compile(
    rf"(第)?(?:({_NUM_D})([多余])?([十百千万亿]+)?|([{_ZH_DIGIT}十百千][{_ZH_NUMERAL}]*(?:点[{_ZH_DIGIT}]+)?)([多余])?([万亿]+)?)"
    r"([多余])?(%|个百分点|百分点|成(?![本果功员立为长就交熟])|倍)?"
)


@lru_cache(maxsize=4096)
def _cn_value(s: str) -> float | None:
    """The value of a Chinese numeral via cn2an (None if it is not one)."""
    import cn2an  # imported lazily: it loads its tables on import

    if s in _ZH_SCALE:
        return _ZH_SCALE[s]
    if all(c in "〇零一二三四五六七八九" for c in s) and len(s) >= 2:
        return float("".join(str("〇一二三四五六七八九".index(c) if c != "零" else 0) for c in s))
    try:
        return float(cn2an.cn2an(s, "normal"))
    except (ValueError, KeyError, IndexError, TypeError):
        return None


def _zh_approx(text: str, start: int, end: int) -> tuple[int, int, bool]:
    """Widen ``[start, end)`` over approximate markers before and after; say if any was found."""
    approx = False
    m = _APPROX_ZH_PRE.search(text, max(0, start - 3), start)
    if m and m.end() == start:
        start, approx = m.start(), True
    m = _APPROX_ZH_POST.match(text, end)
    if m:
        end, approx = m.end(), True
    return start, end, approx


def _claims(n: int):
    """``free(s, e)`` / ``take(s, e)`` over ``n`` characters: each character goes to one quantity at most."""
    taken = bytearray(n)

    def free(s: int, e: int) -> bool:
        return not any(taken[s:e])

    def take(s: int, e: int) -> None:
        taken[s:e] = b"\x01" * (e - s)

    return free, take


def _extract_zh(text: str) -> list[Quantity]:
    out: list[Quantity] = []
    free, take = _claims(len(text))

    for m in _ZH_SKIP.finditer(text):
        take(m.start(), m.end())
    for m in _ZH_PLAN.finditer(text):
        if free(m.start(), m.end()):
            take(m.start(), m.end())
            v = _cn_value("十" + m.group(1)) or 0.0
            out.append(_make(m.start(), m.end(), text, v, "count", "plan"))
    for m in _ZH_CENTURY.finditer(text):
        if not free(m.start(), m.end()):
            continue
        c = _num_zh_or_digits(m.group(1))
        if c is None or not 1 <= c <= 30:
            continue
        take(m.start(), m.end())
        base = (c - 1) * 100
        if m.group(2):
            d = _num_zh_or_digits(m.group(2)) or 0
            out.append(_make(m.start(), m.end(), text, base + d, "count", "decade",
                             low=base + d, high=base + d + 9))
        else:
            out.append(_make(m.start(), m.end(), text, base, "count", "century", low=base, high=base + 99))
    for m in _ZH_DECADE.finditer(text):
        if free(m.start(), m.end()):
            d = _num_zh_or_digits(m.group(1)) or 0
            take(m.start(), m.end())
            out.append(_make(m.start(), m.end(), text, 1900 + d, "count", "decade",
                             low=1900 + d, high=1909 + d))
    for m in _ZH_VAGUE.finditer(text):
        if not free(m.start(), m.end()):
            continue
        if m.group(5):  # 超万亿: more than a trillion; 近万亿: nearly a trillion
            near = text[m.start(5) - 1] == "近"
            lo, hi, tail, step = (0.85, 1.0, m.group(5), 0.0) if near else (1.0, 1.5, m.group(5), 0.0)
        elif m.group(1):  # 数十: some tens, in units of ten
            lo, hi, tail, step = 2 * _ZH_SCALE[m.group(1)], 9 * _ZH_SCALE[m.group(1)], m.group(2), _ZH_SCALE[m.group(1)]
            if m.group(0)[0] == "上":  # 上百, 上万: at least a hundred, ten thousand
                lo, hi = _ZH_SCALE[m.group(1)], 9 * _ZH_SCALE[m.group(1)]
        else:  # 十几: ten-odd, in units of one
            base = _cn_value(m.group(3)) or 10.0
            lo, hi, tail, step = base + 1, base + 9, m.group(4), 1.0
        for ch in tail:
            lo, hi, step = lo * _ZH_SCALE[ch], hi * _ZH_SCALE[ch], step * _ZH_SCALE[ch]
        start = m.start() - 1 if m.group(5) else m.start()  # 超万亿: the marker is part of it
        take(start, m.end())
        # 超万亿 states an order of magnitude a translation must keep ("more than 1 trillion"),
        # unlike 数十 or 几百, which translations often render as "dozens" or "hundreds"
        definite = bool(m.group(5))
        value = hi if definite and text[m.start(5) - 1] == "近" else lo
        out.append(_make(start, m.end(), text, value, "count", "vague", weak=not definite, low=lo, high=hi,
                         step=step))
    for m in re.finditer(r"一半", text):
        if free(m.start(), m.end()):
            s, e, approx = _zh_approx(text, m.start(), m.end())
            take(s, e)
            out.append(_make(s, e, text, 50.0, "ratio", "fraction", approx=approx, weak=True))
    for m in _ZH_PERCENT_OF.finditer(text):
        v = _num_zh_or_digits(m.group(1))
        if v is not None and free(m.start(), m.end()):
            s, e, approx = _zh_approx(text, m.start(), m.end())
            take(s, e)
            out.append(_make(s, e, text, v, "ratio", "percent", approx=approx))
    for rx in (_ZH_FRACTION, _DIGIT_FRACTION):
        for m in rx.finditer(text):
            if not free(m.start(), m.end()):
                continue
            a, b = _num_zh_or_digits(m.group(1)), _num_zh_or_digits(m.group(2))
            if rx is _ZH_FRACTION:
                a, b = b, a  # 三分之一: denominator first
            if a is None or not b or a >= b:
                continue
            s, e, approx = _zh_approx(text, m.start(), m.end())
            take(s, e)
            out.append(_make(s, e, text, 100.0 * a / b, "ratio", "fraction", approx=approx,
                             weak=rx is _ZH_FRACTION and b <= 10, slack=0.05))
    for m in _ZH_GENERAL.finditer(text):
        s0, e0 = m.start(), m.end()
        if not free(s0, e0):
            continue
        ordinal, digits, more1, scale, numeral, more_c, scale_c, more2, unit = m.groups()
        more1 = more1 or more_c
        # a number glued to Latin letters is a code (5G, G20, COVID-19), not a quantity
        if digits and ((s0 > 0 and (text[s0 - 1].isascii() and text[s0 - 1].isalpha() or text[s0 - 1] in "-_"))
                       or (e0 < len(text) and text[e0].isascii() and text[e0].isalpha())):
            continue
        if digits:
            value = _parse_digits(digits)
            article = False
            mult = 1.0
            for ch in scale or "":
                mult *= _ZH_SCALE[ch]
            slack = _digits_tolerance(digits, mult)
            value *= mult
            form = "year" if (not scale and not unit and re.fullmatch(r"1\d{3}|20\d{2}", digits)
                              and text[e0 : e0 + 1] == "年") else "digits"
            weak = False
        else:
            v = _cn_value(numeral)
            if v is None:
                continue
            nxt = text[e0 : e0 + 1]
            lone = len(numeral) == 1 and numeral not in "万亿千百"
            in_range = bool(_ZH_RANGE_NEXT.match(text, e0))
            if lone and not (unit or more2 or ordinal or nxt in _ZH_MEASURE or in_range):
                continue  # 统一, 一些, 一体化 ...: a character of a word, not a number
            # 一批, 一代, 一个: "a batch", "a generation", "a": the article, not the count of a digit 1
            article = numeral == "一" and lone and not (unit or more2 or more_c or ordinal or in_range)
            if numeral[0] in "百千万亿":
                if not (len(numeral) == 1 and (unit or nxt in "兆年")):
                    continue  # 千家万户, 百姓: words, not numbers
                weak_lone = True
            else:
                weak_lone = False
            for ch in scale_c or "":
                v *= _ZH_SCALE[ch]
            value, slack, form = v, 0.0, "chinese"
            weak = (v <= 10 and not unit) or weak_lone
            if len(numeral) == 4 and nxt == "年" and all(c in _ZH_DIGIT for c in numeral):
                form = "year"
        approx = bool(more1 or more2)
        kind = "count"
        if unit in ("%",):
            kind, form = "ratio", "percent"
        elif unit in ("个百分点", "百分点"):
            kind = "points"
        elif unit and unit.startswith("成"):
            kind, form, value, slack, weak = "ratio", "cheng", value * 10, slack * 10, False
        elif unit == "倍":
            form = "multiple"
        if ordinal:
            form = "ordinal"
        s, e, approx2 = _zh_approx(text, s0, e0)
        take(s, e)
        out.append(_make(s, e, text, value, kind, form, approx=approx or approx2, weak=weak, slack=slack,
                         article=article))
    return sorted(out, key=lambda q: q.start)


def _num_zh_or_digits(s: str) -> float | None:
    """The value of digits or of a Chinese numeral (with 点 as decimal point)."""
    if re.fullmatch(_NUM_D, s):
        return _parse_digits(s)
    return _cn_value(s)


# ---------------------------------------------------------------------------
# English (and digits in any alphabetic language)

_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
_SCALES = {"hundred": 100.0, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_SHORT_SCALES = {"mn": 1e6, "bn": 1e9, "tn": 1e12}  # not "k"/"m": 64K cables, 5m lengths
_ORDINALS = {w: i + 1 for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
    "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split())}
_ORDINALS.update({w[:-1] + "ieth": v for w, v in _TENS.items()})
_FRACTION_DEN = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4,
                 "fourth": 4, "fourths": 4, "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6,
                 "seventh": 7, "sevenths": 7, "eighth": 8, "eighths": 8, "ninth": 9, "ninths": 9,
                 "tenth": 10, "tenths": 10}
_MONTHS = {m: i + 1 for i, m in enumerate(
    "January February March April May June July August September October November December".split())}

_WORD = r"(?:" + "|".join(sorted(list(_UNITS) + list(_TENS), key=len, reverse=True)) + r")"
_WORD_NUM = rf"{_WORD}(?:-{_WORD})?(?:\s+(?:and\s+)?(?:{_WORD}(?:-{_WORD})?|hundred|thousand|million|billion|trillion))*"

_EN_SKIP = re.compile(
    r"(?:(?<=[”’\"'),;:a-z])|(?<=[a-z)”’\"]\.))\d{1,2}(?=\s|$|[,.;:])"  # footnote number glued to a word or quote
    r"|[\[(]\d{1,3}[\])]|\[\d{4}\]"  # [1] (2): footnote or list number; [2023]: editor's insertion
    r"|\((?:[ivxlc]{1,5}|[IVXLC]{1,5}|[a-h])\)"  # (iv) (b)
    r"|^\s*\d{1,2}[.)](?=\s)"  # 1. at the start of a sentence
    r"|[⁰¹²³⁴-⁹]+"
    r"|\b[A-Za-z]+[-_]?\d+[A-Za-z\d]*\b|\b\d+(?!st\b|nd\b|rd\b|th\b|s\b|mn\b|bn\b|tn\b)[A-Za-z]+\w*\b"  # codes: G20, 5G
    r"|\b(?:one|two|three|four|five|six|seven|eight|nine|ten)-(?:year|stop|way|time|off|sided|day)s?\b"
    r"|\b(?:Five-Year Plan)\b",
    re.IGNORECASE,
)
_EN_CENTURY = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)[ -]centur(?:y|ies)\b|\b(" + "|".join(_ORDINALS) + r")[ -]centur(?:y|ies)\b",
    re.IGNORECASE,
)
_EN_DECADE = re.compile(r"(?<![\w'’])(?:(1\d|20)(\d0)|['’](\d0))s\b")
_EN_FRACTION_WORDS = re.compile(
    rf"\b(a|an|one|{_WORD})[- ]({'|'.join(_FRACTION_DEN)})\b|\bhalf\b", re.IGNORECASE)
_EN_NUMBER = re.compile(
    rf"(?<![A-Za-z\u00c0-\u024f\d_.,])(?:(\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)|({_WORD_NUM}))"
    r"(?:(st|nd|rd|th)\b)?"
    r"(?:\s*-?\s*(hundred|thousand|million|billion|trillion)\b|(?<=\d)(mn|bn|tn)\b)?"
    r"(\+|\s*(?:%|per\s?cent\b|percentage points?\b|pp\b))?",
    re.IGNORECASE,
)
# "a trillion", "a hundred": weak (idioms such as "a thousand thanks" are not quantities)
_EN_A_SCALE = re.compile(r"\b(?:a|an)\s+(hundred|thousand|million|billion|trillion)\b", re.IGNORECASE)
# multiples: "tenfold", "ten-fold", "30-fold", "forty-five-fold", "hundredfold" (倍)
_EN_FOLD = re.compile(r"\b(\d+(?:\.\d+)?|[a-z]+(?:-[a-z]+)*?)[ -]?fold\b", re.IGNORECASE)
_EN_ORDINAL_WORD = re.compile(r"\b(" + "|".join(sorted(_ORDINALS, key=len, reverse=True)) + r")\b", re.IGNORECASE)
_EN_MONTH = re.compile(r"\b(" + "|".join(_MONTHS) + r")\b")
_EN_POST_APPROX = re.compile(r"\s*(?:or so|or more|odd\b|-plus\b|plus\b)")
_PREPOSITIONS_BEFORE_MAY = re.compile(r"(?:in|since|from|until|till|by|of|to|before|after|early|late|mid|end of)\s+$",
                                      re.IGNORECASE)
_TIME_BEFORE = re.compile(r"\b(?:first|last|past|next|previous|coming|final|two|three|four)\s+$", re.IGNORECASE)
_DECIMAL_COMMA_LANGS = frozenset("de fr es it pt nl ru uk pl cs sk sv da no nb fi tr ro hu id vi el bg hr sl".split())


def _words_value(phrase: str) -> float | None:
    """The value of English number words such as ``forty-five`` or ``two hundred and six``."""
    total, current, seen = 0.0, 0.0, False
    for tok in re.split(r"[\s-]+", phrase.lower()):
        if tok == "and" or not tok:
            continue
        if tok in _UNITS:
            current += _UNITS[tok]
        elif tok in _TENS:
            current += _TENS[tok]
        elif tok == "hundred":
            current = (current or 1) * 100
        elif tok in _SCALES:
            total += (current or 1) * _SCALES[tok]
            current = 0.0
        else:
            return None
        seen = True
    return total + current if seen else None


# Words that end a noun phrase or are not nouns: a number followed by one of them counts no noun.
_NOT_NOUNS = frozenset(
    "a an the to of in on at by for from with and or nor but than as per into onto over under about after "
    "before between among times percent more less most least each every all this that these those which who "
    "whom whose its it is are was were be been being has have had do does did will would can could shall "
    "should may might must not no thus plus across unless besides always perhaps whereas towards".split())
_RANGE_TO = r"\s*(?:to|–|—)\s*"
_EN_RANGE_AFTER = re.compile(rf"{_RANGE_TO}(?:{_WORD}|\d+)\b", re.IGNORECASE)
_EN_RANGE_BEFORE = re.compile(rf"\b(?:{_WORD}|\d+){_RANGE_TO}$", re.IGNORECASE)


def _in_word_range(text: str, start: int, end: int) -> bool:
    """Whether number words at ``[start, end)`` are one end of a range (``five to ten``, ``three–five``):
    a range states its ends, which a translation keeps (``5—10家``)."""
    return bool(_EN_RANGE_AFTER.match(text, end) or _EN_RANGE_BEFORE.search(text, max(0, start - 24), start))


def _counts_noun(text: str, start: int, end: int) -> bool:
    """Whether number words at ``[start, end)`` count a plural noun that follows within four words
    (``four aspects``, ``Eight Chinese platform companies``): a count a translation keeps as a
    number (``8家``), unlike ``one of``, ``the two`` or a name in quotes (``the “three new kinds”``).

    Hand-written: English plurals are recognised by their ``-s`` ending, with no tagger."""
    if re.search(r"[‘“\"']\s*$", text[max(0, start - 2):start]):
        return False  # "the “five musts”": the name of a slogan
    for word in re.match(r"(?:[ \t]+[A-Za-z][A-Za-z-]*){0,4}", text[end:end + 80]).group(0).split():
        w = word.lower()
        if w in _NOT_NOUNS:
            return False
        if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
            return True
    return False


def _en_approx(text: str, start: int, end: int) -> tuple[int, int, bool]:
    """Widen ``[start, end)`` over approximate markers before and after; say if any was found."""
    approx = False
    m = _APPROX_EN.search(text, max(0, start - 24), start)
    if m:
        start, approx = m.start(), True
    m = _EN_POST_APPROX.match(text, end)
    if m:
        end, approx = m.end(), True
    return start, end, approx


def _extract_alpha(text: str, lang: str) -> list[Quantity]:
    english = lang.split("-")[0].lower() == "en"
    decimal_comma = lang.split("-")[0].lower() in _DECIMAL_COMMA_LANGS
    out: list[Quantity] = []
    free, take = _claims(len(text))

    for m in _EN_SKIP.finditer(text):
        # an ordinal/decade glued to digits is handled below, not skipped as a code
        take(m.start(), m.end())
    if english:
        for m in _EN_CENTURY.finditer(text):
            c = int(m.group(1)) if m.group(1) else _ORDINALS[m.group(2).lower()]
            base = (c - 1) * 100
            take(m.start(), m.end())
            out.append(_make(m.start(), m.end(), text, base, "count", "century", low=base, high=base + 99))
    for m in _EN_DECADE.finditer(text):
        if not free(m.start(), m.end()):
            continue
        year = int(m.group(1) + m.group(2)) if m.group(1) else 1900 + int(m.group(3))
        take(m.start(), m.end())
        out.append(_make(m.start(), m.end(), text, year, "count", "decade", low=year, high=year + 9))
    for m in _DIGIT_FRACTION.finditer(text):
        a, b = int(m.group(1)), int(m.group(2))
        if free(m.start(), m.end()) and 0 < a < b:
            s, e, approx = _en_approx(text, m.start(), m.end())
            take(s, e)
            out.append(_make(s, e, text, 100.0 * a / b, "ratio", "fraction", approx=approx, slack=0.05))
    if english:
        for m in _EN_FRACTION_WORDS.finditer(text):
            if not free(m.start(), m.end()):
                continue
            if m.group(0).lower() == "half":
                a, b = 1.0, 2
            else:
                num = m.group(1).lower()
                a = 1.0 if num in ("a", "an") else (_words_value(num) or 0.0)
                b = _FRACTION_DEN[m.group(2).lower()]
                if m.group(2).lower() in ("fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
                                          "third", "quarter") and a > 1:
                    continue  # "two third" is not a fraction
                if m.group(2).lower().startswith("quarter") and (
                        _TIME_BEFORE.search(text, max(0, m.start() - 12), m.start())
                        or re.match(r"\s+of\s+(?:the\s+year|\d{4}|last|this|next)", text[m.end():])):
                    continue  # "the first three quarters of 2023": periods, not a fraction
            s, e, approx = _en_approx(text, m.start(), m.end())
            take(s, e)
            out.append(_make(s, e, text, 100.0 * a / b, "ratio", "fraction", approx=approx, weak=True,
                             slack=0.05))
    if english:
        for m in _EN_A_SCALE.finditer(text):
            if free(m.start(), m.end()):
                s, e, approx = _en_approx(text, m.start(), m.end())
                take(s, e)
                out.append(_make(s, e, text, _SCALES[m.group(1).lower()], "count", "words", approx=approx,
                                 weak=True))
    if english:
        for m in _EN_FOLD.finditer(text):
            n = m.group(1)
            v = float(n) if n[0].isdigit() else _words_value(n)
            if v is None or not free(m.start(), m.end()):  # "manifold", "scaffold"
                continue
            s, e, approx = _en_approx(text, m.start(), m.end())
            take(s, e)
            # in words, weak as 百倍 is: "a hundredfold return" is often a figure of speech
            out.append(_make(s, e, text, v, "count", "multiple", approx=approx, weak=not n[0].isdigit()))
    for m in _EN_NUMBER.finditer(text):
        s0, e0 = m.start(), m.end()
        if not free(s0, e0):
            continue
        digits, words, ordsuf, scale, short, unit = m.groups()
        if words and not english:
            continue
        if digits:
            value = _parse_digits(digits, decimal_comma and "," in digits and not re.fullmatch(r"\d{1,3}(?:,\d{3})+", digits))
            if decimal_comma and re.fullmatch(r"\d{1,3}(?:\.\d{3})+", digits):
                value = _parse_digits(digits.replace(".", ""))
            weak = False
        else:
            v = _words_value(words)
            if v is None:
                continue
            # Capitalised number words inside a sentence belong to a name ("the Two Unwaverings").
            in_name = words[0].isupper() and s0 > 0 and not re.search(r"(?:^|[.!?:])\s*[‘“\"'(]?$", text[:s0])
            value, weak = v, (v <= 10 and not scale) or in_name
            if weak and not in_name and not scale and not ordsuf and not unit:
                weak = not (_in_word_range(text, s0, e0) or (v >= 3 and _counts_noun(text, s0, e0)))
        mult = _SCALES.get((scale or "").lower()) or _SHORT_SCALES.get((short or "").lower()) or 1.0
        slack = _digits_tolerance(digits, mult) if digits else 0.0
        value *= mult
        kind, form = "count", "digits" if digits else "words"
        unit_l = (unit or "").strip().lower()
        if unit_l in ("%", "percent", "per cent", "percent"):
            kind, form = "ratio", "percent"
        elif unit_l.startswith("percentage point") or unit_l == "pp":
            kind = "points"
        elif unit_l.startswith("per"):
            kind, form = "ratio", "percent"
        if ordsuf:
            form = "ordinal"
        elif digits and not scale and not unit and re.fullmatch(r"1\d{3}|20\d{2}", digits):
            form = "year"
        s, e, approx = _en_approx(text, s0, e0)
        approx = approx or unit_l == "+"
        take(s, e)
        out.append(_make(s, e, text, value, kind, form, approx=approx, weak=weak, slack=slack))
    if english:
        for m in _EN_ORDINAL_WORD.finditer(text):
            if free(m.start(), m.end()):
                v = _ORDINALS[m.group(1).lower()]
                take(m.start(), m.end())
                out.append(_make(m.start(), m.end(), text, v, "count", "ordinal", weak=v <= 10))
        for m in _EN_MONTH.finditer(text):
            if not free(m.start(), m.end()):
                continue
            if m.group(1) == "May" and not (_PREPOSITIONS_BEFORE_MAY.search(text, max(0, m.start() - 12), m.start())
                                            or re.match(r"\s+\d", text[m.end():])):
                continue  # the verb "may" at the start of a sentence
            take(m.start(), m.end())
            out.append(_make(m.start(), m.end(), text, _MONTHS[m.group(1)], "count", "month"))
    return sorted(out, key=lambda q: q.start)


# ---------------------------------------------------------------------------
# public API

def extract_quantities(text: str, lang: str) -> list[Quantity]:
    """Every quantity in ``text`` (written in language ``lang``), in order of position.

    Offsets are into ``text`` as given (full-width digits are read in place,
    so offsets stay exact). Chinese text (``zh``) is read with Chinese
    numerals, units and markers; other languages by digits, and English also
    by number words, ordinals, fractions and month names.
    """
    plain = text.translate(_WIDTH)
    if lang.split("-")[0].lower() in ("zh", "yue", "wuu"):
        found = _extract_zh(plain)
    else:
        found = _extract_alpha(plain, lang)
    if plain == text:
        return found
    return [dataclasses.replace(q, text=text[q.start : q.end]) for q in found]


def quantities_match(a: Quantity, b: Quantity) -> bool:
    """Whether two quantities can be the same value: same kind and overlapping ranges.

    Two approximate quantities both written in digits (``超过5200万`` and
    ``more than 52 million``) must agree up to the rounding of the more precise
    one: a translator copies such digits, so their approximate margins are not
    added (``超过3亿`` is not ``more than 320 million``). When only one of two
    digit quantities is marked approximate (``442个`` and ``Some 442``), they must
    agree up to the rounding of the less precise one. A vague count (``数十``, ``十几万``)
    matches digits only when they are a round number of its unit (``20``, not ``41``);
    an article-like ``一`` (``新一代``) never matches digits.
    """
    if a.kind != b.kind:
        return False
    if (a.article and b.digits) or (b.article and a.digits):
        return False  # 新一代 ("new generation") does not render a digit 1 written on the other side
    for vague, other in ((a, b), (b, a)):
        if vague.step and other.digits and not _round_multiple(other.value, vague.step):
            return False  # 数十 (some tens) may be rendered "20 or 30", but is not the translation of 41
    if a.approx and b.approx and a.digits and b.digits and a.form == b.form:
        return abs(a.value - b.value) <= min(a.slack, b.slack) + 1e-9 * max(abs(a.value), 1.0)
    if (a.approx or b.approx) and a.digits and b.digits and a.form == b.form:
        # one side only says "some", "about": the digits were still copied ("442个" is not "Some 462")
        return abs(a.value - b.value) <= max(a.slack, b.slack) + 1e-9 * max(abs(a.value), 1.0)
    return a.low <= b.high and b.low <= a.high


def _round_multiple(value: float, unit: float) -> bool:
    """Whether ``value`` is a whole number of ``unit`` (up to float error)."""
    n = value / unit
    return abs(n - round(n)) <= 1e-9 * max(abs(n), 1.0)


def quantities_equal(a: Quantity, b: Quantity) -> bool:
    """Whether two quantities have the same value up to the rounding of their digits (no approximate margin)."""
    return a.kind == b.kind and abs(a.value - b.value) <= a.slack + b.slack + 1e-9 * max(abs(a.value), 1.0)


def _four_digits(q: Quantity) -> bool:
    """A bare four-digit integer (a year, or a year with a mistyped digit)."""
    return q.form in ("year", "digits") and q.value.is_integer() and 1000 <= q.value <= 9999 \
        and re.fullmatch(r"\d{4}", re.sub(r"\D", "", q.text)) is not None


def _distance(a: Quantity, b: Quantity) -> float:
    """How far apart two values are, in orders of magnitude (0 for equal values)."""
    x, y = abs(a.value), abs(b.value)
    if x == 0 or y == 0:
        return 0.0 if x == y else 1.0
    return abs(math.log10(x / y))


def _may_pair(a: Quantity, b: Quantity) -> bool:
    """Whether two unmatched quantities may be reported as one number translated wrongly.

    A weak quantity (``first``, ``three``, ``三``) pairs only with one of its own order
    (ordinal with ordinal, cardinal with cardinal) within one order of magnitude: "the
    first 11 months" losing its 11 has lost a number, not turned 11 into "first", and
    "1,186 champions ... the top three" losing 1,186 has not turned it into three. An
    article-like ``一`` (``一批``, "a batch") pairs with nothing: it is no number a translation
    could have got wrong.
    """
    if a.article or b.article:
        return False
    if not (a.weak or b.weak):
        return True
    return (a.form == "ordinal") == (b.form == "ordinal") and _distance(a, b) <= 1.0


def _repeated(src: Sequence[Quantity], tgt: Sequence[Quantity]) -> tuple[list[Quantity], list[Quantity]]:
    """Occurrences of a value written more often on one side than on the other (both at least once).

    Only precise quantities count (digits, not approximate, not weak), compared with
    :func:`quantities_equal`. Occurrences are paired by their rank among the side's
    quantities (first with first ...), nearest relative rank first; those left over are
    returned: ``(extra source occurrences, extra target occurrences)``.
    """
    def precise(q: Quantity) -> bool:
        return q.digits and not q.approx and not q.weak

    extra: tuple[list[Quantity], list[Quantity]] = ([], [])
    done: set[int] = set()
    for i, q in enumerate(src):
        if not precise(q) or i in done:
            continue
        mine = [k for k, x in enumerate(src) if precise(x) and quantities_equal(q, x)]
        done.update(mine)
        theirs = [k for k, x in enumerate(tgt) if precise(x) and quantities_equal(q, x)]
        if not theirs or len(mine) == len(theirs):
            continue
        many, few, many_side, n_many, n_few = ((mine, theirs, 0, len(src), len(tgt)) if len(mine) > len(theirs)
                                               else (theirs, mine, 1, len(tgt), len(src)))
        left = list(many)
        for k in few:
            rel = k / max(n_few - 1, 1)
            best = min(left, key=lambda j: abs(j / max(n_many - 1, 1) - rel))
            left.remove(best)
        pool = src if many_side == 0 else tgt
        extra[many_side].extend(pool[j] for j in left)
    return extra


@dataclass(frozen=True)
class QuantityComparison:
    """The quantities of a source and a target text, paired.

    ``matched``: source quantities with an equal value on the other side
    (with the value they matched). ``mismatched``: (source, target) pairs
    that have no equal value on the other side but are the closest of the same
    kind. ``src_only``/``tgt_only``: the rest that are not ``weak``.
    ``src_extra``/``tgt_extra``: occurrences of a precise value written more
    often on that side than on the other (``2012年以来……相较2012年`` against
    one "2012"), the occurrences left over after pairing them in order.
    """

    matched: tuple[tuple[Quantity, Quantity], ...]
    mismatched: tuple[tuple[Quantity, Quantity], ...]
    src_only: tuple[Quantity, ...]
    tgt_only: tuple[Quantity, ...]
    src_extra: tuple[Quantity, ...] = ()
    tgt_extra: tuple[Quantity, ...] = ()


def compare_quantities(src: Sequence[Quantity], tgt: Sequence[Quantity],
                       max_orders: float = 3.0) -> QuantityComparison:
    """Pair the quantities of a source and a target text.

    A quantity is matched when some quantity on the other side has a
    compatible value (values, not counts: a number repeated in one language
    and said once in the other is fine). Unmatched quantities of the same kind
    are then paired closest first (within ``max_orders`` orders of magnitude;
    years only with years; a weak one only as :func:`_may_pair` allows, and only
    with one in the same place among the values said once on each side, see
    :func:`_in_order`) into mismatches when at least one of the two is not weak;
    what is left and not
    weak is reported on one side only. A precise value written more often on one
    side than on the other is reported in ``src_extra``/``tgt_extra``, unless a
    value left on the other side only pairs with it (as above): that pair is a
    mismatch (one occurrence changed).
    """
    matched: list[tuple[Quantity, Quantity]] = []
    un_src: list[Quantity] = []
    for q in src:
        other = next((t for t in tgt if quantities_match(q, t)), None)
        if other is not None:
            matched.append((q, other))
        else:
            un_src.append(q)
    un_tgt = [t for t in tgt if not any(quantities_match(t, q) for q in src)]
    anchors = _anchors(src, tgt)
    candidates = sorted(
        ((_distance(a, b), i, j) for i, a in enumerate(un_src) for j, b in enumerate(un_tgt)
         if _comparable(a, b, max_orders) and (not (a.weak or b.weak) or _in_order(a, b, anchors))),
        key=lambda x: x[0],
    )
    used_s: set[int] = set()
    used_t: set[int] = set()
    mismatched: list[tuple[Quantity, Quantity]] = []
    for _, i, j in candidates:
        if i in used_s or j in used_t:
            continue
        used_s.add(i)
        used_t.add(j)
        mismatched.append((un_src[i], un_tgt[j]))
    src_only = [q for i, q in enumerate(un_src) if i not in used_s and not q.weak]
    tgt_only = [q for j, q in enumerate(un_tgt) if j not in used_t and not q.weak]
    src_extra, tgt_extra = _repeated(src, tgt)
    # An occurrence written once more on one side, while the other side has a value of its kind
    # left unmatched, is most likely that value changed ("2012年以来……相较2012年" against
    # "Since 7012 ... 2012"): a mismatch, not one number dropped and another added.
    for extra, only, src_first in ((src_extra, tgt_only, True), (tgt_extra, src_only, False)):
        pairs = sorted(((_distance(a, b), i, j) for i, a in enumerate(extra) for j, b in enumerate(only)
                        if _comparable(a, b, max_orders)), key=lambda x: x[0])
        took_e: set[int] = set()
        took_o: set[int] = set()
        for _, i, j in pairs:
            if i in took_e or j in took_o:
                continue
            took_e.add(i)
            took_o.add(j)
            mismatched.append((extra[i], only[j]) if src_first else (only[j], extra[i]))
        extra[:] = [q for i, q in enumerate(extra) if i not in took_e]
        only[:] = [q for j, q in enumerate(only) if j not in took_o]
    return QuantityComparison(tuple(matched), tuple(sorted(mismatched, key=lambda p: p[0].start)),
                              tuple(src_only), tuple(tgt_only), tuple(src_extra), tuple(tgt_extra))


def _anchors(src: Sequence[Quantity], tgt: Sequence[Quantity]) -> list[tuple[int, int]]:
    """``(source start, target start)`` of the precise values written exactly once on each side
    (digits, not approximate, not weak, :func:`quantities_equal`): fixed points of the order of
    the numbers in a pair of texts."""
    def once(q: Quantity, side: Sequence[Quantity]) -> list[Quantity]:
        return [x for x in side if x.digits and not x.approx and not x.weak and quantities_equal(q, x)]

    out = []
    for q in src:
        if q.digits and not q.approx and not q.weak:
            mine, theirs = once(q, src), once(q, tgt)
            if len(mine) == 1 and len(theirs) == 1:
                out.append((q.start, theirs[0].start))
    return out


def _in_order(a: Quantity, b: Quantity, anchors: Sequence[tuple[int, int]]) -> bool:
    """Whether source quantity ``a`` and target quantity ``b`` lie between the same anchors
    (:func:`_anchors`): no value said once on each side comes before one of them and after the other."""
    return not any((s < a.start) != (t < b.start) for s, t in anchors)


def _comparable(a: Quantity, b: Quantity, max_orders: float) -> bool:
    """Whether two quantities left unmatched may be paired as one number translated wrongly: the same
    kind, years only with years (or two four-digit numbers), not both weak (:func:`_may_pair`), and
    within ``max_orders`` orders of magnitude."""
    return (a.kind == b.kind and (a.is_year == b.is_year or (_four_digits(a) and _four_digits(b)))
            and not (a.weak and b.weak) and _may_pair(a, b) and _distance(a, b) <= max_orders)


def format_value(q: Quantity) -> str:
    """A reader-friendly rendering of a quantity's value (``3,282,000``, ``30%``, ``the 1760s``)."""
    if q.form == "decade":
        return f"the {int(q.low)}s"
    if q.form == "century":
        return f"the {int(q.low) // 100 + 1}th century"
    v = q.value
    txt = f"{v:,.0f}" if abs(v - round(v)) < 1e-9 else f"{v:,.4f}".rstrip("0").rstrip(".")
    if q.kind == "ratio":
        return txt + "%"
    if q.kind == "points":
        return txt + " percentage points"
    return txt


# ---------------------------------------------------------------------------
# list numbering

_ORDINAL_WORDS = "|".join(w for w, v in _ORDINALS.items() if v <= 10)  # first ... tenth
# a list number where a list item starts: (一) (1) (iv); 一是 二、 1. I.; 第三, 其一; First, Thirdly,
_LIST_NUMBER = re.compile(
    rf"[（(]\s*(?P<paren>{_CJK_SMALL}|\d{{1,2}}|[ivx]{{1,5}}|[IVX]{{1,5}})\s*[)）]"
    rf"|{_ITEM_START}(?:(?P<head>{_CJK_SMALL}|\d{{1,2}})(?:是|、|\.(?!\d)|．)"
    rf"|第(?P<nth>{_CJK_SMALL})(?=[,，、:：])|其(?P<its>[一二三四五六七八九十])|(?P<then>首先|其次)"
    rf"|(?P<roman>[IVX]{{1,5}})\.(?=\s)"
    rf"|(?P<ordinal>(?i:{_ORDINAL_WORDS}))(?:ly)?(?=\s*,))")
_ROMAN = {"i": 1, "v": 5, "x": 10}


def _roman_value(s: str) -> int:
    """The value of a Roman numeral of i, v and x (``iv`` = 4)."""
    values = [_ROMAN[c] for c in s.lower()]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def list_numbers(text: str) -> list[tuple[int, int]]:
    """The list numbers of ``text`` (either language): ``(position, value)`` of each marker that
    opens a list item (``(一)``, ``(iv)``, ``二、``, ``三是``, ``1.``, ``I.``, ``第三,``, ``Third,``),
    in order. They are not quantities (:func:`extract_quantities` skips them), but they tell
    which item of a list a sentence is: a heading whose number the other side lacks is not
    rendered there."""
    out: list[tuple[int, int]] = []
    for m in _LIST_NUMBER.finditer(text):
        kind, s = next((k, v) for k, v in m.groupdict().items() if v)
        if kind == "ordinal":
            value = _ORDINALS[s.lower()]
        elif kind == "then":
            value = 1 if s == "首先" else 2
        elif s.isdigit():
            value = int(s)
        elif s[0] in "ivxIVX":
            value = _roman_value(s)
        else:
            cn = _cn_value(s)
            if cn is None:
                continue
            value = int(cn)
        out.append((m.start(), value))
    return out


_ORDINAL_ANYWHERE = re.compile(
    rf"\b(?i:(?P<ordinal>{_ORDINAL_WORDS}))\b"
    rf"|第(?P<nth>{_CJK_SMALL})|(?P<head>{_CJK_SMALL})是")


def _ordinal_value(m: re.Match) -> int | None:
    """The value of a match of ``_ORDINAL_ANYWHERE`` ("third", ``第三``, ``三是``), or None."""
    if m.group("ordinal"):
        return _ORDINALS[m.group("ordinal").lower()]
    cn = _cn_value(m.group("nth") or m.group("head"))
    return int(cn) if cn is not None else None


def ordinals_mentioned(text: str) -> set[int]:
    """The values of :func:`list_numbers` of ``text`` and of every ordinal it mentions anywhere
    ("the third is", ``第三``, ``三是``): what a translation may render a list number by when it
    does not open a list item with it."""
    found = {v for _, v in list_numbers(text)}
    found.update(v for m in _ORDINAL_ANYWHERE.finditer(text) if (v := _ordinal_value(m)) is not None)
    return found


_BEFORE_ITEM = re.compile(r"(?:^|[。；;：:！？!?，,])\s*[“\"‘「]*$")  # a stop, a comma or nothing before an item


def closing_list_number(text: str) -> int | None:
    """The list number or ordinal ``text`` ends with, nothing but punctuation after it
    where a list item may start (after a stop, a colon, a comma or at the start:
    ``"…reflected in: First."``, ``突出体现在:一是。``; not "he came first."), or None: a list
    item's number given without the item."""
    last = None
    for last in _ORDINAL_ANYWHERE.finditer(text):
        pass
    if (last is None or any(c.isalnum() for c in text[last.end():])
            or not _BEFORE_ITEM.search(text[:last.start()])):  # "he came first." names no item
        return None
    return _ordinal_value(last)


def opening_list_number(text: str) -> int | None:
    """The list number ``text`` opens with (:func:`list_numbers`; spaces and opening quotes before
    it allowed), or None."""
    lead = len(text) - len(text.lstrip(" \t\u3000“\"'‘「『"))
    found = list_numbers(text)
    return found[0][1] if found and found[0][0] == lead else None
