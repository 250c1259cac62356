"""Shared builders for the QA-check tests: documents and segments made from seed files.

The splitter here is deliberately simple (split after sentence-final
punctuation); it only has to give the checks realistic sentences with exact
offsets, independently of the product's segmenter.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable, Sequence

from align.checks import CheckContext
from align.records import Bead, Document, Origin, Region, Segment
from align.settings import CheckSettings

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

_SENT_END = re.compile(r"[。！？!?；]+[”’」』)）]*|[.](?=\s|$)[”’\"')]*")


def seed_text(name_prefix: str) -> tuple[str, str]:
    """(path, text) of the seed file whose name starts with ``name_prefix``."""
    path = next(SEEDS.glob(f"{name_prefix}*.txt"))
    return str(path), path.read_text(encoding="utf-8")


def line_regions(text: str, lines: Iterable[int]) -> tuple[Region, ...]:
    """Regions covering the given 1-based lines of ``text`` (without their newline)."""
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    wanted = set(lines)
    out = []
    for n, s in enumerate(starts, start=1):
        if n in wanted:
            e = text.find("\n", s)
            e = len(text) if e == -1 else e
            if e > s:
                out.append(Region(s, e))
    return tuple(out)


def make_doc(doc_id: str, path: str, lang: str, text: str, regions: Sequence[Region] | None = None,
             origin: Origin = Origin.FILE) -> Document:
    """A Document over ``text`` (whole text when ``regions`` is None)."""
    regions = tuple(regions) if regions is not None else (Region(0, len(text)),)
    return Document(doc_id, path, lang, text, "utf-8", origin, regions)


def split_sentences(doc: Document) -> list[Segment]:
    """Sentences of every region of ``doc``, with exact offsets into ``doc.text``."""
    segs: list[Segment] = []
    for r in doc.regions:
        pos = r.start
        cuts = [m.end() for m in _SENT_END.finditer(doc.text, r.start, r.end)]
        for cut in cuts + [r.end]:
            piece = doc.text[pos:cut]
            lead = len(piece) - len(piece.lstrip())
            s, e = pos + lead, pos + len(piece.rstrip())
            if e > s:
                segs.append(Segment(doc.doc_id, doc.lang, len(segs), doc.text[s:e], doc.text[s:e],
                                    s, e, doc.text.count("\n", 0, s) + 1))
            pos = cut
    return segs


def paragraph_beads(src: Sequence[Segment], tgt: Sequence[Segment]) -> list[Bead]:
    """Beads joining all sentences of the k-th source line with those of the k-th target line."""
    def by_par(segs: Sequence[Segment]) -> list[tuple[int, ...]]:
        lines = sorted({s.line for s in segs})
        return [tuple(s.idx for s in segs if s.line == ln) for ln in lines]
    s_pars, t_pars = by_par(src), by_par(tgt)
    assert len(s_pars) == len(t_pars)
    return [Bead(a, b, 0.9, 0.8) for a, b in zip(s_pars, t_pars)]


def interleaved_docs(path: str, text: str, doc_id: str = "d", first_line: int = 1) -> tuple[Document, Document]:
    """The en and zh documents of an interleaved seed's ``text`` (English on the odd lines from
    ``first_line``, its Chinese on the line after each)."""
    n = text.count("\n") + 1
    en = make_doc(doc_id, path, "en", text, line_regions(text, range(first_line, n + 1, 2)), Origin.INTERLEAVED)
    zh = make_doc(doc_id, path, "zh", text, line_regions(text, range(first_line + 1, n + 1, 2)), Origin.INTERLEAVED)
    return en, zh


def interleaved(prefix: str, doc_id: str = "d") -> tuple[Document, Document, list[Segment], list[Segment]]:
    """The zh and en documents of an interleaved seed (English on odd lines) and their sentences."""
    path, text = seed_text(prefix)
    en, zh = interleaved_docs(path, text, doc_id)
    return zh, en, split_sentences(zh), split_sentences(en)


def context(src_doc: Document | None, tgt_doc: Document | None, src: Sequence[Segment],
            tgt: Sequence[Segment], beads: Sequence[Bead], src_lang: str = "zh", tgt_lang: str = "en",
            settings: CheckSettings | None = None, **kw) -> CheckContext:
    """A CheckContext with default settings."""
    return CheckContext("d", src_lang, tgt_lang, src_doc, tgt_doc, list(src), list(tgt), list(beads),
                        settings or CheckSettings(), **kw)


def lonely_beads(segs: Sequence[Segment], side: str) -> list[Bead]:
    """One 1-0 (side "src") or 0-1 (side "tgt") bead per segment."""
    return [Bead((s.idx,), (), 0.0, 0.0) if side == "src" else Bead((), (s.idx,), 0.0, 0.0) for s in segs]
