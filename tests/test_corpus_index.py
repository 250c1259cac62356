"""The persistent corpus index: exact search, incremental updates, IVF switch, atomic saves."""

from __future__ import annotations

import os

import faiss
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


def replay(index: CorpusIndex, ops, rng: np.random.Generator) -> dict[str, tuple[str, np.ndarray]]:
    """Apply ``(op, doc, n, lang)`` adds/removals to ``index``; return the documents that should be live."""
    live: dict[str, tuple[str, np.ndarray]] = {}
    for op, doc, n, lang in ops:
        key = f"d{doc}:{lang}"
        if op == "add":
            live[key] = (lang, unit_rows(rng, n))
            index.add_document(key, "h", live[key][1], entries_for(f"d{doc}", lang, n))
        else:
            assert index.remove_document(key) == (key in live)
            live.pop(key, None)
    return live


def assert_same_as_brute_force(index: CorpusIndex, live, rng: np.random.Generator, k: int) -> None:
    """The index holds exactly the live documents and searches them like numpy does."""
    assert index.keys() == sorted(live)
    assert len(index) == sum(len(v) for _, v in live.values())
    if live:
        q = unit_rows(rng, 3)
        k = min(k, len(index))
        scores, entries = index.search(q, k)
        want_scores, want = brute_force(live, q, k, None)
        np.testing.assert_allclose(scores, want_scores, rtol=1e-5, atol=1e-5)
        assert [[(e.doc_id, e.idx) for e in row] for row in entries] == want


@settings(max_examples=40, deadline=None)
@given(ops=ops, seed=st.integers(0, 2**16))
def test_incremental_updates_equal_rebuild(ops, seed):
    rng = np.random.default_rng(seed)
    index = CorpusIndex(DIM)
    live = replay(index, ops, rng)
    assert_same_as_brute_force(index, live, rng, 4)


@pytest.mark.parametrize(
    "codec, min_found",
    [pytest.param("Flat", 50, id="raw-vectors-exact-within-lists"),
     pytest.param("SQ8", 50, id="8-bit-codes"),
     pytest.param("PQ{m}x4fs", 48, id="4-bit-pq-fast-scan")],  # 32-d: 4 bytes a vector, so rarely a miss
)
def test_switches_to_ivf_above_exact_max_and_records_parameters(codec, min_found):
    rng = np.random.default_rng(8)
    policy = IndexPolicy(exact_max=3000, train_per_list=20, nprobe=8, codec=codec)
    centers = unit_rows(rng, 40)
    docs = {}
    for i in range(8):  # 8 x 500 clustered sentences: above exact_max after the 7th
        v = centers[rng.integers(0, 40, 500)] + 0.3 * unit_rows(rng, 500)
        docs[f"d{i}:en"] = ("en", (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32))
    index = build(docs, policy)
    shard = index.describe()["shards"]["en"]
    assert shard["kind"] == "ivf"
    assert shard["nprobe"] == 8 and shard["nlist"] == policy.nlist_for(shard["trained_on"])
    assert shard["factory"] == f"IVF{shard['nlist']},{codec.replace('{m}', '4')}" and shard["refine"] == policy.refine
    q = docs["d0:en"][1][:50]
    scores, entries = index.search(q, 1)
    found = [(e.doc_id, e.idx) for row in entries for e in row]
    assert sum(f == ("d0", i) for i, f in enumerate(found)) >= min_found
    # Scores are exact cosines (re-ranked with the stored vectors), whatever the codec.
    hit_vecs = np.stack([docs[f"{e.doc_id}:en"][1][e.idx] for row in entries for e in row])
    np.testing.assert_allclose(scores[:, 0], np.sum(hit_vecs * q, axis=1), rtol=1e-5, atol=1e-5)
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


# With every list probed and every vector re-ranked, the approximate shard must be exact:
# so any difference from brute force after a random history of adds and removals (crossing
# the flat/IVF switch both ways, and a retrain) is a bug in the id map, the codes or the store.
EXHAUSTIVE = IndexPolicy(exact_max=120, train_per_list=4, nprobe=4096, refine=100_000, retrain_growth=2.0, codec="SQ8")
big_ops = st.lists(
    st.tuples(st.sampled_from(["add", "add", "remove"]), st.integers(0, 9), st.integers(20, 70)),
    min_size=1,
    max_size=14,
)


@settings(max_examples=25, deadline=None)
@given(ops=big_ops, seed=st.integers(0, 2**16))
def test_incremental_updates_across_the_ivf_switch_equal_rebuild(ops, seed):
    rng = np.random.default_rng(seed)
    index = CorpusIndex(DIM, EXHAUSTIVE)
    live = replay(index, [(op, doc, n, "en") for op, doc, n in ops], rng)
    assert_same_as_brute_force(index, live, rng, 6)
    # Every live sentence is found as its own nearest neighbour, with its own entry.
    for key, (_, vecs) in live.items():
        _, hits = index.search(vecs, 1)
        assert [(h[0].doc_id, h[0].idx) for h in hits] == [(key.split(":")[0], i) for i in range(len(vecs))]


