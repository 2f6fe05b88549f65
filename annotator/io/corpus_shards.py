"""Corpus shards back into a project (``annotator import P DIR``): suggestions stay suggestions.

The shard folder's format as a reader needs it (the writer is ``annotator.io.corpus``,
which imports the names below; this module imports nothing of it, so the importer can
use it without a circle). The importer hands every file of a folder holding our
``manifest.json`` here (``role``).
A shard is checked against the manifest's sha256 first (a damaged or half-copied shard
is refused whole, with its reason), then streamed: ``BATCH`` documents with their
suggestions per transaction, texts deduplicated by hash as every import does, tokens
taken from the shard (no re-tokenizing), nothing kept per document, so memory stays
flat over millions of documents. Spans keep their source and stay ``suggested``: an
annotator accepts or rejects them like any pre-annotation.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core.db import next_span_ids
from annotator.core.errors import ImportFileError
from annotator.core.models import GOLD, now
from annotator.core.text import normalize_text

if TYPE_CHECKING:
    from annotator.core.store import Project
    from annotator.io.importer import ImportReport

FORMAT = "annotator-corpus-shards"
VERSION = 1
MANIFEST = "manifest.json"
BATCH = 500  # documents per transaction
SHARD_KEYS = frozenset({"text", "start", "end", "token_start", "token_end", "label", "source",
                        "state", "id"})
_manifests: dict[Path, tuple[int, dict[str, str]]] = {}  # folder -> (mtime, shard -> sha256)


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The manifest of a shard folder, or None when ``folder`` holds none of ours."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("format") == FORMAT else None


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def role(path: Path) -> str | None:
    """"manifest" or "shard" for the files of a corpus output folder, else None."""
    shards = _shard_sums(path.parent)
    if shards is None:
        return None
    if path.name == MANIFEST:
        return "manifest"
    return "shard" if path.suffix == ".jsonl" and path.name.startswith("shard-") else None


def _shard_sums(folder: Path) -> dict[str, str] | None:
    """The manifest's shard -> sha256 map (parsed once per folder, not once per shard)."""
    try:
        mtime = (folder / MANIFEST).stat().st_mtime_ns
    except OSError:
        return None
    cached = _manifests.get(folder)
    if cached is None or cached[0] != mtime:
        manifest = read_manifest(folder)
        if manifest is None:
            return None
        sums = {e["name"]: e["sha256"] for e in manifest.get("shards", [])
                if isinstance(e, dict) and "name" in e and "sha256" in e}
        cached = _manifests[folder] = (mtime, sums)
    return cached[1]


def import_shard(project: Project, path: Path, report: ImportReport) -> None:
    """Import one shard (already known to be one: ``role(path) == "shard"``)."""
    started = time.perf_counter()
    expected = (_shard_sums(path.parent) or {}).get(path.name)
    if expected is None:
        raise ImportFileError(f"not listed in its {MANIFEST} (left by another or unfinished run)")
    if sha256_file(path) != expected:
        raise ImportFileError(f"checksum does not match {MANIFEST} (damaged or changed since"
                              " it was written)")
    unknown: dict[str, int] = {}
    labels = frozenset(project.schema.labels)
    attrs_json: dict[tuple, str] = {}
    tasks = _tasks(path, report)
    finished = False
    while not finished:
        finished = True
        with project.bulk():
            batch = _Batch(project, labels, now(), unknown, attrs_json)
            n = 0
            for task in tasks:
                _store_task(project, path, task, report, batch)
                n += 1
                if n >= BATCH:
                    finished = False
                    break
            batch.flush(project)
        # counted once committed: a batch rolled back by an error is never reported
        report.streamed += batch.imported
        report.streamed_duplicates += batch.duplicates
    if unknown:
        names = ", ".join(sorted(unknown))
        report.dropped.append((str(path), f"{sum(unknown.values())} suggestions with labels"
                               f" not in the project's schema ({names})"))
    report.streamed_seconds += time.perf_counter() - started


def _tasks(path: Path, report: ImportReport) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                task = json.loads(line)
                if not isinstance(task, dict) or not isinstance(task.get("text"), str):
                    raise ValueError("a task needs a text field")
            except ValueError as exc:
                report.skipped.append((f"{path}#{n}", str(exc).splitlines()[0]))
                continue
            task["_line"] = n
            yield task


