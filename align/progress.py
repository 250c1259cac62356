"""Progress bars (tqdm) that stay quiet when asked or when stderr is not a terminal."""

from __future__ import annotations

import os
import sys
from typing import Any

from tqdm import tqdm

#: Set BITEXTQA_PROGRESS=0 to silence bars, =1 to force them (e.g. in CI logs).
ENV_SWITCH = "BITEXTQA_PROGRESS"


def progress_enabled() -> bool:
    """Whether progress bars are shown: the environment switch, else whether stderr is a terminal."""
    value = os.environ.get(ENV_SWITCH)
    if value is not None:
        return value not in ("0", "", "false", "no")
    return sys.stderr.isatty()


def progress(**kwargs: Any) -> tqdm:
    """A tqdm bar on stderr, disabled unless :func:`progress_enabled`."""
    return tqdm(disable=not progress_enabled(), file=sys.stderr, leave=False, dynamic_ncols=True, **kwargs)
