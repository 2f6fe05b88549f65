"""``annotator train``: the team's own model from the project's done documents."""

from __future__ import annotations

from pathlib import Path

import click

from annotator.cli.base import cli, open_project
from annotator.core.models import GOLD
from annotator.nlp.train import frozen_note


@cli.command("train")
@click.argument("project")
@click.option("--output", "-o", type=click.Path(file_okay=False), default=None,
              help="Model folder (default: PROJECT/models/<timestamp>).")
@click.option("--base", default=None, help="Model to start from (default: the project's model;"
              " 'blank' starts from nothing).")
@click.option("--eval-split", default=0.2, show_default=True,
              type=click.FloatRange(0, 1, min_open=True, max_open=True),
              help="Share of done documents held out for scoring.")
@click.option("--seed", default=0, show_default=True, help="Seed of the split and training.")
@click.option("--iterations", default=20, show_default=True, type=click.IntRange(1),
              help="Epochs over the training documents.")
@click.option("--curve/--no-curve", default=True, show_default=True,
              help="Also train on 25/50/75% of the documents (the learning curve).")
@click.option("--annotator", "layer", default=None, help="Train on this annotator's layer.")
@click.option("--relations", is_flag=True,
              help="Also train a relation classifier over entity pairs (with negated/modality).")
def train_cmd(project: str, output: str | None, base: str | None, eval_split: float, seed: int,
              iterations: int, curve: bool, layer: str | None, relations: bool) -> None:
    """Train NER on the done documents; print base vs trained on the held-out documents."""
    note = frozen_note()
    if note:
        raise click.ClickException(note)
    from annotator.nlp.train.loop import TrainOptions, train_project

    opts = TrainOptions(base=base, eval_split=eval_split, seed=seed, iterations=iterations,
                        curve=curve, layer=layer or GOLD, output=Path(output) if output else None,
                        relations=relations)
    last = [""]

    def progress(message: str, _fraction: float) -> None:
        stage = message.split(":")[0]
        if stage != last[0]:
            click.echo(stage, err=True)
            last[0] = stage

    with open_project(project) as p:
        result = train_project(p, opts, on_progress=progress)
    click.echo(result.text())


@cli.command("uncertainty")
@click.argument("project")
@click.option("--model", default="project:latest", show_default=True,
              help="Model whose confidence orders the documents.")
@click.option("--top", default=10, show_default=True, type=click.IntRange(0),
              help="How many of the most uncertain documents to list.")
def uncertainty_cmd(project: str, model: str, top: int) -> None:
    """Score unfinished documents by the model's uncertainty (most uncertain: annotate first)."""
    from annotator.core.doc_scores import list_by_uncertainty
    from annotator.nlp.train.uncertainty import UNFINISHED, score_documents

    with open_project(project) as p:
        n = score_documents(p, model=model)
        rows = list_by_uncertainty(p, status=UNFINISHED, limit=top)
    click.echo(f"scored {n} unfinished documents with {model}; most uncertain first:")
    for row, score in rows:
        click.echo(f"  {score if score is not None else 0:.3f}  {row.id:>6}  {row.name}")
