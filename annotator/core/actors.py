"""Canonical actors and the links from entity spans to them: records and read queries.

An actor is one real-world entity ("Nicolás Maduro", the United States) with an optional
knowledge-base id (a Wikidata QID), a display name, a label and an ISO 3166 alpha-3
country. A span links to at most one actor; the link has a state (suggested by the
linker, accepted by a person, or rejected: kept so the linker does not suggest it again)
and the reason it was made ("registry", "country", "capital", "surname", "memory", ...).
Writes go through ``annotator.core.actor_ops``; this module only reads.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from annotator.core.db import next_ids
from annotator.core.errors import EditError
from annotator.core.models import GOLD

if TYPE_CHECKING:
    from annotator.core.store import Project

LINK_STATES = ("suggested", "accepted", "rejected")
ACTOR_COLUMNS = "id, kb_id, name, label, country, registry_id, created_at, updated_at"
LINK_COLUMNS = "span_id, actor_id, state, reason, annotator, updated_at"
DEFAULT_ACTOR_LABELS = ("GPE", "ORG", "MIL_UNIT", "ARMED_GROUP", "PERSON", "NORP")
_COUNTRY = re.compile(r"^[A-Z]{3}$")
_SPACES = re.compile(r"\s+")


@dataclass(slots=True)
class Actor:
    id: int
    name: str
    label: str = ""
    country: str = ""
    kb_id: str | None = None
    registry_id: str | None = None  # the registry entry it was made from, if any
    created_at: str = ""
    updated_at: str = ""

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Actor:
        return cls(**row)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Link:
    span_id: int
    actor_id: int
    state: str = "suggested"
    reason: str = ""
    annotator: str = ""
    updated_at: str = ""

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Link:
        return cls(**row)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ActorRow:
    """One line of the actor table: the actor and what the corpus says about it."""

    actor: Actor
    mentions: int = 0
    suggested: int = 0
    documents: int = 0
    labels: Counter[str] = field(default_factory=Counter)
    texts: Counter[str] = field(default_factory=Counter)

    def to_dict(self) -> dict[str, Any]:
        a = self.actor
        return {"id": a.id, "kb_id": a.kb_id, "name": a.name, "label": a.label,
                "country": a.country, "mentions": self.mentions, "suggested": self.suggested,
                "documents": self.documents, "labels": dict(self.labels.most_common()),
                "texts": dict(self.texts.most_common())}


ACTOR_SEQ = "actor_seq"  # project_meta: the highest actor id ever handed out


def new_actor_id(conn: Any) -> int:
    """A fresh actor id, never one an actor had before (merged, deleted or parked since):
    undo and redo bring actors back under their own ids, so an id must mean one actor."""
    (high,) = conn.execute("SELECT MAX(m) FROM (SELECT MAX(CAST(id AS INTEGER)) AS m FROM actors"
                           " UNION ALL SELECT MAX(CAST(id AS INTEGER)) FROM parked_actors)"
                           ).fetchone()
    return next_ids(conn, ACTOR_SEQ, high or 0)


# ---- names ---------------------------------------------------------------------------------
@lru_cache(maxsize=65536)  # mention texts repeat a lot ("Russia", "Maduro", ...)
def fold(text: str) -> str:
    """Accent-, case- and punctuation-folded name: "Guaidó" == "guaido", "U.S." == "US"."""
    decomposed = unicodedata.normalize("NFKD", text)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    base = base.replace("\u2019", "'").replace(".", "").replace("-", " ")
    base = base.removesuffix("'s").removesuffix("'")
    base = _SPACES.sub(" ", base).strip().casefold()
    return base.removeprefix("the ")


def check_country(country: str) -> str:
    country = (country or "").strip().upper()
    if country and not _COUNTRY.match(country):
        raise EditError(f"country must be an ISO 3166 alpha-3 code like VEN, not {country!r}")
    return country


def actor_labels(p: Project) -> tuple[str, ...]:
    """Labels whose spans name actors: the schema's ACTOR set, else the default six."""
    labels = (p.schema.raw.get("label_sets") or {}).get("ACTOR") or DEFAULT_ACTOR_LABELS
    return tuple(x for x in labels if x in p.schema.labels)


# ---- reads ---------------------------------------------------------------------------------
def get_actor(p: Project, actor_id: int) -> Actor:
    row = p._one(f"SELECT {ACTOR_COLUMNS} FROM actors WHERE id = ?", (actor_id,))
    if row is None:
        raise EditError(f"actor {actor_id} does not exist (merged or deleted?)")
    return Actor.from_row(row)


def all_actors(p: Project) -> list[Actor]:
    return [Actor.from_row(r) for r in p._all(f"SELECT {ACTOR_COLUMNS} FROM actors ORDER BY id")]


def link_of(p: Project, span_id: int) -> Link | None:
    row = p._one(f"SELECT {LINK_COLUMNS} FROM span_actor WHERE span_id = ?", (span_id,))
    return Link.from_row(row) if row else None


