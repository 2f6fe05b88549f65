"""The command group and what every command shares (the annotator option, opening, progress)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from annotator import __version__
from annotator.core.settings import annotator_name

ANNOTATOR_OPT = click.option(
    "--annotator", "annotator", default=None, help="Name recorded on every edit (default: settings)."
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="annotator")
def cli() -> None:
    """Annotate geopolitical news: entities, relations, training data.

    Run 'annotator PROJECT' to open the window on a project.
    """


def open_project(path: str | Path, annotator: str | None = None, *, create: bool = False):  # noqa: ANN201
    from annotator.io.projects import open_project as _open

    return _open(Path(path), annotator=annotator_name(annotator), create=create, preannotate=True)


@contextmanager
def progress(total: int | None, desc: str) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr (hidden when stderr is not a terminal)."""
    from tqdm import tqdm

    bar = tqdm(total=total, desc=desc, unit="doc", file=sys.stderr, disable=None, leave=False)
    try:
        yield bar.update
    finally:
        bar.close()
