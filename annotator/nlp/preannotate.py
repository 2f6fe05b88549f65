"""Pre-annotation run: read documents from the store, tag them, write suggestions back.

Documents go through ``nlp.pipe`` in batches inside ``memory_zone``s (memory stays flat
over any corpus size); each batch is one transaction (a cancelled or crashed run leaves
whole documents either fully suggested or untouched). Long texts are cut into chunks
(``annotator.nlp.chunks``) and their offsets shifted back.

Re-running is safe: human and accepted spans are never touched and nothing is
suggested over them; suggestions are never duplicated (see ``annotator.nlp.reconcile``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, closing
from dataclasses import asdict, dataclass, field, replace
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core import firstrun, history
from annotator.core.busy import write_retrying
from annotator.core.db import checkpoint
from annotator.core.errors import AnnotatorError
from annotator.core.models import GOLD, STATUSES, Document
from annotator.nlp.chunks import CHUNK_CHARS, split_text
from annotator.nlp.gazetteer import Entry, add_ruler, known_texts, memory_entries
from annotator.nlp.model import ModelChoice, has_parser, load_pipeline, resolve_model
from annotator.nlp.reconcile import existing_spans, reconcile, rejected_suggestions
from annotator.nlp.relations import Parsed, Relater, from_doc
from annotator.nlp.relations.memory import relation_memory
from annotator.nlp.relations.write import store_relations
from annotator.nlp.suggest import Suggestion, suggestions

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from annotator.core.store import Project

DEFAULT_STATUSES = ("todo", "in_progress")
BATCH_CHARS = 1_000_000  # a batch also ends here, so one commit / cancel step stays short
ZONE_CHARS = 2_000_000  # text tagged per spaCy memory zone (see _batches)

ProgressFn = Callable[[int, int], None]
StopFn = Callable[[], bool]


class PreannotateError(AnnotatorError):
    """Pre-annotation cannot start (bad options)."""


@dataclass(frozen=True)
class Options:
    model: str | None = None  # None: the project's configured model
    n_process: int = 1
    batch_size: int = 64
    statuses: tuple[str, ...] = DEFAULT_STATUSES
    chunk_chars: int = CHUNK_CHARS
    relations: bool = True  # suggest relations too (loads the parser); False: entities only


@dataclass
class Summary:
    """What a run did; logged as the "preannotate" event and shown by the CLI/GUI."""

    model: str = ""
    note: str = ""
    statistical: bool = True  # False: no spaCy model, suggestions from the gazetteer only
    total: int = 0
    documents: int = 0
    words: int = 0
    suggested: int = 0
    by_source: dict[str, int] = field(default_factory=lambda: {"model": 0, "rule": 0})
    skipped: int = 0
    replaced: int = 0  # old machine suggestions replaced by project-memory ones
    relations: int = 0  # relation suggestions stored
    relations_by_source: dict[str, int] = field(default_factory=dict)  # verb/pattern/memory
    run_id: str = ""  # stored on this run's relation suggestions (undo a whole run)
    tokens_stored: int = 0
    linked: int = 0  # mentions suggested an actor (annotator.nlp.linking)
    cancelled: bool = False
    seconds: float = 0.0
    run_id: str = ""  # the history entry; its spans carry it (undo takes the run back)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def describe(self) -> str:
        """The run's line in the history and the Undo menu."""
        if not self.documents:
            return f"pre-annotation ({self.model})"
        return (f"pre-annotation ({self.model}): {self.suggested} suggestions in"
                f" {self.documents} documents" + (" (cancelled)" if self.cancelled else ""))

    def text(self) -> str:
        verb = "cancelled after" if self.cancelled else "pre-annotated"
        return (f"{verb} {self.documents} of {self.total} documents: {self.suggested} suggestions"
                f" (model {self.by_source['model']}, rule {self.by_source['rule']}),"
                f" {self.skipped} already there, {self.replaced} replaced;"
                f"{self._relations_text()} {self.model};"
                f" {self.seconds:.1f} s")


    def _relations_text(self) -> str:
        if not self.relations:
            return ""
        parts = ", ".join(f"{k} {v}" for k, v in sorted(self.relations_by_source.items()))
        return f" {self.relations} relation suggestions ({parts});"


@dataclass
class DocResult:
    doc_id: int
    suggestions: list[Suggestion] = field(default_factory=list)
    parses: list[Parsed] = field(default_factory=list)  # for the relation step
    token_blobs: list[bytes] = field(default_factory=list)
    words: int = 0
    chars: int = 0


