"""Sentence segmentation with exact character offsets.

:func:`segment_document` cuts the regions of a :class:`~align.records.Document`
into :class:`~align.records.Segment` records whose ``text`` is exactly
``Document.text[start:end]`` (surrounding whitespace left in the gaps), so the
segments plus the gaps between them give back the original text.

How a region is cut:

1. **Hard boundaries, every language** (hand-written: no maintained library
   splits Chinese with offsets and quote rules). After ``。！？；｡`` and
   ``…``/``……`` following an ideograph, and after ASCII ``?!;`` used right
   after or before an ideograph (common in Chinese typed on an English keyboard, as in
   ``seeds/000``), together with any closing quotes/brackets that follow.
   Never inside a balanced ``“…”``, ``「…」``, ``『…』`` or ``（…）`` pair:
   a quoted passage ending in a terminator ends its sentence after the closing
   mark. Also after ``.!?`` glued to a following ideograph (``efficiency.中小``), or
   to a number opening a Chinese sentence (``massive.2022年``) after a lower-case word,
   and after ``.`` ending English words with a number or capitals (``in 2022.规模``,
   ``of AI.四是``), but not after a paragraph number (``1.加快``).
2. **Alphabetic pieces** are then split by a maintained rule-based splitter
   chosen by name from :data:`LATIN_SPLITTERS` (default
   :data:`DEFAULT_SPLITTER`, sentencex: as accurate as pysbd on the seeds and
   Text+Berg de/fr and 10-20x faster, see ``bench/segmentation.py``), which
   handles abbreviations, decimals and initials. The library sees a
   same-length masked copy of the piece (newlines as spaces, word-inner
   apostrophes and unmatched brackets masked: workarounds measured in the
   benchmark), so offsets never shift. Two repairs follow whatever the
   library: a cut where sentences are glued without a space
   (``industry.He said``), and a closing quote kept with its sentence. In a
   Chinese document only pieces written mostly in an alphabet go through it.

Pieces with no sentence-final character at all (e.g. a 5 MB line without
punctuation) skip the library and stay one segment.
"""

from __future__ import annotations

import bisect
import itertools
import re
from functools import lru_cache
from typing import Callable, Iterable, Sequence

from .langid import primary_language, script_counts, written_without_spaces
from .normalize import IDEOGRAPH_RANGES, normalize_for_comparison
from .records import Document, Segment

# Ideographs (all CJK blocks, Extension B and up included), kana and hangul.
_IDEO = IDEOGRAPH_RANGES + "\u3040-\u30ff\uac00-\ud7af"
#: Closing marks that belong to the sentence they follow.
_CLOSERS = "”’」』）)》〉】〕］]\"'»›"
_CJK_TERMINATORS = "。！？；｡"

# a number (or code such as ``5G``) followed by an ideograph or CJK punctuation
_NUMBER_OPENING_CJK = rf"\d[\dA-Za-z.%]*[{_IDEO}、，；：]"
_CJK_HARD = re.compile(
    # a run of unambiguous terminators, or an ellipsis/ASCII ?!; right after an ideograph or CJK closer
    rf"(?:[{_CJK_TERMINATORS}]+|(?<=[{_IDEO}”’」』）》】])(?:…+|⋯+|[?!;]+)|[?!;]+(?=[{_IDEO}“「『（]))"
    rf"[…⋯{_CJK_TERMINATORS}?!]*"
    # or a Latin sentence end glued to a following ideograph (``efficiency.中小企业``)
    rf"|(?<=[a-z%)\]\"'”’])[.!?]+(?=[{_IDEO}])"
    # or to a number that opens the next sentence (``massive.2022年``, ``fields.5G、``): after a
    # word of three lower-case letters or more, not an abbreviation such as ``No.1`` or ``Fig.3``
    rf"|(?<=[a-z]{{3}})[.!?]+(?={_NUMBER_OPENING_CJK})"
)
_CLOSER_RUN = re.compile(rf"[{re.escape(_CLOSERS)}]*")
# what opens a Chinese (Japanese ...) sentence: an ideograph, or a number followed by one
_CJK_OPENING = re.compile(rf"[{_IDEO}]|{_NUMBER_OPENING_CJK}")
# a full stop after a number or a capital, before an ideograph (``in 2022.规模``, ``of AI.四是``); a
# boundary only after English words (below): ``1.加快`` opens a numbered paragraph
_STOP_AFTER_NUMBER_BEFORE_CJK = re.compile(rf"(?<=[A-Z\d])\.(?=[{_IDEO}])")
# a Latin word and a space, then the last token, at the end of the text searched
_LATIN_WORDS_BEFORE = re.compile(r"[A-Za-z]{2,}[\s,]+\S*$")
_PAIRS = {"“": "”", "「": "」", "『": "』", "（": "）"}
_OPENERS = "".join(_PAIRS)
_CLOSING = "".join(_PAIRS.values())
_LATIN_TERMINATOR = re.compile(r"[.!?।؟։።]")



