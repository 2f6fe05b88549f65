"""Errors with a one-line message meant for the user (CLI and GUI show ``str(exc)``)."""

import sqlite3


class AnnotatorError(Exception):
    """Base class: anything the user can fix, reported without a traceback."""


class ProjectError(AnnotatorError):
    """The project directory or database is missing, corrupt or foreign."""


class SchemaError(AnnotatorError):
    """A schema file, or an edit, breaks the schema."""


class EditError(AnnotatorError):
    """An edit operation cannot be applied (bad offsets, missing span, ...)."""


class ImportFileError(AnnotatorError):
    """One input file cannot be imported; the batch goes on without it."""


# Database failures with a reason the user can act on. They are also sqlite3 errors, so
# code that catches ``sqlite3.Error`` (a window's slot, a worker) still catches them.
class BusyError(ProjectError, sqlite3.OperationalError):
    """Another window or command held the project's write lock for too long."""


class ReadOnlyError(ProjectError, sqlite3.OperationalError):
    """The project's folder or database cannot be written."""


class DiskFullError(ProjectError, sqlite3.OperationalError):
    """The disk holding the project is full."""


def database_error(exc: sqlite3.Error, where: object = "the project") -> Exception:
    """``exc`` as one of the errors above when SQLite's message says which; else ``exc``."""
    msg = str(exc).lower()
    if "locked" in msg or "busy" in msg:
        return BusyError(f"{where} is busy: another window or command is writing to it;"
                         " try again in a moment")
    if "readonly" in msg or "read-only" in msg or "attempt to write a read" in msg:
        return ReadOnlyError(f"{where} is read-only: edits cannot be saved there")
    if "disk is full" in msg or "disk or database is full" in msg or "database or disk is full" in msg:
        return DiskFullError(f"the disk holding {where} is full: free some space and try again")
    return exc
