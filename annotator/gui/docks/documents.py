"""The document list: a lazy table model over ``project.list_documents`` and its dock.

Rows are fetched a page at a time as the view scrolls (canFetchMore/fetchMore), so a
100,000-document project opens as fast as a 5-document one and memory follows what was
scrolled, not the corpus. One row is refreshed after an edit (``refresh_row``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.queries import doc_row
from annotator.core.store import DocRow, Project
from annotator.gui.state.statuses import DONE, OPEN, SKIPPED, STATUS_COLOUR, STATUS_TEXT

PAGE = 200
FILTERS = (("All documents", None), ("To do", OPEN), ("Done", DONE), ("Skipped", SKIPPED))
Index = QModelIndex | QPersistentModelIndex


class DocumentListModel(QAbstractTableModel):
    HEADERS = ("Document", "Status", "Spans")

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.status: str | tuple[str, ...] | None = None
        self.rows: list[DocRow] = []
        self._exhausted = False

    def set_filter(self, status: str | tuple[str, ...] | None) -> None:
        self.status = status
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self.rows, self._exhausted = [], False
        self._fetch()
        self.endResetModel()

    def _fetch(self) -> list[DocRow]:
        page = self.project.list_documents(status=self.status, offset=len(self.rows), limit=PAGE)
        self._exhausted = len(page) < PAGE
        self.rows.extend(page)
        return page

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        page = self.project.list_documents(status=self.status, offset=len(self.rows), limit=PAGE)
        self._exhausted = len(page) < PAGE
        if page:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(page) - 1)
            self.rows.extend(page)
            self.endInsertRows()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r, col = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (r.name, STATUS_TEXT.get(r.status, r.status), _count(r))[col]
        if role == Qt.ItemDataRole.ForegroundRole and col == 1:
            return QColor(STATUS_COLOUR.get(r.status, "#888888"))
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{r.name}\n{r.n_spans} spans, {r.n_suggested} suggested"
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return r.id
        return None

    def row_of(self, doc_id: int) -> int | None:
        return next((i for i, r in enumerate(self.rows) if r.id == doc_id), None)

    def refresh_row(self, doc_id: int) -> None:
        i = self.row_of(doc_id)
        fresh = doc_row(self.project, doc_id)
        if i is None or fresh is None:
            return
        self.rows[i] = fresh
        self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.HEADERS) - 1))


def _count(r: DocRow) -> str:
    return f"{r.n_spans} ({r.n_suggested}?)" if r.n_suggested else str(r.n_spans)


class DocumentPanel(QWidget):
    """Filter, progress ("37 / 120 done") and the list; emits the chosen document id."""

    documentActivated = Signal(int)

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = DocumentListModel(project, self)
        self.filter = QComboBox()
        for text, _ in FILTERS:
            self.filter.addItem(text)
        self.progress_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(6)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.progress_label)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addLayout(top)
        lay.addWidget(self.progress)
        lay.addWidget(self.table, 1)
        self.filter.currentIndexChanged.connect(lambda i: self.model.set_filter(FILTERS[i][1]))
        self.table.clicked.connect(self._activated)
        self.table.activated.connect(self._activated)
        self.model.reload()
        self.update_progress()

    def _activated(self, index: QModelIndex) -> None:
        self.documentActivated.emit(self.model.rows[index.row()].id)

    def update_progress(self) -> None:
        counts = self.model.project.status_counts()
        total, done = sum(counts.values()), counts.get(DONE, 0)
        self.progress_label.setText(f"{done} / {total} done")
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def show_current(self, doc_id: int) -> None:
        i = self.model.row_of(doc_id)
        if i is not None:
            self.table.selectRow(i)
            self.table.scrollTo(self.model.index(i, 0))
