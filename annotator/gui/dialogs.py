"""Small dialogs: the annotator's name on first start, the keyboard help, about."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from annotator import __version__
from annotator.gui.actions import ACTIONS


def ask_annotator_name(parent: QWidget | None = None) -> str | None:
    name, ok = QInputDialog.getText(
        parent, "Welcome", "Your name (recorded with every edit you make):"
    )
    return name.strip() if ok and name.strip() else None


def keyboard_help_html() -> str:
    rows = "".join(
        f"<tr><td><b>{' / '.join(s.shortcuts)}</b></td><td>{s.text.replace('&', '')}</td></tr>"
        for s in ACTIONS
        if s.shortcuts
    )
    mouse = (
        "<p>Select text (drag, or double-click a word) and press a label key (1-9, 0) to make"
        " a span. Click a span to select it; a label key relabels it. Drag a span's left or"
        " right edge to resize it. Suggestions (dashed) are accepted with Enter, by"
        " relabelling, or all at once with Ctrl+Enter.</p>"
        "<p>Relations: select the head span and press R, type to find the child, Enter, then"
        " type or pick the relation type, Enter (Esc closes). Or drag from the selected span"
        " (Alt+drag from any span) and release on the child. Right-click an arc's label or a"
        " row of the Relations table to edit it.</p>"
    )
    return f"{mouse}<table cellspacing=6>{rows}</table>"


def show_keyboard_help(parent: QWidget | None) -> None:
    QMessageBox.information(parent, "Keyboard and mouse", keyboard_help_html())


def show_about(parent: QWidget | None) -> None:
    QMessageBox.about(
        parent,
        "About Geo Annotator",
        f"<b>Geo Annotator</b> {__version__}<br>Entities and relations in"
        " geopolitical news. Every edit is saved at once.",
    )
