"""The open document's Qt-free state: a Change from the real store is folded once and every
view reads the same spans, relations and selection (no Qt in this file)."""

from __future__ import annotations

from annotator.core import ops
from annotator.core.store import Project
from annotator.gui.state.document import Delta, DocumentState
from tests.conftest import RUNNING_EXAMPLE as T


def _open(project: Project) -> tuple[DocumentState, int, list[tuple]]:
    doc = project.add_document("a.txt", T)
    other = project.add_document("b.txt", T + " Again.")
    assert doc is not None and other is not None
    state, events = DocumentState(), []
    state.loaded.connect(lambda: events.append(("loaded",)))
    state.changed.connect(lambda d: events.append(("changed", d)))
    state.span_selected.connect(lambda i: events.append(("span", i)))
    state.relations_selected.connect(lambda ids: events.append(("relations", ids)))
    state.load(doc, project.text(doc), project.spans(doc), project.relations(doc))
    return state, doc, events


def _span(project: Project, doc: int, word: str, label: str) -> int:
    i = T.index(word)
    return project.apply(ops.AddSpan(doc, i, i + len(word), label)).change.spans_added[0].id


def test_an_edit_is_folded_once_for_spans_and_relations(project: Project) -> None:
    state, doc, events = _open(project)
    result = project.apply(ops.AddSpan(doc, 0, 6, "GPE"))
    ru = result.change.spans_added[0].id
    delta = state.apply(result.change)
    assert delta == Delta(spans_added=(ru,)) and events[-1] == ("changed", delta)
    assert state.relations.spans is state.spans  # one span index, shared, not a copy
    i = T.index("Venezuela")
    ve = state.apply(project.apply(ops.AddSpan(doc, i, i + 9, "GPE")).change).spans_added[0]
    rel = project.apply(ops.AddRelation(ru, ve, "AID", {})).change
    delta = state.apply(rel)
    assert delta.relations_added == (rel.relations_added[0].id,) and not delta.spans_added
    assert [r.label for r in state.relations.of_span(ve)] == ["AID"]
    assert state.span_text(ve) == "Venezuela" and state.relations.span_text(ve) == "Venezuela"


def test_deleting_the_selected_span_drops_its_relations_and_the_selection(project: Project) -> None:
    doc = project.add_document("a.txt", T)
    ru, ve = _span(project, doc, "Russia", "GPE"), _span(project, doc, "Venezuela", "GPE")
    rel = project.apply(ops.AddRelation(ru, ve, "AID", {})).change.relations_added[0].id
    state, events = DocumentState(), []
    state.load(doc, project.text(doc), project.spans(doc), project.relations(doc))
    state.changed.connect(lambda d: events.append(("changed", d)))
    state.span_selected.connect(lambda i: events.append(("span", i)))
    state.relations_selected.connect(lambda ids: events.append(("relations", ids)))
    assert state.select_span(ru) and state.select_relations([rel, 999])
    assert state.selected_relations == [rel] and not state.select_span(ru)
    events.clear()
    delta = state.apply(project.apply(ops.DeleteSpans([ru])).change)
    assert delta.spans_removed == (ru,) and delta.relations_removed == (rel,)
    assert state.selected_span is None and state.selected_relations == []
    # views hear the change first, then that the selection went with it
    assert events == [("changed", delta), ("span", None), ("relations", [])]
    assert ru not in state.spans and not state.relations.by_id


def test_other_documents_and_volunteer_layers_are_not_shown(project: Project) -> None:
    state, doc, events = _open(project)
    other = doc + 1
    assert state.apply(project.apply(ops.AddSpan(other, 0, 6, "GPE")).change) == Delta()
    # a batch over several documents (Find > Label all) is named after its first document:
    # the open one's spans must show all the same, and only those
    i = T.index("Venezuela")
    both = project.apply(ops.Batch([ops.AddSpans(other, [{"start": i, "end": i + 9, "label": "GPE"}]),
                                    ops.AddSpans(doc, [{"start": i, "end": i + 9, "label": "GPE"}])]))
    mine = [s.id for s in both.change.spans_added if s.doc_id == doc]
    assert both.change.doc_id == other and state.apply(both.change).spans_added == tuple(mine)
    theirs = [s.id for s in project.spans(other)]
    rel = project.apply(ops.AddRelation(theirs[0], theirs[1], "AID", {})).change
    assert state.apply(rel) == Delta() and not state.relations.by_id
    project.insert_spans([{"doc_id": doc, "start": 0, "end": 6, "label": "GPE", "layer": "ana"}])
    layer_change = ops.Change(doc_id=doc, spans_added=project.spans(doc, layer="ana"))
    assert state.apply(layer_change) == Delta() and [s.id for s in state.spans.ordered()] == mine
    assert [e[0] for e in events] == ["loaded", "changed"]
    assert not state.select_span(12345) and state.selected_span is None


def test_after_many_edits_the_state_equals_a_fresh_load(project: Project) -> None:
    state, doc, _ = _open(project)
    apply = lambda op: state.apply(project.apply(op).change)  # noqa: E731
    apply(ops.AddSpans(doc, [{"start": 0, "end": 6, "label": "GPE"},
                             {"start": T.index("Venezuela"), "end": T.index("Venezuela") + 9,
                              "label": "GPE", "state": "suggested", "source": "model"}]))
    first, second = (s.id for s in state.spans.ordered())
    apply(ops.relabel_span(first, "ORG"))
    apply(ops.resize_span(second, T.index("Venezuela"), T.index("Venezuela") + 5))
    apply(ops.accept_spans([second]))
    rel = apply(ops.AddRelation(first, second, "AID", {})).relations_added[0]
    apply(ops.UpdateRelation(rel, {"attrs": {"negated": True}}))
    apply(ops.SetStatus(doc, "done", accept=True))
    fresh = DocumentState()
    fresh.load(doc, project.text(doc), project.spans(doc), project.relations(doc))
    assert [(s.id, s.start, s.end, s.label, s.state) for s in state.spans.ordered()] == \
        [(s.id, s.start, s.end, s.label, s.state) for s in fresh.spans.ordered()]
    assert state.relations.by_id == fresh.relations.by_id
    assert state.relations.order == fresh.relations.order
