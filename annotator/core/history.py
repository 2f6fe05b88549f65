"""Undo and redo read the edit log: history lives in the project, not in a window.

Every edit is a log row holding its forward op, its inverse and a one-line summary. A row's
``state`` says where it stands in its annotator's history:

* ``done``: in effect (the newest ``done`` undoable row is what Undo takes next);
* ``undone``: undone; Redo takes the most recently undone one (the lowest id among them,
  since undo walks back from the newest); ``redo`` then holds the op that redoes it;
* ``dropped``: undone and then buried by a new edit (linear history: no redo after that);
* ``obsolete``: could not be undone or redone any more (another annotator changed what it
  touched); Undo skips it and says so.

Bulk work (pre-annotation, linking, merge) is a *run*: one log row with a ``run_id``, and every
row it inserted carries that id in ``spans.run_id`` / ``relations.run_id`` (actor links and
actors too: ``core.link_history``); rows it deleted are
kept in ``parked_spans`` / ``parked_relations`` (role ``removed``). Undoing the run parks the
rows it made that are still machine work (role ``added``) and restores what it removed;
redo does the opposite. Human and accepted work is never parked by undoing a machine run.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

# Reading the log back needs every kind of op registered: these modules define them.
from annotator.core import actor_ops, adjudicate, memory, ops, relation_review  # noqa: F401
from annotator.core.actors import restore_parked_links
from annotator.core.busy import write_retrying
from annotator.core.db import next_span_ids
from annotator.core.edit import Change, op_from_dict
from annotator.core.errors import EditError
from annotator.core.filelock import FileLock, is_locked
from annotator.core.layers import layer_status, replace_layer_status
from annotator.core.link_history import park_run_links, unpark_run_actors, unpark_run_links
from annotator.core.models import now

if TYPE_CHECKING:
    from annotator.core.store import Project

SPAN_COLS = ("id, doc_id, start, end, label, source, state, annotator, layer, attrs, created_at,"
             " updated_at, run_id, review, restored_by")  # restored_by last (_unpark)
REL_COLS = ("id, doc_id, head_id, child_id, label, attrs, annotator, layer, created_at, updated_at,"
            " run_id, state, source, restored_by")  # restored_by last (_unpark)
UNDOABLE = "(inverse IS NOT NULL OR run_id IS NOT NULL)"
_RUN_LOCKS: dict[str, FileLock] = {}  # runs this process has going


@dataclass(frozen=True, slots=True)
class Step:
    """One row of the history as the CLI and the menus show it."""

    id: int
    ts: str
    annotator: str
    op: str
    summary: str
    state: str
    doc_id: int | None
    undoable: bool
    run_id: str | None = None

    def describe(self) -> str:
        return self.summary or self.op.replace("_", " ")

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "ts": self.ts, "annotator": self.annotator, "op": self.op,
                "what": self.describe(), "state": self.state, "doc_id": self.doc_id,
                "undoable": self.undoable, "run_id": self.run_id}


@dataclass(slots=True)
class Undone:
    """What an undo or redo did: the step and the change views refresh from."""

    step: Step
    change: Change
    redo: bool = False

    def text(self) -> str:
        return f"{'redid' if self.redo else 'undid'} #{self.step.id}: {self.step.describe()}"


# ---- reading -------------------------------------------------------------------------------
def steps(project: Project, *, limit: int = 50, annotator: str | None = None) -> list[Step]:
    sql = ("SELECT id, ts, annotator, op, summary, state, doc_id, run_id,"
           f" {UNDOABLE} AS undoable FROM edit_log")
    args: tuple = ()
    if annotator is not None:
        sql += " WHERE annotator = ?"
        args = (annotator,)
    rows = project.conn.execute(sql + " ORDER BY id DESC LIMIT ?", (*args, limit)).fetchall()
    return [_step(r) for r in rows]


def next_undo(project: Project, annotator: str | None = None) -> Step | None:
    return _find(project, annotator, "done", "DESC")


def next_redo(project: Project, annotator: str | None = None) -> Step | None:
    return _find(project, annotator, "undone", "ASC")


def _find(project: Project, annotator: str | None, state: str, order: str) -> Step | None:
    row = project.conn.execute(
        "SELECT id, ts, annotator, op, summary, state, doc_id, run_id, 1 FROM edit_log"
        f" WHERE annotator = ? AND state = ? AND {UNDOABLE} ORDER BY id {order} LIMIT 1",
        (project.annotator if annotator is None else annotator, state),
    ).fetchone()
    return _step(row) if row else None


def _step(row: Sequence[Any]) -> Step:
    id_, ts, who, op, summary, state, doc_id, run_id, undoable = row
    return Step(id=id_, ts=ts, annotator=who, op=op, summary=summary or "", state=state,
                doc_id=doc_id, undoable=bool(undoable), run_id=run_id)


# ---- writing the log -----------------------------------------------------------------------
def log_edit(project: Project, op: Any, inverse: Any, doc_id: int | None, summary: str) -> int:
    """Append an edit; a new edit buries this annotator's undone steps (no redo after it)."""
    _bury_undone(project)
    cur = project.conn.execute(
        "INSERT INTO edit_log (ts, annotator, doc_id, op, forward, inverse, summary)"
        " VALUES (?,?,?,?,?,?,?)",
        (now(), project.annotator, doc_id, op.name, json.dumps(op.to_dict(), ensure_ascii=False),
         json.dumps(inverse.to_dict(), ensure_ascii=False), summary),
    )
    return int(cur.lastrowid or 0)


