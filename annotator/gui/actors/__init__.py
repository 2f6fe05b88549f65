"""Actors in the window: one entry point, ``install_actors(window)``.

The controller owns the Actors dock and the graph window, and runs every actor edit as
a core operation through the window's edit session (``EditSession.run``), so each is
one undo step next to span and relation edits. Keys (from ``gui/actions.py``): A puts
the caret in the mention's actor field, Shift+A rejects the suggested actor,
Ctrl+Shift+G opens the graph.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QDockWidget

from annotator.core import actor_ops as ops
from annotator.core.actors import actor_table, all_actors, fold, get_actor, link_of, mentions_of
from annotator.core.errors import EditError
from annotator.core.ops import Batch, Change, Op
from annotator.gui.actors.panel import ActorsPanel

if TYPE_CHECKING:
    from annotator.gui.actors.graph_view import GraphWindow
    from annotator.gui.main_window import MainWindow


class ActorsController(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.project = window.project
        self.session = window.editor.session
        self.view = window.view
        self.panel = ActorsPanel()
        self.dock = QDockWidget("Actors", window)
        self.dock.setObjectName("dock:Actors")
        self.dock.setWidget(self.panel)
        self.dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                              | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        window.tabifyDockWidget(window.dock_entities, self.dock)
        window.dock_entities.raise_()
        self.graph: GraphWindow | None = None
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(120)  # a burst of edits refreshes the table once
        self._refresh.timeout.connect(self._refresh_if_shown)
        self._connect()

    def _connect(self) -> None:
        p, a = self.panel, self.window.actions
        a["link_actor"].triggered.connect(self.focus_actor_edit)
        a["reject_link"].triggered.connect(self.reject_current)
        a["actor_graph"].triggered.connect(self.open_graph)
        for action in self.window.menuBar().actions():  # the View menu lists the docks
            if action.text() == "&View" and action.menu() is not None:
                action.menu().addAction(self.dock.toggleViewAction())
        p.actor_edit.returnPressed.connect(self.commit_actor_edit)
        p.accept_btn.clicked.connect(self.accept_current)
        p.reject_btn.clicked.connect(self.reject_current)
        p.merge_btn.clicked.connect(self.merge_selected)
        p.split_btn.clicked.connect(self.split_selected)
        p.graph_btn.clicked.connect(self.open_graph)
        p.model.editRequested.connect(self.edit_actor)
        p.table.selectionModel().selectionChanged.connect(lambda *_: self.show_actor_mentions())
        p.mentions.itemDoubleClicked.connect(self._open_mention)
        self.session.changed.connect(self._on_change)
        self.view.selectedSpanChanged.connect(lambda _i: self.panel.isVisible() and self.show_current())
        self.window.editor.documentOpened.connect(lambda _d: self._refresh.start())
        self.dock.visibilityChanged.connect(lambda on: on and self._refresh.start())

    # ---- running edits -------------------------------------------------------------------
    def run(self, op: Op, text: str) -> bool:
        return self.session.run(op, text) is not None

    def _on_change(self, change: Change) -> None:
        """Re-read the corpus-wide table only when actors can have changed: a new span has no
        link yet, so labelling text (the commonest edit) costs the dock nothing."""
        only_new_spans = change.spans_added and not (
            change.bulk or change.spans_removed or change.spans_updated or change.relations_added
            or change.relations_removed or change.relations_updated)
        if not only_new_spans:
            self._refresh.start()

    def _refresh_if_shown(self) -> None:
        """Deferred refresh: only what is on screen (the table reads the whole corpus)."""
        try:
            if self.panel.isVisible():
                self.refresh()
            if self.graph is not None and self.graph.isVisible():
                self.graph.reload(fit=False)
        except sqlite3.ProgrammingError:  # the window closed its project meanwhile
            return

    def refresh(self) -> None:
        """Table, mentions of the selected actor, the current mention."""
        keep = self.panel.selected_actor_ids()
        self.panel.model.load(actor_table(self.project))
        self.panel.completer.model().setStringList([a.name for a in all_actors(self.project)])  # type: ignore[attr-defined]
        sel = self.panel.table.selectionModel()
        for aid in keep:
            r = self.panel.row_of_actor(aid)
            if r is not None:
                sel.select(self.panel.proxy.index(r, 0), sel.SelectionFlag.Select | sel.SelectionFlag.Rows)
        self.show_actor_mentions()
        self.show_current()

    def show_actor_mentions(self) -> None:
        ids = self.panel.selected_actor_ids()
        self.panel.show_mentions(mentions_of(self.project, ids[0], limit=2000) if len(ids) == 1 else [])

    # ---- the mention under the caret -----------------------------------------------------
    def current_span(self) -> Any:
        return self.view.selected_span()

    def show_current(self) -> None:
        span, p = self.current_span(), self.panel
        if span is None:
            p.mention_info.setText("Select a mention in the text to see its actor.")
            if not p.actor_edit.hasFocus():
                p.actor_edit.clear()
            return
        text = self.window.editor.text[span.start:span.end]
        link = link_of(self.project, span.id)
        if link is None:
            p.mention_info.setText(f"“{text}” ({span.label}): no actor")
            p.actor_edit.clear()
            return
        a = get_actor(self.project, link.actor_id)
        extra = ", ".join(x for x in (a.country, a.kb_id or "") if x)
        verb = "rejected" if link.state == "rejected" else link.state
        p.mention_info.setText(f"“{text}” ({span.label}) → <b>{a.name}</b>"
                               f"{' [' + extra + ']' if extra else ''} · {verb}"
                               f"{' (' + link.reason + ')' if link.reason else ''}")
        if not p.actor_edit.hasFocus():  # never overwrite what the annotator is typing
            p.actor_edit.setText("" if link.state == "rejected" else a.name)

    def focus_actor_edit(self) -> None:
        if self.current_span() is None:
            self.window.status.showMessage("Select a mention first (click it, or Tab)", 5000)
            return
        self.dock.show()
        self.dock.raise_()
        self.show_current()
        self.panel.actor_edit.setFocus()
        self.panel.actor_edit.selectAll()

    def commit_actor_edit(self) -> None:
        """Enter in the actor field: accept the shown actor, link another, make a new one,
        or (field emptied) unlink the mention."""
        span = self.current_span()
        name = self.panel.actor_edit.text().strip()
        if span is None:
            return
        link = link_of(self.project, span.id)
        if not name:
            if link is not None:
                self.run(ops.UnlinkMentions([span.id]), "unlink mention")
            self.view.setFocus()
            return
        current = get_actor(self.project, link.actor_id) if link else None
        if current is not None and fold(current.name) == fold(name) and link is not None:
            if link.state != "accepted":
                self.run(ops.accept_links([span.id]), f"accept actor {current.name}")
        else:
            match = next((a for a in all_actors(self.project) if fold(a.name) == fold(name)), None)
            if match is not None:
                self.run(ops.LinkMentions([span.id], match.id), f"link to {match.name}")
            else:
                self.run(ops.CreateActor(name, span.label, str(span.attrs.get("country") or ""),
                                         span_ids=[span.id]), f"new actor {name}")
        self.view.setFocus()

    def accept_current(self) -> None:
        span = self.current_span()
        if span is not None and link_of(self.project, span.id) is not None:
            self.run(ops.accept_links([span.id]), "accept actor link")

    def reject_current(self) -> None:
        span = self.current_span()
        if span is None or link_of(self.project, span.id) is None:
            self.window.status.showMessage("The selected mention has no actor to reject", 5000)
            return
        self.run(ops.reject_links([span.id]), "reject actor link")

    # ---- the table -----------------------------------------------------------------------
    def edit_actor(self, actor_id: int, field: str, value: object) -> None:
        self.run(ops.UpdateActor(actor_id, {field: value}), f"set actor {field}")

    def merge_selected(self) -> None:
        ids = self.panel.selected_actor_ids()
        if len(ids) < 2:
            self.window.status.showMessage("Select two or more actors to merge (Ctrl+click)", 5000)
            return
        rows = {r.actor.id: r for r in self.panel.model.rows}
        target = min(ids, key=lambda i: (-rows[i].mentions, i))
        name = rows[target].actor.name
        self.run(Batch([ops.MergeActors(i, target) for i in ids if i != target]),
                 f"merge {len(ids)} actors into {name}")

    def split_selected(self) -> None:
        spans = self.panel.selected_mention_ids()
        if not spans and self.current_span() is not None:
            spans = [self.current_span().id]
        if not spans:
            self.window.status.showMessage("Select mentions to split off", 5000)
            return
        self.run(ops.SplitMentions(spans), f"split {len(spans)} mention(s) off")

    def _open_mention(self, item: Any) -> None:
        span_id, doc_id = self.panel.mentions.item(item.row(), 0).data(Qt.ItemDataRole.UserRole)
        self.open_at(doc_id, span_id)

    def open_at(self, doc_id: int, span_id: int) -> None:
        if self.window.editor.doc_id != doc_id:
            self.window.editor.open_document(doc_id)
        self.view.select_span(span_id, reveal=True)

    # ---- the graph -----------------------------------------------------------------------
    def open_graph(self) -> GraphWindow:
        from annotator.gui.actors.graph_view import GraphWindow

        if self.graph is None:
            self.graph = GraphWindow(self.project, self.open_relation, self.window)
        try:
            self.graph.reload()
        except EditError as exc:
            self.window.status.showMessage(str(exc), 8000)
        self.graph.show()
        self.graph.raise_()
        return self.graph

    def open_relation(self, doc_id: int, relation_id: int, head_span: int) -> None:
        self.open_at(doc_id, head_span)
        relations = getattr(self.window, "relations", None)
        if relations is not None:
            relations.controller.select_relations([relation_id], scroll=True)
        self.window.raise_()
        self.window.activateWindow()


def install_actors(window: MainWindow) -> ActorsController:
    """Wire actors onto the annotation window (dock, keys, graph window)."""
    return ActorsController(window)
