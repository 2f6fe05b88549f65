"""Edits of the open project: every change goes through ``project.apply``, and undo/redo ask
the core (``Project.undo``/``redo`` read the edit log), so they work after a restart and see
steps made by another window of the same annotator.

``EditSession.run(op, text)`` applies the operation at once (one transaction, committed
before the next paint) with ``text`` as the step's name in the log. ``changed`` is the one
change hook: edits, undo/redo, bulk work (``announce``) and edits made by another process
(noticed by polling the edit log) all reach the views through it. A database error never
escapes a slot: it becomes "Edit not saved: ..." on ``failed`` and nothing else moves.
"""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction

from annotator.core import history
from annotator.core.edit import Change, EditResult, Op
from annotator.core.errors import AnnotatorError
from annotator.core.filelock import FileLock
from annotator.core.ops import Batch, SetStatus
from annotator.core.store import Project
from annotator.gui.state.statuses import DONE, IN_PROGRESS, TODO

POLL_MS = 1000  # how often another process's edits are looked for


def not_saved(exc: sqlite3.Error) -> str:
    """The one-line reason shown when SQLite refuses a write."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        why = "the project is busy (another program is writing); try again"
    elif "readonly" in text or "read-only" in text:
        why = "the project is read-only"
    elif "full" in text:
        why = "the disk is full"
    else:
        why = f"the database refused it ({exc})"
    return f"Edit not saved: {why}"


class UndoState(QObject):
    """What the Undo/Redo actions show: whether each is possible and the step's name.

    A thin view over ``core.history``; it keeps no steps of its own."""

    canUndoChanged = Signal(bool)
    canRedoChanged = Signal(bool)
    undoTextChanged = Signal(str)
    redoTextChanged = Signal(str)

    def __init__(self, session: EditSession) -> None:
        super().__init__(session)
        self._session = session
        self._undo: history.Step | None = None
        self._redo: history.Step | None = None

    def bind(self, undo: QAction, redo: QAction) -> None:
        """Drive the window's Undo/Redo actions: enabled when possible, named after the step
        in the menu (the toolbar keeps the short word; the tooltip has the whole name)."""
        for action, word, can, text, run in (
                (undo, "Undo", self.canUndoChanged, self.undoTextChanged, self.undo),
                (redo, "Redo", self.canRedoChanged, self.redoTextChanged, self.redo)):
            action.setIconText(word)
            action.setEnabled(False)
            action.triggered.connect(run)
            can.connect(action.setEnabled)
            text.connect(lambda t, a=action, w=word: (a.setText(f"&{w} {t}" if t else f"&{w}"),
                                                      a.setToolTip(f"{w} {t}" if t else w)))

    def undo(self) -> None:
        self._session.undo()

    def redo(self) -> None:
        self._session.redo()

    def canUndo(self) -> bool:  # noqa: N802 - QUndoStack's names, which callers use
        return self._undo is not None

    def canRedo(self) -> bool:  # noqa: N802
        return self._redo is not None

    def undoText(self) -> str:  # noqa: N802
        return self._undo.describe() if self._undo else ""

    def redoText(self) -> str:  # noqa: N802
        return self._redo.describe() if self._redo else ""

    def refresh(self) -> None:
        project = self._session.project
        try:
            self._undo, self._redo = history.next_undo(project), history.next_redo(project)
        except sqlite3.Error:
            self._undo = self._redo = None
        self.canUndoChanged.emit(self.canUndo())
        self.canRedoChanged.emit(self.canRedo())
        self.undoTextChanged.emit(self.undoText())
        self.redoTextChanged.emit(self.redoText())


class EditSession(QObject):
    changed = Signal(object)  # annotator.core.edit.Change
    failed = Signal(str)  # a one-line reason, for the status bar
    navigate = Signal(object)  # undo/redo of an edit in another document: show that one first
    notice = Signal(str)  # something the annotator should know about an edit (not an error)

    def __init__(self, project: Project, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.stack = UndoState(self)
        self._seen = self._last_log_id()
        # the second window to open the project finds the lock taken and says so (edits of
        # both still land, each sees the other's); a crashed window's lock dies with it
        self._lock = FileLock(project.path / ".window.lock")
        self.shared = self._lock.opened and not self._lock.acquired
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self.poll)
        self._poll.start()
        self.current_doc: int | None = None  # the open document (the editor sets it)
        self._told_done: set[int] = set()
        QTimer.singleShot(0, self.stack.refresh)

    # ---- edits ---------------------------------------------------------------------------
    def run(self, op: Op, text: str, *, in_document: bool = True) -> EditResult | None:
        """Apply ``op`` as one undo step named ``text``; None (and ``failed``) when refused.

        The first edit of a to-do document also sets it in progress (same step: undo puts
        it back to to-do); editing a done document says so once. A project-wide edit
        (``in_document=False``: the memory switch) leaves the open document alone."""
        try:
            op = self._with_status(op) if in_document else op
            result = self.project.apply(op, summary=text)
        except sqlite3.Error as exc:  # first: core's BusyError/ReadOnlyError are both kinds
            self.failed.emit(not_saved(exc))
            return None
        except AnnotatorError as exc:
            self.failed.emit(str(exc))
            return None
        self._seen = result.log_id or self._seen
        self.changed.emit(result.change)
        self.stack.refresh()
        return result

    def _with_status(self, op: Op) -> Op:
        doc = self.current_doc
        if doc is None or isinstance(op, SetStatus):
            return op
        status = self.project.document(doc, with_text=False).status
        if status == TODO:
            return Batch([op, SetStatus(doc, IN_PROGRESS)])
        if status == DONE and doc not in self._told_done:
            self._told_done.add(doc)
            self.notice.emit("This document is marked done: your edits are saved and go into"
                             " its export; Ctrl+Enter finishes it again.")
        return op

    def undo(self) -> None:
        self._step(redo=False)

    def redo(self) -> None:
        self._step(redo=True)

    def _step(self, *, redo: bool) -> None:
        try:
            step = (history.next_redo if redo else history.next_undo)(self.project)
            if step is None:
                return
            if step.doc_id is not None:
                self.navigate.emit(step.doc_id)
            done = self.project.redo() if redo else self.project.undo()
        except sqlite3.Error as exc:  # first: core's BusyError/ReadOnlyError are both kinds
            self.failed.emit(not_saved(exc).replace("Edit", "Undo" if not redo else "Redo", 1))
        except AnnotatorError as exc:
            self.failed.emit(str(exc))
        else:
            self._seen = self._last_log_id()
            if done is not None:
                self.changed.emit(done.change)
        self.stack.refresh()

    def announce(self, change: Change) -> None:
        """Bulk work finished (import, pre-annotation, merge, adjudication): one hook for all."""
        self._seen = self._last_log_id()
        self.changed.emit(change)
        self.stack.refresh()

    # ---- other writers -------------------------------------------------------------------
    def poll(self) -> None:
        """Edits another window or command made since we last looked reach the views too."""
        last = self._last_log_id()
        if last <= self._seen:
            return
        try:
            rows = self.project.conn.execute(
                "SELECT doc_id, run_id FROM edit_log WHERE id > ?", (self._seen,)).fetchall()
            docs = {d for d, _ in rows if d is not None}
            for _, run in rows:
                if run:
                    docs.update(r[0] for r in self.project.conn.execute(
                        "SELECT DISTINCT doc_id FROM spans WHERE run_id = ?", (run,)))
        except sqlite3.Error:
            return
        self._seen = last
        if docs:
            self.changed.emit(Change(documents=frozenset(docs)))
        self.stack.refresh()

    def _last_log_id(self) -> int:
        try:
            return int(self.project.conn.execute("SELECT MAX(id) FROM edit_log").fetchone()[0] or 0)
        except sqlite3.Error:
            return 0

    def close(self) -> None:
        self._poll.stop()
        self._lock.release()
