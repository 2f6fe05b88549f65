"""Corpus shards back into a project (``annotator import P DIR``): suggestions stay suggestions.

The importer hands every file of a folder holding our ``manifest.json`` here (``role``).
A shard is checked against the manifest's sha256 first (a damaged or half-copied shard
is refused whole, with its reason), then streamed: ``BATCH`` documents with their
suggestions per transaction, texts deduplicated by hash as every import does, tokens
taken from the shard (no re-tokenizing), nothing kept per document, so memory stays
flat over millions of documents. Spans keep their source and stay ``suggested``: an
annotator accepts or rejects them like any pre-annotation.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core.errors import ImportFileError
from annotator.core.models import GOLD
from annotator.core.text import normalize_text
from annotator.io.corpus.shards import MANIFEST, read_manifest, sha256_file

if TYPE_CHECKING:
    from annotator.core.store import Project
    from annotator.io.importer import ImportReport

BATCH = 500  # documents per transaction
SHARD_KEYS = frozenset({"text", "start", "end", "token_start", "token_end", "label", "source",
                        "state", "id"})
_manifests: dict[Path, tuple[int, dict[str, str]]] = {}  # folder -> (mtime, shard -> sha256)


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
    tasks = _tasks(path, report)
    finished = False
    while not finished:
        finished = True
        with project.bulk():
            rows: list[dict[str, Any]] = []
            n = 0
            for task in tasks:
                rows += _store_task(project, path, task, report, unknown)
                n += 1
                if n >= BATCH:
                    finished = False
                    break
            if rows:
                project.insert_spans(rows)
    if unknown:
        labels = ", ".join(sorted(unknown))
        report.dropped.append((str(path), f"{sum(unknown.values())} suggestions with labels"
                               f" not in the project's schema ({labels})"))
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


def _store_task(project: Project, path: Path, task: dict[str, Any], report: ImportReport,
                unknown: dict[str, int]) -> list[dict[str, Any]]:
    text: str = task["text"]
    if not text.strip():
        report.skipped.append((f"{path}#{task['_line']}", "empty text"))
        return []
    meta = dict(task.get("meta") or {})
    name = str(meta.pop("doc", "") or f"{path.stem}-{task['_line']}")
    doc_id = project.add_document(name, text, source_path=str(task.get("_source") or path),
                                  meta=meta, tokens=_tokens(task.get("_tokens"), len(text)))
    if doc_id is None:
        report.streamed_duplicates += 1
        return []
    report.streamed += 1
    if normalize_text(text) != text:  # offsets would not point into the stored text
        report.dropped.append((f"{path}#{task['_line']}", "text not normalized: suggestions left"
                               " out"))
        return []
    labels = project.schema.labels
    rows = []
    for s in task.get("spans") or []:
        try:
            start, end, label = int(s["start"]), int(s["end"]), str(s["label"])
        except (KeyError, TypeError, ValueError):
            continue
        if not 0 <= start < end <= len(text):
            continue
        if label not in labels:
            unknown[label] = unknown.get(label, 0) + 1
            continue
        source = s.get("source") if s.get("source") in ("model", "rule") else "model"
        rows.append({"doc_id": doc_id, "start": start, "end": end, "label": label,
                     "source": source, "state": "suggested", "annotator": project.annotator,
                     "layer": GOLD, "attrs": {k: v for k, v in s.items() if k not in SHARD_KEYS}})
    return rows


def _tokens(flat: Any, n_chars: int) -> list[tuple[int, int]] | None:
    """The shard's token offsets, or None (then tokenized on first use) if they look wrong."""
    if not isinstance(flat, list) or len(flat) % 2:
        return None
    pairs = list(zip(flat[0::2], flat[1::2], strict=True))
    prev = 0
    for s, e in pairs:
        if not (isinstance(s, int) and isinstance(e, int) and prev <= s < e <= n_chars):
            return None
        prev = e
    return pairs
