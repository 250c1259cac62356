"""QA checks on real seed text: registry, unaligned sentences, one-language documents,
and text of the other language left inside a document (issue 5, step 1)."""

from __future__ import annotations

import sys
import unicodedata

import pytest

from align.checks import available_checks, get_check, run_checks
from align.errors import ConfigError
from align.records import Bead, Origin, Region, Severity, finding_sort_key
from test_checks_support import (context, interleaved, lonely_beads, make_doc, paragraph_beads,
                                 seed_text, split_sentences)

STEP1 = ["no_counterpart", "unaligned_source", "unaligned_target",
         "source_text_in_target", "target_text_in_source"]


def test_registry_lists_and_loads_checks_lazily():
    names = available_checks()
    assert set(STEP1) <= set(names)
    assert names == sorted(names)
    assert callable(get_check("unaligned_source"))
    with pytest.raises(ConfigError, match="unknown QA check 'nope'"):
        get_check("nope")


def test_core_does_not_pull_in_luigi():
    import align.checks.language_runs  # noqa: F401
    import align.checks.unaligned  # noqa: F401
    assert "luigi" not in sys.modules or "pipelines" in sys.modules


def _seed000_with_gap():
    """Seed 000 aligned paragraph by paragraph, except the untranslated 大模型 sentence alone."""
    zh, en, zs, es = interleaved("000")
    beads = []
    for b in paragraph_beads(zs, es):
        lonely = [i for i in b.src if zs[i].text.startswith("大模型技术的一个侧重点")]
        if lonely:
            beads.append(Bead(tuple(i for i in b.src if i not in lonely), b.tgt, 0.9, 0.8))
            beads.append(Bead(tuple(lonely), (), 0.1, 0.0))
        else:
            beads.append(b)
    return context(zh, en, zs, es, beads)


def test_untranslated_sentence_in_seed000_is_reported_with_exact_span():
    ctx = _seed000_with_gap()
    findings = run_checks(ctx)
    assert [f.check for f in findings] == ["unaligned_source"]
    f = findings[0]
    assert f.severity is Severity.ERROR
    assert f.tgt_span is None and f.src_span is not None
    text = ctx.src_doc.text[f.src_span.start : f.src_span.end]
    assert text.startswith("大模型技术的一个侧重点") and text.endswith("高水平赋能新型工业化。")
    assert f.src_span.line == 40 and f.src_span.lang == "zh"
    assert f.src_span.path.endswith("000_17f6063197ae1b9a.txt")
    assert "Chinese" in f.message and "English" in f.message


STEP1_AND_NUMBERS = STEP1 + ["number_mismatch", "dropped_number", "empty_target", "target_identical_to_source"]


@pytest.mark.parametrize("prefix,expected", [
    ("000", []),
    # The English of seeds/001 line 25 says China is "the world's largest producer of raw
    # materials such as crude steel" where the Chinese gives its share: 六成左右 (about 60%);
    # line 34 says 5G reaches "95% of townships" where the Chinese has 超过99.5% (over 99.5%).
    ("001", [("dropped_number", "六成左右"), ("number_mismatch", "超过99.5%")]),
])
def test_interleaved_seeds_aligned_by_paragraph_give_only_real_findings(prefix, expected):
    """Precision on real text: names, codes (5G, R&D, GDP), quotes and numbers stay quiet."""
    zh, en, zs, es = interleaved(prefix)
    found = run_checks(context(zh, en, zs, es, paragraph_beads(zs, es)), STEP1_AND_NUMBERS)
    assert [(f.check, zh.text[f.src_span.start:f.src_span.end]) for f in found] == expected
    # and the mirror direction (English source, Chinese target)
    found = run_checks(context(en, zh, es, zs, paragraph_beads(es, zs), "en", "zh"), STEP1_AND_NUMBERS)
    assert [(f.check, zh.text[f.tgt_span.start:f.tgt_span.end]) for f in found] == expected


