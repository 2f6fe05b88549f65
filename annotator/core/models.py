"""Plain records for documents, spans and relations as the store returns them."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

STATUSES = ("todo", "in_progress", "done", "skipped")
OPEN_STATUSES = ("todo", "in_progress")  # not finished: pre-annotation and "next" look here
SOURCES = ("model", "rule", "human")
STATES = ("suggested", "accepted")
GOLD = ""  # the main layer; volunteers' merged layers are named after them


def now() -> str:
    """The timestamp format of every row and log entry (UTC, milliseconds)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass(slots=True)
class Document:
    id: int
    name: str
    source_path: str | None
    text_hash: str
    status: str
    assignee: str | None
    meta: dict[str, Any]
    n_chars: int
    created_at: str
    updated_at: str
    text: str | None = None  # None when listed without text

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Document:
        return cls(
            id=row["id"],
            name=row["name"],
            source_path=row["source_path"],
            text_hash=row["text_hash"],
            status=row["status"],
            assignee=row["assignee"],
            meta=json.loads(row["meta"] or "{}"),
            n_chars=row["n_chars"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
            text=row.get("text"),
        )


@dataclass(slots=True)
class Span:
    id: int
    doc_id: int
    start: int
    end: int
    label: str
    source: str = "human"
    state: str = "accepted"
    annotator: str = ""
    layer: str = GOLD
    attrs: dict[str, Any] = field(default_factory=dict)
    created_at: str = ""
    updated_at: str = ""

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Span:
        d = dict(row)
        d["attrs"] = json.loads(d.get("attrs") or "{}")
        return cls(**d)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Relation:
    id: int
    doc_id: int
    head_id: int
    child_id: int
    label: str
    attrs: dict[str, Any] = field(default_factory=dict)
    annotator: str = ""
    layer: str = GOLD
    created_at: str = ""
    updated_at: str = ""

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Relation:
        d = dict(row)
        d["attrs"] = json.loads(d.get("attrs") or "{}")
        return cls(**d)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
