"""One corpus run: read inputs, submit partitions to Dask, write shards, journal and manifest.

The client reads and normalizes the inputs (cheap next to the NER) and streams them as
partitions; the workers tag them; each shard comes back as bytes and is written here,
atomically, then journalled. So a kill at any point leaves whole shards and a journal
that says which: the rerun checks each one (partition digest + sha256) and only
submits the rest. Dask retries a failing partition; one that still fails is reported
by name and the others go on.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from annotator.core.models import now
from annotator.io.corpus import shards
from annotator.io.corpus.inputs import PARTITION_DOCS, ReadReport, list_sources, partitions, read_documents
from annotator.io.corpus.shards import CorpusError, Journal, ShardEntry
from annotator.io.corpus.work import BATCH_SIZE, Context, Partition, ShardData

ShardFn = Callable[["CorpusSummary"], None]


@dataclass(frozen=True)
class CorpusOptions:
    output: Path
    project: Path | None = None
    model: str | None = None  # None: the project's model, else the default
    scheduler: str | None = None  # a running cluster; None: a LocalCluster of ``workers``
    workers: int | None = None  # None: one per CPU core
    partition_docs: int = PARTITION_DOCS
    retries: int = 2
    batch_size: int = BATCH_SIZE
    text_field: str = "text"
    text_column: str = "text"


@dataclass
class CorpusSummary:
    model: str = ""
    workers: int = 0
    dashboard: str | None = None
    documents: int = 0
    suggestions: int = 0
    shards: int = 0
    written: int = 0
    resumed: int = 0
    failed: list[tuple[str, str, str]] = field(default_factory=list)  # (shard, where, reason)
    read: ReadReport = field(default_factory=ReadReport)
    seconds: float = 0.0
    manifest: Path | None = None

    def text(self) -> str:
        rate = self.documents / self.seconds if self.seconds else 0.0
        where = f"{self.workers} worker{'' if self.workers == 1 else 's'}"
        out = (f"pre-annotated {self.documents} documents into {self.shards} shards"
               f" ({self.written} written, {self.resumed} already done) on {where}:"
               f" {self.suggestions} suggestions; {self.model}; {self.seconds:.1f} s"
               f" ({rate:.0f} docs/s)")
        problems = []
        if self.failed:
            problems.append(f"{len(self.failed)} shard{'' if len(self.failed) == 1 else 's'} failed")
        if self.read.bad_files:
            problems.append(f"{len(self.read.bad_files)} input file(s) skipped")
        if self.read.bad_records:
            problems.append(f"{self.read.bad_records} record(s) skipped")
        return out + ("; " + ", ".join(problems) if problems else "")

    def problems(self) -> list[str]:
        """One line per bad file, bad record (the first few) and failed shard."""
        lines = [f"skipped {path}: {reason}" for path, reason in self.read.bad_files]
        lines += [f"skipped {where}: {reason}" for where, reason in self.read.examples]
        more = self.read.bad_records - len(self.read.examples)
        if more > 0:
            lines.append(f"... and {more} more bad records")
        lines += [f"failed {name} ({where}): {reason}" for name, where, reason in self.failed]
        return lines


def build_context(options: CorpusOptions) -> tuple[Context, dict[str, Any]]:
    """The pipeline's inputs besides the texts, and the settings a rerun must match."""
    from annotator.core.schema import load_schema
    from annotator.nlp.gazetteer import gazetteer_entries, memory_entries
    from annotator.nlp.model import resolve_model

    memory: tuple = ()
    model = options.model
    if options.project is not None:
        from annotator.core.store import Project

        with Project.open(options.project) as project:
            schema = project.schema
            memory = tuple(memory_entries(project))
            model = model if model is not None else project.config.get("model")
    else:
        schema = load_schema()
    context = Context(model=model, labels=tuple(schema.labels),
                      label_map=tuple(sorted(schema.model_label_map.items())), memory=memory,
                      batch_size=options.batch_size)
    gazetteer = json.dumps([asdict(e) for e in gazetteer_entries()], ensure_ascii=False)
    settings = {
        "format": shards.FORMAT, "version": shards.VERSION,
        "model": resolve_model(model).describe(), "model_requested": model,
        "schema": schema.name, "schema_sha256": _sha(schema.to_json()),
        "gazetteer_sha256": _sha(gazetteer), "memory_entries": len(memory),
        "memory_sha256": context.memory_digest(), "partition_docs": options.partition_docs,
        "batch_size": context.batch_size, "chunk_chars": context.chunk_chars,
        "text_field": options.text_field, "text_column": options.text_column,
    }
    return context, settings


