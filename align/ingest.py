"""Ingestion: from an :class:`~align.discover.InputSpec` to an :class:`~align.records.InputUnit`.

Three layers, only the last touches files:

* :func:`decode_bytes` (pure): bytes → (text, encoding name), refusing empty,
  binary and undecodable data with an InputError naming the file and byte offset;
* :func:`build_unit` / :func:`build_pair_unit` (pure): decoded text → the
  document's language versions, detecting the input's shape;
* :func:`read_input`: reads the spec's files and calls the two above.

Shapes :func:`build_unit` recognises in one file:

``interleaved``
    paragraphs alternate between the two languages (``seeds/000``, ``001``).
    The alternation is *detected* from each paragraph's language, not assumed:
    a missing or doubled paragraph is kept in its language's regions and
    reported in ``InputUnit.notes`` with its line.
``monolingual``
    one language, possibly with runs of another language inside
    (``seeds/002``); one Document whose regions are all its paragraphs. The
    other-language runs are left in place for the QA checks to report.

A *paragraph* of plain text is a non-blank line (the unit translators
interleave), or a whole block of hard-wrapped prose (see
:func:`split_paragraphs`); its region excludes surrounding whitespace. Other
formats (``.docx``, ``.html``, ``.md``, ``.srt``; ``.tmx``, ``.xliff``,
``.csv``/``.tsv`` which give pairs directly) are read by :mod:`align.formats`,
which gives the paragraphs and the mapping back to the file's lines.
"""

from __future__ import annotations

import codecs
import os
import re
from dataclasses import dataclass
from typing import Sequence

from .discover import MANIFEST_NAMES, InputSpec, read_manifest
from .errors import InputError
from .formats import READERS, Layout, PairLayout, TextLayout, reader_for
from .langid import (
    detect_language,
    lang_scripts,
    language_confidence,
    language_name,
    language_runs,
    likely_language,
    primary_language,
)
from .records import Document, InputUnit, Origin, Region
from .segment import LINE_BREAK, LineIndex

#: File extensions read as plain text (files without an extension are too).
PLAIN_TEXT_EXTENSIONS = frozenset({".txt", ".text", ""})

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Encodings charset-normalizer may choose among when the bytes are not UTF-8,
# in order of preference when it rates several equally (cp1252 before cp1250:
# both decode most Western text, only one decodes it right).
_LEGACY_ENCODINGS = [
    "gb18030", "big5", "big5hkscs", "utf_16_le", "utf_16_be", "shift_jis", "euc_jp", "euc_kr",
    "cp1252", "latin_1", "iso8859_15", "cp1250", "cp1251", "koi8_r",
]
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


# --------------------------------------------------------------------------- decoding


