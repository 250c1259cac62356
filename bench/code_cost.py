"""What a code change costs ``partial_omission``: ``clause_tests`` timed here and at a revision, side by side.

    .venv/bin/python bench/code_cost.py REV [--repeats 3] [--seeds 000,001]

``bench/check_cost.py`` compares two settings of one tree; this compares two trees with their
default settings. REV (a commit, branch or tag) is checked out into a temporary git worktree.
Each timing runs in a fresh process (the product's chain on one seed and direction: ingest,
segment, align with the bundled encoder, build the check context, then one timed call of
``align.checks.omission.clause_tests``), so every cache inside the code starts cold, as in a
real run; the processes alternate between the two trees (REV, here, REV, here, ...) so that
machine noise hits both alike. Embeddings come from the benchmarks' on-disk cache
(``bench/results/qa_embed_cache.npz``), so the times are the checks' own work. Prints the median
time of each side, the ratio and the candidate counts (equal counts: the same candidates), and
writes ``bench/results/code_cost.json``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / "results" / "qa_embed_cache.npz"


def time_once(tree: str, direction: str, seed: str) -> dict:
    """In this process: the product's chain from ``tree`` on seed ``seed``, one timed ``clause_tests``."""
    sys.path.insert(0, tree)
    from align.checks.omission import clause_tests
    from bench import qa_precision as q

    q.SRC, q.TGT = direction.split("-")
    # build the context only, so that the timed call is the first (patched rather than asked for, so
    # that any revision's qa_precision.check_text serves)
    q.run_checks = lambda ctx, *a, **k: []
    embed = q.CachedEmbed(CACHE)
    path = next((ROOT / "seeds").glob(f"{seed}*.txt"))
    ctx = q.check_text(seed, str(path), path.read_text(encoding="utf-8"), embed).ctx
    t0 = time.perf_counter()
    candidates = len(clause_tests(ctx))
    return {"seconds": time.perf_counter() - t0, "candidates": candidates}


def main(argv: list[str] | None = None) -> int:
    """Time ``clause_tests`` at REV and here, alternating fresh processes; print and write the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rev", help="the git revision to compare this checkout with")
    ap.add_argument("--repeats", type=int, default=3, help="timed processes per tree, seed and direction (default 3)")
    ap.add_argument("--seeds", default="000,001", help="interleaved seed prefixes (default 000,001)")
    ap.add_argument("--child", nargs=3, metavar=("TREE", "DIRECTION", "SEED"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(time_once(*args.child)))
        return 0
    if not CACHE.exists():
        ap.error(f"{CACHE.relative_to(ROOT)} missing: run bench/qa_precision.py once first")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        old = str(Path(tmp) / "rev")
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", old, args.rev], check=True)
        try:
            for direction in ("zh-en", "en-zh"):
                for seed in args.seeds.split(","):
                    runs: dict[str, list[dict]] = {"rev": [], "here": []}
                    for _ in range(args.repeats):
                        for side, tree in (("rev", old), ("here", str(ROOT))):
                            out = subprocess.run([sys.executable, __file__, args.rev, "--child", tree, direction, seed],
                                                 check=True, capture_output=True, text=True).stdout
                            runs[side].append(json.loads(out.strip().splitlines()[-1]))
                    before = statistics.median(r["seconds"] for r in runs["rev"])
                    after = statistics.median(r["seconds"] for r in runs["here"])
                    rows.append({"direction": direction, "seed": seed, "rev_s": round(before, 3),
                                 "here_s": round(after, 3), "ratio": round(after / before, 2) if before else None,
                                 "candidates_rev": runs["rev"][-1]["candidates"],
                                 "candidates_here": runs["here"][-1]["candidates"]})
                    r = rows[-1]
                    print(f"{direction} {seed}: {args.rev} {r['rev_s']:.3f} s, here {r['here_s']:.3f} s, "
                          f"ratio {r['ratio']}; candidates {r['candidates_rev']} -> {r['candidates_here']}", flush=True)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", old], check=False)
    out = ROOT / "bench" / "results" / "code_cost.json"
    out.write_text(json.dumps({"rev": args.rev, "repeats": args.repeats, "rows": rows}, indent=2))
    print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
