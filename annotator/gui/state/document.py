"""The open document, once: text, offsets, spans, relations and the selection.

Qt-free. The text view, the entity list, the relations table and the arc overlay all read
this one object and react to its events; an edit's ``Change`` is folded in here once
(``apply``) and each view gets the ``Delta`` (ids added, removed, updated) instead of
folding the Change again into its own copy. Only the gold layer is shown: volunteers'
layers come in through adjudication.

Events are plain callbacks (``state.changed.connect(fn)``), in the style of napari's
evented models, so this module needs no Qt and can be tested headless.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from annotator.core.models import GOLD, Relation, Span
from annotator.core.ops import Change
from annotator.gui.state.offsets import Offsets
from annotator.gui.state.relation_index import RelationIndex
from annotator.gui.state.span_index import SpanIndex


class Event:
    """A list of callbacks: ``connect(fn)``, ``emit(*args)`` calls each in order."""

    __slots__ = ("_handlers",)

    def __init__(self) -> None:
        self._handlers: list[Callable[..., Any]] = []

    def connect(self, handler: Callable[..., Any]) -> None:
        self._handlers.append(handler)

    def disconnect(self, handler: Callable[..., Any]) -> None:
        self._handlers.remove(handler)

    def emit(self, *args: Any) -> None:
        for handler in list(self._handlers):
            handler(*args)


@dataclass(frozen=True)
class Delta:
    """What one ``apply`` changed in the open document, by id (views re-read the rows)."""

    spans_added: tuple[int, ...] = ()
    spans_removed: tuple[int, ...] = ()
    spans_updated: tuple[int, ...] = ()
    relations_added: tuple[int, ...] = ()
    relations_removed: tuple[int, ...] = ()
    relations_updated: tuple[int, ...] = ()
    status: str | None = None  # the document's new status, when it changed

    def __bool__(self) -> bool:
        return any((self.spans_added, self.spans_removed, self.spans_updated,
                    self.relations_added, self.relations_removed, self.relations_updated,
                    self.status))


@dataclass
class DocumentState:
    """The document on screen. ``load`` replaces it; ``apply`` folds one edit in.

    Events: ``loaded()`` after ``load``; ``changed(delta)`` after an ``apply`` that touched
    this document; ``span_selected(span_id | None)`` and ``relations_selected(ids)`` when
    the selection changes (also when an edit removes what was selected).
    """

    doc_id: int | None = None
    text: str = ""
    offsets: Offsets = field(default_factory=lambda: Offsets(""))
    spans: SpanIndex = field(default_factory=SpanIndex)
    relations: RelationIndex = field(default_factory=RelationIndex)
    selected_span: int | None = None
    selected_relations: list[int] = field(default_factory=list)
    loaded: Event = field(default_factory=Event, repr=False)
    changed: Event = field(default_factory=Event, repr=False)
    span_selected: Event = field(default_factory=Event, repr=False)
    relations_selected: Event = field(default_factory=Event, repr=False)

    def load(self, doc_id: int | None, text: str, spans: Iterable[Span],
             relations: Iterable[Relation] = ()) -> None:
        """Show another document (or none); the selection is cleared."""
        self.doc_id, self.text = doc_id, text
        self.offsets = Offsets(text)
        self.spans = SpanIndex([s for s in spans if s.layer == GOLD])
        self.relations = RelationIndex()
        self.relations.load(text, self.spans, [r for r in relations if r.layer == GOLD])
        self.selected_span, self.selected_relations = None, []
        self.loaded.emit()

    # ---- edits -------------------------------------------------------------------------
    def apply(self, change: Change) -> Delta:
        """Fold an edit's Change in (once, for every view) and tell the views what moved.

        Rows are matched by their own document, not by ``change.doc_id``: a batch over
        several documents (Find > Label all) names only the first of them."""
        if self.doc_id is None:
            return Delta()
        mine = self._mine
        removed = [s.id for s in change.spans_removed if self.spans.remove(s.id) is not None]
        added, updated = [], []
        for s in change.spans_added:
            if mine(s):
                self.spans.add(s)
                added.append(s.id)
        for s in change.spans_updated:
            if mine(s):
                (updated if s.id in self.spans else added).append(s.id)
                self.spans.update(s)
        r_added, r_removed, r_updated = self.relations.apply(change, doc_id=self.doc_id)
        status = change.status if change.doc_id == self.doc_id else None
        delta = Delta(tuple(added), tuple(removed), tuple(updated),
                      tuple(r_added), tuple(r_removed), tuple(r_updated), status)
        span_gone = self.selected_span is not None and self.selected_span not in self.spans
        if span_gone:
            self.selected_span = None
        kept = [i for i in self.selected_relations if i in self.relations.by_id]
        rels_gone = kept != self.selected_relations
        self.selected_relations = kept
        if delta:
            self.changed.emit(delta)
        if span_gone:
            self.span_selected.emit(None)
        if rels_gone:
            self.relations_selected.emit(list(kept))
        return delta

    def _mine(self, s: Span) -> bool:
        return s.doc_id == self.doc_id and s.layer == GOLD

    # ---- selection ---------------------------------------------------------------------
    def select_span(self, span_id: int | None) -> bool:
        """Select a span of this document (an unknown id selects nothing); True if it changed."""
        if span_id is not None and span_id not in self.spans:
            span_id = None
        if span_id == self.selected_span:
            return False
        self.selected_span = span_id
        self.span_selected.emit(span_id)
        return True

    def select_relations(self, ids: Iterable[int]) -> bool:
        """Select relations of this document (unknown ids are dropped); True if it changed."""
        ids = [i for i in ids if i in self.relations.by_id]
        if ids == self.selected_relations:
            return False
        self.selected_relations = ids
        self.relations_selected.emit(list(ids))
        return True

    # ---- reads -------------------------------------------------------------------------
    def span(self, span_id: int | None) -> Span | None:
        return self.spans.by_id.get(span_id) if span_id is not None else None

    def selected(self) -> Span | None:
        """The selected span, or None."""
        return self.span(self.selected_span)

    def span_text(self, span_id: int) -> str:
        s = self.span(span_id)
        return self.text[s.start:s.end] if s else "?"
