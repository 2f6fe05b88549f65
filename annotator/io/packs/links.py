"""A volunteer's actor links, brought back with their layer when a package is merged.

In the package a volunteer can link mentions to actors (accept a suggestion, pick another
actor, reject one). Those are decisions like spans: the merge carries them into the
volunteer's layer. A link names its mention by offsets and label (span ids differ between
the two databases) and its actor by what identifies it across projects: the kb id, else the
registry entry, else the name and label; an actor the project does not have is made, as
part of the merge's run (its undo takes it back when nothing else points at it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotator.core.actors import LINK_STATES, new_actor_id
from annotator.core.models import now

if TYPE_CHECKING:
    from annotator.core.store import Project

_COUNTRY = re.compile(r"^(|[A-Z]{3})$")
MAX_TEXT = 500  # a name or reason longer than this is not an actor's


@dataclass(frozen=True)
class VolunteerLink:
    start: int
    end: int
    label: str  # the span's
    state: str
    reason: str
    annotator: str
    name: str  # the actor's
    kb_id: str | None
    actor_label: str
    country: str
    registry_id: str | None



def read_links(vol: Project, doc_id: int) -> list[VolunteerLink]:
    rows = vol.conn.execute(
        "SELECT s.start, s.end, s.label, l.state, l.reason, l.annotator, a.name, a.kb_id,"
        " a.label, a.country, a.registry_id FROM span_actor l JOIN spans s ON s.id = l.span_id"
        " JOIN actors a ON a.id = l.actor_id WHERE s.doc_id = ? AND s.layer = ''", (doc_id,))
    return [VolunteerLink(*r) for r in rows]


def bad_link(link: VolunteerLink) -> str | None:
    """Why a link of an untrusted file cannot be taken (None: it can)."""
    if link.kb_id is not None and not isinstance(link.kb_id, str):
        return f"bad actor kb id at {link.start}-{link.end}"
    if link.registry_id is not None and not isinstance(link.registry_id, str):
        return f"bad actor link at {link.start}-{link.end}"
    texts = (link.reason, link.annotator, link.name, link.actor_label, link.kb_id or "",
             link.registry_id or "")
    if link.state not in LINK_STATES or not isinstance(link.name, str) or not link.name.strip():
        return f"bad actor link at {link.start}-{link.end}"
    if not all(isinstance(t, str) and len(t) <= MAX_TEXT for t in texts):
        return f"bad actor link at {link.start}-{link.end}"
    if not isinstance(link.country, str) or not _COUNTRY.match(link.country):
        return f"bad actor country {link.country!r} at {link.start}-{link.end}"
    return None


def same_links(project: Project, doc_id: int, layer: str, links: list[VolunteerLink]) -> bool:
    """Whether the layer already holds these links: each mention with its state and the
    actor the link resolves to here (names may differ: the kb id or registry entry decides)."""
    stored = sorted(project.conn.execute(
        "SELECT s.start, s.end, s.label, l.state, l.actor_id FROM span_actor l"
        " JOIN spans s ON s.id = l.span_id WHERE s.doc_id = ? AND s.layer = ?", (doc_id, layer)))
    wanted = [(x.start, x.end, x.label, x.state, _find_actor(project, x)) for x in links]
    return all(w[-1] is not None for w in wanted) and sorted(wanted) == stored


def write_links(project: Project, doc_id: int, layer: str, links: list[VolunteerLink],
                run_id: str) -> int:
    """Link the layer's spans (just written) as the volunteer did; returns how many."""
    conn = project.conn
    spans = {(st, en, lab): sid for sid, st, en, lab in conn.execute(
        "SELECT id, start, end, label FROM spans WHERE doc_id = ? AND layer = ?", (doc_id, layer))}
    rows = []
    for link in links:
        span = spans.get((link.start, link.end, link.label))
        if span is not None:
            rows.append((span, _actor(project, link, run_id), link.state, link.reason,
                         link.annotator, now(), run_id))
    conn.executemany(
        "INSERT OR REPLACE INTO span_actor (span_id, actor_id, state, reason, annotator,"
        " updated_at, run_id) VALUES (?,?,?,?,?,?,?)", rows)
    return len(rows)


def _find_actor(project: Project, link: VolunteerLink) -> int | None:
    """The project's actor for a link: same kb id, else registry entry, else name + label."""
    conn = project.conn
    for sql, arg in (("SELECT id FROM actors WHERE kb_id = ?", link.kb_id),
                     ("SELECT id FROM actors WHERE registry_id = ? ORDER BY id", link.registry_id),
                     ("SELECT id FROM actors WHERE name = ? AND label = ? ORDER BY id",
                      None if link.kb_id else link.name.strip())):
        if arg:
            args = (arg, link.actor_label) if "label = ?" in sql else (arg,)
            row = conn.execute(sql, args).fetchone()
            if row:
                return int(row[0])
    return None


def _actor(project: Project, link: VolunteerLink, run_id: str) -> int:
    conn = project.conn
    found = _find_actor(project, link)
    if found is not None:
        return found
    aid, ts = new_actor_id(conn), now()
    conn.execute(
        "INSERT INTO actors (id, kb_id, name, label, country, registry_id, created_at,"
        " updated_at, run_id) VALUES (?,?,?,?,?,?,?,?,?)",
        (aid, link.kb_id or None, link.name.strip(), link.actor_label, link.country,
         link.registry_id, ts, ts, run_id))
    return aid
