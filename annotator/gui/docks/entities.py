"""The entity panel: the open document's spans in text order; click one to jump to it.

A list model over the spans, kept in sync from each edit's Change record (rows are
inserted, removed or updated; the list is never rebuilt on an edit).
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QLabel, QListView, QVBoxLayout, QWidget

from annotator.core.models import Span
from annotator.core.ops import Change

Index = QModelIndex | QPersistentModelIndex


class EntityListModel(QAbstractListModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spans: list[Span] = []
        self.text = ""
        self.doc_id: int | None = None
        self.colours: dict[str, str] = {}
        self._keys: list[tuple[int, int, int]] = []

    def load(self, doc_id: int | None, text: str, spans: list[Span]) -> None:
        self.beginResetModel()
        self.doc_id, self.text = doc_id, text
        self.spans = sorted((s for s in spans if not s.layer), key=_key)
        self._keys = [_key(s) for s in self.spans]  # parallel sort keys: bisect without rebuilding
        self.endResetModel()

    def apply_change(self, change: Change) -> None:
        for s in change.spans_removed:
            self._remove(s.id)
        for s in change.spans_updated:
            self._remove(s.id)
            self._insert(s)
        for s in change.spans_added:
            self._insert(s)

    def _insert(self, s: Span) -> None:
        if s.doc_id != self.doc_id or s.layer:
            return
        i = bisect_left(self._keys, _key(s))
        self.beginInsertRows(QModelIndex(), i, i)
        self.spans.insert(i, s)
        self._keys.insert(i, _key(s))
        self.endInsertRows()

    def _remove(self, span_id: int) -> None:
        i = self.row_of(span_id)
        if i is not None:
            self.beginRemoveRows(QModelIndex(), i, i)
            del self.spans[i]
            del self._keys[i]
            self.endRemoveRows()

    def row_of(self, span_id: int) -> int | None:
        return next((i for i, s in enumerate(self.spans) if s.id == span_id), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.spans)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        s = self.spans[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            mark = "  ?" if s.state == "suggested" else ""
            return f"{self.text[s.start : s.end][:60]}   {s.label}{mark}"
        if role == Qt.ItemDataRole.DecorationRole:
            return QColor(self.colours.get(s.label, "#999999"))
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{s.label} {s.start}-{s.end} ({s.state}, {s.source})"
        if role == Qt.ItemDataRole.UserRole:
            return s.id
        return None


def _key(s: Span) -> tuple[int, int, int]:
    return (s.start, s.end, s.id)


class EntityPanel(QWidget):
    spanActivated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = EntityListModel(self)
        self.summary = QLabel()
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setUniformItemSizes(True)  # cheap layout for 20,000 rows
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addWidget(self.summary)
        lay.addWidget(self.list, 1)
        self.list.clicked.connect(lambda i: self.spanActivated.emit(self.model.spans[i.row()].id))
        self.model.modelReset.connect(self._summarize)
        self.model.rowsInserted.connect(self._summarize)
        self.model.rowsRemoved.connect(self._summarize)

    def _summarize(self, *_: object) -> None:
        n = len(self.model.spans)
        suggested = sum(1 for s in self.model.spans if s.state == "suggested")
        self.summary.setText(f"{n} spans, {suggested} to review" if suggested else f"{n} spans")

    def show_span(self, span_id: int | None) -> None:
        """Follow the text view's selection, after the paint (scrolling a long list is slow)."""
        QTimer.singleShot(0, lambda: self._show_span(span_id))

    def _show_span(self, span_id: int | None) -> None:
        i = self.model.row_of(span_id) if span_id is not None else None
        if i is None:
            self.list.clearSelection()
            return
        idx = self.model.index(i)
        self.list.setCurrentIndex(idx)
        self.list.scrollTo(idx)
