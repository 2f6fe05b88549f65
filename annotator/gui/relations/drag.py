"""Drawing a relation with the mouse: a rubber band from a head span to a child span.

The gesture filters the text view's viewport events (installed after the overlay, so it
sees presses first) and paints its band through the view's ``overlay_painters`` hook,
which it registers itself. A release on another span emits ``dropped(head, child, pos)``;
``install_relations`` opens the type chooser there.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, Qt, Signal
from PySide6.QtGui import QMouseEvent, QPainter, QPainterPath, QPen, QTextCursor
from PySide6.QtWidgets import QApplication

from annotator.core.models import Span
from annotator.gui.relations.paint import HIGHLIGHT, arrow, highlight
from annotator.gui.state.arc_layout import Rect
from annotator.gui.text.view import SpanTextView

EDGE_PX = 6  # near a span's edge a press belongs to the view's resize gesture (5 px)


class DragGesture(QObject):
    """Rubber-band drag from a head span to a child span.

    Starts on a press with Alt on any span, or on the body of the selected span (its
    edges belong to resizing). While the pointer stays inside the head span the drag
    selects text as usual (so a nested span can still be marked inside the selected
    one); once it leaves, it becomes a rubber band and a release on another span opens
    the type chooser.
    """

    dropped = Signal(int, int, QPoint)  # head span id, child span id, global position
    refused = Signal(str)  # a one-line reason (released on no span, or on the head itself)

    def __init__(self, view: SpanTextView, span_rect: Callable[[Span], Rect | None]) -> None:
        super().__init__(view)
        self.view = view
        self.span_rect = span_rect  # the overlay's cached first-line box of a span
        self.head: Span | None = None
        self.origin = QPointF()
        self.pos = QPointF()
        self.active = False  # moved past the drag distance
        self.banding = False  # pointer left the head span: drawing the rubber band
        self.alt = False
        self.target: Span | None = None
        view.viewport().installEventFilter(self)
        view.overlay_painters.append(lambda p, _view: self.paint(p))

    def eventFilter(self, _obj: QObject, ev: QEvent) -> bool:
        if not isinstance(ev, QMouseEvent):
            return False
        t = ev.type()
        if t == QEvent.Type.MouseButtonPress and ev.button() == Qt.MouseButton.LeftButton:
            return self._press(ev)
        if t == QEvent.Type.MouseMove and self.head is not None:
            return self._move(ev)
        if t == QEvent.Type.MouseButtonRelease and self.head is not None:
            return self._release(ev)
        return False

    def _press(self, ev: QMouseEvent) -> bool:
        span = self.view.span_at(ev.position())
        if span is None:
            return False
        alt = bool(ev.modifiers() & Qt.KeyboardModifier.AltModifier)
        sel = self.view.selected_span()
        on_selected = sel is not None and span.id == sel.id and self._in_body(span, ev)
        if not (alt or on_selected):
            return False  # plain press: the window's selection and resize gestures
        self.head, self.origin, self.pos, self.alt = span, ev.position(), ev.position(), alt
        self.active = self.banding = False
        self.target = None
        return True

    def _in_body(self, span: Span, ev: QMouseEvent) -> bool:
        x, y = ev.position().x(), ev.position().y()
        rects = self.view.span_rects(span.id)
        if not rects:
            return False
        first, last = rects[0], rects[-1]
        near_start = first.top() <= y <= first.bottom() and x - first.left() < EDGE_PX
        near_end = last.top() <= y <= last.bottom() and last.right() - x < EDGE_PX
        return not (near_start or near_end)

    def _inside_head(self, pos: QPointF) -> bool:
        assert self.head is not None
        return any(r.contains(pos) for r in self.view.span_rects(self.head.id))

    def _move(self, ev: QMouseEvent) -> bool:
        self.pos = ev.position()
        if not self.active:
            self.active = (self.pos - self.origin).manhattanLength() >= \
                QApplication.startDragDistance()
        if not self.active:
            return True
        self.banding = self.banding or not self._inside_head(self.pos)
        if self.banding:
            hit = self.view.span_at(self.pos)
            self.target = hit if hit is not None and hit.id != self.head.id else None  # type: ignore[union-attr]
            self.view.clear_text_selection()
        else:
            self._select_text(self.origin, self.pos)
        self.view.viewport().update()
        return True

    def _select_text(self, a: QPointF, b: QPointF) -> None:
        cur = self.view.cursorForPosition(a.toPoint())
        cur.setPosition(self.view.cursorForPosition(b.toPoint()).position(),
                        QTextCursor.MoveMode.KeepAnchor)
        self.view.setTextCursor(cur)

    def _release(self, ev: QMouseEvent) -> bool:
        head, active, banding = self.head, self.active, self.banding
        self.head, self.active, self.banding, self.target = None, False, False, None
        self.view.viewport().update()
        if head is None:
            return True
        if not active:  # a click: Alt+click selects like a click; the selected span stays
            self.view.select_span(head.id)
            return True
        if not banding:
            return True  # text selected inside the head span, as a plain drag would
        target = self.view.span_at(ev.position())
        if target is None or target.id == head.id:
            self.refused.emit("Release on another span to relate the two")
            return True
        self.dropped.emit(head.id, target.id, self.view.viewport().mapToGlobal(ev.position().toPoint()))
        return True

    def paint(self, p: QPainter) -> None:
        if not self.banding or self.head is None:
            return
        r = self.span_rect(self.head)
        if r is None:
            return
        start = QPointF(r.cx, r.y)
        p.save()
        if self.target is not None and (tr := self.span_rect(self.target)) is not None:
            highlight(p, tr)
        p.setPen(QPen(HIGHLIGHT, 2, Qt.PenStyle.DashLine))
        p.setBrush(Qt.BrushStyle.NoBrush)
        rise = min(start.y(), self.pos.y()) - 18
        path = QPainterPath(start)
        path.cubicTo(QPointF(start.x(), rise), QPointF(self.pos.x(), rise), self.pos)
        p.drawPath(path)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(HIGHLIGHT)
        arrow(p, (self.pos.x(), rise), (self.pos.x(), self.pos.y()), 6)
        p.restore()
