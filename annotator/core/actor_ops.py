"""Edit operations on actors and mention links, logged and undoable like every edit.

Each operation records the rows it is about to touch (actors and links), writes, and
returns an ``ActorSnapshot`` of what was there before as its inverse. Applying a
snapshot records the current rows in turn, so undo and redo are the same operation
and redo after undo restores exactly the state the edit made.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from annotator.core.actors import (
    ACTOR_COLUMNS,
    LINK_COLUMNS,
    LINK_STATES,
    check_country,
    get_actor,
    link_of,
    new_actor_id,
)
from annotator.core.errors import EditError
from annotator.core.models import now
from annotator.core.ops import Change, Op

if TYPE_CHECKING:
    from annotator.core.store import Project

Rows = dict[str, dict[str, Any] | None]  # id (as a string, JSON-friendly) -> row, None = absent
ACTOR_FIELDS = ("name", "label", "country", "kb_id")


# ---- the snapshot: the inverse of every actor edit -----------------------------------------
@dataclass
class ActorSnapshot(Op):
    """Put actors and links back as recorded (None: must not exist).

    ``expect_*`` (when given) are the rows as the edit being undone left them: if someone
    changed them since (renamed the actor again, linked the mention elsewhere), undoing
    would overwrite their decision, so it is refused and the step becomes obsolete."""

    name: ClassVar[str] = "actor_snapshot"
    actors: Rows = field(default_factory=dict)
    links: Rows = field(default_factory=dict)
    expect_actors: Rows | None = None
    expect_links: Rows | None = None

    def apply(self, p: Project) -> tuple[Change, Op]:
        now_actors, now_links = _actor_rows(p, self.actors), _link_rows(p, self.links)
        if self.expect_actors is not None and _changed(now_actors, self.expect_actors):
            raise EditError("someone changed that actor since")
        if self.expect_links is not None and _changed(now_links, self.expect_links):
            raise EditError("someone linked that mention differently since")
        _write(p, self.actors, self.links)
        return _change(p, self.links), ActorSnapshot(
            now_actors, now_links, _actor_rows(p, self.actors), _link_rows(p, self.links))


def _changed(now: Rows, expected: Rows) -> bool:
    """Rows differ from what the edit left (a row missing from the record is not compared;
    the run tag is bookkeeping, not a decision)."""
    def strip(row: dict[str, Any] | None) -> dict[str, Any] | None:
        return None if row is None else {k: v for k, v in row.items() if k != "run_id"}
    return any(strip(now.get(k)) != strip(v) for k, v in expected.items() if k in now)



def _actor_rows(p: Project, ids: Any) -> Rows:
    """The rows as they are, with the run that made them (so undo gives the tag back)."""
    out: Rows = {}
    for i in ids:
        row = p._one(f"SELECT {ACTOR_COLUMNS}, run_id FROM actors WHERE id = ?", (int(i),))
        out[str(i)] = row
    return out


def _link_rows(p: Project, span_ids: Any) -> Rows:
    out: Rows = {}
    for i in span_ids:
        out[str(i)] = p._one(f"SELECT {LINK_COLUMNS}, run_id FROM span_actor WHERE span_id = ?",
                             (int(i),))
    return out


def _write(p: Project, actors: Rows, links: Rows) -> None:
    """Actors that must go first (their kb ids become free; their links go with them),
    then the kept actors (kb ids cleared, then set, so swapping ids never trips UNIQUE),
    then the links."""
    gone = [int(k) for k, v in actors.items() if v is None]
    if gone:
        marks = ",".join("?" * len(gone))
        p.conn.execute(f"DELETE FROM actors WHERE id IN ({marks})", gone)
    keep = {k: v for k, v in actors.items() if v is not None}
    if keep:
        marks = ",".join("?" * len(keep))
        p.conn.execute(f"UPDATE actors SET kb_id = NULL WHERE id IN ({marks})", [int(k) for k in keep])
    for row in keep.values():
        there = p.conn.execute("SELECT created_at, name FROM actors WHERE id = ?",
                               (row["id"],)).fetchone()
        if there is not None and there[0] != row["created_at"]:  # the id is someone else's now
            raise EditError(f"actor {row['id']} is now {there[1]!r}, another actor: not overwritten")
        try:
            p.conn.execute(  # a row without run_id (a person's edit, an older log): no run's
                f"INSERT INTO actors ({ACTOR_COLUMNS}, run_id) VALUES (?,?,?,?,?,?,?,?,?)"
                " ON CONFLICT (id) DO UPDATE SET kb_id=excluded.kb_id, name=excluded.name,"
                " label=excluded.label, country=excluded.country, registry_id=excluded.registry_id,"
                " created_at=excluded.created_at, updated_at=excluded.updated_at,"
                " run_id=excluded.run_id",
                (*(row[c.strip()] for c in ACTOR_COLUMNS.split(",")), row.get("run_id") or ""),
            )
        except sqlite3.IntegrityError as exc:  # a kb id another actor holds
            raise EditError(f"cannot store actor {row['name']!r}: {exc}") from None
    for sid, link in links.items():
        if link is None:
            p.conn.execute("DELETE FROM span_actor WHERE span_id = ?", (int(sid),))
            continue
        if not p.conn.execute("SELECT 1 FROM spans WHERE id = ?", (int(sid),)).fetchone():
            raise EditError(f"span {sid} does not exist (deleted?)")
        if not p.conn.execute("SELECT 1 FROM actors WHERE id = ?", (link["actor_id"],)).fetchone():
            raise EditError(f"actor {link['actor_id']} it links to is gone (undoing the run that"
                            " made it took it away)")
        p.conn.execute(
            f"INSERT INTO span_actor ({LINK_COLUMNS}, run_id) VALUES (?,?,?,?,?,?,?)"
            " ON CONFLICT (span_id) DO UPDATE SET actor_id=excluded.actor_id, state=excluded.state,"
            " reason=excluded.reason, annotator=excluded.annotator, updated_at=excluded.updated_at,"
            " run_id=excluded.run_id",
            (*(link[c.strip()] for c in LINK_COLUMNS.split(",")), link.get("run_id") or ""),
        )


def _change(p: Project, links: Rows) -> Change:
    """The spans whose link changed, as updated spans (views repaint them)."""
    spans = []
    for sid in links:
        try:
            spans.append(p.span(int(sid)))
        except EditError:
            continue
    docs = {s.doc_id for s in spans}
    return Change(doc_id=docs.pop() if len(docs) == 1 else None, spans_updated=spans)


def _edit(p: Project, actors: Rows, links: Rows) -> tuple[Change, Op]:
    """Apply new rows, returning the change and the snapshot that undoes them (with the
    rows as written, so the undo can tell whether someone changed them since)."""
    before_actors, before_links = _actor_rows(p, actors), _link_rows(p, links)
    _write(p, actors, links)
    return _change(p, links), ActorSnapshot(before_actors, before_links,
                                            _actor_rows(p, actors), _link_rows(p, links))


def _new_actor_id(p: Project) -> int:
    return new_actor_id(p.conn)


def _actor_row(p: Project, *, actor_id: int, name: str, label: str, country: str,
               kb_id: str | None, registry_id: str | None = None) -> dict[str, Any]:
    name = (name or "").strip()
    if not name:
        raise EditError("an actor needs a name")
    kb_id = (kb_id or "").strip() or None
    if kb_id:
        _check_kb_free(p, kb_id, actor_id)
    ts = now()
    return {"id": actor_id, "kb_id": kb_id, "name": name, "label": label or "",
            "country": check_country(country), "registry_id": registry_id,
            "created_at": ts, "updated_at": ts}


def _check_kb_free(p: Project, kb_id: str, actor_id: int) -> None:
    row = p.conn.execute("SELECT id, name FROM actors WHERE kb_id = ? AND id != ?",
                         (kb_id, actor_id)).fetchone()
    if row:
        raise EditError(f"{kb_id} is already the kb id of actor {row[1]!r} (#{row[0]}): merge them")


def _link_row(p: Project, span_id: int, actor_id: int, state: str, reason: str) -> dict[str, Any]:
    if state not in LINK_STATES:
        raise EditError(f"link state must be one of {', '.join(LINK_STATES)}")
    p.span(span_id)  # raises when the span is gone
    return {"span_id": span_id, "actor_id": actor_id, "state": state, "reason": reason,
            "annotator": p.annotator, "updated_at": now()}


# ---- actors --------------------------------------------------------------------------------
@dataclass
class CreateActor(Op):
    """A new actor, optionally with mentions linked to it (accepted: a person chose it)."""

    name: ClassVar[str] = "create_actor"
    actor_name: str
    label: str = ""
    country: str = ""
    kb_id: str | None = None
    span_ids: list[int] = field(default_factory=list)

    def apply(self, p: Project) -> tuple[Change, Op]:
        aid = _new_actor_id(p)
        row = _actor_row(p, actor_id=aid, name=self.actor_name, label=self.label,
                         country=self.country, kb_id=self.kb_id)
        links = {str(s): _link_row(p, s, aid, "accepted", "human") for s in self.span_ids}
        return _edit(p, {str(aid): row}, links)


@dataclass
class UpdateActor(Op):
    """Rename, relabel, set the country, set or clear (None / "") the kb id."""

    name: ClassVar[str] = "update_actor"
    actor_id: int
    changes: dict[str, Any]

    def apply(self, p: Project) -> tuple[Change, Op]:
        bad = set(self.changes) - set(ACTOR_FIELDS)
        if bad or not self.changes:
            raise EditError(f"cannot change {', '.join(sorted(bad)) or 'nothing'} of an actor")
        a = get_actor(p, self.actor_id)
        new = {"name": a.name, "label": a.label, "country": a.country, "kb_id": a.kb_id,
               **self.changes}
        row = _actor_row(p, actor_id=a.id, name=new["name"], label=new["label"],
                         country=new["country"], kb_id=new["kb_id"], registry_id=a.registry_id)
        row["created_at"] = a.created_at
        return _edit(p, {str(a.id): row}, {})


def rename_actor(actor_id: int, name: str) -> UpdateActor:
    return UpdateActor(actor_id, {"name": name})


def set_kb_id(actor_id: int, kb_id: str | None) -> UpdateActor:
    """Set (or, with None / "", clear) an actor's knowledge-base id."""
    return UpdateActor(actor_id, {"kb_id": kb_id or None})


