"""Project memory is a function of the current gold spans (core/memory.py)."""

from __future__ import annotations

import json

import pytest

from annotator.core import memory, ops
from annotator.core.store import Project
from tests.conftest import run_cli

T = "Maduro met Maduro. Russia and Maduro."


def _best(p: Project) -> dict[str, str]:
    return memory.best_labels(p)


def _add(p: Project, doc: int, start: int, end: int, label: str, **kw) -> int:
    return p.apply(ops.AddSpan(doc, start, end, label, **kw)).change.spans_added[0].id


def test_memory_follows_undo_delete_relabel_resize(project: Project) -> None:
    doc = project.add_document("a.txt", T)
    sid = _add(project, doc, 0, 6, "NORP")
    assert _best(project) == {"Maduro": "NORP"}
    project.undo()
    assert _best(project) == {}  # undone: forgotten at once
    project.redo()
    project.apply(ops.relabel_span(sid, "PERSON"))
    assert _best(project) == {"Maduro": "PERSON"}
    project.apply(ops.resize_span(sid, 0, 10))
    assert _best(project) == {"Maduro met": "PERSON"}
    project.apply(ops.DeleteSpans([sid]))
    assert _best(project) == {}


def test_suggestions_and_bulk_finished_spans_teach_nothing(project: Project) -> None:
    doc = project.add_document("a.txt", T)
    project.insert_spans([{"doc_id": doc, "start": 0, "end": 6, "label": "NORP"},
                          {"doc_id": doc, "start": 19, "end": 25, "label": "GPE"}])
    assert _best(project) == {}
    seen = project.spans(doc)[1].id  # the annotator selected "Russia" before finishing
    project.apply(ops.SetStatus(doc, "done", accept=True, seen=[seen]))
    assert _best(project) == {"Russia": "GPE"}
    reviews = {T[s.start:s.end]: s.review for s in project.spans(doc)}
    assert reviews == {"Maduro": "bulk", "Russia": ""}
    project.undo()
    assert {s.state for s in project.spans(doc)} == {"suggested"}


def test_ties_go_to_the_most_recent_decision(project: Project) -> None:
    doc = project.add_document("a.txt", T)
    _add(project, doc, 0, 6, "NORP")
    _add(project, doc, 11, 17, "PERSON")
    assert _best(project) == {"Maduro": "PERSON"}
    _add(project, doc, 30, 36, "NORP")
    assert _best(project) == {"Maduro": "NORP"}  # 2 against 1


def test_imported_gold_teaches_and_forget_and_switch(project: Project, tmp_path) -> None:
    from annotator.io.importer import import_paths

    f = tmp_path / "gold.jsonl"
    f.write_text(json.dumps({"text": "Guaido spoke.", "spans": [
        {"start": 0, "end": 6, "label": "PERSON"}], "answer": "accept"}) + "\n")
    import_paths(project, [f], fmt="prodigy")
    assert _best(project) == {"Guaido": "PERSON"}
    (entry,) = memory.entries(project)
    assert entry.describe_origin() == "1 span in 1 document, by import 1"
    assert memory.forget(project, "Guaido") == 1
    assert _best(project) == {}
    memory.set_enabled(project, False)
    doc = project.add_document("b.txt", "Guaido again.")
    _add(project, doc, 0, 6, "PERSON")  # a new decision counts again, once memory is on
    assert _best(project) == {}
    memory.set_enabled(project, True)
    assert _best(project) == {"Guaido": "PERSON"}


def test_cli_memory(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    doc = project.add_document("a.txt", T)
    _add(project, doc, 0, 6, "PERSON")
    path = str(project.path)
    code, out, _ = run_cli(capsys, "memory", path, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["enabled"] and data["entries"][0]["label"] == "PERSON"
    assert data["entries"][0]["labels"][0]["from"] == {"tester": 1}
    code, out, _ = run_cli(capsys, "memory", path)
    assert "Maduro" in out and "PERSON" in out
    code, out, err = run_cli(capsys, "memory", path, "--forget", "Nobody")
    assert code != 0 and "nothing in the project memory" in err and "Traceback" not in err
    assert run_cli(capsys, "memory", path, "--forget", "Maduro")[0] == 0
    assert json.loads(run_cli(capsys, "memory", path, "--json")[1])["entries"] == []


def test_forget_and_switch_are_undone_like_edits(project: Project) -> None:
    doc = project.add_document("a.txt", T)
    _add(project, doc, 0, 6, "PERSON")
    assert memory.forget(project, "Maduro") == 1
    assert _best(project) == {}
    step = project.undo()
    assert step is not None and step.step.describe() == "forget 'Maduro' in the memory"
    assert _best(project) == {"Maduro": "PERSON"}
    assert project.redo() is not None and _best(project) == {}
    project.undo()
    memory.set_enabled(project, False)
    assert _best(project) == {}
    assert project.undo().step.describe() == "memory off"
    assert memory.enabled(project) and _best(project) == {"Maduro": "PERSON"}