def parse_statuses(value: str | Sequence[str]) -> tuple[str, ...]:
    """"todo,in_progress" -> ("todo", "in_progress"), checked against the known statuses."""
    items = value.split(",") if isinstance(value, str) else list(value)
    out = tuple(s.strip() for s in items if s.strip())
    bad = [s for s in out if s not in STATUSES]
    if bad or not out:
        raise PreannotateError(f"status must be among {', '.join(STATUSES)}, not {value!r}")
    return out


class Preannotator:
    """A pipeline ready for one project: model (or blank) + gazetteer + the project's memory."""

    def __init__(self, nlp: Language, choice: ModelChoice, *, labels: Sequence[str],
                 label_map: dict[str, str], relater: Relater | None = None) -> None:
        self.nlp = nlp
        self.relater = relater if has_parser(nlp) else None
        self.choice = choice
        self.labels = frozenset(labels)
        self.label_map = dict(label_map)
        self.known = known_texts()
        self.same_tokenizer = _same_tokenizer(nlp)

    @classmethod
    def for_project(cls, project: Project, *, model: str | None = None,
                    relations: bool = True) -> Preannotator:
        return cls.build(model if model is not None else project.config.get("model"),
                         labels=project.schema.labels, label_map=project.schema.model_label_map,
                         memory=memory_entries(project), project_dir=project.path,
                         relater=Relater(project.schema) if relations else None)

    @classmethod
    def build(cls, model: str | None, *, labels: Sequence[str], label_map: dict[str, str],
              memory: Iterable[Entry] = (), project_dir: Path | None = None,
              relater: Relater | None = None) -> Preannotator:
        """The same pipeline from plain data, no store (a corpus worker builds it once)."""
        choice = resolve_model(model, project_dir=project_dir)
        nlp = load_pipeline(choice, relations=relater is not None)
        add_ruler(nlp, labels=labels, memory=memory)
        if choice.from_project:  # trained on the schema: it predicts the schema's labels
            label_map = {**label_map, **{label: label for label in labels}}
        return cls(nlp, choice, labels=labels, label_map=label_map, relater=relater)

    def suggest(self, doc: Doc) -> list[Suggestion]:
        out = suggestions(doc, label_map=self.label_map, labels=self.labels, known=self.known)
        if self.choice.from_project:  # say which of the team's models suggested it
            tag = self.choice.project_tag
            out = [replace(s, attrs={**s.attrs, "model": tag}) if s.source == "model" else s
                   for s in out]
        return out

    def annotate(self, texts: Iterable[str], *, batch_size: int = 64,
                 chunk_chars: int = CHUNK_CHARS) -> Iterator[list[Suggestion]]:
        """Suggestions for plain texts (tests, tools); no memory zone, no store."""
        for res in self._results(_plain_docs(texts), n_process=1, batch_size=batch_size,
                                 chunk_chars=chunk_chars):
            yield res.suggestions

    def tag(self, texts: Sequence[str], *, batch_size: int = 64,
            chunk_chars: int = CHUNK_CHARS) -> list[DocResult]:
        """Suggestions and tokens of plain texts, in order (``doc_id`` = index), inside one
        memory zone: a pure function of the texts and this pipeline (corpus partitions)."""
        with self.nlp.memory_zone():
            return list(self._results(_plain_docs(texts), n_process=1, batch_size=batch_size,
                                      chunk_chars=chunk_chars))

    # ---- tagging ---------------------------------------------------------------------------
    def _results(self, docs: Iterable[Document], *, n_process: int, batch_size: int,
                 chunk_chars: int) -> Iterator[DocResult]:
        items = ((chunk, (d.id, off, off + len(chunk) >= len(d.text or "")))
                 for d in docs for off, chunk in split_text(d.text or "", size=chunk_chars))
        current: DocResult | None = None
        for doc, (doc_id, offset, last) in self.nlp.pipe(
            items, as_tuples=True, batch_size=batch_size, n_process=n_process
        ):
            if current is None or current.doc_id != doc_id:
                current = DocResult(doc_id)
            current.suggestions += [s.shifted(offset) for s in self.suggest(doc)]
            if self.relater is not None:
                current.parses.append(from_doc(doc, offset))
            blob, n = _token_blob(doc, offset)
            current.token_blobs.append(blob)
            current.words += n
            current.chars += len(doc.text)
            if last:
                yield current
                current = None


def _plain_docs(texts: Iterable[str]) -> Iterator[Document]:
    return (Document(i, "", None, "", "todo", None, {}, len(t), "", "", t)
            for i, t in enumerate(texts))


