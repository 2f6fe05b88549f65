"""Relations in the window: one entry point, ``install_relations(window)``.

The controller owns the relation index of the open document, the arc overlay, the
relations dock, the R picker and the editing actions. It talks to the window only
through a ``RelationHost`` (signals + a few methods), so the window stays unaware of
relations and tests can drive the same controller on a bare text view.

Every edit is a core operation applied once (errors become a status message, nothing
is stored) and then pushed as an undo command that re-applies the op / its inverse.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QMainWindow, QToolTip

from annotator.core.models import Relation, Span
from annotator.core.ops import (
    AddRelation,
    Change,
    EditResult,
    Op,
    UpdateRelation,
    swap_relation,
)
from annotator.core.relation_review import correct_relation
from annotator.core.schema import RelationType
from annotator.gui.offsets import Offsets
from annotator.gui.relation_index import RelationIndex

if TYPE_CHECKING:
    from annotator.core.store import Project
    from annotator.gui.relation_overlay import RelationOverlay
    from annotator.gui.relation_picker import RelationPicker
    from annotator.gui.relations_panel import RelationsPanel
    from annotator.gui.session import EditSession
    from annotator.gui.text_view import SpanTextView


class RelationHost(QObject):
    """What the relation UI needs from a window: its text view (``SpanTextView``), its
    edit session (``EditSession``: run/changed/stack) and a status bar. ``window_host``
    in relation_host.py builds one from the main window; tests build one directly."""

    document_changed = Signal()  # another document (or none) is shown
    change_applied = Signal(object)  # a core Change, after any edit, undo or redo
    span_selected = Signal(object)  # span id or None

    def __init__(self, window: QMainWindow, view: SpanTextView, session: EditSession) -> None:
        super().__init__(window)
        self.window, self.view, self.session = window, view, session
        session.changed.connect(self.change_applied)
        view.selectedSpanChanged.connect(self.span_selected)

    @property
    def undo_stack(self) -> QUndoStack:
        return self.session.stack

    def project(self) -> Project | None:
        return self.session.project

    def doc_id(self) -> int | None:
        return self.view.doc_id

    def offsets(self) -> Offsets:
        return self.view.offsets

    def selected_span_id(self) -> int | None:
        span = self.view.selected_span()
        return span.id if span is not None else None

    def select_span(self, span_id: int | None) -> None:
        self.view.select_span(span_id, reveal=True)

    def show_message(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 8000)

    def run(self, op: Op, text: str) -> EditResult | None:
        """Apply ``op`` now and push it as one undo step; None when the store refuses."""
        failed: list[str] = []
        self.session.failed.connect(failed.append)
        try:
            result = self.session.run(op, text)
        finally:
            self.session.failed.disconnect(failed.append)
        if result is None and failed:
            self.show_message(failed[0])
        return result


class RelationsController(QObject):
    """Everything about relations for one window."""

    relations_reset = Signal()  # a new document: rebuild views
    relations_changed = Signal(list, list, list)  # added, removed, updated ids
    selection_changed = Signal(list)  # selected relation ids

    def __init__(self, host: RelationHost) -> None:
        super().__init__(host)
        self.host = host
        self.index = RelationIndex()
        self.selected: list[int] = []
        self.relation_focus = False  # the selection was picked as relations, not via a span
        from annotator.gui.relation_overlay import RelationOverlay
        from annotator.gui.relation_picker import RelationPicker
        from annotator.gui.relations_panel import RelationsPanel

        self.overlay: RelationOverlay = RelationOverlay(self, host.view)
        self.picker: RelationPicker = RelationPicker(self, host.view)
        self.panel: RelationsPanel = RelationsPanel(self, host.window)
        # at the bottom: four columns with the sentence need the width, not the height
        host.window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.panel)
        self._install_actions()
        host.document_changed.connect(self.reload)
        host.change_applied.connect(self.on_change)
        host.span_selected.connect(self._on_span_selected)
        from annotator.gui.relation_review import install_review

        install_review(self)
        self.reload()

    def _install_actions(self) -> None:
        """R and the schema editor as window actions, listed in the window's menus."""
        win = self.host.window
        # window-wide; line edits (filters, find bar) still take a typed "r" first
        self.add_action = QAction("Add &Relation...", win)
        self.add_action.setShortcut(QKeySequence("R"))
        self.add_action.setToolTip("Relation from the selected span: pick the child, then the type")
        self.add_action.triggered.connect(self.start_picker)
        self.types_action = QAction("Relation &Types...", win)
        self.types_action.triggered.connect(self.edit_relation_types)
        win.addAction(self.add_action)
        menus = {m.title().replace("&", ""): m for a in win.menuBar().actions() if (m := a.menu())}
        if "Edit" in menus:
            menus["Edit"].addSeparator()
            menus["Edit"].addAction(self.add_action)
            menus["Edit"].addAction(self.types_action)
        if "View" in menus:
            menus["View"].addAction(self.panel.toggleViewAction())

    def edit_relation_types(self) -> bool:
        from annotator.gui.relation_schema_dialog import edit_relation_types

        if self.project is None or not edit_relation_types(self.project, self.host.window):
            return False
        self.relations_reset.emit()  # valid types and colours may have changed
        self.overlay.invalidate()
        return True

    # ---- state from the host -----------------------------------------------------------
    @property
    def project(self) -> Project | None:
        return self.host.project()

    def reload(self) -> None:
        p, doc = self.project, self.host.doc_id()
        if p is None or doc is None:
            self.index.load("", [], [])
        else:
            self.index.load(p.text(doc), p.spans(doc), p.relations(doc))
        self.selected = []
        self.relations_reset.emit()
        self.overlay.invalidate()

    def on_change(self, change: Change) -> None:
        if change.doc_id is not None and change.doc_id != self.host.doc_id():
            return
        added, removed, updated = self.index.apply(change)
        if removed:
            self.selected = [i for i in self.selected if i not in removed]
        self.relations_changed.emit(added, removed, updated)
        self.overlay.invalidate()

    def _on_span_selected(self, span_id: int | None) -> None:
        ids = [r.id for r in self.index.of_span(span_id)] if span_id is not None else []
        self.select_relations(ids, scroll=False)
        self.relation_focus = False  # Enter / Delete stay with the span

    # ---- queries -----------------------------------------------------------------------
    def span(self, span_id: int) -> Span | None:
        return self.index.span(span_id)

    def valid_types(self, head_id: int, child_id: int) -> list[RelationType]:
        h, c = self.span(head_id), self.span(child_id)
        if self.project is None or h is None or c is None:
            return []
        return self.project.schema.relations_for(h.label, c.label)

    def describe_span(self, span_id: int) -> str:
        s = self.span(span_id)
        return f"{self.index.span_text(span_id)} ({s.label})" if s else "?"

    # ---- edits -------------------------------------------------------------------------
    def create(self, head_id: int, child_id: int, label: str,
               attrs: dict[str, Any] | None = None) -> int | None:
        """Add a relation; an invalid one is refused with a message and not stored."""
        h, c = self.span(head_id), self.span(child_id)
        if h is None or c is None or self.project is None:
            return None
        if label not in {t.name for t in self.valid_types(head_id, child_id)}:
            return self._refuse(f"{label} does not allow {h.label} \u2192 {c.label}: not stored")
        result = self._run(AddRelation(head_id, child_id, label, dict(attrs or {})),
                           f"Add {label} relation")
        if result is None:
            return None
        rel = result.change.relations_added[0]
        self.select_relations([rel.id], scroll=False)
        return rel.id

    def set_type(self, rel_id: int, label: str) -> bool:
        return self._update(rel_id, {"label": label}, f"Change relation type to {label}")

    def set_attrs(self, rel_id: int, attrs: dict[str, Any]) -> bool:
        return self._update(rel_id, {"attrs": attrs}, "Change relation attributes")

    def set_attr(self, rel_id: int, name: str, value: Any) -> bool:
        rel = self.index.by_id.get(rel_id)
        if rel is None or rel.attrs.get(name) == value:
            return False
        return self.set_attrs(rel_id, {**rel.attrs, name: value})

    def swap(self, rel_id: int) -> bool:
        p = self.project
        if p is None or rel_id not in self.index.by_id:
            return False
        return self._run(swap_relation(p, rel_id), "Swap relation direction") is not None

    def delete(self, rel_ids: list[int]) -> bool:
        """Delete relations; suggested ones are rejected (remembered, never suggested again)."""
        from annotator.gui.relation_review import remove

        return remove(self, rel_ids)

    def accept(self, rel_ids: list[int]) -> bool:
        from annotator.gui.relation_review import accept

        return accept(self, rel_ids)

    def _update(self, rel_id: int, changes: dict[str, Any], text: str) -> bool:
        rel = self.index.by_id.get(rel_id)
        if rel is None or self.project is None:
            return False
        # a changed suggestion is a human decision: accepted, and memory learns it
        op = (correct_relation(self.project, rel_id, **changes) if rel.state == "suggested"
              else UpdateRelation(rel_id, changes))
        return self._run(op, text) is not None

    def _run(self, op: Op, text: str) -> EditResult | None:
        return self.host.run(op, text)  # a refused edit is reported there, nothing stored

    def _refuse(self, message: str) -> None:
        self.host.show_message(message)
        view = self.host.view
        QToolTip.showText(view.mapToGlobal(view.cursorRect().center()), message, view)
        return None

    # ---- selection and navigation -------------------------------------------------------
    def select_relations(self, ids: list[int], *, scroll: bool = False) -> None:
        ids = [i for i in ids if i in self.index.by_id]
        self.relation_focus = bool(ids)
        if ids == self.selected:
            return
        self.selected = ids
        if scroll and ids:
            rel = self.index.by_id[ids[0]]
            self.reveal_span(rel.head_id)
        self.selection_changed.emit(ids)
        self.overlay.update()

    def reveal_span(self, span_id: int) -> None:
        """Scroll so the span is visible (centred when it was off screen)."""
        s = self.span(span_id)
        if s is None:
            return
        view = self.host.view
        cur = view.textCursor()
        cur.setPosition(self.host.offsets().to_utf16(s.start))
        if not view.viewport().rect().contains(view.cursorRect(cur).center()):
            view.setTextCursor(cur)
            view.centerCursor()

    def go_to_span(self, span_id: int) -> None:
        """Indicator click: bring the other end into view and select it."""
        self.reveal_span(span_id)
        keep = list(self.selected)
        self.host.select_span(span_id)
        if keep:  # selecting the span reselects its relations; keep the clicked one
            self.select_relations(keep)
        self.overlay.invalidate()

    def start_picker(self) -> None:
        head = self.host.selected_span_id()
        if head is None or self.span(head) is None:
            self.host.show_message("Select the head span first, then press R")
            return
        self.picker.choose_child(head)

    def choose_type_at(self, head_id: int, child_id: int, global_pos: QPoint) -> None:
        self.picker.choose_type(head_id, child_id, global_pos)

    def relation(self, rel_id: int) -> Relation | None:
        return self.index.by_id.get(rel_id)


def install_relations(window: QMainWindow) -> RelationsController:
    """Wire relations onto the annotation window (dock, R, drag gesture, arcs)."""
    from annotator.gui.relation_host import window_host

    return RelationsController(window_host(window))
