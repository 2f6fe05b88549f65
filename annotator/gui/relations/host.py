"""Adapter from the annotation window to the ``RelationHost`` the relation UI talks to.

The window is not modified for relations: it has a ``view`` (SpanTextView) and an
``editor`` (Editor: ``session`` and ``documentOpened``), which is all we need. Any
QMainWindow with those two attributes works (the tests' small host does the same).
"""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow

from annotator.core.ops import EditResult, Op
from annotator.gui.relations.controller import RelationHost


class WindowHost(RelationHost):
    def __init__(self, window: QMainWindow) -> None:
        view, editor = getattr(window, "view", None), getattr(window, "editor", None)
        if view is None or editor is None:
            raise TypeError("install_relations needs a window with .view and .editor")
        super().__init__(window, view, editor.session)
        editor.documentOpened.connect(lambda _doc_id: self.document_changed.emit())

    def run(self, op: Op, text: str) -> EditResult | None:
        # the window already shows the session's failures in its status bar
        return self.session.run(op, text)


def window_host(window: QMainWindow) -> RelationHost:
    return WindowHost(window)
