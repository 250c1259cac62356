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
  vectors; above that it is rebuilt once as ``IVF<nlist>,Flat`` (inverted
  lists, exact distances inside the probed lists) whose parameters
  (``nlist``, ``nprobe``, training size) are recorded in the saved
  metadata. New documents are then added to the trained IVF index without
  retraining until the shard has grown :attr:`IndexPolicy.retrain_growth`
  times past its training size. HNSW was not chosen: FAISS's HNSW cannot
  remove vectors, so a changed document would force a rebuild.
* **Atomic saves.** :meth:`CorpusIndex.save` writes new shard files under a
  fresh generation number, then replaces ``meta.json`` (temp file +
  ``os.replace``); a reader sees the old or the new index, never a mix.

This module does file I/O only in :meth:`CorpusIndex.save` and
:meth:`CorpusIndex.load`.
"""

from __future__ import annotations

import json
import math
import os
import re
import tempfile
from dataclasses import asdict, dataclass, field
from typing import Iterable, Mapping, Sequence

import faiss
import numpy as np

FORMAT_VERSION = 1
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

    The defaults come from ``bench/corpus_scale.py`` (figures in the README,
    "Corpus index and scaling"): exact flat search costs time in proportion
    to the shard (1,900 queries per CPU-second at 10k sentences of dimension
    512, 175 at 100k), so it stays above 500 queries/s on two cores only up
    to about 50k sentences; beyond that an IVF index with ``nprobe`` 64 keeps
    recall@10 >= 0.95 even on the hard ("diffuse") synthetic corpus (0.966
    at 100k) and is exact in practice on clustered data.
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

    Retraining holds the shard's vectors twice for a moment, so it is kept
    rare: a shard that turned IVF at 50k sentences is retrained at 500k, then 5M.
    """
    seed: int = 1234
    """Seed of the training sample, so a rebuild is reproducible."""

    def nlist_for(self, n: int) -> int:
        """The number of IVF lists for a shard of ``n`` vectors.

        A power of two near ``nlist_factor * sqrt(n)``, at least 64, but never
        more than ``n / train_per_list`` (so k-means has enough points per list).
        """
        target = max(64.0, self.nlist_factor * math.sqrt(max(n, 1)))
        nlist = int(2 ** round(math.log2(target)))
        return max(1, min(nlist, n // self.train_per_list))


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


@dataclass(slots=True)
class _Shard:
    """The FAISS index of one language, and how it was built."""

    index: faiss.Index
    kind: str  # "flat" or "ivf"
    params: dict = field(default_factory=dict)


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


def make_ivf_index(vectors: np.ndarray, ids: np.ndarray, policy: IndexPolicy) -> tuple[faiss.Index, dict]:
    """Train an ``IVF<nlist>,Flat`` inner-product index on ``vectors`` (n, d) and add them with ``ids``.

    Returns the index and its parameters (recorded in the saved metadata).
    The k-means training sample is drawn with ``policy.seed``.
    """
    n, dim = vectors.shape
    nlist = policy.nlist_for(n)
    n_train = min(n, nlist * policy.train_per_list)
    rng = np.random.default_rng(policy.seed)
    sample = vectors[np.sort(rng.choice(n, size=n_train, replace=False))] if n_train < n else vectors
    index = faiss.index_factory(dim, f"IVF{nlist},Flat", faiss.METRIC_INNER_PRODUCT)
    index.cp.seed = policy.seed
    index.train(sample)
    index.add_with_ids(vectors, ids)
    index.nprobe = min(policy.nprobe, nlist)
    params = {"nlist": nlist, "nprobe": int(index.nprobe), "trained_on": int(n), "train_sample": int(n_train)}
    return index, params


def build_search_index(vectors: np.ndarray, policy: IndexPolicy | None = None) -> tuple[faiss.Index, dict]:
    """A one-off inner-product index over ``vectors`` (n, d) float32, ids 0..n-1.

    Exact (flat) up to ``policy.exact_max`` rows, IVF above; returns the index
    and a description ``{"kind": ..., **params}`` for result signatures.
    Used by the consistency and translation-memory checks for their own
    (bead-level) vectors.
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


def _all_vectors(shard: _Shard) -> tuple[np.ndarray, np.ndarray]:
    """Every (id, vector) stored in a shard: ids (n,) int64 and vectors (n, d) float32."""
    index = shard.index
    if shard.kind == "flat":
        ids = faiss.vector_to_array(faiss.downcast_index(index).id_map).astype(np.int64)
        inner = faiss.downcast_index(faiss.downcast_index(index).index)
        vecs = inner.reconstruct_n(0, inner.ntotal) if inner.ntotal else np.zeros((0, index.d), np.float32)
        return ids, vecs
    ivf = faiss.extract_index_ivf(index)
    invlists = ivf.invlists
    id_parts, vec_parts = [], []
    for lst in range(ivf.nlist):
        size = invlists.list_size(lst)
        if not size:
            continue
        id_parts.append(faiss.rev_swig_ptr(invlists.get_ids(lst), size).copy())
        codes = faiss.rev_swig_ptr(invlists.get_codes(lst), size * invlists.code_size).copy()
        vec_parts.append(codes.view(np.float32).reshape(size, ivf.d))
    if not id_parts:
        return np.zeros(0, np.int64), np.zeros((0, ivf.d), np.float32)
    return np.concatenate(id_parts).astype(np.int64), np.concatenate(vec_parts)


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

    def shard_index(self, lang: str) -> faiss.Index:
        """The FAISS index of one language (for tuning and benchmarks, e.g. to try other ``nprobe``)."""
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

    def add_documents(
        self, docs: Iterable[tuple[str, str, np.ndarray, Sequence[EntryMeta]]]
    ) -> None:
        """Add many ``(key, content_hash, vectors, entries)`` at once (same rules as :meth:`add_document`)."""
        for key, content_hash, vectors, entries in docs:
            self.add_document(key, content_hash, vectors, entries)

    def remove_document(self, key: str) -> bool:
        """Remove a document version; returns False when ``key`` was not indexed."""
        rec = self._docs.pop(key, None)
        if rec is None:
            return False
        self._lookup = None
        n = len(rec.idx)
        if n:
            shard = self._shards[rec.lang]
            removed = shard.index.remove_ids(faiss.IDSelectorRange(rec.first_id, rec.first_id + n))
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
            ids, vecs = _all_vectors(shard)
            index, params = make_ivf_index(vecs, ids, pol)
            self._shards[lang] = _Shard(index, "ivf", params)
        elif shard.kind == "ivf" and n <= pol.exact_max // 2:
            ids, vecs = _all_vectors(shard)
            index = make_flat_index(self.dim)
            index.add_with_ids(vecs, ids)
            self._shards[lang] = _Shard(index, "flat")
        elif shard.kind == "ivf" and n > pol.retrain_growth * shard.params["trained_on"]:
            ids, vecs = _all_vectors(shard)
            index, params = make_ivf_index(vecs, ids, pol)
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
        keep = {entries_name, *(m["file"] for m in shard_meta.values())}
        for name in old_files - keep:
            try:
                os.remove(os.path.join(folder, name))
            except FileNotFoundError:  # a concurrent saver already cleaned it
                pass

    @classmethod
    def load(cls, folder: str) -> "CorpusIndex":
        """Read an index written by :meth:`save`.

        Raises FileNotFoundError when ``folder`` holds no ``meta.json``.
        """
        with open(os.path.join(folder, "meta.json"), "rb") as fh:
            meta = json.loads(fh.read().decode("utf-8"))
        if meta.get("format") != FORMAT_VERSION:
            raise ValueError(f"{folder}: corpus index format {meta.get('format')!r}, expected {FORMAT_VERSION}")
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
            if sm["kind"] == "ivf":
                faiss.extract_index_ivf(index).nprobe = int(sm["params"]["nprobe"])
            self._shards[lang] = _Shard(index, sm["kind"], dict(sm["params"]))
        return self


def _generation_files(folder: str) -> list[str]:
    """Names of data files written by :meth:`CorpusIndex.save` (any generation) in ``folder``."""
    return [n for n in os.listdir(folder) if re.match(r"^(entries|shard-[A-Za-z0-9-]+)\.g\d+\.(npz|faiss)$", n)]


def _atomic_write_index(folder: str, name: str, index: faiss.Index) -> None:
    """Write a FAISS index to ``folder/name`` atomically (streamed by FAISS, no in-memory copy)."""
    _atomic_replace(folder, name, lambda path: faiss.write_index(index, path))


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
