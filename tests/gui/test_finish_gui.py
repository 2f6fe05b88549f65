"""Ctrl+Enter with suggestions nobody reviewed asks first; what it accepts is marked."""

from __future__ import annotations

import json
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.core import memory
from annotator.core.store import Project
from annotator.io.export import ExportOptions, export_project
from tests.conftest import RUNNING_EXAMPLE as T
from tests.gui.dialogs import answer_modal

pytestmark = pytest.mark.gui
CTRL = Qt.KeyboardModifier.ControlModifier
V = T.index("Venezuela")
SUGGESTED = [{"start": 0, "end": 6, "label": "GPE", "state": "suggested"},
             {"start": V, "end": V + 9, "label": "GPE", "state": "suggested"}]


def _fresh(w: Any) -> Project:
    return Project.open(w.project.path)


def test_review_them_keeps_the_document_open_on_the_first(qtbot: Any, main_window: Any) -> None:
    w = main_window([T, "Caracas again."], spans=SUGGESTED)
    first = w.editor.doc_id
    seen: list[str] = []
    answer_modal(qtbot, "Review them", seen=seen)
    qtbot.keyClick(w.view, Qt.Key.Key_Return, CTRL)
    assert seen == ["Accept 2 suggestions you have not reviewed?"]
    assert w.editor.doc_id == first
    assert w.view.selected_span().start == 0  # jumped to the first suggestion
    with _fresh(w) as p:
        assert p.document(first, with_text=False).status == "todo"
        assert {s.state for s in p.spans(first)} == {"suggested"}


def test_accept_and_finish_marks_them_unreviewed(qtbot: Any, main_window: Any, tmp_path) -> None:
    w = main_window([T, "Caracas again."], spans=SUGGESTED)
    first = w.editor.doc_id
    answer_modal(qtbot, "Accept and finish", tick="Always accept without asking")
    qtbot.keyClick(w.view, Qt.Key.Key_Return, CTRL)
    assert w.editor.doc_id != first
    with _fresh(w) as p:
        assert p.document(first, with_text=False).status == "done"
        assert [(s.state, s.review) for s in p.spans(first)] == [("accepted", "bulk")] * 2
        assert p.stats()["spans_accepted_unreviewed"] == 2
        assert memory.best_labels(p) == {}  # unseen: teaches nothing
        out = tmp_path / "out.jsonl"
        export_project(p, "jsonl", out, ExportOptions())
    spans = json.loads(out.read_text().splitlines()[0])["spans"]
    assert [(s["reviewed"], s["annotator"]) for s in spans] == [(False, "tester")] * 2
    # "always accept" is remembered: the next document finishes without a question
    second = w.editor.doc_id
    with _fresh(w) as p:
        p.insert_spans([{"doc_id": second, "start": 0, "end": 7, "label": "GPE"}])
    w.editor.reload()
    w.activateWindow()
    w.view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.view)
    qtbot.keyClick(w.view, Qt.Key.Key_Return, CTRL)
    with _fresh(w) as p:
        assert p.document(second, with_text=False).status == "done"


def test_a_suggestion_looked_at_counts_as_reviewed(qtbot: Any, main_window: Any) -> None:
    w = main_window([T], spans=SUGGESTED)
    qtbot.keyClick(w.view, Qt.Key.Key_Tab)  # select "Russia": the annotator saw it
    qtbot.keyClick(w.view, Qt.Key.Key_Tab)  # and "Venezuela"
    qtbot.keyClick(w.view, Qt.Key.Key_Return, CTRL)  # nothing unseen: no question
    with _fresh(w) as p:
        doc = p.list_documents()[0].id
        assert [(s.state, s.review) for s in p.spans(doc)] == [("accepted", "")] * 2
        assert memory.best_labels(p) == {"Russia": "GPE", "Venezuela": "GPE"}