def _line_of_byte(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _refuse_binary(text: str, path: str, encoding: str, skip: int = 0) -> None:
    """Raise when decoded text is full of control characters (a binary file that happened to decode).

    ``skip`` is the length of a byte-order mark before the text, for the byte offset.
    """
    head = text[:65536]
    hits = _CONTROL.findall(head)
    if hits and len(hits) > max(2, len(head) // 100):
        idx = _CONTROL.search(head).start()
        codec = "utf-8" if encoding == "utf-8-sig" else encoding
        raise InputError(
            path,
            f"looks like a binary file, not text ({len(hits)} control characters in the first 64 KiB)",
            "Give a text file (UTF-8, UTF-16, GB18030 or Big5) or a supported document format.",
            line=text.count("\n", 0, idx) + 1,
            byte_offset=skip + len(text[:idx].encode(codec, errors="replace")),
        )


def _strict(data: bytes, encoding: str, path: str, skip: int = 0) -> str:
    try:
        return data[skip:].decode(encoding)
    except UnicodeDecodeError as exc:
        off = skip + exc.start
        raise InputError(
            path,
            f"invalid {encoding} bytes {data[off:off + 4]!r} ({exc.reason})",
            "Re-save the file as UTF-8, or fix the bytes at that offset.",
            line=_line_of_byte(data, off),
            byte_offset=off,
        ) from exc


def _mostly_utf8(data: bytes) -> bool:
    """True when the non-ASCII bytes are mostly well-formed UTF-8 (so a failure is corruption, not another encoding)."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 127 and ch != "\ufffd")
    return good >= 4 * max(bad, 1)


def _utf16_without_bom(data: bytes) -> str | None:
    """The UTF-16 variant of BOM-less data whose every other byte is mostly NUL, else None."""
    if len(data) < 4 or len(data) % 2:
        return None
    even_nul = data[0::2].count(0) / (len(data) / 2)
    odd_nul = data[1::2].count(0) / (len(data) / 2)
    if odd_nul > 0.3 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.3 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def decode_bytes(data: bytes, path: str) -> tuple[str, str]:
    """Decode a file's bytes: returns (text, encoding name as detected).

    Order: a byte-order mark (UTF-8/16/32) decides; else strict UTF-8; else
    BOM-less UTF-16 of mostly-ASCII text (by its NUL pattern); else
    charset-normalizer among GB18030, Big5, BOM-less UTF-16 and other legacy
    encodings. Names are Python's canonical codec names (``utf-8``,
    ``utf-8-sig``, ``utf-16-le``, ``gb18030``, ``big5``, ``cp1252`` ...).
    Data that is mostly UTF-8 with a few bad bytes is refused rather than
    guessed as another encoding.
    ``path`` is only used in messages. Raises InputError (with
    ``byte_offset``, 0-based) for empty, binary or undecodable data.
    """
    if not data:
        raise InputError(path, "file is empty", "Remove it from the batch or give the file its text.")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            skip = len(bom) if enc != "utf-8-sig" else 0
            text = _strict(data, enc, path, skip=skip)
            _refuse_binary(text, path, enc, len(bom))
            return text, enc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    else:
        _refuse_binary(text, path, "utf-8")
        return text, "utf-8"
    utf16 = _utf16_without_bom(data)
    if utf16:
        text = _strict(data, utf16, path)
        _refuse_binary(text, path, utf16)
        return text, utf16
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(path, "looks like a binary file, not text (it contains NUL bytes)",
                         "Give a text file or a supported document format.",
                         line=_line_of_byte(data, nul), byte_offset=nul)
    if _mostly_utf8(data):
        _strict(data, "utf-8", path)  # raises with the offset of the first bad byte
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data, cp_isolation=_LEGACY_ENCODINGS))
    if matches:
        low = min(m.chaos for m in matches)
        tied = [m for m in matches if m.chaos == low]
        high = max(m.coherence for m in tied)
        tied = [m for m in tied if m.coherence == high]
        rank = {enc: i for i, enc in enumerate(_LEGACY_ENCODINGS)}
        best = min(tied, key=lambda m: rank.get(m.encoding, len(rank)))
    else:
        best = None
    if best is None:
        raise InputError(
            path,
            "cannot tell its encoding: not UTF-8 (first invalid byte here) nor GB18030, Big5 or another known encoding",
            "Re-save the file as UTF-8.",
            line=_line_of_byte(data, first_bad),
            byte_offset=first_bad,
        )
    text = str(best)
    name = codecs.lookup(best.encoding).name
    _refuse_binary(text, path, name)
    return text, name


_SURROGATE = re.compile("[\ud800-\udfff]")


def _refuse_surrogates(text: str, path: str) -> None:
    """Raise for unpaired surrogates (U+D800-U+DFFF): no file decodes to them, and no writer can encode them."""
    m = _SURROGATE.search(text)
    if m:
        raise InputError(
            path,
            f"text holds an unpaired surrogate code point U+{ord(m.group()):04X} at character {m.start()}",
            "Decode the file with decode_bytes (or strictly as UTF-8) before building the unit.",
            line=text.count("\n", 0, m.start()) + 1,
        )


# --------------------------------------------------------------------------- shapes


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph: character span ``[start, end)`` (stripped), 1-based line of ``start``, language or None.

    ``block`` numbers the blank-line-separated blocks of a plain text (0-based);
    paragraphs from format readers are each a block of their own.
    """

    start: int
    end: int
    line: int
    lang: str | None
    block: int = 0


_TERMINAL = tuple("。！？；.!?;:：…”’\"')）")


def _looks_wrapped(lines: list[tuple[int, int]], text: str) -> bool:
    """True for a block of hard-wrapped prose: long lines of similar length that mostly end mid-sentence."""
    if len(lines) < 2:
        return False
    lengths = [b - a for a, b in lines]
    longest = max(lengths)
    if longest < 40:
        return False
    inner = lines[:-1]
    wrapped = sum(1 for a, b in inner if b - a >= 0.6 * longest and not text[a:b].endswith(_TERMINAL))
    return wrapped >= 0.8 * len(inner)


_SAMPLE_CHARS = 100_000


def _sample(text: str) -> str:
    """``text`` itself, or for long texts 50 evenly spaced windows of it (language needs no more)."""
    if len(text) <= _SAMPLE_CHARS:
        return text
    step = len(text) // 50
    width = _SAMPLE_CHARS // 50
    return "\n".join(text[i : i + width] for i in range(0, len(text), step))


def _detect(text: str, candidates: tuple[str, ...]) -> str | None:
    """Language of ``text`` among ``candidates`` (full codes kept: ``zh-Hant`` stays ``zh-Hant``).

    The writing system decides (:func:`align.langid.detect_language`); when
    two candidates share it (de/fr), lingua's confidence between them does
    (:func:`align.langid.language_confidence`). Texts over 100,000 characters
    are judged on an evenly spread sample.
    """
    sample = _sample(text)
    found = detect_language(sample, tuple(primary_language(c) for c in candidates))
    matches = [c for c in candidates if found is not None and primary_language(c) == found]
    if not matches:
        return found
    rivals = [c for c in candidates if c != matches[0] and _same_script(c, matches[0])]
    if rivals:
        conf = language_confidence(sample, matches[0], (matches[0], rivals[0]))
        if conf is not None and conf < 0.5:
            return rivals[0]
    return matches[0]


def _declared_mismatch(text: str, declared: str, detected: str, candidates: tuple[str, ...]) -> str | None:
    """The language ``text`` really looks like when it contradicts ``declared``, else None.

    A different writing system always contradicts; within one script (de/fr)
    only a confident statistical verdict does (:func:`_confidently_other`).
    """
    if not _same_script(declared, detected):
        return detected
    for rival in candidates:
        if primary_language(rival) != primary_language(declared) and _same_script(rival, declared):
            if _confidently_other(text, declared, rival):
                return rival
    return None


#: Widely used languages written in Latin script: a document said to be in one
#: of the run's Latin-script languages is checked against these, so a French
#: file in an English-Chinese run is refused instead of aligned as English.
COMMON_LATIN_LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl", "sv", "da", "nb", "fi", "pl", "cs", "ro",
                          "hu", "tr", "id", "vi")


