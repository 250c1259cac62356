"""Quantity extraction and comparison (align.numbers), table-driven on real seed text."""

from __future__ import annotations

import math

import pytest

from align.numbers import (closing_list_number, compare_quantities, extract_quantities, format_value, list_numbers,
                           opening_list_number, ordinals_mentioned, quantities_match)

# (label, lang, text, [(span text, value, kind)]): every quantity, in order.
EXTRACT = [
    ("mixed_wan", "zh", "累计建设5G基站328.2万个", [("328.2万", 3282000, "count")]),
    ("duo_wan", "zh", "中小微企业数量超过5200万户", [("超过5200万", 52000000, "count")]),
    ("duo_inside", "zh", "5000多万", [("5000多万", 50000000, "count")]),
    ("yi", "zh", "综合利用量约2.4亿吨", [("约2.4亿", 240000000, "count")]),
    ("wan_yi", "zh", "全部工业增加值达到40.16万亿元", [("40.16万亿", 40160000000000, "count")]),
    ("cheng", "zh", "约占所属行业总产值的三成左右", [("三成左右", 30, "ratio")]),
    ("cheng_more", "zh", "我国有四成以上产品产量位居全球第一",
     [("四成以上", 40, "ratio"), ("第一", 1, "count")]),
    ("fraction_near", "zh", "占比近1/4", [("近1/4", 25, "ratio")]),
    ("fraction_about", "zh", "能源消费占总量的2/3左右", [("2/3左右", 200 / 3, "ratio")]),
    ("fraction_chinese", "zh", "约三分之一的产值", [("约三分之一", 100 / 3, "ratio")]),
    ("percent", "zh", "占GDP比重达到33.2%", [("33.2%", 33.2, "ratio")]),
    ("percent_fullwidth", "zh", "增长４１．７％", [("４１．７％", 41.7, "ratio")]),
    ("percent_of", "zh", "百分之三十", [("百分之三十", 30, "ratio")]),
    ("points", "zh", "增速较2022年加快0.7个百分点", [("2022", 2022, "count"), ("0.7个百分点", 0.7, "points")]),
    ("congress", "zh", "党的十八大以来", [("十八", 18, "count")]),
    ("plan", "zh", "加快实施“十四五”规划重大工程项目", [("十四五", 14, "count")]),
    ("decade", "zh", "18世纪60年代", [("18世纪60年代", 1760, "count")]),
    ("century", "zh", "20世纪", [("20世纪", 1900, "count")]),
    ("chinese_numeral", "zh", "制造业单项冠军企业一千一百八十六家", [("一千一百八十六", 1186, "count")]),
    ("liang", "zh", "两千家", [("两千", 2000, "count")]),
    ("ling_year", "zh", "二〇二三年", [("二〇二三", 2023, "count")]),
    ("date_range", "zh", "去年9月22日至23日", [("9", 9, "count"), ("22", 22, "count"), ("23", 23, "count")]),
    ("range_em_dash", "zh", "再新建5—10家", [("5", 5, "count"), ("10", 10, "count")]),
    ("list_numbering", "zh", "一是体系全。二是品种多。（三）规模大", []),
    ("footnote_circled", "zh", "新型工业化①", []),
    ("words_not_numbers", "zh", "统一大市场建设，千家万户，百姓", [("一", 1, "count")]),
    ("ext_b_and_ideographic_space", "zh", "\U00020000增长\u30005.5%", [("5.5%", 5.5, "ratio")]),
    ("code_not_number", "zh", "5G基站和6G研发", []),
    ("vague", "zh", "十几倍甚至数十倍", [("十几", 11, "count"), ("数十", 20, "count")]),
    # English
    ("million", "en", "A total of 3.282 million 5G base stations", [("3.282 million", 3282000, "count")]),
    ("billion_about", "en", "about 2.2 billion tons", [("about 2.2 billion", 2.2e9, "count")]),
    ("thousands_sep", "en", "More than 103,000 specialized and 1,186 champions",
     [("More than 103,000", 103000, "count"), ("1,186", 1186, "count")]),
    ("percent_word", "en", "increased by 10 percent year-on-year", [("10 percent", 10, "ratio")]),
    ("points_en", "en", "accelerating by 0.7 percentage points", [("0.7 percentage points", 0.7, "points")]),
    ("one_third", "en", "accounting for about one-third of the total", [("about one-third", 100 / 3, "ratio")]),
    ("one_quarter", "en", "accounting for nearly one-quarter", [("nearly one-quarter", 25, "ratio")]),
    ("eleven", "en", "eleven national technology innovation centers", [("eleven", 11, "count")]),
    ("forty_five", "en", "forty-five clusters", [("forty-five", 45, "count")]),
    ("ordinal", "en", "Since the 18th Party Congress", [("18th", 18, "count")]),
    ("plan_en", "en", "the 14th Five-Year Plan", [("14th", 14, "count")]),
    ("decade_en", "en", "in the 1760s", [("1760s", 1760, "count")]),
    ("century_en", "en", "the 18th century", [("18th century", 1700, "count")]),
    ("month_date", "en", "from September 22 to 23 last year",
     [("September", 9, "count"), ("22", 22, "count"), ("23", 23, "count")]),
    ("fold_words", "en", "a sudden hundredfold and thousandfold increase",
     [("hundredfold", 100, "count"), ("thousandfold", 1000, "count")]),
    ("fold_hyphen", "en", "increased ten-fold or even 20 or 30-fold, about 2.5-fold, a forty-five-fold jump",
     [("ten-fold", 10, "count"), ("20", 20, "count"), ("30-fold", 30, "count"), ("about 2.5-fold", 2.5, "count"),
      ("forty-five-fold", 45, "count")]),
    ("fold_not_a_number", "en", "a manifold task: unfold the scaffold", []),
    ("footnote_after_quote", "en", "Adhere to the ‘Two Unwaverings,”1 leverage", [("Two", 2, "count")]),
    ("list_parenthesised", "en", "emphasizing the need to: (1) Strengthen; (iv) Implement", []),
    ("editor_year", "en", "From September 22 to 23 [2023], the", [("September", 9, "count"), ("22", 22, "count"),
                                                                   ("23", 23, "count")]),
    ("codes", "en", "5G and 6G networks, the G20 summit and COVID-19", []),
    ("may_verb", "en", "May this be so. In May, output rose.", [("May", 5, "count")]),
    ("half", "en", "more than half of the global output", [("more than half", 50, "ratio")]),
]


