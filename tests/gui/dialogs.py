"""Answer a modal dialog with real clicks, from a timer (``exec`` blocks the test)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QCheckBox


def answer_modal(qtbot: Any, button: str, *, tick: str = "", seen: list[str] | None = None) -> None:
    """When the next modal dialog shows, tick the checkbox ``tick`` and click ``button``
    (texts without '&'); its main text goes into ``seen``."""

    def act(tries: int = 0) -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            if tries < 100:
                QTimer.singleShot(20, lambda: act(tries + 1))
            return
        if seen is not None:
            seen.append(getattr(box, "text", lambda: "")())
        for b in box.findChildren(QCheckBox):
            if tick and b.text().replace("&", "") == tick:
                qtbot.mouseClick(b, Qt.MouseButton.LeftButton)
        for b in box.findChildren(QAbstractButton):
            if not isinstance(b, QCheckBox) and b.text().replace("&", "") == button:
                qtbot.mouseClick(b, Qt.MouseButton.LeftButton)
                return
        box.close()

    QTimer.singleShot(0, act)
