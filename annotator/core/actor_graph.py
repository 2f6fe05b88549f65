"""Who does what to whom: relations between actors across the corpus, and their evidence.

``load_graph`` reads every relation whose two ends are linked to actors in one query
(with each document's status and date); ``aggregate`` filters that list (type, actor
label, document status, date, layer) and folds it into nodes and typed edges with
counts, so a filter change never goes back to the database. Also here: the quad class
of a relation type (from the schema), a document's date, and a mention's sentence.
"""

from __future__ import annotations

import gc
import json
import re
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

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
    (re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)"), "ymd"),
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
    right = m.start() + len(m.group(0).rstrip()) if m else len(text)  # keeps the full stop
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
    """Relations as columns (numpy): filtering 50,000 of them is a few array operations."""

    actors: dict[int, ActorNode] = field(default_factory=dict)
    classes: dict[str, str] = field(default_factory=dict)  # relation type -> quad class
    symmetric: frozenset[str] = frozenset()
    types: list[str] = field(default_factory=list)  # code -> name, for the type column
    layers: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    cols: dict[str, np.ndarray] = field(default_factory=dict)  # id, doc, type, head, child, ...
    unlinked: int = 0  # relations with an end that has no actor

    def __len__(self) -> int:
        return len(self.cols.get("id", ()))

    def relation(self, i: int, p: Project) -> GraphRelation:
        """Row ``i`` as a record; its span ids come from the store (kept out of the columns)."""
        c = self.cols
        d = int(c["date"][i])
        rel = p.relation(int(c["id"][i]))
        return GraphRelation(rel.id, rel.doc_id, self.types[c["type"][i]], int(c["head"][i]),
                             int(c["child"][i]), rel.head_id, rel.child_id,
                             self.layers[c["layer"][i]], self.statuses[c["status"][i]],
                             f"{d // 10000:04d}-{d // 100 % 100:02d}-{d % 100:02d}" if d else None)

    def pair_weights(self) -> dict[tuple[int, int], int]:
        """(head actor, child actor) -> number of relations, over every layer and type."""
        if not len(self):
            return {}
        pairs, counts = np.unique(np.stack([self.cols["head"], self.cols["child"]], axis=1),
                                  axis=0, return_counts=True)
        return {(int(h), int(c)): int(n) for (h, c), n in zip(pairs, counts, strict=True)}


@dataclass(slots=True)
class Edge:
    head: int
    child: int
    type: str
    quad: str
    pool: np.ndarray  # relation rows of every edge, grouped; this edge's are [start:end]
    start: int
    end: int

    @property
    def rows(self) -> np.ndarray:
        """Indices into GraphData's columns of this edge's relations."""
        return self.pool[self.start:self.end]

    @property
    def count(self) -> int:
        return self.end - self.start


@dataclass
class Filters:
    types: Collection[str] | None = None  # None: every type
    labels: Collection[str] | None = None  # actor labels; an edge needs both ends in the set
    statuses: Collection[str] | None = None
    date_from: str | None = None  # YYYY-MM-DD, inclusive; documents without a date drop out
    date_to: str | None = None
    layer: str = ""  # "" gold; an annotator's layer name