@pytest.mark.parametrize("label,lang,text,expected", EXTRACT, ids=[c[0] for c in EXTRACT])
def test_extract(label, lang, text, expected):
    got = extract_quantities(text, lang)
    assert [(q.text, q.kind) for q in got] == [(t, k) for t, _, k in expected]
    for q, (_, value, _) in zip(got, expected):
        assert math.isclose(q.value, value, rel_tol=1e-9)
        assert text[q.start : q.end] == q.text  # exact spans, also with full-width and Extension B
        assert q.low <= q.value <= q.high


def test_approximate_markers_widen_the_tolerance():
    exact, approx = extract_quantities("30%", "en")[0], extract_quantities("about 30%", "en")[0]
    assert approx.approx and not exact.approx
    assert approx.high - approx.low > exact.high - exact.low


# Real sentence pairs from seeds/000 and seeds/001 (zh, en) whose numbers agree.
AGREE = [
    ("s000_categories", "我国拥有41个工业大类、207个工业中类、666个工业小类,",
     "China has 41 industrial categories, 207 industrial subcategories, and 666 industrial types,"),
    ("s000_share", "在500种主要工业产品中,我国有四成以上产品产量位居全球第一,",
     "In 500 major industrial products, more than 40% of China’s product output ranks first in the world,"),
    ("s000_trillion", "2022年我国全部工业增加值达到40.16万亿元,占GDP比重达到33.2%;",
     "In 2022, China’s total industrial added value reached 40.16 trillion yuan, accounting for 33.2% of GDP;"),
    ("s000_14_years", "制造业增加值占全球比重约30%,连续14年位居全球首位。",
     "the added value of manufacturing accounting for about 30% of the global share, ranking first in the world "
     "for 14 consecutive years."),
    ("s000_structure", "高技术制造业增加值占规上工业的比重从2012年的9.4%提高到2023年前三季度的15.3%,装备制造业占比从28%提高到32.9%。",
     "the added value of high-tech manufacturing accounting for 15.3% of the industrial sector above the designated "
     "size in the first three quarters of 2023, up from 9.4% in 2012, and the equipment manufacturing industry’s "
     "share increased from 28% to 32.9%."),
    ("s000_one_third", "建设45个国家先进制造业集群,主导产业产值超10万亿元、合计约占所属行业总产值的三成左右。",
     "with 45 national advanced manufacturing clusters constructed, leading industries with a total output value "
     "of over 10 trillion yuan, accounting for about one-third of the total industry output value."),
    ("s000_base_stations", "累计建设5G基站328.2万个,", "A total of 3.282 million 5G base stations have been built,"),
    ("s000_200_billion", "网络安全产业总体规模突破2000亿元。",
     "with the overall scale of the cybersecurity industry exceeding 200 billion yuan."),
    ("s000_points", "去年前11个月,规模以上工业增加值同比增长4.3%,增速较2022年加快0.7个百分点,",
     "In the first 11 months of last year, the added value of industries above the designated size increased by "
     "4.3% year-on-year, accelerating by 0.7 percentage points compared to 2022,"),
    ("s000_dates", "特别是去年9月22日至23日全国新型工业化推进大会的召开,",
     "especially since the National Conference on Promoting New Industrialization was held from September 22 to 23 "
     "last year,"),
    ("s000_plan", "加快实施“十四五”规划重大工程项目,", "Accelerate the implementation of major projects in the 14th Five-Year Plan,"),
    ("s000_quarter", "570多家工业企业入围全球研发投入2500强,占比近1/4。",
     "with more than 570 industrial enterprises among the top 2500 global R&D investors, accounting for nearly "
     "one-quarter."),
    ("s000_patents", "我国工业企业发明专利申请数从2012年的17.6万件提高到2022年的55.5万件。",
     "The number of invention patent applications filed by Chinese industrial enterprises increased from 176,000 "
     "in 2012 to 555,000 in 2022."),
    ("s000_5_10", "在重点领域再新建5—10家国家制造业创新中心,", "build 5-10 more national manufacturing innovation centers in key fields,"),
    ("s000_80_percent", "在制造业中占比超过80%,", "accounting for more than 80% of the manufacturing industry,"),
    ("s000_congress", "党的十八大以来,", "Since the 18th Party Congress,"),
    ("s000_list", "一是体系全。", "First, the system is comprehensive."),
    ("s000_enterprises", "我国中小微企业数量超过5200万户,高新技术企业数量达46.5万家,",
     "The number of small, medium, and micro enterprises in China exceeded 52 million, with high-tech enterprises "
     "reaching 465,000,"),
    ("s000_little_giants", "已培育专精特新中小企业10.3万多家,“小巨人”企业1.2万家,制造业单项冠军企业1186家。",
     "More than 103,000 specialized and new small- and medium-sized enterprises have been cultivated, with 12,000 "
     "‘little giants’ and 1,186 manufacturing single champion enterprises."),
    ("s000_fortune", "2023年入围世界500强的中国企业有142家,位居世界第一,其中制造业企业数量达到63家。",
     "In 2023, 142 Chinese enterprises entered the Fortune Global 500, ranking first in the world, including 63 "
     "manufacturing enterprises."),
    ("s000_footnote", "坚持“两个毫不动摇”,", "Adhere to the ‘Two Unwaverings,”1 leverage the central role"),
    ("s001_three_fold", "规模以上制造业企业研发投入比2012年增长近3倍,",
     "Since 2012, the total R&D investment of large-scale manufacturing enterprises has grown nearly three-fold,"),
    ("s001_rmb", "2022年我国全社会研发(R&D)经费投入达到3.09万亿元,占据了世界研发投入总额的17.9%,",
     "In 2022, China’s research and development (R&D) expenditures reached RMB 3.09 trillion, accounting for "
     "17.9% of the world’s total R&D investment,"),
    ("s001_2035", "党的二十大报告明确提出到2035年基本实现新型工业化,",
     "The report of the 20th Party Congress expressly proposed basically achieving new industrialization by 2035,"),
    ("s001_tens_fold", "医疗物资生产供应在短时间内实现十几倍甚至数十倍的增长,",
     "The production and supply of medical supplies increased ten-fold or even 20 or 30-fold within a short period"),
    ("s001_hundredfold", "面对新冠疫情突发带来骤然增加的百倍千倍医疗物资需求",
     "in the face of the sudden hundredfold and thousandfold increase in demand for medical supplies"),
    ("s001_trillion_plus", "年均产值超万亿元的产业,", "an industry with average annual output value of over 1 trillion yuan,"),
    ("s001_300_million", "尊老电话专线服务超过3亿人次,", "has served more than 300 million people,"),
]


