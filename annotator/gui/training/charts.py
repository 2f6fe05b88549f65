"""Two small charts drawn with QPainter (no plotting dependency): per-label F of the base and
the trained model side by side, and the learning curve (F by share of training documents)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

BASE_COLOUR = QColor("#9aa0a6")
TRAINED_COLOUR = QColor("#1f77b4")
AXIS = QColor("#666666")


class BarChart(QWidget):
    """Grouped bars: for each label, base F (grey) and trained F (blue), 0..1."""

    def __init__(self, rows: Sequence[tuple[str, float, float]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows = list(rows)  # (label, base F, trained F)
        self.setMinimumHeight(180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(max(360, 56 * len(self.rows)), 220)

    def paintEvent(self, _event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        left, top, bottom = 30, 18, 34
        w, h = self.width() - left - 8, self.height() - top - bottom
        p.setPen(QPen(AXIS))
        p.drawLine(left, top + h, left + w, top + h)
        for tick in (0.0, 0.5, 1.0):
            y = top + h * (1 - tick)
            p.drawText(QRectF(0, y - 8, left - 4, 16), Qt.AlignmentFlag.AlignRight, f"{tick:.1f}")
        n = max(1, len(self.rows))
        slot = w / n
        bar = max(4.0, slot * 0.35)
        for i, (label, base_f, trained_f) in enumerate(self.rows):
            x = left + i * slot + slot / 2
            for j, (value, colour) in enumerate(((base_f, BASE_COLOUR), (trained_f, TRAINED_COLOUR))):
                bh = h * max(0.0, min(1.0, value))
                p.fillRect(QRectF(x - bar + j * bar, top + h - bh, bar - 1, bh), colour)
            p.setPen(QPen(AXIS))
            font = p.font()
            font.setPointSizeF(max(6.0, font.pointSizeF() * 0.8))
            p.save()
            p.setFont(font)
            text = p.fontMetrics().elidedText(label, Qt.TextElideMode.ElideRight, int(slot))
            p.drawText(QRectF(x - slot / 2, top + h + 2, slot, 16), Qt.AlignmentFlag.AlignCenter,
                       text)
            p.restore()
        p.fillRect(QRectF(left + 4, 2, 10, 10), BASE_COLOUR)
        p.drawText(QPointF(left + 18, 11), "base")
        p.fillRect(QRectF(left + 60, 2, 10, 10), TRAINED_COLOUR)
        p.drawText(QPointF(left + 74, 11), "trained")
        p.end()


class CurveChart(QWidget):
    """Held-out F (all labels, and the base's labels) over 25/50/75/100% of the documents."""

    def __init__(self, points: Sequence[tuple[int, float, float]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.points = list(points)  # (percent, F, F on the base's labels)
        self.setMinimumHeight(150)

    def sizeHint(self) -> QSize:
        return QSize(360, 180)

    def paintEvent(self, _event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        left, top, bottom = 30, 18, 28
        w, h = self.width() - left - 26, self.height() - top - bottom
        p.setPen(QPen(AXIS))
        p.drawLine(left, top + h, left + w, top + h)
        p.drawLine(left, top, left, top + h)
        for tick in (0.0, 0.5, 1.0):
            y = top + h * (1 - tick)
            p.drawText(QRectF(0, y - 8, left - 4, 16), Qt.AlignmentFlag.AlignRight, f"{tick:.1f}")
        if not self.points:
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "no learning curve")
            p.end()
            return

        def at(percent: float, f: float) -> QPointF:
            return QPointF(left + w * percent / 100, top + h * (1 - max(0.0, min(1.0, f))))

        for k, colour in ((1, TRAINED_COLOUR), (2, BASE_COLOUR)):
            p.setPen(QPen(colour, 2))
            pts = [at(pt[0], pt[k]) for pt in self.points]
            for a, b in zip(pts, pts[1:], strict=False):
                p.drawLine(a, b)
            for pt in pts:
                p.drawEllipse(pt, 3, 3)
        p.fillRect(QRectF(left + 4, 2, 10, 10), TRAINED_COLOUR)
        p.setPen(QPen(AXIS))
        p.drawText(QPointF(left + 18, 11), "all labels")
        p.fillRect(QRectF(left + 90, 2, 10, 10), BASE_COLOUR)
        p.drawText(QPointF(left + 104, 11), "base's labels")
        for percent, *_ in self.points:
            p.drawText(QRectF(left + w * percent / 100 - 20, top + h + 2, 40, 16),
                       Qt.AlignmentFlag.AlignCenter, f"{percent}%")
        p.end()
