"""GUI fixtures: a ``main_window`` factory on a temporary project, and mouse helpers."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from annotator.core.store import Project
from annotator.gui.app import ensure_app
from annotator.gui.main_window import MainWindow
from annotator.gui.text.view import SpanTextView

WindowFactory = Callable[..., MainWindow]


@pytest.fixture
def main_window(qtbot: Any, tmp_path: Path) -> Iterator[WindowFactory]:
    """Build the window on a fresh project holding ``texts`` (and optional ``spans`` rows)."""
    projects: list[Project] = []

    def factory(
        texts: Sequence[str] = ("Russia sent troops to Venezuela.",),
        *,
        spans: Sequence[dict[str, Any]] = (),
        status: str = "todo",
    ) -> MainWindow:
        ensure_app()
        project = Project.init(tmp_path / f"project{len(projects)}", annotator="tester")
        projects.append(project)
        ids = [project.add_document(f"doc{i:03}.txt", t, status=status) for i, t in enumerate(texts)]
        rows = [{"doc_id": ids[0], **s} for s in spans]
        if rows:
            project.insert_spans(rows)
        window = MainWindow(project)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        window.view.setFocus()
        # shortcuts need an active window and the text view focused (offscreen: after events)
        qtbot.waitUntil(lambda: QApplication.focusWidget() is window.view, timeout=3000)
        return window

    yield factory
    for p in projects:
        p.close()


def cursor_point(view: SpanTextView, cp: int) -> QPoint:
    """Viewport point of the caret position before code point ``cp``."""
    cur = QTextCursor(view.document())
    cur.setPosition(view.offsets.to_utf16(cp))
    return view.cursorRect(cur).center()


def char_point(view: SpanTextView, cp: int) -> QPoint:
    return view.point_of(cp).toPoint()


def drag_select(qtbot: Any, view: SpanTextView, start: int, end: int) -> None:
    """A real mouse drag from before ``start`` to before ``end`` (code points)."""
    vp = view.viewport()
    a, b = cursor_point(view, start), cursor_point(view, end)
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=a)
    qtbot.mouseMove(vp, QPoint((a.x() + b.x()) // 2, b.y()))
    qtbot.mouseMove(vp, b)
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=b)


def drag_points(qtbot: Any, view: SpanTextView, a: QPointF | QPoint, b: QPointF | QPoint) -> None:
    vp = view.viewport()
    a, b = QPointF(a).toPoint(), QPointF(b).toPoint()
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=a)
    qtbot.mouseMove(vp, b)
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=b)


def spans_of(window: MainWindow) -> list[tuple[int, int, str, str]]:
    """The open document's spans as the DATABASE has them, via a fresh connection."""
    doc_id = window.editor.doc_id
    with Project.open(window.project.path) as fresh:
        return [(s.start, s.end, s.label, s.state) for s in fresh.spans(doc_id)]
