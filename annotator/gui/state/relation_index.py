"""Per-document indexes for relations, built once per document and kept up to date from
the ``Change`` records of edits, so painting and the panel never query the store.

Qt-free and part of ``DocumentState``: it shares the state's ``SpanIndex`` (the spans are
folded once, by the state) and folds only the relations of a Change.
"""

from __future__ import annotations

import re
from bisect import bisect_right, insort
from collections import defaultdict

from annotator.core.models import GOLD, Relation, Span
from annotator.core.ops import Change
from annotator.core.schema import Schema
from annotator.gui.state.span_index import SpanIndex

_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)]?\s+|\n")
MODALITY_SHORT = {"hypothetical": "hyp.", "future": "fut.", "reported-claim": "claim"}


class RelationIndex:
    """Relations of the open document by id, by span, and in id order (panel rows)."""

    def __init__(self) -> None:
        self.by_id: dict[int, Relation] = {}
        self.by_span: dict[int, set[int]] = defaultdict(set)
        self.order: list[int] = []  # relation ids, ascending: the panel's source rows
        self.spans = SpanIndex()
        self.text = ""
        self._breaks: list[int] = []  # code-point offsets of "\n": paragraph numbers

    def load(self, text: str, spans: SpanIndex, relations: list[Relation]) -> None:
        """Index ``relations`` over ``spans`` (shared with the caller, not copied)."""
        self.text = text
        self._breaks = [m.start() for m in re.finditer("\n", text)]
        self.spans = spans
        self.by_id, self.by_span, self.order = {}, defaultdict(set), []
        for r in relations:
            self._add(r)

    # ---- incremental updates ---------------------------------------------------------
    def apply(self, change: Change, *, doc_id: int | None = None
              ) -> tuple[list[int], list[int], list[int]]:
        """Fold a Change's relations of document ``doc_id`` (None: any) in; returns (added,
        removed, updated) relation ids. Only the gold layer is shown (volunteers' layers
        come in through adjudication)."""
        removed = [r.id for r in change.relations_removed if self._remove(r.id)]
        added = [self._add(r) for r in change.relations_added
                 if r.layer == GOLD and doc_id in (None, r.doc_id)]
        updated = []
        for r in change.relations_updated:
            if r.id in self.by_id:
                self._remove(r.id)
                self._add(r)
                updated.append(r.id)
        return added, removed, updated

    def _add(self, r: Relation) -> int:
        if r.id not in self.by_id:
            insort(self.order, r.id)
        self.by_id[r.id] = r
        self.by_span[r.head_id].add(r.id)
        self.by_span[r.child_id].add(r.id)
        return r.id

    def _remove(self, rel_id: int) -> bool:
        r = self.by_id.pop(rel_id, None)
        if r is None:
            return False
        self.order.remove(rel_id)
        for sid in (r.head_id, r.child_id):
            self.by_span[sid].discard(rel_id)
        return True

    # ---- queries -----------------------------------------------------------------------
    def of_span(self, span_id: int) -> list[Relation]:
        return [self.by_id[i] for i in sorted(self.by_span.get(span_id, ()))]

    def touching(self, a: int, b: int) -> list[Relation]:
        """Relations with an end among the spans overlapping code points [a, b)."""
        ids: set[int] = set()
        for s in self.spans.overlapping(a, b):
            ids.update(self.by_span.get(s.id, ()))
        return [self.by_id[i] for i in sorted(ids)]

    def span(self, span_id: int) -> Span | None:
        return self.spans.by_id.get(span_id)

    def span_text(self, span_id: int) -> str:
        s = self.span(span_id)
        return self.text[s.start:s.end] if s else "?"

    def paragraph(self, pos: int) -> int:
        """1-based paragraph (line of the stored text) holding code point ``pos``."""
        return bisect_right(self._breaks, pos - 1) + 1 if pos > 0 else 1

    def context(self, r: Relation, *, limit: int = 140) -> str:
        """The sentence(s) holding both ends, shortened in the middle when long."""
        h, c = self.span(r.head_id), self.span(r.child_id)
        if h is None or c is None:
            return ""
        a, b = min(h.start, c.start), max(h.end, c.end)
        start = max((m.end() for m in _SENTENCE_END.finditer(self.text, 0, a)), default=0)
        m = _SENTENCE_END.search(self.text, b)
        end = m.start() + 1 if m else len(self.text)
        snippet = " ".join(self.text[start:end].split())
        if len(snippet) > limit:
            snippet = snippet[: limit // 2 - 1] + " \u2026 " + snippet[-(limit // 2 - 2):]
        return snippet


def relation_caption(r: Relation) -> str:
    """What an arc's label shows: type, plus "not" and a non-default modality."""
    text = r.label
    if r.attrs.get("negated"):
        text = "NOT " + text
    mod = r.attrs.get("modality")
    if mod and mod != "asserted":
        text += f" ({MODALITY_SHORT.get(mod, mod)})"
    return text


def is_symmetric(schema: Schema, label: str) -> bool:
    rtype = schema.relation(label)
    return bool(rtype and rtype.symmetric)


GROUP_COLORS = {
    "verbal cooperation": "#2E8B57",
    "material cooperation": "#168A8A",
    "verbal conflict": "#D2691E",
    "material conflict": "#C0392B",
    "standing": "#4F5D95",
}


def relation_color(schema: Schema, label: str) -> str:
    """Arc colour from the type's PLOVER quad class (cooperation green, conflict red);
    standing relations are slate blue."""
    raw = next((r for r in schema.raw.get("relations") or [] if r.get("name") == label), {})
    key = raw.get("quad_class") or ("standing" if raw.get("group") == "standing" else "")
    return raw.get("color") or GROUP_COLORS.get(key, "#555B66")
