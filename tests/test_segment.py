"""Sentence segmentation with exact offsets (issue 4)."""

from __future__ import annotations

from pathlib import Path

import pytest

from align.discover import discover_inputs
from align.ingest import read_input
from align.records import Document, Origin, Region
from align.segment import LATIN_SPLITTERS, gaps, segment_document, sentence_spans

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _doc(text: str, lang: str, regions: tuple[Region, ...] | None = None) -> Document:
    return Document("t", "t.txt", lang, text, "utf-8", Origin.FILE, regions or (Region(0, len(text)),))


def _split(text: str, lang: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text, lang)]


ZH_CASES = [
    ("full stops", "我们来了。你们呢。", ["我们来了。", "你们呢。"]),
    ("ascii question marks inside chinese (seeds/000)",
     "近年来,我国工业发展取得哪些成果?以科技创新引领现代化产业体系建设,有哪些具体任务?",
     ["近年来,我国工业发展取得哪些成果?", "以科技创新引领现代化产业体系建设,有哪些具体任务?"]),
    ("ascii semicolon after ideograph", "一是学深悟透;二是取得成就", ["一是学深悟透;", "二是取得成就"]),
    ("full-width semicolon", "一是学深悟透；二是取得成就", ["一是学深悟透；", "二是取得成就"]),
    ("quote closes the sentence", "他说:“我们来了。”然后走了。", ["他说:“我们来了。”", "然后走了。"]),
    ("never inside quotes", "他说:“我们来了。你们呢?”然后走了。", ["他说:“我们来了。你们呢?”", "然后走了。"]),
    ("unmatched quote does not swallow", "“未闭合。下一句。", ["“未闭合。", "下一句。"]),
    ("never inside numbers", "增长15.7%;其中2.2亿吨。", ["增长15.7%;", "其中2.2亿吨。"]),
    ("ascii semicolon between digits is not a boundary", "比例为1;2的方案。", ["比例为1;2的方案。"]),
    ("ellipsis", "下一步……好吗?", ["下一步……", "好吗?"]),
    ("exclamation with closing bracket", "（好！）再来。", ["（好！）", "再来。"]),
    ("extension B ideographs", "\U00020000\U00020001字。\U0002A6D6好。", ["\U00020000\U00020001字。", "\U0002A6D6好。"]),
    ("ideographic space between sentences", "第一句。\u3000第二句。", ["第一句。", "第二句。"]),
    ("full-width forms", "ＡＢＣ公司！ＤＥＦ。", ["ＡＢＣ公司！", "ＤＥＦ。"]),
    ("em dash stays inside", "——访谈工业和信息化部部长。", ["——访谈工业和信息化部部长。"]),
    ("english sentence after chinese", "配套能力。The second is to accelerate. Our country grew.",
     ["配套能力。", "The second is to accelerate.", "Our country grew."]),
    ("no terminator at all", "巩固增强工业经济回升向好态势", ["巩固增强工业经济回升向好态势"]),
    # an English sentence left untranslated, glued to the next Chinese sentence opening with a year
    ("english sentence glued to a number opening chinese", "三是规模大。Third, the scale is massive.2022年我国工业增加值达到40.16万亿元。",
     ["三是规模大。", "Third, the scale is massive.", "2022年我国工业增加值达到40.16万亿元。"]),
    ("english sentence glued to a code opening chinese", "有重大突破。Major breakthroughs were made in key fields.5G、载人航天取得成果。",
     ["有重大突破。", "Major breakthroughs were made in key fields.", "5G、载人航天取得成果。"]),
    ("english quotation ending a sentence glued to chinese", "三是实施行动。Third, we will act to “improve quality, and create brands.”加快产品开发。",
     ["三是实施行动。", "Third, we will act to “improve quality, and create brands.”", "加快产品开发。"]),
    ("english sentence ending with a number glued to chinese", "规模扩大。The number has increased to 451,000 in 2022.规模以上企业增长。",
     ["规模扩大。", "The number has increased to 451,000 in 2022.", "规模以上企业增长。"]),
    ("english sentence ending with an acronym glued to chinese", "四是推动创新。We will promote the application of AI.五是加强合作。",
     ["四是推动创新。", "We will promote the application of AI.", "五是加强合作。"]),
    ("a paragraph number is no sentence", "1.加快建设。2.推动发展。", ["1.加快建设。", "2.推动发展。"]),
    ("abbreviation before a number is no boundary", "见Fig.3图表和No.1文件。", ["见Fig.3图表和No.1文件。"]),
]


