"""Errors with a one-line message meant for the user (CLI and GUI show ``str(exc)``)."""


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
