"""Looking at a project database file before opening it, and opening it read-only.

Nothing here changes the file: a foreign SQLite database is refused as it is (not
switched to WAL first), an empty file is refused (not silently made a new project), and
a project on a read-only share is opened for reading. When a read-only folder still
holds a ``-wal`` file (the last writer crashed), SQLite cannot read it in place (it
needs to create the ``-shm`` index); a private copy of the database and its WAL is read
instead, so the edits in the WAL are seen.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path
from urllib.parse import quote

from annotator.core.errors import ProjectError
from annotator.core.migrations import APPLICATION_ID

SQLITE_HEADER = b"SQLite format 3\x00"


def check_file(dbfile: Path) -> None:
    """Refuse an empty file, a file that is not SQLite, or another application's database."""
    if not dbfile.exists():
        return
    size = dbfile.stat().st_size
    if size == 0:
        raise ProjectError(f"{dbfile} is empty (0 bytes), not a project database; delete it"
                           " to make a new project there")
    with open(dbfile, "rb") as f:
        head = f.read(100)
    if not head.startswith(SQLITE_HEADER):
        raise ProjectError(f"{dbfile} is not a project database (not an SQLite file)")
    if int.from_bytes(head[68:72], "big") == APPLICATION_ID:
        return
    # The header may predate our mark (still in the WAL): ask SQLite, read-only.
    try:
        conn = sqlite3.connect(_uri(dbfile, "ro"), uri=True)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            tables = conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return  # unreadable this way: the ordinary open reports it
    if tables and app_id != APPLICATION_ID:
        raise ProjectError(f"{dbfile} is an SQLite file, but not an annotator project"
                           " (left unchanged)")


def is_read_only(folder: Path, dbfile: Path) -> bool:
    """Whether the project cannot be written (a read-only share, a locked-down folder)."""
    if dbfile.exists() and not os.access(dbfile, os.W_OK):
        return True
    return not os.access(folder, os.W_OK)  # -wal and -shm are created beside the database


def connect_read_only(dbfile: Path) -> sqlite3.Connection:
    """A connection that only reads: in place if SQLite can, else on a private copy."""
    try:
        conn = sqlite3.connect(_uri(dbfile, "ro"), uri=True, isolation_level=None,
                               check_same_thread=False)
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError:
        conn = _copy_and_connect(dbfile)
    conn.execute("PRAGMA query_only = ON")
    return conn


def _copy_and_connect(dbfile: Path) -> sqlite3.Connection:
    tmp = Path(tempfile.mkdtemp(prefix="annotator-readonly-"))
    atexit.register(shutil.rmtree, tmp, True)
    for suffix in ("", "-wal"):
        src = dbfile.with_name(dbfile.name + suffix)
        if src.exists():
            shutil.copyfile(src, tmp / (dbfile.name + suffix))
    return sqlite3.connect(str(tmp / dbfile.name), isolation_level=None, check_same_thread=False)


def _uri(dbfile: Path, mode: str) -> str:
    return f"file:{quote(str(dbfile.resolve()))}?mode={mode}"