def test_added_target_sentence_is_a_warning():
    zh, en, zs, es = interleaved("000")
    beads = paragraph_beads(zs, es)
    last = beads[-1]
    beads[-1] = Bead(last.src, last.tgt[:-1], 0.9, 0.8)
    beads.append(Bead((), last.tgt[-1:], 0.2, 0.0))
    findings = run_checks(context(zh, en, zs, es, beads), ["unaligned_target", "unaligned_source"])
    assert [(f.check, f.severity) for f in findings] == [("unaligned_target", Severity.WARNING)]
    assert findings[0].tgt_span.start == es[last.tgt[-1]].start
    assert findings[0].tgt_span.line == 53


@pytest.mark.parametrize("prefix,lang,side", [("003", "en", "tgt"), ("004", "zh", "src")])
def test_one_language_document_is_one_no_counterpart_finding(prefix, lang, side):
    path, text = seed_text(prefix)
    doc = make_doc("d", path, lang, text)
    segs = split_sentences(doc)
    ctx = context(doc if side == "src" else None, doc if side == "tgt" else None,
                  segs if side == "src" else [], segs if side == "tgt" else [], lonely_beads(segs, side))
    findings = run_checks(ctx)
    assert [f.check for f in findings] == ["no_counterpart"]
    f = findings[0]
    assert f.evidence["sentences"] == len(segs) > 10
    span = f.src_span if side == "src" else f.tgt_span
    assert (span.start, span.end, span.line) == (0, len(text), 1)
    assert "only in" in f.message


def _seed002():
    path, text = seed_text("002")
    en = make_doc("d", path, "en", text)
    es = split_sentences(en)
    return en, es, context(None, en, [], es, lonely_beads(es, "tgt"))


def test_chinese_passage_in_english_seed002_is_one_run_with_exact_span():
    en, es, ctx = _seed002()
    findings = run_checks(ctx, ["source_text_in_target", "unaligned_target"])
    assert [f.check for f in findings] == ["source_text_in_target"]
    span = findings[0].tgt_span
    run = en.text[span.start : span.end]
    assert run.startswith("“我们还将在优化制造业企业发展环境上下更大功夫。")
    assert run.endswith("强化产业链配套能力。")
    assert en.text[span.end :].startswith("The second is")
    assert en.text[: span.start].endswith("intrinsic safety.")
    assert span.line == 3
    assert len(findings[0].evidence["segments"]) > 1  # merged across sentences into one run


def test_passage_cut_out_by_ingestion_as_a_language_run_is_reported_too():
    path, text = seed_text("002")
    a = text.index("“我们还将在优化")
    b = text.index("The second is to accelerate")
    en = make_doc("d", path, "en", text, [Region(0, a), Region(b, len(text))])
    zh = make_doc("d", path, "zh", text, [Region(a, b)], Origin.LANGUAGE_RUN)
    es, zs = split_sentences(en), split_sentences(zh)
    beads = lonely_beads(zs, "src") + lonely_beads(es, "tgt")
    findings = run_checks(context(zh, en, zs, es, beads), ["source_text_in_target", "unaligned_source"])
    assert [f.check for f in findings] == ["source_text_in_target"]
    f = findings[0]
    assert (f.src_span.start, f.src_span.end) == (a, b) and f.tgt_span is None
    assert f.evidence["src_segments"] == [s.idx for s in zs]


