"""The one format registry: every import and export format, what it reads and writes.

The CLI's ``--format`` choices, the importer's kind detection, the exporter, the selftest
and the GUI's export dialog / import filter all read ``FORMATS``. Readers and writers
are named as ``module:attribute`` and imported on first use, so spaCy is only loaded
when a DocBin is written.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

Reader = Callable[..., Iterable[Any]]


@dataclass(frozen=True)
class Format:
    """One format. ``name`` is the import ``--format``; ``export_as`` the export ``--format``."""

    name: str
    description: str
    suffixes: tuple[str, ...]  # file suffixes read on import ("" = no suffix); first = export default
    reader: str | None = None  # "module:function" reading one file into ImportItems
    writer: str | None = None  # "module:Writer" for export
    folder_output: bool = False  # the export is a folder (brat, hf) rather than one file
    export_as: str | None = None  # the export name when it differs (Prodigy is exported as "jsonl")
    variants: tuple[str, ...] = ()  # export --variant choices, the first is the default
    annotated: bool = False  # files carry annotations (not plain text to pre-annotate)

    @property
    def export_name(self) -> str | None:
        return (self.export_as or self.name) if self.writer else None

    def read_function(self) -> Reader:
        assert self.reader is not None, f"{self.name} cannot be imported"
        return _resolve(self.reader)

    def writer_class(self) -> Any:
        assert self.writer is not None, f"{self.name} cannot be exported"
        return _resolve(self.writer)

    def module(self) -> Any:
        """The module holding the writer (optional hooks such as ``split_paths``)."""
        assert self.writer is not None
        return importlib.import_module(_qualified(self.writer.split(":")[0]))


def _qualified(module: str) -> str:
    return module if "." in module else f"annotator.io.formats.{module}"


def _resolve(ref: str) -> Any:
    module, attr = ref.split(":")
    return getattr(importlib.import_module(_qualified(module)), attr)


_PLAIN = "annotator.io.plain_readers"
FORMATS: tuple[Format, ...] = (
    Format("txt", "Plain text", (".txt", ".md", ".markdown", ".text", ""), f"{_PLAIN}:read_txt"),
    Format("html", "HTML (visible text)", (".html", ".htm", ".xhtml"), f"{_PLAIN}:read_html"),
    Format("jsonl", "JSONL with a text field", (".jsonl", ".ndjson", ".json"),
           f"{_PLAIN}:read_jsonl"),
    Format("csv", "CSV/TSV with a text column", (".csv", ".tsv"), f"{_PLAIN}:read_csv"),
    Format("prodigy", "Prodigy JSONL (spans, relations, tokens)", (".jsonl", ".json"),
           "prodigy:read", "prodigy:Writer", export_as="jsonl", annotated=True),
    Format("spacy", "spaCy DocBin (.spacy) for spacy train", (".spacy",), None,
           "spacy_docbin:Writer"),
    Format("doccano", "doccano JSONL", ("-doccano.jsonl", ".jsonl"), "doccano:read",
           "doccano:Writer", variants=("relation", "relation-overlap", "sequence",
                                       "sequence-overlap"), annotated=True),
    Format("brat", "brat standoff (.txt + .ann folder)", ("-brat", ".txt", ".ann"), "brat:read",
           "brat:Writer", folder_output=True, variants=("plain", "provenance"), annotated=True),
    Format("conll", "CoNLL-2003 (token POS chunk NER; entities only)",
           (".conll", ".iob", ".bio"), "conll:read", "conll:Writer",
           variants=("conll2003", "spacy", "tsv"), annotated=True),
    Format("hf", "Hugging Face token classification (datasets folder)", ("-hf", ".jsonl"),
           "hf:read", "hf:Writer", folder_output=True, annotated=True),
)
BY_NAME: dict[str, Format] = {f.name: f for f in FORMATS}


def export_formats() -> tuple[Format, ...]:
    """The formats that can be exported, in menu order."""
    return tuple(f for f in FORMATS if f.writer)


def export_names() -> tuple[str, ...]:
    """The export ``--format`` choices (jsonl spacy doccano brat conll hf)."""
    return tuple(f.export_name for f in export_formats() if f.export_name)


def export_format(name: str) -> Format | None:
    """The format exported under ``name`` (``jsonl`` is Prodigy)."""
    return next((f for f in export_formats() if f.export_name == name), None)


def import_formats() -> tuple[Format, ...]:
    return tuple(f for f in FORMATS if f.reader)


def import_names() -> tuple[str, ...]:
    """The import ``--format`` choices, ``auto`` first."""
    return ("auto", *(f.name for f in import_formats()))


def import_suffixes() -> tuple[str, ...]:
    """Every suffix the importer reads (for a file dialog)."""
    out: list[str] = []
    for f in import_formats():
        out += [s for s in f.suffixes if s.startswith(".") and s.count(".") == 1 and s not in out]
    return tuple(out)


def import_filter() -> str:
    """A Qt file-dialog filter of every importable file type."""
    return f"Importable files ({' '.join('*' + s for s in import_suffixes())});;All files (*)"


def output_suffix(fmt: Format) -> str:
    """The default output name's ending: a suffix, or a folder name ending (brat, hf)."""
    return fmt.suffixes[0] if fmt.suffixes else ""


def export_menu() -> dict[str, tuple[str, str]]:
    """export name -> (menu text, default output ending), in menu order, for the export dialog."""
    return {f.export_name: (f.description, output_suffix(f)) for f in export_formats()
            if f.export_name}


def reads_back(name: str) -> str | None:
    """The import name that reads what export ``name`` writes (None: export only)."""
    fmt = export_format(name)
    return fmt.name if fmt is not None and fmt.reader else None