def _bury_undone(project: Project) -> None:
    """A new step ends redo: this annotator's undone steps are dropped (linear history)."""
    project.conn.execute(
        "UPDATE edit_log SET state = 'dropped' WHERE annotator = ? AND state = 'undone'",
        (project.annotator,))


def start_run(project: Project, op: str, summary: str, payload: dict[str, Any]) -> str:
    """Open a run (pre-annotation, merge): its log row exists before its first row is written,
    so a run killed half-way can still be undone. While it goes on, this process holds the
    run's lock file, so nobody undoes it under its feet (a killed run's lock dies with it)."""
    run_id = new_run_id()
    lock = FileLock(_run_lock(project, run_id))
    if lock.acquired:
        _RUN_LOCKS[run_id] = lock

    try:  # a run waits out another writer, as its batches do
        write_retrying(project, lambda: log_run(project, op, summary, payload, run_id))
    except BaseException:
        end_run(run_id)
        raise
    return run_id


def log_run(project: Project, op: str, summary: str, payload: dict[str, Any], run_id: str) -> None:
    """The history row of a run written in one transaction (a merge): call inside it."""
    _bury_undone(project)
    project.conn.execute(
        "INSERT INTO edit_log (ts, annotator, op, forward, summary, run_id) VALUES (?,?,?,?,?,?)",
        (now(), project.annotator, op, json.dumps(payload, ensure_ascii=False), summary, run_id))


def new_run_id() -> str:
    return uuid.uuid4().hex[:16]


def finish_run(project: Project, run_id: str, summary: str, payload: dict[str, Any]) -> None:
    try:
        with project.write():
            project.conn.execute(
                "UPDATE edit_log SET summary = ?, forward = ? WHERE run_id = ?",
                (summary, json.dumps(payload, ensure_ascii=False), run_id))
    finally:
        end_run(run_id)


def end_run(run_id: str) -> None:
    """Release the run's lock (finish_run does; call it when a run fails half-way)."""
    lock = _RUN_LOCKS.pop(run_id, None)
    if lock is not None:
        lock.release(remove=True)


def _run_lock(project: Project, run_id: str) -> Path:
    return project.path / f".run-{run_id}.lock"


def park_spans(project: Project, span_ids: Sequence[int], run_id: str, role: str) -> None:
    """Keep rows a run deletes (role ``removed``) so undoing the run can put them back.
    Call inside the run's transaction, before the DELETE."""
    for chunk in _chunks(span_ids):
        marks = ",".join("?" * len(chunk))
        project.conn.execute(
            f"INSERT INTO parked_relations (park_run, role, {REL_COLS}) SELECT ?, ?, {REL_COLS}"
            f" FROM relations WHERE head_id IN ({marks}) OR child_id IN ({marks})",
            (run_id, role, *chunk, *chunk))
        project.conn.execute(
            f"INSERT INTO parked_spans (park_run, role, {SPAN_COLS}) SELECT ?, ?, {SPAN_COLS}"
            f" FROM spans WHERE id IN ({marks})", (run_id, role, *chunk))


# ---- undo / redo ---------------------------------------------------------------------------
def undo(project: Project, annotator: str | None = None) -> Undone | None:
    """Undo the newest step of this annotator (None: nothing to undo)."""
    while (step := next_undo(project, annotator)) is not None:
        try:
            with project.write():
                change = _undo_run(project, step) if step.run_id else _undo_edit(project, step)
                _mark(project, step, "undone", "undo")
        except EditError as exc:
            _obsolete(project, step)
            raise EditError(f"cannot undo '{step.describe()}' ({exc}); it was skipped") from None
        return Undone(step, change)
    return None


