"""Budget: accept-all of 20,000 suggestions in a 1 MB document, and its undo, each <= 1 s
with the window repainted (keys pressed, database checked)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.core.store import Project
from annotator.gui.app import ensure_app
from annotator.gui.main_window import MainWindow
from tests.bench.test_bench_gui import _big_project

pytestmark = pytest.mark.gui
CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def _states(path: Path, doc: int) -> dict[str, int]:
    with Project.open(path) as fresh:
        return dict(fresh.conn.execute(
            "SELECT state, COUNT(*) FROM spans WHERE doc_id = ? GROUP BY state", (doc,)))


def _timed(qtbot: Any, w: MainWindow, key: Qt.Key, mods: Qt.KeyboardModifier) -> float:
    t0 = time.perf_counter()
    qtbot.keyClick(w.view, key, mods)
    QApplication.processEvents()  # queued slots (entity list follow-up) run before the paint
    w.view.viewport().repaint()
    w.entities.list.viewport().repaint()
    return time.perf_counter() - t0


def test_bench_accept_all_and_undo(qtbot: Any, tmp_path: Path) -> None:
    ensure_app()
    p, doc, _ = _big_project(tmp_path / "big")
    p.conn.execute("UPDATE spans SET state = 'suggested', source = 'model'")
    p.conn.commit()
    w = MainWindow(p)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    w.view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.view)
    accept = _timed(qtbot, w, Qt.Key.Key_A, CTRL | SHIFT)
    assert _states(p.path, doc) == {"accepted": 20_000}
    assert "to review" not in w.entities.summary.text()
    undo = _timed(qtbot, w, Qt.Key.Key_Z, CTRL)
    assert _states(p.path, doc) == {"suggested": 20_000}
    assert w.entities.summary.text() == "20000 spans, 20000 to review"
    print(f"\naccept-all of 20,000 suggestions: {accept:.2f} s; its undo: {undo:.2f} s"
          " (budget 1 s each, window repainted)")
    assert accept <= 1.0 and undo <= 1.0