# Hand-made English documents with Chinese inside (and the reverse): the expected
# stray run, or None when the other-language text legitimately stays.
EN_HOST = [
    ("name_in_brackets", "Jin Zhuanglong (金壮龙) spoke at the meeting.", None),
    ("quoted_term", "It cultivated “专精特新” enterprises across the country.", None),
    ("short_run", "The slogan 稳中求进 was repeated.", None),
    ("sentence_left", "It rose by 5%. 我们要加强合作，推动发展。 Then it fell.", "我们要加强合作，推动发展。"),
    ("ideographic_space_inside", "Intro. 我们要加强合作\u3000推动高质量发展。", "我们要加强合作\u3000推动高质量发展。"),
    ("extension_b", "Intro. 这是\U00020000字的一个句子吧。", "这是\U00020000字的一个句子吧。"),
    ("em_dash_and_ascii_punct", "Intro. 我们——要加强,合作;推动发展! Next.", "我们——要加强,合作;推动发展!"),
    ("embedded_acronym", "He said: 占GDP比重达到33.2%左右。", "占GDP比重达到33.2%左右。"),
    ("long_quoted_sentence", "He said “我们还将在优化制造业企业发展环境上下更大功夫。” today.",
     "“我们还将在优化制造业企业发展环境上下更大功夫。”"),
    # a short sentence written entirely in Chinese is untranslated however short (seeds 000/001)
    ("short_sentence_left", "Second, there are many varieties. 二是品种多。", "二是品种多。"),
    ("short_sentence_between", "First, the system is comprehensive. 三是规模大。 Third, the scale is large.",
     "三是规模大。"),
    ("short_sentence_fullwidth_bang", "It grew. 规模大！", "规模大！"),
    ("short_run_inside_a_sentence", "Second, 品种多 there are many varieties.", None),
    ("quoted_term_standing_alone", "It backs these enterprises. “专精特新”", None),
    ("one_character_sentence", "It grew. 好。", None),
]


@pytest.mark.parametrize("label,text,expected", EN_HOST, ids=[c[0] for c in EN_HOST])
def test_chinese_runs_in_english(label, text, expected):
    en = make_doc("d", "mem.txt", "en", text)
    es = split_sentences(en)
    findings = run_checks(context(None, en, [], es, lonely_beads(es, "tgt")), ["source_text_in_target"])
    got = [text[f.tgt_span.start : f.tgt_span.end] for f in findings]
    assert got == ([expected] if expected else [])


ZH_HOST = [
    ("acronyms_and_codes", "我国研发(R&D)投入增长,5G基站和ISO9001认证。", None),
    ("url", "详见 https://www.miit.gov.cn/jgsj/index.html 的说明。", None),
    ("title_cased_name", "入围Fortune Global 500 Companies List的企业。", None),
    ("fullwidth_acronym", "占ＧＤＰ比重约13%。", None),
    ("english_sentence_left", "我们要加强合作。This sentence was not translated at all. 然后继续。",
     "This sentence was not translated at all."),
    # a short English sentence standing alone: whole sentences need two words, not four
    ("short_english_sentence_left", "我们要加强合作。Grow steadily. 然后继续。", "Grow steadily."),
    ("single_word_sentence", "我们要加强合作。OK. 然后继续。", None),
    ("short_title_cased_sentence", "我们要加强合作。Made In China. 然后继续。", None),
]


@pytest.mark.parametrize("label,text,expected", ZH_HOST, ids=[c[0] for c in ZH_HOST])
def test_english_runs_in_chinese(label, text, expected):
    zh = make_doc("d", "mem.txt", "zh", text)
    zs = split_sentences(zh)
    for check, ctx, side in [
        ("target_text_in_source", context(zh, None, zs, [], lonely_beads(zs, "src")), "src"),
        ("source_text_in_target", context(None, zh, [], zs, lonely_beads(zs, "tgt"), "en", "zh"), "tgt"),
    ]:
        findings = run_checks(ctx, [check])
        got = [text[getattr(f, f"{side}_span").start : getattr(f, f"{side}_span").end] for f in findings]
        assert got == ([expected] if expected else []), check


