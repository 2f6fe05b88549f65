"""Every match of the find bar highlighted in the text view (only those on screen are
painted: a 1 MB document with 10,000 matches costs what is visible)."""

from __future__ import annotations

from bisect import bisect_left

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter, QPen

from annotator.core.queries import Match
from annotator.gui.docks.find_bar import FindBar
from annotator.gui.text.view import SpanTextView

FILL, EDGE = QColor(255, 200, 0, 70), QColor(230, 160, 0)


class MatchHighlighter:
    def __init__(self, view: SpanTextView, bar: FindBar) -> None:
        self.view = view
        self.ranges: list[tuple[int, int]] = []
        view.overlay_painters.append(self.paint)
        bar.matchesChanged.connect(self.set_matches)

    def set_matches(self, matches: list[Match]) -> None:
        self.ranges = sorted((m.start, m.end) for m in matches)
        self.view.viewport().update()

    def visible(self) -> list[tuple[int, int]]:
        a, b = self.view.visible_range()
        i = bisect_left(self.ranges, (a - 200, 0))  # a match is short: start near the top
        j = bisect_left(self.ranges, (b, 0))
        return [r for r in self.ranges[i:j] if r[1] > a]

    def paint(self, p: QPainter, view: SpanTextView) -> None:
        if not self.ranges:
            return
        p.setPen(QPen(EDGE, 1.0, Qt.PenStyle.DotLine))
        p.setBrush(FILL)
        for start, end in self.visible():
            for r in view._rects(start, end):  # noqa: SLF001 - the view's own geometry helper
                p.drawRect(r)
