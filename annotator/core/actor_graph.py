"""Who does what to whom: relations between actors across the corpus, and their evidence.

``load_graph`` reads every relation whose two ends are linked to actors in one query
(with each document's status and date); ``aggregate`` filters that list (type, actor
label, document status, date, layer) and folds it into nodes and typed edges with
counts, so a filter change never goes back to the database. Also here: the quad class
of a relation type (from the schema), a document's date, and a mention's sentence.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from annotator.core.schema import Schema
    from annotator.core.store import Project

QUAD_CLASSES = ("verbal cooperation", "material cooperation", "verbal conflict", "material conflict")
QUAD_CODES = {q: i + 1 for i, q in enumerate(QUAD_CLASSES)}  # PLOVER / CAMEO quad codes 1-4
STANDING = "standing"
DATE_KEYS = ("date", "published", "publish_date", "pub_date", "published_at", "datetime", "time")
_MONTHS = {m: i + 1 for i, m in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"))}
_MONTH_RE = "|".join(m.capitalize() for m in _MONTHS) + "|" + "|".join(
    m[:3].capitalize() + r"\." for m in _MONTHS)
_DATE_PATTERNS = (
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), "ymd"),
    (re.compile(rf"\b({_MONTH_RE})\s+(\d{{1,2}}),?\s+(\d{{4}})\b"), "mdy"),
    (re.compile(rf"\b(\d{{1,2}})\s+({_MONTH_RE})\s+(\d{{4}})\b"), "dmy"),
)
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n+")


def relation_classes(schema: Schema) -> dict[str, str]:
    """Relation type -> its quad class (event types) or "standing"."""
    out = {}
    for r in schema.raw.get("relations") or []:
        quad = r.get("quad_class") if r.get("group") == "event" else None
        out[str(r.get("name"))] = quad if quad in QUAD_CODES else STANDING
    return out


def document_date(meta: dict[str, Any], text: str = "") -> str | None:
    """YYYY-MM-DD from the document's meta, else the first full date in its text, else None."""
    for key in DATE_KEYS:
        value = meta.get(key)
        if value:
            found = parse_date(str(value))
            if found:
                return found
    return parse_date(text[:4000])


def parse_date(s: str) -> str | None:
    for rx, order in _DATE_PATTERNS:
        for m in rx.finditer(s):
            a, b, c = m.groups()
            try:
                if order == "ymd":
                    d = date(int(a), int(b), int(c))
                elif order == "mdy":
                    d = date(int(c), _month(a), int(b))
                else:
                    d = date(int(c), _month(b), int(a))
            except ValueError:
                continue
            return d.isoformat()
    return None


def _month(name: str) -> int:
    name = name.rstrip(".").lower()
    return next(v for k, v in _MONTHS.items() if k.startswith(name))


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Code-point bounds of the sentence(s) holding ``text[start:end]``."""
    left = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        left = m.end()
    m = _SENTENCE_END.search(text, max(end, left))
    right = m.start() + len(m.group(0).rstrip()) if m else len(text)
    if m and "\n" in m.group(0):
        right = m.start()
    return left, max(right, end)


# ---- the corpus graph ----------------------------------------------------------------------
@dataclass(slots=True)
class GraphRelation:
    id: int
    doc_id: int
    type: str
    head_actor: int
    child_actor: int
    head_span: int
    child_span: int
    layer: str
    status: str
    date: str | None


@dataclass
class ActorNode:
    id: int
    name: str
    label: str
    country: str
    kb_id: str | None
    mentions: int = 0


@dataclass
class GraphData:
    actors: dict[int, ActorNode] = field(default_factory=dict)
    relations: list[GraphRelation] = field(default_factory=list)
    classes: dict[str, str] = field(default_factory=dict)  # relation type -> quad class
    symmetric: frozenset[str] = frozenset()
    layers: list[str] = field(default_factory=list)
    unlinked: int = 0  # relations with an end that has no actor


@dataclass
class Edge:
    head: int
    child: int
    type: str
    quad: str
    relations: list[GraphRelation] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.relations)


@dataclass
class Filters:
    types: Collection[str] | None = None  # None: every type
    labels: Collection[str] | None = None  # actor labels; an edge needs both ends in the set
    statuses: Collection[str] | None = None
    date_from: str | None = None  # YYYY-MM-DD, inclusive; documents without a date drop out
    date_to: str | None = None
    layer: str = ""  # "" gold; an annotator's layer name


def load_graph(p: Project) -> GraphData:
    """Every relation with both ends linked (links not rejected), in one pass."""
    classes = relation_classes(p.schema)
    data = GraphData(classes=classes, symmetric=frozenset(r.name for r in p.schema.relations
                                                          if r.symmetric))
    for aid, name, label, country, kb in p.conn.execute(
            "SELECT id, name, label, country, kb_id FROM actors"):
        data.actors[aid] = ActorNode(aid, name, label, country, kb)
    for aid, n in p.conn.execute(
            "SELECT actor_id, COUNT(*) FROM span_actor WHERE state != 'rejected' GROUP BY actor_id"):
        if aid in data.actors:
            data.actors[aid].mentions = n
    dates: dict[int, str | None] = {}
    for doc_id, meta, head in p.conn.execute("SELECT id, meta, substr(text, 1, 4000) FROM documents"):
        try:
            m = json.loads(meta or "{}")
        except json.JSONDecodeError:
            m = {}
        dates[doc_id] = document_date(m if isinstance(m, dict) else {}, head or "")
    rows = p.conn.execute(
        "SELECT r.id, r.doc_id, r.label, ha.actor_id, ca.actor_id, r.head_id, r.child_id,"
        " r.layer, d.status FROM relations r JOIN documents d ON d.id = r.doc_id"
        " LEFT JOIN span_actor ha ON ha.span_id = r.head_id AND ha.state != 'rejected'"
        " LEFT JOIN span_actor ca ON ca.span_id = r.child_id AND ca.state != 'rejected'"
        " ORDER BY r.id")
    for rid, doc_id, label, ha, ca, hs, cs, layer, status in rows:
        if ha is None or ca is None:
            data.unlinked += 1
            continue
        data.relations.append(GraphRelation(rid, doc_id, label, ha, ca, hs, cs, layer, status,
                                            dates.get(doc_id)))
    data.layers = sorted({r.layer for r in data.relations} | {""})
    return data


def aggregate(data: GraphData, f: Filters | None = None) -> dict[tuple[int, int, str], Edge]:
    """(head actor, child actor, type) -> edge with its relations; symmetric types once."""
    f = f or Filters()
    types = set(f.types) if f.types is not None else None
    labels = set(f.labels) if f.labels is not None else None
    statuses = set(f.statuses) if f.statuses is not None else None
    actors, classes, sym = data.actors, data.classes, data.symmetric
    edges: dict[tuple[int, int, str], Edge] = {}
    for r in data.relations:
        if r.layer != f.layer or (types is not None and r.type not in types):
            continue
        if statuses is not None and r.status not in statuses:
            continue
        if (f.date_from or f.date_to) and (
                r.date is None or (f.date_from and r.date < f.date_from)
                or (f.date_to and r.date > f.date_to)):
            continue
        if labels is not None and (actors[r.head_actor].label not in labels
                                   or actors[r.child_actor].label not in labels):
            continue
        h, c = r.head_actor, r.child_actor
        if r.type in sym and h > c:
            h, c = c, h
        key = (h, c, r.type)
        e = edges.get(key)
        if e is None:
            e = edges[key] = Edge(h, c, r.type, classes.get(r.type, STANDING))
        e.relations.append(r)
    return edges
