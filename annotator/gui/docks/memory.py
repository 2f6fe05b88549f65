"""The Memory dock: what pre-annotation will suggest from the project's own gold spans.

A table over ``core.memory.entries`` (text, label, how many spans, where they came from),
re-read after edits while the dock is visible (debounced: memory is computed from the
spans, so a burst of edits costs one read). "Forget" removes the selected entry, the
check box turns memory off for the project (stored in the project, not per user).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core import memory
from annotator.core.errors import AnnotatorError
from annotator.gui.session import EditSession

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Text", "Label", "Spans", "From")
REFRESH_MS = 300


class MemoryModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entries: list[memory.Entry] = []

    def set_entries(self, entries: list[memory.Entry]) -> None:
        self.beginResetModel()
        self.entries = entries
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        e = self.entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            v = e.votes[0]
            return (e.text, e.label, str(e.count),
                    ", ".join(f"{k} {n}" for k, n in v.origins.most_common()))[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            others = "; ".join(f"{v.label} {v.count}" for v in e.votes[1:])
            return e.describe_origin() + (f"; also {others}" if others else "")
        return None


class MemoryPanel(QWidget):
    def __init__(self, session: EditSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session  # forget and the switch are undoable edits
        self.project = session.project
        self.model = MemoryModel(self)
        self.enabled = QCheckBox("Use in pre-annotation")
        self.enabled.setToolTip("Project memory: texts the project's gold spans label, suggested"
                                " everywhere by pre-annotation (a project setting)")
        self.enabled.setObjectName("memory_enabled")
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumWidth(120)  # a narrow dock scrolls instead of widening the window
        self.forget = QPushButton("&Forget")
        self.forget.setObjectName("memory_forget")
        self.forget.setToolTip("Forget the selected text: decisions made on it so far stop counting")
        self.status = QLabel()
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.forget)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addWidget(self.enabled)
        lay.addWidget(self.table, 1)
        lay.addLayout(row)
        self._timer = QTimer(self, singleShot=True, interval=REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self.enabled.toggled.connect(self._switch)
        self.forget.clicked.connect(self._forget)

    def schedule(self, *_: object) -> None:
        if self.isVisible():
            self._timer.start()

    def refresh(self) -> None:
        try:
            entries, on = memory.entries(self.project), memory.enabled(self.project)
        except sqlite3.Error:
            return
        self.model.set_entries(entries)
        self.enabled.blockSignals(True)
        self.enabled.setChecked(on)
        self.enabled.blockSignals(False)
        n = len(entries)
        self.status.setText(f"{n} text{'s' * (n != 1)} remembered" + ("" if on else " (off)"))

    def selected(self) -> memory.Entry | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.entries[rows[0].row()] if rows else None

    def _forget(self) -> None:
        entry = self.selected()
        if entry is None:
            self.status.setText("Select an entry to forget.")
            return
        try:
            op, _n = memory.forget_op(self.project, entry.text)
        except (AnnotatorError, sqlite3.Error) as exc:
            self.status.setText(str(exc))
            return
        if self.session.run(op, f"forget {entry.text!r} in the memory", in_document=False):
            self.refresh()
            self.status.setText(f"Forgot {entry.text!r} (Ctrl+Z brings it back).")

    def _switch(self, on: bool) -> None:
        if self.session.run(memory.SwitchMemory(on), f"memory {'on' if on else 'off'}",
                            in_document=False) is None:
            self.status.setText("Not saved: see the status bar.")
        self.refresh()


def install_memory(window: QMainWindow) -> QDockWidget:
    """The Memory dock (tabbed with the entity list) and its View menu entry."""
    panel = MemoryPanel(window.editor.session)  # type: ignore[attr-defined]
    dock = QDockWidget("Memory", window)
    dock.setObjectName("dock:Memory")
    dock.setWidget(panel)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    entities = getattr(window, "dock_entities", None)
    if entities is not None:
        window.tabifyDockWidget(entities, dock)
        entities.raise_()
    window.editor.session.changed.connect(panel.schedule)  # type: ignore[attr-defined]
    dock.visibilityChanged.connect(lambda shown: shown and panel.refresh())
    menus = {m.title().replace("&", ""): m for a in window.menuBar().actions() if (m := a.menu())}
    if "View" in menus:
        menus["View"].addAction(dock.toggleViewAction())
    return dock
