"""The relations of the open document: state, edits, selection and navigation.

The controller builds no widgets. It reads the shared ``DocumentState`` (the relation
index and the selected relations live there), turns its events into the Qt signals the
relation widgets listen to, and runs every edit as one core operation through the host's
edit session (errors become a status message, nothing is stored). ``install_relations``
(this package's ``__init__``) builds the overlay, picker, panel and drag and wires them.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QToolTip

from annotator.core.models import Relation, Span
from annotator.core.ops import AddRelation, DeleteRelations, EditResult, Op, UpdateRelation, swap_relation
from annotator.core.schema import RelationType
from annotator.core.store import Project
from annotator.gui.relations.host import RelationHost
from annotator.gui.state.document import Delta, DocumentState
from annotator.gui.state.relation_index import RelationIndex


class RelationsController(QObject):
    """Everything about relations for one window."""

    relationsReset = Signal()  # a new document, or new relation types: rebuild views
    relationsChanged = Signal(list, list, list)  # added, removed, updated ids
    selectionChanged = Signal(list)  # selected relation ids

    def __init__(self, host: RelationHost) -> None:
        super().__init__(host)
        self.host = host
        self.state: DocumentState = host.view.state
        self.state.loaded.connect(self.relationsReset.emit)
        self.state.changed.connect(self._on_change)
        self.state.relations_selected.connect(self.selectionChanged.emit)
        self.state.span_selected.connect(self._on_span_selected)

    # ---- state ---------------------------------------------------------------------------
    @property
    def project(self) -> Project | None:
        return self.host.project()

    @property
    def index(self) -> RelationIndex:
        return self.state.relations

    @property
    def selected(self) -> list[int]:
        return self.state.selected_relations

    def schema_changed(self) -> None:
        """After the relation types were edited: valid types and colours may differ."""
        self.relationsReset.emit()

    def _on_change(self, delta: Delta) -> None:
        # span edits move arcs too, so views hear of every change to the document
        self.relationsChanged.emit(list(delta.relations_added), list(delta.relations_removed),
                                    list(delta.relations_updated))

    def _on_span_selected(self, span_id: int | None) -> None:
        ids = [r.id for r in self.index.of_span(span_id)] if span_id is not None else []
        self.select_relations(ids, scroll=False)

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
            return self.refuse(f"{label} does not allow {h.label} \u2192 {c.label}: not stored")
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
        ids = [i for i in rel_ids if i in self.index.by_id]
        if not ids:
            return False
        n = len(ids)
        text = "Delete relation" if n == 1 else f"Delete {n} relations"
        return self._run(DeleteRelations(ids), text) is not None

    def _update(self, rel_id: int, changes: dict[str, Any], text: str) -> bool:
        if rel_id not in self.index.by_id:
            return False
        return self._run(UpdateRelation(rel_id, changes), text) is not None

    def _run(self, op: Op, text: str) -> EditResult | None:
        return self.host.run(op, text)  # a refused edit is reported there, nothing stored

    def refuse(self, message: str) -> None:
        """Say why an edit is not made: status bar, and a tooltip at the caret."""
        self.host.show_message(message)
        view = self.host.view
        QToolTip.showText(view.mapToGlobal(view.cursorRect().center()), message, view)
        return None

    # ---- selection and navigation -------------------------------------------------------
    def select_relations(self, ids: list[int], *, scroll: bool = False) -> None:
        ids = [i for i in ids if i in self.index.by_id]
        if ids == self.selected:
            return
        if scroll and ids:
            self.reveal_span(self.index.by_id[ids[0]].head_id)
        self.state.select_relations(ids)  # -> selectionChanged

    def reveal_span(self, span_id: int) -> None:
        """Scroll so the span is visible (centred when it was off screen)."""
        s = self.span(span_id)
        if s is None:
            return
        view = self.host.view
        cur = view.textCursor()
        cur.setPosition(self.state.offsets.to_utf16(s.start))
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

    def head_for_new_relation(self) -> int | None:
        """The selected span, the head of a relation R would start; None with a message."""
        head = self.state.selected_span
        if head is None or self.span(head) is None:
            self.host.show_message("Select the head span first, then press R")
            return None
        return head

    def relation(self, rel_id: int) -> Relation | None:
        return self.index.by_id.get(rel_id)
