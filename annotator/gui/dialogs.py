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
        " right edge to resize it. Suggestions (dashed) are accepted with Enter or by"
        " relabelling; Ctrl+Enter finishes the document and asks before accepting"
        " suggestions you have not looked at.</p>"
        "<p><b>Relations</b>: select the head span and press <b>R</b>, type to pick the other"
        " end (Enter), then its type (Enter); Esc closes the picker. Or drag from the"
        " selected span to another one (<b>Alt</b>+drag starts on any span). Click an arc's"
        " label to select the relation, Delete removes it; right-click an arc's label or a row"
        " of the Relations table to edit it.</p>"
        "<p><b>Find</b> (Ctrl+F): Enter / F3 next match, Shift+Enter / Shift+F3 previous;"
        " Label all labels every match of the text in the box.</p>"
    )
    extra = (("Alt+drag", "Relation from any span to another"),
             ("1-9, 0", "Label the selection, or relabel the selected span"))
    rows += "".join(f"<tr><td><b>{k}</b></td><td>{t}</td></tr>" for k, t in extra)
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
