"""Segmentation benchmark: boundary precision/recall/F1 and throughput, splitters side by side.

Usage::

    .venv/bin/python bench/segmentation.py [--repeat 3] [--textberg /work/shared/bench/textberg]

Gold sets (boundaries are the start offsets of every sentence but the first
of a paragraph; a predicted boundary is right when it starts a gold sentence):

* ``seeds``: hand-made sentence boundaries for a sample of every seed file,
  ``bench/data/segmentation/<seed>.txt`` (format in the README there). Scored
  per seed (``seed-000`` ...) and per language (zh paragraphs go through the Chinese rules, whichever splitter
  is named; en paragraphs show the difference between splitters).
* ``textberg-de`` / ``textberg-fr``: Text+Berg, one gold sentence per line.
  The text is tokenised; we detokenise it lightly (no space before ``. , )``,
  none after ``(`` or an elision apostrophe; German also none before ``; : ! ?``).
  Consecutive lines are joined into a paragraph; a line not ending in
  ``. ! ? …`` (a title, a byline) ends the paragraph. Line ends after ``;`` and
  ``:`` stay inside a paragraph but are not scored either way (Text+Berg cuts
  there, sentence splitters do not).

Rows ``*-raw`` run the library without our same-length masks (word-inner
apostrophes, unmatched brackets, leading list markers), to show what the
workarounds in :mod:`align.segment` are worth.

Throughput: characters per second of :func:`align.segment.segment_document`
over all seed documents (whole files), best of ``--repeat`` runs.

Stress: ``build_unit`` + ``segment_document`` on three 5 MB single-line texts
(no punctuation, English sentences, Chinese without punctuation): seconds,
characters per second and peak memory traced by ``tracemalloc``.

Prints a table and writes ``bench/results/segmentation.json`` with the
signature (library versions) of the run.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import platform
import re
import sys
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from align.discover import discover_inputs  # noqa: E402
from align.ingest import read_input  # noqa: E402
from align.langid import detect_language  # noqa: E402
from align.segment import DEFAULT_SPLITTER, LATIN_SPLITTERS, segment_document, sentence_spans  # noqa: E402

GOLD_DIR = ROOT / "bench" / "data" / "segmentation"
RESULTS = ROOT / "bench" / "results" / "segmentation.json"
DEFAULT_TEXTBERG = "/work/shared/bench/textberg"


@dataclass
class Paragraph:
    """A gold paragraph: its text, the start offsets of its 2nd..nth sentences, and unscored offsets."""

    set_name: str
    lang: str
    text: str
    gold: set[int]
    ignore: set[int] = field(default_factory=set)
    seed: str | None = None


# --------------------------------------------------------------------------- gold sets


def load_seed_gold(gold_dir: Path = GOLD_DIR) -> list[Paragraph]:
    """Parse the hand-made seed gold files; checks each against the seed file it cites."""
    out: list[Paragraph] = []
    for gold_path in sorted(gold_dir.glob("*.txt")):
        lines = gold_path.read_text(encoding="utf-8").split("\n")
        header = lines[0]
        m = re.search(r"for (seeds/\S+\.txt)", header)
        if not m:
            raise SystemExit(f"{gold_path}:1: header must name the seed file ('for seeds/....txt')")
        seed_lines = (ROOT / m.group(1)).read_text(encoding="utf-8").split("\n")
        blocks: list[tuple[int, int, list[str]]] = []
        for n, line in enumerate(lines[1:], 2):
            if line.startswith("@ "):
                blocks.append((n, int(line[2:]), []))
            elif line.strip() and not line.startswith("#"):
                blocks[-1][2].append(line.strip())
        for where, seed_line, sentences in blocks:
            para = seed_lines[seed_line - 1].strip()
            gold: set[int] = set()
            pos = 0
            for i, sent in enumerate(sentences):
                at = para.find(sent, pos)
                if at < 0 or para[pos:at].strip():
                    raise SystemExit(f"{gold_path}:{where}: sentence {i + 1} is not the next text of "
                                     f"{m.group(1)} line {seed_line}: {sent[:40]!r}")
                if i:
                    gold.add(at)
                pos = at + len(sent)
            if para[pos:].strip():
                raise SystemExit(f"{gold_path}:{where}: text of line {seed_line} left after the last sentence")
            lang = detect_language(para, ("zh", "en")) or "en"
            out.append(Paragraph(f"seeds-{lang}", lang, para, gold, seed=gold_path.stem))
    return out


def detokenize(line: str, lang: str) -> str:
    """Undo Text+Berg's tokenisation closely enough for a sentence splitter (see the module docstring)."""
    s = re.sub(r" ([.,)\]])", r"\1", line)
    s = re.sub(r"([(\[]) ", r"\1", s)
    s = re.sub(r"(\w['’]) (?=\w)", r"\1", s)
    if lang == "de":
        s = re.sub(r" ([;:!?])", r"\1", s)
    return s.strip()


