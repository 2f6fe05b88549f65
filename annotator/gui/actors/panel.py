"""The Actors dock: the selected mention's actor, the actor table, an actor's mentions.

Widgets only show data and raise requests; ``ActorsController`` turns them into core
operations run through the window's edit session (one undo step each).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.actors import ActorRow, Mention

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Name", "kb id", "Label", "Country", "Mentions", "Docs", "Mention labels", "Mention texts")
EDITABLE = {0: "name", 1: "kb_id", 3: "country"}
ROLE = Qt.ItemDataRole.UserRole


class ActorTableModel(QAbstractTableModel):
    editRequested = Signal(int, str, object)  # actor id, field, new value

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[ActorRow] = []

    def load(self, rows: list[ActorRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        a, col = r.actor, index.column()
        if role == ROLE:
            return a.id
        if role == Qt.ItemDataRole.ToolTipRole:
            labels = ", ".join(f"{k} {v}" for k, v in r.labels.most_common())
            return f"#{a.id} {a.name}\nlabels of mentions: {labels or '-'}\n{r.suggested} suggested links"
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return None
        if col == 0:
            return a.name
        if col == 1:
            return a.kb_id or ""
        if col == 2:
            return a.label
        if col == 3:
            return a.country
        if col == 4:
            return r.mentions
        if col == 5:
            return r.documents
        if col == 6:
            return ", ".join(f"{k} {v}" for k, v in r.labels.most_common())
        return ", ".join(f"{t} ({n})" for t, n in r.texts.most_common(5))

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.column() in EDITABLE else base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() not in EDITABLE:
            return False
        a = self.rows[index.row()].actor
        field = EDITABLE[index.column()]
        value = str(value).strip()
        if value == (getattr(a, field) or ""):
            return False
        self.editRequested.emit(a.id, field, value or None if field == "kb_id" else value)
        return False  # the table reloads from the store after the edit


class ActorsPanel(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.mention_info = QLabel("Select a mention in the text to see its actor.")
        self.mention_info.setObjectName("mention_info")
        self.mention_info.setWordWrap(True)
        self.actor_edit = QLineEdit()
        self.actor_edit.setObjectName("actor_edit")
        self.actor_edit.setPlaceholderText("Actor of the mention (A): type a name, Enter")
        self.completer = QCompleter([])
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.actor_edit.setCompleter(self.completer)
        self.accept_btn = QPushButton("Accept")
        self.reject_btn = QPushButton("Reject")
        self.reject_btn.setToolTip("Reject the suggested actor (Shift+A)")
        self.filter = QLineEdit()
        self.filter.setObjectName("actor_filter")
        self.filter.setPlaceholderText("Filter actors")
        self.model = ActorTableModel()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setSortRole(Qt.ItemDataRole.DisplayRole)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = QTableView()
        self.table.setObjectName("actor_table")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(4, Qt.SortOrder.DescendingOrder)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.merge_btn = QPushButton("Merge")
        self.merge_btn.setToolTip("Merge the selected actors into the one with most mentions")
        self.split_btn = QPushButton("Split off")
        self.split_btn.setToolTip("Give the selected mentions an actor of their own")
        self.graph_btn = QPushButton("Graph...")
        self.mentions = QTableWidget(0, 4)
        self.mentions.setObjectName("actor_mentions")
        self.mentions.setHorizontalHeaderLabels(["Document", "Mention", "Link", "Reason"])
        self.mentions.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.mentions.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.mentions.verticalHeader().hide()
        self.mentions.horizontalHeader().setStretchLastSection(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.mention_info)
        row = QHBoxLayout()
        row.addWidget(self.actor_edit, 1)
        row.addWidget(self.accept_btn)
        row.addWidget(self.reject_btn)
        lay.addLayout(row)
        lay.addWidget(self.filter)
        lay.addWidget(self.table, 3)
        buttons = QHBoxLayout()
        for b in (self.merge_btn, self.split_btn, self.graph_btn):
            buttons.addWidget(b)
        lay.addLayout(buttons)
        lay.addWidget(self.mentions, 2)

    # ---- reading the widgets -------------------------------------------------------------
    def selected_actor_ids(self) -> list[int]:
        rows = {self.proxy.mapToSource(i).row() for i in self.table.selectionModel().selectedRows()}
        return [self.model.rows[r].actor.id for r in sorted(rows)]

    def row_of_actor(self, actor_id: int) -> int | None:
        """The view row (after sorting and filtering) showing the actor."""
        for r, row in enumerate(self.model.rows):
            if row.actor.id == actor_id:
                return self.proxy.mapFromSource(self.model.index(r, 0)).row()
        return None

    def selected_mention_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.mentions.selectedIndexes()})
        return [self.mentions.item(r, 0).data(ROLE)[0] for r in rows]

    def show_mentions(self, mentions: list[Mention]) -> None:
        self.mentions.setRowCount(len(mentions))
        for r, m in enumerate(mentions):
            first = QTableWidgetItem(m.doc_name)
            first.setData(ROLE, (m.span_id, m.doc_id))
            self.mentions.setItem(r, 0, first)
            self.mentions.setItem(r, 1, QTableWidgetItem(f"{m.text} ({m.label})"))
            self.mentions.setItem(r, 2, QTableWidgetItem(m.state))
            self.mentions.setItem(r, 3, QTableWidgetItem(m.reason))

    def row_of_mention(self, span_id: int) -> int | None:
        for r in range(self.mentions.rowCount()):
            if self.mentions.item(r, 0).data(ROLE)[0] == span_id:
                return r
        return None
