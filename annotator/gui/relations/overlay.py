"""Arcs over the text: painted by the text view's ``overlay_painters`` hook for the
relations of the visible lines, and an event filter on the viewport for the mouse.

Only relations with an end in the visible blocks are laid out (the index answers that
in O(visible)); the layout is cached until the view scrolls, resizes or the relations
change, so repaints for hover or the caret cost only the drawing.

Mouse (see docs/relations.md):
- click an arc's label: select the relation; right-click: ``contextMenuRequested``
  (``install_relations`` pops the relation's edit menu there);
- click an off-screen indicator: scroll to and select the other end;
- drawing a new relation with the mouse is the drag gesture's (drag.py).

The overlay reads the controller's state and repaints on its signals; it builds nothing.
"""

from __future__ import annotations

import math
from time import perf_counter

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QMouseEvent, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QToolTip

from annotator.core.models import Span
from annotator.gui.relations.controller import RelationsController
from annotator.gui.relations.paint import arrow, highlight, rounded_route, short
from annotator.gui.state.arc_layout import (
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
from annotator.gui.state.relation_index import is_symmetric, relation_caption, relation_color
from annotator.gui.text.view import SpanTextView


class RelationOverlay(QObject):
    """Paints through the view's ``overlay_painters`` hook (after spans and text, in the
    same painter, so nothing has to follow scrolling) and filters viewport mouse events."""

    contextMenuRequested = Signal(int, QPoint)  # relation id, global position

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
        view.viewport().installEventFilter(self)
        view.overlay_painters.append(self._paint_hook)
        ctl.relationsReset.connect(self.invalidate)
        ctl.relationsChanged.connect(lambda *_: self.invalidate())
        ctl.selectionChanged.connect(lambda _ids: self.update())

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
        if isinstance(hit, Indicator):
            text += "\nclick: go to the other end"
        QToolTip.showText(ev.globalPos(), text, self.view.viewport())  # type: ignore[attr-defined]
        return True

    def _context_menu(self, ev: QEvent) -> bool:
        pos = ev.pos()  # type: ignore[attr-defined]
        hit = self.layout_.hit(pos.x(), pos.y())
        if hit is None:
            return False
        self.ctl.select_relations([hit.rel_id])
        self.contextMenuRequested.emit(hit.rel_id, ev.globalPos())  # type: ignore[attr-defined]
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
            other_text = short(idx.span_text(other.id))
            specs.append(ArcSpec(
                rel.id, hs.id, cs.id, hr, cr, caption, self._width(caption), h_side, c_side,
                other_text, self._width(other_text) if (hr is None) != (cr is None) else 0.0,
            ))
        return layout_arcs(specs, width=self.width(), height=h, m=self.metrics,
                           obstacles=self._tag_boxes(a, b))

    def _tag_boxes(self, a: int, b: int) -> list[Rect]:
        """Where the view draws its spans and label tags (under each span's first box), so
        arc labels do not cover them. Sized with the view's tag metrics."""
        fm = self.view.tag_metrics
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
                                is_symmetric(schema, rel.label), arc.rel_id in selected)
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

    def _paint_selected_ends(self, p: QPainter, selected: set[int]) -> None:
        spans = {i for r in selected if (rel := self.ctl.relation(r))
                 for i in (rel.head_id, rel.child_id)}
        for sid in spans:
            s = self.ctl.span(sid)
            r = self.span_rect(s) if s is not None else None
            if r is None or r.bottom < 0 or r.y > self.height():
                continue
            highlight(p, r)

    def _paint_arc(self, p: QPainter, arc: Arc, _label: str, color: str, symmetric: bool,
                   selected: bool) -> None:
        c = QColor(color)
        if arc.route:
            path = rounded_route(arc.route, 6.0)
        else:
            path = QPainterPath(QPointF(*arc.start))
            path.cubicTo(QPointF(*arc.c1), QPointF(*arc.c2), QPointF(*arc.end))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(QPen(c, 2.6 if selected else 1.5))
        p.drawPath(path)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(c)
        if symmetric:
            for x, y in (arc.start, arc.end):
                p.drawEllipse(QPointF(x, y - 1), 2.5, 2.5)
        else:
            p.drawEllipse(QPointF(arc.start[0], arc.start[1] - 1), 2.0, 2.0)
            arrow(p, arc.c2, arc.end, 6.5 if selected else 5.5)

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