@dataclass
class MergeActors(Op):
    """Fold ``source`` into ``target``: its mentions move over, it is deleted; the target
    keeps its own fields and takes the source's kb id / country / label where it has none."""

    name: ClassVar[str] = "merge_actors"
    source_id: int
    target_id: int

    def apply(self, p: Project) -> tuple[Change, Op]:
        if self.source_id == self.target_id:
            raise EditError("cannot merge an actor into itself")
        src, dst = get_actor(p, self.source_id), get_actor(p, self.target_id)
        span_ids = [r[0] for r in p.conn.execute(
            "SELECT span_id FROM span_actor WHERE actor_id = ?", (src.id,))]
        row = dst.to_dict()
        row["kb_id"] = dst.kb_id or src.kb_id
        row["country"] = dst.country or src.country
        row["label"] = dst.label or src.label
        row["registry_id"] = dst.registry_id or src.registry_id
        row["updated_at"] = now()
        links = {}
        for sid in span_ids:
            link = link_of(p, sid)
            assert link is not None
            links[str(sid)] = {**link.to_dict(), "actor_id": dst.id, "annotator": p.annotator,
                               "updated_at": row["updated_at"]}
        # links parked with deleted spans (and by undone runs) follow to the target, or
        # undoing those deletes would find no actor and drop a person's decision
        p.conn.execute("UPDATE span_actor_parked SET actor_id = ? WHERE actor_id = ?",
                       (dst.id, src.id))
        p.conn.execute("UPDATE parked_links SET actor_id = ? WHERE actor_id = ?", (dst.id, src.id))
        # the source goes first (its kb id is then free for the target)
        return _edit(p, {str(src.id): None, str(dst.id): row}, links)


