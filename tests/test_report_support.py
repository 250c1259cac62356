"""Builders for the report and export tests: DocResults made directly from sentence pairs.

Each side becomes a Document of its own file, one bead per line; a side given
as a tuple of sentences becomes several segments on one line (an n-1 or 1-n
bead); ``None`` is a gap (1-0 or 0-1 bead). Offsets are exact, so finding spans
built with :func:`span_in` point at real characters.
"""

from __future__ import annotations

import io
from typing import Sequence, Union

from align.records import Bead, Document, DocResult, Finding, Origin, Region, Segment, Severity, Span

Side = Union[str, tuple[str, ...], None]

# Hard cases every text-handling test should see (STYLE.md §10).
HARD_ZH = "大模型技术的一个侧重点\u3000是\U00020000字，ＡＢＣ１２３——“引号”(ASCII) 😀"


def _side(doc_id: str, lang: str, path: str, items: Sequence[Side], joiner: str) -> tuple[Document, list[list[int]], list[Segment]]:
    lines: list[str] = []
    segs: list[Segment] = []
    per_item: list[list[int]] = []
    offset = 0
    for line_no, item in enumerate(items, start=1):
        sentences = () if item is None else ((item,) if isinstance(item, str) else tuple(item))
        idxs = []
        pos = offset
        parts = []
        for k, sent in enumerate(sentences):
            if k:
                parts.append(joiner)
                pos += len(joiner)
            segs.append(Segment(doc_id, lang, len(segs), sent, sent, pos, pos + len(sent), len(lines) + 1))
            idxs.append(len(segs) - 1)
            parts.append(sent)
            pos += len(sent)
        if sentences:
            line = "".join(parts)
            lines.append(line)
            offset += len(line) + 1
        per_item.append(idxs)
    text = "\n".join(lines) + "\n"
    doc = Document(doc_id, path, lang, text, "utf-8", Origin.FILE, (Region(0, len(text)),))
    return doc, per_item, segs


def make_result(
    doc_id: str,
    pairs: Sequence[tuple[Side, Side, float]],
    src_lang: str = "zh",
    tgt_lang: str = "en",
    findings: Sequence[Finding] = (),
) -> DocResult:
    """A DocResult whose beads are ``pairs`` (source, target, score), in order."""
    src_doc, src_items, src_segs = _side(doc_id, src_lang, f"in/{doc_id}.{src_lang}.txt", [p[0] for p in pairs],
                                         "" if src_lang in ("zh", "ja") else " ")
    tgt_doc, tgt_items, tgt_segs = _side(doc_id, tgt_lang, f"in/{doc_id}.{tgt_lang}.txt", [p[1] for p in pairs],
                                         "" if tgt_lang in ("zh", "ja") else " ")
    beads = tuple(
        Bead(tuple(s), tuple(t), score, score, {"cos": score})
        for s, t, (_, _, score) in zip(src_items, tgt_items, pairs)
    )
    return DocResult(doc_id, src_lang, tgt_lang, src_doc, tgt_doc, tuple(src_segs), tuple(tgt_segs), beads, tuple(findings))


def span_in(result: DocResult, side: str, bead_pos: int, needle: str | None = None) -> Span:
    """The span of ``needle`` in the ``side`` of bead ``bead_pos`` (all of that side if None)."""
    segs = result.src_segments if side == "src" else result.tgt_segments
    bead = result.beads[bead_pos]
    mine = [segs[i] for i in (bead.src if side == "src" else bead.tgt)]
    doc = result.src if side == "src" else result.tgt
    assert doc is not None and mine, "bead has no segment on that side"
    if needle is None:
        return Span(result.doc_id, mine[0].lang, doc.path, mine[0].start, mine[-1].end, mine[0].line)
    seg = next(s for s in mine if needle in s.text)
    start = seg.start + seg.text.index(needle)
    return Span(result.doc_id, seg.lang, doc.path, start, start + len(needle), seg.line)


