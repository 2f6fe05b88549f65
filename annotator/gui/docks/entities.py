"""The entity panel: the open document's spans in text order; click one to jump to it.

A list model over the shared ``DocumentState``: its rows are span ids in text order and
each edit's ``Delta`` becomes row inserts, removes and updates (the list is never rebuilt
on a small edit, and there is no second copy of the spans). A bulk Delta (accept all, its
undo) resets the model once instead of signalling 20,000 row moves; rows are found by
bisecting on their sort key.
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
from annotator.gui.state.document import Delta, DocumentState
from annotator.gui.state.span_index import BULK
from annotator.gui.theme import UNKNOWN_LABEL

Index = QModelIndex | QPersistentModelIndex


class EntityListModel(QAbstractListModel):
    def __init__(self, state: DocumentState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.colours: dict[str, str] = {}
        self._keys: list[tuple[int, int, int]] = []  # (start, end, id) per row, sorted
        self._rows: dict[int, tuple[tuple[int, int, int], bool]] = {}  # id -> (key, suggested)
        self.suggested = 0  # how many rows are suggestions (the summary line)
        state.loaded.connect(self._reset)
        state.changed.connect(self._changed)
        self._reset()

    @property
    def spans(self) -> list[Span]:
        """The rows, in text order."""
        by_id = self.state.spans.by_id
        return [by_id[k[2]] for k in self._keys]

    def span_at(self, row: int) -> Span:
        return self.state.spans.by_id[self._keys[row][2]]

    def _reset(self) -> None:
        self.beginResetModel()
        spans = self.state.spans.ordered()
        self._keys = [_key(s) for s in spans]
        self._rows = {s.id: (_key(s), s.state == "suggested") for s in spans}
        self.suggested = sum(1 for s in spans if s.state == "suggested")
        self.endResetModel()

    def _changed(self, delta: Delta) -> None:
        if len(delta.spans_removed) + len(delta.spans_updated) + len(delta.spans_added) >= BULK:
            self._reset()  # one reset, not thousands of row signals
            return
        for span_id in (*delta.spans_removed, *delta.spans_updated):
            self._remove(span_id)
        for span_id in (*delta.spans_updated, *delta.spans_added):
            self._insert(span_id)

    def _insert(self, span_id: int) -> None:
        s = self.state.span(span_id)
        if s is None:
            return
        i = bisect_left(self._keys, _key(s))
        self.beginInsertRows(QModelIndex(), i, i)
        self._keys.insert(i, _key(s))
        self._rows[s.id] = (_key(s), s.state == "suggested")
        self.suggested += s.state == "suggested"
        self.endInsertRows()

    def _remove(self, span_id: int) -> None:
        i = self.row_of(span_id)
        if i is not None:
            self.beginRemoveRows(QModelIndex(), i, i)
            del self._keys[i]
            _, was_suggested = self._rows.pop(span_id)
            self.suggested -= was_suggested
            self.endRemoveRows()

    def row_of(self, span_id: int) -> int | None:
        row = self._rows.get(span_id)
        if row is None:
            return None
        i = bisect_left(self._keys, row[0])
        return i if i < len(self._keys) and self._keys[i][2] == span_id else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._keys)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._keys):
            return None
        if role == Qt.ItemDataRole.UserRole:  # also while a removal is announced
            return self._keys[index.row()][2]
        s = self.state.span(self._keys[index.row()][2])
        if s is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            mark = "  ?" if s.state == "suggested" else ""
            return f"{self.state.text[s.start : s.end][:60]}   {s.label}{mark}"
        if role == Qt.ItemDataRole.DecorationRole:
            return QColor(self.colours.get(s.label, UNKNOWN_LABEL))
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{s.label} {s.start}-{s.end} ({s.state}, {s.source})"
        return None


def _key(s: Span) -> tuple[int, int, int]:
    return (s.start, s.end, s.id)


_NONE = object()  # no request waiting (None itself means "clear the selection")


class EntityPanel(QWidget):
    spanActivated = Signal(int)

    def __init__(self, state: DocumentState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = EntityListModel(state, self)
        self.summary = QLabel()
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setUniformItemSizes(True)  # cheap layout for 20,000 rows
        # rows are laid out in batches while idle: a row inserted into 20,000 does not make Qt
        # lay out (and ask the Python model for) every row before the next paint
        self.list.setLayoutMode(QListView.LayoutMode.Batched)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addWidget(self.summary)
        lay.addWidget(self.list, 1)
        self.list.clicked.connect(lambda i: self.spanActivated.emit(int(i.data(Qt.ItemDataRole.UserRole))))
        self.model.modelReset.connect(self._summarize)
        self.model.rowsInserted.connect(self._summarize)
        self.model.rowsRemoved.connect(self._summarize)
        self._pending: object = _NONE  # the span the list is about to show

    def _summarize(self, *_: object) -> None:
        n, suggested = self.model.rowCount(), self.model.suggested
        self.summary.setText(f"{n} spans, {suggested} to review" if suggested else f"{n} spans")

    def show_span(self, span_id: int | None) -> None:
        """Follow the text view's selection, after the paint (scrolling a long list is slow).

        Requests made before the list follows are coalesced: an edit selects its span and
        then asks to show it, and one scroll of a 20,000-row list serves both."""
        pending = self._pending is not _NONE
        self._pending = span_id
        if not pending:
            QTimer.singleShot(0, self._follow)

    def _follow(self) -> None:
        span_id, self._pending = self._pending, _NONE
        self._show_span(span_id)  # type: ignore[arg-type]

    def _show_span(self, span_id: int | None) -> None:
        i = self.model.row_of(span_id) if span_id is not None else None
        if i is None:
            self.list.clearSelection()
            return
        idx = self.model.index(i)
        self.list.setCurrentIndex(idx)
        self.list.scrollTo(idx)
