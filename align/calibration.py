"""Bead scores: turn a bead's signals into the probability that the bead is right.

A :class:`Calibration` is a logistic model per bead family (``"match"`` for beads
with both sides, ``"skip"`` for 1-0 and 0-1 beads) over named signals. Its
parameters are package data (``align/data/calibration.json``), refitted by
``bench/fit_calibration.py`` on the gold sets; the file records how.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Mapping

import numpy as np


@dataclass(frozen=True)
class LogisticModel:
    """``p = 1 / (1 + exp(-(bias + sum_k weights[k] * signals[k])))``; missing signals count as 0."""

    bias: float
    weights: Mapping[str, float]

    def predict(self, signals: Mapping[str, float]) -> float:
        """Probability in [0, 1] for one bead's signals."""
        z = self.bias + sum(w * float(signals.get(k, 0.0)) for k, w in self.weights.items())
        return float(1.0 / (1.0 + np.exp(-np.clip(z, -50.0, 50.0))))


@dataclass(frozen=True)
class Calibration:
    """One logistic model for beads with both sides (``match``), one for 1-0/0-1 beads (``skip``)."""

    match: LogisticModel
    skip: LogisticModel
    provenance: Mapping[str, object] = field(default_factory=dict)

    def score(self, signals: Mapping[str, float], is_skip: bool) -> float:
        """Calibrated probability in [0, 1] that a bead with these signals is right."""
        return (self.skip if is_skip else self.match).predict(signals)

    def to_dict(self) -> dict:
        """Plain-data form, the layout of ``calibration.json``."""
        return {
            "match": {"bias": self.match.bias, "weights": dict(self.match.weights)},
            "skip": {"bias": self.skip.bias, "weights": dict(self.skip.weights)},
            "provenance": dict(self.provenance),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, object]) -> "Calibration":
        """Rebuild from :meth:`to_dict` output."""
        def model(x: Mapping) -> LogisticModel:
            return LogisticModel(float(x["bias"]), {str(k): float(v) for k, v in x["weights"].items()})

        return cls(model(d["match"]), model(d["skip"]), dict(d.get("provenance", {})))


#: Uncalibrated monotone fallback: high margin → likely right; a skip bead is likely
#: right when the sentence's best cross-language margin is low.
DEFAULT_CALIBRATION = Calibration(
    match=LogisticModel(bias=-1.0, weights={"margin": 12.0}),
    skip=LogisticModel(bias=1.0, weights={"best_margin": -12.0}),
    provenance={"fitted": False, "note": "hand-set monotone mapping, not fitted"},
)


@lru_cache(maxsize=1)
def packaged_calibration() -> Calibration:
    """The calibration shipped as package data, or :data:`DEFAULT_CALIBRATION` if none is packaged."""
    try:
        text = resources.files("align").joinpath("data/calibration.json").read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return DEFAULT_CALIBRATION
    return Calibration.from_dict(json.loads(text))
