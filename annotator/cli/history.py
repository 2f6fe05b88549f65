"""history, undo, redo: the project's edit log on the command line (logic in core/history)."""

from __future__ import annotations

import json
import sys

import click

from annotator.cli.base import cli, open_project
from annotator.core import history


@cli.command("history")
@click.argument("project")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1))
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--annotator", "who", default=None, help="Only this annotator's steps.")
def history_cmd(project: str, limit: int, as_json: bool, who: str | None) -> None:
    """The edit log, newest first: id, when, who, what, and whether it is undone."""
    with open_project(project) as p:
        rows = history.steps(p, limit=limit, annotator=who)
    if as_json:
        click.echo(json.dumps([r.to_dict() for r in rows], indent=2, ensure_ascii=False))
        return
    for r in rows:
        mark = "" if r.state == "done" else f" [{r.state}]"
        click.echo(f"{r.id:>6}  {r.ts[:19].replace('T', ' ')}  {r.annotator or '-':<12} "
                   f"{r.describe()}{mark}")


def _step(project: str, annotator: str | None, *, redo: bool) -> None:
    with open_project(project, annotator) as p:
        done = p.redo() if redo else p.undo()
        who = p.annotator or "(no name)"
    if done is None:
        click.echo(f"error: nothing to {'redo' if redo else 'undo'} for {who}", err=True)
        sys.exit(1)
    click.echo(done.text())


@cli.command()
@click.argument("project")
@click.option("--annotator", "annotator", default=None, help="Whose step (default: settings).")
def undo(project: str, annotator: str | None) -> None:
    """Undo the newest step of an annotator: an edit, a pre-annotation run or a merge."""
    _step(project, annotator, redo=False)


@cli.command()
@click.argument("project")
@click.option("--annotator", "annotator", default=None, help="Whose step (default: settings).")
def redo(project: str, annotator: str | None) -> None:
    """Redo the step the last undo took back."""
    _step(project, annotator, redo=True)
