"""A persistent, incremental FAISS index over every sentence of a corpus.

Every sentence of every document version (one *key* per document and
language, e.g. ``"000_17f6…:en"``) is stored as an L2-normalised float32
vector, with an id map back to ``(doc_id, lang, segment idx, start, end)``.
Inner product of normalised vectors is cosine similarity.

Design (measured by ``bench/corpus_scale.py``; figures in the README section
"Corpus index and scaling"):

* **One FAISS index per language** ("shard"). Searching one language (the
  common case: "find this sentence among the other language's sentences")
  touches only that shard; this is also the first way to split the index
  across machines.
* **Contiguous ids per document.** A document's sentences get ids
  ``first_id .. first_id + n - 1`` (int64, never reused), so removing a
  document is one ``remove_ids`` call and id → entry lookup is a binary
  search over the documents' first ids; no per-sentence Python objects are
  kept (1M sentences cost ~16 MB of metadata, not ~200 MB).
* **Exact while small, approximate when large.** A shard is an exact
  ``IDMap2,Flat`` inner-product index up to :attr:`IndexPolicy.exact_max`
  vectors; above that it becomes a :class:`RefinedIVF`: an inverted file
  over 4-bit product-quantisation codes (``IVF<nlist>,PQ64x4fs``, scanned
  with SIMD table lookups) that yields :attr:`IndexPolicy.refine`
  candidates per query, re-ranked by exact cosine against the float32
  vectors kept in a vector store beside it. Profiling the earlier
  ``IVF,Flat`` design showed FAISS itself, not Python, was the cost: each
  query read 64 lists of float32 vectors (128 MB at 1M sentences); codes
  cut that 64-fold. Its parameters (factory string, ``nlist``, ``nprobe``,
  ``refine``, training size) are recorded in the saved metadata. New
  documents are added to the trained codes without retraining until the
  shard has grown :attr:`IndexPolicy.retrain_growth` times past its
  training size. HNSW was not chosen as the index: FAISS's HNSW cannot
  remove vectors, so a changed document would force a rebuild.
* **Atomic saves.** :meth:`CorpusIndex.save` writes new shard files under a
  fresh generation number, then replaces ``meta.json`` (temp file +
  ``os.replace``); a reader sees the old or the new index, never a mix.

This module does file I/O only in :meth:`CorpusIndex.save` and
:meth:`CorpusIndex.load`.
"""

from __future__ import annotations

import errno
import json
import math
import os
import re
import tempfile
from dataclasses import asdict, dataclass, field
from contextlib import contextmanager
from typing import Iterator, Mapping, Sequence

import faiss
import numpy as np

FORMAT_VERSION = 2
_READABLE_FORMATS = (1, 2)  # 1: approximate shards were IVF,Flat without a separate vector store
_LANG_RE = re.compile(r"^[A-Za-z0-9-]{1,35}$")


