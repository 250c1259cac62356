"""Shape detection: alternation detected, not assumed; breaks in it reported with their line (issue 4)."""

from __future__ import annotations

import pytest

from align.ingest import build_unit, split_paragraphs

E = ["We came to the city.", "The weather was fine.", "Then we went home.", "Everyone was tired.", "It rained at night."]
Z = ["我们来到了城市。", "天气很好。", "然后我们回家了。", "大家都累了。", "晚上下雨了。"]
LONG_EN = ("This paragraph was wrapped by an editor at a fixed width so that it\n"
           "continues over several lines of the file without any blank line and\n"
           "its sentence ends only here.")

SHAPES = [
    # label, text, kind, en paragraphs, zh paragraphs, expected note prefixes
    ("lines alternate", "\n".join([E[0], Z[0], E[1], Z[1], E[2], Z[2]]), "interleaved", 3, 3, []),
    ("chinese first", "\n".join([Z[0], E[0], Z[1], E[1]]), "interleaved", 2, 2, []),
    ("missing chinese line", "\n".join([E[0], Z[0], E[1], E[2], Z[2], E[3], Z[3]]), "interleaved", 4, 3,
     ["x.txt:4: two en paragraphs in a row (lines 3 and 4); a zh paragraph is missing there"]),
    ("doubled chinese line", "\n".join([E[0], Z[0], Z[0], E[1], Z[1], E[2], Z[2]]), "interleaved", 3, 4,
     ["x.txt:3: two zh paragraphs in a row (lines 2 and 3)"]),
    ("line without letters", "\n".join([E[0], Z[0], "2023 — 15.7%", E[1], Z[1], E[2], Z[2]]), "interleaved", 4, 3,
     ["x.txt:3: paragraph has no letters; kept with the en side"]),
    ("third language", "\n".join([E[0], Z[0], "これはにほんごです。", E[1], Z[1], E[2], Z[2]]), "interleaved", 4, 3,
     ["x.txt:3: paragraph looks like ja, neither zh nor en; kept with the en side"]),
    ("blocks alternate", "\n".join([E[0], E[1], E[2], "", Z[0], Z[1], Z[2], "", E[3], "", Z[3]]), "interleaved", 4, 4, []),
    ("pairs in blocks", "\n".join([E[0], Z[0], "", E[1], Z[1], "", E[2], Z[2]]), "interleaved", 3, 3, []),
    ("wrapped english block", "\n".join([LONG_EN, "", Z[0], "", E[0], "", Z[1]]), "interleaved", 2, 2, []),
    ("english with one chinese paragraph", "\n".join([E[0], E[1], Z[0] * 2, E[2], E[3], E[4]]), "monolingual", 6, 0,
     ["x.txt:3: Chinese text at characters"]),
    ("chinese only", "\n".join(Z), "monolingual", 0, 5, []),
]


@pytest.mark.parametrize("label,text,kind,n_en,n_zh,notes", SHAPES, ids=[s[0] for s in SHAPES])
def test_shapes(label: str, text: str, kind: str, n_en: int, n_zh: int, notes: list[str]) -> None:
    unit = build_unit("x", "x.txt", text, "utf-8", "zh", "en")
    assert unit.kind == kind
    en, zh = unit.by_lang("en"), unit.by_lang("zh")
    if kind == "interleaved":
        assert len(en.regions) == n_en and len(zh.regions) == n_zh
        covered = sorted((r.start, r.end) for d in unit.documents for r in d.regions)
        assert all(b <= c for (_, b), (c, _) in zip(covered, covered[1:]))  # no paragraph in both
        assert "".join(text.split()) == "".join("".join(text[a:b] for a, b in covered).split())  # none dropped
    else:
        (doc,) = unit.documents
        assert (en or zh) is doc and len(doc.regions) == n_en + n_zh
    assert len(unit.notes) == len(notes), unit.notes
    for note, prefix in zip(unit.notes, notes):
        assert note.startswith(prefix), note


def test_wrapped_block_is_one_paragraph() -> None:
    (p,) = split_paragraphs(LONG_EN, ("zh", "en"))
    assert (p.start, p.end, p.line, p.lang) == (0, len(LONG_EN), 1, "en")


def test_titles_are_not_merged_with_the_text_below() -> None:
    text = "聚焦高质量发展实现新型工业化\n——工业和信息化部有关部门负责人谈落实中央经济工作会议精神\n" + Z[0] * 10
    assert len(split_paragraphs(text, ("zh", "en"))) == 3


DE = ["Die Enge und Unbequemlichkeit eines solchen Basislagers fördert einen schnellen Wechsel in die Senkrechte.",
      "Für uns beide war es die zweite alpinistische Saison.",
      "Weiter durch den Wald aufwärts gelangen wir zur Bergkante."]
FR = ["La promiscuité ou l'inconfort des camps de base favorisent généralement un passage rapide à la station debout.",
      "Pour nous deux, c'était la deuxième saison d'alpinisme.",
      "Plus haut, à travers la forêt, nous atteignons l'arête de la montagne."]


def test_same_script_pair_is_told_apart_by_lingua() -> None:
    text = "\n".join(x for pair in zip(DE, FR) for x in pair)
    unit = build_unit("x", "x.txt", text, "utf-8", "de", "fr")
    assert unit.kind == "interleaved"
    assert [text[r.start : r.end] for r in unit.by_lang("de").regions] == DE
    assert [text[r.start : r.end] for r in unit.by_lang("fr").regions] == FR


def test_same_script_pair_declared_wrong_is_refused() -> None:
    from align.errors import InputError
    from align.ingest import SideText, build_pair_unit

    sides = (SideText("a.de.txt", "\n".join(FR), "utf-8", "de"), SideText("a.fr.txt", "\n".join(FR), "utf-8", "fr"))
    with pytest.raises(InputError, match="declared as de but its text looks like fr") as info:
        build_pair_unit("a", sides, "de", "fr")
    assert info.value.path == "a.de.txt"


def test_same_script_pair_in_one_language_is_refused() -> None:
    from align.errors import InputError
    from align.ingest import SideText, build_pair_unit

    sides = (SideText("a.txt", "\n".join(DE), "utf-8", None), SideText("b.txt", "\n".join(DE[::-1]), "utf-8", None))
    with pytest.raises(InputError, match="both sides are in German"):
        build_pair_unit("a", sides, "de", "fr")


LINE_ENDINGS = [("unix", "\n"), ("windows", "\r\n"), ("classic mac", "\r")]


@pytest.mark.parametrize("label,eol", LINE_ENDINGS, ids=[e[0] for e in LINE_ENDINGS])
def test_line_endings(label: str, eol: str) -> None:
    from align.segment import segment_document

    text = eol.join([E[0], Z[0], "", E[1], Z[1]]) + eol
    unit = build_unit("x", "x.txt", text, "utf-8", "zh", "en")
    assert unit.kind == "interleaved"
    assert [(s.line, s.text) for s in segment_document(unit.by_lang("zh"))] == [(2, Z[0]), (5, Z[1])]
    assert [(s.line, s.text) for s in segment_document(unit.by_lang("en"))] == [(1, E[0]), (4, E[1])]