@pytest.mark.parametrize("label,text,expected", ZH_CASES, ids=[c[0] for c in ZH_CASES])
def test_chinese_rules(label: str, text: str, expected: list[str]) -> None:
    assert _split(text, "zh") == expected


EN_CASES = [
    ("missing space after full stop (seeds/002)", "the overall situation of the industry.He said that in 2023, it grew.",
     ["the overall situation of the industry.", "He said that in 2023, it grew."]),
    ("decimals", "It reached 15.7% of the total. Then it fell.", ["It reached 15.7% of the total.", "Then it fell."]),
    ("abbreviation", "Dr. Smith arrived. He sat down.", ["Dr. Smith arrived.", "He sat down."]),
    ("chinese run inside english", "It grew.中小企业联系千家万户。The second is next.",
     ["It grew.", "中小企业联系千家万户。", "The second is next."]),
]


@pytest.mark.parametrize("label,text,expected", EN_CASES, ids=[c[0] for c in EN_CASES])
def test_english_rules(label: str, text: str, expected: list[str]) -> None:
    assert _split(text, "en") == expected


def test_offsets_lines_and_norm() -> None:
    text = "  第一句。\n\n第二句？ 臺灣。\n"
    segs = segment_document(_doc(text, "zh"))
    assert [s.text for s in segs] == ["第一句。", "第二句？", "臺灣。"]
    assert [s.line for s in segs] == [1, 3, 3]
    assert [s.idx for s in segs] == [0, 1, 2]
    for s in segs:
        assert s.text == text[s.start : s.end]
    assert segs[2].norm == "台湾。"


def test_only_regions_are_segmented() -> None:
    text = "English line.\n中文一行。\nSecond English."
    doc = _doc(text, "en", (Region(0, 13), Region(20, len(text))))
    assert [s.text for s in segment_document(doc)] == ["English line.", "Second English."]


def _unit_docs():
    for spec in discover_inputs([str(SEEDS)]):
        for doc in read_input(spec, "zh", "en").documents:
            yield spec.doc_id, doc


@pytest.mark.parametrize("splitter", sorted(LATIN_SPLITTERS))
def test_seed_segments_plus_gaps_give_back_the_regions(splitter: str) -> None:
    for doc_id, doc in _unit_docs():
        segs = segment_document(doc, splitter=splitter)
        assert segs, doc_id
        for region in doc.regions:
            inside = [(s.start, s.end) for s in segs if region.start <= s.start < region.end]
            rtext = doc.text[region.start : region.end]
            rel = [(a - region.start, b - region.start) for a, b in inside]
            pieces = gaps(rtext, rel)
            rebuilt = pieces[0] + "".join(rtext[a:b] + g for (a, b), g in zip(rel, pieces[1:]))
            assert rebuilt == rtext
            assert all(g.strip() == "" for g in pieces), (doc_id, pieces)  # nothing outside a segment but space
        for s in segs:
            assert s.text == doc.text[s.start : s.end] and s.text == s.text.strip()


def test_seed_000_untranslated_sentence_is_its_own_segment() -> None:
    spec = next(s for s in discover_inputs([str(SEEDS)]) if s.doc_id.startswith("000_"))
    zh = read_input(spec, "zh", "en").by_lang("zh")
    segs = segment_document(zh)
    hit = [s for s in segs if s.text.startswith("大模型技术的一个侧重点是在生产领域的应用")]
    assert len(hit) == 1
    assert hit[0].line == 40
    assert hit[0].text.endswith("高水平赋能新型工业化。")


