"""Actors on the command line: ``annotator link PROJECT`` and ``annotator actors PROJECT``."""

from __future__ import annotations

import json

import click

from annotator.cli.base import ANNOTATOR_OPT, cli, open_project


@cli.command()
@click.argument("project")
@click.option("--status", default=None,
              help="Only documents with these statuses (comma-separated; default: all).")
@ANNOTATOR_OPT
def link(project: str, status: str | None, annotator: str | None) -> None:
    """Suggest an actor for every entity mention that has none (registry, countries, names)."""
    from annotator.nlp.linking import link_project
    from annotator.nlp.preannotate import parse_statuses

    statuses = parse_statuses(status) if status else None
    p = open_project(project, annotator)
    try:
        summary = link_project(p, statuses=statuses)
    finally:
        p.close()
    click.echo(summary.text())


@cli.command()
@click.argument("project")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per actor, one per line.")
@click.option("--annotator", "layer", default=None, help="Count this annotator's layer.")
def actors(project: str, as_json: bool, layer: str | None) -> None:
    """The actor table: id / kb id, name, label, country, mention texts with counts, documents."""
    from annotator.core.actors import actor_table

    p = open_project(project)
    try:
        if layer and layer not in p.layers():
            raise click.ClickException(f"no annotator layer {layer!r} in this project")
        rows = actor_table(p, layer=layer or "")
    finally:
        p.close()
    if as_json:
        for r in rows:
            click.echo(json.dumps(r.to_dict(), ensure_ascii=False))
        return
    if not rows:
        click.echo("no actors yet (run 'annotator link PROJECT')")
        return
    click.echo(f"{'id':>5}  {'kb id':<11} {'name':<32} {'label':<11} {'ctry':<4} {'n':>5} {'docs':>4}"
               "  mentions")
    for r in rows:
        a = r.actor
        texts = ", ".join(f"{t} ({n})" for t, n in r.texts.most_common(6))
        click.echo(f"{a.id:>5}  {a.kb_id or '-':<11} {a.name[:32]:<32} {a.label:<11}"
                   f" {a.country or '-':<4} {r.mentions:>5} {r.documents:>4}  {texts}")
