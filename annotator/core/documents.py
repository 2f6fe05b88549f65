"""The documents table seen from a project: adding, reading, listing and counting documents,
and their stored tokens. ``Project`` inherits these methods; they need only its connection
(``conn``), ``write()`` and the row helpers ``_all``/``_one``."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from annotator.core.errors import EditError
from annotator.core.models import STATUSES, Document, now
from annotator.core.text import normalize_text, text_hash
from annotator.core.tokens import pack_tokens, unpack_tokens

if TYPE_CHECKING:
    import sqlite3
    from contextlib import AbstractContextManager

DOC_COLUMNS = "id, name, source_path, text_hash, status, assignee, meta, n_chars, created_at, updated_at"


@dataclass(slots=True)
class DocRow:
    """One line of the document list."""

    id: int
    name: str
    status: str
    n_spans: int
    n_suggested: int
    assignee: str | None


class DocumentTable:
    """Document methods of ``Project`` (a mixin: it has no state of its own)."""

    conn: sqlite3.Connection

    def write(self) -> AbstractContextManager[Any]:  # pragma: no cover - Project's
        raise NotImplementedError

    def _all(self, sql: str, args: Sequence[Any] = ()) -> list[dict[str, Any]]:  # pragma: no cover
        raise NotImplementedError

    def _one(self, sql: str, args: Sequence[Any] = ()) -> dict[str, Any] | None:  # pragma: no cover
        raise NotImplementedError

    def add_document(
        self,
        name: str,
        text: str,
        *,
        source_path: str | None = None,
        meta: dict[str, Any] | None = None,
        tokens: Sequence[tuple[int, int]] | None = None,
        status: str = "todo",
    ) -> int | None:
        """Insert one document; returns its id, or None when the same text is already stored."""
        text = normalize_text(text)
        h = text_hash(text)
        ts = now()
        with self.write():
            cur = self.conn.execute(
                # only a duplicate text is ignored; a CHECK failure must still raise
                "INSERT INTO documents (name, source_path, text_hash, status, meta,"
                " n_chars, created_at, updated_at, text, tokens) VALUES (?,?,?,?,?,?,?,?,?,?)"
                " ON CONFLICT (text_hash) DO NOTHING",
                (name, source_path, h, status, json.dumps(meta or {}, ensure_ascii=False),
                 len(text), ts, ts, text, pack_tokens(tokens) if tokens is not None else None),
            )
        return cur.lastrowid if cur.rowcount else None

    def document_id_by_hash(self, h: str) -> int | None:
        row = self.conn.execute("SELECT id FROM documents WHERE text_hash = ?", (h,)).fetchone()
        return row[0] if row else None

    def document(self, doc_id: int, *, with_text: bool = True) -> Document:
        cols = DOC_COLUMNS + (", text" if with_text else "")
        row = self._one(f"SELECT {cols} FROM documents WHERE id = ?", (doc_id,))
        if row is None:
            raise EditError(f"no document {doc_id}")
        return Document.from_row(row)

    def text(self, doc_id: int) -> str:
        row = self.conn.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise EditError(f"no document {doc_id}")
        return row[0]

    def iter_documents(
        self, *, status: str | Sequence[str] | None = None, with_text: bool = True, batch: int = 200
    ) -> Iterator[Document]:
        """Stream documents in id order, ``batch`` rows at a time (memory stays flat)."""
        cols = DOC_COLUMNS + (", text" if with_text else "")
        where, args = _status_filter(status)
        last = -1
        while True:
            rows = self._all(
                f"SELECT {cols} FROM documents WHERE id > ? {where} ORDER BY id LIMIT ?",
                (last, *args, batch),
            )
            if not rows:
                return
            for row in rows:
                yield Document.from_row(row)
            last = rows[-1]["id"]

    def list_documents(
        self,
        *,
        status: str | Sequence[str] | None = None,
        offset: int = 0,
        limit: int = 200,
        name_like: str | None = None,
    ) -> list[DocRow]:
        """A page of the document list with span counts (gold layer)."""
        where, args = _status_filter(status)
        if name_like:
            where += " AND name LIKE ?"
            args = (*args, f"%{name_like}%")
        rows = self.conn.execute(
            "SELECT d.id, d.name, d.status, "
            "(SELECT COUNT(*) FROM spans s WHERE s.doc_id = d.id AND s.layer = '') AS n, "
            "(SELECT COUNT(*) FROM spans s WHERE s.doc_id = d.id AND s.layer = '' "
            " AND s.state = 'suggested') AS ns, d.assignee "
            f"FROM documents d WHERE 1=1 {where} ORDER BY d.id LIMIT ? OFFSET ?",
            (*args, limit, offset),
        ).fetchall()
        return [DocRow(*r) for r in rows]

    def count_documents(self, *, status: str | Sequence[str] | None = None) -> int:
        where, args = _status_filter(status)
        return self.conn.execute(f"SELECT COUNT(*) FROM documents WHERE 1=1 {where}", args).fetchone()[0]

    def status_counts(self) -> dict[str, int]:
        rows = self.conn.execute("SELECT status, COUNT(*) FROM documents GROUP BY status")
        counts = dict.fromkeys(STATUSES, 0)
        counts.update(dict(rows.fetchall()))
        return counts

    def next_document(
        self, after_id: int, *, statuses: Sequence[str] = ("todo", "in_progress")
    ) -> int | None:
        """The next unfinished document after ``after_id`` (wrapping round)."""
        marks = ",".join("?" * len(statuses))
        for cond, arg in (("id > ?", after_id), ("id < ?", after_id)):
            row = self.conn.execute(
                f"SELECT id FROM documents WHERE {cond} AND status IN ({marks}) ORDER BY id LIMIT 1",
                (arg, *statuses),
            ).fetchone()
            if row:
                return row[0]
        return None

    # ---- tokens --------------------------------------------------------------------------
    def tokens(self, doc_id: int) -> list[tuple[int, int]] | None:
        """Token (start, end) offsets stored for the document, or None if not computed yet."""
        row = self.conn.execute("SELECT tokens FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None or row[0] is None:
            return None
        return unpack_tokens(row[0])

    def set_tokens(self, doc_id: int, tokens: Sequence[tuple[int, int]]) -> None:
        with self.write():
            self.conn.execute(
                "UPDATE documents SET tokens = ? WHERE id = ?", (pack_tokens(tokens), doc_id)
            )


def _status_filter(status: str | Sequence[str] | None) -> tuple[str, tuple]:
    if status is None:
        return "", ()
    values = (status,) if isinstance(status, str) else tuple(status)
    return f" AND status IN ({','.join('?' * len(values))})", values