def load_graph(p: Project) -> GraphData:
    """Every relation with both ends linked (links not rejected), in one query."""
    classes = relation_classes(p.schema)
    data = GraphData(classes=classes, symmetric=frozenset(r.name for r in p.schema.relations
                                                          if r.symmetric))
    for aid, name, label, country, kb in p.conn.execute(
            "SELECT id, name, label, country, kb_id FROM actors"):
        data.actors[aid] = ActorNode(aid, name, label, country, kb)
    for aid, n in p.conn.execute(  # gold mentions, as the actor table counts them: a merged
            "SELECT l.actor_id, COUNT(*) FROM span_actor l JOIN spans s ON s.id = l.span_id"
            " WHERE l.state != 'rejected' AND s.layer = '' GROUP BY l.actor_id"):  # layer adds none
        if aid in data.actors:
            data.actors[aid].mentions = n
    dates: dict[int, int] = {}
    for doc_id, meta, head in p.conn.execute("SELECT id, meta, substr(text, 1, 4000) FROM documents"):
        try:
            m = json.loads(meta or "{}")
        except json.JSONDecodeError:
            m = {}
        found = document_date(m if isinstance(m, dict) else {}, head or "")
        dates[doc_id] = int(found.replace("-", "")) if found else 0
    rows = p.conn.execute(  # few columns: building 50,000 Python tuples is the slow part
        "SELECT r.id, r.doc_id, r.label, COALESCE(ha.actor_id, -1), COALESCE(ca.actor_id, -1),"
        " r.layer FROM relations r"
        " LEFT JOIN span_actor ha ON ha.span_id = r.head_id AND ha.state != 'rejected'"
        " LEFT JOIN span_actor ca ON ca.span_id = r.child_id AND ca.state != 'rejected'"
        ).fetchall()
    cols = list(zip(*rows, strict=True)) if rows else [()] * 6
    ints = {name: np.array(cols[i], dtype=np.int64) for i, name in
            ((0, "id"), (1, "doc"), (3, "head"), (4, "child"))}
    keep = (ints["head"] >= 0) & (ints["child"] >= 0)
    data.unlinked = int(len(keep) - keep.sum())
    data.cols = {k: v[keep] for k, v in ints.items()}
    for i, name in ((2, "type"), (5, "layer")):
        values, codes = np.unique(np.array(cols[i], dtype=object).astype(str), return_inverse=True)
        data.cols[name] = codes.ravel().astype(np.int32)[keep]
        setattr(data, {"type": "types", "layer": "layers"}[name], [str(v) for v in values])
    if "" not in data.layers:
        data.layers.append("")
    status_of = dict(p.conn.execute("SELECT id, status FROM documents").fetchall())
    data.statuses = sorted(set(status_of.values()))
    doc_status = np.zeros(max(status_of, default=0) + 1, dtype=np.int32)
    for doc_id, st in status_of.items():
        doc_status[doc_id] = data.statuses.index(st)
    data.cols["status"] = doc_status[data.cols["doc"]]
    order = np.argsort(data.cols["id"], kind="stable")  # relation id order (stable evidence)
    data.cols = {k: v[order] for k, v in data.cols.items()}
    doc_dates = np.zeros(max(dates, default=0) + 1, dtype=np.int64)
    for doc_id, d in dates.items():
        doc_dates[doc_id] = d
    data.cols["date"] = doc_dates[data.cols["doc"]] if len(doc_dates) else data.cols["doc"] * 0
    return data


@contextmanager
def paused_gc() -> Iterator[None]:
    """No garbage collection while tens of thousands of small objects are made: a full
    collection in the middle costs more than building them (measured: 13 -> 80 ms)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def aggregate(data: GraphData, f: Filters | None = None) -> dict[tuple[int, int, str], Edge]:
    """(head actor, child actor, type) -> edge with its relations; symmetric types once."""
    f = f or Filters()
    c = data.cols
    if not len(data) or f.layer not in data.layers:
        return {}
    mask = c["layer"] == data.layers.index(f.layer)
    if f.types is not None:
        types = set(f.types)
        mask &= np.isin(c["type"], [i for i, t in enumerate(data.types) if t in types])
    if f.statuses is not None:
        statuses = set(f.statuses)
        mask &= np.isin(c["status"], [i for i, s in enumerate(data.statuses) if s in statuses])
    if f.date_from or f.date_to:
        lo = int(f.date_from.replace("-", "")) if f.date_from else 1
        hi = int(f.date_to.replace("-", "")) if f.date_to else 99_999_999
        mask &= (c["date"] >= lo) & (c["date"] <= hi)
    if f.labels is not None:
        wanted = set(f.labels)
        ok = np.zeros(max(data.actors, default=0) + 1, dtype=bool)
        ok[[a for a, n in data.actors.items() if n.label in wanted]] = True
        mask &= ok[c["head"]] & ok[c["child"]]
    rows = np.nonzero(mask)[0]
    if not len(rows):
        return {}
    h, ch, t = c["head"][rows], c["child"][rows], c["type"][rows]
    sym = np.isin(t, [i for i, name in enumerate(data.types) if name in data.symmetric])
    swap = sym & (h > ch)
    h, ch = np.where(swap, ch, h), np.where(swap, h, ch)
    n_types = max(len(data.types), 1)
    span = int(max(h.max(), ch.max())) + 1
    keys = (h * span + ch) * n_types + t
    uniq, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    grouped = rows[np.argsort(inverse.ravel(), kind="stable")]
    ends = np.cumsum(counts)
    pair, tt = np.divmod(uniq, n_types)
    hh, cc = np.divmod(pair, span)
    names = data.types
    quads = [data.classes.get(t, STANDING) for t in names]
    starts = (ends - counts).tolist()
    with paused_gc():
        edges = {(h_, c_, names[t_]): Edge(h_, c_, names[t_], quads[t_], grouped, a, b)
                 for h_, c_, t_, a, b in zip(hh.tolist(), cc.tolist(), tt.tolist(), starts,
                                             ends.tolist(), strict=True)}
    return edges