def preannotate_project(
    project: Project, options: Options = Options(), *, pre: Preannotator | None = None,
    on_progress: ProgressFn | None = None, should_stop: StopFn | None = None,
) -> Summary:
    """Pre-annotate the project's documents with the given statuses; returns what it did."""
    started = time.perf_counter()
    statuses = parse_statuses(options.statuses)
    if options.n_process < 1 or options.batch_size < 1:
        raise PreannotateError("--n-process and --batch-size must be at least 1")
    pre = pre or Preannotator.for_project(project, model=options.model,
                                          relations=options.relations)
    summary = Summary(model=pre.choice.describe(), note=pre.choice.note,
                      statistical=pre.choice.statistical,
                      total=project.count_documents(status=statuses))
    relater = pre.relater if options.relations else None
    if relater is not None:  # what annotators decided up to now, including since the last run
        relater.memory = relation_memory(project)
    if on_progress:
        on_progress(0, summary.total)  # the model is loaded: the GUI leaves its "loading" state
    _refresh_actors(project)  # its own step, before the run's: Undo takes the run first
    # One history entry for the whole run, written before its first batch: every span it
    # writes carries the run's id, so the run can be undone (and redone) as a whole.
    summary.run_id = history.start_run(project, "preannotate", summary.describe(),
                                       {"statuses": list(statuses), "model": summary.model})
    # closing(): an error while storing ends the memory zone and worker processes at once
    try:
        with closing(_batches(pre, project, options, statuses, should_stop, summary)) as batches:
            for batch in batches:
                _store_retrying(project, batch, summary, pre, relater)
                summary.documents += len(batch)
                if on_progress:
                    on_progress(summary.documents, summary.total)
        from annotator.nlp.linking import RegistryError, link_project  # actors of the suggestions

        try:
            summary.linked = link_project(project, statuses=statuses, run_id=summary.run_id).linked
        except RegistryError as exc:  # a broken actors.json must not undo the run: say so
            summary.note = "; ".join(x for x in (summary.note, f"actors not linked: {exc}") if x)
    except BaseException:
        history.end_run(summary.run_id)  # what it stored stays undoable as a whole
        raise
    summary.seconds = round(time.perf_counter() - started, 3)
    write_retrying(project, lambda: history.finish_run(
        project, summary.run_id, summary.describe(),
        {**summary.to_dict(), "statuses": list(statuses)}))
    if not summary.cancelled:
        firstrun.finish(project, firstrun.FIRST_PREANNOTATION)  # a cancelled one resumes
    checkpoint(project.conn)  # bulk work reaches project.db itself
    return summary


def _refresh_actors(project: Project) -> None:
    """Registry-made actors nobody edited take the registry's current kb ids."""
    from annotator.nlp.linking import RegistryError, load_registry, refresh_from_registry

    try:
        refresh_from_registry(project, load_registry(project.path))
    except RegistryError:
        pass  # the linking step says so in the run's note


def _batches(pre: Preannotator, project: Project, options: Options, statuses: tuple[str, ...],
             should_stop: StopFn | None, summary: Summary) -> Iterator[list[DocResult]]:
    """Tagged documents, a batch at a time; no Doc outlives the memory zone it was made in.

    A zone spans batches up to ZONE_CHARS of text: spaCy 3 makes lexemes on demand and a
    zone frees them on exit, so a zone per small batch would rebuild the lexemes of the
    same common words over and over (measured: ~7% of the run); ZONE_CHARS bounds what
    one zone can grow to, so memory stays flat over any corpus size.
    """
    docs = project.iter_documents(status=statuses, batch=options.batch_size)
    kw: dict[str, Any] = {"batch_size": options.batch_size, "chunk_chars": options.chunk_chars}
    groups = _groups(docs, options.batch_size)
    shared: Iterator[DocResult] | None = None
    if options.n_process > 1:
        # One long nlp.pipe (starting worker processes per batch would be slow); the main
        # process rebuilds each Doc only when it is pulled, inside the current zone.
        flat = (d for group in groups for d in group)
        shared = pre._results(flat, n_process=options.n_process, **kw)
    zone, zone_chars = ExitStack(), 0
    try:
        while not (should_stop and should_stop()):
            if zone_chars == 0:
                zone = ExitStack()
                zone.enter_context(pre.nlp.memory_zone())
            if shared is not None:
                batch = list(islice(shared, options.batch_size))
            else:  # one process: a fresh nlp.pipe per batch, so no Doc crosses a zone's end
                batch = list(pre._results(next(groups, []), n_process=1, **kw))
            if not batch:
                return
            zone_chars += sum(r.chars for r in batch)
            if zone_chars >= ZONE_CHARS:
                zone.close()  # the batch holds plain data only: its Docs are gone
                zone_chars = 0
            yield batch
        summary.cancelled = True
    finally:
        zone.close()
        if shared is not None:
            shared.close()  # stops the worker processes of a cancelled run


