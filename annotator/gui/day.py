"""One installer for the annotator's-day features, so the main window stays thin:
the Memory dock, ... (each lives in its own module)."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow

from annotator.gui.find_highlight import MatchHighlighter
from annotator.gui.memory_panel import install_memory


def install_day(window: QMainWindow) -> None:
    w = window  # the MainWindow: view, editor, find_bar, actions
    w.dock_memory = install_memory(w)  # type: ignore[attr-defined]
    w.find_highlights = MatchHighlighter(w.view, w.find_bar)  # type: ignore[attr-defined]
    w.actions["find_next"].triggered.connect(lambda: _find_step(w, +1))  # type: ignore[attr-defined]
    w.actions["find_prev"].triggered.connect(lambda: _find_step(w, -1))  # type: ignore[attr-defined]


def _find_step(w: QMainWindow, direction: int) -> None:
    bar = w.find_bar  # type: ignore[attr-defined]
    if not bar.isVisible() or not bar.query.text():
        w.open_find()  # type: ignore[attr-defined]
        return
    bar.step(direction)
