"""Every edit operation, applied and undone through its inverse, checked in the database."""

from __future__ import annotations

import pytest

from annotator.core import ops
from annotator.core.errors import EditError, SchemaError
from annotator.core.store import Project


def _state(p: Project, doc: int) -> tuple:
    """Everything an edit can touch, comparable before/after (timestamps left out)."""
    spans = [(s.id, s.start, s.end, s.label, s.source, s.state, s.layer, s.attrs)
             for s in p.spans(doc, layer=None)]
    rels = [(r.id, r.head_id, r.child_id, r.label, r.attrs) for r in p.relations(doc, layer=None)]
    return spans, rels, p.document(doc, with_text=False).status


def _roundtrip(p: Project, doc: int, op: ops.Op) -> ops.EditResult:
    """Apply op, undo it (state back), redo it (state as after the first apply)."""
    before = _state(p, doc)
    result = p.apply(op)
    after = _state(p, doc)
    assert after != before
    undo = p.apply(result.inverse)
    assert _state(p, doc) == before
    p.apply(undo.inverse)
    assert _state(p, doc) == after
    return result


def _span(p: Project, doc: int, start: int, end: int, label: str, **kw) -> int:
    return p.apply(ops.AddSpan(doc, start, end, label, **kw)).change.spans_added[0].id


def test_add_span_and_inverse(project: Project, example_doc: int) -> None:
    result = _roundtrip(project, example_doc, ops.AddSpan(example_doc, 0, 6, "GPE"))
    (span,) = project.spans(example_doc)
    assert (span.start, span.end, span.label, span.annotator) == (0, 6, "GPE", "tester")
    assert result.change.spans_added[0].id == span.id  # redo keeps the id


def test_delete_span_takes_relations_and_undo_restores_both(project: Project, example_doc: int) -> None:
    a = _span(project, example_doc, 0, 6, "GPE")
    b = _span(project, example_doc, 22, 31, "GPE")
    project.apply(ops.AddRelation(a, b, "AID", attrs={"negated": True}))
    result = _roundtrip(project, example_doc, ops.DeleteSpans([a]))
    assert [r.head_id for r in result.change.relations_removed] == [a]
    assert len(project.spans(example_doc)) == 1 and project.relations(example_doc) == []


def test_update_spans_relabel_resize_accept_attrs(project: Project, example_doc: int) -> None:
    s = _span(project, example_doc, 43, 50, "GPE", source="model", state="suggested")
    _roundtrip(project, example_doc, ops.relabel_span(s, "PERSON"))
    assert (project.span(s).label, project.span(s).state) == ("PERSON", "accepted")
    _roundtrip(project, example_doc, ops.resize_span(s, 43, 57))
    assert project.text(example_doc)[43:57] == "Nicolas Maduro"
    t = _span(project, example_doc, 0, 6, "GPE", source="model", state="suggested")
    _roundtrip(project, example_doc, ops.accept_spans([t]))
    _roundtrip(project, example_doc, ops.set_span_attrs(t, {"country": "RUS", "kb_id": "Q159"}))
    assert project.span(t).attrs == {"country": "RUS", "kb_id": "Q159"}


def test_add_spans_is_one_step(project: Project, example_doc: int) -> None:
    op = ops.AddSpans(example_doc, [{"start": 0, "end": 6, "label": "GPE"},
                                    {"start": 22, "end": 31, "label": "GPE"}])
    _roundtrip(project, example_doc, op)
    assert len(project.spans(example_doc)) == 2


def test_relation_ops_and_inverses(project: Project, example_doc: int) -> None:
    a = _span(project, example_doc, 0, 6, "GPE")
    b = _span(project, example_doc, 22, 31, "GPE")
    rel = _roundtrip(project, example_doc, ops.AddRelation(a, b, "AID")).change.relations_added[0]
    _roundtrip(project, example_doc, ops.UpdateRelation(rel.id, {"label": "MOBILIZE"}))
    _roundtrip(project, example_doc, ops.UpdateRelation(rel.id, {"attrs": {"modality": "future"}}))
    _roundtrip(project, example_doc, ops.swap_relation(project, rel.id))
    assert (project.relation(rel.id).head_id, project.relation(rel.id).child_id) == (b, a)
    _roundtrip(project, example_doc, ops.DeleteRelations([rel.id]))
    assert project.relations(example_doc) == []


def test_set_status_done_accepts_suggestions_and_undo(project: Project, example_doc: int) -> None:
    s = _span(project, example_doc, 0, 6, "GPE", source="model", state="suggested")
    _roundtrip(project, example_doc, ops.SetStatus(example_doc, "done", accept=True))
    assert project.span(s).state == "accepted"
    assert project.document(example_doc).status == "done"


def test_batch_is_one_transaction(project: Project, example_doc: int) -> None:
    good = ops.AddSpan(example_doc, 0, 6, "GPE")
    bad = ops.AddSpan(example_doc, 0, 999, "GPE")
    with pytest.raises(EditError):
        project.apply(ops.Batch([good, bad]))
    assert project.spans(example_doc) == []  # the good half was rolled back


@pytest.mark.parametrize(
    ("start", "end", "label"), [(5, 5, "GPE"), (-1, 3, "GPE"), (0, 10_000, "GPE"), (0, 6, "NOPE")]
)
def test_bad_spans_refused(project: Project, example_doc: int, start: int, end: int, label: str) -> None:
    with pytest.raises(EditError):
        project.apply(ops.AddSpan(example_doc, start, end, label))
    assert project.spans(example_doc) == []


def test_invalid_relation_pair_and_duplicates_refused(project: Project, example_doc: int) -> None:
    a = _span(project, example_doc, 0, 6, "GPE")
    b = _span(project, example_doc, 22, 31, "GPE")
    with pytest.raises(SchemaError):
        project.apply(ops.AddRelation(a, b, "LEADER_OF"))  # needs a PERSON head
    project.apply(ops.AddRelation(a, b, "ALLIED_WITH"))
    with pytest.raises(EditError):  # symmetric: B-A is the same relation
        project.apply(ops.AddRelation(b, a, "ALLIED_WITH"))
    with pytest.raises(SchemaError):
        project.apply(ops.AddRelation(a, b, "AID", attrs={"modality": "maybe"}))
    assert len(project.relations(example_doc)) == 1


def test_edits_are_logged_with_inverse(project: Project, example_doc: int) -> None:
    result = project.apply(ops.AddSpan(example_doc, 0, 6, "GPE"))
    (entry,) = project.history(doc_id=example_doc)
    assert entry["annotator"] == "tester" and entry["op"] == "add_span"
    rebuilt = ops.op_from_dict(__import__("json").loads(entry["inverse"]))
    assert rebuilt == result.inverse


