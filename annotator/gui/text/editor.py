"""What the editing keys do: create, relabel, resize, delete, accept spans; finish a document.

Qt-light glue between the text view (positions in code points already), the edit
session (ops + undo) and the project's tokens. Opening a document loads the shared
``DocumentState`` (text, spans and relations, read once); the views follow it. Each
method is one user command and one undo step.
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_left, bisect_right

from PySide6.QtCore import QObject, QTimer, Signal

from annotator.core import ops
from annotator.core.models import Span
from annotator.core.queries import Match
from annotator.core.store import Project
from annotator.core.tokens import ensure_tokens, indexed, snap
from annotator.gui.session import EditSession
from annotator.gui.state.statuses import DONE
from annotator.gui.text.view import SpanTextView


class Editor(QObject):
    documentOpened = Signal(int)
    message = Signal(str)

    def __init__(self, project: Project, view: SpanTextView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.view = view
        self.session = EditSession(project, self)
        self.session.navigate.connect(self._navigate)
        self.state = view.state
        self.snap_tokens = True
        self._tokens = None
        view.set_schema(project.schema)
        view.set_snapper(self.snap_range)
        view.spanResizeRequested.connect(self.resize_to)

    # ---- documents -------------------------------------------------------------------------
    @property
    def doc_id(self) -> int | None:
        return self.state.doc_id

    @property
    def text(self) -> str:
        return self.state.text

    def open_document(self, doc_id: int, *, again: bool = False) -> None:
        """Show a document (``again``: re-read the one already open)."""
        if doc_id == self.doc_id and not again:
            return
        self._tokens = None  # loaded on first snap: opening stays fast on long documents
        p = self.project
        self.state.load(doc_id, p.text(doc_id), p.spans(doc_id), p.relations(doc_id))
        self.documentOpened.emit(doc_id)
        QTimer.singleShot(0, self._warm_tokens)  # after the first paint, before the first key

    def _warm_tokens(self) -> None:
        """Load stored tokens in an idle moment (never computes them: that may need spaCy)."""
        if self._tokens is None and self.doc_id is not None:
            try:
                stored = self.project.tokens(self.doc_id)
            except sqlite3.Error:  # the project was closed before this idle moment came
                return
            if stored is not None:
                self._tokens = indexed(stored)

    def reload(self) -> None:
        """Re-read the open document (after a bulk change: pre-annotation, adjudication)."""
        if self.doc_id is not None:
            self.open_document(self.doc_id, again=True)

    def _navigate(self, doc_id: int) -> None:
        if doc_id is not None and doc_id != self.doc_id:
            self.open_document(doc_id)

    def done_and_next(self) -> int | None:
        """Accept the remaining suggestions, mark done, open the next unfinished document."""
        if self.doc_id is None:
            return None
        done = self.session.run(ops.SetStatus(self.doc_id, DONE, accept=True), "mark done")
        if done is None:
            return None
        nxt = self.project.next_document(self.doc_id)
        if nxt is None:
            self.message.emit("All documents are done.")
            return None
        self.open_document(nxt)
        return nxt

    # ---- tokens ----------------------------------------------------------------------------
    def tokens(self):  # core.tokens' indexed list (its class is private)
        if self._tokens is None and self.doc_id is not None:
            self._tokens = indexed(ensure_tokens(self.project, self.doc_id))
        return self._tokens

    def snap_range(self, start: int, end: int) -> tuple[int, int]:
        if not self.snap_tokens:
            return start, end
        return snap(self.tokens(), start, end)

    # ---- span commands ---------------------------------------------------------------------
    def apply_label(self, label: str) -> None:
        """A label key: make a span of the selected text, else relabel the selected span."""
        sel = self.view.text_selection()
        if sel is not None:
            self.create_span(*sel, label)
            return
        span = self.view.selected_span()
        if span is None:
            self.message.emit("Select some text (or a span) first, then press a label key.")
            return
        if span.label == label and span.state == "suggested":
            self.session.run(ops.accept_spans([span.id]), f"accept {self.quote(span)} {label}")
        elif span.label != label:
            self.session.run(ops.relabel_span(span.id, label),
                             f"relabel {self.quote(span)} {span.label} as {label}")

    def create_span(self, start: int, end: int, label: str) -> int | None:
        start, end = self._trim(start, end)
        if end <= start:
            return None
        start, end = self.snap_range(start, end)
        result = self.session.run(ops.AddSpan(self.doc_id, start, end, label),
                                  f"label {_quote(self.text[start:end])} {label}")
        if result is None:
            return None
        span_id = result.change.spans_added[0].id
        self.view.clear_text_selection()
        self.view.select_span(span_id)
        return span_id

    def quote(self, span: Span) -> str:
        return _quote(self.text[span.start:span.end])

    def _trim(self, start: int, end: int) -> tuple[int, int]:
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return start, end

    def delete_selected(self) -> None:
        span = self.view.selected_span()
        if span is not None:
            self.session.run(ops.DeleteSpans([span.id]), f"delete {self.quote(span)} {span.label}")

    def accept_selected(self) -> None:
        span = self.view.selected_span()
        if span is not None and span.state == "suggested":
            self.session.run(ops.accept_spans([span.id]), f"accept {self.quote(span)} {span.label}")
            self.select_neighbour(+1, suggested=True)

    def accept_all(self) -> None:
        if self.doc_id is None:
            return
        ids = [s.id for s in self.state.spans.ordered() if s.state == "suggested"]
        if ids:
            self.session.run(ops.accept_spans(ids), f"accept {len(ids)} suggestions")

    def resize_to(self, span_id: int, start: int, end: int) -> None:
        if 0 <= start < end:
            self.session.run(ops.resize_span(span_id, start, end),
                             f"resize to {_quote(self.text[start:end])}")

    def move_edge(self, edge: str, direction: int) -> None:
        """Move the selected span's start or end edge by a token (a character without snapping)."""
        span = self.view.selected_span()
        if span is None:
            return
        start, end = span.start, span.end
        if edge == "end":
            end = self._step(end, direction, ends=True)
        else:
            start = self._step(start, direction, ends=False)
        if 0 <= start < end <= len(self.text) and (start, end) != (span.start, span.end):
            self.resize_to(span.id, start, end)

    def _step(self, pos: int, direction: int, *, ends: bool) -> int:
        if not self.snap_tokens:
            return pos + direction
        toks = self.tokens()
        edges = toks.ends if ends else toks.starts
        if direction > 0:
            i = bisect_right(edges, pos)
            return edges[i] if i < len(edges) else pos
        i = bisect_left(edges, pos) - 1
        return edges[i] if i >= 0 else pos

    def select_neighbour(self, direction: int, *, suggested: bool = False) -> None:
        spans = [s for s in self.state.spans.ordered() if not suggested or s.state == "suggested"]
        if not spans:
            return
        cur = self.view.selected_span()
        key = (cur.start, cur.end, cur.id) if cur else (-1, -1, -1)
        keys = [(s.start, s.end, s.id) for s in spans]
        if direction > 0:
            i = bisect_right(keys, key)
            target = spans[i] if i < len(spans) else None
        else:
            i = bisect_left(keys, key) - 1 if cur else len(spans) - 1
            target = spans[i] if i >= 0 else None
        if target is not None:
            self.view.select_span(target.id, reveal=True)

    def label_all(self, matches: list[Match], label: str) -> int:
        """Label every match (one undo step), skipping ones already labelled so."""
        by_doc: dict[int, list[Match]] = {}
        for m in matches:
            by_doc.setdefault(m.doc_id, []).append(m)
        todo: dict[int, list[dict]] = {}
        for doc_id, found in by_doc.items():
            have = {(s.start, s.end) for s in self.project.spans(doc_id) if s.label == label}
            for m in found:
                if (m.start, m.end) not in have:
                    have.add((m.start, m.end))
                    todo.setdefault(doc_id, []).append({"start": m.start, "end": m.end, "label": label})
        batch = [ops.AddSpans(doc_id, spans) for doc_id, spans in todo.items()]
        if not batch:
            self.message.emit(f"Every occurrence is already labelled {label}.")
            return 0
        op = batch[0] if len(batch) == 1 else ops.Batch(batch)
        n = sum(len(b.spans) for b in batch)
        return n if self.session.run(op, f"label {n} occurrences as {label}") else 0


def _quote(text: str, limit: int = 30) -> str:
    """A span's text as a step's name shows it: 'Venezuela', or 'the first thirty ch...'."""
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
