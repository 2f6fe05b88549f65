"""Readers for plain (unannotated) inputs: txt/md, html, jsonl/json, csv/tsv.

Same contract as the annotated readers in ``annotator.io.formats``: ``read(path)``
yields ``ImportItem`` or ``ItemError`` and raises ``ImportFileError`` for the whole
file. Items carry ``where`` (e.g. "line 3") so the report can name them.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator.core.errors import ImportFileError
from annotator.io.decode import read_text
from annotator.io.html_text import has_markup, html_to_text, strip_stray_tags
from annotator.io.items import ImportItem, ItemError

Entry = ImportItem | ItemError
SNIFF_RECORDS = 50  # records looked at to tell plain JSONL from an annotated format


@dataclass
class LocatedItem(ImportItem):
    """An item that knows where in its file it came from ("line 3"), for the report."""

    where: str = ""


# ---- txt / md --------------------------------------------------------------------------------
def read_txt(path: Path) -> Iterator[Entry]:
    decoded = read_text(path)
    meta: dict[str, Any] = {"encoding": decoded.encoding}
    text = decoded.text
    if has_markup(text):
        text = strip_stray_tags(text)
        meta["stripped_html"] = True
        if not text.strip():
            raise ImportFileError("empty file (only HTML tags)")
    yield ImportItem(name=path.name, text=text, meta=meta)


# ---- html --------------------------------------------------------------------------------
def read_html(path: Path) -> Iterator[Entry]:
    decoded = read_text(path, html=True)
    page = html_to_text(decoded.text)
    if not page.text.strip():
        raise ImportFileError("no visible text in the page")
    meta: dict[str, Any] = {"encoding": decoded.encoding}
    if page.title:
        meta["title"] = page.title
    yield ImportItem(name=path.name, text=page.text, meta=meta)


# ---- jsonl / json ------------------------------------------------------------------------
def read_jsonl(path: Path, *, text_field: str = "text") -> Iterator[Entry]:
    """One document per line (or per element of a ``.json`` list); bad lines are reported."""
    for where, record in _records(path):
        if isinstance(record, ItemError):
            yield record
        else:
            yield _record_item(path, where, record, text_field)


def _records(path: Path) -> Iterator[tuple[str, dict[str, Any] | ItemError]]:
    """(where, record or error) for every non-blank line / list element."""
    text = read_text(path).text
    if path.suffix.lower() == ".json":
        yield from _json_records(text)
        return
    # split("\n"), not splitlines(): JSON strings may hold raw U+2028 and friends.
    for n, line in enumerate(text.split("\n"), start=1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        where = f"line {n}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield where, ItemError(where, f"not valid JSON ({exc.msg})")
            continue
        if not isinstance(record, dict):
            yield where, ItemError(where, f"not a JSON object (a {_json_type(record)})")
            continue
        yield where, record


def _json_records(text: str) -> Iterator[tuple[str, dict[str, Any] | ItemError]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFileError(f"not valid JSON ({exc.msg}, line {exc.lineno})") from None
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise ImportFileError(f"a .json file must hold a list of objects, not a {_json_type(data)}")
    for n, record in enumerate(data, start=1):
        where = f"item {n}"
        if isinstance(record, dict):
            yield where, record
        else:
            yield where, ItemError(where, f"not a JSON object (a {_json_type(record)})")


def _record_item(path: Path, where: str, record: dict[str, Any], text_field: str) -> Entry:
    if text_field not in record:
        fields = ", ".join(sorted(record)) or "none"
        return ItemError(where, f"no {text_field!r} field (fields: {fields})")
    text = record[text_field]
    if not isinstance(text, str):
        return ItemError(where, f"field {text_field!r} is not text (a {_json_type(text)})")
    if not text.strip():
        return ItemError(where, f"empty {text_field!r} field")
    meta = {k: v for k, v in record.items() if k != text_field}
    return LocatedItem(name=_item_name(path, where, meta), text=text, meta=meta, where=where)


def _item_name(path: Path, where: str, meta: dict[str, Any]) -> str:
    for key in ("name", "id"):
        value = meta.get(key)
        if value not in (None, "") and not isinstance(value, dict | list):
            return str(value)
    return f"{path.name}#{where.split()[-1]}"


def _json_type(value: object) -> str:
    names = {dict: "object", list: "list", str: "string", bool: "boolean", type(None): "null"}
    return names.get(type(value), "number")


def sniff_annotated(path: Path) -> str | None:
    """"prodigy", "doccano" or "hf" when a JSONL/JSON file's records carry annotations."""
    seen = 0
    for _where, record in _records(path):
        if isinstance(record, ItemError):
            continue
        kind = annotated_kind(record)
        if kind:
            return kind
        seen += 1
        if seen >= SNIFF_RECORDS:
            break
    return None


def annotated_kind(record: dict[str, Any]) -> str | None:
    if isinstance(record.get("ner_tags"), list) and isinstance(record.get("tokens"), list):
        return "hf"  # Hugging Face token classification
    if isinstance(record.get("spans"), list) or isinstance(record.get("tokens"), list):
        return "prodigy"
    entities = record.get("entities")
    if isinstance(entities, list) and isinstance(record.get("relations"), list):
        return "doccano"  # a relation project's record, even one without entities
    if isinstance(entities, list) and any(
        isinstance(e, dict) and "start_offset" in e for e in entities
    ):
        return "doccano"
    label = record.get("label")
    if isinstance(label, list) and label and all(
        isinstance(x, list) and len(x) == 3 for x in label
    ):
        return "doccano"
    return None


# ---- csv / tsv ---------------------------------------------------------------------------
def read_csv(path: Path, *, text_column: str = "text") -> Iterator[Entry]:
    """One document per row; the text from ``text_column``, the other columns as meta."""
    _allow_large_fields()
    text = read_text(path).text
    reader = _dict_reader(path, text, text_column)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ImportFileError(f"broken CSV near line {reader.line_num}: {exc}") from None
        yield _row_item(path, f"line {reader.line_num}", row, text_column)


def _dict_reader(path: Path, text: str, text_column: str) -> csv.DictReader:
    """A reader whose header holds ``text_column``: the sniffed dialect, else the default."""
    dialects: list[type[csv.Dialect] | csv.Dialect] = []
    if path.suffix.lower() == ".tsv":
        dialects.append(csv.excel_tab)
    try:
        dialects.append(csv.Sniffer().sniff(text[:65536], delimiters=",;\t|"))
    except csv.Error:
        pass  # the sniffer gives up on one-column files; the defaults below still work
    dialects += [_delimited(d) for d in ",;\t|"]
    first: list[str] | None = None
    for dialect in dialects:
        reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect, restkey="_extra")
        try:
            header = reader.fieldnames or []
        except csv.Error:
            continue
        if text_column in header:
            return reader
        first = header if first is None else first
    columns = ", ".join(repr(c) for c in (first or [])) or "none"
    raise ImportFileError(f"no {text_column!r} column (columns: {columns}); use --text-column")


def _delimited(delimiter: str) -> type[csv.Dialect]:
    return type("Delimited", (csv.excel,), {"delimiter": delimiter})


def _row_item(path: Path, where: str, row: dict[str, Any], text_column: str) -> Entry:
    text = row.get(text_column)
    if not isinstance(text, str) or not text.strip():
        return ItemError(where, f"empty {text_column!r} column")
    meta = {k: v for k, v in row.items() if k != text_column and v is not None}
    return LocatedItem(name=_item_name(path, where, meta), text=text, meta=meta, where=where)


def _allow_large_fields() -> None:
    # Whole articles sit in one field; the default 128 KB limit is too small.
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:
            limit //= 10