@pytest.mark.parametrize("label,zh,en", AGREE, ids=[c[0] for c in AGREE])
def test_real_pairs_whose_numbers_agree_are_not_flagged(label, zh, en):
    cmp = compare_quantities(extract_quantities(zh, "zh"), extract_quantities(en, "en"))
    assert cmp.mismatched == () and cmp.src_only == () and cmp.tgt_only == (), cmp


# Real pairs with one number changed or removed in the translation: (label, zh, en, what, zh value, en value)
DISAGREE = [
    ("s000_changed_percent", "新能源汽车、锂电池、光伏产品等“新三样”合计出口同比增长41.7%。",
     "the combined exports of new energy vehicles, lithium batteries, and photovoltaic products increased by "
     "47.1% year-on-year.", "mismatch", 41.7, 47.1),
    ("s000_wan_vs_million_slip", "累计建设5G基站328.2万个,", "A total of 328.2 million 5G base stations have been built,",
     "mismatch", 3282000, 328200000),
    ("s000_changed_year", "比2012年翻了一番。", "doubling from 2013.", "mismatch", 2012, 2013),
    ("s000_changed_count", "连续14年位居全球首位。", "ranking first in the world for 15 consecutive years.",
     "mismatch", 14, 15),
    ("s000_changed_approx", "我国中小微企业数量超过5200万户,", "The number of small enterprises exceeded 55 million,",
     "mismatch", 52000000, 55000000),
    ("s000_changed_congress", "党的十八大以来,", "Since the 19th Party Congress,", "mismatch", 18, 19),
    ("s000_changed_fraction", "占比近1/4。", "accounting for nearly one-third.", "mismatch", 25, 100 / 3),
    ("s000_changed_points", "增速较2022年加快0.7个百分点,", "accelerating by 0.9 percentage points compared to 2022,",
     "mismatch", 0.7, 0.9),
    ("yi_read_as_billion", "综合利用量约2.4亿吨,", "about 2.4 billion tons,", "mismatch", 2.4e8, 2.4e9),
    ("s001_rounded_approx", "尊老电话专线服务超过3亿人次,", "has served more than 320 million people,",
     "mismatch", 3e8, 3.2e8),
    # one of two occurrences changed: a mismatch, not "2012 dropped" plus "7012 added" (seed 001 line 28)
    ("s001_one_of_two_years_changed",
     "2012年以来,规模以上制造业企业研发经费投入总额增长近3倍,研发经费投入强度达到1.55%,相较2012年提高0.69个百分点。",
     "Since 7012, the total R&D investment of large-scale manufacturing enterprises has grown nearly three-fold, "
     "and R&D investment intensity has reached 1.55%, an increase of 0.69 percentage points compared to 2012.",
     "mismatch", 2012, 7012),
    ("one_of_two_counts_changed", "新建5家中心,其中5家在西部。", "5 new centres were built, 8 of them in the west.",
     "mismatch", 5, 8),
    ("s001_changed_fold", "规模以上制造业企业研发投入比2012年增长近3倍,",
     "Since 2012, the R&D investment of large-scale manufacturing enterprises has grown nearly 5-fold,",
     "mismatch", 3, 5),
    ("s000_dropped", "装备制造业占比从28%提高到32.9%。", "and the equipment manufacturing industry’s share increased to 32.9%.",
     "src_only", 28, None),
    ("s000_added", "网络安全产业总体规模突破2000亿元。",
     "the cybersecurity industry exceeded 200 billion yuan, up 12% on the year.", "tgt_only", None, 12),
]


