"""Arcs over the text: painted by the text view's ``overlay_painters`` hook for the
relations of the visible lines, and an event filter on the viewport for the mouse.

Only relations with an end in the visible blocks are laid out (the index answers that
in O(visible)); the layout is cached until the view scrolls, resizes or the relations
change, so repaints for hover or the caret cost only the drawing.

Mouse (see docs/relations.md):
- click an arc's label: select the relation; right-click: its edit menu;
- click an off-screen indicator: scroll to and select the other end;
- drag from a span to another with Alt held, or drag from the body of the selected span
  (away from its edges, which resize it): rubber band, release on the child -> types.
"""

from __future__ import annotations

import math
from time import perf_counter
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
    QTextCursor,
)
from PySide6.QtWidgets import QApplication, QToolTip

from annotator.core.models import Span
from annotator.gui.relation_index import is_symmetric, relation_caption, relation_color
from annotator.gui.relation_layout import (
    ABOVE,
    BELOW,
    VISIBLE,
    Arc,
    ArcSpec,
    Indicator,
    Layout,
    Metrics,
    Rect,
    layout_arcs,
)

if TYPE_CHECKING:
    from annotator.gui.relations import RelationsController
    from annotator.gui.text_view import SpanTextView

EDGE_PX = 6  # near a span's edge a press belongs to the window's resize gesture (5 px)