# --------------------------------------------------------------------------- splitters


# A list marker opening a paragraph, ``(i)``, ``(a)``, ``(1)``: sentencex then stops
# splitting the whole paragraph (seen with sentencex 1.0), so it is masked with
# spaces (same length, offsets unchanged) before the library sees the text.
_LEADING_ENUMERATOR = re.compile(r"^\s*[(（]\w{1,4}[)）]")
# Two sentences glued without a space, ``industry.He said``: a lower-case word of
# two letters or more, a full stop, an upper-case word (not ``U.S.``, ``e.g.``, ``3.5``).
_GLUED = re.compile(r"(?<=[a-z]{2}[.!?])(?=[A-Z][a-z])")
_CLOSE_AFTER_STOP = "\"”’»)]"
# An apostrophe inside a word (``l'eau``, ``China’s``): the libraries may take the
# text between two of them for a quotation and stop splitting inside it (Text+Berg
# German with pysbd: F1 0.916 unmasked, 0.965 masked); masked as a letter.
_INNER_APOSTROPHE = re.compile(r"(?<=\w)['’](?=\w)")


_BRACKETS = {"(": ")", "[": "]", "{": "}", "<": ">", "«": "»", "‹": "›", "“": "”", "（": "）", "„": "“"}
_BRACKET_CLOSERS = {v: k for k, v in _BRACKETS.items()}


def _mask_unbalanced(s: str) -> str:
    """``s`` with unmatched brackets and quotes replaced by spaces (same length).

    sentencex does not split inside brackets or quotes, so one unmatched ``(``
    or ``<`` (an OCR slip for a quote) would silence the rest of the paragraph
    (Text+Berg French: F1 0.906 unmasked, 0.958 masked). ``<`` must be in the
    set: masking the ``)`` of an OCR'd ``<quote)`` alone cost German 3 points.
    An odd number of ASCII ``"`` masks them all.
    """
    chars = list(s)
    stack: list[int] = []
    for i, ch in enumerate(chars):
        top = chars[stack[-1]] if stack else None
        if top and (ch == "“" and top == "„" or ch == "”" and top in "“„"
                    or ch in _BRACKET_CLOSERS and top == _BRACKET_CLOSERS[ch]):
            stack.pop()  # German „…“ and „…” close with the English opening mark
        elif ch in _BRACKETS:
            stack.append(i)
        elif ch in _BRACKET_CLOSERS:
            chars[i] = " "
    for i in stack:
        chars[i] = " "
    if s.count('"') % 2:
        chars = [" " if c == '"' else c for c in chars]
    return "".join(chars)


def _sentence_starts(text: str, sentences: Iterable[str]) -> list[int]:
    """Offsets in ``text`` where the 2nd, 3rd ... of a library's sentences start."""
    starts: list[int] = []
    cursor = 0
    for sent in sentences:
        s = sent.strip()
        if not s:
            continue
        pos = text.find(s, cursor)
        if pos < 0:  # the library changed the text: keep the rest as one sentence
            break
        if cursor:  # the first sentence starts the piece, even after masked characters
            starts.append(pos)
        cursor = pos + len(s)
    return starts


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _mask_for_library(text: str, *, brackets: bool) -> str:
    """Same-length copy of ``text`` that a library splits better (see the notes above each mask).

    Newlines become spaces (a wrapped line is not a sentence end; pysbd cuts
    at every newline) and word-inner apostrophes letters. With ``brackets``,
    also masks unmatched brackets/quotes and a leading list marker (sentencex
    workarounds; they cost pysbd accuracy on Text+Berg German, so it goes without).
    """
    masked = _INNER_APOSTROPHE.sub("x", text.replace("\n", " "))
    masked = _LONE_SURROGATE.sub("\ufffd", masked)  # the libraries encode to UTF-8, which refuses them
    if brackets:
        masked = _mask_unbalanced(masked)
        m = _LEADING_ENUMERATOR.match(masked)
        if m:
            masked = " " * m.end() + masked[m.end():]
    return masked


