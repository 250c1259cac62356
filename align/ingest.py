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

A *paragraph* is a non-blank line (the unit translators interleave); its
region excludes the line's leading and trailing whitespace.
"""

from __future__ import annotations

import codecs
import os
import re
from dataclasses import dataclass

from .discover import InputSpec
from .errors import InputError
from .langid import SCRIPT_LANG, detect_language, script_counts
from .records import Document, InputUnit, Origin, Region

#: File extensions read as plain text (files without an extension are too).
PLAIN_TEXT_EXTENSIONS = frozenset({".txt", ".text", ""})

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Legacy encodings charset-normalizer may choose among when the bytes are not
# UTF-8: the Chinese ones first, then common single-byte and other CJK ones.
_LEGACY_ENCODINGS = [
    "gb18030", "big5", "big5hkscs", "shift_jis", "euc_jp", "euc_kr",
    "cp1252", "latin_1", "cp1251", "koi8_r", "cp1250", "iso8859_15",
]
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


# --------------------------------------------------------------------------- decoding


def _line_of_byte(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _refuse_binary(text: str, data: bytes, path: str, encoding: str) -> None:
    """Raise when decoded text is full of control characters (a binary file that happened to decode)."""
    hits = _CONTROL.findall(text[:65536])
    if hits and len(hits) > max(2, len(text[:65536]) // 100):
        first = data.find(hits[0].encode(encoding if "utf" in encoding else "latin-1", "replace")[:1])
        raise InputError(
            path,
            f"looks like a binary file, not text ({len(hits)} control characters in the first 64 KiB)",
            "Give a text file (UTF-8, UTF-16, GB18030 or Big5) or a supported document format.",
            byte_offset=max(first, 0),
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
    BOM-less UTF-16 (by its NUL pattern); else charset-normalizer among
    GB18030, Big5 and other legacy encodings. Data that is mostly UTF-8 with
    a few bad bytes is refused rather than guessed as another encoding.
    ``path`` is only used in messages. Raises InputError (with
    ``byte_offset``, 0-based) for empty, binary or undecodable data.
    """
    if not data:
        raise InputError(path, "file is empty", "Remove it from the batch or give the file its text.")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            text = _strict(data, enc, path, skip=len(bom) if enc != "utf-8-sig" else 0)
            _refuse_binary(text, data, path, enc)
            return text, enc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    else:
        _refuse_binary(text, data, path, "utf-8")
        return text, "utf-8"
    utf16 = _utf16_without_bom(data)
    if utf16:
        text = _strict(data, utf16, path)
        _refuse_binary(text, data, path, utf16)
        return text, utf16
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(path, "looks like a binary file, not text (it contains NUL bytes)",
                         "Give a text file or a supported document format.",
                         line=_line_of_byte(data, nul), byte_offset=nul)
    if _mostly_utf8(data):
        _strict(data, "utf-8", path)  # raises with the offset of the first bad byte
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=_LEGACY_ENCODINGS).best()
    if best is None:
        raise InputError(
            path,
            "cannot tell its encoding: not UTF-8 (first invalid byte here) nor GB18030, Big5 or another known encoding",
            "Re-save the file as UTF-8.",
            line=_line_of_byte(data, first_bad),
            byte_offset=first_bad,
        )
    text = str(best)
    _refuse_binary(text, data, path, "latin-1")
    return text, best.encoding