class _Batch:
    """Span rows and token blobs of one transaction, written with one statement each.

    The rows are ``Project.insert_spans``' own, but with each distinct attribute object
    encoded once (one json.dumps per span was a fifth of the import), and tokens packed
    with numpy here (``add_document`` packs them in a Python loop per token).
    """

    def __init__(self, project: Project, labels: frozenset[str], ts: str,
                 unknown: dict[str, int], attrs_json: dict[tuple, str]) -> None:
        self.labels, self.ts, self.unknown, self.attrs_json = labels, ts, unknown, attrs_json
        self.annotator = project.annotator
        self.spans: list[tuple] = []
        self.tokens: list[tuple[bytes, int]] = []
        self.imported = self.duplicates = 0

    def attrs(self, span: dict[str, Any]) -> str:
        if len(span) <= 6:  # text, start, end, label, source, state: no attributes
            return "{}"
        items = tuple((k, v) for k, v in span.items() if k not in SHARD_KEYS)
        if not items:
            return "{}"
        try:
            cached = self.attrs_json.get(items)
        except TypeError:  # unhashable values (lists): encoded each time
            return json.dumps(dict(items), ensure_ascii=False)
        if cached is None:
            if len(self.attrs_json) > 10_000:  # values unique per span: keep memory flat
                self.attrs_json.clear()
            cached = self.attrs_json[items] = json.dumps(dict(items), ensure_ascii=False)
        return cached

    def flush(self, project: Project) -> None:
        if self.spans:
            first = next_span_ids(project.conn, len(self.spans))  # never handed out twice
            project.conn.executemany(
                "INSERT INTO spans (id, doc_id, start, end, label, source, state, annotator,"
                " layer, attrs, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                ((first + i, *row) for i, row in enumerate(self.spans)))
        if self.tokens:
            project.conn.executemany("UPDATE documents SET tokens = ? WHERE id = ?", self.tokens)


def _store_task(project: Project, path: Path, task: dict[str, Any], report: ImportReport,
                batch: _Batch) -> None:
    text: str = task["text"]
    if not text.strip():
        report.skipped.append((f"{path}#{task['_line']}", "empty text"))
        return
    meta = dict(task.get("meta") or {})
    name = str(meta.pop("doc", "") or f"{path.stem}-{task['_line']}")
    doc_id = project.add_document(name, text, source_path=str(task.get("_source") or path),
                                  meta=meta)
    if doc_id is None:
        batch.duplicates += 1
        return
    batch.imported += 1
    if normalize_text(text) != text:  # offsets (tokens too) would not point into the stored text
        report.dropped.append((f"{path}#{task['_line']}", "text not normalized: suggestions left"
                               " out"))
        return
    blob = _token_blob(task.get("_tokens"), len(text))
    if blob is not None:
        batch.tokens.append((blob, doc_id))
    n, labels = len(text), batch.labels
    for s in task.get("spans") or []:
        try:
            start, end, label = int(s["start"]), int(s["end"]), str(s["label"])
        except (KeyError, TypeError, ValueError):
            continue
        if not 0 <= start < end <= n:
            continue
        if label not in labels:
            batch.unknown[label] = batch.unknown.get(label, 0) + 1
            continue
        source = s.get("source")
        batch.spans.append((doc_id, start, end, label,
                            source if source in ("model", "rule") else "model", "suggested",
                            batch.annotator, GOLD, batch.attrs(s), batch.ts, batch.ts))


def _token_blob(flat: Any, n_chars: int) -> bytes | None:
    """The shard's token offsets packed as the store keeps them (``core.tokens.pack_tokens``), or
    None when they look wrong (the document is then tokenized on first use)."""
    import numpy as np

    if not isinstance(flat, list) or len(flat) % 2:
        return None
    try:
        arr = np.asarray(flat, dtype=np.int64)
    except (TypeError, ValueError, OverflowError):
        return None
    if arr.ndim != 1 or (arr.size and (arr[0] < 0 or arr[-1] > n_chars or
                                       np.any(np.diff(arr)[0::2] <= 0) or
                                       np.any(np.diff(arr)[1::2] < 0))):
        return None  # each token non-empty, in order, inside the text
    return arr.astype(np.intc).tobytes()
