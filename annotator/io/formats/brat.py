"""brat standoff: ``NAME.txt`` + ``NAME.ann`` per document in the output folder, and the reader.

``.txt`` is exactly the stored text (UTF-8, ``\n``), so T offsets (code points) and the
third column (``text[start:end]``) hold. Spans crossing a newline are written as brat
fragments (``0 5;6 9``); a newline at a span's edge cannot be in a T line and is left out
(counted). ``kb_id`` is an N line (``Wikidata:Q717``), ``note`` an ``AnnotatorNotes``
line, other attributes A lines (``Negated``, ``Modality``, ...); ``Source``/``State`` lines
only for spans that are not human/accepted, or for all with ``--variant provenance``.
``annotation.conf`` declares every label, relation type and attribute written, so brat's
verifier accepts the folder. Symmetric relations are written once as R. brat has no place
for document data, so name, annotator and status go to a hidden ``.NAME.meta.json`` beside
the pair (folder imports skip hidden files; the reader restores them from it). Reading is
in ``brat_ann``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.core.errors import ImportFileError
from annotator.io.formats.brat_ann import kb_to_brat, parse_ann
from annotator.io.formats.common import DocView, ExportContext, ExportError, ExportSummary
from annotator.io.formats.common import Writer as BaseWriter
from annotator.io.items import ImportItem, ItemError

Declared = dict[tuple[str, str], set[str]]  # (brat attribute name, "<ENTITY>"/...) -> values
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
        self.declared: Declared = {}

    def write(self, view: DocView) -> None:
        stem = self._stem(view)
        lines = ann_lines(view, self.summary, provenance=self.ctx.variant == "provenance",
                          declared=self.declared)
        _write_exact(self.output / f"{stem}.txt", view.text)
        _write_exact(self.output / f"{stem}.ann", "".join(f"{x}\n" for x in lines))
        _write_exact(meta_path(self.output / f"{stem}.txt"),
                     json.dumps(view.meta, ensure_ascii=False) + "\n")

    def close(self) -> list[Path]:
        conf = self.output / "annotation.conf"
        if self.ctx.schema is not None:
            _write_exact(conf, annotation_conf(self.ctx, self.declared))
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


def ann_lines(view: DocView, summary: ExportSummary, *, provenance: bool = False,
              declared: Declared | None = None) -> list[str]:
    """The .ann lines of a document; every attribute written is added to ``declared``."""
    lines: list[str] = []
    attrs: list[tuple[str, str, Any]] = []  # (target, name, value)
    notes: list[tuple[str, str, str]] = []  # (type, target, text)
    norms: list[tuple[str, str, str]] = []  # (target, RID:EID, span text)
    for k, s in enumerate(view.spans, 1):
        frags = fragments(view.text, s.start, s.end)
        if (frags[0][0], frags[-1][1]) != (s.start, s.end):
            summary.note("newlines at a span's edge left out (a brat T line cannot hold one)",
                         example=f"{view.name} {s.text!r}")
        offsets = ";".join(f"{a} {b}" for a, b in frags)
        shown = " ".join(view.text[a:b] for a, b in frags)
        lines.append(f"T{k}\t{s.label} {offsets}\t{shown}")
        if provenance or (s.source, s.state) != ("human", "accepted"):
            attrs += [(f"T{k}", "source", s.source), (f"T{k}", "state", s.state)]
        for name, value in s.attrs.items():
            if name == "kb_id" and isinstance(value, str) and value and " " not in value:
                norms.append((f"T{k}", kb_to_brat(value), shown))
            elif _is_note(name, value):
                notes.append((_note_type(name), f"T{k}", value))
            else:
                attrs.append((f"T{k}", name, value))
    for k, r in enumerate(view.relations, 1):
        lines.append(f"R{k}\t{r.label} Arg1:T{r.head + 1} Arg2:T{r.child + 1}")
        for name, value in r.attrs.items():
            if _is_note(name, value):
                notes.append((_note_type(name), f"R{k}", value))
            else:
                attrs.append((f"R{k}", name, value))
    lines += _attr_lines(attrs, summary, {} if declared is None else declared)
    lines += [f"N{k}\tReference {target} {ref}\t{shown}"
              for k, (target, ref, shown) in enumerate(norms, 1)]
    for k, (kind, target, note) in enumerate(notes, 1):
        if "\n" in note or "\t" in note:
            summary.note("notes with tabs or newlines flattened to spaces in brat")
            note = re.sub(r"[\t\n]+", " ", note)
        lines.append(f"#{k}\t{kind} {target}\t{note}")
    return lines


def _is_note(name: str, value: Any) -> bool:
    return (name == "note" or name.startswith("note_")) and isinstance(value, str) and bool(value)


def _note_type(name: str) -> str:
    return "AnnotatorNotes" if name == "note" else name[len("note_"):]


def _attr_lines(attrs: list[tuple[str, str, Any]], summary: ExportSummary,
                declared: Declared) -> list[str]:
    lines = []
    for target, name, value in attrs:
        brat_name = name[:1].upper() + name[1:]
        kind = "<ENTITY>" if target.startswith("T") else "<RELATION>"
        if value is True:
            lines.append(f"A{len(lines) + 1}\t{brat_name} {target}")
            declared.setdefault((brat_name, kind), set())
        elif value is False or value is None:
            continue  # absent means false / unset in brat
        elif isinstance(value, str) and re.fullmatch(r"[\w.+-]+", value) \
                and re.fullmatch(r"\w[\w-]*", brat_name):
            lines.append(f"A{len(lines) + 1}\t{brat_name} {target} {value}")
            declared.setdefault((brat_name, kind), set()).add(value)
        else:
            summary.note(LEFT_OUT, example=f"{name}={value!r}")
    return lines


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """brat T lines cannot hold a newline: a span across lines becomes fragments."""
    if "\n" not in text[start:end]:
        return [(start, end)]
    return [(start + m.start(), start + m.end()) for m in re.finditer(r"[^\n]+",
                                                                      text[start:end])]


def annotation_conf(ctx: ExportContext, declared: Declared | None = None) -> str:
    """brat's configuration: the exported labels, the relation types between them, and every
    attribute the schema defines or the export wrote (with its values)."""
    schema = ctx.schema
    assert schema is not None
    labels = set(ctx.labels)
    out = ["[entities]", *ctx.labels, "", "[relations]"]
    for r in schema.relations:
        head, child = sorted(r.head & labels), sorted(r.child & labels)
        if head and child:
            out.append(f"{r.name}\tArg1:{'|'.join(head)}, Arg2:{'|'.join(child)}")
    out += ["<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>", "", "[events]", "",
            "[attributes]"]
    table: dict[str, tuple[set[str], set[str] | None]] = {}  # name -> (kinds, values)

    def add(name: str, kind: str, values: set[str] | None) -> None:
        kinds, known = table.setdefault(name, (set(), set() if values is not None else None))
        kinds.add(kind)
        if values is not None:
            table[name] = (kinds, (known or set()) | values)

    add("Source", "<ENTITY>", {"model", "rule", "human"})
    add("State", "<ENTITY>", {"suggested", "accepted"})
    for kind, attrs in (("<RELATION>", schema.relation_attributes),
                        ("<ENTITY>", schema.span_attributes)):
        for a in attrs:
            if a.type in ("bool", "enum") and a.name != "note":
                add(a.name[:1].upper() + a.name[1:], kind,
                    set(a.values) if a.type == "enum" else None)
    for (name, kind), values in sorted((declared or {}).items()):
        add(name, kind, values or None)
    for name, (kinds, values) in table.items():
        spec = f"Arg:{'|'.join(sorted(kinds))}"
        if values:
            spec += f", Value:{'|'.join(sorted(values))}"
        out.append(f"{name}\t{spec}")
    return "\n".join(out) + "\n"


# ---- import ----------------------------------------------------------------------------------
def read(path: Path) -> Iterator[ImportItem | ItemError]:
    """One document from a ``.txt`` and the ``.ann`` (and ``.meta.json``) beside it; what the
    project cannot hold (events, equivalences, discontinuous spans) is named in the summary."""
    text = _read_text(path)
    ann_path = path.with_suffix(".ann")
    if not ann_path.exists():
        raise ImportFileError(f"no {ann_path.name} beside it (brat needs both files)")
    ann = parse_ann(_read_text(ann_path), text)
    meta = _read_meta(path)
    name = str(meta.pop("doc", "") or path.name)
    status = meta.pop("status", None)
    yield ImportItem(name=name, text=text, meta=meta, spans=ann.spans, relations=ann.relations,
                     status=status, dropped=[f"{ann_path.name} {d}" for d in ann.dropped],
                     notes=[f"{ann_path.name} {n}" for n in ann.notes])


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
