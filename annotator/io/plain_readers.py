"""Readers for plain (unannotated) inputs: txt/md, html, jsonl/json, csv/tsv.

Same contract as the annotated readers in ``annotator.io.formats``: ``read(path)``
yields ``ImportItem`` or ``ItemError`` and raises ``ImportFileError`` for the whole
file. Items carry ``where`` (e.g. "line 3") so the report can name them.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator.core.errors import ImportFileError
from annotator.io.decode import read_text
from annotator.io.html_text import has_markup, html_to_text, strip_stray_tags
from annotator.io.items import ImportItem, ItemError, ReaderNote
from annotator.io.lines import decoded_text, lines, open_lines

Entry = ImportItem | ItemError
MAX_DEPTH = 64  # JSON nesting kept in meta; deeper records are reported
_SURROGATE = re.compile("[\ud800-\udfff]")
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
    """(where, record or error) for every non-blank line / list element.

    JSONL is streamed and decoded line by line (``annotator.io.lines``); each record is
    validated here, so a bad one is reported with its line and never reaches the store.
    """
    if path.suffix.lower() == ".json":
        yield from _json_records(read_text(path).text)
        return
    lf = open_lines(path)
    for n, line, reason in lines(lf):
        where = f"line {n}"
        if line is None:
            yield where, ItemError(where, reason)
            continue
        line = line.rstrip("\r")
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield where, ItemError(where, f"not valid JSON ({exc.msg})")
            continue
        except RecursionError:
            yield where, ItemError(where, f"nested deeper than {MAX_DEPTH} levels")
            continue
        if not isinstance(record, dict):
            yield where, ItemError(where, f"not a JSON object (a {_json_type(record)})")
            continue
        problem = record_problem(record)
        if problem:
            yield where, ItemError(where, problem)
            continue
        if lf.legacy:
            record.setdefault("encoding", lf.encoding)
        yield where, record


def record_problem(value: Any) -> str | None:
    """Why a decoded JSON record cannot be stored (lone surrogates, deep nesting), or None."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return f"nested deeper than {MAX_DEPTH} levels"
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return "holds a lone surrogate (e.g. \\ud800): not Unicode text"
        elif isinstance(item, dict):
            for k, v in item.items():
                stack.append((k, depth + 1))
                stack.append((v, depth + 1))
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return None


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
TEXT_COLUMNS = ("text", "body", "content", "article", "full_text")  # the obvious ones, in order
SAMPLE_ROWS = 200  # rows read to find the longest string column


def read_csv(path: Path, *, text_column: str = "text") -> Iterator[Entry | ReaderNote]:
    """One document per row; the text from ``text_column``, the other columns as meta.

    Without a ``text`` column (and no other asked for) the text comes from the obvious one
    (body, content, article, full_text, any case), else the longest string column; a
    ``ReaderNote`` says which.

    Decoded line by line: a line that is not UTF-8 costs its row. The parser is strict,
    so a row it cannot parse (an unclosed quote would otherwise swallow every later row
    into one field) is reported, and parsing starts again on the next line.
    """
    _allow_large_fields()
    lf = open_lines(path)
    text, bad = decoded_text(lf)
    reader, column = _dict_reader(path, text, text_column)
    if column != text_column:
        yield ReaderNote(f"no {text_column!r} column: the text is column {column!r}")
        text_column = column
    fieldnames, dialect = reader.fieldnames, reader.dialect
    physical = io.StringIO(text, newline="").readlines()
    offset = 0  # physical lines before the current reader's start
    reported: set[int] = set()
    while True:
        last = reader.line_num
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            first = offset + last + 1  # the line where the broken row starts
            yield ItemError(f"line {first}", _csv_reason(exc))
            reported.add(first)
            offset = first
            reader = csv.DictReader(io.StringIO("".join(physical[first:]), newline=""),
                                    fieldnames=fieldnames, dialect=dialect, restkey="_extra",
                                    **_strict(dialect))
            continue
        start, end = offset + last + 1, offset + reader.line_num
        while start < end and not physical[start - 1].strip():
            start += 1  # the parser skipped blank lines (an undecodable line is one)
        broken = [n for n in range(start, end + 1) if n in bad]
        if broken:
            for n in broken:
                yield ItemError(f"line {n}", bad[n])
                reported.add(n)
            continue
        item = _row_item(path, f"line {start}", row, text_column)
        if lf.legacy and isinstance(item, ImportItem):
            item.meta["encoding"] = lf.encoding
        yield item
    for n in sorted(set(bad) - reported):  # bad lines the parser saw as blank rows
        yield ItemError(f"line {n}", bad[n])


def _csv_reason(exc: csv.Error) -> str:
    msg = str(exc)
    if "unexpected end of data" in msg or "EOF" in msg:
        return "unclosed quote: this row is left out, the next line read as a new row"
    return f"broken quote ({msg}): this row is left out, the next line read as a new row"


def _dict_reader(path: Path, text: str, text_column: str) -> tuple[csv.DictReader, str]:
    """A reader whose header holds ``text_column`` (the sniffed dialect, else the default),
    and the column; without it, the column ``_pick_column`` finds in the sniffed dialect."""
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
        reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect, restkey="_extra",
                                **_strict(dialect))
        try:
            header = reader.fieldnames or []
        except csv.Error:
            continue
        if text_column in header:
            return reader, text_column
        first = header if first is None else first
        picked = _pick_column(text, dialect, header) if text_column == TEXT_COLUMNS[0] else None
        if picked is not None:
            again = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect,
                                   restkey="_extra", **_strict(dialect))
            return again, picked
    columns = ", ".join(repr(c) for c in (first or [])) or "none"
    raise ImportFileError(f"no {text_column!r} column (columns: {columns}); use --text-column")


def _pick_column(text: str, dialect: type[csv.Dialect] | csv.Dialect,
                 header: list[str]) -> str | None:
    """The obvious text column of a header, else the one with the longest strings (words,
    not numbers) over the first rows; None for a one-column or empty header."""
    if len(header) < 2:
        return None
    lower = {h.strip().lower(): h for h in header if isinstance(h, str)}
    for name in TEXT_COLUMNS:
        if name in lower:
            return lower[name]
    sizes = dict.fromkeys(header, 0)
    rows = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect, restkey="_extra")
    try:
        for _, row in zip(range(SAMPLE_ROWS), rows, strict=False):
            for k, v in row.items():
                if k in sizes and isinstance(v, str) and not _numeric(v):
                    sizes[k] += len(v)
    except csv.Error:
        return None
    best = max(sizes, key=lambda k: sizes[k])
    return best if sizes[best] else None


def _numeric(value: str) -> bool:
    try:
        float(value.replace(",", ""))
    except ValueError:
        return False
    return True


def _strict(dialect: type[csv.Dialect] | csv.Dialect) -> dict[str, bool]:
    # The sniffer says doublequote=False when it saw no doubled quote; then a closing
    # quote followed by text is taken as text, and an unclosed quote is never noticed.
    # RFC 4180 quoting (doubled quotes), unless the file escapes with an escape char.
    return {"strict": True, "doublequote": dialect.escapechar is None or dialect.doublequote}


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
