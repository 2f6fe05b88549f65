"""The keyboard way to a relation: R opens a popup to pick the child by type-ahead over
the document's entities ("Maduro (PERSON) - paragraph 3 ..."), then the type from
the types valid for that head/child pair. A dropped drag opens the type stage only.

Enter takes the highlighted row (the first match while typing), Up/Down move, Esc
closes. The entity list is a list model over the relation index's spans (no copy of
the store) behind a QSortFilterProxyModel that filters on what is typed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core.models import Span
from annotator.gui.relations.controller import RelationsController
from annotator.gui.relations.paint import esc, short

SPAN_ID = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex


class EntityModel(QAbstractListModel):
    """Spans of the document but the head, in text order, one line each."""

    def __init__(self, ctl: RelationsController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctl = ctl
        self.spans: list[Span] = []

    def reset(self, exclude: int) -> None:
        self.beginResetModel()
        self.spans = [s for s in self.ctl.index.spans.ordered() if s.id != exclude]
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.spans)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        s = self.spans[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            idx = self.ctl.index
            text = " ".join(idx.span_text(s.id).split())
            ctx = " ".join(idx.text[max(0, s.start - 30):s.start].split()[-4:])
            return f"{text} ({s.label}) \u2013 paragraph {idx.paragraph(s.start)}   \u2026{ctx}"
        if role == SPAN_ID:
            return s.id
        return None


class _KeyForwarder(QObject):
    """Up/Down/PageUp/PageDown typed in the filter box move the list's current row."""

    def __init__(self, target: QWidget) -> None:
        super().__init__(target)
        self.target = target

    def eventFilter(self, _obj: QObject, ev: QEvent) -> bool:
        if ev.type() == QEvent.Type.KeyPress and isinstance(ev, QKeyEvent) and ev.key() in (
            Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown
        ):
            copy = QKeyEvent(ev.type(), ev.key(), ev.modifiers(), ev.text())
            QCoreApplication.sendEvent(self.target, copy)
            return True
        return False


