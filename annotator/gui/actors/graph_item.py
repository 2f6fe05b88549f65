"""The actor graph as ONE QGraphicsItem: edges and nodes painted in batches, hit-tested
with numpy.

Thousands of nodes and tens of thousands of edges as separate QGraphicsItems make every
scene change slow (each item is indexed, each paint a Python call); here one item keeps
the edges as per-colour/width line lists (``QPainter.drawLines``), nodes as arrays, and
answers "what is under the mouse" by vectorised distance, so a filter change only
rebuilds a few lists.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from annotator.core.actor_graph import ActorNode, Edge

QUAD_COLOURS = {
    "verbal cooperation": "#4CAF50",
    "material cooperation": "#1B5E20",
    "verbal conflict": "#FB8C00",
    "material conflict": "#D32F2F",
    "standing": "#90A4AE",
}
SCALE = 420.0  # layout units -> scene pixels (times sqrt of the node count / 10, at least 1)
LABELS_SHOWN = 60  # names drawn at any zoom; more appear as you zoom in


class GraphItem(QGraphicsItem):
    def __init__(self, colours: Mapping[str, str]) -> None:
        super().__init__()
        self.label_colours = {k: QColor(v) for k, v in colours.items()}
        self.nodes: list[ActorNode] = []
        self.xy = np.zeros((0, 2))
        self.radius = np.zeros(0)
        self.index: dict[int, int] = {}
        self.edges: list[Edge] = []
        self.segments = np.zeros((0, 4))
        self.batches: dict[tuple[str, int], list[QLineF]] = {}
        self.arrows = QPainterPath()
        self.selected_edge: int | None = None
        self.selected_node: int | None = None
        self._rect = QRectF(-100, -100, 200, 200)
        self._font = QFont()
        self._font.setPointSizeF(8)

    # ---- data ----------------------------------------------------------------------------
    def set_graph(self, nodes: list[ActorNode], pos: Mapping[int, tuple[float, float]],
                  edges: list[Edge]) -> None:
        self.prepareGeometryChange()
        scale = SCALE * max(1.0, math.sqrt(len(nodes)) / 10)
        self.nodes = sorted(nodes, key=lambda n: -n.mentions)
        self.index = {n.id: i for i, n in enumerate(self.nodes)}
        self.xy = np.array([pos[n.id] for n in self.nodes], dtype=float).reshape(-1, 2) * scale
        self.radius = 4 + 2.2 * np.log2(1 + np.array([n.mentions for n in self.nodes], dtype=float))
        index = self.index
        self.edges = [e for e in edges if e.head != e.child and e.head in index and e.child in index]
        self._build_lines()
        self.selected_edge = self.selected_node = None
        if len(self.xy):
            lo, hi = self.xy.min(axis=0) - 60, self.xy.max(axis=0) + 60
            self._rect = QRectF(lo[0], lo[1], hi[0] - lo[0], hi[1] - lo[1])
        self.update()

    def _build_lines(self) -> None:
        """All segments at once (numpy); parallel types between one pair sit side by side
        (a fixed sideways offset per type), so each stays visible and clickable."""
        self.batches = defaultdict(list)
        self.arrows = QPainterPath()
        n = len(self.edges)
        if not n:
            self.segments = np.zeros((0, 4))
            return
        index, types = self.index, {}
        heads = np.fromiter((index[e.head] for e in self.edges), dtype=np.int64, count=n)
        childs = np.fromiter((index[e.child] for e in self.edges), dtype=np.int64, count=n)
        slot = np.fromiter((types.setdefault(e.type, len(types)) for e in self.edges),
                           dtype=np.int64, count=n)
        counts = np.fromiter((e.count for e in self.edges), dtype=np.int64, count=n)
        p1, p2 = self.xy[heads], self.xy[childs]
        d = p2 - p1
        length = np.maximum(np.hypot(d[:, 0], d[:, 1]), 1e-9)[:, None]
        unit = d / length
        normal = np.stack([-unit[:, 1], unit[:, 0]], axis=1)
        off = ((slot % 5) - 2)[:, None] * 3.0
        self.segments = np.concatenate([p1 + normal * off, p2 + normal * off], axis=1)
        lines = [QLineF(*row) for row in self.segments.tolist()]
        widths = (1 + np.minimum(5, np.floor(np.log2(counts)))).astype(int).tolist()
        for line, e, w in zip(lines, self.edges, widths, strict=True):
            self.batches[(e.quad, w)].append(line)
        if n <= 3000:  # arrowheads (direction) while they stay readable
            tips = self.segments[:, 2:] - unit * self.radius[childs][:, None]
            for (tx, ty), (ux, uy) in zip(tips.tolist(), unit.tolist(), strict=True):
                self.arrows.moveTo(tx, ty)
                self.arrows.lineTo(tx - 7 * ux + 3 * uy, ty - 7 * uy - 3 * ux)
                self.arrows.lineTo(tx - 7 * ux - 3 * uy, ty - 7 * uy + 3 * ux)
                self.arrows.closeSubpath()

    # ---- hit testing ---------------------------------------------------------------------
    def node_at(self, p: QPointF, *, slack: float = 2.0) -> int | None:
        if not len(self.xy):
            return None
        d = np.hypot(self.xy[:, 0] - p.x(), self.xy[:, 1] - p.y()) - self.radius
        i = int(np.argmin(d))
        return self.nodes[i].id if d[i] <= slack else None

    def edge_at(self, p: QPointF, *, tolerance: float = 4.0) -> int | None:
        """Index into ``edges`` of the segment nearest to ``p`` within ``tolerance``."""
        if not len(self.segments):
            return None
        a, b = self.segments[:, :2], self.segments[:, 2:]
        ab = b - a
        t = np.clip(((p.x() - a[:, 0]) * ab[:, 0] + (p.y() - a[:, 1]) * ab[:, 1])
                    / np.maximum((ab ** 2).sum(axis=1), 1e-9), 0, 1)
        near = a + ab * t[:, None]
        d = np.hypot(near[:, 0] - p.x(), near[:, 1] - p.y())
        i = int(np.argmin(d))
        return i if d[i] <= tolerance else None

    def edge_point(self, k: int) -> QPointF:
        x1, y1, x2, y2 = self.segments[k]
        return QPointF((x1 + x2) / 2, (y1 + y2) / 2)

    def node_point(self, actor_id: int) -> QPointF:
        x, y = self.xy[self.index[actor_id]]
        return QPointF(x, y)

    # ---- painting ------------------------------------------------------------------------
    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        zoom = painter.worldTransform().m11() or 1.0
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, len(self.edges) < 5000)
        for (quad, width), lines in self.batches.items():
            colour = QColor(QUAD_COLOURS.get(quad, QUAD_COLOURS["standing"]))
            colour.setAlpha(200)
            pen = QPen(colour, width)
            pen.setCosmetic(width == 1)
            if quad == "standing":
                pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawLines(lines)
        if not self.arrows.isEmpty():
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(80, 80, 80, 170))
            painter.drawPath(self.arrows)
        if self.selected_edge is not None and self.selected_edge < len(self.segments):
            painter.setPen(QPen(QColor("#1565C0"), 4))
            painter.drawLine(QLineF(*self.segments[self.selected_edge]))
        outline = QPen(QColor(255, 255, 255), 1)
        outline.setCosmetic(True)
        painter.setPen(outline)
        default = QColor("#777777")
        for i, n in enumerate(self.nodes):
            painter.setBrush(QBrush(self.label_colours.get(n.label, default)))
            r = self.radius[i]
            painter.drawEllipse(QPointF(*self.xy[i]), r, r)
        painter.setFont(self._font)
        painter.setPen(QColor("#202124"))
        shown = LABELS_SHOWN if zoom < 1.5 else LABELS_SHOWN * 4
        for i, n in enumerate(self.nodes[:shown]):
            x, y = self.xy[i]
            painter.drawText(QPointF(x + self.radius[i] + 2, y + 3), n.name)
        if self.selected_node is not None and self.selected_node in self.index:
            i = self.index[self.selected_node]
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(QColor("#1565C0"), 3))
            painter.drawEllipse(QPointF(*self.xy[i]), self.radius[i] + 3, self.radius[i] + 3)