# --------------------------------------------------------------------------- shapes


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A non-blank line: character span (stripped) in the text, 1-based line, detected language or None."""

    start: int
    end: int
    line: int
    lang: str | None


def split_paragraphs(text: str, candidates: tuple[str, ...] = ()) -> list[Paragraph]:
    """The non-blank lines of ``text`` with their stripped spans, lines and languages.

    Language is :func:`align.langid.detect_language` with ``candidates``
    (None for lines without letters, e.g. ``2023`` or ``***``).
    """
    out: list[Paragraph] = []
    pos = 0
    for n, line in enumerate(text.split("\n"), 1):
        stripped = line.strip()
        if stripped:
            a = pos + (len(line) - len(line.lstrip()))
            out.append(Paragraph(a, a + len(stripped), n, detect_language(stripped, candidates)))
        pos += len(line) + 1
    return out


def _script_of(lang: str) -> str:
    for script, code in SCRIPT_LANG.items():
        if code == lang.split("-")[0]:
            return script
    return "LATIN"


def _same_script(a: str, b: str) -> bool:
    return _script_of(a) == _script_of(b)


def _assign_interleaved(paras: list[Paragraph], a: str, b: str, path: str) -> tuple[list[str], list[str]]:
    """Each paragraph's language in an interleaved file, plus notes on breaks in the alternation.

    Paragraphs without letters or in a third language go to the language whose
    turn it is (the opposite of the previous paragraph's).
    """
    assigned: list[str] = []
    notes: list[str] = []
    prev: Paragraph | None = None
    for p in paras:
        lang = p.lang if p.lang in (a, b) else None
        if lang is None:
            lang = (b if assigned[-1] == a else a) if assigned else a
            what = "has no letters" if p.lang is None else f"looks like {p.lang}, neither {a} nor {b}"
            notes.append(f"{path}:{p.line}: paragraph {what}; kept with the {lang} side")
        elif prev is not None and assigned and assigned[-1] == lang:
            other = b if lang == a else a
            notes.append(
                f"{path}:{p.line}: two {lang} paragraphs in a row (lines {prev.line} and {p.line}); "
                f"a {other} paragraph is missing or the {lang} one is doubled, the aligner decides which"
            )
        assigned.append(lang)
        prev = p
    return assigned, notes


def _is_interleaved(paras: list[Paragraph], a: str, b: str) -> bool:
    """Both languages present in similar numbers and mostly alternating paragraph by paragraph."""
    langs = [p.lang for p in paras if p.lang in (a, b)]
    if len(langs) < 2:
        return False
    na, nb = langs.count(a), langs.count(b)
    if min(na, nb) == 0 or min(na, nb) / max(na, nb) < 0.5:
        return False
    switches = sum(1 for x, y in zip(langs, langs[1:]) if x != y)
    return switches / (len(langs) - 1) >= 0.6


def build_unit(doc_id: str, path: str, text: str, encoding: str, src_lang: str, tgt_lang: str) -> InputUnit:
    """Detect the shape of one decoded file and build its InputUnit (pure).

    ``interleaved``: one Document per language, each with ``text`` = the whole
    file and ``regions`` = that language's paragraphs (see the module
    docstring). ``monolingual``: one Document, in the dominant language, whose
    regions are all paragraphs. Raises InputError when the text is empty or
    only whitespace, or written in a script neither language uses.
    """
    if not text.strip():
        raise InputError(path, "file contains only whitespace", "Remove it from the batch or give it its text.")
    candidates = (src_lang, tgt_lang)
    paras = split_paragraphs(text, candidates)
    if not _same_script(src_lang, tgt_lang) and _is_interleaved(paras, src_lang, tgt_lang):
        assigned, notes = _assign_interleaved(paras, src_lang, tgt_lang, path)
        docs = []
        for lang in candidates:
            regions = tuple(Region(p.start, p.end) for p, l in zip(paras, assigned) if l == lang)
            docs.append(Document(doc_id, path, lang, text, encoding, Origin.INTERLEAVED, regions))
        return InputUnit(doc_id, "interleaved", tuple(docs), tuple(notes))
    lang = detect_language(text, candidates)
    notes: list[str] = []
    if lang is None:
        raise InputError(path, "file has no letters in any script (only digits, punctuation or symbols)",
                         "Check that this is the document you meant to give.")
    if lang not in candidates:
        raise InputError(
            path,
            f"text is written in {lang} ({_script_of(lang).lower()} script), but the run is {src_lang}→{tgt_lang}",
            "Pass the document's languages with --src-lang/--tgt-lang, or leave this file out.",
        )
    minority = [p for p in paras if p.lang in candidates and p.lang != lang]
    if minority:
        notes.append(f"{path}:{minority[0].line}: {len(minority)} paragraph(s) in {minority[0].lang} inside a "
                     f"{lang} document; the QA checks report them")
    regions = tuple(Region(p.start, p.end) for p in paras)
    doc = Document(doc_id, path, lang, text, encoding, Origin.FILE, regions)
    return InputUnit(doc_id, "monolingual", (doc,), tuple(notes))


def build_pair_unit(
    doc_id: str,
    files: tuple[tuple[str, str, str, str | None], tuple[str, str, str, str | None]],
    src_lang: str,
    tgt_lang: str,
    origin: Origin = Origin.FILE,
) -> InputUnit:
    """Build a ``pair`` InputUnit from two decoded files (pure).

    ``files`` holds two ``(path, text, encoding, declared_lang_or_None)``. A
    file's language is its declared one when given, else detected. Each
    Document's ``text`` is its own file's text and its regions its paragraphs.
    Raises InputError naming the file(s) when a file is empty, written in a
    script its declared language does not use, or when both files are in the
    same language.
    """
    candidates = (src_lang, tgt_lang)
    resolved: list[tuple[str, str, str, str]] = []
    for path, text, enc, declared in files:
        if not text.strip():
            raise InputError(path, "file contains only whitespace", "Give the file its text or remove the pair.")
        detected = detect_language(text, candidates)
        if detected is None:
            raise InputError(path, "file has no letters in any script", "Check that this is the document you meant.")
        lang = declared or detected
        if declared and not _same_script(declared, detected):
            raise InputError(
                path,
                f"declared as {declared} but its text looks like {detected}",
                "Rename the file with its real language code (name.<lang>.ext) or fix the manifest.",
            )
        resolved.append((path, text, enc, lang))
    (p1, _, _, l1), (p2, _, _, l2) = resolved
    if l1.split("-")[0] == l2.split("-")[0]:
        raise InputError(
            p1,
            f"both files of the pair are in {l1} (the other is {p2})",
            "Pair a document with its translation, or check which file is which.",
        )
    docs = []
    for want in candidates:
        match = [r for r in resolved if r[3] == want or r[3].split("-")[0] == want]
        if not match:
            continue
        path, text, enc, lang = match[0]
        regions = tuple(Region(p.start, p.end) for p in split_paragraphs(text))
        docs.append(Document(doc_id, path, want, text, enc, origin, regions))
    notes: list[str] = []
    if len(docs) < 2:
        langs = ", ".join(f"{r[0]} ({r[3]})" for r in resolved)
        raise InputError(
            p1,
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


def _read_text_file(path: str) -> tuple[str, str]:
    ext = os.path.splitext(path)[1].lower()
    if ext not in PLAIN_TEXT_EXTENSIONS:
        raise InputError(
            path,
            f"unsupported file format {ext!r}",
            f"Supported: {', '.join(sorted(e for e in PLAIN_TEXT_EXTENSIONS if e))} and files without extension.",
        )
    return decode_bytes(read_bytes(path), path)


def read_input(spec: InputSpec, src_lang: str, tgt_lang: str) -> InputUnit:
    """Read one spec's file(s) and build its InputUnit (the only function here that opens files).

    One file → :func:`build_unit`; two files → :func:`build_pair_unit`.
    Raises InputError naming the file (and line/byte offset where it applies)
    for a spec with a problem, a missing, unsupported, empty, whitespace-only,
    binary or undecodable file, or a pair in the wrong languages.
    """
    if spec.problem:
        raise InputError(spec.paths[0], spec.problem, "Fix or remove this input; the other documents still run.")
    if len(spec.paths) == 1:
        path = spec.paths[0]
        text, enc = _read_text_file(path)
        return build_unit(spec.doc_id, path, text, enc, src_lang, tgt_lang)
    decoded = []
    for path, lang in zip(spec.paths, spec.langs):
        text, enc = _read_text_file(path)
        decoded.append((path, text, enc, lang))
    wanted = [d for d in decoded if d[3] in (src_lang, tgt_lang)] if len(decoded) > 2 else decoded
    if len(wanted) != 2:
        raise InputError(
            spec.paths[0],
            f"{len(decoded)} files share this name ({', '.join(spec.paths)}) and {len(wanted)} are in "
            f"{src_lang} or {tgt_lang}",
            "Give exactly one file per language, or list the pair in pairs.csv.",
        )
    origin = Origin.MANIFEST if spec.manifest else Origin.FILE
    unit = build_pair_unit(spec.doc_id, (wanted[0], wanted[1]), src_lang, tgt_lang, origin)
    extra = [d[0] for d in decoded if d not in wanted]
    if extra:
        unit = InputUnit(unit.doc_id, unit.kind, unit.documents,
                         unit.notes + tuple(f"{p}: not in {src_lang} or {tgt_lang}; not used for this run" for p in extra))
    return unit
