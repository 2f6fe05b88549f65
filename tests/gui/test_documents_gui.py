"""Documents: editing a to-do one sets it in progress (undo puts it back), Skip marks it
skipped and opens the next, the list shows a readable title, a done one says so when edited."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from annotator.core.store import Project
from tests.gui.conftest import char_point

pytestmark = pytest.mark.gui
CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
T = "Russia sent troops to Venezuela.\nMore text follows."


def _status(w: Any, doc: int) -> str:
    with Project.open(w.project.path) as p:
        return p.document(doc, with_text=False).status


def test_first_edit_sets_in_progress_and_undo_puts_it_back(qtbot: Any, main_window: Any) -> None:
    w = main_window([T])
    doc = w.editor.doc_id
    qtbot.mouseDClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=char_point(w.view, 2))
    qtbot.keyClick(w.view, Qt.Key.Key_1)
    assert _status(w, doc) == "in_progress"
    assert w.docs.model.index(0, 1).data() == "in progress"
    qtbot.keyClick(w.view, Qt.Key.Key_Z, CTRL)
    assert _status(w, doc) == "todo"
    with Project.open(w.project.path) as p:
        assert p.spans(doc) == []


def test_skip_marks_skipped_and_opens_the_next(qtbot: Any, main_window: Any) -> None:
    w = main_window([T, "Second article."])
    first = w.editor.doc_id
    qtbot.keyClick(w.view, Qt.Key.Key_S, CTRL | SHIFT)
    assert _status(w, first) == "skipped"
    assert w.editor.doc_id != first
    assert any(a.text().startswith("&Skip") for a in w.menuBar().actions()[2].menu().actions())


def test_list_shows_first_line_and_file_name_on_hover(qtbot: Any, main_window: Any) -> None:
    w = main_window(["\n  Russian planes land in Caracas  \nBody text."])
    idx = w.docs.model.index(0, 0)
    assert idx.data() == "Russian planes land in Caracas"
    assert "doc000.txt" in idx.data(Qt.ItemDataRole.ToolTipRole)


def test_editing_a_done_document_shows_a_notice(qtbot: Any, main_window: Any) -> None:
    w = main_window([T], status="done")
    qtbot.mouseDClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=char_point(w.view, 2))
    qtbot.keyClick(w.view, Qt.Key.Key_1)
    assert w.banner.isVisible() and "marked done" in w.banner.text()
    assert _status(w, w.editor.doc_id) == "done"
    with Project.open(w.project.path) as p:
        assert len(p.spans(w.editor.doc_id)) == 1
