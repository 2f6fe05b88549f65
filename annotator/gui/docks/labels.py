"""The label palette: each label's colour, name and key; clicking one applies it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from annotator.core.schema import Schema
from annotator.gui.theme import ink_on


class LabelPalette(QWidget):
    labelChosen = Signal(str)

    def __init__(self, schema: Schema, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lay = lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.setSpacing(3)
        self.chips: list[tuple[QPushButton, str]] = []
        self.compact = False
        for e in schema.entities:
            b = QPushButton(f"  {e.key or ' '}    {e.name}")
            b.setObjectName(f"palette:{e.name}")
            b.setToolTip(f"{e.description}\nKey: {e.key}" if e.key else e.description)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keep focus (and keys) in the text
            b.setStyleSheet(_chip(e.color))
            b.clicked.connect(lambda _=False, name=e.name: self.labelChosen.emit(name))
            lay.addWidget(b)
            self.chips.append((b, e.color))
        lay.addStretch(1)

    def set_compact(self, on: bool) -> bool:
        """Thinner chips on a short screen (1024x700): the tabs below keep room for rows.
        Returns whether anything changed (sizes settle after the next layout pass)."""
        if on == self.compact:
            return False
        self.compact = on
        self.lay.setSpacing(1 if on else 3)
        for b, colour in self.chips:
            b.setStyleSheet(_chip(colour, pad=1 if on else 4))
        return True


def _chip(colour: str, *, pad: int = 4) -> str:
    ink = ink_on(colour).name()
    return (
        f"QPushButton {{ text-align: left; padding: {pad}px 8px; border-radius: 4px;"
        f" background: {colour}; color: {ink}; font-weight: 600; border: none; }}"
        f" QPushButton:hover {{ border: 2px solid palette(highlight); }}"
    )
