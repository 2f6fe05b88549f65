"""Keep the text the widest thing in the window: on a small screen (1024x700) the docks
shrink so the text column keeps at least half the width, and the Labels dock (the number
keys do the same) collapses when even their narrowest sizes do not leave it half; on a short
window its chips get thinner. A side
dock whose content is tall (the Actors form and table) scrolls inside its dock instead of
pushing the window past a 700-pixel-high screen."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QFrame, QMainWindow, QScrollArea

TEXT_SHARE = 0.5  # of the window width, at least
SLACK = 24  # separators and frames between the docks and the text
TALL = 200  # px: a side dock's content taller than this scrolls (tabbed docks take the tallest)
SHORT = 780  # px: a window lower than this (a 1024x700 screen) gets thinner label chips


class TextFirst(QObject):
    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.collapsed: list[QDockWidget] = []
        window.installEventFilter(self)

    def eventFilter(self, obj: QObject, ev: QEvent) -> bool:
        if obj is self.window and ev.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            QTimer.singleShot(0, self.fit)
        return False

    def _side(self, area: Qt.DockWidgetArea) -> list[QDockWidget]:
        w = self.window
        return [d for d in w.findChildren(QDockWidget)
                if d.isVisible() and not d.isFloating() and w.dockWidgetArea(d) == area]

    def fit(self) -> None:
        w = self.window
        self._restore()
        self._compact_labels()
        for dock in self._side(Qt.DockWidgetArea.BottomDockWidgetArea):  # forms never clipped
            need = dock.minimumSizeHint().height()
            if dock.height() < need:
                w.resizeDocks([dock], [need], Qt.Orientation.Vertical)
        budget = int(w.width() * (1 - TEXT_SHARE)) - SLACK
        central = w.centralWidget()
        if central is None or central.width() >= w.width() * TEXT_SHARE:
            return
        left = self._side(Qt.DockWidgetArea.LeftDockWidgetArea)
        right = self._side(Qt.DockWidgetArea.RightDockWidgetArea)
        need = sum(_narrowest(s) for s in (left, right))
        labels = getattr(w, "dock_labels", None)
        if need > budget and labels is not None and labels.isVisible():
            labels.hide()  # View > Labels brings it back
            self.collapsed.append(labels)
            right = self._side(Qt.DockWidgetArea.RightDockWidgetArea)
            need = sum(_narrowest(s) for s in (left, right))
        spare = max(0, budget - need)
        for side, share in ((left, 0.45), (right, 0.55)):
            if side:
                width = _narrowest(side) + int(spare * share)
                w.resizeDocks(side, [width] * len(side), Qt.Orientation.Horizontal)


    def _compact_labels(self) -> None:
        """On a short window the label chips get thinner and their dock no more height than
        they need, so the Entities / Actors / Memory tabs below keep room for their rows."""
        w = self.window
        palette, labels = getattr(w, "palette_panel", None), getattr(w, "dock_labels", None)
        if palette is None or labels is None:
            return
        short = w.height() < SHORT
        if palette.set_compact(short):
            QTimer.singleShot(0, self.fit)  # the chips' new sizes count after this pass
        if short and labels.isVisible() and not labels.isFloating():
            w.resizeDocks([labels], [labels.minimumSizeHint().height()], Qt.Orientation.Vertical)

    def _restore(self) -> None:
        """Docks this folded away come back once the window is wide enough for them again
        (the Labels dock shares the right-hand column)."""
        if not self.collapsed:
            return
        w = self.window
        budget = int(w.width() * (1 - TEXT_SHARE)) - SLACK
        left = self._side(Qt.DockWidgetArea.LeftDockWidgetArea)
        right = self._side(Qt.DockWidgetArea.RightDockWidgetArea)
        if _narrowest(left) + _narrowest(right + self.collapsed) <= budget:
            for dock in self.collapsed:
                dock.show()
            self.collapsed.clear()


def _narrowest(docks: list[QDockWidget]) -> int:
    """The width a side of docks cannot go under (docks side by side stack vertically)."""
    return max((d.minimumSizeHint().width() for d in docks), default=0)


def scroll_tall_docks(window: QMainWindow) -> list[QDockWidget]:
    """Put the content of each tall side dock (not Labels: it collapses) in a scroll area."""
    sides = (Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea)
    wrapped = []
    for dock in window.findChildren(QDockWidget):
        inner = dock.widget()
        if (inner is None or isinstance(inner, QScrollArea) or dock is getattr(window, "dock_labels", None)
                or window.dockWidgetArea(dock) not in sides or inner.minimumSizeHint().height() <= TALL):
            continue
        area = QScrollArea()
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setWidgetResizable(True)
        area.setWidget(inner)
        dock.setWidget(area)
        wrapped.append(dock)
    return wrapped


def install_layout_fit(window: QMainWindow) -> TextFirst:
    scroll_tall_docks(window)
    return TextFirst(window)
