"""Export a project as training data: options, document selection, split, dispatch.

Documents are streamed with ``Project.iter_documents`` and written one by one, so
memory stays flat however large the project is. Every format writes from the same
per-document view (``formats.common.DocView``) and reports what it left out or
changed into one ``ExportSummary``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from annotator.core.models import GOLD, Document, Span
from annotator.core.store import Project
from annotator.io.formats import Format, export_format, export_names
from annotator.io.formats.common import (
    META_KEYS,
    DocView,
    ExportContext,
    ExportError,
    ExportSummary,
    RelView,
    SpanView,
    Writer,
    split_output,
)

__all__ = ["ExportError", "ExportOptions", "ExportSummary", "export_project", "FORMATS"]

FORMATS = export_names()
STATUSES = ("done", "all")


@dataclass
class ExportOptions:
    status: str = "done"  # done: done documents, accepted spans; all: everything
    layer: str | None = None  # an annotator's layer instead of the gold layer
    split: float | None = None  # train fraction of a seeded document-level split
    seed: int = 0
    labels: list[str] | None = None  # label subset
    variant: str | None = None  # the format's layout (doccano project type, conll columns...)


def export_project(
    project: Project,
    fmt: str,
    output: Path,
    opts: ExportOptions,
    *,
    on_doc: Callable[[], None] | None = None,
) -> ExportSummary:
    """Write the project's annotations as ``fmt`` to ``output``; ``on_doc`` ticks per document."""
    spec = _format(fmt)
    ctx = _context(project, opts, spec)
    summary = ExportSummary(fmt=fmt)
    status = None if opts.status == "all" else "done"
    route = _split_routes(project, status, opts) if opts.split else None
    writers = _open_writers(spec, Path(output), summary, ctx, split=route is not None)
    try:
        for doc in project.iter_documents(status=status):
            view = build_view(project, doc, opts, summary)
            if view is not None:
                part = "all" if route is None else ("train" if doc.id in route else "dev")
                writers[part].write(view)
                _count(summary, view)
            if on_doc is not None:
                on_doc()
    finally:
        for w in writers.values():
            summary.files.extend(w.close())
        summary.files = list(dict.fromkeys(summary.files))  # labels.json is shared by parts
    return summary


# ---- options -------------------------------------------------------------------------------
def _format(fmt: str) -> Format:
    spec = export_format(fmt)
    if spec is None:
        raise ExportError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")
    return spec


def _context(project: Project, opts: ExportOptions, spec: Format) -> ExportContext:
    variant = opts.variant or (spec.variants[0] if spec.variants else "")
    if variant and variant not in spec.variants:
        choices = ", ".join(spec.variants) if spec.variants else "none"
        raise ExportError(f"--variant {variant!r} does not apply to {spec.export_name}"
                          f" (choices: {choices})")
    if opts.status not in STATUSES:
        raise ExportError(f"--status must be done or all, not {opts.status!r}")
    if opts.split is not None and not 0 < opts.split < 1:
        raise ExportError(f"--split must be between 0 and 1, not {opts.split}")
    schema = project.schema
    if opts.labels:
        unknown = sorted(set(opts.labels) - set(schema.labels))
        if unknown:
            raise ExportError(f"unknown labels {', '.join(unknown)}"
                              f" (the schema has {', '.join(schema.labels)})")
    if opts.layer and opts.layer not in project.layers():
        layers = [x for x in project.layers() if x]
        raise ExportError(f"no annotator layer {opts.layer!r} in this project"
                          f" ({', '.join(layers) if layers else 'it has only the gold layer'})")
    labels = tuple(x for x in schema.labels if not opts.labels or x in opts.labels)
    return ExportContext(
        labels=labels,
        symmetric=frozenset(r.name for r in schema.relations if r.symmetric),
        total=project.count_documents(status=None if opts.status == "all" else "done"),
        schema=schema,
        variant=variant,
    )


