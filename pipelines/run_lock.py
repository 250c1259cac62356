"""One run at a time per output folder, with a lock the operating system releases.

``fcntl.flock`` on ``OUT/.work/run.lock``: the kernel drops the lock when the
holding process exits, even after ``kill -9``, so a crashed run never leaves a
stale lock behind. The holder's pid and start time are written into the file
for the message the second run prints.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from typing import IO

from align.errors import BitextqaError


class AlreadyRunning(BitextqaError):
    """Another bitextqa run holds the output folder."""


class RunLock:
    """Exclusive lock on an output folder; use as a context manager."""

    def __init__(self, out_dir: str, wait_s: float = 0.0, poll_s: float = 0.5) -> None:
        self.path = os.path.join(out_dir, ".work", "run.lock")
        self.wait_s = wait_s
        self.poll_s = poll_s
        self._fh: IO[str] | None = None

    def _holder(self) -> str:
        try:
            with open(self.path, encoding="utf-8") as fh:
                info = json.load(fh)
            return f"pid {info.get('pid')} since {info.get('started')}"
        except (OSError, ValueError):
            return "another process"

    def __enter__(self) -> "RunLock":
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        fh = open(self.path, "a+", encoding="utf-8")
        deadline = time.monotonic() + self.wait_s
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = self._holder()
                    fh.close()
                    raise AlreadyRunning(
                        f"another bitextqa run is using {os.path.dirname(os.path.dirname(self.path))} ({holder})",
                        "Wait for it to finish, pass --wait SECONDS to queue behind it, or use another --out.",
                    ) from None
                time.sleep(self.poll_s)
        fh.seek(0)
        fh.truncate()
        fh.write(json.dumps({"pid": os.getpid(), "started": time.strftime("%Y-%m-%dT%H:%M:%S%z")}))
        fh.flush()
        self._fh = fh
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fh is not None:
            fcntl.flock(self._fh.fileno(), fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None
