"""Reviewing suggested relations: accept, correct, reject (edit operations, logged, undoable).

A rejected suggestion is remembered in ``rejected_relations`` by position (so a re-run
never suggests it on that document again) and by text (head text, trigger, child text,
type: project memory stops suggesting the same pattern elsewhere). Undoing a reject puts
the relation back and forgets the rejection.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from annotator.core.errors import EditError
from annotator.core.models import GOLD, Relation, now
from annotator.core.ops import (  # noqa: F401 - accept_relations is part of this API
    Batch,
    Change,
    Op,
    SetRelationStates,
    UpdateRelation,
    accept_relations,
)

if TYPE_CHECKING:
    from annotator.core.store import Project

SUGGESTED, ACCEPTED = "suggested", "accepted"


def correct_relation(p: Project, relation_id: int, **changes: Any) -> Op:
    """Change a relation (type, attributes, direction); a corrected suggestion is accepted.

    The corrected relation keeps its ``trigger`` attribute, so project memory learns the
    pattern (head text, trigger, child text -> the human's type and attributes).
    """
    rel = p.relation(relation_id)
    op: Op = UpdateRelation(relation_id, dict(changes))
    if rel.state == SUGGESTED:
        op = Batch([op, accept_relations([relation_id])])
    return op


@dataclass
class RejectRelations(Op):
    """Delete suggested relations and remember them as rejected."""

    name: ClassVar[str] = "reject_relations"
    relation_ids: list[int]

    def apply(self, p: Project) -> tuple[Change, Op]:
        if not self.relation_ids:
            raise EditError("no relation to reject")
        rels = [p.relation(i) for i in self.relation_ids]
        reject_ids: list[int] = []
        for r in rels:
            if r.state != SUGGESTED:
                raise EditError("only a suggested relation can be rejected (delete it instead)")
            head, child = p.span(r.head_id), p.span(r.child_id)
            text = p.text(r.doc_id)
            cur = p.conn.execute(
                "INSERT INTO rejected_relations (doc_id, head_start, head_end, child_start,"
                " child_end, label, head_text, child_text, trigger, annotator, created_at)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (r.doc_id, head.start, head.end, child.start, child.end, r.label,
                 text[head.start:head.end], text[child.start:child.end],
                 str(r.attrs.get("trigger", "")), p.annotator, now()),
            )
            reject_ids.append(int(cur.lastrowid or 0))
        marks = ",".join("?" * len(rels))
        p.conn.execute(f"DELETE FROM relations WHERE id IN ({marks})", self.relation_ids)
        change = Change(doc_id=rels[0].doc_id, relations_removed=rels)
        return change, UnrejectRelations([r.to_dict() for r in rels], reject_ids)


@dataclass
class UnrejectRelations(Op):
    """The inverse of a reject: the relations come back, the rejections are forgotten."""

    name: ClassVar[str] = "unreject_relations"
    relations: list[dict[str, Any]]
    rejection_ids: list[int] = field(default_factory=list)

    def apply(self, p: Project) -> tuple[Change, Op]:
        if self.rejection_ids:
            marks = ",".join("?" * len(self.rejection_ids))
            p.conn.execute(f"DELETE FROM rejected_relations WHERE id IN ({marks})",
                           self.rejection_ids)
        rels = [p.insert_relation_row(Relation(**r)) for r in self.relations]
        change = Change(doc_id=rels[0].doc_id if rels else None, relations_added=rels)
        return change, RejectRelations([r.id for r in rels])


def suggested_relations(p: Project, doc_id: int, *, layer: str = GOLD) -> list[Relation]:
    """The document's relations still waiting for review."""
    return [r for r in p.relations(doc_id, layer=layer) if r.state == SUGGESTED]
