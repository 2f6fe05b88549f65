"""PLOVER-style event data: one JSON line per event relation (``--format events``).

Field names follow PLOVER's JSON (``id``, ``date``, ``actor`` / ``recipient`` entity
objects with ``code``, ``entity_text``, ``identifier_id``, ``identifier_text``, ``event``,
``quad_code``, ``event_loc``, ``text``, ``text_info``, ``coder``, ``coded_date``) plus what
an annotated corpus knows besides: negation, modality, the document, the link state of
each actor and whether the record is accepted. Standing relations (LEADER_OF, ...) are
not events and are left out, and counted. ``resources/schema/events.schema.json``
describes a record; docs/formats.md lists the fields next to PLOVER's and POLECAT's.
"""

from __future__ import annotations

from typing import Any

from annotator.core.actor_graph import QUAD_CODES, STANDING, document_date, relation_classes, sentence_bounds
from annotator.core.actors import Actor, Link, links_of_document
from annotator.core.models import Relation
from annotator.io.formats.common import DocView, LineWriter, SpanView, dumps

PLACE_LABELS = ("LOC", "FAC", "GPE")


class Writer(LineWriter):
    def write(self, view: DocView) -> None:
        p = self.ctx.project
        classes = relation_classes(self.ctx.schema or p.schema)
        rels = {(r.head_id, r.child_id, r.label): r for r in p.relations(view.id, layer=self.ctx.layer)}
        links = links_of_document(p, view.id, layer=self.ctx.layer)
        located = {view.spans[r.head].id: view.spans[r.child] for r in view.relations
                   if r.label == "LOCATED_IN"}
        when = document_date(view.meta, view.text)
        for rv in view.relations:
            quad = classes.get(rv.label, STANDING)
            if quad == STANDING:
                self.summary.note("standing relations left out (events are event relations only)")
                continue
            head, child = view.spans[rv.head], view.spans[rv.child]
            rel = rels.get((head.id, child.id, rv.label))
            if rel is None:  # cannot happen: the view was built from these relations
                continue
            record = event_record(p.id, rel, view, head, child, quad, links, located, when,
                                  layer=self.ctx.layer)
            self.f.write(dumps(record) + "\n")


def event_record(project_id: str, rel: Relation, view: DocView, head: SpanView, child: SpanView,
                 quad: str, links: dict[int, tuple[Link, Actor]], located: dict[int, SpanView],
                 when: str | None, *, layer: str = "") -> dict[str, Any]:
    start, end = sentence_bounds(view.text, min(head.start, child.start), max(head.end, child.end))
    return {
        "id": f"{project_id[:8]}-{rel.id}",
        "date": when,
        "actor": [_entity(head, links)],
        "recipient": [_entity(child, links)],
        "event": [rel.label],
        "event_type": rel.label,
        "quad_code": QUAD_CODES[quad],
        "quad_class": quad,
        "negated": bool(rel.attrs.get("negated", False)),
        "modality": str(rel.attrs.get("modality") or "asserted"),
        "event_loc": _location(view, head, child, links, located, start, end),
        "text": view.text[start:end],
        "text_info": {"start": start, "end": end},
        "doc": {"id": view.id, "name": view.name, "status": view.status},
        "coder": rel.annotator,
        "coded_date": rel.updated_at[:10] or None,
        "state": "accepted" if head.state == child.state == "accepted" else "suggested",
        "layer": layer,
    }


def _entity(s: SpanView, links: dict[int, tuple[Link, Actor]]) -> dict[str, Any]:
    link, actor = links.get(s.id, (None, None))
    if link is not None and link.state == "rejected":
        link, actor = None, None
    country = (actor.country if actor else "") or str(s.attrs.get("country") or "")
    kb = (actor.kb_id if actor else None) or (str(s.attrs["kb_id"]) if s.attrs.get("kb_id") else None)
    return {
        "entity_text": s.text,
        "start": s.start,
        "end": s.end,
        "label": s.label,
        "code": country or None,
        "identifier_id": kb,
        "identifier_text": actor.name if actor else None,
        "actor_id": actor.id if actor else None,
        "link": link.state if link else None,
        "span_state": s.state,
    }


def _location(view: DocView, head: SpanView, child: SpanView, links: dict[int, tuple[Link, Actor]],
              located: dict[int, SpanView], start: int, end: int) -> dict[str, Any] | None:
    """A LOCATED_IN of either end, else the first place named in the sentence (not an end)."""
    place, how = None, ""
    for s in (child, head):
        if s.id in located:
            place, how = located[s.id], "LOCATED_IN"
            break
    if place is None:
        ends = {head.id, child.id}
        place = next((s for s in view.spans if s.label in PLACE_LABELS and s.id not in ends
                      and start <= s.start and s.end <= end), None)
        how = "sentence"
    if place is None:
        return None
    return {**_entity(place, links), "how": how}
