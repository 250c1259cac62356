"""The hand-read table of deleted clauses' source words (``bench/data/clause_gold``) stays true to
the seeds it was read on: the benchmark scores ``partial_omission``'s spans against it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("direction", ["zh-en", "en-zh"])
def test_every_entry_quotes_its_seed_exactly(direction):
    entries = json.loads((ROOT / "bench" / "data" / "clause_gold" / f"{direction}.json").read_text(encoding="utf-8"))
    assert entries
    keys = set()
    for e in entries:
        seed = (ROOT / "seeds" / e["file"]).read_text(encoding="utf-8")
        assert e["source"] in seed and e["target"] in seed, e["deleted"]
        assert e["deleted"] in e["target"]
        for reading in (e["source_pieces"], e["second_reading"]):
            assert all(piece and piece in e["source"] for piece in reading), e["deleted"]
        assert e["confidence"] in ("high", "low")
        key = (e["file"], e["source"], e["deleted"])
        assert key not in keys  # the benchmark looks entries up by this key
        keys.add(key)
