"""The SQLite connection under a project: opening (WAL, foreign keys), migrations, meta rows,
and the one way to write: ``write_transaction`` takes the write lock up front.

A deferred ``BEGIN`` that reads and then writes cannot wait for another writer: SQLite
refuses the upgrade at once (``database is locked``) because the transaction already holds
a read snapshot, so ``busy_timeout`` never applies. ``BEGIN IMMEDIATE`` asks for the write
lock before the first read, and that request does wait up to the busy timeout.
"""

from __future__ import annotations

import contextlib
import re
import secrets
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

from annotator.core.dbfile import check_file, connect_read_only
from annotator.core.errors import ProjectError, database_error
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
    with _friendly_errors():
        conn.execute("BEGIN IMMEDIATE")
    try:
        with _friendly_errors():
            yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    try:
        with _friendly_errors():
            conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


@contextlib.contextmanager
def _friendly_errors() -> Iterator[None]:
    """Busy, read-only and disk-full failures as errors that say so in one line."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        better = database_error(exc)
        if better is exc or isinstance(exc, ProjectError):
            raise
        raise better from exc


def connect(dbfile: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """The project's connection; the file is checked first (a foreign one is left as is)."""
    check_file(dbfile)
    if read_only:
        try:
            conn = connect_read_only(dbfile)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.DatabaseError as exc:
            raise ProjectError(f"{dbfile} (read-only) is not a readable project database"
                               f" ({exc})") from None
        return conn
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


def migrate(conn: sqlite3.Connection, dbfile: Path, *, read_only: bool = False) -> None:
    """Bring the database to SCHEMA_VERSION, then check every table is there."""
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
    if read_only and has_tables and version < SCHEMA_VERSION:
        raise ProjectError(f"{dbfile} is read-only and was written by an older annotator"
                           f" (format {version}): open a writable copy once to upgrade it")
    for step in range(version, SCHEMA_VERSION if not read_only else version):
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


    if has_tables or version < SCHEMA_VERSION:
        check_tables(conn, dbfile)


def check_tables(conn: sqlite3.Connection, dbfile: Path) -> None:
    """Name a missing table now, rather than fail on the first query that reads it."""
    have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for name in expected_tables():
        if name not in have:
            raise ProjectError(f"{dbfile} is damaged: table {name} is missing")


def expected_tables() -> list[str]:
    names = re.findall(r"CREATE TABLE (\w+)", "\n".join(MIGRATIONS))
    dropped = set(re.findall(r"DROP TABLE (?:IF EXISTS )?(\w+)", "\n".join(MIGRATIONS)))
    return [n for n in dict.fromkeys(names) if n not in dropped]


def checkpoint(conn: sqlite3.Connection) -> None:
    """Copy the WAL into project.db now (without waiting for readers), so the database
    file alone (a volunteer returning only project.db after a crash) holds recent work."""
    with contextlib.suppress(sqlite3.Error):
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()


def _statements(script: str) -> list[str]:
    """Split a migration script into statements; a trigger body's ``;`` stays inside it."""
    out, part = [], ""
    for piece in script.split(";"):
        part += piece + ";"
        if sqlite3.complete_statement(part):
            out.append(part.strip().rstrip(";").strip())
            part = ""
    if part.strip(" \n;"):
        out.append(part.strip().rstrip(";").strip())
    return [s for s in out if s]


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


SPAN_SEQ = "span_seq"  # project_meta: the highest span id ever handed out


def next_ids(conn: sqlite3.Connection, key: str, high: int, n: int = 1) -> int:
    """The first of ``n`` fresh ids of a table whose ids must never be handed out twice:
    above ``high`` (the ids the tables still hold) and above the sequence kept under ``key``
    in project_meta (a damaged value counts as 0). SQLite alone would give a deleted top id
    out again, and an undo (or a parked row) naming the old row would then meet the wrong
    one. Call inside the write transaction."""
    raw = get_meta(conn, key) or "0"
    first = max(int(high or 0), int(raw) if raw.isdigit() else 0) + 1
    set_meta(conn, key, str(first + max(n, 1) - 1))
    return first


def next_span_ids(conn: sqlite3.Connection, n: int = 1) -> int:
    """Fresh span ids: above live spans, spans parked by runs and links parked with
    deleted spans."""
    (high,) = conn.execute(
        "SELECT MAX(m) FROM (SELECT MAX(id) AS m FROM spans UNION ALL SELECT MAX(id) FROM"
        " parked_spans UNION ALL SELECT MAX(span_id) FROM span_actor_parked)").fetchone()
    return next_ids(conn, SPAN_SEQ, high if isinstance(high, int) else 0, n)