def _third_language(text: str, lang: str) -> str | None:
    """Another language ``text`` is confidently in (>= 0.9, 200+ letters), though taken for ``lang``; else None."""
    if primary_language(lang) not in COMMON_LATIN_LANGUAGES:
        return None
    sample = _sample(text)
    if sum(1 for ch in sample if ch.isascii() and ch.isalpha()) < 200:
        return None
    verdict = likely_language(sample, COMMON_LATIN_LANGUAGES)
    if verdict is None:
        return None
    found, conf = verdict
    return found if conf >= 0.9 and found != primary_language(lang) else None


def _confidently_other(text: str, declared: str, other: str) -> bool:
    """True when lingua is sure (>= 0.9 on 100+ letters) that ``text`` is in ``other``, not ``declared``."""
    sample = _sample(text)
    if sum(1 for ch in sample if ch.isalpha()) < 100:
        return False
    conf = language_confidence(sample, other, (declared, other))
    return conf is not None and conf >= 0.9


def split_paragraphs(text: str, candidates: tuple[str, ...] = ()) -> list[Paragraph]:
    """The paragraphs of a plain text, with stripped spans, lines and languages.

    Lines end at ``\\n``, ``\\r\\n`` or a lone ``\\r``.
    A paragraph is a non-blank line, except that a block of hard-wrapped prose
    (lines between blank lines, all in one language, long and of similar
    length, mostly not ending a sentence) is one paragraph. Language is
    detected among ``candidates`` (None for lines without letters, e.g. ``2023``).
    """
    blocks: list[list[tuple[int, int, int]]] = [[]]  # (start, end, line) of stripped non-blank lines
    pos = 0
    for n, brk in enumerate([*LINE_BREAK.finditer(text), None], 1):
        stop = brk.start() if brk else len(text)
        line = text[pos:stop]
        stripped = line.strip()
        if stripped:
            a = pos + (len(line) - len(line.lstrip()))
            blocks[-1].append((a, a + len(stripped), n))
        elif blocks[-1]:
            blocks.append([])
        pos = brk.end() if brk else len(text)
    out: list[Paragraph] = []
    for k, block in enumerate(b for b in blocks if b):
        langs = [_detect(text[a:b], candidates) for a, b, _ in block]
        if len(set(langs) - {None}) <= 1 and _looks_wrapped([(a, b) for a, b, _ in block], text):
            a, b = block[0][0], block[-1][1]
            out.append(Paragraph(a, b, block[0][2], _detect(text[a:b], candidates), k))
        else:
            out.extend(Paragraph(a, b, n, lang, k) for (a, b, n), lang in zip(block, langs))
    return out


