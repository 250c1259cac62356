"""TMX (translation memory) reader (lxml), for re-checking a memory's pairs.

Every ``<tu>`` gives one source and one target segment, each placed on the
line of its ``<seg>`` element. The source language is the header's
``srclang`` (or the first language met); the target the most frequent other
language. Units without one of the two are kept on the side that has text.
"""

from __future__ import annotations

from collections import Counter

from ..errors import InputError
from ..langid import primary_language
from . import PairLayout, PairSide, place_on_lines
from .xml_common import inline_text, local, parse_xml, xml_encoding, xml_lang


def read_tmx(data: bytes, path: str) -> PairLayout:
    """Read a TMX file's translation units as a pair (see the module docstring)."""
    root = parse_xml(data, path)
    if local(root.tag) != "tmx":
        raise InputError(path, f"root element is <{local(root.tag)}>, not <tmx>", "Give a TMX 1.4 file.",
                         line=root.sourceline)
    header = next((e for e in root if local(e.tag) == "header"), None)
    srclang = header.get("srclang") if header is not None else None
    units: list[list[tuple[str, int, str]]] = []
    langs: Counter[str] = Counter()
    for tu in root.iter():
        if local(tu.tag) != "tu":
            continue
        unit = []
        for tuv in tu:
            if local(tuv.tag) != "tuv":
                continue
            lang = xml_lang(tuv)
            seg = next((e for e in tuv if local(e.tag) == "seg"), None)
            if lang is None or seg is None:
                raise InputError(path, "<tuv> without xml:lang or <seg>", "Give every <tuv> a language and a <seg>.",
                                 line=tuv.sourceline)
            unit.append((primary_language(lang), seg.sourceline or tuv.sourceline or 1, inline_text(seg)))
            langs[primary_language(lang)] += 1
        units.append(unit)
    if not units:
        raise InputError(path, "no <tu> translation units", "Export the memory again with its units.")
    first = primary_language(srclang) if srclang and srclang != "*all*" else next(iter(langs))
    others = [lang for lang, _ in langs.most_common() if lang != first]
    if not others:
        raise InputError(path, f"all units are in {first}; no target language", "Give a memory with two languages.")
    second = others[0]
    notes = []
    if len(others) > 1:
        notes.append(f"{path}: languages {', '.join(others[1:])} are not read (only {first} and {second})")
    sides = []
    for lang in (first, second):
        items = [(line, text) for unit in units for (lg, line, text) in unit if lg == lang and text]
        out, spans = place_on_lines(items)
        sides.append(PairSide(out, tuple(spans), lang))
    return PairLayout(sides[0], sides[1], xml_encoding(root), tuple(notes))