_END = re.compile(r"(?:[.!?…]|\.\.\.)[\"'»«“”’)\]]*$")


def load_textberg(root: str, lang: str) -> list[Paragraph]:
    """Text+Berg files of one language joined into paragraphs with line-boundary gold (see the docstring)."""
    out: list[Paragraph] = []
    for path in sorted(glob.glob(os.path.join(root, lang, "*"))):
        lines = [detokenize(x, lang) for x in Path(path).read_text(encoding="utf-8").split("\n")]
        lines = [x for x in lines if x]
        text, gold, ignore = "", set(), set()
        for line in lines:
            if text:
                text += " "
                if _END.search(text.rstrip()):
                    gold.add(len(text))
                else:
                    ignore.add(len(text))
            text += line
            if not _END.search(line) and not line.endswith((";", ":")):
                out.append(Paragraph(f"textberg-{lang}", lang, text, gold, ignore))
                text, gold, ignore = "", set(), set()
        if text:
            out.append(Paragraph(f"textberg-{lang}", lang, text, gold, ignore))
    return out


# --------------------------------------------------------------------------- scoring


def predicted_starts(p: Paragraph, splitter: str) -> set[int]:
    """Start offsets of the 2nd..nth sentences the splitter finds in the paragraph."""
    spans = sentence_spans(p.text, p.lang, splitter=splitter)
    return {a for a, _ in spans[1:]}


def score(paragraphs: list[Paragraph], splitter: str) -> dict[str, float]:
    """Micro-averaged boundary precision, recall and F1 over the paragraphs."""
    tp = fp = fn = 0
    for p in paragraphs:
        pred = predicted_starts(p, splitter) - p.ignore
        tp += len(pred & p.gold)
        fp += len(pred - p.gold)
        fn += len(p.gold - pred)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "tp": tp, "fp": fp, "fn": fn, "paragraphs": len(paragraphs)}


def throughput(splitter: str, repeat: int) -> dict[str, float]:
    """Characters per second of segment_document over every seed document (best of ``repeat``)."""
    docs = [d for s in discover_inputs([str(ROOT / "seeds")]) for d in read_input(s, "zh", "en").documents]
    chars = sum(r.end - r.start for d in docs for r in d.regions)
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for d in docs:
            segment_document(d, splitter=splitter)
        best = min(best, time.perf_counter() - t0)
    return {"chars": chars, "seconds": round(best, 4), "chars_per_s": round(chars / best)}