def _split_sentencex(text: str, lang: str) -> list[int]:
    import sentencex

    masked = _mask_for_library(text, brackets=True)
    return _sentence_starts(masked, sentencex.segment(lang, masked))


_PYSBD_LANGS = frozenset(
    "en hi mr zh es am ar hy bg ur ru pl fa nl da fr my el it ja de kk sk".split()
)


@lru_cache(maxsize=16)
def _pysbd_segmenter(lang: str):
    import pysbd

    return pysbd.Segmenter(language=lang if lang in _PYSBD_LANGS else "en", clean=False)


def _split_pysbd(text: str, lang: str) -> list[int]:
    masked = _mask_for_library(text, brackets=False)
    return _sentence_starts(masked, _pysbd_segmenter(lang).segment(masked))


#: Registered sentence splitters for alphabetic text: name → ``f(text, lang) -> starts``,
#: the offsets in ``text`` where its 2nd, 3rd ... sentences start (0-based characters).
LATIN_SPLITTERS: dict[str, Callable[[str, str], list[int]]] = {
    "sentencex": _split_sentencex,
    "pysbd": _split_pysbd,
}
#: The splitter used when none is named (chosen with ``bench/segmentation.py``).
DEFAULT_SPLITTER = "sentencex"




# --------------------------------------------------------------------------- spans