def _split_routes(project: Project, status: str | None, opts: ExportOptions) -> set[int]:
    """Ids of the training documents: a seeded shuffle of ids (ints only: small even at 100k)."""
    ids = [d.id for d in project.iter_documents(status=status, with_text=False, batch=5000)]
    random.Random(opts.seed).shuffle(ids)
    n_train = round(len(ids) * (opts.split or 1))
    if len(ids) >= 2:  # both parts non-empty: spacy train needs a dev set
        n_train = min(max(n_train, 1), len(ids) - 1)
    return set(ids[:n_train])


def _open_writers(spec: Format, output: Path, summary: ExportSummary,
                  ctx: ExportContext, *, split: bool) -> dict[str, Writer]:
    writer: Any = spec.writer_class()
    if not split:
        return {"all": writer(output, summary, ctx)}
    module: ModuleType = spec.module()
    paths = getattr(module, "split_paths", None)  # an optional hook of the format's module
    out: dict[str, Writer] = {}
    for part in ("train", "dev"):
        path = paths(output, part) if paths else split_output(output, part,
                                                              folder=spec.folder_output)
        out[part] = writer(path, summary, ctx)
    return out


# ---- one document --------------------------------------------------------------------------
def build_view(project: Project, doc: Document, opts: ExportOptions,
               summary: ExportSummary) -> DocView | None:
    """The document as exported, or None when the exported layer has nothing for it."""
    layer = opts.layer or GOLD
    spans = project.spans(doc.id, layer=layer)
    if opts.layer and not spans:
        summary.skipped_documents += 1
        return None
    text = doc.text or ""
    kept = _keep_spans(spans, text, opts, summary, doc.name)
    index = {s.id: k for k, s in enumerate(kept)}
    state_of = {s.id: s for s in spans}
    relations: list[RelView] = []
    for r in project.relations(doc.id, layer=layer):
        if r.head_id in index and r.child_id in index:
            relations.append(RelView(index[r.head_id], index[r.child_id], r.label, r.attrs))
        else:
            summary.note(_relation_drop_reason(r.head_id, r.child_id, state_of, opts),
                         example=f"{doc.name} {r.label}")
    from annotator.core.tokens import ensure_tokens

    return DocView(
        id=doc.id, name=doc.name, text=text, status=doc.status,
        meta=_meta(doc, opts), tokens=ensure_tokens(project, doc.id),
        spans=[SpanView(s.id, s.start, s.end, s.label, text[s.start:s.end], s.source, s.state,
                        s.attrs) for s in kept],
        relations=relations,
    )


def _keep_spans(spans: list[Span], text: str, opts: ExportOptions, summary: ExportSummary,
                name: str) -> list[Span]:
    kept = []
    for s in spans:
        if opts.status == "done" and s.state != "accepted":
            summary.note("suggested spans left out (--status done exports accepted spans)")
        elif opts.labels and s.label not in opts.labels:
            summary.note("spans left out by the --labels filter")
        elif not text[s.start:s.end].strip():
            summary.note("whitespace-only spans left out", example=f"{name} {s.start}-{s.end}")
        else:
            kept.append(s)
    return kept


def _relation_drop_reason(head: int, child: int, spans: dict[int, Span],
                          opts: ExportOptions) -> str:
    ends = [spans[i] for i in (head, child) if i in spans]
    if opts.labels and any(s.label not in opts.labels for s in ends):
        return "relations dropped because an end was left out by the --labels filter"
    if opts.status == "done" and any(s.state != "accepted" for s in ends):
        return "relations dropped because an end is a suggested span"
    return "relations dropped because an end span was left out"


def _meta(doc: Document, opts: ExportOptions) -> dict[str, object]:
    """doc name, annotator and status first (importers restore them), then the stored meta."""
    annotator = opts.layer or doc.meta.get("annotator") or doc.assignee or ""
    rest = {k: v for k, v in doc.meta.items() if k not in META_KEYS}
    return {"doc": doc.name, "annotator": annotator, "status": doc.status, **rest}


def _count(summary: ExportSummary, view: DocView) -> None:
    summary.documents += 1
    summary.spans += len(view.spans)
    summary.relations += len(view.relations)