@dataclass(frozen=True, slots=True)
class EntryMeta:
    """Where one indexed sentence comes from.

    ``idx`` is the 0-based segment index in its document version; ``start``
    and ``end`` are character offsets into ``Document.text`` (end exclusive).
    """

    doc_id: str
    lang: str
    idx: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class IndexPolicy:
    """When a language shard stops being exact, and how its approximate index is built.

    The approximate index is an inverted file over compressed codes whose
    best candidates are re-ranked by exact cosine: ``IVF<nlist>,<codec>``
    (``codec`` a FAISS factory code; the default, 4-bit "fast-scan" product
    quantisation, scans a probed list 30-60 times faster than raw float32
    vectors) searched for ``refine`` candidates per query, which are then
    scored against the exact vectors kept beside the codes. Scores returned
    are therefore exact cosines; only which sentences are found is
    approximate. The defaults come from ``bench/corpus_scale.py`` (figures in
    the README, "Corpus index and scaling").
    """

    exact_max: int = 50_000
    """Largest shard (in sentences) kept as an exact flat index."""
    nlist_factor: float = 2.0
    """IVF lists = ``nlist_factor * sqrt(n)``, rounded to a power of two, at least 64."""
    nprobe: int = 64
    """Inverted lists searched per query (recall/speed knob; see the README)."""
    train_per_list: int = 40
    """Training vectors per list for k-means (FAISS warns below 39)."""
    retrain_growth: float = 10.0
    """Retrain a shard's IVF index when it has grown this many times past its training size.

    Retraining re-encodes every vector of the shard, so it is kept rare: a
    shard that turned IVF at 50k sentences is retrained at 500k, then 5M.
    """
    seed: int = 1234
    """Seed of the training sample and of k-means, so a rebuild is reproducible."""
    codec: str = "PQ{m}x4fs"
    """How vectors are stored in the inverted lists (a FAISS factory code, where ``{m}``
    stands for the dimension / 8): ``PQ{m}x4fs`` (sub-vectors of 8 dimensions, 4 bits each:
    32 bytes a 512-d sentence, scanned with SIMD table lookups), ``SQ8`` (one byte a
    dimension), or ``Flat`` (raw float32, the slowest scan)."""
    refine: int = 200
    """Candidates taken from the codes per query and re-ranked by exact cosine (at least k)."""
    quantizer: str = "flat"
    """Coarse quantizer that picks the lists to probe: ``flat`` (exact, one matrix product
    per query batch) or ``hnsw`` (an HNSW graph over the list centroids, for many lists)."""
    kmeans_iter: int = 20
    """k-means iterations when training the coarse quantizer."""

    def nlist_for(self, n: int) -> int:
        """The number of IVF lists for a shard of ``n`` vectors.

        A power of two near ``nlist_factor * sqrt(n)``, at least 64, but never
        more than ``n / train_per_list`` (so k-means has enough points per list).
        """
        target = max(64.0, self.nlist_factor * math.sqrt(max(n, 1)))
        nlist = int(2 ** round(math.log2(target)))
        return max(1, min(nlist, n // self.train_per_list))

    def factory(self, nlist: int, dim: int) -> str:
        """The FAISS ``index_factory`` string of the coded IVF index with ``nlist`` lists over ``dim``-d vectors.

        ``{m}`` in :attr:`codec` becomes the largest divisor of ``dim`` not above ``dim / 8``.
        """
        if self.quantizer not in ("flat", "hnsw"):
            raise ValueError(f"IndexPolicy.quantizer must be 'flat' or 'hnsw', not {self.quantizer!r}")
        m = max(x for x in range(1, max(1, dim // 8) + 1) if dim % x == 0)
        return f"IVF{nlist}{'_HNSW32' if self.quantizer == 'hnsw' else ''},{self.codec.replace('{m}', str(m))}"


@dataclass(slots=True)
class _DocRecord:
    """One indexed document version: its ids are ``first_id .. first_id + len(idx) - 1``."""

    key: str
    content_hash: str
    doc_id: str
    lang: str
    first_id: int
    idx: np.ndarray  # (n,) int32
    start: np.ndarray  # (n,) int64
    end: np.ndarray  # (n,) int64


def _check_vectors(vectors: np.ndarray, dim: int | None) -> np.ndarray:
    """Validate a (n, d) matrix of unit vectors and return it as C-contiguous float32."""
    v = np.ascontiguousarray(vectors, dtype=np.float32)
    if v.ndim != 2:
        raise ValueError(f"expected a 2-D (n, d) array of vectors, got shape {v.shape}")
    if dim is not None and v.shape[1] != dim:
        raise ValueError(f"expected vectors of dimension {dim}, got {v.shape[1]}")
    if len(v):
        norms = np.linalg.norm(v, axis=1)
        if not np.all(np.abs(norms - 1.0) < 1e-3):
            raise ValueError("vectors must be L2-normalised (cosine = inner product)")
    return v


def make_flat_index(dim: int) -> faiss.Index:
    """An exact inner-product index (``IDMap2,Flat``) that accepts explicit int64 ids and removals."""
    return faiss.index_factory(dim, "IDMap2,Flat", faiss.METRIC_INNER_PRODUCT)


def make_vector_store(dim: int) -> faiss.Index:
    """Exact float32 vectors by id, for re-ranking: a one-list ``IVF1,Flat`` with a hash-table id map.

    A FAISS structure rather than a numpy array because it gives, in C++,
    what the re-ranking needs: ``reconstruct_batch`` by id, and removal of a
    document in time proportional to its size (an ``IDMap2,Flat`` would move
    every later vector: 0.7 s per document at 500k sentences).
    """
    centroid = faiss.IndexFlatIP(dim)
    centroid.add(np.zeros((1, dim), np.float32))
    store = faiss.IndexIVFFlat(centroid, dim, 1, faiss.METRIC_INNER_PRODUCT)
    centroid.this.disown()
    store.own_fields = True
    store.set_direct_map_type(faiss.DirectMap.Hashtable)
    return store


class RefinedIVF:
    """An IVF index over compressed codes whose candidates are re-ranked by exact cosine.

    ``codes`` is a FAISS ``IVF...`` index (ids as given); ``store`` holds the
    same ids' exact vectors (:func:`make_vector_store`). A query takes the
    ``refine`` best candidates by code distance, then scores them with the
    exact vectors (one gather and one batched matrix product per block of
    queries; no per-query Python work). It answers the FAISS calls this
    package makes: ``d``, ``ntotal``, ``search``, ``add_with_ids`` and
    :meth:`remove_range`.
    """

    QUERY_BLOCK = 256
    """Queries re-ranked together (bounds the gathered candidates: 256 x refine x d floats)."""

    def __init__(self, codes: faiss.Index, store: faiss.Index, refine: int) -> None:
        """Wrap a trained, filled ``codes`` index and the ``store`` of the same ids' vectors."""
        self.codes = codes
        self.store = store
        self.refine = int(refine)

    @property
    def d(self) -> int:
        """Vector dimension."""
        return self.codes.d

    @property
    def ntotal(self) -> int:
        """Number of indexed vectors."""
        return self.codes.ntotal

    @property
    def nprobe(self) -> int:
        """Inverted lists probed per query."""
        return faiss.extract_index_ivf(self.codes).nprobe

    @nprobe.setter
    def nprobe(self, value: int) -> None:
        faiss.extract_index_ivf(self.codes).nprobe = int(value)

    def add_with_ids(self, vectors: np.ndarray, ids: np.ndarray) -> None:
        """Add (n, d) float32 unit vectors under int64 ``ids`` (ids not already present)."""
        with _few_threads(len(vectors)):
            self.codes.add_with_ids(vectors, ids)
        self.store.add_with_ids(vectors, ids)

    def remove_range(self, first: int, n: int) -> int:
        """Remove ids ``first .. first + n - 1``; returns how many were present."""
        removed = self.codes.remove_ids(faiss.IDSelectorRange(first, first + n))
        ids = np.arange(first, first + n, dtype=np.int64)
        stored = self.store.remove_ids(faiss.IDSelectorArray(len(ids), faiss.swig_ptr(ids)))
        if stored != removed:  # codes and exact vectors disagree: a bug, not bad input
            raise RuntimeError(f"ids {first}..{first + n - 1}: {removed} codes but {stored} vectors removed")
        return int(removed)

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top-``k`` inner products of each query (nq, d) float32: ``(scores, ids)``, both (nq, k).

        Scores are exact inner products, best first; missing neighbours
        have score ``-inf`` and id -1.
        """
        q = np.ascontiguousarray(queries, dtype=np.float32)
        nq = len(q)
        scores = np.full((nq, k), -np.inf, np.float32)
        ids = np.full((nq, k), -1, np.int64)
        if k <= 0 or nq == 0 or self.ntotal == 0:
            return scores, ids
        kf = min(max(k, self.refine), self.ntotal)  # no more candidates than vectors
        k = min(k, kf)  # the output keeps its k columns; the rest stay -inf / -1
        for lo in range(0, nq, self.QUERY_BLOCK):
            qb = q[lo : lo + self.QUERY_BLOCK]
            _, cand = self.codes.search(qb, kf)
            valid = cand >= 0
            if not valid.any():
                continue
            safe = np.where(valid, cand, cand[valid][0])
            vecs = self.store.reconstruct_batch(safe.ravel()).reshape(len(qb), kf, self.d)
            exact = np.matmul(vecs, qb[:, :, None])[:, :, 0]
            exact[~valid] = -np.inf
            order = np.argsort(-exact, axis=1, kind="stable")[:, :k]
            best = np.take_along_axis(exact, order, axis=1)
            scores[lo : lo + len(qb), :k] = best
            ids[lo : lo + len(qb), :k] = np.where(np.isneginf(best), -1, np.take_along_axis(cand, order, axis=1))
        return scores, ids


@contextmanager
def _few_threads(n: int) -> Iterator[None]:
    """Run a FAISS call on ``n`` vectors single-threaded when ``n`` is small (restoring the setting after).

    Adding one document (~100 vectors) is too little work to share: with two
    OpenMP threads on a busy machine, the threads mostly spin waiting for each
    other (measured: 200 adds of 100 vectors took 2.1 CPU-s with two threads,
    0.43 with one).
    """
    if n >= SMALL_BATCH:
        yield
        return
    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)


SMALL_BATCH = 2048
"""Vectors below which a FAISS add or search runs on one thread (see :func:`_few_threads`)."""


def _train_codes(sample: np.ndarray, nlist: int, policy: IndexPolicy) -> faiss.Index:
    """An empty ``policy.factory(nlist)`` inner-product index trained on ``sample`` (m, d) float32."""
    codes = faiss.index_factory(sample.shape[1], policy.factory(nlist, sample.shape[1]), faiss.METRIC_INNER_PRODUCT)
    ivf = faiss.extract_index_ivf(codes)
    ivf.cp.seed = policy.seed
    ivf.cp.niter = policy.kmeans_iter
    ivf.cp.spherical = True  # unit centroids: lists by cosine, like the vectors
    codes.train(sample)
    ivf.nprobe = min(policy.nprobe, nlist)
    if policy.quantizer == "hnsw":
        faiss.downcast_index(ivf.quantizer).hnsw.efSearch = max(64, 2 * ivf.nprobe)
    return codes


def _train_sample(n: int, nlist: int, policy: IndexPolicy) -> np.ndarray:
    """Sorted row positions (0-based, into n rows) of the k-means training sample."""
    n_train = min(n, nlist * policy.train_per_list)
    if n_train == n:
        return np.arange(n)
    return np.sort(np.random.default_rng(policy.seed).choice(n, size=n_train, replace=False))


def _codes_params(nlist: int, n: int, n_train: int, codes: faiss.Index, policy: IndexPolicy) -> dict:
    """The parameters of an approximate shard, as recorded in ``meta.json`` and :meth:`CorpusIndex.describe`."""
    return {"nlist": nlist, "nprobe": int(faiss.extract_index_ivf(codes).nprobe), "codec": policy.codec,
            "quantizer": policy.quantizer, "refine": policy.refine, "factory": policy.factory(nlist, codes.d),
            "trained_on": int(n), "train_sample": int(n_train)}


def make_ivf_index(vectors: np.ndarray, ids: np.ndarray, policy: IndexPolicy) -> tuple[RefinedIVF, dict]:
    """Train and fill the approximate index of ``policy`` over ``vectors`` (n, d) float32 with int64 ``ids``.

    Returns the :class:`RefinedIVF` and its parameters (recorded in the saved
    metadata). The k-means training sample is drawn with ``policy.seed``.
    """
    n = len(vectors)
    nlist = policy.nlist_for(n)
    rows = _train_sample(n, nlist, policy)
    codes = _train_codes(vectors[rows], nlist, policy)
    codes.add_with_ids(vectors, ids)
    store = make_vector_store(vectors.shape[1])
    store.add_with_ids(vectors, ids)
    return RefinedIVF(codes, store, policy.refine), _codes_params(nlist, n, len(rows), codes, policy)


def retrain_ivf_index(index: RefinedIVF, policy: IndexPolicy) -> tuple[RefinedIVF, dict]:
    """Train new codes for a grown :class:`RefinedIVF`, re-encoding the vectors of its store.

    The store is kept as it is (no second copy of the exact vectors), so a
    retrain costs the shard's codes, not its vectors, in extra memory.
    """
    ids, vecs = _stored_vectors(index.store)  # views into the store, no copy
    n = len(ids)
    nlist = policy.nlist_for(n)
    rows = _train_sample(n, nlist, policy)
    codes = _train_codes(np.ascontiguousarray(vecs[rows]), nlist, policy)
    block = 65_536
    for lo in range(0, n, block):
        codes.add_with_ids(np.ascontiguousarray(vecs[lo : lo + block]), np.ascontiguousarray(ids[lo : lo + block]))
    return RefinedIVF(codes, index.store, policy.refine), _codes_params(nlist, n, len(rows), codes, policy)


def build_search_index(vectors: np.ndarray, policy: IndexPolicy | None = None) -> tuple[faiss.Index | RefinedIVF, dict]:
    """A one-off inner-product index over ``vectors`` (n, d) float32, ids 0..n-1.

    Exact (flat) up to ``policy.exact_max`` rows, approximate
    (:class:`RefinedIVF`) above; either answers ``search(queries, k) ->
    (scores, ids)`` and ``ntotal``. Returns the index and a description
    ``{"kind": ..., **params}`` for result signatures. Used by the
    consistency and translation-memory checks for their own (bead-level)
    vectors.
    """
    policy = policy or IndexPolicy()
    v = _check_vectors(vectors, None)
    ids = np.arange(len(v), dtype=np.int64)
    if len(v) <= policy.exact_max:
        index = make_flat_index(v.shape[1])
        if len(v):
            index.add_with_ids(v, ids)
        return index, {"kind": "flat"}
    index, params = make_ivf_index(v, ids, policy)
    return index, {"kind": "ivf", **params}


def _stored_vectors(index: faiss.Index) -> tuple[np.ndarray, np.ndarray]:
    """Every (id, vector) of an ``IDMap2,Flat`` or ``IVF...,Flat`` index: ids (n,) int64, vectors (n, d) float32.

    For a one-list IVF (the vector store) both arrays are views into the
    index's memory, valid until the index changes; otherwise copies.
    """
    idmap = faiss.downcast_index(index)
    if isinstance(idmap, (faiss.IndexIDMap, faiss.IndexIDMap2)):
        ids = faiss.vector_to_array(idmap.id_map).astype(np.int64)
        inner = faiss.downcast_index(idmap.index)
        vecs = inner.reconstruct_n(0, inner.ntotal) if inner.ntotal else np.zeros((0, index.d), np.float32)
        return ids, vecs
    ivf = faiss.extract_index_ivf(index)
    invlists = ivf.invlists
    id_parts, vec_parts = [], []
    for lst in range(ivf.nlist):
        size = invlists.list_size(lst)
        if not size:
            continue
        id_parts.append(faiss.rev_swig_ptr(invlists.get_ids(lst), size))
        codes = faiss.rev_swig_ptr(invlists.get_codes(lst), size * invlists.code_size)
        vec_parts.append(codes.view(np.float32).reshape(size, ivf.d))
    if not id_parts:
        return np.zeros(0, np.int64), np.zeros((0, ivf.d), np.float32)
    if len(id_parts) == 1:
        return id_parts[0].view(np.int64), vec_parts[0]
    return np.concatenate(id_parts).astype(np.int64), np.concatenate(vec_parts)


@dataclass(slots=True)
class _Shard:
    """The FAISS index of one language, and how it was built.

    ``kind`` is ``"flat"`` (an ``IDMap2,Flat`` index) or ``"ivf"`` (a :class:`RefinedIVF`).
    """

    index: faiss.Index | RefinedIVF
    kind: str
    params: dict = field(default_factory=dict)

    def remove_range(self, first: int, n: int) -> int:
        """Remove ids ``first .. first + n - 1`` from the shard; returns how many were present."""
        if isinstance(self.index, RefinedIVF):
            return self.index.remove_range(first, n)
        return int(self.index.remove_ids(faiss.IDSelectorRange(first, first + n)))


class CorpusIndex:
    """Every sentence of the corpus, searchable by vector, updated document by document.

    A *key* names one document version (one document in one language); the
    caller chooses it (the pipeline uses ``"<doc_id>:<lang>"``). A document is
    re-indexed when its ``content_hash`` changes (:meth:`has` says whether
    the stored version is current).
    """

    def __init__(self, dim: int, policy: IndexPolicy | None = None) -> None:
        """An empty index for ``dim``-dimensional vectors."""
        self.dim = dim
        self.policy = policy or IndexPolicy()
        self._docs: dict[str, _DocRecord] = {}
        self._shards: dict[str, _Shard] = {}
        self._next_id = 0
        self._lookup: tuple[np.ndarray, list[_DocRecord]] | None = None
        self._generation = 0

    # ------------------------------------------------------------------ contents

    def __len__(self) -> int:
        """Number of indexed sentences, all languages."""
        return sum(s.index.ntotal for s in self._shards.values())

    def keys(self) -> list[str]:
        """The indexed document keys, sorted."""
        return sorted(self._docs)

    def has(self, key: str, content_hash: str) -> bool:
        """True when ``key`` is indexed with exactly this content hash."""
        rec = self._docs.get(key)
        return rec is not None and rec.content_hash == content_hash

    def languages(self) -> list[str]:
        """Languages that have a shard, sorted."""
        return sorted(self._shards)

    def describe(self) -> dict:
        """A JSON-ready description for signatures: per language, kind, size and IVF parameters."""
        return {
            "format": FORMAT_VERSION,
            "dim": self.dim,
            "documents": len(self._docs),
            "sentences": len(self),
            "policy": asdict(self.policy),
            "shards": {
                lang: {"kind": s.kind, "ntotal": int(s.index.ntotal), **s.params}
                for lang, s in sorted(self._shards.items())
            },
        }

    def shard_index(self, lang: str) -> "faiss.Index | RefinedIVF":
        """The index of one language: a FAISS ``IDMap2,Flat`` or a :class:`RefinedIVF` (for tuning and benchmarks, e.g. ``nprobe``, ``refine``)."""
        return self._shards[lang].index

    def plan_update(self, wanted: Mapping[str, str]) -> tuple[list[str], list[str]]:
        """Compare the index with the corpus ``{key: content_hash}``.

        Returns ``(to_add, to_remove)``, both sorted: keys that are new or
        whose hash changed (remove then re-add them), and keys no longer in
        the corpus.
        """
        to_add = sorted(k for k, h in wanted.items() if not self.has(k, h))
        to_remove = sorted(k for k in self._docs if k not in wanted)
        return to_add, to_remove

    # ------------------------------------------------------------------ updates

    def add_document(
        self, key: str, content_hash: str, vectors: np.ndarray, entries: Sequence[EntryMeta]
    ) -> None:
        """Index one document version, replacing any earlier version under ``key``.

        ``vectors`` is (n, dim) float32, L2-normalised, row i describing
        ``entries[i]``; all entries must share one ``doc_id`` and ``lang``,
        and there must be at least one (a version with no sentences has
        nothing to index).
        """
        v = _check_vectors(vectors, self.dim)
        if len(entries) != len(v):
            raise ValueError(f"{key}: {len(v)} vectors but {len(entries)} entries")
        if not entries:
            raise ValueError(f"{key}: a document needs at least one entry (to know its doc_id and lang)")
        doc_id, lang = entries[0].doc_id, entries[0].lang
        if any(e.doc_id != doc_id or e.lang != lang for e in entries):
            raise ValueError(f"{key}: all entries of one key must share doc_id and lang")
        if not _LANG_RE.match(lang):
            raise ValueError(f"{key}: language tag {lang!r} is not a BCP-47 tag")
        if key in self._docs:
            self.remove_document(key)
        first = self._next_id
        self._next_id += len(v)
        rec = _DocRecord(
            key=key,
            content_hash=content_hash,
            doc_id=doc_id,
            lang=lang,
            first_id=first,
            idx=np.array([e.idx for e in entries], dtype=np.int32),
            start=np.array([e.start for e in entries], dtype=np.int64),
            end=np.array([e.end for e in entries], dtype=np.int64),
        )
        self._docs[key] = rec
        self._lookup = None
        shard = self._shards.get(lang)
        if shard is None:
            shard = self._shards[lang] = _Shard(make_flat_index(self.dim), "flat")
        shard.index.add_with_ids(v, np.arange(first, first + len(v), dtype=np.int64))
        self._rebalance(lang)

    def remove_document(self, key: str) -> bool:
        """Remove a document version; returns False when ``key`` was not indexed."""
        rec = self._docs.pop(key, None)
        if rec is None:
            return False
        self._lookup = None
        n = len(rec.idx)
        if n:
            shard = self._shards[rec.lang]
            removed = shard.remove_range(rec.first_id, n)
            if removed != n:  # the id map and the FAISS index disagree: a bug, not bad input
                raise RuntimeError(f"{key}: removed {removed} vectors from the index, expected {n}")
            if shard.index.ntotal == 0:
                del self._shards[rec.lang]
            else:
                self._rebalance(rec.lang)
        return True

    def _rebalance(self, lang: str) -> None:
        """Switch a shard between flat and IVF, or retrain its IVF index, when its size calls for it."""
        shard = self._shards[lang]
        n = shard.index.ntotal
        pol = self.policy
        if shard.kind == "flat" and n > pol.exact_max:
            ids, vecs = _stored_vectors(shard.index)
            index, params = make_ivf_index(vecs, ids, pol)
            self._shards[lang] = _Shard(index, "ivf", params)
        elif shard.kind == "ivf" and n <= pol.exact_max // 2:
            ids, vecs = _stored_vectors(shard.index.store)
            index = make_flat_index(self.dim)
            index.add_with_ids(np.ascontiguousarray(vecs), np.ascontiguousarray(ids))
            self._shards[lang] = _Shard(index, "flat")
        elif shard.kind == "ivf" and n > pol.retrain_growth * shard.params["trained_on"]:
            index, params = retrain_ivf_index(shard.index, pol)
            self._shards[lang] = _Shard(index, "ivf", params)

    # ------------------------------------------------------------------ search

    def _entry_lookup(self) -> tuple[np.ndarray, list[_DocRecord]]:
        """Documents sorted by first id (cached until the next add/remove)."""
        if self._lookup is None:
            recs = sorted(self._docs.values(), key=lambda r: r.first_id)
            self._lookup = (np.array([r.first_id for r in recs], dtype=np.int64), recs)
        return self._lookup

    def entry(self, entry_id: int) -> EntryMeta:
        """The sentence stored under one FAISS id."""
        firsts, recs = self._entry_lookup()
        pos = int(np.searchsorted(firsts, entry_id, side="right")) - 1
        if pos < 0:
            raise KeyError(entry_id)
        rec = recs[pos]
        off = entry_id - rec.first_id
        if off >= len(rec.idx):
            raise KeyError(entry_id)
        return EntryMeta(rec.doc_id, rec.lang, int(rec.idx[off]), int(rec.start[off]), int(rec.end[off]))

    def search_ids(
        self, queries: np.ndarray, k: int, lang: str | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top-``k`` cosine neighbours of each query, as raw FAISS ids.

        ``queries`` is (nq, dim) float32, L2-normalised. Returns ``scores``
        (nq, k) float32, best first, and ``ids`` (nq, k) int64; missing
        neighbours (fewer than k sentences) have score ``-inf`` and id -1.
        ``lang`` restricts the search to one language's shard.
        """
        q = _check_vectors(queries, self.dim)
        nq = len(q)
        shards = [self._shards[lang]] if lang in self._shards else [] if lang else list(self._shards.values())
        if not shards or k <= 0 or nq == 0:
            return np.full((nq, max(k, 0)), -np.inf, np.float32), np.full((nq, max(k, 0)), -1, np.int64)
        parts_d, parts_i = [], []
        for shard in shards:
            d, i = shard.index.search(q, k)
            d = np.where(i < 0, -np.inf, d).astype(np.float32)
            parts_d.append(d)
            parts_i.append(i)
        if len(shards) == 1:
            return parts_d[0], parts_i[0]
        d = np.concatenate(parts_d, axis=1)
        i = np.concatenate(parts_i, axis=1)
        order = np.argsort(-d, axis=1, kind="stable")[:, :k]
        return np.take_along_axis(d, order, axis=1), np.take_along_axis(i, order, axis=1)

    def search(
        self, queries: np.ndarray, k: int, lang: str | None = None
    ) -> tuple[np.ndarray, list[list[EntryMeta]]]:
        """Top-``k`` cosine neighbours of each query, with their sentences.

        Returns ``scores`` (nq, k) float32 (best first, ``-inf`` where fewer
        than k sentences exist) and, per query, the list of found
        :class:`EntryMeta` (at most k, aligned with the first scores), so
        ``zip(scores[i], entries[i])`` walks the real hits.
        """
        scores, ids = self.search_ids(queries, k, lang)
        firsts, recs = self._entry_lookup()
        pos = np.searchsorted(firsts, ids, side="right") - 1  # one vectorised lookup for all hits
        entries = []
        for id_row, pos_row in zip(ids.tolist(), pos.tolist()):
            row = []
            for x, p in zip(id_row, pos_row):
                if x < 0:
                    continue
                rec = recs[p]
                off = x - rec.first_id
                row.append(EntryMeta(rec.doc_id, rec.lang, int(rec.idx[off]), int(rec.start[off]), int(rec.end[off])))
            entries.append(row)
        return scores, entries

    # ------------------------------------------------------------------ persistence

    def save(self, folder: str) -> None:
        """Write the index into ``folder`` atomically (``meta.json`` is the commit point).

        Shard files of the previous generation are deleted after the new
        ``meta.json`` is in place.
        """
        os.makedirs(folder, exist_ok=True)
        old_files = set(_generation_files(folder))
        gen = self._generation + 1
        while any(f".g{gen}." in name for name in old_files):
            gen += 1
        recs = sorted(self._docs.values(), key=lambda r: r.first_id)
        entries_name = f"entries.g{gen}.npz"
        _atomic_write(
            folder,
            entries_name,
            lambda fh: np.savez(
                fh,
                idx=np.concatenate([r.idx for r in recs]) if recs else np.zeros(0, np.int32),
                start=np.concatenate([r.start for r in recs]) if recs else np.zeros(0, np.int64),
                end=np.concatenate([r.end for r in recs]) if recs else np.zeros(0, np.int64),
            ),
        )
        shard_meta = {}
        for lang, shard in sorted(self._shards.items()):
            name = f"shard-{lang}.g{gen}.faiss"
            if isinstance(shard.index, RefinedIVF):
                store_name = f"shard-{lang}.g{gen}.vectors.faiss"
                _atomic_write_index(folder, name, shard.index.codes)
                _atomic_write_index(folder, store_name, shard.index.store)
                shard_meta[lang] = {"file": name, "store": store_name, "kind": shard.kind, "params": shard.params}
            else:
                _atomic_write_index(folder, name, shard.index)
                shard_meta[lang] = {"file": name, "kind": shard.kind, "params": shard.params}
        meta = {
            "format": FORMAT_VERSION,
            "dim": self.dim,
            "next_id": self._next_id,
            "generation": gen,
            "policy": asdict(self.policy),
            "entries": entries_name,
            "shards": shard_meta,
            "documents": [
                {"key": r.key, "content_hash": r.content_hash, "doc_id": r.doc_id, "lang": r.lang,
                 "first_id": r.first_id, "n": len(r.idx)}
                for r in recs
            ],
        }
        blob = json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
        _atomic_write(folder, "meta.json", lambda fh: fh.write(blob))
        self._generation = gen
        keep = {entries_name, *(m[f] for m in shard_meta.values() for f in ("file", "store") if f in m)}
        for name in old_files - keep:
            try:
                os.remove(os.path.join(folder, name))
            except FileNotFoundError:  # a concurrent saver already cleaned it
                pass

    @classmethod
    def load(cls, folder: str) -> "CorpusIndex":
        """Read an index written by :meth:`save`.

        Raises FileNotFoundError when ``folder`` holds no ``meta.json``. An
        index of format 1 (approximate shards stored as ``IVF,Flat``) is
        read and its approximate shards rebuilt in the current design (one
        k-means training per such shard; saved at the next :meth:`save`).
        """
        with open(os.path.join(folder, "meta.json"), "rb") as fh:
            meta = json.loads(fh.read().decode("utf-8"))
        if meta.get("format") not in _READABLE_FORMATS:
            raise ValueError(f"{folder}: corpus index format {meta.get('format')!r}, expected one of {_READABLE_FORMATS}")
        self = cls(int(meta["dim"]), IndexPolicy(**meta["policy"]))
        self._next_id = int(meta["next_id"])
        self._generation = int(meta["generation"])
        with np.load(os.path.join(folder, meta["entries"])) as z:
            idx, start, end = z["idx"], z["start"], z["end"]
        pos = 0
        for d in meta["documents"]:
            n = int(d["n"])
            self._docs[d["key"]] = _DocRecord(
                d["key"], d["content_hash"], d["doc_id"], d["lang"], int(d["first_id"]),
                idx[pos : pos + n].copy(), start[pos : pos + n].copy(), end[pos : pos + n].copy(),
            )
            pos += n
        for lang, sm in meta["shards"].items():
            index = faiss.read_index(os.path.join(folder, sm["file"]))
            params = dict(sm["params"])
            if sm["kind"] == "ivf" and "store" in sm:
                store = faiss.read_index(os.path.join(folder, sm["store"]))
                refined = RefinedIVF(index, store, int(params["refine"]))
                refined.nprobe = int(params["nprobe"])
                self._shards[lang] = _Shard(refined, "ivf", params)
            elif sm["kind"] == "ivf":  # format 1: IVF,Flat holding the exact vectors itself
                ids, vecs = _stored_vectors(index)
                del index
                refined, params = make_ivf_index(vecs, ids, self.policy)
                self._shards[lang] = _Shard(refined, "ivf", params)
            else:
                self._shards[lang] = _Shard(index, sm["kind"], params)
        return self


def _generation_files(folder: str) -> list[str]:
    """Names of data files written by :meth:`CorpusIndex.save` (any generation) in ``folder``."""
    return [n for n in os.listdir(folder) if re.match(r"^(entries|shard-[A-Za-z0-9-]+)\.g\d+(\.vectors)?\.(npz|faiss)$", n)]


def _atomic_write_index(folder: str, name: str, index: faiss.Index) -> None:
    """Write a FAISS index to ``folder/name`` atomically (streamed by FAISS, no in-memory copy).

    FAISS reports a failed write (a full disk, a file-size limit) as a RuntimeError;
    it is raised as the OSError it is, so the run reports an output error naming the file.
    """

    def write(path: str) -> None:
        try:
            faiss.write_index(index, path)
        except RuntimeError as exc:
            if "write error" not in str(exc):
                raise
            raise OSError(errno.EIO, "write error (disk full or file too large?)",
                          os.path.join(folder, name)) from exc

    _atomic_replace(folder, name, write)


def _atomic_write(folder: str, name: str, write) -> None:
    """Write ``folder/name`` atomically by calling ``write(fh)`` on a binary file handle."""

    def to_path(path: str) -> None:
        with open(path, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())

    _atomic_replace(folder, name, to_path)


def _atomic_replace(folder: str, name: str, write_path) -> None:
    """Call ``write_path(tmp)`` on a temporary file in ``folder``, then ``os.replace`` it to ``name``.

    The temporary file is removed if writing fails, so a half-written file never appears.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    os.close(fd)
    try:
        write_path(tmp)
        os.replace(tmp, os.path.join(folder, name))
    except BaseException:
        try:
            os.remove(tmp)
        except FileNotFoundError:
            pass
        raise
