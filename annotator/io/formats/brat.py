"""brat standoff: ``NAME.txt`` + ``NAME.ann`` per document in the output folder, and the reader.

``.txt`` is exactly the stored text (UTF-8, ``\\n``), so T offsets (code points) and the
third column (``text[start:end]``) hold. Spans crossing a newline are written as brat
fragments (``0 5;6 9``). Span ``source``/``state`` and attributes are A lines (Negated,
Modality, ...), a span's ``note`` is an ``AnnotatorNotes`` line; symmetric relations are
written once as R. brat has no place for document data, so name, annotator and status
go to a hidden ``.NAME.meta.json`` beside the pair (brat and folder imports skip hidden
files; the reader restores them from it).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.core.errors import ImportFileError
from annotator.io.formats.common import DocView, ExportContext, ExportError, ExportSummary
from annotator.io.formats.common import Writer as BaseWriter
from annotator.io.items import ImportItem, ItemError

FOLDER_OUTPUT = True
META_SUFFIX = ".meta.json"
_UNSAFE = re.compile(r"[^\w.\-]+")
LEFT_OUT = "attributes brat cannot hold (values with spaces, numbers, lists) left out"


class Writer(BaseWriter):
    def __init__(self, output: Path, summary: ExportSummary, ctx: ExportContext) -> None:
        super().__init__(output, summary, ctx)
        if output.exists() and not output.is_dir():
            raise ExportError(f"brat writes a folder of files: {output} is a file")
        output.mkdir(parents=True, exist_ok=True)
        self.used: set[str] = set()

    def write(self, view: DocView) -> None:
        stem = self._stem(view)
        _write_exact(self.output / f"{stem}.txt", view.text)
        _write_exact(self.output / f"{stem}.ann", "".join(f"{x}\n" for x in
                                                          ann_lines(view, self.summary)))
        _write_exact(meta_path(self.output / f"{stem}.txt"),
                     json.dumps(view.meta, ensure_ascii=False) + "\n")

    def close(self) -> list[Path]:
        conf = self.output / "annotation.conf"
        if self.ctx.schema is not None:
            _write_exact(conf, annotation_conf(self.ctx))
        return [self.output]

    def _stem(self, view: DocView) -> str:
        """A safe, unique file name: the document name without .txt; the id on a clash."""
        base = view.name[:-4] if view.name.lower().endswith(".txt") else view.name
        stem = _UNSAFE.sub("_", base).strip("._") or "doc"
        if stem.lower() in self.used:
            stem = f"{stem}-{view.id}"
        self.used.add(stem.lower())
        return stem


def _write_exact(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:  # no newline translation
        f.write(text)


def ann_lines(view: DocView, summary: ExportSummary) -> list[str]:
    lines: list[str] = []
    attrs: list[tuple[str, str, Any]] = []  # (target, name, value)
    notes: list[tuple[str, str]] = []
    for k, s in enumerate(view.spans, 1):
        frags = fragments(view.text, s.start, s.end)
        offsets = ";".join(f"{a} {b}" for a, b in frags)
        lines.append(f"T{k}\t{s.label} {offsets}\t{' '.join(view.text[a:b] for a, b in frags)}")
        attrs += [(f"T{k}", "source", s.source), (f"T{k}", "state", s.state)]
        for name, value in s.attrs.items():
            if name == "note" and isinstance(value, str) and value:
                notes.append((f"T{k}", value))
            else:
                attrs.append((f"T{k}", name, value))
    for k, r in enumerate(view.relations, 1):
        lines.append(f"R{k}\t{r.label} Arg1:T{r.head + 1} Arg2:T{r.child + 1}")
        for name, value in r.attrs.items():
            if name == "note" and isinstance(value, str) and value:
                notes.append((f"R{k}", value))
            else:
                attrs.append((f"R{k}", name, value))
    lines += _attr_lines(attrs, summary)
    for k, (target, note) in enumerate(notes, 1):
        if "\n" in note or "\t" in note:
            summary.note("notes with tabs or newlines flattened to spaces in brat")
            note = re.sub(r"[\t\n]+", " ", note)
        lines.append(f"#{k}\tAnnotatorNotes {target}\t{note}")
    return lines


def _attr_lines(attrs: list[tuple[str, str, Any]], summary: ExportSummary) -> list[str]:
    lines = []
    for target, name, value in attrs:
        brat_name = name[:1].upper() + name[1:]
        if value is True:
            lines.append(f"A{len(lines) + 1}\t{brat_name} {target}")
        elif value is False or value is None:
            continue  # absent means false / unset in brat
        elif isinstance(value, str) and value and not re.search(r"\s", value):
            lines.append(f"A{len(lines) + 1}\t{brat_name} {target} {value}")
        else:
            summary.note(LEFT_OUT, example=f"{name}={value!r}")
    return lines


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """brat T lines cannot hold a newline: a span across lines becomes fragments."""
    if "\n" not in text[start:end]:
        return [(start, end)]
    return [(start + m.start(), start + m.end()) for m in re.finditer(r"[^\n]+",
                                                                      text[start:end])]


def annotation_conf(ctx: ExportContext) -> str:
    """brat's configuration for the exported labels, relation types and attributes."""
    schema = ctx.schema
    assert schema is not None
    out = ["[entities]", *ctx.labels, "", "[relations]"]
    for r in schema.relations:
        out.append(f"{r.name}\tArg1:{'|'.join(sorted(r.head))}, Arg2:{'|'.join(sorted(r.child))}")
    out += ["<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>", "", "[events]", "",
            "[attributes]", "Source\tArg:<ENTITY>, Value:model|rule|human",
            "State\tArg:<ENTITY>, Value:suggested|accepted"]
    for kind, attrs in (("<RELATION>", schema.relation_attributes),
                        ("<ENTITY>", schema.span_attributes)):
        for a in attrs:
            if a.name == "note" or a.type == "string":
                continue
            name = a.name[:1].upper() + a.name[1:]
            values = f", Value:{'|'.join(a.values)}" if a.type == "enum" else ""
            out.append(f"{name}\tArg:{kind}{values}")
    return "\n".join(out) + "\n"


