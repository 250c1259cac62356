"""Inconsistent translations across the corpus: one source, several translations (and the converse).

Every aligned bead with both sides is a translation unit
(:func:`align.tm_suggest.translation_units`). Two units are *the same
source* when

* their source comparison forms (``Segment.norm``: Simplified Chinese,
  NFKC width, collapsed spaces) are equal once case, spaces and punctuation
  are ignored (**exact**), or
* they are **near-identical**: found among each other's nearest neighbours
  by cosine in a FAISS index over the unit source vectors (``min_cos``), and
  confirmed by character similarity of the comparison forms >= ``min_ratio``
  (rapidfuzz's Indel similarity), so that two sentences merely on the same topic are not
  taken for the same sentence, and holding the same values (``near_same_values``: two
  statements of different figures are not one sentence).

Units with the same source are grouped (connected components); a group
whose translations differ is reported, once per document it touches, as an
``inconsistent_translation`` warning listing every occurrence side by side.
For near-identical sources, translations must differ more than the sources
do (target similarity < source similarity - ``near_extra_gap``), or the
difference is just the source's own difference carried over.

The converse ("one target, several sources") runs the same grouping on the
target side and reports a group whose sources are clearly different
(similarity < ``converse_max_ratio``): one translation reused for two
different sentences is often a copy-paste error.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Mapping, Sequence

import numpy as np
from rapidfuzz.distance import Indel

from .corpus_index import IndexPolicy, build_search_index
from .numbers import extract_quantities, quantities_equal
from .records import DocResult, Finding, Severity, to_json_dict
from .settings import ConsistencySettings
from .tm_suggest import SideVectors, TranslationUnit, translation_units, unit_vectors

CHECK = "inconsistent_translation"




@lru_cache(maxsize=1 << 16)
def loose_key(text: str) -> str:
    """``text`` without case, spaces, punctuation and symbols: equal keys mean the same wording.

    >>> loose_key("“Comprehensive,” he said.") == loose_key('"comprehensive" He said')
    True
    """
    return "".join(ch for ch in text.casefold() if unicodedata.category(ch)[0] not in "PZSC")


def text_similarity(a: str, b: str) -> float:
    """Character similarity of two texts' loose keys in [0, 1] (1.0 = same wording).

    The normalised Indel similarity of rapidfuzz: ``2 * LCS / (len(a) + len(b))``
    over characters, the exact form of what ``difflib``'s ratio approximates,
    computed in C++ (difflib made this check the slowest corpus task).
    """
    ka, kb = loose_key(a), loose_key(b)
    if ka == kb:
        return 1.0
    return Indel.normalized_similarity(ka, kb)


class _UnionFind:
    """Connected components over 0..n-1 (written by hand: a dozen lines, no dependency)."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


@dataclass(frozen=True)
class _Side:
    """One direction of the check: which side is grouped ("key") and which is compared ("value")."""

    key: str  # "src" or "tgt"
    value: str


def same_values(a: str, b: str, lang: str) -> bool:
    """Whether texts ``a`` and ``b`` (both in ``lang``) hold the same values, each matched once
    (:func:`align.numbers.quantities_equal`; list numbering and other weak numbers left out)."""
    qa = [q for q in extract_quantities(a, lang) if not q.weak]
    qb = [q for q in extract_quantities(b, lang) if not q.weak]
    if len(qa) != len(qb):
        return False
    left = list(qb)
    for q in qa:
        k = next((k for k, o in enumerate(left) if quantities_equal(q, o)), None)
        if k is None:
            return False
        left.pop(k)
    return True


def _groups(units: Sequence[TranslationUnit], vecs: np.ndarray, side: _Side, s: ConsistencySettings,
            policy: IndexPolicy | None) -> list[tuple[list[int], dict[tuple[int, int], float]]]:
    """Groups of unit indices sharing the same ``side.key`` text (exact or near), with their pair similarities."""
    n = len(units)
    uf = _UnionFind(n)
    sims: dict[tuple[int, int], float] = {}
    keys = [loose_key(getattr(u, f"{side.key}_norm")) for u in units]
    first: dict[str, int] = {}
    for i, k in enumerate(keys):
        if k in first:
            uf.union(first[k], i)
            sims[(first[k], i)] = 1.0
        else:
            first[k] = i
    if n > 1:
        index, _ = build_search_index(vecs, policy)
        kk = min(s.knn + 1, n)
        cos, nbr = index.search(vecs, kk)
        for i in range(n):
            for c, j in zip(cos[i], nbr[i]):
                j = int(j)
                if j <= i or c < s.min_cos or keys[i] == keys[j]:
                    continue
                r = text_similarity(getattr(units[i], f"{side.key}_norm"), getattr(units[j], f"{side.key}_norm"))
                if r >= s.min_ratio and (not s.near_same_values or same_values(
                        getattr(units[i], f"{side.key}_text"), getattr(units[j], f"{side.key}_text"),
                        getattr(units[i], f"{side.key}_lang"))):
                    uf.union(i, j)
                    sims[(i, j)] = r
    comps: dict[int, list[int]] = {}
    for i in range(n):
        comps.setdefault(uf.find(i), []).append(i)
    pair_sims: dict[int, dict[tuple[int, int], float]] = {}
    for (i, j), r in sims.items():
        pair_sims.setdefault(uf.find(i), {})[(i, j)] = r
    return [(members, pair_sims.get(root, {})) for root, members in comps.items() if len(members) > 1]