def test_ivf_shard_is_retrained_after_growth_and_keeps_its_vectors():
    rng = np.random.default_rng(13)
    index = CorpusIndex(DIM, EXHAUSTIVE)
    docs = {}
    for i in range(8):  # 8 x 60: IVF from 180 sentences, retrained past 2 x 180
        docs[f"d{i}:en"] = ("en", unit_rows(rng, 60))
        index.add_document(f"d{i}:en", "h", docs[f"d{i}:en"][1], entries_for(f"d{i}", "en", 60))
    shard = index.describe()["shards"]["en"]
    assert shard["kind"] == "ivf" and shard["trained_on"] == 420
    q = unit_rows(rng, 5)
    scores, entries = index.search(q, 7)
    want_scores, want = brute_force(docs, q, 7, None)
    np.testing.assert_allclose(scores, want_scores, rtol=1e-5, atol=1e-5)
    assert [[(e.doc_id, e.idx) for e in row] for row in entries] == want


def test_ivf_save_writes_codes_and_vectors_and_load_searches_the_same(tmp_path):
    rng = np.random.default_rng(14)
    policy = IndexPolicy(exact_max=500, train_per_list=10, codec="SQ8")  # random 32-d vectors: 4-byte PQ is too coarse
    docs = {f"d{i}:en": ("en", unit_rows(rng, 100)) for i in range(7)}
    index = build(docs, policy)
    index.save(str(tmp_path))
    assert sorted(os.listdir(tmp_path)) == ["entries.g1.npz", "meta.json", "shard-en.g1.faiss",
                                            "shard-en.g1.vectors.faiss"]
    loaded = CorpusIndex.load(str(tmp_path))
    q = unit_rows(rng, 9)
    np.testing.assert_array_equal(index.search_ids(q, 5)[1], loaded.search_ids(q, 5)[1])
    loaded.remove_document("d3:en")
    loaded.add_document("d9:en", "h", docs["d3:en"][1], entries_for("d9", "en", 100))
    _, hits = loaded.search(docs["d3:en"][1][:10], 1)
    assert [(h[0].doc_id, h[0].idx) for h in hits] == [("d9", i) for i in range(10)]


def test_format_1_index_with_ivf_flat_shard_is_read_and_rebuilt(tmp_path):
    import json

    import faiss

    rng = np.random.default_rng(15)
    policy = IndexPolicy(exact_max=500, train_per_list=10, nprobe=4096, refine=100_000)
    docs = {f"d{i}:en": ("en", unit_rows(rng, 100)) for i in range(7)}
    index = build(docs, policy)
    index.save(str(tmp_path))
    # Rewrite the folder as format 1 wrote it: one IVF,Flat file holding the vectors, no store.
    meta = json.loads((tmp_path / "meta.json").read_text())
    vecs = np.concatenate([docs[f"d{i}:en"][1] for i in range(7)])
    legacy = faiss.index_factory(DIM, "IVF16,Flat", faiss.METRIC_INNER_PRODUCT)
    legacy.train(vecs)
    legacy.add_with_ids(vecs, np.arange(len(vecs), dtype=np.int64))
    faiss.write_index(legacy, str(tmp_path / meta["shards"]["en"]["file"]))
    os.remove(tmp_path / meta["shards"]["en"].pop("store"))
    meta["format"] = 1
    for key in ("codec", "refine", "quantizer", "kmeans_iter"):
        meta["policy"].pop(key)
    meta["policy"].update(exact_max=500, train_per_list=10)
    (tmp_path / "meta.json").write_text(json.dumps(meta))
    loaded = CorpusIndex.load(str(tmp_path))
    assert loaded.describe()["shards"]["en"]["kind"] == "ivf" and "codec" in loaded.describe()["shards"]["en"]
    # Re-rank every candidate: the rebuilt shard must then hold exactly the old vectors under the old ids.
    loaded.shard_index("en").refine = 100_000
    q = unit_rows(rng, 6)
    want_scores, want = brute_force(docs, q, 5, None)
    scores, entries = loaded.search(q, 5)
    np.testing.assert_allclose(scores, want_scores, rtol=1e-5, atol=1e-5)
    assert [[(e.doc_id, e.idx) for e in row] for row in entries] == want


def test_a_failed_faiss_write_is_an_oserror_naming_the_file(tmp_path, monkeypatch):
    """FAISS raises RuntimeError on a full disk; the index raises OSError (an output error), leaves no temp file."""
    from align import corpus_index

    def failing_write(index, path):
        with open(path, "wb") as fh:
            fh.write(b"partial")
        raise RuntimeError("Error in void faiss::write_index: 'ret == (size * 4)' failed: write error in " + path)

    monkeypatch.setattr(corpus_index.faiss, "write_index", failing_write)
    with pytest.raises(OSError) as info:
        corpus_index._atomic_write_index(str(tmp_path), "shard-en.g1.faiss", faiss.IndexFlatIP(4))
    assert info.value.filename == str(tmp_path / "shard-en.g1.faiss")
    assert list(tmp_path.iterdir()) == []