@pytest.mark.parametrize("label,zh,en,what,zh_value,en_value", DISAGREE, ids=[c[0] for c in DISAGREE])
def test_real_pairs_with_a_changed_number_are_flagged(label, zh, en, what, zh_value, en_value):
    cmp = compare_quantities(extract_quantities(zh, "zh"), extract_quantities(en, "en"))
    if what == "mismatch":
        assert [(round(s.value, 3), round(t.value, 3)) for s, t in cmp.mismatched] == \
            [(round(zh_value, 3), round(en_value, 3))]
        assert (cmp.src_only, cmp.tgt_only, cmp.src_extra, cmp.tgt_extra) == ((), (), (), ())
    elif what == "src_only":
        assert [q.value for q in cmp.src_only] == [zh_value] and cmp.mismatched == ()
    else:
        assert [q.value for q in cmp.tgt_only] == [en_value] and cmp.mismatched == ()


def test_match_is_symmetric_and_kind_sensitive():
    pct = extract_quantities("30%", "en")[0]
    cnt = extract_quantities("30 companies", "en")[0]
    cheng = extract_quantities("三成", "zh")[0]
    assert quantities_match(pct, cheng) and quantities_match(cheng, pct)
    assert not quantities_match(pct, cnt)


@pytest.mark.parametrize("text,lang,shown", [
    ("328.2万", "zh", "3,282,000"), ("三成", "zh", "30%"), ("18世纪60年代", "zh", "the 1760s"),
    ("0.7个百分点", "zh", "0.7 percentage points"),
])
def test_format_value(text, lang, shown):
    assert format_value(extract_quantities(text, lang)[0]) == shown


from hypothesis import given, settings, strategies as st  # noqa: E402

_PIECES = st.sampled_from(
    list("0123456789０１２３,.%％/~—-() 　") + list("〇零一二两三四五六七八九十百千万亿多余约近超左右成倍年月日世纪代第是、")
    + ["about ", "more than ", "nearly ", "million", "billion", " percent", "one-third", "forty-five ",
       "1760s", "18th", "May", "September", "[1]", "”1", "\U00020000", "GDP", "5G",
       "five", " to ", "ten", " companies", "“", "一批", "至", "数十", "十几"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join), st.sampled_from(["zh", "en", "de"]))
def test_extraction_invariants(text, lang):
    """Any text: spans are exact, ordered and disjoint; each value lies in its tolerance range."""
    found = extract_quantities(text, lang)
    end = 0
    for q in found:
        assert 0 <= q.start < q.end <= len(text) and q.start >= end
        assert text[q.start : q.end] == q.text
        assert q.low <= q.value <= q.high and q.kind in ("count", "ratio", "points")
        end = q.end
    cmp = compare_quantities(found, found)
    assert cmp.mismatched == () and cmp.src_only == () and cmp.tgt_only == ()


