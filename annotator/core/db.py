"""The SQLite connection under a project: opening (WAL, foreign keys), migrations, meta rows,
and the one way to write: ``write_transaction`` takes the write lock up front.

A deferred ``BEGIN`` that reads and then writes cannot wait for another writer: SQLite
refuses the upgrade at once (``database is locked``) because the transaction already holds
a read snapshot, so ``busy_timeout`` never applies. ``BEGIN IMMEDIATE`` asks for the write
lock before the first read, and that request does wait up to the busy timeout.
"""

from __future__ import annotations

import contextlib
import secrets
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

from annotator.core.errors import ProjectError
from annotator.core.migrations import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION
from annotator.core.models import now
from annotator.core.schema import Schema

BUSY_TIMEOUT_MS = 5000


@contextlib.contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """One write transaction: ``BEGIN IMMEDIATE`` outside, a savepoint when nested."""
    if conn.in_transaction:
        name = f"w_{secrets.token_hex(8)}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            if conn.in_transaction:
                conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                conn.execute(f"RELEASE SAVEPOINT {name}")
            raise
        else:
            conn.execute(f"RELEASE SAVEPOINT {name}")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


def connect(dbfile: Path) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(str(dbfile), isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode.lower() != "wal":
            raise ProjectError(f"{dbfile}: cannot switch to WAL journal (got {mode})")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as exc:
        raise ProjectError(f"{dbfile} is not a project database ({exc})") from None
    return conn


def migrate(conn: sqlite3.Connection, dbfile: Path) -> None:
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    has_tables = conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0] > 0
    if has_tables and app_id != APPLICATION_ID:
        raise ProjectError(f"{dbfile} is an SQLite file, but not an annotator project")
    if version > SCHEMA_VERSION:
        raise ProjectError(
            f"{dbfile} was written by a newer annotator (format {version}, this one reads"
            f" up to {SCHEMA_VERSION}); please update"
        )
    for step in range(version, SCHEMA_VERSION):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(MIGRATIONS[step]):
                conn.execute(statement)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {step + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def get_meta(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM project_meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute(
        "INSERT INTO project_meta (key, value) VALUES (?, ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def seed_meta(conn: sqlite3.Connection, schema: Schema) -> None:
    from annotator import __version__  # the package root imports nothing of ours

    conn.execute("BEGIN IMMEDIATE")
    try:
        set_meta(conn, "project_id", uuid.uuid4().hex)
        set_meta(conn, "created_at", now())
        set_meta(conn, "created_by_version", __version__)
        set_meta(conn, "schema", schema.to_json())
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


