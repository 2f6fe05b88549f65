"""The first commands: open, init, import, stats, export, pack, merge, agreement, selftest, preannotate."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from annotator.cli.base import ANNOTATOR_OPT, cli, open_project, progress
from annotator.core.settings import annotator_name
from annotator.io.formats import export_names, import_names


@cli.command("open")
@click.argument("project", required=False)
@ANNOTATOR_OPT
def open_cmd(project: str | None, annotator: str | None) -> None:
    """Open the annotation window (no PROJECT: the last one, else the sample)."""
    from annotator.gui.app import run

    sys.exit(run(project, annotator=annotator))


@cli.command()
@click.argument("project")
@click.option("--schema", "schema", type=click.Path(dir_okay=False), help="Schema JSON file.")
@click.option("--model", default=None, help="spaCy pipeline: package name or model directory.")
@ANNOTATOR_OPT
def init(project: str, schema: str | None, model: str | None, annotator: str | None) -> None:
    """Create a new project directory."""
    from annotator.core.store import Project

    p = Project.init(project, schema_path=Path(schema) if schema else None, model=model,
                     annotator=annotator_name(annotator))
    click.echo(f"created project {p.path} (schema {p.schema.name}, {len(p.schema.labels)} labels,"
               f" {len(p.schema.relations)} relation types)")
    p.close()


@cli.command("import")
@click.argument("project")
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", default="auto", show_default=True,
              type=click.Choice(import_names()))
@click.option("--text-field", default="text", show_default=True, help="JSONL field holding the text.")
@click.option("--text-column", default="text", show_default=True, help="CSV column holding the text.")
@ANNOTATOR_OPT
def import_cmd(project: str, paths: Sequence[str], fmt: str, text_field: str, text_column: str,
               annotator: str | None) -> None:
    """Import files or folders (recursively) into PROJECT."""
    from annotator.io.importer import collect_files, import_paths

    p = open_project(project, annotator)
    files = collect_files([Path(x) for x in paths])
    with progress(len(files), "importing") as tick:
        report = import_paths(p, files, fmt=fmt, text_field=text_field,
                              text_column=text_column, on_file=lambda _path: tick(1))
    p.close()
    for path, reason in report.skipped:
        click.echo(f"skipped {path}: {reason}", err=True)
    for path, reason in report.duplicates:
        click.echo(f"duplicate {path}: {reason}", err=True)
    for path, reason in report.dropped:
        click.echo(f"dropped {path}: {reason}", err=True)
    for path, note in report.notes:
        click.echo(f"note {path}: {note}", err=True)
    click.echo(report.summary())
    if not report.n_imported and (report.skipped or not report.n_duplicates):
        sys.exit(1)


@cli.command()
@click.argument("project")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def stats(project: str, as_json: bool) -> None:
    """Documents by status, spans and relations by label."""
    p = open_project(project)
    s = p.stats()
    p.close()
    if as_json:
        click.echo(json.dumps(s, indent=2, ensure_ascii=False))
        return
    st = s["status"]
    click.echo(f"{s['project']}: {s['documents']} documents ({st['done']} done, "
               f"{st['in_progress']} in progress, {st['todo']} to do, {st['skipped']} skipped)")
    click.echo(f"spans: {s['spans']} ({', '.join(f'{k} {v}' for k, v in s['spans_by_state'].items())})")
    if s["spans_accepted_unreviewed"]:
        click.echo(f"  of them accepted unreviewed on finishing: {s['spans_accepted_unreviewed']}")
    for label, n in s["spans_by_label"].items():
        click.echo(f"  {label:<12} {n}")
    click.echo(f"relations: {s['relations']}")
    for label, n in s["relations_by_label"].items():
        click.echo(f"  {label:<12} {n}")


@cli.command()
@click.argument("project")
@click.option("--format", "fmt", required=True,
              type=click.Choice(export_names()))
@click.option("--output", "-o", required=True, type=click.Path(), help="Output file or folder.")
@click.option("--status", default="done", show_default=True, type=click.Choice(["done", "all"]))
@click.option("--annotator", "layer", default=None, help="Export this annotator's layer.")
@click.option("--split", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=None,
              help="Train fraction for a seeded train/dev split.")
@click.option("--labels", default=None, help="Comma-separated label subset.")
@click.option("--seed", default=0, show_default=True, help="Seed of the split.")
@click.option("--variant", default=None, help="Layout: doccano relation|relation-overlap|sequence|"
              "sequence-overlap, conll conll2003|spacy|tsv, brat plain|provenance (docs/formats.md).")
def export(project: str, fmt: str, output: str, status: str, layer: str | None,
           split: float | None, labels: str | None, seed: int, variant: str | None) -> None:
    """Export annotations as training data."""
    p = open_project(project)  # project errors first: they are the likelier mistake
    from annotator.io.export import ExportOptions, export_project

    opts = ExportOptions(status=status, layer=layer, split=split, seed=seed, variant=variant,
                         labels=[x.strip() for x in labels.split(",")] if labels else None)
    total = p.count_documents(status=None if status == "all" else "done")
    with progress(total, f"exporting {fmt}") as tick:
        summary = export_project(p, fmt, Path(output), opts, on_doc=lambda: tick(1))
    p.close()
    click.echo(summary.text())


# ---- volunteers: work packages, merge, agreement (logic in io/packs/, core/agreement.py) ----
@cli.command()
@click.argument("project")
@click.option("--annotator", "annotator", default=None, help="The volunteer this package is for.")
@click.option("--annotators", default=None, help="Comma-separated: one package each.")
@click.option("--docs", default=None, help="Comma-separated document ids.")
@click.option("--count", type=click.IntRange(1), default=None, help="How many documents.")
@click.option("--overlap", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Share of documents also given to other annotators.")
@click.option("--seed", default=0, show_default=True, help="Seed of the document choice.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None, help="FILE.annpack")
@click.option("--output-dir", type=click.Path(file_okay=False), default=None)
def pack(project: str, annotator: str | None, annotators: str | None, docs: str | None,
         count: int | None, overlap: float, seed: int, output: str | None,
         output_dir: str | None) -> None:
    """Write work packages (.annpack) for volunteers."""
    from annotator.io.packs import make_packages

    names = [x.strip() for x in (annotators or annotator or "").split(",") if x.strip()]
    try:
        ids = [int(x) for x in docs.split(",") if x.strip()] if docs else None
    except ValueError:
        raise click.BadParameter("takes comma-separated document ids", param_hint="--docs") from None
    with open_project(project) as p:
        made = make_packages(p, annotators=names, docs=ids, count=count, overlap=overlap,
                             seed=seed, output=Path(output) if output else None,
                             output_dir=Path(output_dir) if output_dir else None)
    for path, m in made:
        click.echo(f"{path}: {len(m.documents)} documents for {m.annotator}"
                   f" (package {m.package_id[:8]})")


@cli.command()
@click.argument("project")
@click.argument("files", nargs=-1, required=True)
def merge(project: str, files: Sequence[str]) -> None:
    """Bring returned packages (zip or folder) back, one layer per volunteer."""
    from annotator.io.packs import PackError, merge_packages

    with open_project(project) as p:
        results = merge_packages(p, [Path(f) for f in files])
    for r in results:
        click.echo(f"refused {r}" if isinstance(r, PackError) else r.summary(),
                   err=isinstance(r, PackError))
    if any(isinstance(r, PackError) for r in results):
        sys.exit(1)


@cli.command()
@click.argument("project")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--status", default="done", show_default=True, type=click.Choice(["done", "all"]),
              help="done: only documents both annotators marked done.")
def agreement(project: str, as_json: bool, status: str) -> None:
    """Span F1, token kappa and relation F1 per pair of volunteers and per label."""
    from annotator.core.agreement import format_report, project_agreement

    with open_project(project) as p:
        report = project_agreement(p, status=status)
    click.echo(json.dumps(report.to_dict(), indent=2) if as_json else format_report(report))


@cli.command(hidden=True)
@click.option("--model", default=None, help="Pipeline to test (default: what new projects get).")
@click.option("--gui", is_flag=True, help="Open the window, report the time to show it, quit.")
@click.option("--only", multiple=True, help="Run only these steps (e.g. environment).")
def selftest(model: str | None, gui: bool, only: Sequence[str]) -> None:
    """Check this install end to end (import, pre-annotate, export); non-zero on failure."""
    from annotator.selftest import gui_selftest, run_selftest

    ok = (gui_selftest(echo=click.echo) if gui
          else run_selftest(model=model, echo=click.echo, only=only or None))
    sys.exit(0 if ok else 1)


@cli.command("preannotate")
@click.argument("project")
@click.option("--model", default=None, help="spaCy package or model dir (default: the project's).")
@click.option("--n-process", default=1, show_default=True, type=click.IntRange(1))
@click.option("--batch-size", default=64, show_default=True, type=click.IntRange(1))
@click.option("--status", "statuses", default="todo,in_progress", show_default=True,
              help="Document statuses to pre-annotate, comma-separated.")
@click.option("--relations/--no-relations", default=True, show_default=True,
              help="Also suggest relations (loads spaCy's parser; entities only is faster).")
@ANNOTATOR_OPT
def preannotate_cmd(project: str, model: str | None, n_process: int, batch_size: int,
                    statuses: str, relations: bool, annotator: str | None) -> None:
    """Suggest entities (spaCy, gazetteer, project memory) and relations between them."""
    from annotator.io.projects import open_project as _open
    from annotator.nlp.preannotate import Options, parse_statuses, preannotate_project

    opts = Options(model=model, n_process=n_process, batch_size=batch_size,
                   statuses=parse_statuses(statuses), relations=relations)
    with _open(Path(project), annotator=annotator_name(annotator)) as p:
        done = [0]
        with progress(p.count_documents(status=opts.statuses), "pre-annotating") as tick:
            summary = preannotate_project(p, opts, on_progress=lambda n, _total: (
                tick(n - done[0]), done.__setitem__(0, n)))
    if summary.note:
        click.echo(summary.note, err=True)
    click.echo(summary.text())
