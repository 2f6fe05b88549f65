"""What every reader yields: one document to import, with any annotations it carries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ImportItem:
    """One document from an input file.

    ``spans``: dicts with start, end (code points into ``text`` as given), label and
    optional source, state, attrs, annotator. ``relations``: dicts with head and child
    (indices into ``spans``), label and optional attrs. ``status`` is the document
    status to store when the source says so (e.g. an exported "done" document).
    """

    name: str
    text: str
    meta: dict[str, Any] = field(default_factory=dict)
    spans: list[dict[str, Any]] = field(default_factory=list)
    relations: list[dict[str, Any]] = field(default_factory=list)
    status: str | None = None
    tokens: list[tuple[int, int]] | None = None
    dropped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class ItemError:
    """A part of a file that could not be read (e.g. a broken JSONL line); the rest goes on."""

    where: str  # e.g. "line 7"
    reason: str
