"""``FIELD=VALUE`` overrides of a settings dataclass, for the benchmarks' ``--set`` options."""

from __future__ import annotations

from dataclasses import replace
from typing import TypeVar

T = TypeVar("T")


def settings_with(overrides: list[str], base: T, flag: str = "--set") -> T:
    """``base`` (a frozen settings dataclass) with ``FIELD=VALUE`` overrides applied.

    Booleans are read as true/false (also 1/0, yes/no, on/off), numbers as the
    field's type; an unknown field exits with a message naming ``flag``.
    """
    changes = {}
    for item in overrides:
        name, _, raw = item.partition("=")
        if not hasattr(base, name):
            raise SystemExit(f"{flag} {item}: {type(base).__name__} has no field {name!r}")
        old = getattr(base, name)
        if isinstance(old, bool):
            changes[name] = raw.strip().lower() in ("1", "true", "yes", "on")
        else:
            changes[name] = type(old)(float(raw)) if isinstance(old, (int, float)) else raw
    return replace(base, **changes)