def paragraphs_from_spans(text: str, spans: Sequence[tuple[int, int]], candidates: tuple[str, ...] = ()) -> list[Paragraph]:
    """Paragraph records for given ``(start, end)`` spans of ``text`` (from a format reader)."""
    index = LineIndex(text)
    kept = [(a, b) for a, b in spans if b > a]
    return [Paragraph(a, b, index.line_of(a), _detect(text[a:b], candidates), k) for k, (a, b) in enumerate(kept)]


def _same_script(a: str, b: str) -> bool:
    return bool(lang_scripts(primary_language(a)) & lang_scripts(primary_language(b)))


@dataclass(frozen=True, slots=True)
class _Unit:
    """Consecutive paragraphs that take one turn in the alternation (indices into the paragraph list)."""

    members: tuple[int, ...]
    lang: str | None


def _units(paras: list[Paragraph], a: str, b: str, by_block: bool) -> list[_Unit]:
    """The turns of the alternation: each paragraph, or (``by_block``) each blank-line-separated
    block in one language (letterless paragraphs join it). Block turns need at
    least two blocks, nine in ten of them in a single language; else no turns."""
    if by_block:
        block_langs: dict[int, set[str]] = {}
        for p in paras:
            block_langs.setdefault(p.block, set()).update({p.lang} & {a, b})
        mixed = sum(1 for langs in block_langs.values() if len(langs) > 1)
        if len(block_langs) < 2 or mixed > 0.1 * len(block_langs):
            return []
    units: list[list[int]] = []
    langs: list[str | None] = []
    for i, p in enumerate(paras):
        lang = p.lang if p.lang in (a, b) else None
        if by_block and units and paras[units[-1][-1]].block == p.block and (lang is None or langs[-1] in (None, lang)):
            units[-1].append(i)
            langs[-1] = langs[-1] or lang
        else:
            units.append([i])
            langs.append(lang)
    return [_Unit(tuple(m), lang) for m, lang in zip(units, langs)]