def with_findings(result: DocResult, findings: Sequence[Finding]) -> DocResult:
    """The same result with ``findings`` attached."""
    return DocResult(result.doc_id, result.src_lang, result.tgt_lang, result.src, result.tgt, result.src_segments,
                     result.tgt_segments, result.beads, tuple(findings), result.notes)


def finding(result: DocResult, check: str, severity: str, message: str, *, src: tuple | None = None,
            tgt: tuple | None = None, **evidence: object) -> Finding:
    """A finding on ``result``; ``src``/``tgt`` are ``(bead_pos, needle_or_None)``."""
    return Finding(
        check=check,
        severity=Severity(severity),
        doc_id=result.doc_id,
        message=message,
        src_span=span_in(result, "src", *src) if src else None,
        tgt_span=span_in(result, "tgt", *tgt) if tgt else None,
        evidence=dict(evidence),
    )


def sample_result(doc_id: str = "sample", script_text: str = "<script>window.__pwned = 1</script>") -> DocResult:
    """A small zh→en document with the findings the report must show: an unaligned source
    sentence, Chinese left in the English, a number mismatch on both sides, a low-score
    pair, an injected ``<script>`` in the text and in a message."""
    r = make_result(doc_id, [
        ("近年来，我国工业发展取得哪些成果？", "In recent years, what has our industry achieved?", 0.93),
        ("大模型技术的一个侧重点是行业应用。", None, 0.0),
        ("2023年高技术制造业占比15.7%。", "In 2023 high-tech manufacturing accounted for 17.5%.", 0.88),
        ("他说：" + script_text, "He said: " + script_text + " & <b>bold</b>", 0.61),
        (("数字化转型加快。", "智能制造示范工厂达到421家。"), "Digital transformation sped up 金壮龙表示 too.", 0.42),
        (HARD_ZH, "Hard case with emoji 😀 and \U00020000.", 0.77),
        (None, "An added sentence with no source.", 0.0),
    ])
    fs = [
        finding(r, "unaligned_source", "error", "This Chinese sentence has no English counterpart.", src=(1, None)),
        finding(r, "number_mismatch", "error", "15.7% in the source but 17.5% in the target.",
                src=(2, "15.7%"), tgt=(2, "17.5%"), src_value=15.7, tgt_value=17.5),
        finding(r, "source_text_in_target", "error", "Chinese text was left in the English: 金壮龙表示.",
                tgt=(4, "金壮龙表示")),
        finding(r, "low_score", "warning", "Pair score 0.42 is below 0.5 " + script_text, src=(4, None), tgt=(4, None),
                score=0.42),
        finding(r, "unaligned_target", "info", "This English sentence has no Chinese source.", tgt=(6, None)),
    ]
    return with_findings(r, fs)


def big_result(n: int, doc_id: str = "big") -> DocResult:
    """A long zh→en document of ``n`` beads (about 1 in 97 unaligned) with a finding every 50 beads."""
    pairs = []
    for i in range(n):
        score = ((i * 37) % 100) / 100
        if i % 97 == 5:
            pairs.append((f"第{i}句没有对应的英文。", None, 0.0))
        else:
            pairs.append((f"第{i}句：大模型技术的应用占比{i % 50}.5%。", f"Sentence {i}: large-model use is {i % 50}.5%.", score))
    r = make_result(doc_id, pairs)
    fs = []
    for pos in range(0, n, 50):
        src, tgt = pairs[pos][0], pairs[pos][1]
        if src and tgt:
            fs.append(finding(r, "number_mismatch", "error", f"Numbers differ in bead {pos}.",
                              src=(pos, f"{pos % 50}.5%"), tgt=(pos, f"{pos % 50}.5%")))
        elif src:
            fs.append(finding(r, "unaligned_source", "error", "No counterpart.", src=(pos, None)))
    return with_findings(r, fs)


class CountingSink(io.RawIOBase):
    """A binary file that counts the bytes written to it and keeps none (for streaming-memory tests)."""

    def __init__(self) -> None:
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, b) -> int:
        self.size += len(b)
        return len(b)