class RelationOverlay(QObject):
    """Paints through the view's ``overlay_painters`` hook (after spans and text, in the
    same painter, so nothing has to follow scrolling) and filters viewport mouse events."""

    def __init__(self, ctl: RelationsController, view: SpanTextView) -> None:
        super().__init__(view)
        self.ctl, self.view = ctl, view
        self.label_font = QFont()  # the UI sans, like the span tags: interface, not text
        self.label_font.setPixelSize(max(9, round(view.font().pointSizeF() * 0.78)))
        self.label_font.setBold(True)
        self._fm = QFontMetricsF(self.label_font)
        self._widths: dict[str, float] = {}
        self.metrics = self._metrics()
        self.layout_: Layout = Layout()
        self._key: tuple | None = None
        self._version = 0
        self._incomplete = False
        self._swallow = False  # we took a press (label/indicator): take its release too
        self._rects: dict[int, Rect | None] = {}
        self.last_paint_ms = 0.0
        self.drag = DragGesture(self)
        view.viewport().installEventFilter(self)
        view.viewport().installEventFilter(self.drag)  # installed last: sees presses first
        view.overlay_painters.append(self._paint_hook)

    def _metrics(self) -> Metrics:
        """Sizes from the view's font: the gap between two lines' glyph boxes is where
        cross-line routes run (below the span tags the view draws under each span)."""
        label_h = math.ceil(self._fm.height()) + 2
        line = QFontMetricsF(self.view.font()).lineSpacing()
        rects = self.view.span_rects(next(iter(self.view.index.by_id), -1))
        glyph = rects[0].height() if rects else line * 0.6
        gap = max(4.0, line - glyph)
        return Metrics(label_h=label_h, run_drop=max(4.0, gap * 0.62))

    def width(self) -> int:
        return self.view.viewport().width()

    def height(self) -> int:
        return self.view.viewport().height()

    def update(self) -> None:
        self.view.viewport().update()

    def invalidate(self) -> None:
        self._version += 1
        self.update()

    def eventFilter(self, obj: QObject, ev: QEvent) -> bool:
        t = ev.type()
        if t == QEvent.Type.MouseButtonPress and isinstance(ev, QMouseEvent):
            self._swallow = self._press(ev)
            return self._swallow
        if t in (QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick) and self._swallow:
            # the press was ours: the view must not treat its release as a click on text
            self._swallow = False
            return True
        elif t == QEvent.Type.ToolTip:
            return self._tooltip(ev)  # type: ignore[arg-type]
        elif t == QEvent.Type.ContextMenu:
            return self._context_menu(ev)  # type: ignore[arg-type]
        return False

    def _press(self, ev: QMouseEvent) -> bool:
        hit = self.layout_.hit(ev.position().x(), ev.position().y())
        if hit is None or ev.button() != Qt.MouseButton.LeftButton:
            return False
        if isinstance(hit, Indicator):
            self.ctl.select_relations([hit.rel_id])
            self.ctl.go_to_span(hit.target_span)
        else:
            self.ctl.select_relations([hit.rel_id])
        return True

    def _tooltip(self, ev: QEvent) -> bool:
        pos = ev.pos()  # type: ignore[attr-defined]
        hit = self.layout_.hit(pos.x(), pos.y())
        rel = self.ctl.relation(hit.rel_id) if hit else None
        if rel is None:
            return False
        arrow = "\u2013" if is_symmetric(self.ctl.project.schema, rel.label) else "\u2192"
        text = (f"{self.ctl.describe_span(rel.head_id)} {arrow} {relation_caption(rel)} "
                f"{arrow} {self.ctl.describe_span(rel.child_id)}")
        if rel.state == "suggested":
            why = rel.attrs.get("why") or rel.source
            text += f"\nsuggested ({why}): Enter accepts, Delete rejects"
        if isinstance(hit, Indicator):
            text += "\nclick: go to the other end"
        QToolTip.showText(ev.globalPos(), text, self.view.viewport())  # type: ignore[attr-defined]
        return True

    def _context_menu(self, ev: QEvent) -> bool:
        pos = ev.pos()  # type: ignore[attr-defined]
        hit = self.layout_.hit(pos.x(), pos.y())
        if hit is None:
            return False
        from annotator.gui.relation_editor import relation_menu

        self.ctl.select_relations([hit.rel_id])
        relation_menu(self.ctl, hit.rel_id, self.view).popup(ev.globalPos())  # type: ignore[attr-defined]
        return True

    # ---- geometry ----------------------------------------------------------------------
    def span_rect(self, span: Span) -> Rect | None:
        """Viewport box of the span's first line (the view's own geometry), cached per layout."""
        if span.id not in self._rects:
            rects = self.view.span_rects(span.id)
            r = rects[0] if rects else None
            self._rects[span.id] = Rect(r.x(), r.y(), r.width(), r.height()) if r else None
        return self._rects[span.id]

    def span_at(self, pos: QPointF) -> Span | None:
        return self.view.span_at(pos)

    # ---- layout ------------------------------------------------------------------------
    def current_layout(self) -> Layout:
        view = self.view
        key = (view.verticalScrollBar().value(), view.horizontalScrollBar().value(),
               self.width(), self.height(), view.document().revision(), self._version,
               view.font().pointSizeF())
        if key != self._key:
            self._key = key
            self._rects = {}
            self._incomplete = False
            self.metrics = self._metrics()
            self.layout_ = self._build_layout()
            if self._incomplete:  # Qt had not laid out a visible block yet: retry next paint
                self._key = None
        return self.layout_

    def _build_layout(self) -> Layout:
        idx = self.ctl.index
        if not idx.by_id or self.ctl.project is None:
            return Layout()
        a, b = self.view.visible_range()
        h = self.height()
        specs: list[ArcSpec] = []
        for rel in idx.touching(a, b):
            hs, cs = idx.span(rel.head_id), idx.span(rel.child_id)
            if hs is None or cs is None:
                continue
            hr, h_side = self._place(hs, a, b, h)
            cr, c_side = self._place(cs, a, b, h)
            if hr is None and cr is None:
                continue
            caption = relation_caption(rel)
            other = cs if hr is not None else hs
            other_text = _short(idx.span_text(other.id))
            specs.append(ArcSpec(
                rel.id, hs.id, cs.id, hr, cr, caption, self._width(caption), h_side, c_side,
                other_text, self._width(other_text) if (hr is None) != (cr is None) else 0.0,
            ))
        return layout_arcs(specs, width=self.width(), height=h, m=self.metrics,
                           obstacles=self._tag_boxes(a, b))

    def _tag_boxes(self, a: int, b: int) -> list[Rect]:
        """Where the view draws its spans and label tags (under each span's first box), so
        arc labels do not cover them. Sized with the view's tag metrics when it exposes them."""
        fm = getattr(self.view, "_tag_metrics", None) or self._fm
        h = fm.height() + 1
        out = []
        for s in self.ctl.index.spans.overlapping(a, b):
            r = self.span_rect(s)
            if r is not None and -h < r.bottom < self.height():
                out.append(Rect(r.x, r.bottom + 1, fm.horizontalAdvance(s.label) + 8, h))
                out.append(Rect(r.x, r.y + 2, r.w, r.h - 4))  # and the entity's own words
        return out

    def _place(self, s: Span, a: int, b: int, h: int) -> tuple[Rect | None, int]:
        if s.end <= a:
            return None, ABOVE
        if s.start >= b:
            return None, BELOW
        r = self.span_rect(s)
        if r is None:
            self._incomplete = True
            return None, ABOVE if s.start < a else BELOW
        if r.bottom < 0:
            return None, ABOVE
        if r.y > h:
            return None, BELOW
        return r, VISIBLE

    def _width(self, text: str) -> float:
        w = self._widths.get(text)
        if w is None:
            w = self._widths[text] = self._fm.horizontalAdvance(text)
        return w

    # ---- painting ----------------------------------------------------------------------
    def _paint_hook(self, p: QPainter, _view: object) -> None:
        t0 = perf_counter()
        p.save()
        self.paint_on(p)
        p.restore()
        self.last_paint_ms = (perf_counter() - t0) * 1000

    def paint_on(self, p: QPainter) -> None:
        lay = self.current_layout()
        schema = self.ctl.project.schema if self.ctl.project else None
        if schema is None:
            return
        selected = set(self.ctl.selected)
        self._paint_selected_ends(p, selected)
        p.setFont(self.label_font)
        for arc in lay.arcs:
            rel = self.ctl.relation(arc.rel_id)
            if rel is not None:
                self._paint_arc(p, arc, rel.label, relation_color(schema, rel.label),
                                is_symmetric(schema, rel.label), arc.rel_id in selected,
                                suggested=rel.state == "suggested")
        for arc in lay.arcs:  # labels last: on top of every curve
            rel = self.ctl.relation(arc.rel_id)
            if rel is not None:
                self._paint_label(p, arc.label_box, relation_caption(rel),
                                  QColor(relation_color(schema, rel.label)),
                                  arc.rel_id in selected)
        for ind in lay.indicators:
            rel = self.ctl.relation(ind.rel_id)
            if rel is not None:
                self._paint_indicator(p, ind, QColor(relation_color(schema, rel.label)),
                                      ind.rel_id in selected)
        self.drag.paint(p)

    def _paint_selected_ends(self, p: QPainter, selected: set[int]) -> None:
        spans = {i for r in selected if (rel := self.ctl.relation(r))
                 for i in (rel.head_id, rel.child_id)}
        for sid in spans:
            s = self.ctl.span(sid)
            r = self.span_rect(s) if s is not None else None
            if r is None or r.bottom < 0 or r.y > self.height():
                continue
            p.setPen(QPen(QColor("#1F6FEB"), 2))
            p.setBrush(QColor(31, 111, 235, 40))
            p.drawRoundedRect(QRectF(r.x - 2, r.y - 1, r.w + 4, r.h + 2), 3, 3)

    def _paint_arc(self, p: QPainter, arc: Arc, _label: str, color: str, symmetric: bool,
                   selected: bool, *, suggested: bool = False) -> None:
        c = QColor(color)
        if arc.route:
            path = _rounded_route(arc.route, 6.0)
        else:
            path = QPainterPath(QPointF(*arc.start))
            path.cubicTo(QPointF(*arc.c1), QPointF(*arc.c2), QPointF(*arc.end))
        p.setBrush(Qt.BrushStyle.NoBrush)
        pen = QPen(c, 2.6 if selected else 1.5)
        if suggested:  # like suggested spans: dashed until a human decides
            pen.setStyle(Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.drawPath(path)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(c)
        if symmetric:
            for x, y in (arc.start, arc.end):
                p.drawEllipse(QPointF(x, y - 1), 2.5, 2.5)
        else:
            p.drawEllipse(QPointF(arc.start[0], arc.start[1] - 1), 2.0, 2.0)
            _arrow(p, arc.c2, arc.end, 6.5 if selected else 5.5)

    def _paint_label(self, p: QPainter, box: Rect, text: str, c: QColor, selected: bool) -> None:
        r = QRectF(box.x, box.y, box.w, box.h)
        p.setPen(QPen(c, 1.2))
        fill = QColor(c) if selected else QColor(255, 255, 255, 235)
        p.setBrush(fill)
        p.drawRoundedRect(r, box.h / 2.5, box.h / 2.5)
        p.setPen(QColor("white") if selected else c.darker(125))
        p.drawText(r, Qt.AlignmentFlag.AlignCenter, text)

    def _paint_indicator(self, p: QPainter, ind: Indicator, c: QColor, selected: bool) -> None:
        box = QRectF(ind.box.x, ind.box.y, ind.box.w, ind.box.h)
        edge_y = box.bottom() if ind.side == ABOVE else box.top()
        pen = QPen(c, 1.2, Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        path = QPainterPath(QPointF(*ind.anchor))
        mid = (ind.anchor[1] + edge_y) / 2
        path.cubicTo(QPointF(ind.anchor[0], mid), QPointF(box.center().x(), mid),
                     QPointF(box.center().x(), edge_y))
        p.drawPath(path)
        p.setPen(QPen(c, 1.2))
        p.setBrush(QColor(c) if selected else QColor(250, 250, 252, 240))
        p.drawRoundedRect(box, 4, 4)
        glyph = "\u25B2" if ind.side == ABOVE else "\u25BC"
        p.setPen(QColor("white") if selected else c.darker(125))
        p.drawText(box.adjusted(4, 0, -4, 0), Qt.AlignmentFlag.AlignVCenter, f"{glyph} {ind.text}")


class DragGesture(QObject):
    """Rubber-band drag from a head span to a child span.

    Starts on a press with Alt on any span, or on the body of the selected span (its
    edges belong to resizing). While the pointer stays inside the head span the drag
    selects text as usual (so a nested span can still be marked inside the selected
    one); once it leaves, it becomes a rubber band and a release on another span opens
    the type chooser.
    """

    def __init__(self, overlay: RelationOverlay) -> None:
        super().__init__(overlay)
        self.overlay = overlay
        self.view = overlay.view
        self.head: Span | None = None
        self.origin = QPointF()
        self.pos = QPointF()
        self.active = False  # moved past the drag distance
        self.banding = False  # pointer left the head span: drawing the rubber band
        self.alt = False
        self.target: Span | None = None

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
        self.overlay.update()
        return True

    def _select_text(self, a: QPointF, b: QPointF) -> None:
        cur = self.view.cursorForPosition(a.toPoint())
        cur.setPosition(self.view.cursorForPosition(b.toPoint()).position(),
                        QTextCursor.MoveMode.KeepAnchor)
        self.view.setTextCursor(cur)

    def _release(self, ev: QMouseEvent) -> bool:
        head, active, banding = self.head, self.active, self.banding
        self.head, self.active, self.banding, self.target = None, False, False, None
        self.overlay.update()
        ctl = self.overlay.ctl
        if head is None:
            return True
        if not active:  # a click: Alt+click selects like a click; the selected span stays
            self.view.select_span(head.id)
            return True
        if not banding:
            return True  # text selected inside the head span, as a plain drag would
        target = self.view.span_at(ev.position())
        if target is None or target.id == head.id:
            ctl.host.show_message("Release on another span to relate the two")
            return True
        gpos = self.view.viewport().mapToGlobal(ev.position().toPoint())
        ctl.choose_type_at(head.id, target.id, gpos)
        return True

    def paint(self, p: QPainter) -> None:
        if not self.banding or self.head is None:
            return
        r = self.overlay.span_rect(self.head)
        if r is None:
            return
        start = QPointF(r.cx, r.y)
        c = QColor("#1F6FEB")
        if self.target is not None:
            tr = self.overlay.span_rect(self.target)
            if tr is not None:
                p.setPen(QPen(c, 2))
                p.setBrush(QColor(31, 111, 235, 40))
                p.drawRoundedRect(QRectF(tr.x - 2, tr.y - 1, tr.w + 4, tr.h + 2), 3, 3)
        p.setPen(QPen(c, 2, Qt.PenStyle.DashLine))
        p.setBrush(Qt.BrushStyle.NoBrush)
        rise = min(start.y(), self.pos.y()) - 18
        path = QPainterPath(start)
        path.cubicTo(QPointF(start.x(), rise), QPointF(self.pos.x(), rise), self.pos)
        p.drawPath(path)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(c)
        _arrow(p, (self.pos.x(), rise), (self.pos.x(), self.pos.y()), 6)


def _arrow(p: QPainter, frm: tuple[float, float], to: tuple[float, float], size: float) -> None:
    """A filled arrowhead at ``to`` pointing away from ``frm``."""
    ang = math.atan2(to[1] - frm[1], to[0] - frm[0])
    tip = QPointF(*to)
    left = QPointF(to[0] - size * math.cos(ang - 0.45), to[1] - size * math.sin(ang - 0.45))
    right = QPointF(to[0] - size * math.cos(ang + 0.45), to[1] - size * math.sin(ang + 0.45))
    p.drawPolygon(QPolygonF([tip, left, right]))


def _rounded_route(points: list[tuple[float, float]], radius: float) -> QPainterPath:
    """A polyline whose corners are rounded (a quadratic through each corner)."""
    path = QPainterPath(QPointF(*points[0]))
    for prev, cur, nxt in zip(points, points[1:], points[2:], strict=False):
        r = min(radius, _dist(prev, cur) / 2, _dist(cur, nxt) / 2)
        path.lineTo(QPointF(*_toward(cur, prev, r)))
        path.quadTo(QPointF(*cur), QPointF(*_toward(cur, nxt, r)))
    path.lineTo(QPointF(*points[-1]))
    return path


def _dist(a: tuple[float, float], b: tuple[float, float]) -> float:
    return math.hypot(b[0] - a[0], b[1] - a[1])


def _toward(a: tuple[float, float], b: tuple[float, float], d: float) -> tuple[float, float]:
    n = _dist(a, b) or 1.0
    return a[0] + (b[0] - a[0]) * d / n, a[1] + (b[1] - a[1]) * d / n


def _short(text: str, n: int = 28) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "\u2026"