def _is_interleaved(units: list[_Unit], a: str, b: str) -> bool:
    """Both languages present in similar numbers and mostly alternating turn by turn."""
    langs = [u.lang for u in units if u.lang is not None]
    if len(langs) < 2:
        return False
    na, nb = langs.count(a), langs.count(b)
    if min(na, nb) == 0 or min(na, nb) / max(na, nb) < 0.5:
        return False
    switches = sum(1 for x, y in zip(langs, langs[1:]) if x != y)
    return switches / (len(langs) - 1) >= 0.6


def _assign_interleaved(
    paras: list[Paragraph], units: list[_Unit], a: str, b: str, path: str
) -> tuple[list[str], list[str]]:
    """Each paragraph's language in an interleaved file, plus notes on breaks in the alternation.

    A turn without letters, or in a third language, goes to the language whose
    turn it is (the opposite of the previous turn's), and is noted; two turns
    in a row in one language are noted with both lines.
    """
    assigned: list[str] = [a] * len(paras)
    notes: list[str] = []
    prev: _Unit | None = None
    prev_lang: str | None = None
    for unit in units:
        first = paras[unit.members[0]]
        lang = unit.lang
        if lang is None:
            lang = (b if prev_lang == a else a) if prev_lang else a
            seen = {paras[i].lang for i in unit.members} - {None}
            what = "has no letters" if not seen else f"looks like {', '.join(sorted(seen))}, neither {a} nor {b}"
            notes.append(f"{path}:{first.line}: paragraph {what}; kept with the {lang} side")
        elif prev is not None and prev_lang == lang and prev.lang is not None:
            other = b if lang == a else a
            notes.append(
                f"{path}:{first.line}: two {lang} paragraphs in a row (lines {paras[prev.members[0]].line} and "
                f"{first.line}); a {other} paragraph is missing there or the {lang} one is doubled"
            )
        for i in unit.members:
            assigned[i] = lang
        prev, prev_lang = unit, lang
    return assigned, notes


def _run_notes(path: str, text: str, lang: str, other: str, regions: Sequence[Region], min_letters: int) -> list[str]:
    """Notes naming the runs of ``other`` (at least ``min_letters`` letters) inside a ``lang`` text."""
    notes: list[str] = []
    index = LineIndex(text)
    for r in regions:
        for run in language_runs(text, (lang, other), r.start, r.end):
            if run.lang == other and run.letters >= min_letters:
                notes.append(
                    f"{path}:{index.line_of(run.start)}: {language_name(other)} text at characters "
                    f"{run.start}-{run.end} ({run.end - run.start} characters) inside the {language_name(lang)} "
                    f"text; the QA checks report it"
                )
    return notes


def _other_run_threshold(lang: str) -> int:
    """Letters a run needs to be worth a note: a few words (ideographs count one each, letters a quarter)."""
    return 6 if lang_scripts(primary_language(lang)) & {"CJK", "HIRAGANA", "KATAKANA", "HANGUL"} else 24


