"""Which new suggestions to write, given the spans a document already has.

Rules (a re-run must never undo human work, nor clutter the document):
* a human or accepted span is never touched, and nothing is suggested overlapping it;
* a suggestion a human deleted before (found in the edit log) is not made again;
* where an earlier suggestion sits, a new one is dropped (no duplicates, no overlaps),
  except a project-memory suggestion: it replaces overlapping earlier machine
  suggestions that carry no relation, so "annotate once, see it everywhere" also
  reaches documents pre-annotated before the annotator's decision.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotator.core.models import GOLD
from annotator.nlp.suggest import Suggestion

if TYPE_CHECKING:
    from annotator.core.store import Project


@dataclass(frozen=True, slots=True)
class Existing:
    id: int
    start: int
    end: int
    label: str
    protected: bool  # human-made or accepted
    linked: bool  # part of a relation


class DocSpans:
    """A document's gold spans, indexed by start for overlap queries."""

    def __init__(self, spans: Sequence[Existing]) -> None:
        self.spans = sorted(spans, key=lambda s: s.start)
        self.starts = [s.start for s in self.spans]
        self.longest = max((s.end - s.start for s in self.spans), default=0)

    def overlapping(self, start: int, end: int) -> list[Existing]:
        i = bisect_left(self.starts, start - self.longest)
        j = bisect_left(self.starts, end)
        return [s for s in self.spans[i:j] if s.end > start]


def reconcile(
    cands: Sequence[Suggestion], existing: DocSpans, rejected: set[tuple[int, int, str]]
) -> tuple[list[Suggestion], list[int]]:
    """(suggestions to insert, ids of old suggestions to delete first)."""
    keep: list[Suggestion] = []
    drop: set[int] = set()
    for c in cands:
        if (c.start, c.end, c.label) in rejected:
            continue
        hits = [h for h in existing.overlapping(c.start, c.end) if h.id not in drop]
        if not hits:
            keep.append(c)
        elif c.memory and not any(
            h.protected or h.linked or (h.start, h.end, h.label) == (c.start, c.end, c.label)
            for h in hits
        ):
            drop.update(h.id for h in hits)
            keep.append(c)
    return keep, sorted(drop)


def existing_spans(project: Project, ids: Sequence[int]) -> dict[int, DocSpans]:
    marks = ",".join("?" * len(ids))
    rows = project.conn.execute(
        "SELECT s.doc_id, s.id, s.start, s.end, s.label,"
        " s.source = 'human' OR s.state = 'accepted',"
        " EXISTS (SELECT 1 FROM relations r WHERE (r.head_id = s.id OR r.child_id = s.id)"
        " AND r.state = 'accepted')"  # or a person decided its actor link: a decision too
        " OR EXISTS (SELECT 1 FROM span_actor l WHERE l.span_id = s.id AND l.state != 'suggested')"
        f" FROM spans s WHERE s.layer = ? AND s.doc_id IN ({marks})",
        (GOLD, *ids),
    )
    by_doc: dict[int, list[Existing]] = {}
    for doc_id, *fields in rows:
        sid, start, end, label, protected, linked = fields
        by_doc.setdefault(doc_id, []).append(
            Existing(sid, start, end, label, bool(protected), bool(linked)))
    return {d: DocSpans(by_doc.get(d, [])) for d in ids}


def rejected_suggestions(
    project: Project, ids: Sequence[int]
) -> dict[int, set[tuple[int, int, str]]]:
    """Suggestions a human deleted (the edit log keeps them in the delete's inverse)."""
    out: dict[int, set[tuple[int, int, str]]] = {}
    marks = ",".join("?" * len(ids))
    for doc_id, inverse in project.conn.execute(
        f"SELECT doc_id, inverse FROM edit_log WHERE op IN ('delete_spans', 'batch')"
        f" AND state = 'done' AND doc_id IN ({marks})",
        tuple(ids),
    ):
        for s in _restored(json.loads(inverse or "{}")):
            if s.get("state") == "suggested" and s.get("layer", GOLD) == GOLD:
                out.setdefault(doc_id, set()).add((s["start"], s["end"], s["label"]))
    return out


def _restored(inverse: dict) -> list[dict]:
    """Spans a delete's inverse puts back, also inside a batch (a first edit of a to-do
    document is batched with setting it in progress)."""
    if inverse.get("op") == "batch":
        return [s for sub in inverse.get("ops", []) for s in _restored(sub)]
    return inverse.get("spans", []) if inverse.get("op") == "restore_spans" else []
