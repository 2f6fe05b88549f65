"""Edits of the open project: every change goes through ``project.apply`` and the undo stack.

``EditSession.run(op)`` applies the operation at once (one transaction, committed before
the next paint), then pushes an ``OpCommand`` holding its inverse. Undo applies the
inverse; redo applies the inverse of that inverse (the newest one, so ids of restored
spans stay right). Views listen to ``changed`` and update from the Change record.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from annotator.core.errors import AnnotatorError
from annotator.core.ops import EditResult, Op
from annotator.core.store import Project


class EditSession(QObject):
    changed = Signal(object)  # annotator.core.ops.Change
    failed = Signal(str)  # a one-line reason, for the status bar
    navigate = Signal(object)  # undo/redo of an edit in another document: show that one first

    def __init__(self, project: Project, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.stack = QUndoStack(self)

    def run(self, op: Op, text: str) -> EditResult | None:
        """Apply ``op`` as one undo step; None (and ``failed``) when the store refuses it."""
        result = self.apply(op)
        if result is not None:
            self.stack.push(OpCommand(self, result, text))
        return result

    def apply(self, op: Op) -> EditResult | None:
        try:
            result = self.project.apply(op)
        except AnnotatorError as exc:
            self.failed.emit(str(exc))
            return None
        self.changed.emit(result.change)
        return result


class OpCommand(QUndoCommand):
    def __init__(self, session: EditSession, done: EditResult, text: str) -> None:
        super().__init__(text)
        self._session = session
        self._undo_op: Op | None = done.inverse
        self._redo_op: Op | None = None
        self._pushed = False  # QUndoStack.push calls redo(): the edit is already applied
        self.doc_id = done.change.doc_id

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True
            return
        self._session.navigate.emit(self.doc_id)
        result = self._session.apply(self._redo_op) if self._redo_op else None
        if result is None:
            self.setObsolete(True)  # the store changed under us; drop the step, keep the app
            return
        self._undo_op = result.inverse

    def undo(self) -> None:
        self._session.navigate.emit(self.doc_id)
        result = self._session.apply(self._undo_op) if self._undo_op else None
        if result is None:
            self.setObsolete(True)
            return
        self._redo_op = result.inverse