def build_unit(
    doc_id: str,
    path: str,
    text: str,
    encoding: str,
    src_lang: str,
    tgt_lang: str,
    *,
    paragraphs: Sequence[tuple[int, int]] | None = None,
    notes: Sequence[str] = (),
) -> InputUnit:
    """Detect the shape of one decoded file and build its InputUnit (pure).

    ``interleaved``: one Document per language, each with ``text`` = the whole
    file and ``regions`` = that language's paragraphs, breaks in the
    alternation noted with their line. ``monolingual``: one Document in the
    dominant language, whose regions are all paragraphs; runs of the other
    language inside are noted (with character spans) and left in place.
    ``paragraphs`` overrides :func:`split_paragraphs` (format readers give
    their own blocks); ``notes`` are carried into the unit. Raises InputError
    when the text is only whitespace, has no letters, or is in a script
    neither language uses.
    """
    if not text.strip():
        raise InputError(path, "file contains only whitespace", "Remove it from the batch or give it its text.")
    _refuse_surrogates(text, path)
    candidates = (src_lang, tgt_lang)
    paras = (split_paragraphs(text, candidates) if paragraphs is None
             else paragraphs_from_spans(text, paragraphs, candidates))
    if not paras:
        raise InputError(path, "no text found in the file", "Check that this is the document you meant.")
    out_notes = list(notes)
    units = None
    for by_block in (False, True):  # lines alternate (seeds/000), or blocks between blank lines do
        candidate_units = _units(paras, src_lang, tgt_lang, by_block)
        if _is_interleaved(candidate_units, src_lang, tgt_lang):
            units = candidate_units
            break
    if units is not None:
        assigned, shape_notes = _assign_interleaved(paras, units, src_lang, tgt_lang, path)
        docs = []
        for lang in candidates:
            regions = tuple(Region(p.start, p.end) for p, l in zip(paras, assigned) if l == lang)
            third = _third_language("\n".join(text[r.start : r.end] for r in regions), lang)
            if third and third not in {primary_language(c) for c in candidates}:
                raise InputError(
                    path,
                    f"the paragraphs taken for {language_name(lang)} are in {language_name(third)} ({third}); "
                    f"the run is {src_lang}→{tgt_lang}",
                    "Pass the document's languages with --src-lang/--tgt-lang.",
                )
            docs.append(Document(doc_id, path, lang, text, encoding, Origin.INTERLEAVED, regions))
        return InputUnit(doc_id, "interleaved", tuple(docs), tuple(out_notes + shape_notes))
    body = "\n".join(text[p.start:p.end] for p in paras)
    lang = _detect(body, candidates)
    if lang is None:
        raise InputError(path, "file has no letters in any script (only digits, punctuation or symbols)",
                         "Check that this is the document you meant to give.")
    if lang not in candidates:
        legacy = not encoding.startswith(("utf", "docx"))
        raise InputError(
            path,
            f"text is in {language_name(lang)} ({lang}), but the run is {src_lang}→{tgt_lang}"
            + (f" (decoded as {encoding})" if legacy else ""),
            ("If the encoding guess is wrong, re-save the file as UTF-8; otherwise pass " if legacy else "Pass ")
            + "the document's languages with --src-lang/--tgt-lang, or leave this file out.",
        )
    third = _third_language(body, lang)
    if third and third not in (primary_language(src_lang), primary_language(tgt_lang)):
        raise InputError(
            path,
            f"text is in {language_name(third)} ({third}), but the run is {src_lang}→{tgt_lang}",
            "Pass the document's languages with --src-lang/--tgt-lang, or leave this file out.",
        )
    regions = tuple(Region(p.start, p.end) for p in paras)
    other = tgt_lang if lang == src_lang else src_lang
    if not _same_script(lang, other):
        out_notes += _run_notes(path, text, lang, other, regions, _other_run_threshold(other))
    doc = Document(doc_id, path, lang, text, encoding, Origin.FILE, regions)
    return InputUnit(doc_id, "monolingual", (doc,), tuple(out_notes))


@dataclass(frozen=True, slots=True)
class SideText:
    """One decoded side of a pair: file, text, encoding, declared language (or None) and paragraph spans.

    ``paragraphs`` None means :func:`split_paragraphs` decides.
    """

    path: str
    text: str
    encoding: str
    lang: str | None
    paragraphs: tuple[tuple[int, int], ...] | None = None


