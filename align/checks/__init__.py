"""QA checks: a registry of named checks over one aligned document pair.

Each check is a pure function ``(ctx: CheckContext) -> Iterable[Finding]``
living in a module of its family; the registry maps its stable snake_case
name to ``"module:function"`` and imports the module only when the check runs
(so ``available_checks()`` is cheap and a check needing a heavy library costs
nothing until used).
"""

from __future__ import annotations

import importlib
from typing import Callable, Iterable, Sequence

from ..errors import ConfigError
from ..records import Finding, finding_sort_key
from .context import CheckContext

__all__ = ["CheckContext", "CHECKS", "available_checks", "get_check", "run_checks"]

#: check name → "module:function" (module relative to this package)
CHECKS: dict[str, str] = {
    "no_counterpart": "unaligned:no_counterpart",
    "unaligned_source": "unaligned:unaligned_source",
    "unaligned_target": "unaligned:unaligned_target",
    "source_text_in_target": "language_runs:source_text_in_target",
    "target_text_in_source": "language_runs:target_text_in_source",
    "number_mismatch": "quantities:number_mismatch",
    "dropped_number": "quantities:dropped_number",
    "empty_target": "content:empty_target",
    "target_identical_to_source": "content:target_identical_to_source",
    "low_score": "suspect:low_score",
    "length_ratio_outlier": "suspect:length_ratio_outlier",
    "similarity_drop": "suspect:similarity_drop",
    "partial_omission": "omission:partial_omission",
}

CheckFunction = Callable[[CheckContext], Iterable[Finding]]


def available_checks() -> list[str]:
    """The names of all registered checks, sorted."""
    return sorted(CHECKS)


def get_check(name: str) -> CheckFunction:
    """The check function registered as ``name`` (imports its module on first use).

    Raises :class:`ConfigError` for an unknown name, listing the known ones.
    """
    try:
        target = CHECKS[name]
    except KeyError:
        raise ConfigError(
            f"unknown QA check {name!r}",
            f"Known checks: {', '.join(available_checks())}.",
        ) from None
    module_name, func_name = target.split(":")
    module = importlib.import_module(f"{__name__}.{module_name}")
    return getattr(module, func_name)


def run_checks(ctx: CheckContext, names: Sequence[str] | None = None) -> list[Finding]:
    """Run the named checks (all registered checks when ``names`` is None) on one document pair.

    Pure: reads only ``ctx``. Returns the findings in the deterministic order
    of :func:`align.records.finding_sort_key`.
    """
    selected = available_checks() if names is None else list(names)
    funcs = [get_check(n) for n in selected]  # fail on a bad name before running anything
    findings: list[Finding] = []
    for func in funcs:
        findings.extend(func(ctx))
    return sorted(findings, key=finding_sort_key)
