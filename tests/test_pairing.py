"""Document pairing: which monolingual documents translate each other (issue 6)."""

from __future__ import annotations

import functools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from align.corpus_index import CorpusIndex
from align.doc_pairing import DocVectors, PairingSettings, pair_documents
from test_corpus_fixtures import key_of, seed_versions


def seed_docs(*names: str) -> list[DocVectors]:
    """DocVectors for seed versions named like ``"000:en"``."""
    out = []
    for name in names:
        prefix, lang = name.split(":")
        key = key_of(prefix, lang)
        _, segs, vecs = seed_versions()[key]
        out.append(DocVectors.from_segments(key, segs, vecs))
    return out


ALL = ("000:en", "000:zh", "001:en", "001:zh", "002:en", "003:en", "004:zh")


@functools.lru_cache(maxsize=None)
def full_result():
    """Pairing of all seed versions (computed once)."""
    return pair_documents(seed_docs(*ALL))


def test_seed_pairs_are_found_and_the_rest_have_no_counterpart():
    result = full_result()
    found = {(p.a, p.b) for p in result.pairs}
    assert found == {
        (key_of("000", "en"), key_of("000", "zh")),
        (key_of("001", "en"), key_of("001", "zh")),
    }
    assert {u.key for u in result.unpaired} == {key_of("002", "en"), key_of("003", "en"), key_of("004", "zh")}
    # every document is accounted for exactly once
    keys = [k for p in result.pairs for k in (p.a, p.b)] + [u.key for u in result.unpaired]
    assert sorted(keys) == sorted(key_of(*n.split(":")) for n in ALL)


# Expected verdict per seed document, found by reading the files:
# 000 and 001 are interleaved en/zh translations; 003 (Xiao Yaqing's interview
# on the 2021 Central Economic Work Conference, English) and 004 (five MIIT
# department heads on the 2023 conference, Chinese) share the topic but not a
# single passage, so neither translates the other; 002 is an English article
# with no Chinese version among the seeds.
@pytest.mark.parametrize(
    "doc, counterpart, min_score",
    [
        pytest.param("000:en", "000:zh", 0.9, id="000-en-pairs-with-000-zh"),
        pytest.param("000:zh", "000:en", 0.9, id="000-zh-pairs-with-000-en"),
        pytest.param("001:en", "001:zh", 0.9, id="001-en-pairs-with-001-zh"),
        pytest.param("001:zh", "001:en", 0.9, id="001-zh-pairs-with-001-en"),
        pytest.param("002:en", None, None, id="002-en-has-no-counterpart"),
        pytest.param("003:en", None, None, id="003-en-is-not-a-translation-of-004"),
        pytest.param("004:zh", None, None, id="004-zh-is-not-a-translation-of-003"),
    ],
)
def test_seed_table(doc, counterpart, min_score):
    result = full_result()
    key = key_of(*doc.split(":"))
    got = result.counterpart(key)
    if counterpart is None:
        assert got is None
        (why,) = [u for u in result.unpaired if u.key == key]
        assert why.best is not None and why.best_score < result.settings.min_score
        assert f"{why.best_score:.0%}" in why.reason
    else:
        assert got == key_of(*counterpart.split(":"))
        (pair,) = [p for p in result.pairs if key in (p.a, p.b)]
        assert pair.score >= min_score


def test_003_and_004_alone_are_not_paired():
    result = pair_documents(seed_docs("003:en", "004:zh"))
    assert result.pairs == ()
    assert all(u.best_score < 0.2 for u in result.unpaired)


def test_document_sharing_passages_is_not_taken_for_a_translation():
    # 000 (interview) repeats several passages of 001 (speech) by the same
    # speaker: 000's English must not be paired with 001's Chinese.
    result = pair_documents(seed_docs("000:en", "001:zh"))
    assert result.pairs == ()
    (u,) = [u for u in result.unpaired if u.key == key_of("000", "en")]
    assert 0.2 < u.best_score < result.settings.min_score  # real overlap, but not a translation


def test_high_confidence_for_a_clear_pair():
    result = full_result()
    (pair,) = [p for p in result.pairs if p.a == key_of("000", "en")]
    assert pair.confidence == "high" and pair.runner_up_score < pair.score / 1.5


def test_result_does_not_depend_on_input_order():
    docs = seed_docs(*ALL)
    a = pair_documents(docs)
    b = pair_documents(list(reversed(docs)))
    assert a == b


def test_a_larger_persistent_index_gives_the_same_pairs():
    docs = seed_docs(*ALL)
    index = CorpusIndex(512)
    for d in docs:
        index.add_document(d.key, "h", d.vectors, d.entries())
    result = pair_documents(seed_docs("000:en", "000:zh", "003:en", "004:zh"), index=index)
    assert [(p.a, p.b) for p in result.pairs] == [(key_of("000", "en"), key_of("000", "zh"))]


def test_single_language_corpus_says_so():
    result = pair_documents(seed_docs("002:en", "003:en"))
    assert result.pairs == ()
    assert all(u.best is None and "another language" in u.reason for u in result.unpaired)


def unit(v: np.ndarray) -> np.ndarray:
    return (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)


@settings(max_examples=25, deadline=None)
@given(n=st.integers(8, 40), noise=st.floats(0.05, 0.4), seed=st.integers(0, 2**16))
def test_noisy_translation_of_random_document_pairs_with_it(n, noise, seed):
    # A "translation" is the same sentence vectors plus noise, in order; a
    # distractor is an unrelated document. The translation must win.
    rng = np.random.default_rng(seed)
    dim = 64
    src = unit(rng.standard_normal((n, dim)))
    tgt = unit(src + noise * rng.standard_normal((n, dim)) / np.sqrt(dim) * 4)
    other = unit(rng.standard_normal((n, dim)))
    lengths = np.full(n, 40)
    docs = [
        DocVectors("s:xx", "s", "xx", src, lengths),
        DocVectors("t:yy", "t", "yy", tgt, lengths),
        DocVectors("o:yy", "o", "yy", other, lengths),
    ]
    result = pair_documents(docs, settings=PairingSettings())
    assert result.counterpart("s:xx") == "t:yy"
    assert {u.key for u in result.unpaired} == {"o:yy"}