def test_gaps_round_trip() -> None:
    text = "ab cd ef"
    spans = [(0, 2), (3, 5)]
    g = gaps(text, spans)
    assert g == ["", " ", " ef"]


LATIN_CASES = [
    # label, lang, text, expected, splitters known to fail (xfail strict)
    ("initials", "en", "J. R. R. Tolkien wrote it. He was English.", ["J. R. R. Tolkien wrote it.", "He was English."], ()),
    ("abbreviation and decimal", "en", "The U.S. economy grew 3.5 percent in 2023. Prices rose.",
     ["The U.S. economy grew 3.5 percent in 2023.", "Prices rose."], ()),
    ("page and figure", "en", "See p. 12 and Fig. 3 for details. Next.", ["See p. 12 and Fig. 3 for details.", "Next."], ()),
    ("p.m. inside a sentence", "en", "He left at 5 p.m. yesterday. She stayed.",
     ["He left at 5 p.m. yesterday.", "She stayed."], ()),
    ("titles", "en", "Prof. Li and Mr. Wang met. They talked.", ["Prof. Li and Mr. Wang met.", "They talked."], ()),
    ("version number", "en", "Version 2.0.1 was released. It works.", ["Version 2.0.1 was released.", "It works."], ()),
    ("i.e.", "en", "It cost $1.5 billion, i.e. a lot. Then more.", ["It cost $1.5 billion, i.e. a lot.", "Then more."], ()),
    ("german ordinal date", "de", "Er kam am 3. Oktober 1990 an. Dann ging er.",
     ["Er kam am 3. Oktober 1990 an.", "Dann ging er."], ()),
    ("french M. abbreviation", "fr", "M. Dupont est arrivé. Il est parti.", ["M. Dupont est arrivé.", "Il est parti."],
     ("sentencex",)),
    ("list marker opening the paragraph (sentencex workaround)", "en",
     "(i) Deeply understand the promotion. General Secretary spoke.",
     ["(i) Deeply understand the promotion.", "General Secretary spoke."], ()),
    ("unmatched bracket does not silence the paragraph", "fr",
     "Le sentier mène à (' Engelhornhütte. Il est 11 heures. Nous partons.",
     ["Le sentier mène à (' Engelhornhütte.", "Il est 11 heures.", "Nous partons."], ()),
    ("closing quote glued to the next sentence", "en", 'It rose 10 percent."However, it fell.',
     ['It rose 10 percent."', "However, it fell."], ()),
    ("wrapped line is not a sentence end", "en", "This sentence goes\non to the next line. Second one.",
     ["This sentence goes\non to the next line.", "Second one."], ()),
]


def _latin_params():
    for label, lang, text, expected, failing in LATIN_CASES:
        for sp in sorted(LATIN_SPLITTERS):
            marks = [pytest.mark.xfail(strict=True, reason=f"{sp} gets this wrong")] if sp in failing else []
            yield pytest.param(lang, text, expected, sp, id=f"{label}-{sp}", marks=marks)


@pytest.mark.parametrize("lang,text,expected,splitter", list(_latin_params()))
def test_latin_rules_per_splitter(lang: str, text: str, expected: list[str], splitter: str) -> None:
    assert [text[a:b] for a, b in sentence_spans(text, lang, splitter=splitter)] == expected


@pytest.mark.parametrize("lang,expected", [("zh", True), ("zh-Hant", True), ("ja", True), ("yue", True),
                                           ("ko", False), ("en", False), ("de-CH", False)])
def test_written_without_spaces(lang: str, expected: bool) -> None:
    """One answer for every part that counts characters instead of words (Korean has spaces)."""
    from align.langid import written_without_spaces

    assert written_without_spaces(lang) is expected
