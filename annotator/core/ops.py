"""Edit operations: the one write path for annotators' edits.

Each operation runs inside ``Project.apply`` (one transaction), returns a ``Change``
saying what changed (the GUI refreshes from it) and the inverse operation (undo runs
it; redo runs the inverse's inverse). Operations serialize to JSON for the edit log.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from annotator.core.actors import restore_parked_links
from annotator.core.edit import Change, EditResult, Op, op_from_dict  # noqa: F401 - re-exported
from annotator.core.errors import EditError
from annotator.core.models import BULK, GOLD, SOURCES, STATES, STATUSES, Relation, Span, now

if TYPE_CHECKING:
    from annotator.core.store import Project

# ---- spans ---------------------------------------------------------------------------------
@dataclass
class AddSpan(Op):
    name: ClassVar[str] = "add_span"
    doc_id: int
    start: int
    end: int
    label: str
    source: str = "human"
    state: str = "accepted"
    attrs: dict[str, Any] = field(default_factory=dict)
    layer: str = GOLD
    span_id: int | None = None  # set when redoing, so relations keep pointing at it

    def apply(self, p: Project) -> tuple[Change, Op]:
        _check_span(p, self.doc_id, self.start, self.end, self.label)
        if self.source not in SOURCES or self.state not in STATES:
            raise EditError(f"bad source/state {self.source}/{self.state}")
        p.schema.check_attrs(self.attrs, relation=False)
        dup = p.conn.execute(
            "SELECT id FROM spans WHERE doc_id=? AND start=? AND end=? AND label=? AND layer=?",
            (self.doc_id, self.start, self.end, self.label, self.layer),
        ).fetchone()
        if dup:
            raise EditError(f"a {self.label} span is already there")
        if not p.schema.allow_overlap:
            _check_no_overlap(p, self.doc_id, self.start, self.end, self.layer)
        span = p.insert_span_row(Span(
            id=self.span_id or 0, doc_id=self.doc_id, start=self.start, end=self.end,
            label=self.label, source=self.source, state=self.state, annotator=p.annotator,
            layer=self.layer, attrs=dict(self.attrs),
        ))
        return Change(doc_id=self.doc_id, spans_added=[span]), DeleteSpans([span.id])


@dataclass
class DeleteSpans(Op):
    """Delete spans and, with them, every relation that touches them."""

    name: ClassVar[str] = "delete_spans"
    span_ids: list[int]

    def apply(self, p: Project) -> tuple[Change, Op]:
        if not self.span_ids:
            raise EditError("no span to delete")
        spans = [p.span(i) for i in self.span_ids]
        rels = p.relations_of_spans(self.span_ids)
        marks = ",".join("?" * len(self.span_ids))
        runs = {str(i): r for i, r in p.conn.execute(  # a suggestion brought back is still its run's
            f"SELECT id, run_id FROM spans WHERE id IN ({marks}) AND run_id != ''", self.span_ids)}
        p.conn.execute(f"DELETE FROM spans WHERE id IN ({marks})", self.span_ids)
        change = Change(doc_id=_doc_of(spans), spans_removed=spans, relations_removed=rels)
        return change, RestoreSpans([s.to_dict() for s in spans], [r.to_dict() for r in rels],
                                    runs)


@dataclass
class RestoreSpans(Op):
    """Put deleted spans (and their relations) back with their ids: the inverse of a delete."""

    name: ClassVar[str] = "restore_spans"
    spans: list[dict[str, Any]]
    relations: list[dict[str, Any]] = field(default_factory=list)
    run_ids: dict[str, str] = field(default_factory=dict)  # span id -> the run that made it

    def apply(self, p: Project) -> tuple[Change, Op]:
        for s in self.spans:  # someone labelled it again meanwhile: two copies would be wrong
            if p.conn.execute(
                    "SELECT 1 FROM spans WHERE doc_id = ? AND start = ? AND end = ? AND label = ?"
                    " AND layer = ?", (s["doc_id"], s["start"], s["end"], s["label"],
                                       s.get("layer", GOLD))).fetchone():
                raise EditError(f"{s['label']} at {s['start']}-{s['end']} was labelled again since")
        try:
            spans = [p.insert_span_row(Span(**s)) for s in self.spans]
        except sqlite3.IntegrityError:  # an older project lent the id to another span
            raise EditError("its span id now belongs to another span") from None
        p.conn.executemany("UPDATE spans SET run_id = ? WHERE id = ?",
                           [(run, int(i)) for i, run in self.run_ids.items()])
        restore_parked_links(p, [s.id for s in spans])  # their actor links come back too
        rels = [p.insert_relation_row(Relation(**r)) for r in self.relations]
        change = Change(doc_id=_doc_of(spans) or _doc_of(rels), spans_added=spans,
                        relations_added=rels)
        if spans:  # their relations go with them (ON DELETE CASCADE)
            return change, DeleteSpans([s.id for s in spans])
        return change, DeleteRelations([r.id for r in rels])


@dataclass
class AddSpans(Op):
    """Several spans at once (label all occurrences): one transaction, one undo step."""

    name: ClassVar[str] = "add_spans"
    doc_id: int
    spans: list[dict[str, Any]]  # start, end, label (+ optional source, state, attrs)
    layer: str = GOLD

    def apply(self, p: Project) -> tuple[Change, Op]:
        added: list[Span] = []
        for s in self.spans:
            op = AddSpan(doc_id=self.doc_id, layer=self.layer, **s)
            added += op.apply(p)[0].spans_added
        return Change(doc_id=self.doc_id, spans_added=added), DeleteSpans([s.id for s in added])


_SPAN_FIELDS = ("start", "end", "label", "state", "source", "attrs", "annotator", "review")
_DECISION = ("start", "end", "label", "state")  # a human decided: the bulk mark goes


@dataclass
class UpdateSpans(Op):
    """Change fields of spans: relabel, resize, accept, set attributes.

    ``changes`` maps a span id (as a string, JSON-friendly) to the new field values.
    A suggestion resized or relabelled becomes the annotator's (source human, accepted), and
    its machine attributes (a gazetteer ``country`` of "Russian" on "Russian troops") go; a
    decision on a span accepted in bulk clears its ``review`` mark. The inverse restores all.
    """

    name: ClassVar[str] = "update_spans"
    changes: dict[str, dict[str, Any]]

    def apply(self, p: Project) -> tuple[Change, Op]:
        before: dict[str, dict[str, Any]] = {}
        updated: list[Span] = []
        rows: dict[tuple[str, ...], list[tuple]] = {}  # by the columns set: untouched indexes stay
        ts = now()
        found = p.spans_by_id(int(sid) for sid in self.changes)
        n_chars: dict[int, int] = {}
        for sid, new in self.changes.items():
            span = found.get(int(sid))
            if span is None:
                raise EditError(f"span {sid} does not exist (deleted?)")
            bad = set(new) - set(_SPAN_FIELDS)
            if bad:
                raise EditError(f"cannot change {', '.join(sorted(bad))} of a span")
            new = _implied(span, new)
            before[sid] = {k: getattr(span, k) for k in (*new, "annotator") if k in _SPAN_FIELDS}
            for k, v in new.items():
                setattr(span, k, v)
            if "start" in new or "end" in new or "label" in new:
                if span.doc_id not in n_chars:
                    n_chars[span.doc_id] = _doc_chars(p, span.doc_id)
                _check_bounds(p, span, n_chars[span.doc_id])
            if span.state not in STATES or span.source not in SOURCES:
                raise EditError(f"bad state/source {span.state}/{span.source}")
            if "attrs" in new or "label" in new:
                p.schema.check_attrs(span.attrs, relation=False)
            if "annotator" not in new:
                span.annotator = p.annotator or span.annotator
            span.updated_at = ts
            cols = (*sorted(set(new) - {"annotator"}), "annotator", "updated_at")
            rows.setdefault(cols, []).append((*(_column(span, c) for c in cols), span.id))
            updated.append(span)
        for cols, values in rows.items():
            sets = ", ".join(f"{c}=?" for c in cols)
            p.conn.executemany(f"UPDATE spans SET {sets} WHERE id=?", values)
        return Change(doc_id=_doc_of(updated), spans_updated=updated), UpdateSpans(before)

    def to_dict(self) -> dict[str, Any]:  # plain JSON already: skip asdict's deep copy
        return {"op": self.name, "changes": self.changes}


def _column(span: Span, name: str) -> Any:
    if name == "attrs":
        return json.dumps(span.attrs, ensure_ascii=False) if span.attrs else "{}"
    return getattr(span, name)


def _implied(span: Span, new: dict[str, Any]) -> dict[str, Any]:
    """The fields a change implies beyond those it names (see ``UpdateSpans``)."""
    out = dict(new)
    moved = any(k in new and new[k] != getattr(span, k) for k in ("start", "end", "label"))
    if moved and span.source != "human" and "source" not in new:
        out["source"] = "human"
        out.setdefault("state", "accepted")
        if "attrs" not in new and span.attrs:
            out["attrs"] = {}
    if span.review and "review" not in new and any(k in new for k in _DECISION):
        out["review"] = ""
    return out


def relabel_span(span_id: int, label: str) -> UpdateSpans:
    """Relabel; a relabelled suggestion counts as accepted (a human decided)."""
    return UpdateSpans({str(span_id): {"label": label, "state": "accepted"}})


def resize_span(span_id: int, start: int, end: int) -> UpdateSpans:
    return UpdateSpans({str(span_id): {"start": start, "end": end}})


def accept_spans(span_ids: list[int]) -> UpdateSpans:
    return UpdateSpans({str(i): {"state": "accepted"} for i in span_ids})


def set_span_attrs(span_id: int, attrs: dict[str, Any]) -> UpdateSpans:
    return UpdateSpans({str(span_id): {"attrs": attrs}})


# ---- relations -----------------------------------------------------------------------------
@dataclass
class AddRelation(Op):
    name: ClassVar[str] = "add_relation"
    head_id: int
    child_id: int
    label: str
    attrs: dict[str, Any] = field(default_factory=dict)
    relation_id: int | None = None

    def apply(self, p: Project) -> tuple[Change, Op]:
        head, child = p.span(self.head_id), p.span(self.child_id)
        _check_relation(p, head, child, self.label, self.attrs, exclude=None)
        rel = p.insert_relation_row(Relation(
            id=self.relation_id or 0, doc_id=head.doc_id, head_id=head.id, child_id=child.id,
            label=self.label, attrs=dict(self.attrs), annotator=p.annotator, layer=head.layer,
        ))
        return Change(doc_id=head.doc_id, relations_added=[rel]), DeleteRelations([rel.id])


@dataclass
class DeleteRelations(Op):
    name: ClassVar[str] = "delete_relations"
    relation_ids: list[int]

    def apply(self, p: Project) -> tuple[Change, Op]:
        if not self.relation_ids:
            raise EditError("no relation to delete")
        rels = [p.relation(i) for i in self.relation_ids]
        marks = ",".join("?" * len(rels))
        p.conn.execute(f"DELETE FROM relations WHERE id IN ({marks})", self.relation_ids)
        change = Change(doc_id=_doc_of(rels), relations_removed=rels)
        return change, RestoreSpans([], [r.to_dict() for r in rels])


_RELATION_FIELDS = ("label", "attrs", "head_id", "child_id")


@dataclass
class UpdateRelation(Op):
    """Change type, attributes or ends (swap direction) of a relation."""

    name: ClassVar[str] = "update_relation"
    relation_id: int
    changes: dict[str, Any]

    def apply(self, p: Project) -> tuple[Change, Op]:
        rel = p.relation(self.relation_id)
        bad = set(self.changes) - set(_RELATION_FIELDS)
        if bad:
            raise EditError(f"cannot change {', '.join(sorted(bad))} of a relation")
        before = {k: getattr(rel, k) for k in self.changes}
        for k, v in self.changes.items():
            setattr(rel, k, v)
        head, child = p.span(rel.head_id), p.span(rel.child_id)
        _check_relation(p, head, child, rel.label, rel.attrs, exclude=rel.id)
        rel.annotator = p.annotator or rel.annotator
        rel.updated_at = now()
        p.conn.execute(
            "UPDATE relations SET head_id=?, child_id=?, label=?, attrs=?, annotator=?,"
            " updated_at=? WHERE id=?",
            (rel.head_id, rel.child_id, rel.label, json.dumps(rel.attrs, ensure_ascii=False),
             rel.annotator, rel.updated_at, rel.id),
        )
        return Change(doc_id=rel.doc_id, relations_updated=[rel]), UpdateRelation(rel.id, before)


def swap_relation(p: Project, relation_id: int) -> UpdateRelation:
    rel = p.relation(relation_id)
    return UpdateRelation(relation_id, {"head_id": rel.child_id, "child_id": rel.head_id})


# ---- documents -----------------------------------------------------------------------------
@dataclass
class SetStatus(Op):
    """Set a document's status; ``accept`` with "done" accepts its remaining suggestions."""

    name: ClassVar[str] = "set_status"
    doc_id: int
    status: str
    accept: bool = False
    seen: list[int] = field(default_factory=list)  # suggestions the annotator looked at

    # Suggestions accepted here that the annotator never selected are marked review=BULK:
    # they do not teach project memory and exports tell them from reviewed ones.

    def apply(self, p: Project) -> tuple[Change, Op]:
        if self.status not in STATUSES:
            raise EditError(f"status must be one of {', '.join(STATUSES)}")
        old = p.document(self.doc_id, with_text=False).status
        p.conn.execute(
            "UPDATE documents SET status=?, updated_at=? WHERE id=?",
            (self.status, now(), self.doc_id),
        )
        change, inverse = Change(doc_id=self.doc_id, status=self.status), SetStatus(self.doc_id, old)
        if self.accept and self.status == "done":
            seen = set(self.seen)
            ids = [s.id for s in p.spans(self.doc_id, state="suggested")]
            if ids:
                sub, sub_inv = UpdateSpans({str(i): {"state": "accepted"} if i in seen else
                                            {"state": "accepted", "review": BULK}
                                            for i in ids}).apply(p)
                change.extend(sub)
                inverse = Batch([sub_inv, inverse])
            rels = [r.id for r in p.relations(self.doc_id) if r.state == "suggested"]
            if rels:  # relation suggestions left standing are accepted like spans
                sub, sub_inv = accept_relations(rels).apply(p)
                change.extend(sub)
                inverse = Batch([sub_inv, inverse])
        return change, inverse