def _groups(docs: Iterator[Document], size: int) -> Iterator[list[Document]]:
    """Documents in groups of ``size`` documents or about BATCH_CHARS characters."""
    group: list[Document] = []
    chars = 0
    for d in docs:
        group.append(d)
        chars += d.n_chars
        if len(group) >= size or chars >= BATCH_CHARS:
            yield group
            group, chars = [], 0
    if group:
        yield group


# ---- writing -------------------------------------------------------------------------------
def _store_retrying(project: Project, batch: list[DocResult], summary: Summary,
                    pre: Preannotator, relater: Relater | None) -> None:
    """One batch in one transaction; stored again when an import or a window is writing."""
    def attempt() -> Summary:
        trial = replace(summary, by_source=dict(summary.by_source),
                        relations_by_source=dict(summary.relations_by_source))
        _store(project, batch, trial, pre)
        if relater is not None:
            _store_relations(project, batch, trial, relater)
        return trial  # counted only once the batch is on disk

    done = write_retrying(project, attempt)
    for name in summary.__dataclass_fields__:
        setattr(summary, name, getattr(done, name))


def _store(project: Project, batch: list[DocResult], summary: Summary, pre: Preannotator) -> None:
    ids = [r.doc_id for r in batch]
    existing = existing_spans(project, ids)
    rejected = rejected_suggestions(project, ids)
    rows, replaced = [], []
    for res in batch:
        gone = rejected.get(res.doc_id, set())
        keep, drop = reconcile(res.suggestions, existing[res.doc_id], gone)
        summary.skipped += len(res.suggestions) - len(keep)
        summary.words += res.words
        replaced += drop
        for s in keep:
            summary.by_source[s.source] += 1
            rows.append({"doc_id": res.doc_id, "start": s.start, "end": s.end, "label": s.label,
                         "source": s.source, "state": "suggested", "annotator": project.annotator,
                         "layer": GOLD, "attrs": s.attrs, "run_id": summary.run_id})
    if replaced:
        history.park_spans(project, replaced, summary.run_id, "removed")
        marks = ",".join("?" * len(replaced))
        project.conn.execute(f"DELETE FROM spans WHERE id IN ({marks})", replaced)
        summary.replaced += len(replaced)
    if rows:
        summary.suggested += project.insert_spans(rows)
    summary.tokens_stored += _store_tokens(project, batch, pre)


def _store_relations(project: Project, batch: list[DocResult], summary: Summary,
                     relater: Relater) -> None:
    docs = [(r.doc_id, r.parses[0] if len(r.parses) == 1 else Parsed.concat(r.parses))
            for r in batch if r.parses]
    for kind, n in store_relations(project, docs, relater, run_id=summary.run_id).items():
        summary.relations += n
        summary.relations_by_source[kind] = summary.relations_by_source.get(kind, 0) + n


def _store_tokens(project: Project, batch: list[DocResult], pre: Preannotator) -> int:
    """Token offsets for documents that have none yet (the project's tokenizer decides)."""
    from annotator.core.tokens import pack_tokens, tokenize

    ids = [r.doc_id for r in batch]
    marks = ",".join("?" * len(ids))
    missing = {row[0] for row in project.conn.execute(
        f"SELECT id FROM documents WHERE tokens IS NULL AND id IN ({marks})", ids)}
    if not missing:
        return 0
    # The pipeline's own tokens when its tokenizer is the project's (the usual case: free);
    # otherwise the project tokenizer runs again, so stored tokens never depend on the model.
    rows = [(b"".join(r.token_blobs) if pre.same_tokenizer
             else pack_tokens(tokenize(project.text(r.doc_id))), r.doc_id)
            for r in batch if r.doc_id in missing]
    project.conn.executemany("UPDATE documents SET tokens = ? WHERE id = ?", rows)
    return len(rows)


def _token_blob(doc: Doc, offset: int) -> tuple[bytes, int]:
    """Non-space token offsets packed like ``store.pack_tokens`` (int32 start, end pairs)."""
    import numpy as np
    from spacy.attrs import IDX, IS_SPACE, LENGTH

    if len(doc) == 0:
        return b"", 0
    arr = doc.to_array([IDX, LENGTH, IS_SPACE])
    arr = arr[arr[:, 2] == 0]
    pairs = np.empty((len(arr), 2), dtype=np.int32)
    pairs[:, 0] = arr[:, 0] + offset
    pairs[:, 1] = arr[:, 0] + arr[:, 1] + offset
    return pairs.tobytes(), len(arr)


def _same_tokenizer(nlp: Language) -> bool:
    from annotator.core.tokens import tokenizer_nlp

    def rules(n: Language) -> bytes:
        return n.tokenizer.to_bytes(exclude=["vocab"])

    try:
        return rules(nlp) == rules(tokenizer_nlp())
    except (AttributeError, NotImplementedError, ValueError):
        return False
