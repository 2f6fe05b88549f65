"""Corpus inputs: files or folders, local or any fsspec URL, read as ``annotator import`` reads them.

Each file goes through the importer's own reader choice (``importer._reader``: txt/md,
html, jsonl/json, csv/tsv, and the annotated formats for their text), the same decoding
(``decode``) and the same normalization (``normalize_text``), so a document's text, and
with it its text hash and its suggestions, is exactly what a project import would store.
A remote file is copied to a temporary local file of the same name first (the readers
look at the name and the bytes only). A file that cannot be read is reported with its
reason and the run goes on.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from glob import has_magic
from pathlib import Path

from annotator.core.text import normalize_text
from annotator.io.corpus.work import Doc, Partition
from annotator.io.discover import collect_files
from annotator.io.importer import FILE_ERRORS, _reader, _reason
from annotator.io.items import ItemError

PARTITION_DOCS = 500
PARTITION_CHARS = 4_000_000  # a partition also ends here: one task's payload stays a few MB
MAX_EXAMPLES = 20  # bad records named in the summary; the rest are counted


@dataclass(frozen=True)
class Source:
    """One input file: a local path, or an fsspec URL (``label`` is what reports show)."""

    label: str
    path: Path | None = None
    url: str | None = None


@dataclass
class ReadReport:
    files: int = 0
    documents: int = 0
    bad_files: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    bad_records: int = 0
    examples: list[tuple[str, str]] = field(default_factory=list)  # (file#line, reason)

    def record_error(self, where: str, reason: str) -> None:
        self.bad_records += 1
        if len(self.examples) < MAX_EXAMPLES:
            self.examples.append((where, reason))


def is_url(value: str) -> bool:
    return "://" in value and not value.startswith("file://")


def list_sources(inputs: Sequence[str], *, exclude: Path | None = None) -> list[Source]:
    """Every input file, folders walked as the importer walks them, in a stable order;
    nothing under ``exclude`` (the output folder: its shards are JSONL with texts too)."""
    skip = exclude.resolve() if exclude is not None else None
    out: list[Source] = []
    for value in inputs:
        if is_url(value):
            out += _remote_sources(value)
        else:
            path = Path(value.removeprefix("file://")).expanduser()
            out += [Source(str(p), path=p) for p in collect_files([path])
                    if skip is None or skip not in p.resolve().parents]
    return out


def _remote_sources(url: str) -> list[Source]:
    import fsspec

    fs, root = fsspec.core.url_to_fs(url)
    if has_magic(root):
        paths = sorted(fs.glob(root))
    elif fs.isdir(root):
        base = root.rstrip("/")
        paths = sorted(p for p in fs.find(root)
                       if not any(part.startswith(".") for part in p[len(base):].split("/")))
    else:
        paths = [root]
    return [Source(fs.unstrip_protocol(p), url=fs.unstrip_protocol(p)) for p in paths]


def read_documents(sources: Sequence[Source], report: ReadReport, *, text_field: str = "text",
                   text_column: str = "text",
                   on_file: Callable[[Source], None] | None = None) -> Iterator[Doc]:
    """The documents of every source in order; bad files and records go to ``report``."""
    for src in sources:
        report.files += 1
        try:
            if src.url is None:
                assert src.path is not None
                yield from _read_local(src.path, src.label, report, text_field, text_column)
            else:
                yield from _read_remote(src, report, text_field, text_column)
        except FILE_ERRORS as exc:
            report.bad_files.append((src.label, _reason(exc)))
        except Exception as exc:  # noqa: BLE001 - one broken file must not stop the run
            report.bad_files.append((src.label, f"unexpected error ({type(exc).__name__}: {exc})"))
        if on_file is not None:
            on_file(src)


def _read_remote(src: Source, report: ReadReport, text_field: str,
                 text_column: str) -> Iterator[Doc]:
    import fsspec

    assert src.url is not None
    name = src.url.rstrip("/").rsplit("/", 1)[-1] or "input"
    with tempfile.TemporaryDirectory(prefix="annotator-corpus-") as tmp:
        local = Path(tmp) / name
        with fsspec.open(src.url, "rb") as f, open(local, "wb") as out:
            shutil.copyfileobj(f, out)
        yield from _read_local(local, src.label, report, text_field, text_column)


def _read_local(path: Path, label: str, report: ReadReport, text_field: str,
                text_column: str) -> Iterator[Doc]:
    from annotator.core.errors import ImportFileError

    if not path.exists():
        raise ImportFileError("no such file")
    if path.is_dir():
        raise ImportFileError("is a directory")
    reader = _reader(path, "auto", text_field=text_field, text_column=text_column)
    for index, entry in enumerate(reader(path), start=1):
        if isinstance(entry, ItemError):
            report.record_error(f"{label}#{entry.where}", entry.reason)
            continue
        where = getattr(entry, "where", "")
        source = label if entry.name == path.name and not where else \
            f"{label}#{where.split()[-1] if where else index}"
        if not isinstance(entry.text, str) or not entry.text.strip():
            report.record_error(source, "empty text")
            continue
        report.documents += 1
        yield Doc(str(entry.name or path.name), source, normalize_text(entry.text),
                  dict(entry.meta or {}))


def partitions(docs: Iterator[Doc], *, size: int = PARTITION_DOCS,
               max_chars: int = PARTITION_CHARS) -> Iterator[Partition]:
    """Consecutive documents in partitions of ``size`` (or about ``max_chars`` characters)."""
    batch: list[Doc] = []
    chars = index = 0
    for d in docs:
        batch.append(d)
        chars += len(d.text)
        if len(batch) >= size or chars >= max_chars:
            yield Partition(index, batch)
            batch, chars, index = [], 0, index + 1
    if batch:
        yield Partition(index, batch)
