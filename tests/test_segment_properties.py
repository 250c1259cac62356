"""Property tests: segments plus the gaps between them give back the original text (issue 4)."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from align.records import Document, Origin, Region
from align.segment import LATIN_SPLITTERS, gaps, segment_document, sentence_spans

# Hard cases: Extension B ideographs, U+3000, full-width forms, em dash, ASCII
# punctuation inside Chinese, quotes and brackets (balanced or not), decimals,
# abbreviations, newlines and other whitespace.
FRAGMENTS = [
    "我", "们", "来了", "\U00020000", "\U0002A6D6", "\U00030000", "\u3000", "Ａ", "１", "，", "。", "！", "？", "；",
    "…", "……", "——", "—", "“", "”", "「", "」", "『", "』", "（", "）", "(", ")", "[", "]", "<", ">", "«", "»", "„",
    ".", "?", "!", ";", ":", ",", " ", "  ", "\n", "\n\n", "\t", "\r\n", "\r", "\u00a0", "\u2028", "a", "B", "word", "Mr.",
    "U.S.", "3.5", "15.7%", "'", "’", '"', "l'eau", "industry.He", "e.g.", "(i)", "1)", "Ⅲ", "😀", "\u200b",
]

texts = st.one_of(
    st.lists(st.sampled_from(FRAGMENTS), max_size=60).map("".join),
    st.text(max_size=200),
)
LANGS = ["zh", "en", "de", "fr", "ja", "ko", "ru", "und"]


def _check(text: str, spans: list[tuple[int, int]], lo: int, hi: int) -> None:
    prev = lo
    for a, b in spans:
        assert prev <= a < b <= hi, (spans, lo, hi)
        piece = text[a:b]
        assert piece == piece.strip() and piece
        assert text[prev:a].strip() == ""  # nothing but whitespace between segments
        prev = b
    assert text[prev:hi].strip() == ""
    g = gaps(text[lo:hi], [(a - lo, b - lo) for a, b in spans])
    rebuilt = g[0] + "".join(text[a:b] + gap for (a, b), gap in zip(spans, g[1:]))
    assert rebuilt == text[lo:hi]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, lang=st.sampled_from(LANGS))
def test_default_splitter_round_trip(text: str, lang: str) -> None:
    _check(text, sentence_spans(text, lang), 0, len(text))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, lang=st.sampled_from(["zh", "en", "de", "fr"]), splitter=st.sampled_from(sorted(LATIN_SPLITTERS)))
def test_every_splitter_round_trip(text: str, lang: str, splitter: str) -> None:
    _check(text, sentence_spans(text, lang, splitter=splitter), 0, len(text))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, data=st.data(), lang=st.sampled_from(LANGS))
def test_sub_range_stays_inside(text: str, data: st.DataObject, lang: str) -> None:
    lo = data.draw(st.integers(0, len(text)))
    hi = data.draw(st.integers(lo, len(text)))
    _check(text, sentence_spans(text, lang, lo, hi), lo, hi)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, data=st.data(), lang=st.sampled_from(["zh", "en"]))
def test_segment_document_over_random_regions(text: str, data: st.DataObject, lang: str) -> None:
    cuts = sorted(set(data.draw(st.lists(st.integers(0, len(text)), max_size=6))))
    bounds = [0, *cuts, len(text)]
    regions = tuple(Region(a, b) for i, (a, b) in enumerate(zip(bounds, bounds[1:])) if i % 2 == 0 and a < b)
    doc = Document("d", "d.txt", lang, text, "utf-8", Origin.FILE, regions)
    segs = segment_document(doc)
    assert [s.idx for s in segs] == list(range(len(segs)))
    for s in segs:
        assert s.text == text[s.start : s.end]
        assert any(r.start <= s.start and s.end <= r.end for r in regions)
        assert s.line == len(re.findall(r"\r\n?|\n", text[: s.start])) + 1
        assert s.doc_id == "d" and s.lang == lang
    for r in regions:  # every non-space character of every region is in a segment
        inside = [(s.start, s.end) for s in segs if r.start <= s.start < r.end]
        _check(text, inside, r.start, r.end)


SEED_TEXTS = [p.read_text(encoding="utf-8") for p in sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), lang=st.sampled_from(["zh", "en"]))
def test_random_slices_of_the_seeds_round_trip(data: st.DataObject, lang: str) -> None:
    text = data.draw(st.sampled_from(SEED_TEXTS))
    lo = data.draw(st.integers(0, len(text)))
    hi = data.draw(st.integers(lo, min(len(text), lo + 3000)))
    _check(text, sentence_spans(text, lang, lo, hi), lo, hi)