# ---------------------------------------------------------------------------
# numbers left out of a translation that still holds other numbers (issue 5, dropped_number)

# (label, zh, en with the number left out, source text reported as missing)
DROPPED = [
    ("超万亿 (more than a trillion) left out",
     "从1994年接入国际互联网,到当前年均产值超万亿元的产业,我国已成为全球最大的数字消费市场。",
     "From international internet access in 1994 to an industry with an annual output of RMB , China has become "
     "the world’s largest digital consumer market.", "超万亿"),
    ("11 of 'the first 11 months' is not turned into 'first'",
     "去年前11个月,规模以上工业增加值同比增长4.3%,增速较2022年加快0.7个百分点。",
     "In the first months of last year, the added value of industries above the designated size increased by "
     "4.3% year-on-year, accelerating by 0.7 percentage points compared to 2022.", "11"),
    ("5 of '5—10' is not turned into 'Third'",
     "三是持续优化创新平台网络,在重点领域再新建5—10家国家制造业创新中心。",
     "Third, continuously optimize the innovation platform network, build -10 more national manufacturing "
     "innovation centers in key fields.", "5"),
    ("1186 is not turned into 'top three'",
     "制造业“单项冠军”企业1186家(重点细分领域产品市场占有率位居全球前三)。",
     "There are “single-item champion” enterprises (whose market share in key segments ranks among the top "
     "three in the world).", "1186"),
    ("a year written twice in Chinese, once in English",
     "2012年以来,规模以上制造业企业研发经费投入总额增长近3倍,研发经费投入强度达到1.55%,相较2012年提高0.69个百分点。",
     "Since , the total R&D investment of large-scale manufacturing enterprises has grown nearly three-fold, and "
     "R&D investment intensity has reached 1.55%, an increase of 0.69 percentage points compared to 2012.", "2012"),
]


@pytest.mark.parametrize("label,zh,en,missing", DROPPED, ids=[d[0] for d in DROPPED])
def test_number_left_out_is_reported_on_its_own(label, zh, en, missing):
    cmp = compare_quantities(extract_quantities(zh, "zh"), extract_quantities(en, "en"))
    assert cmp.mismatched == ()
    reported = [q.text for q in cmp.src_only + cmp.src_extra]
    assert reported == [missing]


# (label, zh, en): the same numbers, as often on both sides, or said once in a way that is fine
KEPT = [
    ("超万亿 as 'more than RMB 1 trillion'", "年均产值超万亿元的产业", "an industry with an annual output of more than RMB 1 trillion"),
    ("超万亿 as 'over a trillion'", "年均产值超万亿元的产业", "an industry with an annual output of over a trillion yuan"),
    ("近万亿 as 'nearly RMB 1 trillion'", "营业收入近万亿元", "business revenue of nearly RMB 1 trillion"),
    ("a year twice on both sides",
     "2012年以来,研发经费投入强度达到1.55%,相较2012年提高0.69个百分点。",
     "Since 2012, R&D investment intensity has reached 1.55%, an increase of 0.69 percentage points compared to 2012."),
    ("数十倍 as '20 or 30-fold' (vague, never reported alone)",
     "医疗物资生产供应在短时间内实现十几倍甚至数十倍的增长",
     "the production of medical supplies increased ten-fold or even 20 or 30-fold within a short period"),
]


@pytest.mark.parametrize("label,zh,en", KEPT, ids=[k[0] for k in KEPT])
def test_numbers_kept_are_not_reported(label, zh, en):
    cmp = compare_quantities(extract_quantities(zh, "zh"), extract_quantities(en, "en"))
    assert (cmp.mismatched, cmp.src_only, cmp.tgt_only, cmp.src_extra, cmp.tgt_extra) == ((), (), (), (), ())


def test_year_in_both_languages_of_the_neighbouring_pair_does_not_excuse_a_dropped_one():
    """A number found in the adjacent pair excuses a dropped one only when that pair holds it more
    often in the other language (the number crossed a sentence boundary), not when both of its
    languages have it."""
    from align.checks import run_checks
    from test_checks_support import context, make_doc, split_sentences

    zh_text = "截至2022年末,我国中小微企业数量超过5200万户。规模以上工业企业数量2022年达到45.1万家。"
    en_text = ("As of the end of , the number of small, medium, and micro enterprises in China exceeded 52 million. "
               "The number of large-scale industrial enterprises reached 451,000 in 2022.")
    zh, en = make_doc("d", "p", "zh", zh_text), make_doc("d", "p", "en", en_text)
    zs, es = split_sentences(zh), split_sentences(en)
    from align.records import Bead
    beads = [Bead((0,), (0,), 0.9, 0.7), Bead((1,), (1,), 0.9, 0.7)]
    found = run_checks(context(zh, en, zs, es, beads), ["dropped_number", "number_mismatch"])
    assert [(f.check, f.evidence["text"]) for f in found] == [("dropped_number", "2022")]
    assert found[0].src_span.start == zh_text.index("2022")


