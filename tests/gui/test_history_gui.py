"""Undo/Redo in the window read the core history: after a restart, with the step's name in
the menu, and a refused write never escapes a slot. Checked in the database."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.core.store import Project
from annotator.gui.main_window import MainWindow
from tests.gui.conftest import char_point, spans_of

pytestmark = pytest.mark.gui
TEXT = "Russia sent troops to Venezuela. Moscow backs Caracas. Cuba and Iran agree."
WORDS = ["Russia", "Venezuela", "Moscow", "Caracas", "Cuba", "Iran"]
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT_CTRL = CTRL | Qt.KeyboardModifier.ShiftModifier


def _label_words(qtbot: Any, w: MainWindow, words: list[str]) -> None:
    for word in words:
        start = TEXT.index(word)
        qtbot.mouseDClick(w.view.viewport(), Qt.MouseButton.LeftButton,
                          pos=char_point(w.view, start + 1))
        qtbot.keyClick(w.view, Qt.Key.Key_1)  # GPE


def _reopen(qtbot: Any, path: Any) -> MainWindow:
    project = Project.open(path, annotator="tester")
    w = MainWindow(project)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    w.view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.view, timeout=3000)
    return w


def test_undo_and_redo_after_a_restart(qtbot: Any, main_window: Any) -> None:
    w = main_window([TEXT])
    _label_words(qtbot, w, WORDS)
    assert len(spans_of(w)) == 6
    path = w.project.path
    w.close()  # Ctrl+Q: the window is gone, the project closed below
    w.project.close()

    w = _reopen(qtbot, path)
    qtbot.waitUntil(lambda: w.actions["undo"].isEnabled(), timeout=2000)
    assert not w.actions["redo"].isEnabled()
    assert "Iran" in w.actions["undo"].text() and "GPE" in w.actions["undo"].text()
    qtbot.keyClick(w.view, Qt.Key.Key_Z, CTRL)
    assert [TEXT[s:e] for s, e, _, _ in spans_of(w)] == WORDS[:5]
    assert "Cuba" in w.actions["undo"].text() and "Iran" in w.actions["redo"].text()
    qtbot.keyClick(w.view, Qt.Key.Key_Z, CTRL)
    assert len(spans_of(w)) == 4
    assert w.entities.model.rowCount() == 4  # the views follow the same change
    qtbot.keyClick(w.view, Qt.Key.Key_Z, SHIFT_CTRL)
    qtbot.keyClick(w.view, Qt.Key.Key_Z, SHIFT_CTRL)
    assert [TEXT[s:e] for s, e, _, _ in spans_of(w)] == WORDS
    assert not w.actions["redo"].isEnabled()
    w.close()
    w.project.close()


def test_a_locked_project_says_edit_not_saved_and_keeps_undo(qtbot: Any, main_window: Any) -> None:
    w = main_window([TEXT])
    _label_words(qtbot, w, ["Russia"])
    w.project.conn.execute("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(str(w.project.path / "project.db"), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        _label_words(qtbot, w, ["Moscow"])
        assert "Edit not saved" in w.statusBar().currentMessage()
        assert "busy" in w.statusBar().currentMessage()
        qtbot.keyClick(w.view, Qt.Key.Key_Z, CTRL)  # undo under the lock: refused, nothing moves
        assert "not saved" in w.statusBar().currentMessage()
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert [TEXT[s:e] for s, e, _, _ in spans_of(w)] == ["Russia"]
    qtbot.keyClick(w.view, Qt.Key.Key_Z, CTRL)  # the lock is gone: the undo of "Russia" works
    assert spans_of(w) == []


def test_a_second_window_says_so_and_sees_the_others_edits(qtbot: Any, main_window: Any) -> None:
    w = main_window([TEXT])
    second = _reopen(qtbot, w.project.path)
    assert second.banner.isVisible() and "another window" in second.banner.text()
    assert not w.banner.isVisible()
    w.activateWindow()  # the label key is a shortcut of the active window
    w.view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.view, timeout=3000)
    _label_words(qtbot, w, ["Russia"])
    assert len(spans_of(w)) == 1
    qtbot.waitUntil(lambda: second.view.index.ordered() != [], timeout=3000)
    assert [(s.start, s.end) for s in second.view.index.ordered()] == [(0, 6)]
    second.close()
    second.project.close()
