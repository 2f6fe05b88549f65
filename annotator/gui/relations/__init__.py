"""Relations in the window: one entry point, ``install_relations``.

It builds the pieces and wires them; none of them builds another:

- ``controller`` state, edits, selection and navigation (no widgets);
- ``overlay`` the arcs over the text, ``drag`` drawing a relation with the mouse,
  ``picker`` the R popup (child, then type), ``panel`` the Relations dock with the
  ``editor`` form, ``schema_dialog`` Relation Types.

The actions (Add Relation, Relation Types, Delete Relations) come from the window's one
action table (``gui/actions.py``), so F1 lists them and their enable rules live there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow

from annotator.gui.actions import RELATIONS, WINDOW, Act, Needs, build_actions, enable, spec
from annotator.gui.relations.controller import RelationsController
from annotator.gui.relations.drag import DragGesture
from annotator.gui.relations.editor import relation_menu
from annotator.gui.relations.host import window_host
from annotator.gui.relations.overlay import RelationOverlay
from annotator.gui.relations.panel import RelationsPanel
from annotator.gui.relations.picker import RelationPicker
from annotator.gui.relations.schema_dialog import edit_relation_types
from annotator.gui.text.editor import Editor
from annotator.gui.text.view import SpanTextView

ACTION_IDS = (Act.ADD_RELATION, Act.RELATION_TYPES, Act.DELETE_RELATIONS)


@dataclass
class Relations:
    """The relation pieces of one window, as ``install_relations`` wired them."""

    controller: RelationsController
    overlay: RelationOverlay
    drag: DragGesture
    picker: RelationPicker
    panel: RelationsPanel
    actions: Mapping[str, QAction]

    def start_picker(self) -> None:
        """R: pick the child of a relation from the selected span, then its type."""
        head = self.controller.head_for_new_relation()
        if head is not None:
            self.picker.choose_child(head)

    def edit_relation_types(self) -> bool:
        project = self.controller.project
        if project is None or not edit_relation_types(project, self.panel.parentWidget()):
            return False
        self.controller.schema_changed()
        return True


def install_relations(window: QMainWindow, view: SpanTextView, editor: Editor, *,
                      actions: Mapping[str, QAction] | None = None) -> Relations:
    """Wire relations onto a window: arcs, drag gesture, R picker, Relations dock.

    ``actions`` are the window's actions (it has put them in its menus); without them
    (a bare window) the relation actions are built here from the same table.
    """
    own = actions is None
    if actions is None:
        actions = build_actions(window, ids=ACTION_IDS)
    ctl = RelationsController(window_host(window, view, editor))
    overlay = RelationOverlay(ctl, view)
    drag = DragGesture(view, overlay.span_rect)  # after the overlay: sees presses first
    picker = RelationPicker(ctl, view, anchor_for=lambda span_id: _anchor(overlay, span_id))
    panel = RelationsPanel(ctl, window)
    # at the bottom: four columns with the sentence need the width, not the height
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, panel)
    ui = Relations(ctl, overlay, drag, picker, panel, actions)

    overlay.contextMenuRequested.connect(
        lambda rel_id, pos: relation_menu(ctl, rel_id, view).popup(pos))
    panel.contextMenuRequested.connect(
        lambda ids, pos: relation_menu(ctl, ids[0], panel.table, ids=ids).popup(pos))
    drag.dropped.connect(picker.choose_type)
    drag.refused.connect(ctl.host.show_message)
    actions[Act.ADD_RELATION].triggered.connect(ui.start_picker)
    actions[Act.RELATION_TYPES].triggered.connect(ui.edit_relation_types)
    actions[Act.DELETE_RELATIONS].triggered.connect(lambda: ctl.delete(panel.selected_ids()))
    for action_id in ACTION_IDS:
        scope = spec(action_id).scope
        if scope == RELATIONS:  # Delete while the relations table has the focus
            panel.table.addAction(actions[action_id])
        elif own and scope == WINDOW:
            window.addAction(actions[action_id])
    ctl.selectionChanged.connect(lambda ids: enable(actions, Needs.RELATION, bool(ids)))
    enable(actions, Needs.RELATION, False)
    if own:  # the main window enables its span actions itself
        view.state.span_selected.connect(
            lambda span_id: enable(actions, Needs.SPAN, span_id is not None))
        enable(actions, Needs.SPAN, view.state.selected_span is not None)
    return ui


def _anchor(overlay: RelationOverlay, span_id: int) -> QPoint:
    """Global point just under the span's first line (where the picker opens)."""
    s = overlay.ctl.span(span_id)
    rect = overlay.span_rect(s) if s is not None else None
    local = QPoint(int(rect.x), int(rect.bottom) + 4) if rect else QPoint(20, 20)
    return overlay.view.viewport().mapToGlobal(local)
