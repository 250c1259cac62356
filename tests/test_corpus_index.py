"""The persistent corpus index: exact search, incremental updates, IVF switch, atomic saves."""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from align.corpus_index import CorpusIndex, EntryMeta, IndexPolicy, build_search_index

DIM = 32


def unit_rows(rng: np.random.Generator, n: int, dim: int = DIM) -> np.ndarray:
    """(n, dim) float32 random unit vectors."""
    v = rng.standard_normal((n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def entries_for(doc_id: str, lang: str, n: int) -> list[EntryMeta]:
    """Entries whose offsets encode the segment index (start = 10*idx)."""
    return [EntryMeta(doc_id, lang, i, 10 * i, 10 * i + 7) for i in range(n)]


def build(docs: dict[str, tuple[str, np.ndarray]], policy: IndexPolicy | None = None) -> CorpusIndex:
    """An index over ``{key: (lang, vectors)}`` with doc_id = key before the colon."""
    index = CorpusIndex(DIM, policy)
    for key, (lang, vecs) in docs.items():
        index.add_document(key, "h-" + key, vecs, entries_for(key.split(":")[0], lang, len(vecs)))
    return index


def brute_force(docs: dict[str, tuple[str, np.ndarray]], q: np.ndarray, k: int, lang: str | None):
    """Exact top-k as sets of (doc_id, idx) and the top-k scores, computed with numpy."""
    rows, metas = [], []
    for key, (lg, vecs) in docs.items():
        if lang is None or lg == lang:
            rows.append(vecs)
            metas += [(key.split(":")[0], i) for i in range(len(vecs))]
    allv = np.concatenate(rows)
    sims = q @ allv.T
    order = np.argsort(-sims, axis=1)[:, :k]
    return np.take_along_axis(sims, order, axis=1), [[metas[j] for j in row] for row in order]


@pytest.mark.parametrize(
    "lang",
    [pytest.param(None, id="all-languages"), pytest.param("en", id="english-only"), pytest.param("zh", id="chinese-only")],
)
def test_exact_search_matches_brute_force(lang):
    rng = np.random.default_rng(1)
    docs = {f"d{i}:{lg}": (lg, unit_rows(rng, 20 + i)) for i in range(4) for lg in ("en", "zh")}
    index = build(docs)
    q = unit_rows(rng, 7)
    scores, entries = index.search(q, 5, lang=lang)
    want_scores, want = brute_force(docs, q, 5, lang)
    np.testing.assert_allclose(scores, want_scores, rtol=1e-5, atol=1e-5)
    assert [[(e.doc_id, e.idx) for e in row] for row in entries] == want
    if lang:
        assert all(e.lang == lang for row in entries for e in row)


def test_entry_offsets_come_back():
    rng = np.random.default_rng(2)
    index = CorpusIndex(DIM)
    vecs = unit_rows(rng, 5)
    index.add_document("a:zh", "h1", vecs, entries_for("a", "zh", 5))
    _, entries = index.search(vecs[3:4], 1)
    assert entries[0][0] == EntryMeta("a", "zh", 3, 30, 37)


def test_fewer_sentences_than_k_pads_with_minus_inf():
    rng = np.random.default_rng(3)
    index = build({"a:en": ("en", unit_rows(rng, 3))})
    scores, entries = index.search(unit_rows(rng, 2), 5)
    assert scores.shape == (2, 5)
    assert np.isneginf(scores[:, 3:]).all() and np.isfinite(scores[:, :3]).all()
    assert [len(row) for row in entries] == [3, 3]


def test_search_of_missing_language_finds_nothing():
    rng = np.random.default_rng(4)
    index = build({"a:en": ("en", unit_rows(rng, 3))})
    scores, entries = index.search(unit_rows(rng, 1), 2, lang="de")
    assert np.isneginf(scores).all() and entries == [[]]


def test_has_and_plan_update():
    rng = np.random.default_rng(5)
    index = build({"a:en": ("en", unit_rows(rng, 3)), "b:zh": ("zh", unit_rows(rng, 4))})
    assert index.has("a:en", "h-a:en") and not index.has("a:en", "other")
    to_add, to_remove = index.plan_update({"a:en": "h-a:en", "b:zh": "changed", "c:en": "new"})
    assert (to_add, to_remove) == (["b:zh", "c:en"], [])
    assert index.plan_update({"c:en": "x"}) == (["c:en"], ["a:en", "b:zh"])


def test_replacing_a_document_drops_its_old_vectors():
    rng = np.random.default_rng(6)
    old, new = unit_rows(rng, 4), unit_rows(rng, 2)
    index = CorpusIndex(DIM)
    index.add_document("a:en", "v1", old, entries_for("a", "en", 4))
    index.add_document("a:en", "v2", new, entries_for("a", "en", 2))
    assert len(index) == 2 and index.has("a:en", "v2")
    scores, _ = index.search(old, 1)
    assert (scores[:, 0] < 0.999).all()  # the old sentences are gone


@pytest.mark.parametrize(
    "bad, message",
    [
        pytest.param(np.ones((2, DIM), np.float32), "normalised", id="not-normalised"),
        pytest.param(np.ones((2, 5), np.float32) / np.sqrt(5), "dimension", id="wrong-dimension"),
        pytest.param(np.ones(DIM, np.float32), "2-D", id="one-dimensional"),
    ],
)
def test_bad_vectors_are_rejected(bad, message):
    index = CorpusIndex(DIM)
    with pytest.raises(ValueError, match=message):
        index.add_document("a:en", "h", bad, entries_for("a", "en", len(np.atleast_2d(bad))))


def test_mixed_languages_under_one_key_are_rejected():
    rng = np.random.default_rng(7)
    index = CorpusIndex(DIM)
    entries = [EntryMeta("a", "en", 0, 0, 1), EntryMeta("a", "zh", 1, 1, 2)]
    with pytest.raises(ValueError, match="share doc_id and lang"):
        index.add_document("a:en", "h", unit_rows(rng, 2), entries)


# Incremental updates must give the same index as a rebuild from scratch.
ops = st.lists(
    st.tuples(st.sampled_from(["add", "remove"]), st.integers(0, 5), st.integers(1, 6), st.sampled_from(["en", "zh"])),
    min_size=1,
    max_size=15,
)


@settings(max_examples=40, deadline=None)
@given(ops=ops, seed=st.integers(0, 2**16))
def test_incremental_updates_equal_rebuild(ops, seed):
    rng = np.random.default_rng(seed)
    index = CorpusIndex(DIM)
    live: dict[str, tuple[str, np.ndarray]] = {}
    for op, doc, n, lang in ops:
        key = f"d{doc}:{lang}"
        if op == "add":
            live[key] = (lang, unit_rows(rng, n))
            index.add_document(key, "h", live[key][1], entries_for(f"d{doc}", lang, n))
        else:
            assert index.remove_document(key) == (key in live)
            live.pop(key, None)
    assert index.keys() == sorted(live)
    assert len(index) == sum(len(v) for _, v in live.values())
    if live:
        q = unit_rows(rng, 3)
        k = min(4, len(index))
        scores, entries = index.search(q, k)
        want_scores, want = brute_force(live, q, k, None)
        np.testing.assert_allclose(scores, want_scores, rtol=1e-5, atol=1e-5)
        assert [[(e.doc_id, e.idx) for e in row] for row in entries] == want


def test_switches_to_ivf_above_exact_max_and_records_parameters():
    rng = np.random.default_rng(8)
    policy = IndexPolicy(exact_max=3000, train_per_list=20, nprobe=8)
    centers = unit_rows(rng, 40)
    docs = {}
    for i in range(8):  # 8 x 500 clustered sentences: above exact_max after the 7th
        v = centers[rng.integers(0, 40, 500)] + 0.3 * unit_rows(rng, 500)
        docs[f"d{i}:en"] = ("en", (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32))
    index = build(docs, policy)
    shard = index.describe()["shards"]["en"]
    assert shard["kind"] == "ivf"
    assert shard["nprobe"] == 8 and shard["nlist"] == policy.nlist_for(shard["trained_on"])
    q = docs["d0:en"][1][:50]
    _, entries = index.search(q, 1)
    assert [(e.doc_id, e.idx) for row in entries for e in row] == [("d0", i) for i in range(50)]
    # Removing most documents brings the shard back to an exact index.
    for i in range(6):
        index.remove_document(f"d{i}:en")
    assert index.describe()["shards"]["en"]["kind"] == "flat"
    assert len(index) == 1000


def test_save_load_round_trip_including_ivf(tmp_path):
    rng = np.random.default_rng(9)
    policy = IndexPolicy(exact_max=1500, train_per_list=20)
    docs = {f"d{i}:{lg}": (lg, unit_rows(rng, 400)) for i in range(4) for lg in ("en", "zh")}
    index = build(docs, policy)
    q = unit_rows(rng, 10)
    before = index.search(q, 6)
    index.save(str(tmp_path))
    loaded = CorpusIndex.load(str(tmp_path))
    after = loaded.search(q, 6)
    np.testing.assert_array_equal(before[0], after[0])
    assert before[1] == after[1]
    assert loaded.describe() == index.describe()
    assert loaded.has("d2:zh", "h-d2:zh")
    # New ids after loading never collide with old ones.
    loaded.add_document("new:en", "h", unit_rows(rng, 3), entries_for("new", "en", 3))
    assert len(loaded) == len(index) + 3


def test_saving_twice_keeps_only_the_current_generation(tmp_path):
    rng = np.random.default_rng(10)
    index = build({"a:en": ("en", unit_rows(rng, 3)), "b:zh": ("zh", unit_rows(rng, 3))})
    index.save(str(tmp_path))
    index.remove_document("b:zh")
    index.save(str(tmp_path))
    names = sorted(os.listdir(tmp_path))
    assert names == ["entries.g2.npz", "meta.json", "shard-en.g2.faiss"]
    assert CorpusIndex.load(str(tmp_path)).keys() == ["a:en"]


def test_failed_save_leaves_previous_index_loadable(tmp_path, monkeypatch):
    rng = np.random.default_rng(11)
    index = build({"a:en": ("en", unit_rows(rng, 3))})
    index.save(str(tmp_path))
    index.add_document("b:en", "h", unit_rows(rng, 3), entries_for("b", "en", 3))

    def boom(_index, _path):
        raise OSError("disk full")

    monkeypatch.setattr("align.corpus_index.faiss.write_index", boom)
    with pytest.raises(OSError, match="disk full"):
        index.save(str(tmp_path))
    assert CorpusIndex.load(str(tmp_path)).keys() == ["a:en"]
    assert not [n for n in os.listdir(tmp_path) if n.endswith(".tmp")]


@pytest.mark.parametrize("n, kind", [pytest.param(50, "flat", id="small-exact"), pytest.param(3000, "ivf", id="large-ivf")])
def test_build_search_index_chooses_by_size(n, kind):
    rng = np.random.default_rng(12)
    vecs = unit_rows(rng, n)
    index, info = build_search_index(vecs, IndexPolicy(exact_max=1000, train_per_list=20, nprobe=64))
    assert info["kind"] == kind and index.ntotal == n
    _, ids = index.search(vecs[:20], 1)
    assert (ids[:, 0] == np.arange(20)).all()


def test_core_does_not_import_luigi():
    import subprocess
    import sys

    code = "import align.corpus_index, sys; print('luigi' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