@dataclass
class SplitMentions(Op):
    """Split mentions off their actor: a new actor (same name, label and country, no kb id)
    gets them, accepted."""

    name: ClassVar[str] = "split_mentions"
    span_ids: list[int]
    actor_name: str | None = None

    def apply(self, p: Project) -> tuple[Change, Op]:
        if not self.span_ids:
            raise EditError("no mention to split off")
        first = link_of(p, self.span_ids[0])
        if first is None or first.state == "rejected":
            raise EditError("the mention has no actor to split off from")
        old = get_actor(p, first.actor_id)
        aid = _new_actor_id(p)
        row = _actor_row(p, actor_id=aid, name=self.actor_name or old.name, label=old.label,
                         country=old.country, kb_id=None)
        links = {str(s): _link_row(p, s, aid, "accepted", "split") for s in self.span_ids}
        return _edit(p, {str(aid): row}, links)


# ---- links ---------------------------------------------------------------------------------
@dataclass
class LinkMentions(Op):
    """Link spans to an existing actor (a person's choice: accepted)."""

    name: ClassVar[str] = "link_mentions"
    span_ids: list[int]
    actor_id: int
    state: str = "accepted"
    reason: str = "human"

    def apply(self, p: Project) -> tuple[Change, Op]:
        if not self.span_ids:
            raise EditError("no mention to link")
        get_actor(p, self.actor_id)
        links = {str(s): _link_row(p, s, self.actor_id, self.state, self.reason)
                 for s in self.span_ids}
        return _edit(p, {}, links)


@dataclass
class UnlinkMentions(Op):
    """Remove the spans' links (the linker may suggest one again; reject to prevent that)."""

    name: ClassVar[str] = "unlink_mentions"
    span_ids: list[int]

    def apply(self, p: Project) -> tuple[Change, Op]:
        links: Rows = {str(s): None for s in self.span_ids if link_of(p, s) is not None}
        if not links:
            raise EditError("the mention has no actor")
        return _edit(p, {}, links)


@dataclass
class SetLinkState(Op):
    """Accept or reject suggested links (a rejected link stays, so it is not suggested again)."""

    name: ClassVar[str] = "set_link_state"
    span_ids: list[int]
    state: str

    def apply(self, p: Project) -> tuple[Change, Op]:
        if self.state not in ("accepted", "rejected"):
            raise EditError("a link can be accepted or rejected")
        links = {}
        for s in self.span_ids:
            link = link_of(p, s)
            if link is None:
                raise EditError("the mention has no actor link to accept or reject")
            links[str(s)] = {**link.to_dict(), "state": self.state, "annotator": p.annotator,
                             "updated_at": now()}
        if not links:
            raise EditError("no mention given")
        return _edit(p, {}, links)


def accept_links(span_ids: list[int]) -> SetLinkState:
    return SetLinkState(list(span_ids), "accepted")


def reject_links(span_ids: list[int]) -> SetLinkState:
    return SetLinkState(list(span_ids), "rejected")

