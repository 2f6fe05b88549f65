"""Command line: ``annotator [PROJECT]`` opens the window; sub-commands script the rest.

Built on core/io/nlp only (the GUI is imported lazily by ``open``). Every command
exits non-zero with a one-line reason on bad input, never a traceback. Each module of
this package registers its commands on the one group in ``base``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

import click

from annotator.cli import actors, commands, corpus, history, train  # noqa: F401 - register their commands
from annotator.cli import memory as _memory  # noqa: F401 - registers annotator memory
from annotator.cli.base import cli
from annotator.core.errors import AnnotatorError

__all__ = ["cli", "entry", "main"]


# ---- entry point ---------------------------------------------------------------------------
def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or (args[0] not in cli.commands and not args[0].startswith("-")):
        args = ["open", *args]
    try:
        cli.main(args, prog_name="annotator", standalone_mode=False)
    except click.exceptions.Abort:
        _fail("aborted", 130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except AnnotatorError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except OSError as exc:
        _fail(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))
    except Exception as exc:  # noqa: BLE001 - last resort: one line, details on request
        if os.environ.get("ANNOTATOR_DEBUG"):
            raise
        _fail(f"internal error: {type(exc).__name__}: {exc} (set ANNOTATOR_DEBUG=1 for details)")


def entry() -> None:
    """The ``annotator`` program (console script, ``python -m annotator``): ``main`` in a
    process of its own, where optional imports nothing here uses can be turned away.

    sqlite-utils imports pandas whenever it is installed, for DataFrame support the app
    never uses; a source install has pandas for the test suite's real consumers
    (``datasets``), and importing it costs ~0.2 s of every start. The frozen app has none.
    """
    if "sqlite_utils" not in sys.modules:
        sys.modules.setdefault("pandas", None)  # type: ignore[arg-type] - "not installed"
    main()


def _fail(message: str, code: int = 1) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