class RelationPicker(QFrame):
    """Two-stage popup: child, then type."""

    def __init__(self, ctl: RelationsController, anchor: QWidget, *,
                 anchor_for: Callable[[int], QPoint]) -> None:
        super().__init__(anchor, Qt.WindowType.Popup)
        self.ctl, self.anchor = ctl, anchor
        self.anchor_for = anchor_for  # global point under a span: where the popup opens
        self.head_id: int | None = None
        self.child_id: int | None = None
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumWidth(460)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.filter = QLineEdit()
        self.filter.setClearButtonEnabled(True)
        self.model = EntityModel(ctl, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.entities = QListView()
        self.entities.setModel(self.proxy)
        self.entities.setUniformItemSizes(True)  # fast for thousands of spans
        self.types = QListWidget()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.entities)
        self.stack.addWidget(self.types)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        for w in (self.title, self.filter, self.stack):
            lay.addWidget(w)
        self.filter.textChanged.connect(self._on_filter)
        self.filter.returnPressed.connect(self.accept_current)
        self.entities.activated.connect(lambda _i: self.accept_current())
        self.types.itemActivated.connect(lambda _i: self.accept_current())
        self._forward_entities = _KeyForwarder(self.entities)
        self._forward_types = _KeyForwarder(self.types)

    # ---- stages ------------------------------------------------------------------------
    def choose_child(self, head_id: int) -> None:
        self.head_id, self.child_id = head_id, None
        self.title.setText(f"Relation from <b>{esc(self.ctl.describe_span(head_id))}</b> "
                           "to \u2026 (type to filter, Enter to pick)")
        self.model.reset(exclude=head_id)
        self._stage(self.entities, self._forward_entities)
        self._select_first_entity()
        self._show_near(self._anchor_point())

    def choose_type(self, head_id: int, child_id: int, global_pos: QPoint | None = None) -> bool:
        """Offer the valid types; an invalid pair is refused without opening anything."""
        self.head_id, self.child_id = head_id, child_id
        types = self.ctl.valid_types(head_id, child_id)
        h, c = self.ctl.span(head_id), self.ctl.span(child_id)
        if not types or h is None or c is None:
            self.hide()
            pair = f"{h.label} \u2192 {c.label}" if h and c else "these spans"
            self.ctl.refuse(f"No relation type allows {pair}; nothing stored")
            return False
        self.types.clear()
        htext, ctext = (self.ctl.index.span_text(i) for i in (head_id, child_id))
        for t in types:
            arrow = "\u2013" if t.symmetric else "\u2192"
            # "A - B" for symmetric types, "A -> B" for directed ones
            item = QListWidgetItem(f"{t.name}    {short(htext, 24)} {arrow} {short(ctext, 24)}")
            item.setData(Qt.ItemDataRole.UserRole, t.name)
            item.setToolTip(t.description or t.group)
            self.types.addItem(item)
        self.types.setCurrentRow(0)
        self.title.setText(f"Type of <b>{esc(self.ctl.describe_span(head_id))}</b> \u2192 "
                           f"<b>{esc(self.ctl.describe_span(child_id))}</b>")
        self._stage(self.types, self._forward_types)
        self._show_near(global_pos or self._anchor_point())
        return True

    def _stage(self, widget: QWidget, forwarder: _KeyForwarder) -> None:
        self.filter.blockSignals(True)
        self.filter.clear()
        self.filter.blockSignals(False)
        self.proxy.setFilterFixedString("")
        self.filter.removeEventFilter(self._forward_entities)
        self.filter.removeEventFilter(self._forward_types)
        self.filter.installEventFilter(forwarder)
        self.stack.setCurrentWidget(widget)

    def _show_near(self, pos: QPoint) -> None:
        self.adjustSize()
        self.resize(max(self.width(), 460), min(380, max(self.height(), 260)))
        self.move(pos)
        self.show()
        self.raise_()
        self.activateWindow()
        self.filter.setFocus()

    def _anchor_point(self) -> QPoint:
        if self.head_id is None:
            return self.anchor.mapToGlobal(QPoint(20, 20))
        return self.anchor_for(self.head_id)

    # ---- typing and picking ------------------------------------------------------------
    def _on_filter(self, text: str) -> None:
        if self.stack.currentWidget() is self.entities:
            self.proxy.setFilterFixedString(text)
            self._select_first_entity()
            return
        needle = text.strip().lower()
        best: tuple[int, int] | None = None  # (rank, row): exact name, prefix, inside
        for i in range(self.types.count()):
            item = self.types.item(i)
            name = str(item.data(Qt.ItemDataRole.UserRole)).lower()
            hidden = needle not in name and needle not in item.toolTip().lower()
            item.setHidden(hidden)
            if not hidden:
                rank = 0 if name == needle else 1 if name.startswith(needle) else 2
                best = min(best or (rank, i), (rank, i))
        if best is not None:
            self.types.setCurrentRow(best[1])

    def _select_first_entity(self) -> None:
        if self.proxy.rowCount() > 0:
            self.entities.setCurrentIndex(self.proxy.index(0, 0))

    def accept_current(self) -> None:
        if self.stack.currentWidget() is self.entities:
            idx = self.entities.currentIndex()
            if not idx.isValid() or self.head_id is None:
                return
            child = int(idx.data(SPAN_ID))
            self.choose_type(self.head_id, child)
            return
        item = self.types.currentItem()
        if item is None or item.isHidden() or self.head_id is None or self.child_id is None:
            return
        self.hide()
        self.ctl.create(self.head_id, self.child_id, item.data(Qt.ItemDataRole.UserRole))

    def keyPressEvent(self, ev: QKeyEvent) -> None:
        if ev.key() == Qt.Key.Key_Escape:
            self.hide()
            return
        super().keyPressEvent(ev)

