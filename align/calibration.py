"""Bead gains and bead scores: logistic models over a bead's named signals.

Two uses, both stored as package data in ``align/data/calibration.json`` and
refitted by ``bench/fit_calibration.py`` on the gold sets (the file records how):

* **gain** models (``gain`` for beads with both sides, ``gain_skip`` for 1-0/0-1
  beads): the probability that a bead is the right next bead, given a correct
  alignment so far; the DP adds up ``log p``. Fitted on every bead type that
  could start at each gold bead boundary.
* **score** models (``match`` and ``skip``): Platt scaling of the gain model's
  logit into the calibrated probability that an output bead is right, fitted on
  cross-validated aligner output. This is :attr:`align.records.Bead.score`.

A calibration belongs to the encoder it was fitted with (``provenance["encoder"]``):
another encoder's similarities have another scale. :func:`fitted_for` tells
whether a calibration was fitted for a given encoder; the pipeline picks one per
model (``pipelines.calibration_source``) and the aligner falls back to hand-set
gains when none was fitted (``AlignerSettings.gain = "auto"``).

Logistic regression is written here with numpy (Newton's method with an L2
penalty): a dozen features and a few thousand rows do not justify a new
dependency such as scikit-learn.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Mapping, Sequence

import numpy as np


@dataclass(frozen=True)
class LogisticModel:
    """``p = 1 / (1 + exp(-(bias + sum_k weights[k] * x[k])))``; missing signals count as 0."""

    bias: float
    weights: Mapping[str, float]

    def logit(self, signals: Mapping[str, np.ndarray | float]) -> np.ndarray:
        """Log-odds for one bead (floats) or many (float arrays of one shape); float64."""
        z = np.asarray(self.bias, dtype=np.float64)
        for k, w in self.weights.items():
            if k in signals:
                z = z + w * np.asarray(signals[k], dtype=np.float64)
        return z

    def predict(self, signals: Mapping[str, np.ndarray | float]) -> np.ndarray:
        """Probability in [0, 1]; float64 array like the signals (0-d for scalars)."""
        return 1.0 / (1.0 + np.exp(-np.clip(self.logit(signals), -50.0, 50.0)))

    def to_dict(self) -> dict:
        """Plain-data form."""
        return {"bias": self.bias, "weights": dict(self.weights)}

    @classmethod
    def from_dict(cls, d: Mapping) -> "LogisticModel":
        """Rebuild from :meth:`to_dict` output."""
        return cls(float(d["bias"]), {str(k): float(v) for k, v in d["weights"].items()})


def fit_logistic(
    x: np.ndarray, y: np.ndarray, names: Sequence[str], l2: float = 1e-2, iters: int = 50
) -> LogisticModel:
    """Fit a logistic regression by Newton's method with an L2 penalty (bias not penalised).

    ``x``: float array (rows, len(names)); ``y``: 0/1 array (rows,). Features are
    standardised internally and the weights mapped back, so ``l2`` means the same
    for every feature.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    mean = x.mean(axis=0)
    std = x.std(axis=0)
    std[std == 0] = 1.0
    xs = np.hstack([np.ones((len(x), 1)), (x - mean) / std])
    w = np.zeros(xs.shape[1])
    reg = np.full(xs.shape[1], l2 * len(x))
    reg[0] = 0.0
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-np.clip(xs @ w, -50, 50)))
        grad = xs.T @ (p - y) + reg * w
        hess = (xs * (p * (1 - p))[:, None]).T @ xs + np.diag(reg) + 1e-9 * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    weights = w[1:] / std
    bias = w[0] - float(weights @ mean)
    return LogisticModel(float(bias), {n: float(v) for n, v in zip(names, weights)})