def links_of_document(p: Project, doc_id: int, *, layer: str | None = GOLD) -> dict[int, tuple[Link, Actor]]:
    """span id -> (link, actor) for the document's linked spans (rejected ones included)."""
    sql = (f"SELECT {', '.join('l.' + c.strip() for c in LINK_COLUMNS.split(','))},"
           f" {', '.join('a.' + c.strip() + ' AS a_' + c.strip() for c in ACTOR_COLUMNS.split(','))}"
           " FROM span_actor l JOIN spans s ON s.id = l.span_id JOIN actors a ON a.id = l.actor_id"
           " WHERE s.doc_id = ?")
    args: list[Any] = [doc_id]
    if layer is not None:
        sql += " AND s.layer = ?"
        args.append(layer)
    out: dict[int, tuple[Link, Actor]] = {}
    for row in p._all(sql, args):
        actor = Actor.from_row({k[2:]: v for k, v in row.items() if k.startswith("a_")})
        link = Link.from_row({k: v for k, v in row.items() if not k.startswith("a_")})
        out[link.span_id] = (link, actor)
    return out


def linked_mentions(p: Project, *, layer: str | None = GOLD,
                    states: tuple[str, ...] = ("suggested", "accepted"),
                    ) -> Iterator[tuple[int, str, int, str, str]]:
    """(actor id, link state, doc id, span label, mention text) of every link in ``states``.

    Each document's text is read once (slicing it in Python); ``substr`` per span in SQL
    would read the document row again for every mention (seconds on a large corpus)."""
    marks = ",".join("?" * len(states))
    sql = ("SELECT l.actor_id, l.state, s.doc_id, s.label, s.start, s.end FROM span_actor l"
           f" JOIN spans s ON s.id = l.span_id WHERE l.state IN ({marks})")
    args: list[Any] = list(states)
    if layer is not None:
        sql += " AND s.layer = ?"
        args.append(layer)
    rows = sorted(p.conn.execute(sql, args).fetchall(), key=lambda r: r[2])
    doc_id, text = None, ""
    for aid, state, did, label, start, end in rows:
        if did != doc_id:
            doc_id, text = did, p.text(did)
        yield aid, state, did, label, text[start:end]


def actor_table(p: Project, *, layer: str | None = GOLD) -> list[ActorRow]:
    """Every actor with its mention counts, documents, labels and mention texts."""
    rows = {a.id: ActorRow(a) for a in all_actors(p)}
    docs: dict[int, set[int]] = {}
    for aid, state, doc_id, label, text in linked_mentions(p, layer=layer):
        r = rows.get(aid)
        if r is None:
            continue
        r.mentions += 1
        r.suggested += state == "suggested"
        docs.setdefault(aid, set()).add(doc_id)
        r.labels[label] += 1
        r.texts[text] += 1
    for aid, ds in docs.items():
        rows[aid].documents = len(ds)
    return sorted(rows.values(), key=lambda r: (-r.mentions, r.actor.name.casefold(), r.actor.id))


@dataclass(slots=True)
class Mention:
    span_id: int
    doc_id: int
    doc_name: str
    start: int
    end: int
    label: str
    text: str
    state: str
    reason: str


def mentions_of(p: Project, actor_id: int, *, limit: int = 10_000) -> list[Mention]:
    """The spans linked to an actor (rejected links left out), in document order."""
    rows = p.conn.execute(
        "SELECT s.id, s.doc_id, d.name, s.start, s.end, s.label,"
        " substr(d.text, s.start + 1, s.end - s.start), l.state, l.reason"
        " FROM span_actor l JOIN spans s ON s.id = l.span_id JOIN documents d ON d.id = s.doc_id"
        " WHERE l.actor_id = ? AND l.state != 'rejected' ORDER BY s.doc_id, s.start LIMIT ?",
        (actor_id, limit),
    ).fetchall()
    return [Mention(*r) for r in rows]


def restore_parked_links(p: Project, span_ids: list[int]) -> None:
    """Links of spans an undo put back: the delete trigger parked them (same id, document,
    offsets; the actor must still exist). Called by ``ops.RestoreSpans`` in its transaction."""
    if not span_ids:
        return
    marks = ",".join("?" * len(span_ids))
    p.conn.execute(
        "INSERT OR IGNORE INTO span_actor (span_id, actor_id, state, reason, annotator, updated_at,"
        " run_id) SELECT k.span_id, k.actor_id, k.state, k.reason, k.annotator, k.updated_at,"
        " k.run_id"
        " FROM span_actor_parked k JOIN spans s ON s.id = k.span_id AND s.doc_id = k.doc_id"
        " AND s.start = k.start AND s.end = k.end JOIN actors a ON a.id = k.actor_id"
        f" WHERE k.span_id IN ({marks})", span_ids)
    p.conn.execute(f"DELETE FROM span_actor_parked WHERE span_id IN ({marks})", span_ids)


def memory(p: Project) -> dict[tuple[str, str], int]:
    """The project's own accepted links: (folded mention text, label) -> the most used actor."""
    counts: Counter[tuple[str, str, int]] = Counter(
        (fold(text), label, aid)
        for aid, _state, _doc, label, text in linked_mentions(p, states=("accepted",)))
    best: dict[tuple[str, str], int] = {}
    for (text, label, actor_id), _n in counts.most_common():
        best.setdefault((text, label), actor_id)
    return best
