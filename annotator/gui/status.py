"""Status bar: who is annotating, the model's state and whether the last edit is saved;
and the banner above the text for what the annotator must know (no spaCy model...)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QWidget

BANNER_STYLE = ("QLabel#banner { background: #FFF3CD; color: #664D03; padding: 6px 10px;"
                " border-bottom: 1px solid #E0C36C; }")


def make_banner() -> QLabel:
    """A hidden, word-wrapped notice bar; ``setText`` + ``show`` when there is news."""
    banner = QLabel()
    banner.setObjectName("banner")
    banner.setWordWrap(True)
    banner.setStyleSheet(BANNER_STYLE)
    banner.hide()
    return banner


class AppStatusBar(QStatusBar):
    def __init__(self, annotator: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.who = QLabel(f"Annotator: {annotator}")
        self.model = QLabel("Model: idle")
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(140)
        self.progress.setMaximumHeight(14)
        self.progress.hide()
        self.saved = QLabel("All changes saved")
        for w in (self.who, self.model, self.progress, self.saved):
            self.addPermanentWidget(w)

    def set_saved(self) -> None:
        self.saved.setStyleSheet("")
        self.saved.setText(f"Saved {datetime.now():%H:%M:%S}")

    def set_failed(self, reason: str) -> None:
        self.saved.setStyleSheet("color: #c0392b;")
        self.saved.setText("Edit refused")
        self.showMessage(reason, 6000)

    def set_model_state(self, text: str, *, progress: tuple[int, int] | None = None) -> None:
        self.model.setText(f"Model: {text}")
        self.progress.setVisible(progress is not None)
        if progress is not None:
            self.progress.setRange(0, max(progress[1], 1))
            self.progress.setValue(progress[0])
