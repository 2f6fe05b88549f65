"""The Memory dock: lists what the gold spans teach, forgets an entry, turns memory off."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt

from annotator.core import memory
from annotator.core.store import Project
from tests.conftest import RUNNING_EXAMPLE as T
from tests.gui.conftest import char_point

pytestmark = pytest.mark.gui


def test_memory_dock_lists_forgets_and_switches_off(qtbot: Any, main_window: Any) -> None:
    w = main_window([T])
    m = T.index("Maduro")
    qtbot.mouseDClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=char_point(w.view, m + 2))
    qtbot.keyClick(w.view, Qt.Key.Key_4)  # NORP: the wrong label
    w.dock_memory.show()
    w.dock_memory.raise_()
    panel = w.dock_memory.widget()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    row = [panel.model.index(0, c).data() for c in range(4)]
    assert row == ["Maduro", "NORP", "1", "tester 1"]
    qtbot.keyClick(w.view, Qt.Key.Key_2)  # relabel as PERSON: memory follows
    qtbot.waitUntil(lambda: panel.model.index(0, 1).data() == "PERSON")
    panel.table.selectRow(0)
    qtbot.mouseClick(panel.forget, Qt.MouseButton.LeftButton)
    assert panel.model.rowCount() == 0
    qtbot.mouseClick(panel.enabled, Qt.MouseButton.LeftButton)
    with Project.open(w.project.path) as p:
        assert memory.entries(p) == [] and not memory.enabled(p)
        assert p.conn.execute("SELECT text FROM memory_forgotten").fetchall() == [("Maduro",)]


def test_forget_and_switch_are_undone_with_ctrl_z(qtbot: Any, main_window: Any) -> None:
    w = main_window([T])
    m = T.index("Maduro")
    qtbot.mouseDClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=char_point(w.view, m + 2))
    qtbot.keyClick(w.view, Qt.Key.Key_2)  # PERSON
    w.dock_memory.show()
    w.dock_memory.raise_()
    panel = w.dock_memory.widget()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    panel.table.selectRow(0)
    qtbot.mouseClick(panel.forget, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0)
    assert "forget 'Maduro'" in w.actions["undo"].text()
    w.view.setFocus()
    qtbot.keyClick(w.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    with Project.open(w.project.path) as p:
        assert p.conn.execute("SELECT COUNT(*) FROM memory_forgotten").fetchone()[0] == 0
        status = p.document(next(p.iter_documents()).id, with_text=False).status
    box = panel.enabled  # on its indicator: a wide check box ignores clicks past its text
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))  # off
    with Project.open(w.project.path) as p:
        assert not memory.enabled(p)
        assert p.document(next(p.iter_documents()).id, with_text=False).status == status
    w.view.setFocus()
    qtbot.keyClick(w.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: panel.enabled.isChecked(), timeout=3000)
    with Project.open(w.project.path) as p:
        assert memory.enabled(p)

