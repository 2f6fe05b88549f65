"""The relations dock: every relation of the document as a sortable, filterable table
(head, type, child, attributes, sentence), with the editor for the selected one below.

The table model is an adapter over the document state's relation index (rows are its
id order; edits arrive as row inserts/removes/dataChanged), never a copy of the store.
Selecting rows highlights both ends in the text; selecting a span selects its rows.
Delete is the Delete Relations action (gui/actions.py), put on the table by
``install_relations``; a right-click asks for the relation menu (``contextMenuRequested``).
"""

from __future__ import annotations

from bisect import bisect_left

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.gui.relations.controller import RelationsController
from annotator.gui.relations.editor import RelationEditor
from annotator.gui.state.relation_index import is_symmetric, relation_caption, relation_color

REL_ID = Qt.ItemDataRole.UserRole + 1
SORT = Qt.ItemDataRole.UserRole + 2
COLUMNS = ("Head", "Type", "Child", "Sentence")
_Index = QModelIndex | QPersistentModelIndex


class RelationTableModel(QAbstractTableModel):
    def __init__(self, ctl: RelationsController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctl = ctl
        self.ids: list[int] = list(ctl.index.order)  # row order: ids only, data from the index
        ctl.relationsReset.connect(self._reset)
        ctl.relationsChanged.connect(self._changed)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self.ids):
            return None
        if role == REL_ID:  # also while a removal is announced and the index has moved on
            return self.ids[index.row()]
        idx = self.ctl.index
        rel = idx.by_id.get(self.ids[index.row()])
        if rel is None:
            return None
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, SORT):
            if col == 0:
                return _one_line(idx.span_text(rel.head_id))
            if col == 1:
                sym = self.ctl.project is not None and is_symmetric(self.ctl.project.schema,
                                                                    rel.label)
                return relation_caption(rel) + ("  \u2013" if sym else "  \u2192")
            if col == 2:
                return _one_line(idx.span_text(rel.child_id))
            if role == SORT:  # sentences sort in text order
                h = idx.span(rel.head_id)
                return h.start if h else 0
            return idx.context(rel)
        if role == Qt.ItemDataRole.ForegroundRole and col == 1 and self.ctl.project:
            return QColor(relation_color(self.ctl.project.schema, rel.label))
        if role == Qt.ItemDataRole.ToolTipRole:
            return idx.context(rel, limit=600)
        return None

    def row_of(self, rel_id: int) -> int:
        i = bisect_left(self.ids, rel_id)
        return i if i < len(self.ids) and self.ids[i] == rel_id else -1

    # ---- incremental refresh from the controller --------------------------------------
    def _reset(self) -> None:
        self.beginResetModel()
        self.ids = list(self.ctl.index.order)
        self.endResetModel()

    def _changed(self, added: list[int], removed: list[int], updated: list[int]) -> None:
        """Row-level signals, so the sorted/filtered view keeps its selection and scroll."""
        for rel_id in removed:
            row = self.row_of(rel_id)
            if row >= 0:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self.ids[row]
                self.endRemoveRows()
        for rel_id in added:
            row = bisect_left(self.ids, rel_id)
            if row < len(self.ids) and self.ids[row] == rel_id:
                continue
            self.beginInsertRows(QModelIndex(), row, row)
            self.ids.insert(row, rel_id)
            self.endInsertRows()
        for rel_id in updated:
            row = self.row_of(rel_id)
            if row >= 0:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))


class RelationFilter(QSortFilterProxyModel):
    """Case-insensitive match of every word typed against head, type, child and sentence."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.words: list[str] = []
        self.setSortRole(SORT)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def set_text(self, text: str) -> None:
        self.beginFilterChange()  # Qt 6.9+: replaces the deprecated invalidateRowsFilter
        self.words = text.lower().split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: _Index) -> bool:
        if not self.words:
            return True
        src = self.sourceModel()
        line = " ".join(str(src.data(src.index(row, c, parent)) or "")
                        for c in range(len(COLUMNS))).lower()
        return all(w in line for w in self.words)


class RelationsPanel(QDockWidget):
    contextMenuRequested = Signal(list, QPoint)  # selected relation ids, global position

    def __init__(self, ctl: RelationsController, parent: QWidget) -> None:
        super().__init__("Relations", parent)
        self.setObjectName("relations_dock")  # for saveState()
        self.ctl = ctl
        self._syncing = False
        self.model = RelationTableModel(ctl, self)
        self.proxy = RelationFilter(self)
        self.proxy.setSourceModel(self.model)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter relations (head, type, child, sentence)")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.set_text)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(3, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._menu)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for c in range(3):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.editor = RelationEditor(ctl, self)
        self.editor.setMaximumWidth(340)  # the table takes the width, the form stays compact
        body = QWidget()
        lay = QVBoxLayout(body)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.filter)
        row = QHBoxLayout()
        row.addWidget(self.table, 1)
        row.addWidget(self.editor)
        lay.addLayout(row, 1)
        self.setWidget(body)
        self.table.selectionModel().selectionChanged.connect(self._rows_selected)
        self.table.doubleClicked.connect(self._reveal)
        ctl.selectionChanged.connect(self._select_rows)
        ctl.relationsReset.connect(lambda: self._select_rows(ctl.selected))
        ctl.relationsChanged.connect(lambda *_: self._select_rows(ctl.selected))

    def selected_ids(self) -> list[int]:
        rows = self.table.selectionModel().selectedRows()
        ids = (i.data(REL_ID) for i in sorted(rows, key=lambda i: i.row()))
        return [int(i) for i in ids if i is not None]

    def proxy_row(self, rel_id: int) -> int:
        row = self.model.row_of(rel_id)
        return self.proxy.mapFromSource(self.model.index(row, 0)).row() if row >= 0 else -1

    def _rows_selected(self, *_: object) -> None:
        if not self._syncing:
            self.ctl.select_relations(self.selected_ids(), scroll=True)

    def _select_rows(self, ids: list[int]) -> None:
        """Mirror the controller's selection without echoing it back."""
        self._syncing = True
        try:
            sel = QItemSelection()
            for rel_id in ids:
                row = self.proxy_row(rel_id)
                if row >= 0:
                    sel.select(self.proxy.index(row, 0),
                               self.proxy.index(row, len(COLUMNS) - 1))
            flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
            self.table.selectionModel().select(sel, flags)
            if ids and (row := self.proxy_row(ids[0])) >= 0:
                self.table.scrollTo(self.proxy.index(row, 0))
        finally:
            self._syncing = False

    def _reveal(self, index: QModelIndex) -> None:
        rel = self.ctl.relation(int(index.data(REL_ID)))
        if rel is not None:
            self.ctl.reveal_span(rel.head_id)

    def _menu(self, pos: QPoint) -> None:
        ids = self.selected_ids()
        if ids:
            self.contextMenuRequested.emit(ids, self.table.viewport().mapToGlobal(pos))


def _one_line(text: str) -> str:
    return " ".join(text.split())
