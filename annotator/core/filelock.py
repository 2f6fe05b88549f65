"""Advisory file locks that die with their process: a run in progress, a window open.

``flock`` (POSIX) and ``msvcrt.locking`` (Windows) are released by the OS when the process
ends, so a killed run or a crashed window never leaves a stale lock behind.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import IO


class FileLock:
    """Try to take an exclusive lock on ``path``; ``acquired`` says whether it was free."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: IO[bytes] | None = None
        self.acquired = False
        self.opened = False  # False: the lock file could not even be opened (read-only share)
        try:
            self._file = open(path, "a+b")  # noqa: SIM115 - held until release()
        except OSError:
            return  # a read-only folder: nothing to coordinate with
        self.opened = True
        try:
            if os.name == "nt":
                import msvcrt

                msvcrt.locking(self._file.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(self._file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            self.acquired = True
        except OSError:
            self._file.close()
            self._file = None

    def release(self, *, remove: bool = False) -> None:
        if self._file is not None:
            with contextlib.suppress(OSError):
                self._file.close()
            self._file = None
            if remove:
                with contextlib.suppress(OSError):
                    self.path.unlink()
        self.acquired = False


def is_locked(path: Path) -> bool:
    """True while another process (or another open here) holds the lock on ``path``."""
    if not path.exists():
        return False
    probe = FileLock(path)
    held = probe.opened and not probe.acquired
    probe.release()
    return held
