"""``annotator corpus ...``: coordinators' corpus-scale commands (Dask, the optional 'corpus' extra).

Dask is imported only when a command runs (``annotator.io.corpus.run`` imports
``annotator.io.corpus.cluster``), never when the CLI loads, so the volunteer bundle,
which leaves Dask out, still starts and says what to install if asked for this.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from annotator.cli.base import cli

EXTRA = ("annotator corpus needs Dask: install the 'corpus' extra"
         " (pip install 'geo-annotator[corpus]')")


def _have_dask() -> bool:
    try:
        return all(importlib.util.find_spec(m) is not None for m in ("dask", "distributed"))
    except (ImportError, ValueError):
        return False


@cli.group()
def corpus() -> None:
    """Corpus scale: pre-annotate millions of articles on a Dask cluster (coordinators)."""
    if not _have_dask():
        raise click.ClickException(EXTRA)


@corpus.command("preannotate")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--output", "-o", required=True, type=click.Path(file_okay=False),
              help="Folder for the shards and manifest (a rerun resumes in it).")
@click.option("--project", default=None, type=click.Path(file_okay=False),
              help="Take schema, project memory and model from this project.")
@click.option("--scheduler", default=None, help="Address of a running Dask scheduler.")
@click.option("--workers", type=click.IntRange(1), default=None,
              help="Local worker processes when no --scheduler (default: one per core).")
@click.option("--model", default=None, help="spaCy package or model dir (default: the project's).")
@click.option("--partition-docs", default=500, show_default=True, type=click.IntRange(1),
              help="Documents per partition (one task, one shard).")
@click.option("--retries", default=2, show_default=True, type=click.IntRange(0),
              help="Times Dask re-runs a failing partition.")
@click.option("--text-field", default="text", show_default=True, help="JSONL field holding the text.")
@click.option("--text-column", default="text", show_default=True, help="CSV column holding the text.")
def preannotate_cmd(inputs: Sequence[str], output: str, project: str | None,
                    scheduler: str | None, workers: int | None, model: str | None,
                    partition_docs: int, retries: int, text_field: str, text_column: str) -> None:
    """Pre-annotate INPUT files/folders (local or fsspec URLs) into JSONL shards in --output."""
    from tqdm import tqdm

    from annotator.io.corpus.run import CorpusOptions, preannotate_corpus

    if scheduler and workers:
        raise click.UsageError("give --scheduler or --workers, not both")
    opts = CorpusOptions(output=Path(output), project=Path(project) if project else None,
                         model=model, scheduler=scheduler, workers=workers,
                         partition_docs=partition_docs, retries=retries,
                         text_field=text_field, text_column=text_column)
    bar = tqdm(desc="pre-annotating", unit="doc", file=sys.stderr, disable=None, leave=False)

    def started(s) -> None:  # noqa: ANN001 - a CorpusSummary
        where = f"scheduler {scheduler}" if scheduler else "a local cluster"
        click.echo(f"{s.workers} worker(s) on {where}; model {s.model}", err=True)
        if s.dashboard:
            click.echo(f"Dask dashboard: {s.dashboard}", err=True)

    def shard(s) -> None:  # noqa: ANN001
        bar.update(s.documents - bar.n)
        bar.set_postfix_str(f"shards {s.shards} ({s.resumed} already done, {len(s.failed)} failed)",
                            refresh=False)

    try:
        summary = preannotate_corpus(inputs, opts, on_start=started, on_shard=shard)
    finally:
        bar.close()
    for line in summary.problems():
        click.echo(line, err=True)
    click.echo(summary.text())
    click.echo(f"manifest: {summary.manifest}")
    if summary.failed or summary.documents == 0:
        sys.exit(1)