def test_runs_in_consecutive_sentences_merge_but_not_across_other_language_lines():
    text = "Intro line here.\n第一句中文没有翻译。第二句中文也没有翻译。\nOutro line.\n"
    en = make_doc("d", "mem.txt", "en", text)
    es = split_sentences(en)
    findings = run_checks(context(None, en, [], es, lonely_beads(es, "tgt")), ["source_text_in_target"])
    assert len(findings) == 1
    assert text[findings[0].tgt_span.start : findings[0].tgt_span.end] == "第一句中文没有翻译。第二句中文也没有翻译。"
    assert findings[0].tgt_span.line == 2
    # An interleaved document: its lines are separated by the other language's lines.
    text2 = "English one 这是一段没有翻译的中文.\n中文行。\n这是另一段没有翻译的中文 English two.\n"
    en2 = make_doc("d", "mem.txt", "en", text2, [Region(0, 27), Region(33, len(text2) - 1)])
    es2 = split_sentences(en2)
    f2 = run_checks(context(None, en2, [], es2, lonely_beads(es2, "tgt")), ["source_text_in_target"])
    assert len(f2) == 2


def test_findings_are_sorted_and_deterministic():
    ctx = _seed000_with_gap()
    a, b = run_checks(ctx), run_checks(ctx)
    assert a == b == sorted(a, key=finding_sort_key)


def _textberg_lines(lang: str, n: int) -> list[str]:
    from pathlib import Path

    folder = Path("/work/shared/bench/textberg") / lang
    if not folder.exists():
        pytest.skip("Text+Berg sample not available")
    first = sorted(folder.iterdir())[0]
    return [ln.strip() for ln in first.read_text(encoding="utf-8").splitlines() if len(ln.split()) >= 8][:n]


def test_same_script_pair_uses_the_language_identifier():
    """German target with a French sentence left in it (Text+Berg text): found by lingua, exact span."""
    de, fr = _textberg_lines("de", 6), _textberg_lines("fr", 6)
    text = "\n".join(de[:3] + [fr[3]] + de[4:])
    tgt = make_doc("d", "mem.txt", "de", text)
    ts = split_sentences(tgt)
    ctx = context(None, tgt, [], ts, lonely_beads(ts, "tgt"), "fr", "de")
    found = run_checks(ctx, ["source_text_in_target"])
    assert [text[f.tgt_span.start : f.tgt_span.end] for f in found] == [fr[3]]
    assert found[0].tgt_span.line == 4 and "French" in found[0].message
    clean = "\n".join(de)
    tgt2 = make_doc("d", "mem.txt", "de", clean)
    ts2 = split_sentences(tgt2)
    assert run_checks(context(None, tgt2, [], ts2, lonely_beads(ts2, "tgt"), "fr", "de"),
                      ["source_text_in_target"]) == []


from hypothesis import given, settings as hsettings, strategies as st  # noqa: E402

_WORDS = st.sampled_from(["The", "industry", "grew", "by", "5%", "in", "2023.", "GDP", "R&D", "“", "”", "(", ")",
                          "我们要加强合作", "推动发展。", "金壮龙", "\U00020000字", "，", "\u3000", "——", "5G", "\n"])


@hsettings(max_examples=150, deadline=None)
@given(st.lists(_WORDS, max_size=40).map(" ".join))
def test_stray_runs_are_inside_segments_and_long_enough(text):
    """Any mixed text: each reported run lies within the sentences, holds enough Chinese, and runs do not overlap.

    Enough: ``min_run_chars`` (6) ideographs, or 2 when the run's sentences hold no Latin letter
    (a sentence written entirely in Chinese is untranslated however short)."""
    en = make_doc("d", "mem.txt", "en", text)
    es = split_sentences(en)
    found = run_checks(context(None, en, [], es, lonely_beads(es, "tgt")), ["source_text_in_target"])
    last_end = -1
    for f in found:
        span = f.tgt_span
        assert span.start > last_end
        last_end = span.end
        assert any(s.start <= span.start < s.end for s in es) and any(s.start < span.end <= s.end for s in es)
        run = text[span.start : span.end]
        cjk = sum(1 for ch in run if unicodedata.name(ch, "").startswith("CJK UNIFIED"))
        sentences = [s for s in es if s.start < span.end and span.start < s.end]
        whole = not any(ch.isascii() and ch.isalpha() for s in sentences for ch in s.text)
        assert cjk >= (2 if whole else 6)
        assert span.line == text.count("\n", 0, span.start) + 1