@pytest.mark.parametrize("zh,en,match", [
    ("培育442个国家新型工业化产业示范基地。", "Some 442 national demonstration bases have been incubated.", True),
    ("培育442个国家新型工业化产业示范基地。", "Some 462 national demonstration bases have been incubated.", False),
    ("累计建设5G基站超328万个", "Over 3.28 million 5G base stations have been built", True),
    ("占比约13%", "accounting for 13%", True),
    ("占比约13%", "accounting for 15%", False),
])
def test_approximate_marker_on_one_side_does_not_excuse_other_digits(zh, en, match):
    cmp = compare_quantities(extract_quantities(zh, "zh"), extract_quantities(en, "en"))
    assert (cmp.mismatched == () and cmp.src_only == () and cmp.tgt_only == ()) is match


# ---------------------------------------------------------------------------
# English source, Chinese target (issue 5, dropped_number en-zh): which small numbers count,
# and what a vague or article-like Chinese numeral may stand in for

# (label, lang, text, [(span text, weak)]): the weak flag of every quantity, in order
WEAKNESS = [
    ("word counting a plural noun", "en", "Eight Chinese platform companies have entered the ranks",
     [("Eight", False)]),
    ("word counting a noun after modifiers", "en", "maintain stable growth in ten key industries",
     [("ten", False)]),
    ("range in words", "en", "build five to ten new national manufacturing innovation centers",
     [("five", False), ("ten", False)]),
    ("range with an en dash", "en", "within three–five years", [("three", False), ("five", False)]),
    ("slogan in quotes stays weak", "en", "our export advantages in the “three new kinds” of products",
     [("three", True)]),
    ("name stays weak", "en", "stabilize and expand exports of the ‘New Three Items,’", [("Three", True)]),
    ("no noun counted: top three", "en", "ranks among the top three in the world", [("three", True)]),
    ("no noun counted: three of", "en", "in three of the pilot provinces", [("three", True)]),
    ("one and two stay weak", "en", "one of the two national-local centers", [("one", True), ("two", True)]),
    ("no plural noun", "en", "from ten megabit to one hundred megabit", [("ten", True), ("one hundred", False)]),
    ("leading space before a capital", "en", " Eight companies", [("Eight", False)]),
    # Chinese: a lone numeral before a range sign is a number (the counterpart of "five to ten")
    ("range in Chinese numerals", "zh", "再新建五至十家国家制造业创新中心", [("五", True), ("十", True)]),
    ("range 一到两年", "zh", "用一到两年时间", [("一", True), ("两", True)]),
]


@pytest.mark.parametrize("label,lang,text,expected", WEAKNESS, ids=[w[0] for w in WEAKNESS])
def test_which_small_numbers_are_weak(label, lang, text, expected):
    assert [(q.text, q.weak) for q in extract_quantities(text, lang)] == expected


@pytest.mark.parametrize("text,article", [
    ("加快新一代信息技术在制造业全行业全链条普及应用", True),  # a new generation
    ("建设一批试验验证平台和中试平台", True),  # a batch of
    ("用一到两年时间", False),  # a range: one to two years
    ("实施制造业数字化转型“1+N”行动", False),  # digits
])
def test_article_like_yi(text, article):
    assert extract_quantities(text, "zh")[0].article is article


# Real pairs from seeds/000 and seeds/001 (en, zh) with one number of the Chinese removed, as the
# drop_number corruption of bench/qa_precision.py does: (label, en, zh, the English number reported)
_S001_CATEGORIES_EN = (
    "China has every kind of manufacturing industry, and is the only country in the world that has all of the "
    "industrial categories in the United Nations Industrial Classification, including 41 top-level industrial "
    "categories, 207 mid-level industrial categories, and 666 industrial subcategories, At the beginning of 2020, "
    "in the face of the sudden hundredfold and thousandfold increase in demand for medical supplies (medical masks, "
    "protective clothing, extermination supplies, etc.) brought about by the COVID-19 epidemic outbreak, it was "
    "precisely because we possessed a complete industrial system and strong mobilization, organization, and "
    "industry conversion abilities that we were able to rapidly open up the production chain and quickly restore "
    "and expand production and supply. The production and supply of medical supplies increased ten-fold or even "
    "20 or 30-fold within a short period of time, thereby providing strong support for China to take the lead in "
    "controlling the epidemic and achieving a turnaround from negative to positive economic growth.")
