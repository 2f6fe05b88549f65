"""Small things: the entity list follows the span just edited, Help lists every key, the
status bar names a missing model, import offers .md, pre-annotation says what it will do."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog

from annotator.core.store import Project
from annotator.gui.actions import ACTIONS
from annotator.gui.main_window import MainWindow
from tests.conftest import RUNNING_EXAMPLE as T
from tests.gui.conftest import char_point
from tests.gui.dialogs import answer_modal

pytestmark = pytest.mark.gui
CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def test_entity_list_highlights_the_span_just_edited(qtbot: Any, main_window: Any) -> None:
    v = T.index("Venezuela")
    w = main_window([T], spans=[{"start": 0, "end": 6, "label": "GPE", "state": "suggested"},
                                {"start": v, "end": v + 9, "label": "GPE", "state": "suggested"}])
    qtbot.mouseClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=char_point(w.view, 2))
    qtbot.wait(20)
    qtbot.keyClick(w.view, Qt.Key.Key_1)  # accept "Russia" with its own label key
    qtbot.wait(20)  # the list follows after the paint
    assert w.entities.list.currentIndex().data().startswith("Russia")
    qtbot.keyClick(w.view, Qt.Key.Key_Right, SHIFT)  # resize it to "Russia sent"
    qtbot.wait(20)
    with Project.open(w.project.path) as p:
        first = p.spans(w.editor.doc_id)[0]
        assert (first.end, first.state) == (T.index(" troops"), "accepted")
    assert w.entities.list.currentIndex().data().startswith("Russia sent")


def test_help_lists_every_key_and_the_relation_gestures(qtbot: Any, main_window: Any) -> None:
    w = main_window([T])
    seen: list[str] = []
    answer_modal(qtbot, "OK", seen=seen)
    qtbot.keyClick(w.view, Qt.Key.Key_F1)
    (text,) = seen
    assert "<b>R</b>" in text and "Alt+drag" in text and "Esc closes the picker" in text
    for spec in ACTIONS:
        for key in spec.shortcuts:
            assert key in text, key


def test_status_bar_says_when_there_is_no_model(qtbot: Any, tmp_path: Path) -> None:
    project = Project.init(tmp_path / "p", model="none", annotator="tester")
    project.add_document("a.txt", T)
    w = MainWindow(project)
    qtbot.addWidget(w)
    assert w.status.model.text() == "Model: none (gazetteer only)"
    project.close()


def test_import_dialog_offers_markdown(qtbot: Any, main_window: Any, monkeypatch: Any) -> None:
    w = main_window([T])
    filters: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        lambda *a, **k: (filters.append(a[3]), ([], ""))[1])
    qtbot.keyClick(w.view, Qt.Key.Key_I, CTRL)
    assert filters and "*.md" in filters[0]


def test_preannotation_says_what_it_will_do_and_can_be_cancelled(qtbot: Any, main_window: Any) -> None:
    w = main_window([T, "Second one."])
    seen: list[str] = []
    answer_modal(qtbot, "Cancel", seen=seen)
    qtbot.keyClick(w.view, Qt.Key.Key_P, CTRL | SHIFT)
    assert seen and seen[0].startswith("Pre-annotate 2 documents (to do and in progress) with")
    assert "are kept" in seen[0]
    QApplication.processEvents()
    with Project.open(w.project.path) as p:
        assert p.conn.execute("SELECT COUNT(*) FROM edit_log").fetchone()[0] == 0
        assert all(not p.spans(d.id) for d in p.iter_documents(with_text=False))


def test_csv_without_text_column_from_the_import_dialog(qtbot: Any, main_window: Any,
                                                       monkeypatch: Any, tmp_path: Path) -> None:
    f = tmp_path / "feed.csv"
    f.write_text("id,title,content\n1,Planes land,Two Russian planes landed in Caracas.\n")
    w = main_window([T])
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(f)], ""))
    seen: list[str] = []
    answer_modal(qtbot, "OK", seen=seen)
    qtbot.keyClick(w.view, Qt.Key.Key_I, CTRL)
    assert seen and "column 'content'" in seen[0]
    with Project.open(w.project.path) as p:
        docs = {d.text: d.meta for d in p.iter_documents()}
    assert docs["Two Russian planes landed in Caracas."] == {"id": "1", "title": "Planes land"}
    assert w.docs.model.index(1, 0).data() == "Planes land"  # the list shows its title