def redo(project: Project, annotator: str | None = None) -> Undone | None:
    """Redo the most recently undone step of this annotator (None: nothing to redo)."""
    step = next_redo(project, annotator)
    if step is None:
        return None
    try:
        with project.write():
            change = _redo_run(project, step) if step.run_id else _redo_edit(project, step)
            _mark(project, step, "done", "redo")
    except EditError as exc:
        _obsolete(project, step)
        raise EditError(f"cannot redo '{step.describe()}' ({exc})") from None
    return Undone(step, change, redo=True)


def _undo_edit(project: Project, step: Step) -> Change:
    return _replay(project, step, redo=False)


def _redo_edit(project: Project, step: Step) -> Change:
    return _replay(project, step, redo=True)


def _replay(project: Project, step: Step, *, redo: bool) -> Change:
    """Apply the step's inverse (undo) or its redo op; keep the op that turns it back."""
    src, dst, clear = ("redo", "inverse", ", redo = NULL") if redo else ("inverse", "redo", "")
    (op_json,) = project.conn.execute(f"SELECT {src} FROM edit_log WHERE id = ?",
                                      (step.id,)).fetchone()
    result = project.apply(op_from_dict(json.loads(op_json)), log=False)
    project.conn.execute(f"UPDATE edit_log SET {dst} = ?{clear} WHERE id = ?",
                         (json.dumps(result.inverse.to_dict(), ensure_ascii=False), step.id))
    return result.change


def _undo_run(project: Project, step: Step) -> Change:
    run = step.run_id or ""
    if run in _RUN_LOCKS or is_locked(_run_lock(project, run)):
        raise EditError("it is still running: wait for it to finish, or cancel it, first")
    machine = step.op != "merge"  # a merge's rows are the volunteer's layer: all of them go
    # a suggestion stays when someone tied it into a relation they made or accepted
    # and when someone accepted or rejected its actor link (a decision about that mention)
    cond = ("s.layer = '' AND s.state = 'suggested' AND s.source != 'human' AND NOT EXISTS ("
            " SELECT 1 FROM relations r WHERE (r.head_id = s.id OR r.child_id = s.id)"
            " AND (r.run_id != s.run_id OR r.state = 'accepted')) AND NOT EXISTS ("
            " SELECT 1 FROM span_actor l WHERE l.span_id = s.id AND l.state != 'suggested')"
            ) if machine else "1"
    ids = [r[0] for r in project.conn.execute(
        f"SELECT s.id FROM spans s WHERE s.run_id = ? AND {cond}", (run,))]
    docs = {r[0] for r in project.conn.execute(
        "SELECT DISTINCT doc_id FROM spans WHERE run_id = ?", (run,))}
    park_spans(project, ids, run, "added")
    _delete_spans(project, ids)
    rel_ids = [r[0] for r in project.conn.execute(
        "SELECT id FROM relations WHERE run_id = ?"
        + (" AND layer = '' AND state = 'suggested'" if machine else ""), (run,))]
    park_relations(project, rel_ids, run, "added")
    docs |= park_run_links(project, run, ids)  # its actor links and actors (a link run's)
    restored = _unpark(project, run, "removed")
    docs |= restored
    if step.op == "merge":  # the layer's done/to-do record goes back with its rows
        _set_layer_record(project, run, "status_before")
    return Change(documents=frozenset(docs))


def _redo_run(project: Project, step: Step) -> Change:
    run = step.run_id or ""
    # the rows the undo put back were older runs' suggestions: remove them again
    ids = [r[0] for r in project.conn.execute(
        "SELECT id FROM spans WHERE restored_by = ?"
        + (" AND state = 'suggested'" if step.op != "merge" else ""), (run,))]
    # relations the undo brought back first (parked and deleted), then the spans with theirs:
    # a relation both restored and touching a restored span must be parked once, not twice
    park_relations(project, [r[0] for r in project.conn.execute(
        "SELECT id FROM relations WHERE restored_by = ?"
        + (" AND state = 'suggested'" if step.op != "merge" else ""), (run,))], run, "removed")
    park_spans(project, ids, run, "removed")
    docs = {r[0] for r in project.conn.execute(
        f"SELECT DISTINCT doc_id FROM spans WHERE id IN ({','.join('?' * len(ids))})", ids)} if ids else set()
    _delete_spans(project, ids)
    remap = unpark_run_actors(project, run)  # first: the spans' links point at them
    docs |= _unpark(project, run, "added")
    docs |= unpark_run_links(project, run, remap)
    if step.op == "merge":
        _set_layer_record(project, run, "status_after")
    return Change(documents=frozenset(docs))


