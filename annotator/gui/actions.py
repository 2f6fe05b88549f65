"""Every command of the window in one table: id, text, shortcuts, menu, where it applies.

The main window builds its menus, toolbar and shortcuts from ``ACTIONS`` and connects
handlers by id, so a shortcut is changed here and nowhere else (docs/keyboard.md
documents the same table). Label keys come from the project's schema.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence

from annotator.core.schema import Schema

WINDOW, TEXT = "window", "text"  # shortcut scope: anywhere in the window, or the text view


@dataclass(frozen=True)
class ActionSpec:
    id: str
    text: str
    shortcuts: tuple[str, ...] = ()
    menu: str = ""  # "File", "Edit", "View", "Document", "Help"; "" = no menu entry
    scope: str = WINDOW
    checkable: bool = False
    toolbar: bool = False
    tip: str = ""


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("open_project", "&Open Project...", ("Ctrl+O",), "File", toolbar=True),
    ActionSpec(
        "import_files",
        "&Import Files...",
        ("Ctrl+I",),
        "File",
        toolbar=True,
        tip="Import text, HTML, JSONL or CSV files (or drop them on the window)",
    ),
    ActionSpec(
        "preannotate",
        "&Pre-annotate...",
        ("Ctrl+Shift+P",),
        "File",
        toolbar=True,
        tip="Suggest entities with the spaCy model",
    ),
    ActionSpec("export", "&Export...", ("Ctrl+E",), "File", toolbar=True),
    ActionSpec("quit", "&Quit", ("Ctrl+Q",), "File"),
    ActionSpec("undo", "&Undo", ("Ctrl+Z",), "Edit", toolbar=True),
    ActionSpec("redo", "&Redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "Edit", toolbar=True),
    ActionSpec("delete_span", "&Delete Span", ("Delete", "Backspace"), "Edit", TEXT),
    ActionSpec("accept_span", "&Accept Suggestion", ("Return", "Enter"), "Edit", TEXT),
    ActionSpec("extend_end", "Extend End by a Token", ("Shift+Right",), "Edit", TEXT),
    ActionSpec("shrink_end", "Shrink End by a Token", ("Shift+Left",), "Edit", TEXT),
    ActionSpec("extend_start", "Extend Start by a Token", ("Ctrl+Shift+Left",), "Edit", TEXT),
    ActionSpec("shrink_start", "Shrink Start by a Token", ("Ctrl+Shift+Right",), "Edit", TEXT),
    ActionSpec("next_span", "Next Span", ("Tab",), "Edit", TEXT),
    ActionSpec("prev_span", "Previous Span", ("Shift+Tab",), "Edit", TEXT),
    ActionSpec("deselect", "Clear Selection", ("Escape",), "", TEXT),
    ActionSpec("find", "&Find...", ("Ctrl+F",), "Edit", toolbar=True),
    ActionSpec("link_actor", "Mention's &Actor...", ("A",), "Edit", TEXT,
               tip="Show, accept or change the actor of the selected mention (Actors dock)"),
    ActionSpec("reject_link", "Reject Suggested Actor", ("Shift+A",), "Edit", TEXT),
    ActionSpec(
        "done_next",
        "Mark &Done, Open Next",
        ("Ctrl+Return", "Ctrl+Enter"),
        "Document",
        toolbar=True,
        tip="Accept remaining suggestions, mark done, open the next document",
    ),
    ActionSpec("accept_all", "Accept All Suggestions", ("Ctrl+Shift+A",), "Document"),
    ActionSpec("next_doc", "&Next Document", ("Ctrl+PgDown",), "Document"),
    ActionSpec("prev_doc", "&Previous Document", ("Ctrl+PgUp",), "Document"),
    ActionSpec(
        "snap_tokens",
        "&Snap to Tokens",
        ("Ctrl+T",),
        "View",
        checkable=True,
        tip="Spans cover whole tokens (off: exact characters)",
    ),
    ActionSpec("actor_graph", "Actor &Graph", ("Ctrl+Shift+G",), "View",
               tip="Who does what to whom across the corpus"),
    ActionSpec("dark_theme", "&Dark Theme", ("Ctrl+Shift+D",), "View", checkable=True),
    ActionSpec("zoom_in", "&Larger Text", ("Ctrl++", "Ctrl+="), "View"),
    ActionSpec("zoom_out", "S&maller Text", ("Ctrl+-",), "View"),
    ActionSpec(
        "open_package",
        "Open &Work Package...",
        (),
        "Team",
        tip="Open a .annpack file a coordinator sent you",
    ),
    ActionSpec("agreement", "&Agreement Report...", (), "Team",
               tip="Span F1, token kappa and relation F1 between annotators"),
    ActionSpec("adjudicate", "A&djudicate Document...", (), "Team",
               tip="Compare annotators' versions of this document and choose the gold one"),
    ActionSpec("keyboard_help", "&Keyboard and Mouse", ("F1",), "Help"),
    ActionSpec("about", "&About", (), "Help"),
)
MENUS = ("File", "Edit", "Document", "View", "Team", "Help")


def build_actions(parent: QObject) -> dict[str, QAction]:
    actions: dict[str, QAction] = {}
    for spec in ACTIONS:
        a = QAction(spec.text, parent)
        a.setObjectName(spec.id)
        a.setShortcuts([QKeySequence(s) for s in spec.shortcuts])
        a.setCheckable(spec.checkable)
        a.setToolTip(spec.tip or spec.text.replace("&", "").rstrip("."))
        if spec.scope == TEXT:  # only while the text view has focus (typing elsewhere is free)
            a.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        actions[spec.id] = a
    return actions


def label_actions(schema: Schema, parent: QObject) -> dict[str, QAction]:
    """One action per entity label, its shortcut the schema key (1-9, 0)."""
    out: dict[str, QAction] = {}
    for e in schema.entities:
        a = QAction(f"{e.name}", parent)
        a.setObjectName(f"label:{e.name}")
        if e.key:
            a.setShortcut(QKeySequence(e.key))
        a.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        a.setToolTip(e.description or e.name)
        out[e.name] = a
    return out


def spec(action_id: str) -> ActionSpec:
    return next(s for s in ACTIONS if s.id == action_id)