_S001_CATEGORIES_ZH = (
    "我国拥有41个工业大类、207个工业中类、666个工业小类,是全世界唯一拥有联合国产业分类中全部工业门类的国家,各种制造业都有。"
    "2020年初,面对新冠疫情突发带来骤然增加的百倍千倍医疗物资需求(医用口罩、防护服、消杀用品等),正是由于拥有完备的产业体系、"
    "强大的动员组织和产业转换能力,我们才能迅速打通产业链条、快速恢复和扩大生产供应,医疗物资生产供应在短时间内实现十几倍甚至"
    "数十倍的增长,为我国率先控制住疫情、率先实现经济增长由负转正提供了有力支撑。")
_S001_EIGHT = ("Eight Chinese platform companies have entered the ranks of the top 30 global internet companies by market "
               "capitalization.", "8家平台企业进入全球互联网企业市值前30强。")
_S001_FIVE_TO_TEN = ("We must increase support for manufacturing innovation centers, and build five to ten new national "
                     "manufacturing innovation centers for key fields.",
                     "加大对制造业创新中心的支持力度,同时在重点领域再新建5—10家国家制造业创新中心。")
_S001_ONE_PLUS_N = ("We must implement “1 + N”1 actions for manufacturing industry digital transformation, and accelerate "
                    "the spread and application of new generation information technology throughout the manufacturing "
                    "industry and related chains.",
                    "实施制造业数字化转型“1+N”行动,加快新一代信息技术在制造业全行业全链条普及应用。")
_S000_FIVE_TEN = ("Third, continuously optimize the innovation platform network, build 5-10 more national manufacturing "
                  "innovation centers in key fields, and construct a batch of experimental verification platforms and "
                  "pilot platforms in key areas such as key materials and major equipment.",
                  "三是持续优化创新平台网络,在重点领域再新建5—10家国家制造业创新中心,在关键材料、重大装备等关键领域建设一批试验验证平台和中试平台。")

DROPPED_FROM_CHINESE = [
    # a number word counting a noun is a count: "Eight ... companies" is 8家
    ("Eight companies, 8 removed", *_S001_EIGHT, "8家", "家", "Eight"),
    # both ends of a range in words count: "five to ten" is 5—10
    ("five to ten, 5 removed", *_S001_FIVE_TO_TEN, "5—", "—", "five"),
    ("five to ten, 10 removed", *_S001_FIVE_TO_TEN, "10家", "家", "ten"),
    # 数十 (some tens) stands for "20 or 30", not for 41
    ("41 removed, 数十 left", _S001_CATEGORIES_EN, _S001_CATEGORIES_ZH, "41个", "个", "41"),
    # 百倍 further on, past 666 and 2020 said once on each side, is not what 207 became
    ("207 removed, 百倍 further on", _S001_CATEGORIES_EN, _S001_CATEGORIES_ZH, "207个", "个", "207"),
    # 新一代 ("new generation") is not the 1 of "1 + N"
    ("1 of 1+N removed, 新一代 left", *_S001_ONE_PLUS_N, "1+N", "+N", "1"),
    # 一批 ("a batch of") is not what 10 or 5 became
    ("5-10, 10 removed, 一批 left", *_S000_FIVE_TEN, "10家", "家", "10"),
    ("5-10, 5 removed, 一批 left", *_S000_FIVE_TEN, "5—", "—", "5"),
]


@pytest.mark.parametrize("label,en,zh,cut,put,missing", DROPPED_FROM_CHINESE, ids=[d[0] for d in DROPPED_FROM_CHINESE])
def test_number_left_out_of_the_chinese_is_reported_on_its_own(label, en, zh, cut, put, missing):
    assert zh.count(cut) == 1
    cmp = compare_quantities(extract_quantities(en, "en"), extract_quantities(zh.replace(cut, put), "zh"))
    assert cmp.mismatched == ()
    assert [q.text for q in cmp.src_only + cmp.src_extra] == [missing]
    assert (cmp.tgt_only, cmp.tgt_extra) == ((), ())


# (label, en, zh): real pairs (and one variant) whose numbers agree, in both directions
KEPT_BOTH_WAYS = [
    ("Eight companies", *_S001_EIGHT),
    ("five to ten", *_S001_FIVE_TO_TEN),
    ("five to ten as Chinese numerals (variant)", _S001_FIVE_TO_TEN[0],
     "加大对制造业创新中心的支持力度,同时在重点领域再新建五至十家国家制造业创新中心。"),
    ("41 categories and 数十倍 as '20 or 30-fold'", _S001_CATEGORIES_EN, _S001_CATEGORIES_ZH),
    ("1 + N", *_S001_ONE_PLUS_N),
    ("5-10 and a batch", *_S000_FIVE_TEN),
    ("“three new kinds” as “新三样”",
     "consolidate and enhance our export advantages in the “three new kinds” of products, stabilize and expand "
     "industrial product exports, and create more new sources of export growth.",
     "巩固提升“新三样”产品出口优势,稳定和扩大工业产品出口,打造更多出口新增长点。"),
    ("top three as 前三",
     "Nationwide, more than 103,000 specialized, refined, distinctive, and innovative SMEs have been incubated in "
     "the manufacturing industry, along with 12,000 “little giants,” and 1,186 “single-item champion” enterprises "
     "(whose market share of products in key segments ranks among the top three in the world).",
     "全国已培育专精特新中小企业10.3万多家,“小巨人”企业1.2万家,制造业“单项冠军”企业1186家(重点细分领域产品市场占有率位居全球前三)。"),
]


