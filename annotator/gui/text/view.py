"""The document view: read-only, selectable text with the spans painted on it.

Spans are not Qt formats or ExtraSelections: ``paintEvent`` asks the span index for
the spans of the visible blocks only and paints them around the text (tints under it,
outlines, nesting underlines and label tags over it). So opening a document with
20,000 spans costs what the screen shows, and an edit repaints the viewport without
touching the document. Positions cross the Qt boundary through ``Offsets`` (Qt counts
UTF-16 units, the store counts code points).

The view keeps no spans of its own: it draws ``state`` (the Qt-free ``DocumentState``
of the open document, shared with the entity list and the relations) and repaints when
the state says it changed or its selection moved.

For overlays (the relation arcs): ``span_rects`` gives a span's rectangles in
viewport coordinates, ``visibleRangeChanged`` fires when the visible text changes, and
``overlay_painters`` are called at the end of every paint.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QTextBlock,
    QTextCursor,
)
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from annotator.core.models import Span
from annotator.core.schema import Schema
from annotator.gui.fonts import plain_metrics, reading_font
from annotator.gui.state.document import DocumentState
from annotator.gui.state.offsets import Offsets
from annotator.gui.state.span_index import SpanIndex, nesting_levels
from annotator.gui.theme import LIGHT, UNKNOWN_LABEL, Theme, ink_on, tint

EDGE_GRAB_PX = 5  # how close to a span edge a press starts resizing
OverlayPainter = Callable[[QPainter, "SpanTextView"], None]


class SpanTextView(QPlainTextEdit):
    selectedSpanChanged = Signal(object)  # span id or None
    visibleRangeChanged = Signal(int, int)  # code points [start, end)
    spanResizeRequested = Signal(int, int, int)  # span id, new start, new end (code points)

    def __init__(self, parent: QWidget | None = None, *, state: DocumentState | None = None) -> None:
        super().__init__(parent)
        self.state = state if state is not None else DocumentState()
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.viewport().setMouseTracking(True)
        self.document().setDocumentMargin(28)
        self.overlay_painters: list[OverlayPainter] = []
        self._colours: dict[str, str] = {}
        self._theme: Theme = LIGHT
        self._drag: tuple[int, str] | None = None  # (span id, "start" | "end") while resizing
        self._preview: tuple[int, int] | None = None  # span bounds shown during a drag
        self._press_pos: QPointF | None = None
        self._last_range: tuple[int, int] = (-1, -1)
        self._snapper: Callable[[int, int], tuple[int, int]] = lambda a, b: (a, b)
        self.set_font_size(13)
        self.updateRequest.connect(self._check_visible_range)
        self.state.loaded.connect(self._on_loaded)
        self.state.changed.connect(lambda _delta: self.viewport().update())
        self.state.span_selected.connect(self._on_span_selected)

    # ---- the document state ----------------------------------------------------------------
    @property
    def doc_id(self) -> int | None:
        return self.state.doc_id

    @property
    def index(self) -> SpanIndex:
        return self.state.spans

    @property
    def offsets(self) -> Offsets:
        return self.state.offsets

    # ---- content ---------------------------------------------------------------------------
    def set_schema(self, schema: Schema) -> None:
        self._colours = {e.name: e.color for e in schema.entities}
        self.viewport().update()

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.viewport().update()

    def set_font_size(self, points: int) -> None:
        font = reading_font(points)
        self.setFont(font)
        self._plain = plain_metrics(font)
        tag_font = QFont()  # the UI sans: tags are interface, not text
        tag_font.setPixelSize(max(8, round(self._plain.height() * 0.47)))
        tag_font.setBold(True)
        tag_font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 0.4)
        self._tag_font = tag_font
        self._tag_metrics = QFontMetricsF(tag_font)

    @property
    def tag_metrics(self) -> QFontMetricsF:
        """The metrics of the label tags drawn under spans (overlays keep clear of them)."""
        return self._tag_metrics

    def set_snapper(self, snapper: Callable[[int, int], tuple[int, int]]) -> None:
        """How drag-resizing rounds a position (token snapping, or characters)."""
        self._snapper = snapper

    def _on_loaded(self) -> None:
        self._drag = self._preview = None
        self.setPlainText(self.state.text)  # QPlainTextEdit lays out lazily: fast even for 1 MB
        self._last_range = (-1, -1)
        self.selectedSpanChanged.emit(None)

    # ---- selection -------------------------------------------------------------------------
    def selected_span(self) -> Span | None:
        return self.state.selected()

    def select_span(self, span_id: int | None, *, reveal: bool = False) -> None:
        span = self.state.span(span_id)
        if span is not None and reveal:
            cur = self.textCursor()
            cur.setPosition(self.offsets.to_utf16(span.start))
            self.setTextCursor(cur)
            self.centerCursor()
        self.state.select_span(span.id if span else None)
        self.viewport().update()

    def _on_span_selected(self, span_id: int | None) -> None:
        self.viewport().update()
        self.selectedSpanChanged.emit(span_id)

    def text_selection(self) -> tuple[int, int] | None:
        """The selected text as code points, or None when nothing is selected."""
        cur = self.textCursor()
        if not cur.hasSelection():
            return None
        return self.offsets.to_cp(cur.selectionStart()), self.offsets.to_cp(cur.selectionEnd())

    def clear_text_selection(self) -> None:
        cur = self.textCursor()
        cur.clearSelection()
        self.setTextCursor(cur)

    # ---- geometry ----------------------------------------------------------------------------
    def visible_range(self) -> tuple[int, int]:
        """Code points of the blocks on screen (whole blocks, so spans near the edges count)."""
        first = self.firstVisibleBlock()
        if not first.isValid():
            return 0, 0
        block, bottom = first, self.viewport().height()
        offset = self.contentOffset()
        last = first
        while block.isValid():
            top = self.blockBoundingGeometry(block).translated(offset).top()
            if top > bottom:
                break
            last = block
            block = block.next()
        end = last.position() + last.length() - 1
        return self.offsets.to_cp(first.position()), self.offsets.to_cp(end)

    def span_rects(self, span_id: int) -> list[QRectF]:
        """The span's text boxes (one per visual line) in viewport coordinates."""
        span = self.index.by_id.get(span_id)
        if span is None:
            return []
        return self._rects(span.start, span.end)

    def _rects(self, start: int, end: int) -> list[QRectF]:
        a, b = self.offsets.to_utf16(start), self.offsets.to_utf16(end)
        doc, offset = self.document(), self.contentOffset()
        rects: list[QRectF] = []
        block = doc.findBlock(a)
        while block.isValid() and block.position() < b:
            if block.isVisible() and block.layout() is not None and block.layout().lineCount():
                rects += self._block_rects(block, a, b, offset)
            block = block.next()
        return rects

    def _block_rects(self, block: QTextBlock, a: int, b: int, offset: QPointF) -> list[QRectF]:
        layout, pos = block.layout(), block.position()
        origin = self.blockBoundingGeometry(block).translated(offset).topLeft()
        lo, hi = max(a, pos) - pos, min(b, pos + block.length() - 1) - pos
        if hi <= lo:
            return []
        out: list[QRectF] = []
        first = layout.lineForTextPosition(lo).lineNumber()
        for n in range(max(first, 0), layout.lineCount()):
            line = layout.lineAt(n)
            ls, le = line.textStart(), line.textStart() + line.textLength()
            if ls >= hi:
                break
            x1, x2 = line.cursorToX(max(lo, ls))[0], line.cursorToX(min(hi, le))[0]
            if x2 <= x1:
                continue
            top = origin.y() + line.y() + line.ascent() - self._plain.ascent() - 1
            out.append(QRectF(origin.x() + x1, top, x2 - x1, self._plain.height() + 2))
        return out

    # ---- painting ----------------------------------------------------------------------------
    def paintEvent(self, e: QPaintEvent) -> None:
        a, b = self.visible_range()
        spans = self.index.overlapping(a, b)
        if self._drag and self._preview:
            (a0, b0), dragged = self._preview, self._drag[0]
            spans = [replace(s, start=a0, end=b0) if s.id == dragged else s for s in spans]
        levels = nesting_levels(spans)
        boxes = {s.id: self._rects(s.start, s.end) for s in spans}
        p = QPainter(self.viewport())
        try:  # a painter left open on the viewport would crash the backing store
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            for s in spans:
                self._paint_fill(p, s, boxes[s.id], levels[s.id])
        finally:
            p.end()
        super().paintEvent(e)  # the text itself, over the tints
        p = QPainter(self.viewport())
        try:
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            for s in spans:
                self._paint_marks(p, s, boxes[s.id], levels[s.id])
            self._paint_tags(p, spans, boxes)
            for paint in self.overlay_painters:
                paint(p, self)
        finally:
            p.end()

    def _inset(self, r: QRectF, level: int) -> QRectF:
        d = min(level * 2.0, r.height() / 3)
        return r.adjusted(0, d, 0, -d)

    def _paint_fill(self, p: QPainter, s: Span, rects: list[QRectF], level: int) -> None:
        colour = self._colours.get(s.label, UNKNOWN_LABEL)
        suggested = s.state == "suggested"
        alpha = self._theme.suggested_alpha if suggested else self._theme.accepted_alpha
        if s.id == self.state.selected_span:
            alpha = min(255, alpha + 70)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(tint(colour, alpha))
        for r in rects:
            p.drawRoundedRect(self._inset(r, level), 3, 3)

    def _paint_marks(self, p: QPainter, s: Span, rects: list[QRectF], level: int) -> None:
        colour = QColor(self._colours.get(s.label, UNKNOWN_LABEL))
        p.setBrush(Qt.BrushStyle.NoBrush)
        if s.state == "suggested":  # dashed outline: "the model thinks so", not yet decided
            pen = QPen(colour, 1.3, Qt.PenStyle.DashLine)
            pen.setDashPattern([3, 2])
            p.setPen(pen)
            for r in rects:
                p.drawRoundedRect(self._inset(r, level).adjusted(0.5, 0.5, -0.5, -0.5), 3, 3)
        else:  # accepted: a solid bar under the text, one level higher per nesting depth
            p.setPen(QPen(colour, 2.0))
            for r in rects:
                y = self._inset(r, level).bottom() - 1
                p.drawLine(QPointF(r.left() + 1, y), QPointF(r.right() - 1, y))
        if s.id == self.state.selected_span:
            p.setPen(QPen(QColor(self._theme.selection_outline), 2.0))
            for r in rects:
                p.drawRoundedRect(r.adjusted(-1, -1, 1, 1), 4, 4)

    def _paint_tags(self, p: QPainter, spans: list[Span], boxes: dict[int, list[QRectF]]) -> None:
        """Small label tags under the first box of each span, pushed right to avoid overlap."""
        p.setFont(self._tag_font)
        fm, h = self._tag_metrics, self._tag_metrics.height()
        placed: dict[int, float] = {}  # line y -> right edge of the last tag on it
        items = sorted(
            ((boxes[s.id][0].left(), s) for s in spans if boxes[s.id]),
            key=lambda item: (item[0], item[1].start, item[1].id),
        )
        for x, s in items:
            r = boxes[s.id][0]
            key = round(r.bottom())
            x = max(x, placed.get(key, -1e9) + 3)
            w = fm.horizontalAdvance(s.label) + 8
            tag = QRectF(x, r.bottom() + 1, w, h + 1)
            placed[key] = tag.right()
            colour = self._colours.get(s.label, UNKNOWN_LABEL)
            path = QPainterPath()
            path.addRoundedRect(tag, 3, 3)
            if s.state == "suggested":
                p.fillPath(path, tint(colour, 60))
                p.setPen(QPen(QColor(colour), 1.0, Qt.PenStyle.DashLine))
                p.drawPath(path)
                p.setPen(QColor(self._theme.text))
            else:
                p.fillPath(path, QColor(colour))
                p.setPen(ink_on(colour))
            p.drawText(tag, Qt.AlignmentFlag.AlignCenter, s.label)

    def _check_visible_range(self, *_: object) -> None:
        rng = self.visible_range()
        if rng != self._last_range:
            self._last_range = rng
            self.visibleRangeChanged.emit(*rng)

    # ---- mouse -------------------------------------------------------------------------------
    def span_at(self, pos: QPointF) -> Span | None:
        """The innermost span whose box contains the viewport point."""
        a, b = self.visible_range()
        hits = [
            s
            for s in self.index.overlapping(a, b)
            if any(r.contains(pos) for r in self._rects(s.start, s.end))
        ]
        return min(hits, key=lambda s: (s.end - s.start, s.start)) if hits else None

    def _edge_at(self, pos: QPointF) -> tuple[int, str] | None:
        a, b = self.visible_range()
        candidates = self.index.overlapping(a, b)
        sel = self.selected_span()
        if sel is not None:  # the selected span's edges win over its neighbours'
            candidates = [sel, *candidates]
        for s in candidates:
            rects = self._rects(s.start, s.end)
            if not rects:
                continue
            first, last = rects[0], rects[-1]
            if first.top() <= pos.y() <= first.bottom() and abs(pos.x() - first.left()) <= EDGE_GRAB_PX:
                return s.id, "start"
            if last.top() <= pos.y() <= last.bottom() and abs(pos.x() - last.right()) <= EDGE_GRAB_PX:
                return s.id, "end"
        return None

    def _cp_at(self, pos: QPointF) -> int:
        return self.offsets.to_cp(self.cursorForPosition(pos.toPoint()).position())

    def mousePressEvent(self, e: QMouseEvent) -> None:
        self._press_pos = e.position()
        if e.button() == Qt.MouseButton.LeftButton:
            edge = self._edge_at(e.position())
            if edge is not None:
                self._drag = edge
                span = self.index.by_id[edge[0]]
                self._preview = (span.start, span.end)
                self.select_span(edge[0])
                e.accept()
                return
        super().mousePressEvent(e)

    def mouseMoveEvent(self, e: QMouseEvent) -> None:
        if self._drag is not None:
            self._preview = self._dragged_bounds(e.position())
            self.viewport().update()
            e.accept()
            return
        near_edge = self._edge_at(e.position()) is not None
        self.viewport().setCursor(Qt.CursorShape.SizeHorCursor if near_edge else Qt.CursorShape.IBeamCursor)
        super().mouseMoveEvent(e)

    def mouseReleaseEvent(self, e: QMouseEvent) -> None:
        if self._drag is not None:
            span_id, _ = self._drag
            bounds = self._dragged_bounds(e.position())
            self._drag = self._preview = None
            span = self.index.by_id.get(span_id)
            if span is not None and bounds != (span.start, span.end):
                self.spanResizeRequested.emit(span_id, *bounds)
            self.viewport().update()
            e.accept()
            return
        super().mouseReleaseEvent(e)
        moved = self._press_pos is not None and ((e.position() - self._press_pos).manhattanLength() > 3)
        if e.button() == Qt.MouseButton.LeftButton and not moved and not self.textCursor().hasSelection():
            span = self.span_at(e.position())
            self.select_span(span.id if span else None)

    def mouseDoubleClickEvent(self, e: QMouseEvent) -> None:
        super().mouseDoubleClickEvent(e)  # selects the word: a label key then makes a span
        self.select_span(None)

    def _dragged_bounds(self, pos: QPointF) -> tuple[int, int]:
        assert self._drag is not None
        span = self.index.by_id[self._drag[0]]
        cp = self._cp_at(pos)
        if self._drag[1] == "start":
            start = min(self._snapper(cp, cp + 1)[0] if cp < span.end else cp, span.end - 1)
            return max(0, start), span.end
        end = max(self._snapper(max(cp - 1, 0), cp)[1] if cp > span.start else cp, span.start + 1)
        return span.start, min(end, self.offsets.length_cp)

    # ---- helpers for tests -------------------------------------------------------------------
    def point_of(self, cp: int) -> QPointF:
        """Viewport point in the middle of the character at code point ``cp``."""
        cur = QTextCursor(self.document())
        cur.setPosition(self.offsets.to_utf16(cp))
        left = self.cursorRect(cur)
        cur.setPosition(self.offsets.to_utf16(min(cp + 1, self.offsets.length_cp)))
        right = self.cursorRect(cur)
        x = (left.x() + right.x()) / 2 if right.y() == left.y() else left.x() + 2
        return QPointF(x, left.center().y())

