"""Every command of the window in one table: id, text, shortcuts, menu, scope, enable rule.

The main window builds its menus, toolbar and shortcuts from ``ACTIONS`` and connects
handlers by id (``Act``, an enum: a typo fails at import, not at click time); the
relations (R, Relation Types, Delete Relations) are in the same table, so F1 lists every
shortcut and docs/keyboard.md documents one table. ``needs`` says when an action is
enabled. Label keys (1-9, 0) come from the project's schema (``label_actions``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence

from annotator.core.schema import Schema

# shortcut scope: anywhere in the window, the text view, or the relations table
WINDOW, TEXT, RELATIONS = "window", "text", "relations"


class Act(StrEnum):
    """Action ids (also the QAction object names)."""

    OPEN_PROJECT = "open_project"
    IMPORT_FILES = "import_files"
    PREANNOTATE = "preannotate"
    EXPORT = "export"
    QUIT = "quit"
    UNDO = "undo"
    REDO = "redo"
    DELETE_SPAN = "delete_span"
    ACCEPT_SPAN = "accept_span"
    EXTEND_END = "extend_end"
    SHRINK_END = "shrink_end"
    EXTEND_START = "extend_start"
    SHRINK_START = "shrink_start"
    NEXT_SPAN = "next_span"
    PREV_SPAN = "prev_span"
    DESELECT = "deselect"
    FIND = "find"
    ADD_RELATION = "add_relation"
    DELETE_RELATIONS = "delete_relations"
    RELATION_TYPES = "relation_types"
    DONE_NEXT = "done_next"
    ACCEPT_ALL = "accept_all"
    NEXT_DOC = "next_doc"
    PREV_DOC = "prev_doc"
    SNAP_TOKENS = "snap_tokens"
    DARK_THEME = "dark_theme"
    ZOOM_IN = "zoom_in"
    ZOOM_OUT = "zoom_out"
    OPEN_PACKAGE = "open_package"
    AGREEMENT = "agreement"
    ADJUDICATE = "adjudicate"
    KEYBOARD_HELP = "keyboard_help"
    ABOUT = "about"


class Needs(StrEnum):
    """When an action is enabled."""

    NOTHING = "nothing"  # always
    SPAN = "span"  # a span is selected (else Shift+arrows select text again)
    SUGGESTION = "suggestion"  # the selected span is a suggestion
    RELATION = "relation"  # a relation is selected


@dataclass(frozen=True)
class ActionSpec:
    id: Act
    text: str
    shortcuts: tuple[str, ...] = ()
    menu: str = ""  # one of MENUS; "" = no menu entry
    scope: str = WINDOW
    checkable: bool = False
    toolbar: bool = False
    tip: str = ""
    needs: Needs = Needs.NOTHING
    separator_before: bool = False  # in its menu


A = ActionSpec
ACTIONS: tuple[ActionSpec, ...] = (
    A(Act.OPEN_PROJECT, "&Open Project...", ("Ctrl+O",), "File", toolbar=True),
    A(Act.IMPORT_FILES, "&Import Files...", ("Ctrl+I",), "File", toolbar=True,
      tip="Import text, HTML, JSONL or CSV files (or drop them on the window)"),
    A(Act.PREANNOTATE, "&Pre-annotate...", ("Ctrl+Shift+P",), "File", toolbar=True,
      tip="Suggest entities with the spaCy model"),
    A(Act.EXPORT, "&Export...", ("Ctrl+E",), "File", toolbar=True),
    A(Act.QUIT, "&Quit", ("Ctrl+Q",), "File", separator_before=True),
    A(Act.UNDO, "&Undo", ("Ctrl+Z",), "Edit", toolbar=True),
    A(Act.REDO, "&Redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "Edit", toolbar=True),
    A(Act.DELETE_SPAN, "&Delete Span", ("Delete", "Backspace"), "Edit", TEXT, needs=Needs.SPAN),
    A(Act.ACCEPT_SPAN, "&Accept Suggestion", ("Return", "Enter"), "Edit", TEXT,
      needs=Needs.SUGGESTION),
    A(Act.EXTEND_END, "Extend End by a Token", ("Shift+Right",), "Edit", TEXT, needs=Needs.SPAN,
      separator_before=True),
    A(Act.SHRINK_END, "Shrink End by a Token", ("Shift+Left",), "Edit", TEXT, needs=Needs.SPAN),
    A(Act.EXTEND_START, "Extend Start by a Token", ("Ctrl+Shift+Left",), "Edit", TEXT,
      needs=Needs.SPAN),
    A(Act.SHRINK_START, "Shrink Start by a Token", ("Ctrl+Shift+Right",), "Edit", TEXT,
      needs=Needs.SPAN),
    A(Act.NEXT_SPAN, "Next Span", ("Tab",), "Edit", TEXT),
    A(Act.PREV_SPAN, "Previous Span", ("Shift+Tab",), "Edit", TEXT),
    A(Act.DESELECT, "Clear Selection", ("Escape",), "", TEXT),
    A(Act.FIND, "&Find...", ("Ctrl+F",), "Edit", toolbar=True),
    # window-wide; line edits (filters, find bar) still take a typed "r" first
    A(Act.ADD_RELATION, "Add &Relation...", ("R",), "Edit", needs=Needs.SPAN,
      separator_before=True, tip="Relation from the selected span: pick the child, then the type"),
    A(Act.DELETE_RELATIONS, "Delete Selected Relations", ("Delete", "Backspace"), "Edit", RELATIONS,
      needs=Needs.RELATION, tip="In the Relations table: delete the selected rows (one undo step)"),
    A(Act.RELATION_TYPES, "Relation &Types...", (), "Edit",
      tip="Add, rename or remove relation types and the labels they connect"),
    A(Act.DONE_NEXT, "Mark &Done, Open Next", ("Ctrl+Return", "Ctrl+Enter"), "Document",
      toolbar=True, tip="Accept remaining suggestions, mark done, open the next document"),
    A(Act.ACCEPT_ALL, "Accept All Suggestions", ("Ctrl+Shift+A",), "Document"),
    A(Act.NEXT_DOC, "&Next Document", ("Ctrl+PgDown",), "Document", separator_before=True),
    A(Act.PREV_DOC, "&Previous Document", ("Ctrl+PgUp",), "Document"),
    A(Act.SNAP_TOKENS, "&Snap to Tokens", ("Ctrl+T",), "View", checkable=True,
      tip="Spans cover whole tokens (off: exact characters)"),
    A(Act.DARK_THEME, "&Dark Theme", ("Ctrl+Shift+D",), "View", checkable=True),
    A(Act.ZOOM_IN, "&Larger Text", ("Ctrl++", "Ctrl+="), "View"),
    A(Act.ZOOM_OUT, "S&maller Text", ("Ctrl+-",), "View"),
    A(Act.OPEN_PACKAGE, "Open &Work Package...", (), "Team",
      tip="Open a .annpack file a coordinator sent you"),
    A(Act.AGREEMENT, "&Agreement Report...", (), "Team",
      tip="Span F1, token kappa and relation F1 between annotators"),
    A(Act.ADJUDICATE, "A&djudicate Document...", (), "Team",
      tip="Compare annotators' versions of this document and choose the gold one"),
    A(Act.KEYBOARD_HELP, "&Keyboard and Mouse", ("F1",), "Help"),
    A(Act.ABOUT, "&About", (), "Help"),
)
del A
MENUS = ("File", "Edit", "Document", "View", "Team", "Help")
SPECS: dict[Act, ActionSpec] = {s.id: s for s in ACTIONS}
assert len(SPECS) == len(ACTIONS) == len(Act), "every Act has exactly one row"


def build_actions(parent: QObject, *, ids: Iterable[Act] | None = None) -> dict[Act, QAction]:
    """QActions for the table (or the rows ``ids``), keyed by id; not yet in any menu."""
    actions: dict[Act, QAction] = {}
    for spec in ACTIONS if ids is None else [SPECS[i] for i in ids]:
        a = QAction(spec.text, parent)
        a.setObjectName(spec.id)
        a.setShortcuts([QKeySequence(s) for s in spec.shortcuts])
        a.setCheckable(spec.checkable)
        a.setToolTip(spec.tip or spec.text.replace("&", "").rstrip("."))
        if spec.scope != WINDOW:  # only while its widget has focus (typing elsewhere is free)
            a.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        actions[spec.id] = a
    return actions


def enable(actions: Mapping[str, QAction], needs: Needs, on: bool) -> None:
    """Enable or disable every action whose rule is ``needs``."""
    for spec in ACTIONS:
        if spec.needs == needs and spec.id in actions:
            actions[spec.id].setEnabled(on)


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
    return SPECS[Act(action_id)]
