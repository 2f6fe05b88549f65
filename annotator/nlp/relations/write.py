"""Storing a run's relation suggestions: between the document's final spans, never twice.

Rules (a re-run must never undo human work):
* a pair of spans that already has a relation (any state) gets no new one, except that a
  project-memory suggestion replaces an earlier machine suggestion of another type;
* a suggestion rejected on this document (same span positions and type) is not made
  again, nor one a human deleted while it was a suggestion (found in the edit log);
* every row carries the run's id, so a whole run can be undone.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from annotator.core import history
from annotator.core.models import GOLD, now
from annotator.nlp.relations import Ent, Parsed, Relater, RelationSuggestion

if TYPE_CHECKING:
    from annotator.core.store import Project

Pos = tuple[int, int, int, int, str]  # head start, end, child start, end, type


def rejected_positions(project: Project, ids: Sequence[int]) -> dict[int, set[Pos]]:
    marks = ",".join("?" * len(ids))
    out: dict[int, set[Pos]] = {}
    for doc_id, *pos in project.conn.execute(
        "SELECT doc_id, head_start, head_end, child_start, child_end, label"
        f" FROM rejected_relations WHERE doc_id IN ({marks})", tuple(ids)
    ):
        out.setdefault(doc_id, set()).add(tuple(pos))  # type: ignore[arg-type]
    return out


def _deleted_suggestions(project: Project, ids: Sequence[int],
                         spans: dict[int, dict[int, Ent]]) -> dict[int, set[Pos]]:
    """Suggested relations a human deleted with a plain delete (the log keeps them)."""
    marks = ",".join("?" * len(ids))
    out: dict[int, set[Pos]] = {}
    for doc_id, inverse in project.conn.execute(
        "SELECT doc_id, inverse FROM edit_log WHERE op = 'delete_relations'"
        f" AND doc_id IN ({marks})", tuple(ids)
    ):
        for r in json.loads(inverse or "{}").get("relations", []):
            h, c = spans[doc_id].get(r.get("head_id")), spans[doc_id].get(r.get("child_id"))
            if r.get("state") == "suggested" and h and c:
                out.setdefault(doc_id, set()).add((h.start, h.end, c.start, c.end, r["label"]))
    return out


def store_relations(
    project: Project, docs: Sequence[tuple[int, Parsed]], relater: Relater, *, run_id: str,
) -> dict[str, int]:
    """Suggest and insert relations for documents whose spans are already stored.

    Returns how many were stored per kind (verb / pattern / memory).
    """
    ids = [d for d, _ in docs]
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    spans: dict[int, dict[int, Ent]] = {d: {} for d in ids}
    for doc_id, sid, start, end, label in project.conn.execute(
        f"SELECT doc_id, id, start, end, label FROM spans WHERE layer = ? AND doc_id IN ({marks})",
        (GOLD, *ids),
    ):
        spans[doc_id][sid] = Ent(start, end, label)
    existing: dict[int, dict[frozenset[int], list[tuple[int, str, str, str]]]] = {d: {} for d in ids}
    for doc_id, rid, h, c, label, state, source in project.conn.execute(
        "SELECT doc_id, id, head_id, child_id, label, state, source FROM relations"
        f" WHERE layer = ? AND doc_id IN ({marks})", (GOLD, *ids),
    ):
        existing[doc_id].setdefault(frozenset((h, c)), []).append((rid, label, state, source))
    gone = rejected_positions(project, ids)
    for d, pos in _deleted_suggestions(project, ids, spans).items():
        gone.setdefault(d, set()).update(pos)
    rows, drop, counts = [], [], {}
    for doc_id, parsed in docs:
        by_ent = {e: sid for sid, e in spans[doc_id].items()}
        if len(by_ent) < 2:
            continue
        text = project.text(doc_id)
        for s in relater.suggest(parsed, by_ent, text):
            h, c = by_ent[s.head], by_ent[s.child]
            if (s.head.start, s.head.end, s.child.start, s.child.end, s.label) in gone.get(doc_id, ()):
                continue
            there = existing[doc_id].get(frozenset((h, c)), [])
            if there:
                machine = all(st == "suggested" for _, _, st, _ in there)
                if not (s.source == "memory" and machine
                        and all(lab != s.label for _, lab, _, _ in there)):
                    continue
                drop += [rid for rid, *_ in there]
            rows.append(_row(doc_id, h, c, s, project.annotator, run_id))
            counts[s.kind] = counts.get(s.kind, 0) + 1
    if drop:  # parked, not deleted: undoing the run brings the replaced suggestions back
        history.park_relations(project, drop, run_id, "removed")
    if rows:
        project.conn.executemany(
            "INSERT INTO relations (doc_id, head_id, child_id, label, attrs, annotator, layer,"
            " created_at, updated_at, state, source, run_id)"
            " VALUES (?,?,?,?,?,?,?,?,?,'suggested',?,?)", rows)
    return counts


def _row(doc_id: int, h: int, c: int, s: RelationSuggestion, annotator: str,
         run_id: str) -> tuple:
    ts = now()
    return (doc_id, h, c, s.label, json.dumps(s.attrs, ensure_ascii=False), annotator, GOLD,
            ts, ts, s.source, run_id)
