"""Small drawing helpers shared by the arc overlay and the drag gesture."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QPolygonF

from annotator.gui.state.arc_layout import Rect

HIGHLIGHT = QColor("#1F6FEB")  # a relation's ends, and the drag's target
HIGHLIGHT_FILL = QColor(31, 111, 235, 40)


def highlight(p: QPainter, r: Rect) -> None:
    """The blue box around a span that is an end of the selected relation (or the target)."""
    p.setPen(QPen(HIGHLIGHT, 2))
    p.setBrush(HIGHLIGHT_FILL)
    p.drawRoundedRect(QRectF(r.x - 2, r.y - 1, r.w + 4, r.h + 2), 3, 3)


def arrow(p: QPainter, frm: tuple[float, float], to: tuple[float, float], size: float) -> None:
    """A filled arrowhead at ``to`` pointing away from ``frm``."""
    ang = math.atan2(to[1] - frm[1], to[0] - frm[0])
    tip = QPointF(*to)
    left = QPointF(to[0] - size * math.cos(ang - 0.45), to[1] - size * math.sin(ang - 0.45))
    right = QPointF(to[0] - size * math.cos(ang + 0.45), to[1] - size * math.sin(ang + 0.45))
    p.drawPolygon(QPolygonF([tip, left, right]))


def rounded_route(points: list[tuple[float, float]], radius: float) -> QPainterPath:
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


def short(text: str, n: int = 28) -> str:
    """``text`` on one line, cut to ``n`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "\u2026"


def esc(text: str) -> str:
    """Escape for Qt rich text (labels that show span text in bold)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
