"""Text of the other language left inside a document: ``source_text_in_target``
and its mirror ``target_text_in_source``.

Runs are found by writing system where the two languages use different
scripts (Chinese characters inside English, Latin words inside Chinese), with
exact character spans; where they share one (German and French), by the
offline statistical identifier of :func:`align.langid.language_confidence`,
sentence by sentence. A run that continues over several sentences is one
finding. Names, codes, URLs and short quoted terms, which legitimately stay in
the original language, are not reported. When ingestion has already cut such a
run out of a mixed file as a document of its own (``Origin.LANGUAGE_RUN``),
that document's text is reported the same way.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterator

from ..langid import char_script, lang_scripts, language_confidence, language_name
from ..records import Finding, Origin, Segment, Severity
from .context import CheckContext, excerpt, other_side

# Scripts written without spaces between words: their runs are measured in
# characters; runs of other scripts in words.
_UNSPACED = frozenset({"CJK", "HIRAGANA", "KATAKANA", "HANGUL", "THAI"})

# Things that keep their original spelling in any translation: URLs, e-mail
# addresses and codes mixing ASCII letters with digits (5G, ISO9001, B2B).
_KEPT_AS_IS = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|[\w.+-]+@[\w-]+\.[\w.-]+"
    r"|(?a:\b(?=\w*\d)(?=\w*[^\W\d_])\w+(?:[-/]\w+)*)",
)
_CONNECTORS = frozenset("-'’&.")
_SENTENCE_END = frozenset("。！？!?；;")
_PAIRS = {"“": "”", "‘": "’", '"': '"', "'": "'", "«": "»", "‹": "›", "「": "」", "『": "』",
          "《": "》", "〈": "〉", "(": ")", "（": "）", "[": "]", "【": "】", "〔": "〕"}

_F, _H = 1, 2  # letter of the stray language, other letter (0: neutral)


@dataclass
class _Run:
    """A stray-language run being assembled: ``[start, end)`` in ``Document.text``."""

    start: int
    end: int
    letters: int  # letters of the stray script
    segments: list[int]


def _classify(text: str, foreign: frozenset[str], host: frozenset[str]) -> bytearray:
    """Per-character class of ``text``: stray-language letter, other letter, or neutral."""
    cls = bytearray(len(text))
    for i, ch in enumerate(text):
        script = char_script(ch)
        if script is None:
            continue
        cls[i] = _F if (script in foreign and script not in host) else _H
    for m in _KEPT_AS_IS.finditer(text):
        cls[m.start() : m.end()] = bytes(m.end() - m.start())
    return cls


def _host_words(cls: bytearray, text: str, start: int, end: int) -> int:
    """How many words of host letters lie in ``text[start:end]`` (``cls`` aligned with ``text``)."""
    words, in_word = 0, False
    for i in range(start, end):
        if cls[i] == _H:
            if not in_word:
                words += 1
                in_word = True
        elif not (in_word and text[i] in _CONNECTORS):
            in_word = False
    return words


def _script_runs(ctx: CheckContext, host_side: str, foreign: frozenset[str],
                 host: frozenset[str]) -> list[_Run]:
    """Runs of the stray script inside the host segments, merged across sentences."""
    doc = ctx.doc(host_side)
    assert doc is not None
    limits = ctx.settings
    runs: list[_Run] = []
    cur: _Run | None = None
    prev_end: int | None = None
    for seg in sorted(ctx.segments(host_side), key=lambda s: s.start):
        text = doc.text[seg.start : seg.end]
        # A gap holding letters (e.g. the other language's paragraph of an
        # interleaved file) breaks a run; whitespace and punctuation do not.
        if cur is not None and prev_end is not None and any(c.isalpha() for c in doc.text[prev_end : seg.start]):
            runs.append(cur)
            cur = None
        prev_end = seg.end
        cls = _classify(text, foreign, host)
        pending_from = 0  # first offset after the current run's last stray letter
        for i, c in enumerate(cls):
            if c != _F:
                continue
            pos = seg.start + i
            if cur is not None:
                gap_words = _host_words(cls, text, pending_from, i)
                if cur.end <= seg.start:  # run came from an earlier sentence
                    gap_words += _host_words(
                        _classify(doc.text[cur.end : seg.start], foreign, host),
                        doc.text[cur.end : seg.start], 0, seg.start - cur.end)
                if gap_words > limits.max_embedded_words:
                    runs.append(cur)
                    cur = None
            if cur is None:
                cur = _Run(pos, pos + 1, 0, [])
            cur.end = pos + 1
            cur.letters += 1
            if not cur.segments or cur.segments[-1] != seg.idx:
                cur.segments.append(seg.idx)
            pending_from = i + 1
    if cur is not None:
        runs.append(cur)
    return runs


def _extend(text: str, run: _Run, lo: int, hi: int) -> None:
    """Take in the opening quotes/brackets just before a run and the punctuation just after it."""
    while run.start > lo and unicodedata.category(text[run.start - 1]) in ("Ps", "Pi"):
        run.start -= 1
    while run.end < hi and unicodedata.category(text[run.end]).startswith("P") \
            and unicodedata.category(text[run.end]) not in ("Ps", "Pi"):
        run.end += 1


def _whole_sentences(ctx: CheckContext, host_side: str, run: _Run, foreign: frozenset[str]) -> bool:
    """Whether every letter of the run's sentences is of the stray script: the run is (or its
    sentences are) written entirely in the other language, not a term inside a sentence."""
    for idx in run.segments:
        seg = ctx.segment(host_side, idx)
        if any(ch.isalpha() and char_script(ch) not in foreign for ch in seg.text):
            return False
    return bool(run.segments)


def _is_kept_term(text: str, run: _Run, foreign: frozenset[str], ctx: CheckContext, whole: bool = False) -> bool:
    """Whether a run is too short, a name, or a short quoted term that rightly stays in its language.

    ``whole``: the run makes up whole sentences (:func:`_whole_sentences`); a sentence written
    entirely in the other language is untranslated however short it is, so the length
    minimum is then ``settings.min_sentence_run_chars`` characters (unspaced scripts) or
    ``settings.min_sentence_run_words`` words instead of ``min_run_chars`` / ``min_run_words``.
    """
    body = text[run.start : run.end]
    st = ctx.settings
    if foreign & _UNSPACED:
        if run.letters < (st.min_sentence_run_chars if whole else st.min_run_chars):
            return True
    else:
        words = [w for w in re.findall(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", body)
                 if any(char_script(ch) in foreign for ch in w)]
        if len(words) < (st.min_sentence_run_words if whole else st.min_run_words):
            return True
        if all(w[0].isupper() for w in words if len(w) > 3):
            return True  # a title-cased name, e.g. of an organisation or a law
    before = text[run.start - 1] if run.start > 0 else ""
    after = text[run.end] if run.end < len(text) else ""
    quoted = (body[:1] in _PAIRS and body.endswith(_PAIRS[body[:1]])) or (
        before in _PAIRS and after == _PAIRS[before])
    inner = body.strip("".join(_PAIRS) + "".join(_PAIRS.values()))
    return quoted and len(inner) <= ctx.settings.max_quoted_term_chars and not (_SENTENCE_END & set(inner))


def _identified_runs(ctx: CheckContext, host_side: str, host_lang: str, foreign_lang: str) -> list[_Run]:
    """Runs of whole host sentences that the language identifier puts in ``foreign_lang``.

    Sentences shorter than ``settings.min_run_words`` words are too short to
    identify: they neither start nor break a run. A gap holding letters
    (another language's paragraph of an interleaved file) breaks a run.
    """
    doc = ctx.doc(host_side)
    assert doc is not None
    runs: list[_Run] = []
    open_run = False
    prev_end: int | None = None
    for seg in sorted(ctx.segments(host_side), key=lambda s: s.start):
        if prev_end is not None and any(c.isalpha() for c in doc.text[prev_end : seg.start]):
            open_run = False
        prev_end = seg.end
        words = re.findall(r"[^\W\d_]{2,}", seg.text)
        if len(words) < ctx.settings.min_run_words:
            continue
        conf = language_confidence(seg.text, foreign_lang, [host_lang, foreign_lang])
        if conf is None:
            return []
        if conf < ctx.settings.same_script_confidence:
            open_run = False
            continue
        letters = sum(ch.isalpha() for ch in seg.text)
        if open_run:
            runs[-1].end = seg.end
            runs[-1].letters += letters
            runs[-1].segments.append(seg.idx)
        else:
            runs.append(_Run(seg.start, seg.end, letters, [seg.idx]))
            open_run = True
    return runs


def _segment_runs(ctx: CheckContext, foreign_side: str) -> list[_Run]:
    """Runs made of whole segments of a language-run document cut out of the other side's file."""
    doc = ctx.doc(foreign_side)
    assert doc is not None
    runs: list[_Run] = []
    prev: Segment | None = None
    for seg in sorted(ctx.segments(foreign_side), key=lambda s: s.start):
        if not seg.text.strip():
            continue
        letters = sum(1 for ch in seg.text if ch.isalpha())
        if runs and prev is not None and not any(c.isalpha() for c in doc.text[prev.end : seg.start]):
            runs[-1].end = seg.end
            runs[-1].letters += letters
            runs[-1].segments.append(seg.idx)
        else:
            runs.append(_Run(seg.start, seg.end, letters, [seg.idx]))
        prev = seg
    return runs


def _stray_runs(ctx: CheckContext, host_side: str) -> Iterator[Finding]:
    """Findings for text in the other language found inside the ``host_side`` document."""
    foreign_side = other_side(host_side)
    host_doc, foreign_doc = ctx.doc(host_side), ctx.doc(foreign_side)
    host_lang, foreign_lang = ctx.lang(host_side), ctx.lang(foreign_side)
    host_scripts, foreign_scripts = lang_scripts(host_lang), lang_scripts(foreign_lang)
    found: list[tuple[_Run, str]] = []  # (run, "host" | "cut")

    if host_doc is not None and foreign_scripts - host_scripts:
        text = host_doc.text
        seg_bounds = sorted((s.start, s.end) for s in ctx.segments(host_side))
        for run in _script_runs(ctx, host_side, foreign_scripts, host_scripts):
            lo = max((a for a, b in seg_bounds if a <= run.start), default=0)
            hi = min((b for a, b in seg_bounds if b >= run.end), default=len(text))
            _extend(text, run, lo, hi)
            stray = foreign_scripts - host_scripts
            if not _is_kept_term(text, run, stray, ctx, _whole_sentences(ctx, host_side, run, stray)):
                found.append((run, "host"))

    elif host_doc is not None:
        # Same script (de/fr, es/pt): a statistical identifier decides, sentence by sentence.
        found.extend((run, "host") for run in _identified_runs(ctx, host_side, host_lang, foreign_lang))

    # A language run that ingestion cut out of the host file as its own document.
    if (foreign_doc is not None and foreign_doc.origin == Origin.LANGUAGE_RUN
            and (host_doc is None or (host_doc.path == foreign_doc.path
                                      and len(host_doc.content) > len(foreign_doc.content)))):
        for run in _segment_runs(ctx, foreign_side):
            if not any(r.start < run.end and run.start < r.end for r, _ in found):
                found.append((run, "cut"))

    name_in, name_of = language_name(foreign_lang), language_name(host_lang)
    check = "source_text_in_target" if host_side == "tgt" else "target_text_in_source"
    for run, how in sorted(found, key=lambda x: x[0].start):
        side_of_text = host_side if how == "host" else foreign_side
        doc = ctx.doc(side_of_text)
        assert doc is not None
        body = doc.text[run.start : run.end]
        span = ctx.span(side_of_text, run.start, run.end)
        if host_side == "tgt":
            message = (f"{name_in} text was left untranslated in the {name_of} version "
                       f"({len(body)} characters, beginning “{_opening(body)}”).")
        else:
            message = (f"The {name_of} original contains a passage in {name_in} "
                       f"({len(body)} characters, beginning “{_opening(body)}”); "
                       f"check whether it belongs there.")
        evidence = {"lang": foreign_lang, "chars": len(body), "letters": run.letters,
                    "text": excerpt(body, 80)}
        evidence["segments" if how == "host" else f"{foreign_side}_segments"] = list(run.segments)
        yield Finding(
            check=check,
            severity=Severity.ERROR,
            doc_id=ctx.doc_id,
            message=message,
            src_span=span if side_of_text == "src" else None,
            tgt_span=span if side_of_text == "tgt" else None,
            evidence=evidence,
        )


def _opening(body: str) -> str:
    """The first words of a run for a message, without its opening quote."""
    return excerpt(body.lstrip("".join(_PAIRS) + " "), 24)


def source_text_in_target(ctx: CheckContext) -> Iterator[Finding]:
    """One error per run of source-language text inside the target (left untranslated)."""
    return _stray_runs(ctx, "tgt")


def target_text_in_source(ctx: CheckContext) -> Iterator[Finding]:
    """One error per run of target-language text inside the source."""
    return _stray_runs(ctx, "src")
