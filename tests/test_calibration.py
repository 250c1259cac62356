"""Tests of the bead gain/score models (align.calibration) and the packaged calibration."""

from __future__ import annotations

import numpy as np
import pytest

from align.calibration import (
    Calibration, LogisticModel, expected_calibration_error, fit_conditional_logit, fit_logistic,
    packaged_calibration,
)


def test_fit_logistic_recovers_weights():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4000, 2))
    true = LogisticModel(-0.5, {"a": 2.0, "b": -1.0})
    p = true.predict({"a": x[:, 0], "b": x[:, 1]})
    y = (rng.random(4000) < p).astype(float)
    fitted = fit_logistic(x, y, ["a", "b"], l2=1e-4)
    assert fitted.bias == pytest.approx(-0.5, abs=0.15)
    assert fitted.weights["a"] == pytest.approx(2.0, abs=0.2)
    assert fitted.weights["b"] == pytest.approx(-1.0, abs=0.15)


def test_fit_conditional_logit_prefers_the_informative_feature():
    """Each decision picks the candidate with the highest 'good' value; 'noise' is irrelevant."""
    rng = np.random.default_rng(1)
    groups = []
    for _ in range(300):
        x = rng.standard_normal((5, 2))
        groups.append((x, int(np.argmax(x[:, 0] + 0.3 * rng.standard_normal(5)))))
    w = fit_conditional_logit(groups, ["good", "noise"], l2=1e-3)
    assert w["good"] > 2.0
    assert abs(w["noise"]) < 0.5 * w["good"]


@pytest.mark.parametrize(
    "p, y, low, high",
    [
        (np.full(1000, 0.7), np.r_[np.ones(700), np.zeros(300)], 0.0, 0.01),
        (np.full(1000, 0.95), np.r_[np.ones(600), np.zeros(400)], 0.34, 0.36),
        (np.array([]), np.array([]), 0.0, 0.0),
    ],
    ids=["calibrated", "overconfident", "empty"],
)
def test_expected_calibration_error(p, y, low, high):
    assert low <= expected_calibration_error(p, y) <= high


def test_calibration_round_trip_and_vectorised_logit():
    cal = packaged_calibration()
    again = Calibration.from_dict(cal.to_dict())
    assert again.to_dict() == cal.to_dict()
    sig = {"cos": np.array([0.2, 0.8]), "margin": np.array([0.0, 0.4])}
    many = cal.gain.logit(sig)
    one = [float(cal.gain.logit({k: v[i] for k, v in sig.items()})) for i in range(2)]
    assert many.tolist() == pytest.approx(one)


def test_packaged_calibration_is_fitted_and_monotone():
    cal = packaged_calibration()
    assert cal.provenance.get("fitted") is True
    assert "command" in cal.provenance and "gold_sets" in cal.provenance
    base = {"cos": 0.5, "margin": 0.2, "part_min": 0.5, "part_max": 0.0, "len_abs": 0.5, "len_sq": 0.25,
            "short": 4.0}
    scores = [cal.score(base | {"cos": c, "margin": c - 0.3, "part_min": c}, is_skip=False) for c in (0.2, 0.5, 0.8)]
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores[0] < scores[1] < scores[2]
    # a sentence with a close counterpart somewhere is less likely to be rightly unaligned
    skip = [cal.score({"best_cos": c, "best_margin": c - 0.3, "is_src": 1.0, "short": 4.0}, is_skip=True)
            for c in (0.2, 0.8)]
    assert skip[0] > skip[1]
