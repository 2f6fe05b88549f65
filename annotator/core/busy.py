"""Bulk writes that share the project with other writers: short batches, retried when busy.

``BEGIN IMMEDIATE`` waits up to the busy timeout for another writer. A bulk job (import,
pre-annotation, merge) whose batch still finds the lock taken after that rolls the batch
back, waits a little longer each time, and runs it again: the window's edits and a
second command both get their turn, and nothing is lost or half-written.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from annotator.core.errors import BusyError

if TYPE_CHECKING:
    from annotator.core.store import Project

T = TypeVar("T")
RETRIES = 8
FIRST_WAIT = 0.1  # seconds; doubled after each busy attempt, at most MAX_WAIT
MAX_WAIT = 3.0


def is_busy(exc: BaseException) -> bool:
    """Whether ``exc`` says another connection holds the lock (not a real failure)."""
    if isinstance(exc, BusyError):
        return True
    msg = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in msg or "busy" in msg)


def write_retrying(project: Project, fn: Callable[[], T], *, retries: int = RETRIES) -> T:
    """Run ``fn`` in one write transaction, again from scratch while the project is busy.

    ``fn`` must be safe to run twice: everything it writes is rolled back with the
    failed attempt, so it must keep what it reports in its own return value. Nested in
    an open transaction there is nothing to retry alone: it just runs.
    """
    if project.conn.in_transaction:
        with project.write():
            return fn()
    wait = FIRST_WAIT
    for attempt in range(retries + 1):
        try:
            with project.write():
                return fn()
        except sqlite3.OperationalError as exc:
            if not is_busy(exc) or attempt == retries:
                raise
        time.sleep(wait)
        wait = min(wait * 2, MAX_WAIT)
    raise AssertionError("unreachable")