def _protected_intervals(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Outermost balanced quote/bracket pairs in ``text[start:end]`` as (open, close) indices.

    Unmatched openers protect nothing, so a missing closing quote cannot swallow
    the rest of the paragraph.
    """
    stack: list[tuple[str, int]] = []
    out: list[tuple[int, int]] = []
    for m in re.finditer(f"[{_OPENERS}{_CLOSING}]", text[start:end]):
        ch, pos = m.group(), start + m.start()
        if ch in _PAIRS:
            stack.append((ch, pos))
            continue
        # a closer: pop to its matching opener, dropping unmatched inner openers
        for depth in range(len(stack) - 1, -1, -1):
            if _PAIRS[stack[depth][0]] == ch:
                opener_pos = stack[depth][1]
                del stack[depth:]
                if not stack:
                    out.append((opener_pos, pos))
                break
    return out


def _hard_cuts(text: str, start: int, end: int) -> list[int]:
    """Offsets (end-exclusive sentence ends) of the language-independent boundaries in ``[start, end)``."""
    protected = _protected_intervals(text, start, end)
    opens = [o for o, _ in protected]
    cuts: list[int] = []
    after_words = (m for m in _STOP_AFTER_NUMBER_BEFORE_CJK.finditer(text, start, end)
                   if _LATIN_WORDS_BEFORE.search(text, max(start, m.start() - 80), m.start()))
    for m in itertools.chain(_CJK_HARD.finditer(text, start, end), after_words):
        i = bisect.bisect_right(opens, m.start()) - 1
        if i >= 0 and protected[i][0] < m.start() < protected[i][1]:
            continue  # inside a quotation: its end is handled at the closing mark below
        cut = _CLOSER_RUN.match(text, m.end(), end).end()
        cuts.append(cut)
    # a quotation that ends with a terminator ends the sentence after its closing mark; one that
    # ends with a Latin full stop does when a Chinese sentence follows (``create brands.”加快``)
    for _, close in protected:
        if close > start and (text[close - 1] in _CJK_TERMINATORS + "?!…" or _latin_quote_end(text, close, end)):
            cuts.append(_CLOSER_RUN.match(text, close + 1, end).end())
    return sorted(set(c for c in cuts if start < c < end))


def _latin_quote_end(text: str, close: int, end: int) -> bool:
    """Whether the quotation closing at ``close`` ends with a full stop after a lower-case word and a
    Chinese sentence follows it (``create brands.”加快``): an English sentence in a Chinese text."""
    if close < 2 or text[close - 1] != "." or not ("a" <= text[close - 2] <= "z"):
        return False
    return bool(_CJK_OPENING.match(text, _CLOSER_RUN.match(text, close + 1, end).end(), end))


def _mostly_alphabetic(piece: str) -> bool:
    counts = script_counts(piece)
    cjk = sum(n for s, n in counts.items() if s in ("CJK", "HIRAGANA", "KATAKANA"))
    other = sum(counts.values()) - cjk
    return other > 4 * cjk  # one ideograph carries about a word of four letters


def _library_spans(
    text: str, start: int, end: int, lang: str, splitter: Callable[[str, str], list[int]]
) -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]`` from a library splitter, located back in ``text``.

    The library's sentences become cut points in the piece, so text it drops
    or changes stays inside a span: the spans always cover every non-space
    character. Two repairs apply to every library: a cut is added where two
    sentences are glued without a space (``industry.He``), and a closing quote
    or bracket right after a full stop stays with the sentence it closes
    (``year-on-year."However`` is cut after the quote).
    """
    piece = text[start:end]
    cuts = set(splitter(piece, lang))
    cuts.update(g.start() for g in _GLUED.finditer(piece))
    fixed: set[int] = set()
    for c in cuts:
        while 0 < c < len(piece) and piece[c] in _CLOSE_AFTER_STOP and piece[c - 1] in ".!?" + _CLOSE_AFTER_STOP:
            c += 1
        fixed.add(c)
    bounds = [0, *sorted(c for c in fixed if 0 < c < len(piece)), len(piece)]
    spans = []
    for a, b in zip(bounds, bounds[1:]):
        span = _strip_span(text, start + a, start + b)
        if span:
            spans.append(span)
    return spans


def _strip_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def sentence_spans(
    text: str, lang: str, start: int = 0, end: int | None = None, *, splitter: str | None = None
) -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]`` in language ``lang``, as (start, end) character offsets.

    Offsets index ``text`` (end exclusive); each span is stripped of
    surrounding whitespace, spans are in order and do not overlap, and
    whitespace-only input gives no span. ``splitter`` names an entry of
    :data:`LATIN_SPLITTERS` (default :data:`DEFAULT_SPLITTER`).
    """
    end = len(text) if end is None else end
    split = LATIN_SPLITTERS[splitter or DEFAULT_SPLITTER]
    cjk_doc = written_without_spaces(lang)
    bounds = [start, *_hard_cuts(text, start, end), end]
    spans: list[tuple[int, int]] = []
    for a, b in zip(bounds, bounds[1:]):
        piece = _strip_span(text, a, b)
        if piece is None:
            continue
        a, b = piece
        if _LATIN_TERMINATOR.search(text, a, b - 1) and (not cjk_doc or _mostly_alphabetic(text[a:b])):
            piece_lang = "en" if cjk_doc else primary_language(lang)
            spans.extend(_library_spans(text, a, b, piece_lang, split))
        else:
            spans.append((a, b))
    return spans


#: A line break: ``\r\n`` (Windows), ``\n`` (Unix) or a lone ``\r`` (classic Mac OS).
LINE_BREAK = re.compile(r"\r\n?|\n")


class LineIndex:
    """Maps character offsets of a text to 1-based line numbers (binary search over line breaks).

    Line breaks are ``\\r\\n``, ``\\n`` or a lone ``\\r`` (:data:`LINE_BREAK`);
    a break belongs to the line it ends.
    """

    def __init__(self, text: str) -> None:
        self._ends = [m.end() for m in LINE_BREAK.finditer(text)]

    def line_of(self, offset: int) -> int:
        """The 1-based line holding character ``offset`` (0-based)."""
        return bisect.bisect_right(self._ends, offset) + 1


def segment_document(doc: Document, *, splitter: str | None = None) -> list[Segment]:
    """Cut ``doc``'s regions into sentences with exact offsets (see the module docstring).

    Returns segments in text order with ``idx`` 0, 1, ...; each has
    ``text == doc.text[start:end]`` (characters, end exclusive), no surrounding
    whitespace, ``line`` = 1-based line of ``start`` in ``doc.text``, and
    ``norm`` from :func:`align.normalize.normalize_for_comparison`. Text
    outside ``doc.regions`` is never segmented.
    """
    lines = LineIndex(doc.text)
    out: list[Segment] = []
    for region in sorted(doc.regions, key=lambda r: (r.start, r.end)):
        for a, b in sentence_spans(doc.text, doc.lang, region.start, region.end, splitter=splitter):
            s = doc.text[a:b]
            out.append(
                Segment(
                    doc_id=doc.doc_id,
                    lang=doc.lang,
                    idx=len(out),
                    text=s,
                    norm=normalize_for_comparison(s, doc.lang),
                    start=a,
                    end=b,
                    line=lines.line_of(a),
                )
            )
    return out


def gaps(text: str, spans: Sequence[tuple[int, int]]) -> list[str]:
    """The text between consecutive spans (len(spans) + 1 strings, first before, last after).

    ``gaps[0] + seg0 + gaps[1] + seg1 + ... + gaps[-1] == text``: the round trip
    the tests check.
    """
    out, pos = [], 0
    for a, b in spans:
        out.append(text[pos:a])
        pos = b
    out.append(text[pos:])
    return out