def fit_conditional_logit(
    groups: Sequence[tuple[np.ndarray, int]], names: Sequence[str], l2: float = 1e-2, iters: int = 50
) -> dict[str, float]:
    """Fit a conditional logit (softmax over each group's candidates) by Newton's method.

    ``groups``: one ``(x, k)`` per decision, ``x`` a float array (candidates, len(names))
    and ``k`` the 0-based row of the right candidate. Returns the weights by name:
    ``P(candidate c) = exp(w . x_c) / sum_c' exp(w . x_c')``. Features are
    standardised internally; ``l2`` penalises the standardised weights.
    """
    allx = np.concatenate([g[0] for g in groups]).astype(np.float64)
    mean = allx.mean(axis=0)
    std = allx.std(axis=0)
    std[std == 0] = 1.0
    xs = [((g[0] - mean) / std, g[1]) for g in groups]
    f = allx.shape[1]
    w = np.zeros(f)
    n = len(groups)
    for _ in range(iters):
        grad = l2 * n * w
        hess = l2 * n * np.eye(f)
        for x, k in xs:
            z = x @ w
            p = np.exp(z - z.max())
            p /= p.sum()
            mu = p @ x
            grad -= x[k] - mu
            hess += (x * p[:, None]).T @ x - np.outer(mu, mu)
        step = np.linalg.solve(hess + 1e-9 * np.eye(f), grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return {name: float(v) for name, v in zip(names, w / std)}


def expected_calibration_error(p: np.ndarray, y: np.ndarray, bins: int = 10) -> float:
    """ECE: mean |accuracy - confidence| over equal-width probability bins, weighted by bin size.

    ``p``: predicted probabilities (k,); ``y``: 0/1 outcomes (k,). Returns a value in [0, 1].
    """
    p = np.asarray(p, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if len(p) == 0:
        return 0.0
    which = np.minimum((p * bins).astype(int), bins - 1)
    ece = 0.0
    for b in range(bins):
        sel = which == b
        if sel.any():
            ece += sel.mean() * abs(y[sel].mean() - p[sel].mean())
    return float(ece)


@dataclass(frozen=True)
class Calibration:
    """The gain models the DP uses and the score models that make :attr:`Bead.score`."""

    gain: LogisticModel
    gain_skip: LogisticModel
    match: LogisticModel
    skip: LogisticModel
    provenance: Mapping[str, object] = field(default_factory=dict)

    @property
    def fitted(self) -> bool:
        """Whether the models were fitted on gold alignments (False for hand-set ones)."""
        return bool(self.provenance.get("fitted", False))

    @property
    def encoder(self) -> str:
        """The encoder the models were fitted with ("" when unknown or hand-set)."""
        return str(self.provenance.get("encoder", ""))

    def summary(self) -> dict[str, object]:
        """What a run reports of its calibration: ``fitted``, ``encoder`` and the fitting ``command``."""
        return {"fitted": self.fitted, "encoder": self.encoder,
                "command": str(self.provenance.get("command", "hand-set, not fitted"))}

    def digest(self) -> str:
        """A short hash of the models' weights (not the provenance): names outputs that depend on them."""
        blob = json.dumps({k: v for k, v in self.to_dict().items() if k != "provenance"}, sort_keys=True)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]

    def score(self, signals: Mapping[str, float], is_skip: bool) -> float:
        """Calibrated probability in [0, 1] that a bead with these signals is right.

        The score model takes one input, ``logit``: the gain model's log-odds.
        """
        gain = self.gain_skip if is_skip else self.gain
        model = self.skip if is_skip else self.match
        return float(model.predict({"logit": float(gain.logit(signals))}))

    def to_dict(self) -> dict:
        """Plain-data form, the layout of ``calibration.json``."""
        return {
            "gain": self.gain.to_dict(),
            "gain_skip": self.gain_skip.to_dict(),
            "match": self.match.to_dict(),
            "skip": self.skip.to_dict(),
            "provenance": dict(self.provenance),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, object]) -> "Calibration":
        """Rebuild from :meth:`to_dict` output."""
        return cls(
            LogisticModel.from_dict(d["gain"]),
            LogisticModel.from_dict(d["gain_skip"]),
            LogisticModel.from_dict(d["match"]),
            LogisticModel.from_dict(d["skip"]),
            dict(d.get("provenance", {})),
        )


#: Hand-set fallback for an encoder with no fitted calibration: scores monotone in the
#: margin, not calibrated probabilities (with ``gain = "auto"`` the DP then uses the
#: heuristic gains, which align far better than these hand-set gain weights).
DEFAULT_CALIBRATION = Calibration(
    gain=LogisticModel(-1.0, {"margin": 12.0, "part_min": 2.0, "len_sq": -0.3, "n_extra": -0.5}),
    gain_skip=LogisticModel(1.0, {"best_margin": -12.0}),
    match=LogisticModel(0.0, {"logit": 1.0}),
    skip=LogisticModel(0.0, {"logit": 1.0}),
    provenance={"fitted": False, "note": "hand-set monotone mapping, not fitted"},
)


@lru_cache(maxsize=1)
def packaged_calibration() -> Calibration:
    """The calibration shipped as package data, or :data:`DEFAULT_CALIBRATION` if none is packaged."""
    try:
        text = resources.files("align").joinpath("data/calibration.json").read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return DEFAULT_CALIBRATION
    return calibration_from_json(text)


def fitted_for(calibration: Calibration, model: str) -> bool:
    """Whether ``calibration`` was fitted on gold alignments with the encoder ``model``."""
    return calibration.fitted and calibration.encoder == model


def calibration_from_json(text: str) -> Calibration:
    """Parse a ``calibration.json`` text; raises ValueError (or KeyError) when it is not one."""
    data = json.loads(text)
    if not isinstance(data, dict) or not {"gain", "gain_skip", "match", "skip"} <= set(data):
        raise ValueError("expected an object with gain, gain_skip, match and skip models")
    return Calibration.from_dict(data)