def build_pair_unit(
    doc_id: str,
    sides: tuple[SideText, SideText],
    src_lang: str,
    tgt_lang: str,
    origin: Origin = Origin.FILE,
    notes: Sequence[str] = (),
) -> InputUnit:
    """Build a ``pair`` InputUnit from two decoded sides (pure).

    A side's language is its declared one when given, else detected. Each
    Document's ``text`` is its own side's text and its regions that side's
    paragraphs, in order. Documents come in (source, target) order. Raises
    InputError naming the file when a side is empty, written in a script its
    declared language does not use, both sides are in the same language, or
    the languages are not the run's.
    """
    candidates = (src_lang, tgt_lang)
    resolved: list[tuple[SideText, str]] = []
    for side in sides:
        _refuse_surrogates(side.text, side.path)
        if not side.text.strip():
            raise InputError(side.path, "no text (empty or only whitespace)" if side.paragraphs is None
                             else "one side of the pair has no text", "Give both sides their text.")
        detected = _detect(side.text, candidates)
        if detected is None:
            raise InputError(side.path, "no letters in any script", "Check that this is the document you meant.")
        looks_like = _declared_mismatch(side.text, side.lang, detected, candidates) if side.lang else None
        if looks_like:
            raise InputError(
                side.path,
                f"declared as {side.lang} but its text looks like {looks_like}",
                "Rename the file with its real language code (name.<lang>.ext) or fix the manifest.",
            )
        lang = side.lang or detected
        third = _third_language(side.text, lang)
        if third and third not in {primary_language(c) for c in candidates}:
            raise InputError(
                side.path,
                f"text is in {language_name(third)} ({third}), not {language_name(lang)} as "
                + ("declared" if side.lang else "the run expects"),
                "Give the file its real language code, or pass the languages with --src-lang/--tgt-lang.",
            )
        resolved.append((side, lang))
    (s1, l1), (s2, l2) = resolved
    if primary_language(l1) == primary_language(l2):
        where = s1.path if s1.path == s2.path else f"{s1.path} and {s2.path}"
        raise InputError(
            s1.path,
            f"both sides are in {language_name(l1)} ({where})",
            "Pair a document with its translation, or check which file is which.",
        )
    docs = []
    for want in candidates:
        match = [(s, l) for s, l in resolved if l == want or primary_language(l) == primary_language(want)]
        if not match:
            continue
        side, _ = match[0]
        paras = (split_paragraphs(side.text) if side.paragraphs is None
                 else paragraphs_from_spans(side.text, side.paragraphs))
        regions = tuple(Region(p.start, p.end) for p in paras)
        docs.append(Document(doc_id, side.path, want, side.text, side.encoding, origin, regions))
    if len(docs) < 2:
        langs = ", ".join(f"{s.path} ({l})" for s, l in resolved)
        raise InputError(
            s1.path,
            f"the pair's languages ({langs}) are not the run's {src_lang} and {tgt_lang}",
            "Pass --src-lang/--tgt-lang to match the files, or rename them with their language codes.",
        )
    return InputUnit(doc_id, "pair", tuple(docs), tuple(notes))


# --------------------------------------------------------------------------- reading


def read_bytes(path: str) -> bytes:
    """The raw bytes of ``path``; InputError naming it when it cannot be read."""
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except FileNotFoundError as exc:
        raise InputError(path, "no such file", "Check the path.") from exc
    except IsADirectoryError as exc:
        raise InputError(path, "is a folder, not a file", "Give the folder itself to discover its files.") from exc
    except OSError as exc:
        raise InputError(path, f"cannot read the file ({exc.strerror})", "Check its permissions.") from exc


def supported_extensions() -> list[str]:
    """Every file extension :func:`read_input` reads (plain text and the format readers)."""
    return sorted({e for e in PLAIN_TEXT_EXTENSIONS if e} | set(READERS))


def read_layout(path: str) -> Layout:
    """Read one file into a layout: plain text is decoded and split here, other formats go to their reader."""
    ext = os.path.splitext(path)[1].lower()
    if ext in PLAIN_TEXT_EXTENSIONS:
        text, enc = decode_bytes(read_bytes(path), path)
        return TextLayout(text, enc, ())
    reader = reader_for(ext)
    if reader is None:
        raise InputError(
            path,
            f"unsupported file format {ext!r}",
            f"Supported: {', '.join(supported_extensions())} and files without extension.",
        )
    return reader(read_bytes(path), path)


