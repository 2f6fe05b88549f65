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

import contextlib
import os
import sqlite3
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction

from annotator.core import history
from annotator.core.edit import Change, EditResult, Op
from annotator.core.errors import AnnotatorError
from annotator.core.store import Project

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

    def __init__(self, project: Project, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.stack = UndoState(self)
        self._seen = self._last_log_id()
        self._lock = _WindowLock(project.path)
        self.shared = not self._lock.acquired
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self.poll)
        self._poll.start()
        QTimer.singleShot(0, self.stack.refresh)

    # ---- edits ---------------------------------------------------------------------------
    def run(self, op: Op, text: str) -> EditResult | None:
        """Apply ``op`` as one undo step named ``text``; None (and ``failed``) when refused."""
        try:
            result = self.project.apply(op, summary=text)
        except AnnotatorError as exc:
            self.failed.emit(str(exc))
            return None
        except sqlite3.Error as exc:
            self.failed.emit(not_saved(exc))
            return None
        self._seen = result.log_id or self._seen
        self.changed.emit(result.change)
        self.stack.refresh()
        return result

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
        except AnnotatorError as exc:
            self.failed.emit(str(exc))
        except sqlite3.Error as exc:
            self.failed.emit(not_saved(exc).replace("Edit", "Undo" if not redo else "Redo", 1))
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


class _WindowLock:
    """An advisory lock on ``.window.lock`` in the project folder: the second window to open
    the project finds it taken and says so (edits of both still land, each sees the other's)."""

    def __init__(self, folder: Path) -> None:
        self._file = None
        self.acquired = True
        try:
            self._file = open(folder / ".window.lock", "a+b")  # noqa: SIM115 - held while open
        except OSError:
            return  # a read-only folder: nothing to coordinate with
        try:
            if os.name == "nt":
                import msvcrt

                msvcrt.locking(self._file.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(self._file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self.acquired = False

    def release(self) -> None:
        if self._file is not None:
            with contextlib.suppress(OSError):
                self._file.close()
            self._file = None