@dataclass
class Batch(Op):
    """Several operations as one transaction and one undo step."""

    name: ClassVar[str] = "batch"
    ops: list[Op]

    def apply(self, p: Project) -> tuple[Change, Op]:
        change, inverses = Change(), []
        for op in self.ops:
            sub, inv = op.apply(p)
            change.extend(sub)
            inverses.append(inv)
        return change, Batch(inverses[::-1])

    def to_dict(self) -> dict[str, Any]:
        return {"op": self.name, "ops": [o.to_dict() for o in self.ops]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Batch:
        return cls([op_from_dict(x) for x in d["ops"]])


# ---- relation review states (suggested / accepted) ----------------------------------------
@dataclass
class SetRelationStates(Op):
    """Set the review state of relations; ``states`` maps a relation id (str) to its state."""

    name: ClassVar[str] = "set_relation_states"
    states: dict[str, str]

    def apply(self, p: Project) -> tuple[Change, Op]:
        if not self.states:
            raise EditError("no relation to accept")
        before: dict[str, str] = {}
        updated: list[Relation] = []
        for rid, state in self.states.items():
            if state not in STATES:
                raise EditError(f"bad relation state {state!r}")
            rel = p.relation(int(rid))
            before[rid] = rel.state
            rel.state, rel.updated_at = state, now()
            rel.annotator = p.annotator or rel.annotator
            p.conn.execute(
                "UPDATE relations SET state=?, annotator=?, updated_at=? WHERE id=?",
                (rel.state, rel.annotator, rel.updated_at, rel.id),
            )
            updated.append(rel)
        return Change(doc_id=updated[0].doc_id, relations_updated=updated), SetRelationStates(before)


def accept_relations(relation_ids: list[int]) -> SetRelationStates:
    """Accept suggested relations (already accepted ones stay as they are)."""
    return SetRelationStates({str(i): "accepted" for i in relation_ids})


# ---- helpers -------------------------------------------------------------------------------
def _doc_of(items: list[Any]) -> int | None:
    return items[0].doc_id if items else None


def _doc_chars(p: Project, doc_id: int) -> int:
    row = p.conn.execute("SELECT n_chars FROM documents WHERE id = ?", (doc_id,)).fetchone()
    if row is None:
        raise EditError(f"no document {doc_id}")
    return int(row[0])


def _check_span(p: Project, doc_id: int, start: int, end: int, label: str) -> None:
    _check_bounds(p, Span(0, doc_id, start, end, label), _doc_chars(p, doc_id))


def _check_bounds(p: Project, s: Span, n_chars: int) -> None:
    if not (isinstance(s.start, int) and isinstance(s.end, int) and 0 <= s.start < s.end <= n_chars):
        raise EditError(f"span {s.start}-{s.end} is outside the text (0-{n_chars}) or empty")
    if s.label not in p.schema.labels:
        raise EditError(f"unknown label {s.label!r}")


def _check_no_overlap(p: Project, doc_id: int, start: int, end: int, layer: str) -> None:
    hit = p.conn.execute(
        "SELECT 1 FROM spans WHERE doc_id=? AND layer=? AND start < ? AND end > ? LIMIT 1",
        (doc_id, layer, end, start),
    ).fetchone()
    if hit:
        raise EditError("this schema does not allow overlapping spans")


def _check_relation(
    p: Project, head: Span, child: Span, label: str, attrs: dict[str, Any], *, exclude: int | None
) -> None:
    if head.id == child.id:
        raise EditError("a relation needs two different spans")
    if head.doc_id != child.doc_id or head.layer != child.layer:
        raise EditError("both ends of a relation must be in the same document and layer")
    p.schema.check_relation(label, head.label, child.label)
    p.schema.check_attrs(attrs, relation=True)
    rtype = p.schema.relation(label)
    pairs = [(head.id, child.id)] + ([(child.id, head.id)] if rtype and rtype.symmetric else [])
    for h, c in pairs:
        row = p.conn.execute(
            "SELECT id FROM relations WHERE head_id=? AND child_id=? AND label=? AND id IS NOT ?",
            (h, c, label, exclude),
        ).fetchone()
        if row:
            raise EditError(f"this {label} relation already exists")