def preannotate_corpus(
    inputs: Sequence[str], options: CorpusOptions, *,
    on_start: ShardFn | None = None, on_shard: ShardFn | None = None,
    task: Any = None,
) -> CorpusSummary:
    """Pre-annotate ``inputs`` into shards under ``options.output``; see the module doc.

    ``on_start`` is called once the workers hold the pipeline, ``on_shard`` after every
    shard written or found done (both with the running summary). ``task`` replaces the
    Dask task function (tests inject failures with it).
    """
    started = time.perf_counter()
    if options.partition_docs < 1 or options.retries < 0:
        raise CorpusError("--partition-docs must be at least 1 and --retries at least 0")
    context, settings = build_context(options)
    out = options.output
    sources = list_sources(inputs, exclude=out)
    if not sources:
        raise CorpusError("no input files found")
    shards.claim_output(out, settings)
    shards.remove_stale_temps(out)
    journal = Journal(out)
    summary = CorpusSummary(model=settings["model"])
    names: list[str] = []

    from annotator.io.corpus import cluster  # Dask is imported here, and only here

    workers = options.workers or os.cpu_count() or 1
    with cluster.connect(scheduler=options.scheduler, workers=workers) as client:
        plugin = cluster.register(client, context)
        summary.workers = cluster.worker_count(client)
        summary.dashboard = cluster.dashboard(client, local=not options.scheduler)
        if on_start:
            on_start(summary)

        def count(entry: ShardEntry, *, resumed: bool) -> None:
            summary.shards += 1
            summary.documents += entry.documents
            summary.suggestions += entry.suggestions
            if resumed:
                summary.resumed += 1
            else:
                summary.written += 1
            if on_shard:
                on_shard(summary)

        def skip(p: Partition) -> bool:
            names.append(p.name)
            entry = journal.verified(p.name, p.digest(), out)
            if entry is not None:
                count(entry, resumed=True)
            return entry is not None

        def done(p: Partition, data: ShardData) -> None:
            if data.model != summary.model:
                failed(p, CorpusError(f"a worker has {data.model}, not {summary.model}"))
                return
            shards.write_atomic(out / p.name, data.data)
            entry = ShardEntry(p.name, p.digest(), hashlib.sha256(data.data).hexdigest(),
                               data.documents, data.suggestions, p.where())
            journal.add(entry)
            count(entry, resumed=False)

        def failed(p: Partition, exc: BaseException) -> None:
            reason = str(exc).splitlines()[0] if str(exc) else ""
            summary.failed.append((p.name, p.where(), f"{type(exc).__name__}: {reason}"))
            if on_shard:
                on_shard(summary)

        docs = read_documents(sources, summary.read, text_field=options.text_field,
                              text_column=options.text_column)
        cluster.run_tasks(client, plugin, partitions(docs, size=options.partition_docs),
                          skip=skip, on_done=done, on_failed=failed, retries=options.retries,
                          window=max(4, 2 * max(summary.workers, 1) + 2),
                          **({"task": task} if task is not None else {}))
    summary.seconds = round(time.perf_counter() - started, 3)
    summary.manifest = _write_manifest(out, inputs, settings, summary, journal, names)
    return summary


def _write_manifest(out: Path, inputs: Sequence[str], settings: dict[str, Any],
                    summary: CorpusSummary, journal: Journal, names: list[str]) -> Path:
    failed = {name for name, _, _ in summary.failed}
    entries = [journal.entries[n].to_dict() for n in names
               if n not in failed and n in journal.entries]
    return shards.write_manifest(out, {
        "created": now(), "complete": not summary.failed, **settings,
        "inputs": {"given": list(inputs), "files": summary.read.files,
                   "documents": summary.read.documents,
                   "bad_files": [{"path": p, "reason": r} for p, r in summary.read.bad_files],
                   "bad_records": summary.read.bad_records},
        "counts": {"documents": sum(e["documents"] for e in entries),
                   "suggestions": sum(e["suggestions"] for e in entries),
                   "shards": len(entries), "failed": len(summary.failed)},
        "shards": entries,
        "failed": [{"shard": n, "where": w, "reason": r} for n, w, r in summary.failed],
    })


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
