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
from pathlib import Path
from typing import Any

import sqlite_utils

from annotator.core import history
from annotator.core.config import CONFIG_NAME, DB_NAME, project_dir, read_config, write_config
from annotator.core.db import (
    checkpoint,
    connect,
    get_meta,
    migrate,
    next_span_ids,
    seed_meta,
    set_meta,
    write_transaction,
)
from annotator.core.dbfile import is_read_only
from annotator.core.documents import DOC_COLUMNS, DocRow, DocumentTable  # noqa: F401 - DocRow, DOC_COLUMNS: API
from annotator.core.edit import EditResult, Op
from annotator.core.errors import EditError, ProjectError, ReadOnlyError
from annotator.core.models import GOLD, Relation, Span, now
from annotator.core.schema import Schema, load_schema, parse_schema
from annotator.core.tokens import pack_tokens, unpack_tokens

# Names other modules import from here; they live in config/db/models/tokens now.
__all__ = [
    "CONFIG_NAME", "DB_NAME", "DocRow", "Project", "now", "pack_tokens", "project_dir",
    "read_config", "unpack_tokens", "write_config",
]
SPAN_COLUMNS = (
    "id, doc_id, start, end, label, source, state, annotator, layer, attrs, created_at, updated_at,"
    " review"
)
RELATION_COLUMNS = (
    "id, doc_id, head_id, child_id, label, attrs, annotator, layer, created_at, updated_at,"
    " state, source, run_id"
)
CHECKPOINT_EVERY = 25  # edits between two passive WAL checkpoints


class Project(DocumentTable):
    """An open project. Not thread-safe: open one per thread (WAL lets them share)."""

    def __init__(self, path: Path, db: sqlite_utils.Database, *, annotator: str = "") -> None:
        self.path = path
        self.db = db
        self.annotator = annotator
        self.config = read_config(path)
        self.schema: Schema = self._load_schema()
        self.created = False  # True when this open created the database
        self.read_only = False  # True: opened for reading only (see open)
        self._edits = 0  # edits since the last WAL checkpoint

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
        read_only: bool | None = None,
    ) -> Project:
        """Open a project; with ``create`` make its database if missing.

        ``read_only`` None: read-only when the folder or database cannot be written (a
        read-only share); every write then raises ``ReadOnlyError``.
        """
        d = project_dir(path)
        dbfile = d / DB_NAME
        if not d.is_dir():
            raise ProjectError(f"no project at {d} (run 'annotator init {d}' first)")
        fresh = not dbfile.exists()
        if fresh and not create:
            raise ProjectError(f"{d} is not a project: no {DB_NAME} (run 'annotator init {d}')")
        ro = is_read_only(d, dbfile) if read_only is None else read_only
        if fresh and ro:
            raise ProjectError(f"{d} is read-only: a project cannot be created there")
        conn = connect(dbfile, read_only=ro)
        try:
            migrate(conn, dbfile, read_only=ro)
            db = sqlite_utils.Database(conn, execute_plugins=False)
            if not ro and (fresh or not get_meta(conn, "project_id")):
                seed_meta(conn, schema or load_schema())
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise ProjectError(f"{dbfile} is not a readable project database ({exc})") from None
        except BaseException:
            conn.close()
            raise
        project = cls(d, db, annotator=annotator)
        project.created = fresh
        project.read_only = ro
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

    def spans_by_id(self, span_ids: Iterable[int]) -> dict[int, Span]:
        """Many spans by id in a few queries (bulk edits: accept all, its undo)."""
        ids, out = list(span_ids), {}
        for i in range(0, len(ids), 900):  # under SQLite's bound-parameter limit
            part = ids[i:i + 900]
            rows = self.conn.execute(f"SELECT {SPAN_COLUMNS} FROM spans WHERE id IN"
                                     f" ({','.join('?' * len(part))})", part)
            for r in rows:  # columns in the dataclass's field order: no dict per row
                s = Span(*r)
                s.attrs = json.loads(r[9]) if r[9] and r[9] != "{}" else {}
                out[s.id] = s
        return out

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
        run_id (the run that made it, so undoing the run can take it back), review (``BULK``:
        an imported span its exporter marked as accepted unseen).
        """
        ts = now()
        data = (
            (r["doc_id"], r["start"], r["end"], r["label"], r.get("source", "model"),
             r.get("state", "suggested"), r.get("annotator", ""), r.get("layer", GOLD),
             json.dumps(r.get("attrs") or {}, ensure_ascii=False), ts, ts, r.get("run_id", ""),
             r.get("review", ""))
            for r in rows
        )
        with self.write():
            data = list(data)
            first = next_span_ids(self.conn, len(data))  # ids never handed out twice
            cur = self.conn.executemany(
                "INSERT INTO spans (id, doc_id, start, end, label, source, state, annotator,"
                " layer, attrs, created_at, updated_at, run_id, review)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                ((first + i, *row) for i, row in enumerate(data)),
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
            " attrs, created_at, updated_at, review) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (s.id or next_span_ids(self.conn), s.doc_id, s.start, s.end, s.label, s.source,
             s.state, s.annotator,
             s.layer, json.dumps(s.attrs, ensure_ascii=False), s.created_at, s.updated_at,
             s.review),
        )
        s.id = int(cur.lastrowid or s.id)
        return s

    def insert_relation_row(self, r: Relation) -> Relation:
        """Insert one relation as given (id 0: a new id); the counterpart of insert_span_row."""
        r.created_at = r.created_at or now()
        r.updated_at = r.updated_at or r.created_at
        cur = self.conn.execute(
            "INSERT INTO relations (id, doc_id, head_id, child_id, label, attrs, annotator, layer,"
            " created_at, updated_at, state, source, run_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (r.id or None, r.doc_id, r.head_id, r.child_id, r.label,
             json.dumps(r.attrs, ensure_ascii=False), r.annotator, r.layer, r.created_at,
             r.updated_at, r.state, r.source, r.run_id),
        )
        r.id = int(cur.lastrowid or r.id)
        return r

    @contextlib.contextmanager
    def write(self) -> Iterator[Project]:
        """One write transaction (the write lock taken up front; a savepoint when nested)."""
        if self.read_only:
            raise ReadOnlyError(f"{self.path} is read-only: edits cannot be saved there")
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
        self._edits += 1
        if self._edits >= CHECKPOINT_EVERY and not self.conn.in_transaction:
            checkpoint(self.conn)  # project.db alone then holds all but the last few edits
            self._edits = 0
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
            "spans_accepted_unreviewed": q(  # accepted unseen by finishing a document
                "SELECT COUNT(*) FROM spans WHERE layer = '' AND review = 'bulk'").fetchone()[0],
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
