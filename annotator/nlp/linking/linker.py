"""Suggest an actor for every entity span that has no link yet, with the reason.

Order of evidence for one mention (first hit wins):

1. ``memory``   the project's accepted links: the same folded text and label;
2. ``surname``  a one-word PERSON whose word ends a full PERSON name in the same
                document ("Maduro" -> "Nicolás Maduro" when that occurs there);
3. ``registry`` a name or alias of ``resources/actors/registry.json`` (+ the project's);
4. ``country``  a country name or alias (pycountry + curated: "U.S." -> USA);
   ``demonym``  a NORP demonym ("Venezuelan" -> VEN);
   ``capital``  a GPE capital as its country's government ("Washington" -> USA): a
                metonymy, often just the city, so annotators reject it when it is;
5. ``name``     an actor the corpus already has under the same folded name;
6. ``new``      a new actor named after the mention.

Links are written as ``suggested`` in bulk, as one *run* of the history (``annotator link``
alone, or the linking step of a pre-annotation run): every link and actor it writes carries
the run's id, so undoing the run takes back its links that are still suggestions and the
actors nothing else points at (``core.history``). Spans with any link row, rejected ones
included, are never touched.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from annotator.core import history
from annotator.core.actor_ops import ActorSnapshot
from annotator.core.actors import (
    actor_labels,
    fold,
    get_actor,
    linked_mentions,
    memory,
    new_actor_id,
)
from annotator.core.models import Span, now
from annotator.nlp.linking.registry import Entry, Registry, load_registry

if TYPE_CHECKING:
    from annotator.core.store import Project


@dataclass
class LinkSummary:
    documents: int = 0
    spans: int = 0  # entity spans without a link before the run
    linked: int = 0
    actors_created: int = 0
    by_reason: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    run_id: str = ""  # the history run the links belong to
    kb_refreshed: int = 0  # registry-made actors given the registry's corrected kb id

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "by_reason": dict(self.by_reason)}

    def text(self) -> str:
        reasons = ", ".join(f"{k} {v}" for k, v in self.by_reason.most_common()) or "none"
        fixed = f"; {self.kb_refreshed} kb ids updated from the registry" if self.kb_refreshed else ""
        return (f"linked {self.linked} of {self.spans} unlinked mentions in {self.documents}"
                f" documents ({reasons}); {self.actors_created} new actors{fixed};"
                f" {self.seconds:.1f} s")


def _group(label: str) -> str:
    """Labels that may name the same actor: people apart, the rest together."""
    return "PERSON" if label == "PERSON" else "OTHER"


class Linker:
    """One run over a project: caches its actors, memory and names while it writes."""

    def __init__(self, project: Project, registry: Registry | None = None, *,
                 run_id: str = "") -> None:
        self.p = project
        self.run_id = run_id
        self.reg = registry or load_registry(project.path)
        self.labels = frozenset(actor_labels(project))
        self.memory = memory(project)
        self.by_registry: dict[str, int] = {}
        self.by_kb: dict[str, int] = {}
        self.by_name: dict[tuple[str, str], int] = {}
        for aid, kb, name, label, reg in project.conn.execute(
                "SELECT id, kb_id, name, label, registry_id FROM actors ORDER BY id"):
            if reg:
                self.by_registry.setdefault(reg, aid)
            if kb:
                self.by_kb[kb] = aid
            self.by_name.setdefault((fold(name), _group(label)), aid)
        accepted = []
        for aid, state, _doc, label, text in linked_mentions(project, layer=None):
            if state == "accepted":
                accepted.append((fold(text), _group(label), aid))
            else:
                self.by_name[(fold(text), _group(label))] = aid
        for key, group, aid in accepted:  # accepted ones last: they win
            self.by_name[(key, group)] = aid
        self.live = {r[0] for r in project.conn.execute("SELECT id FROM actors")}
        self.summary = LinkSummary()

    # ---- one document ----------------------------------------------------------------------
    def link_document(self, doc_id: int, text: str) -> list[tuple[int, int, str]]:
        """(span id, actor id, reason) for the document's unlinked entity spans (all layers)."""
        linked = {r[0] for r in self.p.conn.execute(
            "SELECT l.span_id FROM span_actor l JOIN spans s ON s.id = l.span_id"
            " WHERE s.doc_id = ?", (doc_id,))}
        todo = [s for s in self.p.spans(doc_id, layer=None)
                if s.label in self.labels and s.id not in linked and text[s.start:s.end].strip()]
        out: list[tuple[int, int, str]] = []
        by_layer: dict[str, list[Span]] = {}
        for s in todo:
            by_layer.setdefault(s.layer, []).append(s)
        for spans in by_layer.values():
            # full names first, so their surnames can follow them
            spans.sort(key=lambda s: (len(text[s.start:s.end].split()) == 1, s.start))
            surnames: dict[str, set[int]] = {}
            for s in spans:
                mention = text[s.start:s.end].strip()
                words = mention.split()
                found = self._resolve(mention, s, surnames if len(words) == 1 else None)
                if found is None:
                    continue
                aid, reason = found
                out.append((s.id, aid, reason))
                if s.label == "PERSON" and len(words) > 1:
                    surnames.setdefault(fold(words[-1]), set()).add(aid)
        self.summary.spans += len(todo)
        return out

    def _resolve(self, mention: str, s: Span, surnames: dict[str, set[int]] | None) -> tuple[int, str] | None:
        key = fold(mention)
        aid = self.memory.get((key, s.label))
        if aid is not None and aid in self.live:
            return aid, "memory"
        if surnames is not None and s.label == "PERSON":
            ids = surnames.get(key)
            if ids and len(ids) == 1:
                return next(iter(ids)), "surname"
        entry = self.reg.lookup(mention, s.label)
        if entry is not None:
            return self._actor_for(entry), "registry"
        if s.label != "PERSON":
            for table, reason, labels in ((self.reg.countries, "country", None),
                                          (self.reg.demonyms, "demonym", {"NORP"}),
                                          (self.reg.capitals, "capital", {"GPE"})):
                iso3 = table.get(key)
                if iso3 and (labels is None or s.label in labels):
                    return self._actor_for(self.reg.country(iso3)), reason
        aid = self.by_name.get((key, _group(s.label)))
        if aid is not None and aid in self.live:
            return aid, "name"
        country = str(s.attrs.get("country") or "")
        aid = self._create(mention, s.label, country if len(country) == 3 else "", None, None)
        self.by_name[(key, _group(s.label))] = aid
        return aid, "new"

    def _actor_for(self, e: Entry) -> int:
        aid = self.by_registry.get(e.id)
        if aid is None or aid not in self.live:
            aid = self.by_kb.get(e.kb_id or "")
        if aid is None or aid not in self.live:
            aid = self._create(e.name, e.label, e.country, e.kb_id, e.id)
            if e.kb_id:
                self.by_kb[e.kb_id] = aid
        self.by_registry[e.id] = aid
        return aid

    def _create(self, name: str, label: str, country: str, kb_id: str | None,
                registry_id: str | None) -> int:
        ts = now()
        aid = new_actor_id(self.p.conn)
        self.p.conn.execute(
            "INSERT INTO actors (id, kb_id, name, label, country, registry_id, created_at,"
            " updated_at, run_id) VALUES (?,?,?,?,?,?,?,?,?)",
            (aid, kb_id, name, label, country, registry_id, ts, ts, self.run_id))
        self.live.add(aid)
        self.summary.actors_created += 1
        return aid

    def write(self, links: list[tuple[int, int, str]]) -> None:
        ts = now()
        self.p.conn.executemany(
            "INSERT OR IGNORE INTO span_actor (span_id, actor_id, state, reason, annotator,"
            " updated_at, run_id) VALUES (?, ?, 'suggested', ?, ?, ?, ?)",
            [(sid, aid, reason, self.p.annotator, ts, self.run_id) for sid, aid, reason in links])
        self.summary.linked += len(links)
        self.summary.by_reason.update(r for _, _, r in links)


