"""XLIFF 1.2 and 2.x reader (lxml), for re-checking a translated file.

XLIFF 1.2: ``<file source-language target-language>`` holding ``<trans-unit>``
elements with ``<source>`` and ``<target>``. XLIFF 2: ``<xliff srcLang trgLang>``
with ``<unit><segment><source/><target/></segment></unit>``. Each source and
target is placed on its element's line; inline codes (``<ph>``, ``<bpt>`` ...)
are left out, inline text (``<g>``, ``<pc>``) kept. A unit without target is
noted: its source then stands alone.
"""

from __future__ import annotations

from ..errors import InputError
from . import PairLayout, PairSide, place_on_lines
from .xml_common import inline_text, local, parse_xml, xml_encoding


def read_xliff(data: bytes, path: str) -> PairLayout:
    """Read an XLIFF file's units as a pair (see the module docstring)."""
    root = parse_xml(data, path)
    if local(root.tag) != "xliff":
        raise InputError(path, f"root element is <{local(root.tag)}>, not <xliff>", "Give an XLIFF 1.2 or 2.x file.",
                         line=root.sourceline)
    src_lang = root.get("srcLang")
    tgt_lang = root.get("trgLang")
    unit_tag = "segment" if src_lang else "trans-unit"
    src_items: list[tuple[int, str]] = []
    tgt_items: list[tuple[int, str]] = []
    notes: list[str] = []
    for el in root.iter():
        name = local(el.tag)
        if name == "file" and not src_lang:
            src_lang = el.get("source-language")
            tgt_lang = tgt_lang or el.get("target-language")
        if name != unit_tag:
            continue
        source = next((c for c in el if local(c.tag) == "source"), None)
        target = next((c for c in el if local(c.tag) == "target"), None)
        if source is None:
            raise InputError(path, f"<{unit_tag}> without <source>", "Give every unit its source.", line=el.sourceline)
        text = inline_text(source)
        if text:
            src_items.append((source.sourceline or el.sourceline or 1, text))
        if target is None or not inline_text(target):
            if text:
                notes.append(f"{path}:{el.sourceline}: unit {el.get('id', '?')!r} has no target text")
            continue
        tgt_items.append((target.sourceline or el.sourceline or 1, inline_text(target)))
    if not src_items:
        raise InputError(path, f"no <{unit_tag}> with source text", "Give a file with translation units.")
    sides = []
    for items, lang in ((src_items, src_lang), (tgt_items, tgt_lang)):
        out, spans = place_on_lines(items)
        sides.append(PairSide(out, tuple(spans), lang.replace("_", "-") if lang else None))
    return PairLayout(sides[0], sides[1], xml_encoding(root), tuple(notes))
