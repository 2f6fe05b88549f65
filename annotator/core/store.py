"""The project store: one directory, one SQLite database (WAL, foreign keys, migrations).

Reads return plain records (``models``); every write goes through ``Project.apply``
(one edit, one transaction, one log entry) or the bulk helpers used by import and
pre-annotation (one outer transaction for the whole batch).
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from annotator.core import history
from annotator.core.config import CONFIG_NAME, DB_NAME, project_dir, read_config, write_config
from annotator.core.db import connect, get_meta, migrate, seed_meta, set_meta, write_transaction
from annotator.core.edit import EditResult, Op
from annotator.core.errors import EditError, ProjectError
from annotator.core.models import GOLD, STATUSES, Document, Relation, Span, now
from annotator.core.schema import Schema, load_schema, parse_schema
from annotator.core.text import normalize_text, text_hash
from annotator.core.tokens import pack_tokens, unpack_tokens

# Names other modules import from here; they live in config/db/models/tokens now.
__all__ = [
    "CONFIG_NAME", "DB_NAME", "DocRow", "Project", "now", "pack_tokens", "project_dir",
    "read_config", "unpack_tokens", "write_config",
]
SPAN_COLUMNS = (
    "id, doc_id, start, end, label, source, state, annotator, layer, attrs, created_at, updated_at"
)
RELATION_COLUMNS = (
    "id, doc_id, head_id, child_id, label, attrs, annotator, layer, created_at, updated_at"
)
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


class Project:
    """An open project. Not thread-safe: open one per thread (WAL lets them share)."""

    def __init__(self, path: Path, db: sqlite_utils.Database, *, annotator: str = "") -> None:
        self.path = path
        self.db = db
        self.annotator = annotator
        self.config = read_config(path)
        self.schema: Schema = self._load_schema()
        self.created = False  # True when this open created the database

    # ---- opening -------------------------------------------------------------------------
    @classmethod
    def init(
        cls,
        path: str | Path,
        *,
        schema_path: Path | None = None,
        model: str | None = None,
        annotator: str = "",
    ) -> Project:
        """Create a new project directory (or adopt an empty/existing folder of files)."""
        d = project_dir(path)
        if (d / DB_NAME).exists():
            raise ProjectError(f"{d} is already a project")
        if d.exists() and not d.is_dir():
            raise ProjectError(f"{d} exists and is not a directory")
        schema = load_schema(schema_path)
        d.mkdir(parents=True, exist_ok=True)
        if not (d / CONFIG_NAME).exists():
            write_config(d, {"name": d.name, "model": model or "en_core_web_sm"})
        elif model:
            write_config(d, {**read_config(d), "model": model})
        return cls.open(d, create=True, schema=schema, annotator=annotator)

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        create: bool = False,
        schema: Schema | None = None,
        annotator: str = "",
    ) -> Project:
        """Open a project; with ``create`` make its database if missing."""
        d = project_dir(path)
        dbfile = d / DB_NAME
        if not d.is_dir():
            raise ProjectError(f"no project at {d} (run 'annotator init {d}' first)")
        fresh = not dbfile.exists()
        if fresh and not create:
            raise ProjectError(f"{d} is not a project: no {DB_NAME} (run 'annotator init {d}')")
        conn = connect(dbfile)
        try:
            migrate(conn, dbfile)
            db = sqlite_utils.Database(conn, execute_plugins=False)
            if fresh or not get_meta(conn, "project_id"):
                seed_meta(conn, schema or load_schema())
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise ProjectError(f"{dbfile} is not a readable project database ({exc})") from None
        except BaseException:
            conn.close()
            raise
        project = cls(d, db, annotator=annotator)
        project.created = fresh
        return project

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.db.conn.execute("PRAGMA optimize")
        self.db.conn.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn

    @property
    def id(self) -> str:
        return get_meta(self.conn, "project_id") or ""

    @property
    def name(self) -> str:
        return str(self.config.get("name") or self.path.name)

    def _load_schema(self) -> Schema:
        raw = get_meta(self.conn, "schema")
        if raw is None:
            return load_schema()
        try:
            return parse_schema(json.loads(raw))
        except json.JSONDecodeError:
            raise ProjectError(f"{self.path}: stored schema is corrupt") from None

    def set_schema(self, schema: Schema) -> None:
        """Replace the project's schema (labels in use must stay defined)."""
        used = {r[0] for r in self.conn.execute("SELECT DISTINCT label FROM spans")}
        missing = used - set(schema.labels)
        if missing:
            raise ProjectError(f"schema drops labels still in use: {', '.join(sorted(missing))}")
        with self.write():
            set_meta(self.conn, "schema", schema.to_json())
        self.schema = schema

    def meta_value(self, key: str) -> str | None:
        return get_meta(self.conn, key)

    def set_meta_value(self, key: str, value: str) -> None:
        with self.write():
            set_meta(self.conn, key, value)

    # ---- documents -----------------------------------------------------------------------
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

    # ---- spans and relations -------------------------------------------------------------
    def spans(
        self, doc_id: int, *, layer: str | None = GOLD, state: str | None = None
    ) -> list[Span]:
        """Spans of a document ordered by start; ``layer=None`` means every layer."""
        sql = f"SELECT {SPAN_COLUMNS} FROM spans WHERE doc_id = ?"
        args: list[Any] = [doc_id]
        if layer is not None:
            sql += " AND layer = ?"
            args.append(layer)
        if state is not None:
            sql += " AND state = ?"
            args.append(state)
        return [Span.from_row(r) for r in self._all(sql + " ORDER BY start, end, id", args)]

    def span(self, span_id: int) -> Span:
        row = self._one(f"SELECT {SPAN_COLUMNS} FROM spans WHERE id = ?", (span_id,))
        if row is None:
            raise EditError(f"span {span_id} does not exist (deleted?)")
        return Span.from_row(row)

    def relations(self, doc_id: int, *, layer: str | None = GOLD) -> list[Relation]:
        sql = f"SELECT {RELATION_COLUMNS} FROM relations WHERE doc_id = ?"
        args: list[Any] = [doc_id]
        if layer is not None:
            sql += " AND layer = ?"
            args.append(layer)
        return [Relation.from_row(r) for r in self._all(sql + " ORDER BY id", args)]

    def relation(self, relation_id: int) -> Relation:
        row = self._one(f"SELECT {RELATION_COLUMNS} FROM relations WHERE id = ?", (relation_id,))
        if row is None:
            raise EditError(f"relation {relation_id} does not exist (deleted?)")
        return Relation.from_row(row)

    def relations_of_spans(self, span_ids: Iterable[int]) -> list[Relation]:
        ids = list(span_ids)
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        return [
            Relation.from_row(r)
            for r in self._all(
                f"SELECT {RELATION_COLUMNS} FROM relations WHERE head_id IN ({marks})"
                f" OR child_id IN ({marks}) ORDER BY id",
                ids + ids,
            )
        ]

    def layers(self, doc_id: int | None = None) -> list[str]:
        sql = "SELECT DISTINCT layer FROM spans" + (" WHERE doc_id = ?" if doc_id else "")
        return sorted(r[0] for r in self.conn.execute(sql, (doc_id,) if doc_id else ()))

    def insert_spans(self, rows: Iterable[dict[str, Any]]) -> int:
        """Bulk insert (pre-annotation, import): no per-span log; wrap in ``bulk()`` for speed.

        Each row needs doc_id, start, end, label; optional source, state, annotator, layer, attrs,
        run_id (the run that made it, so undoing the run can take it back).
        """
        ts = now()
        data = (
            (r["doc_id"], r["start"], r["end"], r["label"], r.get("source", "model"),
             r.get("state", "suggested"), r.get("annotator", ""), r.get("layer", GOLD),
             json.dumps(r.get("attrs") or {}, ensure_ascii=False), ts, ts, r.get("run_id", ""))
            for r in rows
        )
        with self.write():
            cur = self.conn.executemany(
                "INSERT INTO spans (doc_id, start, end, label, source, state, annotator, layer,"
                " attrs, created_at, updated_at, run_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                data,
            )
        return cur.rowcount

    def insert_span_row(self, s: Span) -> Span:
        """Insert one span as given (id 0: a new id); missing timestamps are set to now.

        The single INSERT behind edit operations, merges and annotated imports; callers own
        validation and the transaction.
        """
        s.created_at = s.created_at or now()
        s.updated_at = s.updated_at or s.created_at
        cur = self.conn.execute(
            "INSERT INTO spans (id, doc_id, start, end, label, source, state, annotator, layer,"
            " attrs, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (s.id or None, s.doc_id, s.start, s.end, s.label, s.source, s.state, s.annotator,
             s.layer, json.dumps(s.attrs, ensure_ascii=False), s.created_at, s.updated_at),
        )
        s.id = int(cur.lastrowid or s.id)
        return s

    def insert_relation_row(self, r: Relation) -> Relation:
        """Insert one relation as given (id 0: a new id); the counterpart of insert_span_row."""
        r.created_at = r.created_at or now()
        r.updated_at = r.updated_at or r.created_at
        cur = self.conn.execute(
            "INSERT INTO relations (id, doc_id, head_id, child_id, label, attrs, annotator, layer,"
            " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (r.id or None, r.doc_id, r.head_id, r.child_id, r.label,
             json.dumps(r.attrs, ensure_ascii=False), r.annotator, r.layer, r.created_at,
             r.updated_at),
        )
        r.id = int(cur.lastrowid or r.id)
        return r

    @contextlib.contextmanager
    def write(self) -> Iterator[Project]:
        """One write transaction (the write lock taken up front; a savepoint when nested)."""
        with write_transaction(self.conn):
            yield self

    bulk = write  # import and pre-annotation say what they mean: one outer transaction

    # ---- edits ---------------------------------------------------------------------------
    def apply(self, op: Op, *, log: bool = True, summary: str = "") -> EditResult:
        """Run one edit operation in one transaction and append it to the edit log.

        ``summary`` names the step in menus and ``annotator history`` ("label 'Venezuela' GPE").
        """
        with self.write():
            change, inverse = op.apply(self)
            log_id = history.log_edit(self, op, inverse, change.doc_id, summary) if log else None
        return EditResult(change=change, inverse=inverse, log_id=log_id)

    def undo(self, annotator: str | None = None) -> history.Undone | None:
        """Undo this annotator's newest step (an edit or a whole run), from the edit log."""
        return history.undo(self, annotator)

    def redo(self, annotator: str | None = None) -> history.Undone | None:
        return history.redo(self, annotator)

    def log_event(
        self, op: str, payload: dict[str, Any], *, doc_id: int | None = None, summary: str = ""
    ) -> None:
        """Record a bulk action that is not undone as a whole (an import) in the edit log."""
        with self.write():
            self.conn.execute(
                "INSERT INTO edit_log (ts, annotator, doc_id, op, forward, summary)"
                " VALUES (?,?,?,?,?,?)",
                (now(), self.annotator, doc_id, op, json.dumps(payload, ensure_ascii=False),
                 summary),
            )

    def history(self, *, doc_id: int | None = None, limit: int = 100) -> list[dict[str, Any]]:
        sql = "SELECT id, ts, annotator, doc_id, op, forward, inverse FROM edit_log"
        args: tuple = ()
        if doc_id is not None:
            sql += " WHERE doc_id = ?"
            args = (doc_id,)
        return self._all(sql + " ORDER BY id DESC LIMIT ?", (*args, limit))

    # ---- statistics ----------------------------------------------------------------------
    def stats(self) -> dict[str, Any]:
        q = self.conn.execute
        return {
            "project": self.name,
            "documents": self.count_documents(),
            "status": self.status_counts(),
            "spans": q("SELECT COUNT(*) FROM spans WHERE layer = ''").fetchone()[0],
            "spans_by_label": dict(q(
                "SELECT label, COUNT(*) FROM spans WHERE layer = '' GROUP BY label ORDER BY 2 DESC"
            ).fetchall()),
            "spans_by_state": dict(q(
                "SELECT state, COUNT(*) FROM spans WHERE layer = '' GROUP BY state"
            ).fetchall()),
            "relations": q("SELECT COUNT(*) FROM relations WHERE layer = ''").fetchone()[0],
            "relations_by_label": dict(q(
                "SELECT label, COUNT(*) FROM relations WHERE layer = '' GROUP BY label ORDER BY 2 DESC"
            ).fetchall()),
            "layers": [x for x in self.layers() if x],
        }

    # ---- helpers -------------------------------------------------------------------------
    def _all(self, sql: str, args: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cur = self.conn.execute(sql, args)
        names = [c[0] for c in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def _one(self, sql: str, args: Sequence[Any] = ()) -> dict[str, Any] | None:
        rows = self._all(sql, args)
        return rows[0] if rows else None


# ---- module helpers ------------------------------------------------------------------------
def _status_filter(status: str | Sequence[str] | None) -> tuple[str, tuple]:
    if status is None:
        return "", ()
    values = (status,) if isinstance(status, str) else tuple(status)
    return f" AND status IN ({','.join('?' * len(values))})", values


