"""Suggested relations in the store: migration defaults, accept, correct, reject, undo."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator.core.errors import EditError
from annotator.core.migrations import MIGRATIONS
from annotator.core.models import Relation, Span
from annotator.core.ops import AddRelation, AddSpan, op_from_dict
from annotator.core.relation_review import (
    RejectRelations,
    accept_relations,
    correct_relation,
    suggested_relations,
)
from annotator.core.store import Project


def _suggest(p: Project, doc: int) -> tuple[int, int, int]:
    h = p.apply(AddSpan(doc, 0, 6, "GPE")).change.spans_added[0].id
    c = p.apply(AddSpan(doc, 43, 57, "PERSON")).change.spans_added[0].id
    with p.bulk():
        rel = p.insert_relation_row(Relation(0, doc, h, c, "SUPPORT", {"trigger": "support"},
                                             state="suggested", source="rule", run_id="r1"))
    return h, c, rel.id


def test_v1_database_keeps_its_relations_as_gold(tmp_path: Path) -> None:
    db = tmp_path / "old" / "project.db"
    db.parent.mkdir()
    conn = sqlite3.connect(db)
    conn.executescript(MIGRATIONS[0])
    conn.execute("PRAGMA application_id = 1195724609")
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO documents VALUES"
                 " (1,'a',NULL,'h','todo',NULL,'{}',10,'t','t','Russia Iran',NULL)")
    conn.execute("INSERT INTO spans (id,doc_id,start,end,label,created_at,updated_at)"
                 " VALUES (1,1,0,6,'GPE','t','t'),(2,1,7,11,'GPE','t','t')")
    conn.execute("INSERT INTO relations (doc_id,head_id,child_id,label,created_at,updated_at)"
                 " VALUES (1,1,2,'ALLIED_WITH','t','t')")
    conn.commit()
    conn.close()
    with Project.open(db.parent) as p:
        (rel,) = p.relations(1)
        assert (rel.state, rel.source, rel.run_id) == ("accepted", "human", "")


def test_accept_then_undo(project: Project, example_doc: int) -> None:
    _, _, rid = _suggest(project, example_doc)
    assert [r.id for r in suggested_relations(project, example_doc)] == [rid]
    res = project.apply(accept_relations([rid]))
    assert project.relation(rid).state == "accepted" and not suggested_relations(project, example_doc)
    project.apply(op_from_dict(res.inverse.to_dict()))  # undo, rebuilt from the log's JSON
    assert project.relation(rid).state == "suggested"


def test_correct_accepts_and_keeps_trigger(project: Project, example_doc: int) -> None:
    _, _, rid = _suggest(project, example_doc)
    project.apply(correct_relation(project, rid, label="AID"))
    rel = project.relation(rid)
    assert (rel.label, rel.state, rel.attrs["trigger"]) == ("AID", "accepted", "support")


def test_reject_is_remembered_and_undo_forgets(project: Project, example_doc: int) -> None:
    h, c, rid = _suggest(project, example_doc)
    res = project.apply(RejectRelations([rid]))
    assert project.relations(example_doc) == []
    row = project.conn.execute(
        "SELECT head_start, head_end, child_start, child_end, label, head_text, child_text, trigger"
        " FROM rejected_relations").fetchone()
    assert row == (0, 6, 43, 57, "SUPPORT", "Russia", "Nicolas Maduro", "support")
    project.apply(op_from_dict(res.inverse.to_dict()))
    assert [r.id for r in project.relations(example_doc)] == [rid]
    assert project.conn.execute("SELECT COUNT(*) FROM rejected_relations").fetchone()[0] == 0


def test_human_relation_cannot_be_rejected(project: Project, example_doc: int) -> None:
    h = project.apply(AddSpan(example_doc, 0, 6, "GPE")).change.spans_added[0].id
    c = project.apply(AddSpan(example_doc, 43, 57, "PERSON")).change.spans_added[0].id
    rid = project.apply(AddRelation(h, c, "SUPPORT")).change.relations_added[0].id
    with pytest.raises(EditError, match="only a suggested"):
        project.apply(RejectRelations([rid]))
    assert project.relation(rid).state == "accepted"


def test_undoing_a_run_takes_back_its_undecided_relation_suggestions(project: Project,
                                                                     example_doc: int) -> None:
    from annotator.core import history

    run = history.start_run(project, "preannotate", "pre-annotation (test)", {})
    spans = [project.insert_span_row(Span(0, example_doc, a, b, label, source="model",
                                          state="suggested"))
             for a, b, label in ((0, 6, "GPE"), (43, 57, "PERSON"), (22, 31, "GPE"))]
    project.conn.execute("UPDATE spans SET run_id = ?", (run,))
    russia, maduro, venezuela = (s.id for s in spans)
    with project.bulk():
        project.insert_relation_row(Relation(0, example_doc, russia, maduro, "SUPPORT", {},
                                             state="suggested", source="rule", run_id=run))
        kept = project.insert_relation_row(Relation(0, example_doc, russia, venezuela, "MOBILIZE",
                                                    {}, state="suggested", source="rule",
                                                    run_id=run))
    history.finish_run(project, run, "pre-annotation (test)", {})
    ana = Project.open(project.path, annotator="ana")
    ana.apply(accept_relations([kept.id]))  # an annotator decided on one of them
    ana.close()

    done = project.undo()
    assert done is not None and done.step.run_id == run
    assert [(r.label, r.state) for r in project.relations(example_doc)] == [("MOBILIZE", "accepted")]
    assert {s.id for s in project.spans(example_doc)} == {russia, venezuela}  # its ends stay
    project.redo()
    assert sorted((r.label, r.state, r.source) for r in project.relations(example_doc)) == [
        ("MOBILIZE", "accepted", "rule"), ("SUPPORT", "suggested", "rule")]

