"""Undo and redo read the edit log: after a restart, from another process, for whole runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from annotator.core import history, ops
from annotator.core.errors import EditError
from annotator.core.store import Project
from annotator.nlp.preannotate import Options, preannotate_project

TEXT = ("Two Russian air force planes landed outside Caracas, drawing U.S. condemnation. "
        "Russia and Venezuela signed a deal with Rosneft, Reuters reported.")


def _spans(p: Project, doc: int) -> list[tuple[int, int, str, str, str]]:
    return sorted((s.start, s.end, s.label, s.source, s.state) for s in p.spans(doc))


def _label(p: Project, doc: int, text: str, label: str) -> int:
    start = TEXT.index(text)
    return p.apply(ops.AddSpan(doc, start, start + len(text), label),
                   summary=f"label '{text}' {label}").change.spans_added[0].id


def test_undo_and_redo_after_a_restart(tmp_path: Path) -> None:
    p = Project.init(tmp_path / "p", annotator="ana")
    doc = p.add_document("a.txt", TEXT)
    for text in ("Caracas", "Russia", "Venezuela"):
        _label(p, doc, text, "GPE")
    three = _spans(p, doc)
    p.close()

    p = Project.open(tmp_path / "p", annotator="ana")  # a new session: nothing in memory
    assert history.next_undo(p).describe() == "label 'Venezuela' GPE"
    done = p.undo()
    assert done is not None and "label 'Venezuela' GPE" in done.text()
    assert [s[2] for s in _spans(p, doc)] == ["GPE", "GPE"] and done.change.spans_removed
    p.undo()
    assert len(_spans(p, doc)) == 1
    p.close()

    p = Project.open(tmp_path / "p", annotator="ana")
    assert history.next_redo(p).describe() == "label 'Russia' GPE"  # the most recently undone
    p.redo()
    p.redo()
    assert _spans(p, doc) == three
    assert p.redo() is None  # nothing left to redo
    p.close()


def test_undo_is_per_annotator_and_a_new_edit_ends_redo(tmp_path: Path) -> None:
    ana = Project.init(tmp_path / "p", annotator="ana")
    doc = ana.add_document("a.txt", TEXT)
    ben = Project.open(tmp_path / "p", annotator="ben")
    _label(ana, doc, "Caracas", "GPE")
    _label(ben, doc, "Russia", "GPE")
    ana.undo()  # ana's step, not ben's newer one
    assert [TEXT[s.start:s.end] for s in ana.spans(doc)] == ["Russia"]
    _label(ana, doc, "Venezuela", "GPE")
    assert ana.redo() is None  # linear history: the new edit buried the undone one
    assert [r.state for r in history.steps(ana, annotator="ana") if r.op == "add_span"] == [
        "done", "dropped"]
    ben.close()
    ana.close()


def test_undo_from_a_second_process(tmp_path: Path) -> None:
    p = Project.init(tmp_path / "p", annotator="ana")
    doc = p.add_document("a.txt", TEXT)
    _label(p, doc, "Caracas", "GPE")
    code = ("from annotator.core.store import Project; import sys;"
            "p = Project.open(sys.argv[1], annotator='ana'); print(p.undo().text())")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "p")], capture_output=True,
                         text=True)
    assert out.returncode == 0, out.stderr
    assert "undid" in out.stdout and p.spans(doc) == []
    p.close()


def test_an_edit_that_cannot_be_undone_is_skipped_with_a_reason(tmp_path: Path) -> None:
    ana = Project.init(tmp_path / "p", annotator="ana")
    doc = ana.add_document("a.txt", TEXT)
    sid = _label(ana, doc, "Caracas", "GPE")
    ana.apply(ops.UpdateSpans({str(sid): {"label": "FAC"}}), summary="relabel")
    ben = Project.open(tmp_path / "p", annotator="ben")
    ben.apply(ops.DeleteSpans([sid]))  # ben deleted the span ana relabelled
    with pytest.raises(EditError, match="cannot undo 'relabel'"):
        ana.undo()
    assert history.next_undo(ana).describe() == "label 'Caracas' GPE"  # the next one is offered
    ben.close()
    ana.close()


def test_undo_walks_back_through_edits_then_the_whole_run(project: Project) -> None:
    doc = project.add_document("a.txt", TEXT)
    preannotate_project(project, Options(model="blank"))
    suggested = _spans(project, doc)
    assert len(suggested) > 5 and {s[4] for s in suggested} == {"suggested"}
    _label(project, doc, "planes", "WEAPON")

    step = history.next_undo(project)
    assert step is not None and step.describe() == "label 'planes' WEAPON"
    project.undo()
    assert _spans(project, doc) == suggested
    run = history.next_undo(project)
    assert run is not None and run.run_id and "suggestions in 1 documents" in run.describe()
    done = project.undo()
    assert done is not None and done.change.bulk and doc in done.change.documents
    assert project.spans(doc) == []
    assert history.next_undo(project) is None
    project.redo()
    assert _spans(project, doc) == suggested
    project.redo()
    assert len(_spans(project, doc)) == len(suggested) + 1


def test_undoing_a_run_never_removes_accepted_or_human_spans(tmp_path: Path) -> None:
    """The coordinator reverts a model run after annotators worked on its suggestions."""
    coord = Project.init(tmp_path / "p", annotator="coord")
    doc = coord.add_document("a.txt", TEXT)
    preannotate_project(coord, Options(model="blank"))
    ana = Project.open(tmp_path / "p", annotator="ana")
    by_text = {TEXT[s.start:s.end]: s for s in ana.spans(doc)}
    ana.apply(ops.accept_spans([by_text["Russia"].id]))
    ana.apply(ops.UpdateSpans({str(by_text["Caracas"].id): {"label": "FAC", "state": "accepted"}}))
    ana.apply(ops.AddRelation(by_text["Rosneft"].id, by_text["Venezuela"].id, "LOCATED_IN"))
    start = TEXT.index("planes")
    ana.apply(ops.AddSpan(doc, start, start + 6, "WEAPON"))

    done = coord.undo()
    assert done is not None and done.step.op == "preannotate"
    left = {(TEXT[s.start:s.end], s.state) for s in coord.spans(doc)}
    assert left == {("Russia", "accepted"), ("Caracas", "accepted"), ("planes", "accepted"),
                    ("Rosneft", "suggested"), ("Venezuela", "suggested")}  # tied by ana's relation
    assert len(coord.relations(doc)) == 1
    coord.redo()
    assert {TEXT[s.start:s.end] for s in coord.spans(doc)} == set(by_text) | {"planes"}
    ana.close()
    coord.close()


def test_undo_of_a_rerun_brings_back_what_it_replaced(project: Project) -> None:
    doc = project.add_document("a.txt", TEXT)
    preannotate_project(project, Options(model="blank"))
    first = _spans(project, doc)
    # a decision in another document teaches memory (memory follows the gold spans)
    other = project.add_document("b.txt", "Rosneft said so.", status="done")
    project.apply(ops.AddSpan(other, 0, 7, "PERSON"))
    summary = preannotate_project(project, Options(model="blank"))
    assert summary.replaced == 1
    assert ("Rosneft", "PERSON") in {(TEXT[s.start:s.end], s.label) for s in project.spans(doc)}
    project.undo()
    assert _spans(project, doc) == first  # the ORG suggestion the rerun replaced is back
    project.redo()
    assert ("Rosneft", "PERSON") in {(TEXT[s.start:s.end], s.label) for s in project.spans(doc)}


def test_a_killed_run_can_still_be_undone(project: Project) -> None:
    doc = project.add_document("a.txt", TEXT)
    run = history.start_run(project, "preannotate", "pre-annotation (test)", {})
    project.insert_spans([{"doc_id": doc, "start": 0, "end": 3, "label": "CARDINAL",
                           "run_id": run}])
    history.end_run(run)  # the process died here: no finish_run, its lock gone with it
    done = project.undo()
    assert done is not None and done.step.run_id == run and project.spans(doc) == []


def test_a_run_still_going_cannot_be_undone_under_its_feet(project: Project) -> None:
    doc = project.add_document("a.txt", TEXT)
    run = history.start_run(project, "preannotate", "pre-annotation (test)", {})
    project.insert_spans([{"doc_id": doc, "start": 0, "end": 3, "label": "CARDINAL", "run_id": run}])
    code = ("from annotator.core.store import Project; import sys;"
            "p = Project.open(sys.argv[1], annotator='tester'); p.undo()")
    out = subprocess.run([sys.executable, "-c", code, str(project.path)], capture_output=True,
                         text=True)
    assert out.returncode == 1 and "still running" in out.stderr  # another process: refused
    history.finish_run(project, run, "pre-annotation (test): 1 suggestions", {})
    assert not list(project.path.glob(".run-*.lock"))


def test_relation_suggestions_a_run_replaced_come_back_when_it_is_undone(project: Project) -> None:
    from annotator.core.models import Relation, Span

    doc = project.add_document("a.txt", TEXT)
    head = project.insert_span_row(Span(0, doc, 38, 42, "GPE"))  # accepted ends
    start = TEXT.index("Caracas")
    child = project.insert_span_row(Span(0, doc, start, start + 7, "GPE"))
    old = project.insert_relation_row(Relation(0, doc, head.id, child.id, "LOCATED_IN", {},
                                               state="suggested", source="rule"))
    run = history.start_run(project, "preannotate", "pre-annotation (test)", {})
    with project.bulk():  # what a memory suggestion does to the machine one on the same pair
        history.park_relations(project, [old.id], run, "removed")
    history.finish_run(project, run, "pre-annotation (test)", {})
    assert project.relations(doc) == []
    project.undo()
    [back] = project.relations(doc)
    assert (back.head_id, back.child_id, back.label, back.state) == (
        head.id, child.id, "LOCATED_IN", "suggested")


def test_actor_links_of_a_run_come_back_with_its_redo(project: Project) -> None:
    doc = project.add_document("a.txt", TEXT)
    preannotate_project(project, Options(model="blank"))

    def links() -> set[tuple[str, int]]:
        rows = project.conn.execute(
            "SELECT s.start, s.end, a.actor_id FROM span_actor a JOIN spans s ON s.id = a.span_id")
        return {(TEXT[start:end], actor) for start, end, actor in rows}

    before = links()
    assert ("Russia", next(a for t, a in before if t == "Russia")) in before  # linked by the run
    project.undo()
    assert links() == set() and project.spans(doc) == []
    project.redo()
    assert links() == before  # new span ids, the same links


def test_redo_of_a_run_that_replaced_relation_suggestions_replaces_them_again(project: Project) -> None:
    from annotator.core.models import Relation, Span

    doc = project.add_document("a.txt", TEXT)
    head = project.insert_span_row(Span(0, doc, 38, 42, "GPE"))
    start = TEXT.index("Caracas")
    child = project.insert_span_row(Span(0, doc, start, start + 7, "GPE"))
    old = project.insert_relation_row(Relation(0, doc, head.id, child.id, "LOCATED_IN", {},
                                               state="suggested", source="rule"))
    run = history.start_run(project, "preannotate", "pre-annotation (test)", {})
    with project.bulk():  # a memory suggestion replaces the machine one on the same pair
        history.park_relations(project, [old.id], run, "removed")
        project.insert_relation_row(Relation(0, doc, head.id, child.id, "OPPOSE", {},
                                             state="suggested", source="memory", run_id=run))
    history.finish_run(project, run, "pre-annotation (test)", {})
    after = [(r.label, r.source) for r in project.relations(doc)]
    assert after == [("OPPOSE", "memory")]
    project.undo()
    assert [(r.label, r.source) for r in project.relations(doc)] == [("LOCATED_IN", "rule")]
    project.redo()
    assert [(r.label, r.source) for r in project.relations(doc)] == after  # not both
    project.undo()
    assert [(r.label, r.source) for r in project.relations(doc)] == [("LOCATED_IN", "rule")]


@pytest.mark.parametrize("edit", ["actor", "memory"])
def test_every_kind_of_edit_is_undone_from_a_fresh_process(tmp_path: Path, edit: str) -> None:
    """Undo reads the log back in a process that never imported the op's module (the CLI)."""
    from annotator.core import memory
    from annotator.core.actor_ops import CreateActor

    p = Project.init(tmp_path / "p", annotator="ana")
    doc = p.add_document("a.txt", TEXT)
    span = _label(p, doc, "Caracas", "GPE")
    if edit == "actor":
        p.apply(CreateActor("Caracas", "GPE", "VEN", None, span_ids=[span]), summary="new actor")
    else:
        memory.set_enabled(p, False)
    p.close()
    code = ("from annotator.core.store import Project; import sys;"
            "p = Project.open(sys.argv[1], annotator='ana'); print(p.undo().text())")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "p")], capture_output=True,
                         text=True)
    assert out.returncode == 0, out.stderr
    with Project.open(tmp_path / "p", annotator="ana") as p:
        if edit == "actor":
            assert p.conn.execute("SELECT COUNT(*) FROM actors").fetchone()[0] == 0
        else:
            assert memory.enabled(p)


def test_history_knows_every_operation_without_other_imports() -> None:
    code = ("import pkgutil, importlib, annotator.core as c\n"
            "from annotator.core import history, edit\n"
            "known = set(edit._REGISTRY)\n"
            "for m in pkgutil.iter_modules(c.__path__):\n"
            "    importlib.import_module('annotator.core.' + m.name)\n"
            "print(sorted(set(edit._REGISTRY) - known))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"  # an op history cannot read back could never be undone