def _set_layer_record(project: Project, run_id: str, key: str) -> None:
    (forward,) = project.conn.execute("SELECT forward FROM edit_log WHERE run_id = ?",
                                      (run_id,)).fetchone()
    payload = json.loads(forward)
    data = layer_status(project)
    statuses = {int(d): s for d, s in payload.get(key, {}).items()}
    if statuses:
        data[payload["layer"]] = statuses
    else:
        data.pop(payload["layer"], None)
    replace_layer_status(project, data)


def park_relations(project: Project, ids: Sequence[int], run_id: str, role: str) -> None:
    """Move relations into ``parked_relations`` (deleted from ``relations``): a run that
    replaces relation suggestions parks them ``removed``, so undoing it puts them back."""
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        project.conn.execute(
            f"INSERT INTO parked_relations (park_run, role, {REL_COLS}) SELECT ?, ?, {REL_COLS}"
            f" FROM relations WHERE id IN ({marks})", (run_id, role, *chunk))
        project.conn.execute(f"DELETE FROM relations WHERE id IN ({marks})", chunk)


def _delete_spans(project: Project, ids: Sequence[int]) -> None:
    for chunk in _chunks(ids):
        project.conn.execute(f"DELETE FROM spans WHERE id IN ({','.join('?' * len(chunk))})", chunk)


def _unpark(project: Project, run_id: str, role: str) -> set[int]:
    """Put parked rows back under new ids (SQLite may have reused the old ones); relations
    follow their spans. Rows an undo brings back are marked ``restored_by`` the run, so its
    redo can take them away again (the mark survives later parking). Returns the documents."""
    conn = project.conn
    cols = SPAN_COLS.replace("id, ", "", 1)
    remap: dict[int, int] = {}
    docs: set[int] = set()
    rows = conn.execute(
        f"SELECT id, {cols} FROM parked_spans WHERE park_run = ? AND role = ? ORDER BY id",
        (run_id, role)).fetchall()
    next_id = next_span_ids(conn, len(rows))  # above every id a parked row may still name
    for row in rows:
        values = (next_id, *row[1:-1], run_id if role == "removed" else row[-1])
        conn.execute(f"INSERT INTO spans (id, {cols}) VALUES ({','.join('?' * len(values))})",
                     values)
        remap[row[0]] = next_id
        next_id += 1
        docs.add(row[1])
    rcols = REL_COLS.replace("id, ", "", 1)
    for row in conn.execute(
            f"SELECT {rcols} FROM parked_relations WHERE park_run = ? AND role = ? ORDER BY id",
            (run_id, role)).fetchall():
        doc_id, head, child, *rest = row
        head, child = remap.get(head, head), remap.get(child, child)
        rest[-1] = run_id if role == "removed" else rest[-1]  # restored_by, as for spans
        if conn.execute("SELECT COUNT(*) FROM spans WHERE id IN (?, ?)", (head, child)).fetchone()[0] == 2:
            conn.execute(f"INSERT INTO relations ({rcols}) VALUES ({','.join('?' * len(row))})",
                         (doc_id, head, child, *rest))
    conn.execute("DELETE FROM parked_relations WHERE park_run = ? AND role = ?", (run_id, role))
    conn.execute("DELETE FROM parked_spans WHERE park_run = ? AND role = ?", (run_id, role))
    # actor links the delete trigger parked under the old ids follow their spans back (the
    # new ids are fresh, above every parked id: no row is overwritten)
    conn.executemany("UPDATE span_actor_parked SET span_id = ? WHERE span_id = ?",
                     [(new, old) for old, new in remap.items()])
    restore_parked_links(project, list(remap.values()))
    return docs


def _mark(project: Project, step: Step, state: str, verb: str) -> None:
    project.conn.execute("UPDATE edit_log SET state = ? WHERE id = ?", (state, step.id))
    project.conn.execute(
        "INSERT INTO edit_log (ts, annotator, doc_id, op, forward, summary) VALUES (?,?,?,?,?,?)",
        (now(), project.annotator, step.doc_id, verb, json.dumps({"step": step.id}),
         f"{verb} #{step.id}: {step.describe()}"))


def _obsolete(project: Project, step: Step) -> None:
    with project.write():
        project.conn.execute("UPDATE edit_log SET state = 'obsolete' WHERE id = ?", (step.id,))


def _chunks(ids: Sequence[int], size: int = 400) -> list[Sequence[int]]:
    return [ids[i:i + size] for i in range(0, len(ids), size)]