def _spans_or_none(layout: TextLayout, path: str) -> tuple[tuple[int, int], ...] | None:
    """The layout's paragraphs; None (split the text here) for plain text."""
    return None if os.path.splitext(path)[1].lower() in PLAIN_TEXT_EXTENSIONS else layout.paragraphs


def read_input(spec: InputSpec, src_lang: str, tgt_lang: str) -> InputUnit:
    """Read one spec's file(s) and build its InputUnit (the only function here that opens files).

    One file: plain text or a document format → :func:`build_unit`; a format
    that carries pairs (TMX, XLIFF, two-column tables) → :func:`build_pair_unit`.
    Two files → :func:`build_pair_unit`. Raises InputError naming the file
    (and line/byte offset where it applies) for a spec with a problem, a
    missing, unsupported, empty, whitespace-only, binary or undecodable file,
    or a pair in the wrong languages.
    """
    if spec.problem:
        raise InputError(spec.paths[0], spec.problem, "Fix or remove this input; the other documents still run.")
    if len(spec.paths) == 1:
        path = spec.paths[0]
        if os.path.basename(path) in MANIFEST_NAMES:  # a spec rebuilt without its ``problem``
            read_manifest(path)  # raises the manifest's own error
            raise InputError(path, "a pairs manifest is not a document", "Give its folder to read the pairs it lists.")
        layout = read_layout(path)
        if isinstance(layout, PairLayout):
            sides = (SideText(path, layout.first.text, layout.encoding, layout.first.lang, layout.first.paragraphs),
                     SideText(path, layout.second.text, layout.encoding, layout.second.lang, layout.second.paragraphs))
            return build_pair_unit(spec.doc_id, sides, src_lang, tgt_lang, Origin.FILE, layout.notes)
        declared = spec.langs[0] if spec.langs else None
        unit = build_unit(spec.doc_id, path, layout.text, layout.encoding, src_lang, tgt_lang,
                          paragraphs=_spans_or_none(layout, path), notes=layout.notes)
        looks_like = (_declared_mismatch(layout.text, declared, unit.documents[0].lang, (src_lang, tgt_lang))
                      if declared and unit.kind == "monolingual" else None)
        if looks_like:
            raise InputError(path, f"declared as {declared} by its name but its text looks like {looks_like}",
                             "Rename the file with its real language code.")
        return unit
    decoded: list[SideText] = []
    notes: list[str] = []
    for path, lang in zip(spec.paths, spec.langs):
        layout = read_layout(path)
        if isinstance(layout, PairLayout):
            raise InputError(path, "this format already holds both languages; it cannot be one side of a pair",
                             "Give the file on its own.")
        decoded.append(SideText(path, layout.text, layout.encoding, lang, _spans_or_none(layout, path)))
        notes.extend(layout.notes)
    wanted = decoded
    if len(decoded) > 2:
        wanted = [d for d in decoded if d.lang and primary_language(d.lang) in (primary_language(src_lang), primary_language(tgt_lang))]
    if len(wanted) != 2:
        raise InputError(
            spec.paths[0],
            f"{len(decoded)} files share this name ({', '.join(spec.paths)}) and {len(wanted)} are in "
            f"{src_lang} or {tgt_lang}",
            "Give exactly one file per language, or list the pair in pairs.csv.",
        )
    notes += [f"{d.path}: not in {src_lang} or {tgt_lang}; not used in this run" for d in decoded if d not in wanted]
    origin = Origin.MANIFEST if spec.manifest else Origin.FILE
    return build_pair_unit(spec.doc_id, (wanted[0], wanted[1]), src_lang, tgt_lang, origin, notes)