def refresh_from_registry(project: Project, registry: Registry) -> int:
    """Give registry-made actors nobody has edited the registry's current kb id (a corrected
    or newly found QID reaches projects linked before); one undoable step. Returns how many."""
    holders = {kb: aid for aid, kb in project.conn.execute(
        "SELECT id, kb_id FROM actors WHERE kb_id IS NOT NULL")}
    rows: dict[str, dict[str, Any] | None] = {}
    for aid, kb, reg_id in project.conn.execute(
            "SELECT id, kb_id, registry_id FROM actors WHERE registry_id IS NOT NULL"
            " AND updated_at = created_at").fetchall():
        entry = registry.entries.get(reg_id)
        if entry is None or entry.kb_id == kb or holders.get(entry.kb_id or "", aid) != aid:
            continue
        row = get_actor(project, aid).to_dict()
        (run,) = project.conn.execute("SELECT run_id FROM actors WHERE id = ?", (aid,)).fetchone()
        rows[str(aid)] = {**row, "kb_id": entry.kb_id, "run_id": run}  # still its run's
        holders.pop(kb or "", None)
        if entry.kb_id:
            holders[entry.kb_id] = aid
    if rows:
        project.apply(ActorSnapshot(rows, {}),
                      summary=f"kb ids from the actor registry: {len(rows)} actors")
    return len(rows)


def link_project(project: Project, *, statuses: Sequence[str] | None = None,
                 doc_ids: Sequence[int] | None = None, registry: Registry | None = None,
                 run_id: str | None = None) -> LinkSummary:
    """Link the unlinked entity spans of the project's documents (all, or by status / id).

    Without ``run_id`` the linking is a run of its own: one step of the history, undone as
    a whole, written in the same transaction as its links (so a run that links nothing, or
    fails, leaves no step and ends nobody's redo). A pre-annotation passes its run's id (and
    brings the registry's kb ids in itself, before its run), so its undo takes the links."""
    started = time.perf_counter()
    own = run_id is None
    reg = registry or load_registry(project.path)  # a broken actors.json: nothing is written
    refreshed = refresh_from_registry(project, reg) if own else 0
    run_id = run_id or history.new_run_id()
    linker = Linker(project, reg, run_id=run_id)
    s = linker.summary
    s.run_id, s.kb_refreshed = run_id, refreshed
    wanted = set(doc_ids) if doc_ids is not None else None
    with project.bulk():
        for doc in project.iter_documents(status=list(statuses) if statuses else None):
            if wanted is not None and doc.id not in wanted:
                continue
            linker.write(linker.link_document(doc.id, doc.text or ""))
            s.documents += 1
        s.seconds = round(time.perf_counter() - started, 3)
        if own and (s.linked or s.actors_created):
            history.log_run(project, "link", f"link actors: {s.linked} mentions,"
                            f" {s.actors_created} new actors",
                            {**s.to_dict(), "statuses": list(statuses or ())}, run_id)
    if own and not (s.linked or s.actors_created):
        s.run_id = ""  # no step
    return s