# ---- import ----------------------------------------------------------------------------------
@dataclass
class _Ann:
    spans: list[dict[str, Any]] = field(default_factory=list)
    relations: list[dict[str, Any]] = field(default_factory=list)
    ids: dict[str, tuple[str, int]] = field(default_factory=dict)  # T1 -> ("span", 0)
    errors: list[ItemError] = field(default_factory=list)


def read(path: Path) -> Iterator[ImportItem | ItemError]:
    """One document from a ``.txt`` and the ``.ann`` (and ``.meta.json``) beside it."""
    text = _read_text(path)
    ann_path = path.with_suffix(".ann")
    if not ann_path.exists():
        raise ImportFileError(f"no {ann_path.name} beside it (brat needs both files)")
    ann = parse_ann(_read_text(ann_path), text, ann_path.name)
    yield from ann.errors
    meta = _read_meta(path)
    name = str(meta.pop("doc", "") or path.name)
    status = meta.pop("status", None)
    yield ImportItem(name=name, text=text, meta=meta, spans=ann.spans, relations=ann.relations,
                     status=status)


def _read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise ImportFileError(f"cannot read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise ImportFileError("not UTF-8 text") from None


def meta_path(txt: Path) -> Path:
    """``NAME.txt`` -> ``.NAME.meta.json`` (hidden: not a document of its own)."""
    return txt.with_name(f".{txt.stem}{META_SUFFIX}")


def _read_meta(path: Path) -> dict[str, Any]:
    where = meta_path(path)
    if not where.exists():
        return {}
    try:
        meta = json.loads(_read_text(where))
    except json.JSONDecodeError as exc:
        raise ImportFileError(f"{where}: not valid JSON ({exc.msg})") from None
    return dict(meta) if isinstance(meta, dict) else {}


def parse_ann(source: str, text: str, where: str) -> _Ann:
    ann = _Ann()
    later: list[tuple[int, str]] = []  # attributes and notes need their targets first
    for n, line in enumerate(source.split("\n"), 1):
        if not line.strip():
            continue
        kind = line[:1]
        try:
            if kind == "T":
                _entity(ann, line, text)
            elif kind == "R":
                _relation(ann, line)
            elif kind in "AM#":
                later.append((n, line))
            else:
                raise ValueError(f"{_kind_name(kind)} lines are not imported")
        except (ValueError, KeyError, IndexError) as exc:
            ann.errors.append(ItemError(f"{where} line {n}", _msg(exc)))
    for n, line in later:
        try:
            if line[0] in "AM":
                _attribute(ann, line)
            else:
                _note(ann, line)
        except (ValueError, KeyError, IndexError) as exc:
            ann.errors.append(ItemError(f"{where} line {n}", _msg(exc)))
    return ann


def _msg(exc: Exception) -> str:
    return f"unknown annotation id {exc.args[0]}" if isinstance(exc, KeyError) else str(exc)


def _kind_name(kind: str) -> str:
    return {"E": "event", "*": "equivalence", "N": "normalization"}.get(kind, f"{kind!r}")


def _entity(ann: _Ann, line: str, text: str) -> None:
    ident, mid, span_text = line.split("\t", 2)
    label, offsets = mid.split(" ", 1)
    frags = [tuple(int(x) for x in part.split()) for part in offsets.split(";")]
    start, end = min(f[0] for f in frags), max(f[1] for f in frags)
    if not 0 <= start < end <= len(text):
        raise ValueError(f"{ident}: offsets {start}-{end} are outside the text")
    if " ".join(text[a:b] for a, b in frags) != span_text:
        raise ValueError(f"{ident}: {span_text!r} is not the text at {offsets}")
    ann.ids[ident] = ("span", len(ann.spans))
    ann.spans.append({"start": start, "end": end, "label": label})


def _relation(ann: _Ann, line: str) -> None:
    ident, mid = line.split("\t")[:2]
    label, *args = mid.split()
    roles = dict(a.split(":", 1) for a in args)
    head, child = (ann.ids[roles[r]] for r in ("Arg1", "Arg2"))
    ann.ids[ident] = ("relation", len(ann.relations))
    ann.relations.append({"head": head[1], "child": child[1], "label": label})


def _target(ann: _Ann, ident: str) -> dict[str, Any]:
    kind, k = ann.ids[ident]
    return ann.spans[k] if kind == "span" else ann.relations[k]


def _attribute(ann: _Ann, line: str) -> None:
    parts = line.split("\t")[1].split()
    name, target = parts[0][:1].lower() + parts[0][1:], _target(ann, parts[1])
    value: Any = parts[2] if len(parts) > 2 else True
    is_span = "start" in target
    if is_span and name in ("source", "state"):
        target[name] = value
    else:
        target.setdefault("attrs", {})[name] = value


def _note(ann: _Ann, line: str) -> None:
    _, mid, note = line.split("\t", 2)
    target = _target(ann, mid.split()[1])
    target.setdefault("attrs", {})["note"] = note