def _inconsistent(units: Sequence[TranslationUnit], members: list[int], sims: dict[tuple[int, int], float],
                  side: _Side, s: ConsistencySettings) -> tuple[bool, str, float, float]:
    """Whether a group is inconsistent; with its match kind and the worst (key, value) similarity pair."""
    vals = {i: getattr(units[i], f"{side.value}_norm") for i in members}
    worst = (2.0, 1.0, 1.0)
    kind = "exact"
    found = False
    for (i, j), key_sim in sorted(sims.items()):
        if key_sim < 1.0:
            kind = "near"
        val_sim = text_similarity(vals[i], vals[j])
        if side.key == "src":
            bad = val_sim < 1.0 if key_sim >= 1.0 else val_sim < key_sim - s.near_extra_gap
        else:
            bad = False
        if bad and val_sim - key_sim < worst[0]:
            worst = (val_sim - key_sim, key_sim, val_sim)
            found = True
    if side.key == "tgt":
        # Converse: one translation for clearly different sources (a copy-paste slip, typically).
        for (a, b), key_sim in sorted(sims.items()):
            r = text_similarity(vals[a], vals[b])
            if r < s.converse_max_ratio and r - key_sim < worst[0]:
                worst = (r - key_sim, key_sim, r)
                found = True
    return found, kind, worst[1], worst[2]


def _occurrence(u: TranslationUnit) -> dict:
    """One occurrence as shown side by side in the evidence."""
    return {
        "doc_id": u.doc_id,
        "source": u.src_text,
        "target": u.tgt_text,
        "src_span": to_json_dict(u.src_span),
        "tgt_span": to_json_dict(u.tgt_span),
        "bead_score": round(u.score, 4),
    }


def _findings_for_group(units: Sequence[TranslationUnit], members: list[int], side: _Side, kind: str,
                        key_sim: float, val_sim: float, s: ConsistencySettings) -> list[Finding]:
    """One finding per document the group touches, each listing all occurrences."""
    members = sorted(members, key=lambda i: (units[i].doc_id, units[i].src_span.start))
    variants = {loose_key(getattr(units[i], f"{side.value}_norm")) for i in members}
    occ = [_occurrence(units[i]) for i in members]
    shown = occ[: s.max_variants]
    evidence_base = {
        "direction": "one source, several translations" if side.key == "src" else "one translation, several sources",
        "match": kind,
        "variants": len(variants),
        "occurrences": shown,
        "more_occurrences": len(occ) - len(shown),
        "key_similarity": round(key_sim, 4),
        "value_similarity": round(val_sim, 4),
    }
    a, b = units[members[0]], next((units[i] for i in members[1:]
                                     if loose_key(getattr(units[i], f"{side.value}_norm"))
                                     != loose_key(getattr(units[members[0]], f"{side.value}_norm"))),
                                    units[members[-1]])
    if side.key == "src":
        what = "the same source sentence" if kind == "exact" else "near-identical source sentences"
        message = (f"{what.capitalize()} translated {len(variants)} different ways in {len(members)} places: "
                   f"“{_clip(a.tgt_text)}” vs “{_clip(b.tgt_text)}”.")
    else:
        message = (f"The same translation is used for {len(variants)} different source sentences: "
                   f"“{_clip(a.src_text)}” and “{_clip(b.src_text)}” are both rendered “{_clip(a.tgt_text)}”.")
    out = []
    seen_docs: set[str] = set()
    for i in members:
        u = units[i]
        if u.doc_id in seen_docs:
            continue
        seen_docs.add(u.doc_id)
        out.append(Finding(CHECK, Severity.WARNING, u.doc_id, message, u.src_span, u.tgt_span, dict(evidence_base)))
    return out


def _clip(text: str, n: int = 80) -> str:
    """At most ``n`` characters of ``text`` for a message."""
    return text if len(text) <= n else text[: n - 1] + "…"


def find_inconsistent_translations(
    results: Sequence[DocResult],
    vectors: Mapping[str, SideVectors],
    settings: ConsistencySettings | None = None,
    policy: IndexPolicy | None = None,
) -> list[Finding]:
    """``inconsistent_translation`` findings over all aligned documents (see the module docstring).

    ``vectors[doc_id]`` are each document's sentence vectors (source rows,
    target rows), as the embedding stage produced them. Documents without a
    counterpart contribute nothing. Only documents of the same language pair
    and direction are compared with each other. Deterministic order.
    """
    s = settings or ConsistencySettings()
    by_pair: dict[tuple[str, str], tuple[list[TranslationUnit], list[np.ndarray], list[np.ndarray]]] = {}
    for result in sorted(results, key=lambda r: r.doc_id):
        units = translation_units(result, s.min_unit_score)
        if not units or result.doc_id not in vectors:
            continue
        sv, tv = unit_vectors(result, units, vectors[result.doc_id])
        us, ss, ts = by_pair.setdefault((result.src_lang, result.tgt_lang), ([], [], []))
        us.extend(units)
        ss.append(sv)
        ts.append(tv)
    findings: list[Finding] = []
    for _, (units, ss, ts) in sorted(by_pair.items()):
        mats = {"src": np.concatenate(ss), "tgt": np.concatenate(ts)}
        for side in (_Side("src", "tgt"), _Side("tgt", "src")):
            for members, sims in _groups(units, mats[side.key], side, s, policy):
                bad, kind, key_sim, val_sim = _inconsistent(units, members, sims, side, s)
                if bad:
                    findings.extend(_findings_for_group(units, members, side, kind, key_sim, val_sim, s))
    return findings
