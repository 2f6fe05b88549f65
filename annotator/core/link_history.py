"""The actor links and actors of a run, parked by its undo and put back by its redo.

A link run (``annotator link``, or the linking step of a pre-annotation) marks the links and
the actors it writes with its run id. Undoing the run takes back what is still machine work:

* its links that are still ``suggested`` (accepted and rejected ones are a person's call);
* then its actors that nothing points at any more and nobody has edited since (a renamed
  actor, or one a person linked a mention to, stays).

Both are parked (``parked_links``, ``parked_actors``), so redo restores them; a parked actor
comes back under its old id (ids are never handed out twice), or under the actor that took
its kb id meanwhile. Links of the
spans the undo itself parked travel with those spans (``span_actor_parked``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING

from annotator.core.actors import new_actor_id
from annotator.core.errors import EditError

if TYPE_CHECKING:
    from annotator.core.store import Project

_LINK = "span_id, actor_id, state, reason, annotator, updated_at, run_id"
_ACTOR = "id, kb_id, name, label, country, registry_id, created_at, updated_at, run_id"


def park_run_links(p: Project, run_id: str, parked_spans: Iterable[int]) -> set[int]:
    """Park the run's suggested links and the actors left without a mention; call after the
    run's spans were parked (``parked_spans``: their ids). Returns the documents touched."""
    conn = p.conn
    docs = {r[0] for r in conn.execute(
        "SELECT DISTINCT s.doc_id FROM span_actor l JOIN spans s ON s.id = l.span_id"
        " WHERE l.run_id = ? AND l.state = 'suggested'", (run_id,))}
    cols = ", ".join(f"l.{c.strip()}" for c in _LINK.split(","))
    conn.execute(  # with the mention's place: a span id may be handed out again meanwhile
        f"INSERT INTO parked_links (park_run, {_LINK}, doc_id, start, end)"
        f" SELECT ?, {cols}, s.doc_id, s.start, s.end FROM span_actor l JOIN spans s"
        " ON s.id = l.span_id WHERE l.run_id = ? AND l.state = 'suggested'", (run_id, run_id))
    conn.execute("DELETE FROM span_actor WHERE run_id = ? AND state = 'suggested'", (run_id,))
    travelling = set(parked_spans)  # their links come back with the spans on redo
    candidates = [aid for (aid,) in conn.execute(
        "SELECT a.id FROM actors a WHERE a.run_id = ? AND a.updated_at = a.created_at"
        " AND NOT EXISTS (SELECT 1 FROM span_actor l WHERE l.actor_id = a.id)", (run_id,))]
    held: set[int] = set()  # an undo of someone's delete would want the actor back
    for chunk in _chunks(candidates):
        held |= {aid for sid, aid in conn.execute(
            "SELECT span_id, actor_id FROM span_actor_parked"
            f" WHERE actor_id IN ({','.join('?' * len(chunk))})", chunk) if sid not in travelling}
    free = [aid for aid in candidates if aid not in held]
    for chunk in _chunks(free):
        marks = ",".join("?" * len(chunk))
        conn.execute(f"INSERT INTO parked_actors (park_run, {_ACTOR}) SELECT ?, {_ACTOR}"
                     f" FROM actors WHERE id IN ({marks})", (run_id, *chunk))
        conn.execute(f"DELETE FROM actors WHERE id IN ({marks})", chunk)
    return docs


def unpark_run_actors(p: Project, run_id: str) -> dict[int, int]:
    """Put the run's parked actors back before its spans return; returns old id -> new id
    for those that could not keep their id (links parked with spans follow at once)."""
    conn = p.conn
    remap: dict[int, int] = {}
    rows = conn.execute(f"SELECT {_ACTOR} FROM parked_actors WHERE park_run = ? ORDER BY id",
                        (run_id,)).fetchall()
    for row in rows:
        old, kb = row[0], row[1]
        holder = conn.execute("SELECT id FROM actors WHERE kb_id = ?", (kb,)).fetchone() if kb else None
        if holder is not None:  # someone gave that kb id to another actor meanwhile: that one
            remap[old] = holder[0]
            continue
        # ids are never handed out twice (core.actors.new_actor_id); a project from before
        # that rule may still have lent this one to another actor: then a fresh id
        if not isinstance(old, int):
            raise EditError(f"parked actor {old!r} is damaged (not an id): not put back")
        taken = conn.execute("SELECT 1 FROM actors WHERE id = ?", (old,)).fetchone()
        values = row if not taken else (new_actor_id(conn), *row[1:])
        try:
            conn.execute(f"INSERT INTO actors ({_ACTOR}) VALUES ({','.join('?' * len(values))})",
                         values)
        except sqlite3.IntegrityError as exc:  # a damaged parked row: say so, keep the rest
            raise EditError(f"parked actor {old} cannot be put back: {exc}") from None
        if taken:
            remap[old] = values[0]
    conn.executemany("UPDATE span_actor_parked SET actor_id = ? WHERE actor_id = ?",
                     [(new, old) for old, new in remap.items()])
    conn.execute("DELETE FROM parked_actors WHERE park_run = ?", (run_id,))
    return remap


def unpark_run_links(p: Project, run_id: str, remap: dict[int, int]) -> set[int]:
    """Put the run's parked links back on spans that still exist and have no link now."""
    conn = p.conn
    docs: set[int] = set()
    for row in conn.execute(f"SELECT {_LINK}, doc_id, start, end FROM parked_links"
                            " WHERE park_run = ?", (run_id,)).fetchall():
        span_id, actor_id, *rest = row[:7]
        doc_id, start, end = row[7:]
        actor_id = remap.get(actor_id, actor_id)
        cur = conn.execute(  # the same mention (id and place) and a live actor, or nothing
            f"INSERT OR IGNORE INTO span_actor ({_LINK}) SELECT ?, ?, ?, ?, ?, ?, ?"
            " WHERE EXISTS (SELECT 1 FROM spans WHERE id = ? AND doc_id = ? AND start = ?"
            " AND end = ?) AND EXISTS (SELECT 1 FROM actors WHERE id = ?)",
            (span_id, actor_id, *rest, span_id, doc_id, start, end, actor_id))
        if cur.rowcount:
            docs.add(doc_id)
    conn.execute("DELETE FROM parked_links WHERE park_run = ?", (run_id,))
    return docs


def _chunks(ids: list[int], size: int = 400) -> list[list[int]]:
    return [ids[i:i + size] for i in range(0, len(ids), size)]