def stress() -> dict[str, dict[str, float]]:
    """Time and peak traced memory of build_unit + segment_document on 5 MB single-line inputs."""
    import tracemalloc

    from align.ingest import build_unit

    cases = {
        "5MB line, no punctuation": "industrial development " * (5_000_000 // 23),
        "5MB line, sentences": "The industry grew by 15.7% in 2023. " * (5_000_000 // 36),
        "5MB line, chinese no punctuation": "工业发展" * (5_000_000 // 12),
    }
    out: dict[str, dict[str, float]] = {}
    for label, text in cases.items():
        t0 = time.perf_counter()
        unit = build_unit("stress", "stress.txt", text, "utf-8", "zh", "en")
        segs = segment_document(unit.documents[0])
        seconds = time.perf_counter() - t0
        tracemalloc.start()
        segment_document(build_unit("stress", "stress.txt", text, "utf-8", "zh", "en").documents[0])
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        out[label] = {"chars": len(text), "segments": len(segs), "seconds": round(seconds, 2),
                      "chars_per_s": round(len(text) / seconds), "peak_traced_mb": round(peak / 1e6, 1)}
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the table, write the JSON; returns the exit code."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=3, help="throughput runs (best is kept)")
    ap.add_argument("--textberg", default=DEFAULT_TEXTBERG, help="Text+Berg folder with de/ and fr/")
    ap.add_argument("--out", default=str(RESULTS), help="JSON results file")
    ap.add_argument("--no-stress", action="store_true", help="skip the 5 MB single-line inputs")
    args = ap.parse_args(argv)

    sets: dict[str, list[Paragraph]] = {}
    for p in load_seed_gold():
        sets.setdefault(p.set_name, []).append(p)
        sets.setdefault(f"seed-{p.seed}", []).append(p)
    if os.path.isdir(args.textberg):
        for lang in ("de", "fr"):
            sets[f"textberg-{lang}"] = load_textberg(args.textberg, lang)
    else:
        print(f"note: {args.textberg} not found; Text+Berg skipped", file=sys.stderr)

    # reference rows: each library with only newline masking (no apostrophe/bracket workarounds)
    LATIN_SPLITTERS["pysbd-raw"] = _raw("pysbd")
    LATIN_SPLITTERS["sentencex-raw"] = _raw("sentencex")
    splitters = sorted(LATIN_SPLITTERS)
    results: dict = {"sets": {}, "throughput": {}}
    print(f"{'set':<14}{'splitter':<15}{'P':>8}{'R':>8}{'F1':>8}{'tp':>6}{'fp':>6}{'fn':>6}")
    for name, paras in sorted(sets.items()):
        results["sets"][name] = {}
        for sp in splitters:
            r = score(paras, sp)
            results["sets"][name][sp] = r
            print(f"{name:<14}{sp:<15}{r['precision']:>8.3f}{r['recall']:>8.3f}{r['f1']:>8.3f}"
                  f"{r['tp']:>6}{r['fp']:>6}{r['fn']:>6}")
    print()
    for sp in ("pysbd", "sentencex"):
        t = throughput(sp, args.repeat)
        results["throughput"][sp] = t
        print(f"throughput {sp:<10} {t['chars_per_s']:>12,} chars/s  ({t['chars']:,} chars in {t['seconds']} s)")
    base = "pysbd"
    for sp in ("sentencex",):
        ratio = results["throughput"][sp]["chars_per_s"] / results["throughput"][base]["chars_per_s"]
        results["throughput"][f"ratio_{sp}_over_{base}"] = round(ratio, 3)
        print(f"speed ratio {sp}/{base}: {ratio:.2f}")
    if not args.no_stress:
        print()
        results["stress"] = stress()
        for label, r in results["stress"].items():
            print(f"stress {label:<34} {r['segments']:>7} segments {r['seconds']:>7.2f} s "
                  f"{r['chars_per_s']:>10,} chars/s  peak {r['peak_traced_mb']} MB (traced)")
    results["signature"] = {
        "python": platform.python_version(),
        "bitextqa": _version("bitextqa"),
        "pysbd": _version("pysbd"),
        "sentencex": _version("sentencex"),
        "default_splitter": DEFAULT_SPLITTER,
        "gold": sorted(p.name for p in GOLD_DIR.glob("*.txt")),
        "textberg": args.textberg if os.path.isdir(args.textberg) else None,
    }
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as fh:
        json.dump(results, fh, indent=2, sort_keys=True)
    print(f"\nwrote {args.out}")
    return 0


def _raw(name: str):
    """A splitter calling library ``name`` on the text with newlines as spaces and nothing else masked."""
    from align import segment

    def split(text: str, lang: str) -> list[int]:
        flat = text.replace("\n", " ")
        if name == "pysbd":
            return segment._sentence_starts(flat, segment._pysbd_segmenter(lang).segment(flat))
        import sentencex

        return segment._sentence_starts(flat, sentencex.segment(lang, flat))

    return split


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


if __name__ == "__main__":
    raise SystemExit(main())
