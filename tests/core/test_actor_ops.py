"""Actor edits: each is logged with its inverse, undo restores exactly, redo re-applies."""

from __future__ import annotations

import pytest

from annotator.core.actor_ops import (
    CreateActor,
    LinkMentions,
    MergeActors,
    SplitMentions,
    UnlinkMentions,
    reject_links,
    rename_actor,
    set_kb_id,
)
from annotator.core.actors import actor_table, all_actors, fold, link_of
from annotator.core.errors import EditError
from annotator.core.ops import AddSpan, DeleteSpans, op_from_dict

TEXT = "Nicolas Maduro met Maduro's generals; Guaido and Guaidó answered."


def _span(project, doc, text: str, label: str = "PERSON", nth: int = 0) -> int:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(text, start + 1)
    return project.apply(AddSpan(doc, start, start + len(text), label)).change.spans_added[0].id


def _state(project) -> tuple:
    actors = [(a.id, a.name, a.kb_id, a.country) for a in all_actors(project)]
    links = project.conn.execute("SELECT span_id, actor_id, state FROM span_actor ORDER BY 1").fetchall()
    return actors, links


def _undo(project, result) -> object:
    """Apply the inverse from the edit log (as undo across restarts does)."""
    row = project.conn.execute("SELECT inverse FROM edit_log WHERE id = ?", (result.log_id,)).fetchone()
    import json

    return project.apply(op_from_dict(json.loads(row[0])))


def test_fold_treats_accents_case_and_dots_alike() -> None:
    assert fold("Guaidó") == fold("GUAIDO") == "guaido"
    assert fold("U.S.") == fold("US") == "us"
    assert fold("the Kremlin") == "kremlin"


def test_create_link_merge_split_undo_redo(project) -> None:
    doc = project.add_document("a.txt", TEXT)
    full, short = _span(project, doc, "Nicolas Maduro"), _span(project, doc, "Maduro", nth=1)
    g1, g2 = _span(project, doc, "Guaido"), _span(project, doc, "Guaidó")
    project.apply(CreateActor("Nicolás Maduro", "PERSON", "VEN", "Q58132", span_ids=[full]))
    project.apply(CreateActor("Maduro", "PERSON", span_ids=[short]))
    project.apply(CreateActor("Juan Guaidó", "PERSON", "VEN", span_ids=[g1, g2]))
    maduro, maduro2, guaido = all_actors(project)
    start = _state(project)

    merged = project.apply(MergeActors(maduro2.id, maduro.id))
    assert link_of(project, short).actor_id == maduro.id
    assert [a.name for a in all_actors(project)] == ["Nicolás Maduro", "Juan Guaidó"]
    after_merge = _state(project)
    undone = _undo(project, merged)
    assert _state(project) == start
    project.apply(undone.inverse)  # redo
    assert _state(project) == after_merge

    split = project.apply(SplitMentions([g2]))
    new = link_of(project, g2).actor_id
    assert new not in (guaido.id, maduro.id) and link_of(project, g1).actor_id == guaido.id
    _undo(project, split)
    assert link_of(project, g2).actor_id == guaido.id
    assert _state(project) == after_merge

    rows = {r.actor.name: r for r in actor_table(project)}
    assert rows["Nicolás Maduro"].mentions == 2 and rows["Nicolás Maduro"].texts["Maduro"] == 1


def test_kb_ids_are_unique_rename_and_clear(project) -> None:
    doc = project.add_document("a.txt", TEXT)
    s = _span(project, doc, "Guaido")
    project.apply(CreateActor("Juan Guaidó", "PERSON", kb_id="Q1"))
    project.apply(CreateActor("Guaido", "PERSON", span_ids=[s]))
    a, b = all_actors(project)
    with pytest.raises(EditError, match="already the kb id"):
        project.apply(set_kb_id(b.id, "Q1"))
    r = project.apply(rename_actor(b.id, "Juan Guaido"))
    assert all_actors(project)[1].name == "Juan Guaido"
    project.apply(r.inverse)
    assert all_actors(project)[1].name == "Guaido"
    project.apply(set_kb_id(a.id, None))
    assert all_actors(project)[0].kb_id is None
    # a merge hands the kb id over when the target has none
    project.apply(set_kb_id(a.id, "Q1"))
    project.apply(MergeActors(a.id, b.id))
    assert [(x.name, x.kb_id) for x in all_actors(project)] == [("Guaido", "Q1")]


def test_reject_unlink_and_delete_undo_keep_the_link(project) -> None:
    doc = project.add_document("a.txt", TEXT)
    s = _span(project, doc, "Guaido")
    project.apply(CreateActor("Juan Guaidó", "PERSON"))
    actor = all_actors(project)[0]
    project.apply(LinkMentions([s], actor.id, state="suggested", reason="registry"))
    project.apply(reject_links([s]))
    assert link_of(project, s).state == "rejected"
    assert actor_table(project)[0].mentions == 0
    project.apply(LinkMentions([s], actor.id))
    deleted = project.apply(DeleteSpans([s]))
    assert link_of(project, s) is None
    project.apply(deleted.inverse)  # undo the delete: the span and its link come back
    assert link_of(project, s).state == "accepted"
    project.apply(UnlinkMentions([s]))
    assert link_of(project, s) is None
    with pytest.raises(EditError):
        project.apply(UnlinkMentions([s]))
    with pytest.raises(EditError, match="country"):
        project.apply(CreateActor("X", country="Venezuela"))
