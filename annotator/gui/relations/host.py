"""What the relation UI needs from a window, and nothing more.

A host holds the window (for the status bar and as the docks' parent), its text view
(``SpanTextView``, whose ``state`` is the open document) and its edit session
(``EditSession``: run/failed/project). ``window_host`` builds one from the main window;
any QMainWindow with a ``view`` and an ``editor`` works (the benchmark's small window too).
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMainWindow

from annotator.core.ops import EditResult, Op
from annotator.core.store import Project
from annotator.gui.session import EditSession
from annotator.gui.text.editor import Editor
from annotator.gui.text.view import SpanTextView


class RelationHost(QObject):
    def __init__(self, window: QMainWindow, view: SpanTextView, session: EditSession) -> None:
        super().__init__(window)
        self.window, self.view, self.session = window, view, session
        session.failed.connect(self.show_message)  # a refused edit: say why, in the status bar

    def project(self) -> Project | None:
        return self.session.project

    def select_span(self, span_id: int | None) -> None:
        self.view.select_span(span_id, reveal=True)

    def show_message(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 8000)

    def run(self, op: Op, text: str) -> EditResult | None:
        """Apply ``op`` now and push it as one undo step; None when the store refuses."""
        return self.session.run(op, text)


def window_host(window: QMainWindow, view: SpanTextView, editor: Editor) -> RelationHost:
    return RelationHost(window, view, editor.session)
