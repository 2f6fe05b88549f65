"""Import files into a project: pick a reader per file, store what it yields, report the rest.

Every reader (plain ones in ``plain_readers``, annotated ones in ``annotator.io.formats``)
yields ``ImportItem`` / ``ItemError``; this module normalizes texts, computes tokens,
remaps annotation offsets onto the normalized text, and stores each file in one
transaction (a big JSONL file every ``BATCH`` documents), so a killed import never
leaves half a document. One bad file never stops the batch.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator.core.busy import write_retrying
from annotator.core.db import checkpoint
from annotator.core.errors import AnnotatorError, ImportFileError
from annotator.core.models import BULK, GOLD, RELATION_SOURCES, SOURCES, STATES, STATUSES, Relation
from annotator.core.store import Project, now
from annotator.core.text import OffsetMap, normalize_text, text_hash
from annotator.core.tokens import pack_tokens, tokenize_packed
from annotator.io import corpus_shards
from annotator.io.discover import collect_files, file_kind  # noqa: F401 - collect_files is API
from annotator.io.formats import BY_NAME, import_formats, import_names
from annotator.io.import_report import ImportReport
from annotator.io.items import ImportItem, ItemError, ReaderNote

BATCH = 500  # documents per transaction inside one big file
BATCH_CHARS = 2_000_000  # ... or this much text: the write lock is held for milliseconds
FORMATS = import_names()
ANNOTATED = tuple(f.name for f in import_formats() if f.annotated)
# brat keeps its settings next to the documents; a folder walk is not asking for them.
FILE_ERRORS = (AnnotatorError, OSError, UnicodeError, csv.Error, ValueError)

Entry = ImportItem | ItemError | ReaderNote
Reader = Callable[[Path], Iterable[Entry]]


# ---- the run -------------------------------------------------------------------------------
def import_paths(
    project: Project,
    files: list[Path],
    *,
    fmt: str = "auto",
    text_field: str = "text",
    text_column: str = "text",
    on_file: Callable[[Path], None] | None = None,
    with_tokens: bool = True,
) -> ImportReport:
    """Import ``files`` (see ``collect_files``); every file lands whole or is reported.

    ``with_tokens=False`` stores the text without its tokens (no spaCy import): they come
    from the first pre-annotation, which gets them free from its own tokenizer, or from
    ``ensure_tokens`` on first use. Opening the sample project uses it to show the window
    sooner.
    """
    if fmt not in FORMATS:
        raise ImportFileError(f"unknown import format {fmt!r} (one of {', '.join(FORMATS)})")
    report = ImportReport(files=len(files))
    given = {Path(os.path.abspath(f)) for f in files}
    for path in files:
        try:
            _import_file(project, path, report, fmt=fmt, text_field=text_field,
                         text_column=text_column, given=given, with_tokens=with_tokens)
        except FILE_ERRORS as exc:
            report.skipped.append((str(path), _reason(exc)))
        except Exception as exc:  # noqa: BLE001 - one broken file must not stop the batch
            report.skipped.append((str(path), f"unexpected error ({type(exc).__name__}: {exc})"))
        if on_file is not None:
            on_file(path)
    write_retrying(project, lambda: project.log_event("import", {
        "format": fmt, "files": report.files, "imported": report.n_imported,
        "duplicates": report.n_duplicates, "skipped": len(report.skipped),
        "dropped": len(report.dropped),
    }, summary=report.summary()))
    checkpoint(project.conn)  # bulk work reaches project.db itself
    return report


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    if isinstance(exc, csv.Error):
        return f"broken CSV ({exc})"
    if isinstance(exc, UnicodeError):
        return f"undecodable ({exc})"
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _import_file(project: Project, path: Path, report: ImportReport, *, fmt: str,
                 text_field: str, text_column: str, given: set[Path], with_tokens: bool) -> None:
    role = corpus_shards.role(path) if fmt in ("auto", "prodigy") else None
    if role is not None:  # a corpus run's output: shards keep their suggestions as suggestions
        if role == "shard":
            corpus_shards.import_shard(project, path, report)
        return  # the manifest itself is no document
    if path.suffix.lower() == ".ann" and fmt in ("auto", "brat"):
        txt = path.with_suffix(".txt")
        if Path(os.path.abspath(txt)) in given:
            return  # imported together with its .txt
        if not txt.is_file():
            raise ImportFileError("brat annotation file without its .txt")
        path, fmt = txt, "brat"
    if not path.exists():
        raise ImportFileError("no such file")
    if path.is_dir():
        raise ImportFileError("is a directory")
    reader = _reader(path, fmt, text_field=text_field, text_column=text_column)
    _store_file(project, path, reader(path), report, with_tokens=with_tokens)


def _reader(path: Path, fmt: str, *, text_field: str, text_column: str) -> Reader:
    kind = file_kind(path) if fmt == "auto" else fmt
    try:
        read = BY_NAME[kind].read_function()
    except ImportError as exc:  # a frozen bundle without the module: name it, go on
        name = f"annotator.io.formats.{kind}"
        if exc.name not in (name, "annotator.io.formats"):
            raise  # a real bug inside the module, not a missing format
        raise ImportFileError(f"{kind} import is not available (no module {name})") from None
    if kind == "jsonl":
        return lambda p: read(p, text_field=text_field)
    if kind == "csv":
        return lambda p: read(p, text_column=text_column)
    return read


# ---- storing -------------------------------------------------------------------------------
def _store_file(project: Project, path: Path, entries: Iterable[Entry],
                report: ImportReport, *, with_tokens: bool) -> None:
    """Store a file's items a batch at a time; report after each commit.

    A batch is prepared (normalized, tokenized) before its transaction starts, so the
    write lock is held only for the inserts: another window's edits wait milliseconds,
    not the seconds tokenizing takes. A batch that finds the project busy is rolled
    back and stored again (``write_retrying``).
    """
    it: Iterator[Entry] = iter(entries)
    index = 0
    while True:
        batch: list[_Prepared] = []
        chars = 0
        for entry in it:
            index += 1
            if isinstance(entry, ReaderNote):  # e.g. which CSV column holds the text
                report.decisions.append((str(path), entry.text))
                continue
            if isinstance(entry, ItemError):  # true whether or not the batch lands
                report.skipped.append((str(path), f"{entry.where}: {entry.reason}"))
                continue
            prepared = _prepare(path, entry, _key(path, entry, index), with_tokens=with_tokens)
            if isinstance(prepared, tuple):
                report.skipped.append(prepared)
                continue
            batch.append(prepared)
            chars += len(prepared.text)
            codec = entry.meta.get("encoding") if isinstance(entry.meta, dict) else None
            if isinstance(codec, str) and codec not in ("utf-8", "ascii"):
                report.legacy[str(path)] = codec  # a whole file read with an old code page
            if len(batch) >= BATCH or chars >= BATCH_CHARS:
                break
        if not batch:
            return
        pending = write_retrying(project, lambda b=batch: _store_batch(project, path, b))
        # Only now is the batch on disk: a rolled-back batch is never reported as imported.
        for name in ("imported", "duplicates", "skipped", "dropped", "notes"):
            getattr(report, name).extend(getattr(pending, name))


@dataclass
class _Prepared:
    item: ImportItem
    key: str
    text: str  # normalized
    tokens: bytes | None  # packed (pack_tokens)
    notes: list[tuple[str, str]]  # about the tokens, reported once the document is stored


def _prepare(path: Path, item: ImportItem, key: str, *,
             with_tokens: bool) -> _Prepared | tuple[str, str]:
    if not isinstance(item.text, str) or not item.text.strip():
        return key, "empty text"
    text = normalize_text(item.text)
    if not text.strip():
        return key, "empty text"
    # Whatever a reader let through must not fail inside the batch's transaction (that
    # would cost every other document of the batch): check it can be stored first.
    try:
        text.encode("utf-8")
        json.dumps(_json_safe(item.meta), ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return key, "holds a lone surrogate (e.g. \\ud800): not Unicode text"
    except (RecursionError, ValueError, TypeError):
        return key, "its metadata cannot be stored (nested too deeply?)"
    notes = ImportReport()
    own = _own_tokens(item, text, key, notes)
    tokens = pack_tokens(own) if own is not None else (
        tokenize_packed(text) if with_tokens else None)
    return _Prepared(item, key, text, tokens, notes.notes)


def _store_batch(project: Project, path: Path, batch: list[_Prepared]) -> ImportReport:
    pending = ImportReport()
    for prepared in batch:
        _store_item(project, path, prepared, pending)
    return pending


def _key(path: Path, item: ImportItem, index: int) -> str:
    where = getattr(item, "where", "")
    if where:
        return f"{path}#{where.split()[-1]}"
    return str(path) if item.name == path.name else f"{path}#{index}"


def _store_item(project: Project, path: Path, prepared: _Prepared, report: ImportReport) -> int:
    """Store one document with its annotations; returns 1 if a document was added."""
    item, key, text = prepared.item, prepared.key, prepared.text
    status = item.status or "todo"
    if status not in STATUSES:
        report.dropped.append((key, f"unknown status {status!r}; stored as todo"))
        status = "todo"
    doc_id = project.add_document(
        str(item.name or path.name), text, source_path=str(path), meta=_json_safe(item.meta),
        tokens=prepared.tokens, status=status,
    )
    if doc_id is None:
        report.duplicates.append((key, _duplicate_reason(project, text)))
        return 0
    report.imported.append((key, doc_id))
    report.dropped += [(key, reason) for reason in item.dropped]
    report.notes += prepared.notes + [(key, note) for note in item.notes]
    if item.spans:
        _store_annotations(project, doc_id, item, text, key, report)
    return 1


def _own_tokens(item: ImportItem, text: str, key: str,
                report: ImportReport) -> list[tuple[int, int]] | None:
    """The file's own tokens on the stored text (a task that brings tokens is not re-tokenized);
    None when it has none or they do not fit the text (then they are computed, and noted)."""
    if item.tokens is None:
        return None
    remap = OffsetMap(item.text, text)
    out: list[tuple[int, int]] = []
    last = 0
    for start, end in item.tokens:
        new = remap.span(start, end) if 0 <= start < end <= len(item.text) else None
        if new is None or new[0] < last or not text[new[0]:new[1]].strip():
            report.notes.append((key, "its tokens do not fit the text; re-tokenized"))
            return None
        out.append(new)
        last = new[1]
    return out


def _json_safe(meta: dict[str, Any] | None) -> dict[str, Any]:
    try:
        json.dumps(meta or {})
        return dict(meta or {})
    except (TypeError, ValueError):
        # Readers may pass dates or other objects: keep them, as text.
        return json.loads(json.dumps(meta, default=str))


def _duplicate_reason(project: Project, text: str) -> str:
    row = project.conn.execute(
        "SELECT id, name FROM documents WHERE text_hash = ?", (text_hash(text),)
    ).fetchone()
    where = f" ({row[1]}, id {row[0]})" if row else ""
    return f"same text as an existing document{where}"


# ---- annotations ---------------------------------------------------------------------------
def _store_annotations(project: Project, doc_id: int, item: ImportItem, text: str, key: str,
                       report: ImportReport) -> None:
    remap = OffsetMap(item.text, text)
    rows, index = _span_rows(project, doc_id, item, text, remap, key, report)
    if not rows:
        return
    project.insert_spans(rows)
    ids = [r[0] for r in project.conn.execute(
        "SELECT id FROM spans WHERE doc_id = ? ORDER BY id", (doc_id,))]
    stored = {i: (ids[j], rows[j]) for i, j in index.items()}
    _insert_relations(project, doc_id, item, stored, key, report)


def _span_rows(project: Project, doc_id: int, item: ImportItem, text: str, remap: OffsetMap,
               key: str, report: ImportReport) -> tuple[list[dict[str, Any]], dict[int, int]]:
    """Validated span rows, and item span index -> row index for the spans kept."""
    rows: list[dict[str, Any]] = []
    index: dict[int, int] = {}
    seen: set[tuple[int, int, str, str]] = set()
    for i, span in enumerate(item.spans):
        try:
            row = _span_row(project, doc_id, span, text, remap)
            dedupe = (row["start"], row["end"], row["label"], row["layer"])
            if dedupe in seen:
                raise ValueError("the same span is listed twice")
            if not project.schema.allow_overlap and _overlaps(row, rows):
                raise ValueError("overlaps another span (the schema forbids overlaps)")
        except (ValueError, TypeError, KeyError, AnnotatorError) as exc:
            report.dropped.append((key, f"span {_span_name(span)}: {exc}"))
            continue
        seen.add(dedupe)
        index[i] = len(rows)
        rows.append(row)
    return rows, index


def _span_row(project: Project, doc_id: int, span: dict[str, Any], text: str,
              remap: OffsetMap) -> dict[str, Any]:
    start, end, label = span["start"], span["end"], span["label"]
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end):
        raise ValueError("offsets are not a non-empty range")
    if end > len(remap.original):
        raise ValueError(f"outside the text (length {len(remap.original)})")
    new = remap.span(start, end)
    if new is None:
        raise ValueError("its edges fall inside characters changed by text normalization")
    if isinstance(span.get("text"), str) and text[new[0]:new[1]] != normalize_text(span["text"]):
        raise ValueError(f"its text {span['text']!r} does not match the document there")
    if label not in project.schema.labels:
        raise ValueError(f"unknown label {label!r}")
    source, state = span.get("source") or "human", span.get("state") or "accepted"
    if source not in SOURCES or state not in STATES:
        raise ValueError(f"bad source/state {source}/{state}")
    attrs = span.get("attrs") or {}
    if not isinstance(attrs, dict):
        raise ValueError("attrs must be an object")
    project.schema.check_attrs(attrs, relation=False)
    layer = span.get("layer") or GOLD
    return {"doc_id": doc_id, "start": new[0], "end": new[1], "label": label, "source": source,
            "state": state, "annotator": str(span.get("annotator") or ""),
            "layer": str(layer), "attrs": attrs,
            "review": BULK if span.get("review") == BULK and state == "accepted" else ""}


def _overlaps(row: dict[str, Any], rows: list[dict[str, Any]]) -> bool:
    return any(r["layer"] == row["layer"] and r["start"] < row["end"] and row["start"] < r["end"]
               for r in rows)


def _span_name(span: Any) -> str:
    if not isinstance(span, dict):
        return repr(span)[:40]
    return f"{span.get('start')}-{span.get('end')} {span.get('label')}"


def _insert_relations(project: Project, doc_id: int, item: ImportItem,
                      stored: dict[int, tuple[int, dict[str, Any]]], key: str,
                      report: ImportReport) -> None:
    seen: set[tuple[int, int, str]] = set()
    ts = now()
    for rel in item.relations:
        try:
            head, child, label, attrs = _check_relation(project, rel, stored, seen)
        except (ValueError, TypeError, KeyError, AnnotatorError) as exc:
            report.dropped.append((key, f"relation {_relation_name(rel)}: {exc}"))
            continue
        attrs = dict(attrs)
        state, source = attrs.pop("state", "accepted"), attrs.pop("source", "human")
        if state not in STATES or source not in RELATION_SOURCES:  # an export's suggestion
            state, source = "accepted", "human"
        project.insert_relation_row(Relation(
            id=0, doc_id=doc_id, head_id=head[0], child_id=child[0], label=label, attrs=attrs,
            annotator=str(rel.get("annotator") or head[1]["annotator"]), layer=head[1]["layer"],
            created_at=ts, updated_at=ts, state=state, source=source,
        ))


def _check_relation(project: Project, rel: dict[str, Any],
                    stored: dict[int, tuple[int, dict[str, Any]]],
                    seen: set[tuple[int, int, str]]) -> tuple[Any, Any, str, dict[str, Any]]:
    h, c, label = rel["head"], rel["child"], rel["label"]
    for end in (h, c):
        if not isinstance(end, int) or isinstance(end, bool):
            raise ValueError("head and child must be span indices")
        if end not in stored:
            raise ValueError(f"span #{end} does not exist or was not stored")
    head, child = stored[h], stored[c]
    if head[0] == child[0]:
        raise ValueError("head and child are the same span")
    if head[1]["layer"] != child[1]["layer"]:
        raise ValueError("head and child are in different layers")
    project.schema.check_relation(label, head[1]["label"], child[1]["label"])
    attrs = rel.get("attrs") or {}
    if not isinstance(attrs, dict):
        raise ValueError("attrs must be an object")
    project.schema.check_attrs(attrs, relation=True)
    rtype = project.schema.relation(label)
    pairs = [(head[0], child[0])] + ([(child[0], head[0])] if rtype and rtype.symmetric else [])
    if any((a, b, label) in seen for a, b in pairs):
        raise ValueError("the same relation is listed twice")
    seen.add((head[0], child[0], label))
    return head, child, label, attrs


def _relation_name(rel: Any) -> str:
    if not isinstance(rel, dict):
        return repr(rel)[:40]
    return f"{rel.get('label')} {rel.get('head')}->{rel.get('child')}"
