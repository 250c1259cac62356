"""Process exit codes of ``bitextqa`` (documented in the README, "Exit codes")."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Distinct exit codes, so cron and CI can tell failures apart."""

    OK = 0  #: every document completed and the report was written
    INTERNAL_ERROR = 1  #: an unexpected error in bitextqa itself (a bug: please report it)
    USAGE = 2  #: bad command-line option or configuration value
    TASK_FAILED = 3  #: at least one document failed (bad input, model error); the others completed
    MISSING_INPUT = 4  #: an input path does not exist
    ALREADY_RUNNING = 5  #: another run holds the output folder's lock
    SCHEDULING_ERROR = 6  #: the central scheduler could not be reached or refused the work
    OUTPUT_ERROR = 7  #: the output folder cannot be written (disk full, permissions)