@pytest.mark.parametrize("label,en,zh", KEPT_BOTH_WAYS, ids=[k[0] for k in KEPT_BOTH_WAYS])
def test_numbers_kept_are_not_reported_in_either_direction(label, en, zh):
    E, Z = extract_quantities(en, "en"), extract_quantities(zh, "zh")
    for cmp in (compare_quantities(E, Z), compare_quantities(Z, E)):
        assert (cmp.mismatched, cmp.src_only, cmp.tgt_only, cmp.src_extra, cmp.tgt_extra) == ((), (), (), (), ())


@pytest.mark.parametrize("zh,en,match", [
    ("十几倍", "15-fold", True),  # 十几: ten-odd, in units of one
    ("数十倍", "30-fold", True),
    ("数十倍", "41-fold", False),  # not a round number of tens
    ("数十万人", "200,000 people", True),
    ("数十万人", "250,000 people", False),
    ("新一代", "one new generation", True),  # a word may render the article-like 一 ...
    ("新一代", "1 new generation", False),  # ... digits may not
])
def test_what_vague_and_article_like_numerals_match(zh, en, match):
    z, e = extract_quantities(zh, "zh"), extract_quantities(en, "en")
    assert len(z) == len(e) == 1
    assert quantities_match(z[0], e[0]) is match and quantities_match(e[0], z[0]) is match


# (text, the list numbers it holds, the one it opens with); the seeds' headings and list items
LIST_NUMBERS = [
    ("(i) Striving to promote the steady growth of the industrial economy.", [1], 1),
    ("I. Deeply Studying and Thoroughly Understanding", [1], 1),
    ("(vi) Adhering to the Party’s overall leadership.", [6], 6),
    ("(iv) and (ix)", [4, 9], 4),
    ("Third, it is large in scale.", [3], 3),
    ("Firstly, we must; second, we will.", [1, 2], 1),
    ("(一)着力推动工业经济平稳增长。", [1], 1),
    ("（六）坚持党的全面领导", [6], 6),
    ("一、深入学习", [1], 1),
    ("三是规模大。", [3], 3),
    ("主要体现在:一是企业数量大幅增加。", [1], None),
    ("其一,创新", [1], 1),
    ("首先,要创新。其次,要开放。", [1, 2], 1),
    ("第三,规模大", [3], 3),
    ("10. The last item", [10], 10),
    ("I think so.", [], None),
    ("In 2022, the value added reached 40 trillion.", [], None),
    ("2012年以来,我国(2023)", [], None),
    ("the first and second quarters", [], None),
]


@pytest.mark.parametrize("text,numbers,opening", LIST_NUMBERS, ids=[t[0][:30] for t in LIST_NUMBERS])
def test_list_numbers_are_read_in_both_languages(text, numbers, opening):
    assert [v for _, v in list_numbers(text)] == numbers
    assert opening_list_number(text) == opening


@pytest.mark.parametrize("text,mentioned", [
    ("The first is innovation.", {1}),  # a translation of 一是 that opens no list item
    ("In the first half of 2023", {1}),
    ("第三产业增加值", {3}),
    ("三是规模大。", {3}),
    ("(iv) Foo, and the second", {2, 4}),
    ("In 2022, the value added reached 40 trillion.", set()),
])
def test_ordinals_mentioned_anywhere_count_as_list_numbers_rendered(text, mentioned):
    assert ordinals_mentioned(text) == mentioned


@pytest.mark.parametrize("text,closing", [
    ("This is mainly reflected in: First.", 1),  # the item's number, then nothing
    ("突出体现在:一是。", 1),
    ("主要有三方面,第三。", 3),
    ("The reasons are: “Second.”", 2),
    ("This is mainly reflected in: First, the number of enterprises has increased.", None),
    ("突出体现在:一是企业数量大幅增加。", None),
    ("He came first.", None),  # an ordinal that names no list item
    ("China ranks first in the world.", None),
    ("我国位居世界第一。", None),
    ("", None),
])
def test_closing_list_number_is_an_item_s_number_given_without_the_item(text, closing):
    assert closing_list_number(text) == closing
