"""Exceptions that tell the user where the problem is and what to do next.

Every error raised for bad input, a missing model or a bad configuration is a
:class:`BitextqaError`; the command line turns it into one clear message and a
non-zero exit code, never a traceback.
"""

from __future__ import annotations


class BitextqaError(Exception):
    """Base class: a problem the user can fix; ``hint`` says how."""

    def __init__(self, message: str, hint: str = "") -> None:
        self.message = message
        self.hint = hint
        super().__init__(f"{message} {hint}".strip())


class InputError(BitextqaError):
    """An input file that cannot be read, decoded or understood.

    ``line`` is 1-based; ``byte_offset`` is 0-based into the raw file.
    """

    def __init__(
        self,
        path: str,
        what: str,
        hint: str = "",
        line: int | None = None,
        byte_offset: int | None = None,
    ) -> None:
        self.path = path
        self.line = line
        self.byte_offset = byte_offset
        where = path
        if line is not None:
            where += f":{line}"
        if byte_offset is not None:
            where += f" (byte {byte_offset})"
        super().__init__(f"{where}: {what}", hint)


class ModelLoadError(BitextqaError):
    """An encoder that cannot be loaded (unknown name, missing folder, no network)."""


class ConfigError(BitextqaError):
    """A configuration value or command-line option that is not valid."""
