"""Which files an import reads, and which format each one is: folders walked (hidden
entries, brat's .conf files and the .ann half of a brat pair, README/LICENSE left out),
the format told by the suffix through the format registry."""

from __future__ import annotations

import os
from pathlib import Path

from annotator.core.errors import ImportFileError
from annotator.io import plain_readers
from annotator.io.formats import BY_NAME

TEXT_SUFFIXES = BY_NAME["txt"].suffixes
HTML_SUFFIXES = BY_NAME["html"].suffixes
JSON_SUFFIXES = BY_NAME["jsonl"].suffixes
CSV_SUFFIXES = BY_NAME["csv"].suffixes
CONLL_SUFFIXES = BY_NAME["conll"].suffixes
BRAT_CONFIG = frozenset({"annotation.conf", "visual.conf", "tools.conf", "kb_shortcuts.conf"})
# A corpus folder's README/LICENSE (brat's sample corpora, a dataset card) are not documents.
CORPUS_FILES = frozenset({"readme", "license", "licence", "copying", "notice", "authors",
                          "changes", "changelog", "citation"})


# ---- which files ---------------------------------------------------------------------------
def collect_files(paths: list[Path]) -> list[Path]:
    """Files to import: directories walked recursively (sorted; hidden entries, brat's
    ``.conf`` files and the ``.ann`` halves of brat pairs left out); other paths kept as
    given, missing ones too, so ``import_paths`` reports them."""
    out: list[Path] = []
    seen: set[Path] = set()
    for p in paths:
        for f in _walk(p) if p.is_dir() else [p]:
            key = Path(os.path.abspath(f))
            if key not in seen:
                seen.add(key)
                out.append(f)
    return out


def _walk(root: Path) -> list[Path]:
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]  # prunes the walk
        base = Path(dirpath)
        for name in filenames:
            f = base / name
            if name.startswith(".") or name in BRAT_CONFIG or _is_brat_ann(f) or not f.is_file() \
                    or name.split(".")[0].lower() in CORPUS_FILES:
                continue
            found.append(f)
    return sorted(found)


def _is_brat_ann(path: Path) -> bool:
    return path.suffix.lower() == ".ann" and path.with_suffix(".txt").is_file()


def file_kind(path: Path) -> str:
    """The import format a file's name (and, for JSON, its first records) says it has."""
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return "brat" if suffix == ".txt" and path.with_suffix(".ann").is_file() else "txt"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in JSON_SUFFIXES:
        return plain_readers.sniff_annotated(path) or "jsonl"
    if suffix in CSV_SUFFIXES:
        return "csv"
    if suffix in CONLL_SUFFIXES:
        return "conll"
    raise ImportFileError(f"unsupported file type {suffix!r} (use --format txt to read it as text)")
