"""Layers side by side: who annotated which document, where layers differ, and adjudication.

A volunteer's merged work lives in a layer named after them (spans.layer); which
documents it covers is recorded by ``annotator.core.layers``.

``Adjudicate`` copies a layer's spans and relations into the gold layer through the
ordinary span/relation operations, so it is one transaction, one log entry, one undo step.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from annotator.core.errors import EditError
from annotator.core.layers import LAYER_STATUS_KEY, layer_status, set_layer_status  # noqa: F401
from annotator.core.models import GOLD, Relation, Span
from annotator.core.ops import AddRelation, AddSpan, Batch, Change, DeleteSpans, Op

if TYPE_CHECKING:
    from annotator.core.store import Project

SpanKey = tuple[int, int, str]  # start, end, label
RelKey = tuple[SpanKey, SpanKey, str]  # head, child, label


def document_layers(project: Project, doc_id: int) -> list[str]:
    """Non-gold layers that cover a document: recorded by a merge, or holding spans."""
    recorded = {lay for lay, docs in layer_status(project).items() if doc_id in docs}
    present = set(project.layers(doc_id))
    return sorted((recorded | present) - {GOLD})


# ---- keys and differences ------------------------------------------------------------------
def span_key(span: Span) -> SpanKey:
    return (span.start, span.end, span.label)


def keyed_relations(
    spans: Iterable[Span], relations: Iterable[Relation]
) -> list[tuple[RelKey, Relation]]:
    """Relations named by their ends' keys (ids differ between layers, keys do not)."""
    by_id = {s.id: span_key(s) for s in spans}
    return [
        ((by_id[r.head_id], by_id[r.child_id], r.label), r)
        for r in relations
        if r.head_id in by_id and r.child_id in by_id
    ]


def relation_keys(spans: Iterable[Span], relations: Iterable[Relation]) -> list[RelKey]:
    return [k for k, _ in keyed_relations(spans, relations)]


@dataclass(frozen=True)
class Difference:
    """A span or relation that some layers have and others lack."""

    kind: str  # "span" | "relation"
    key: SpanKey | RelKey
    present: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def label(self) -> str:
        return str(self.key[2])


def differences(
    spans: Mapping[str, Iterable[SpanKey]], relations: Mapping[str, Iterable[RelKey]] | None = None
) -> list[Difference]:
    """Keys not shared by every layer, spans first (by offset), then relations."""
    return _diff("span", spans) + _diff("relation", relations or {})


def _diff(kind: str, by_layer: Mapping[str, Iterable[Any]]) -> list[Difference]:
    sets = {layer: set(keys) for layer, keys in by_layer.items()}
    union: set[Any] = set().union(*sets.values()) if sets else set()
    out = []
    for key in sorted(union):
        present = tuple(lay for lay in sets if key in sets[lay])
        if len(present) < len(sets):
            missing = tuple(lay for lay in sets if key not in sets[lay])
            out.append(Difference(kind, key, present, missing))
    return out


# ---- the operation -------------------------------------------------------------------------
@dataclass
class Adjudicate(Op):
    """Take a layer's version into gold.

    ``replace``: gold of the document becomes a copy of the layer (every gold span and
    relation of the document is removed first). Otherwise only the listed ``spans``
    ([start, end, label]) and ``relations`` ([head key, child key, label]) are added, with
    the ends of a relation added when gold lacks them; keys gold already has are skipped.
    """

    name: ClassVar[str] = "adjudicate"
    doc_id: int
    layer: str
    replace: bool = False
    spans: list[list[Any]] | None = None
    relations: list[list[Any]] | None = None

    def apply(self, p: Project) -> tuple[Change, Op]:
        if self.layer == GOLD:
            raise EditError("choose a volunteer's layer to adjudicate from, not gold")
        change, inverses = Change(doc_id=self.doc_id), []
        if self.replace:
            gold = [s.id for s in p.spans(self.doc_id)]
            if gold:
                _run(p, DeleteSpans(gold), change, inverses)
        src = p.spans(self.doc_id, layer=self.layer)
        rels = p.relations(self.doc_id, layer=self.layer)
        want_spans, want_rels = self._wanted(src, rels)
        ids = {span_key(s): s.id for s in p.spans(self.doc_id)}
        for span in src:
            if span_key(span) in want_spans and span_key(span) not in ids:
                ids[span_key(span)] = self._copy_span(p, span, change, inverses)
        self._copy_relations(p, src, rels, want_rels, ids, change, inverses)
        return change, Batch(inverses[::-1])

    def _wanted(self, src: list[Span], rels: list[Relation]) -> tuple[set[SpanKey], set[RelKey]]:
        all_rels = set(relation_keys(src, rels))
        if self.replace:
            return {span_key(s) for s in src}, all_rels
        want_rels = {_relkey(k) for k in self.relations or []}
        if want_rels - all_rels:
            raise EditError(f"layer {self.layer} has no such relation")
        want_spans = {_spankey(k) for k in self.spans or []}
        want_spans |= {end for h, c, _ in want_rels for end in (h, c)}
        if want_spans - {span_key(s) for s in src}:
            raise EditError(f"layer {self.layer} has no such span")
        return want_spans, want_rels

    def _copy_span(self, p: Project, span: Span, change: Change, inverses: list[Op]) -> int:
        op = AddSpan(
            doc_id=self.doc_id,
            start=span.start,
            end=span.end,
            label=span.label,
            source=span.source,
            state="accepted",
            attrs=dict(span.attrs),
            layer=GOLD,
        )
        return _run(p, op, change, inverses).spans_added[0].id

    def _copy_relations(
        self,
        p: Project,
        src: list[Span],
        rels: list[Relation],
        want: set[RelKey],
        ids: dict[SpanKey, int],
        change: Change,
        inverses: list[Op],
    ) -> None:
        have = set(relation_keys(p.spans(self.doc_id), p.relations(self.doc_id)))
        for key, rel in keyed_relations(src, rels):
            if key in want and key not in have and not _symmetric_dup(p, key, have):
                op = AddRelation(
                    head_id=ids[key[0]],
                    child_id=ids[key[1]],
                    label=rel.label,
                    attrs=dict(rel.attrs),
                )
                _run(p, op, change, inverses)
                have.add(key)


def _run(p: Project, op: Op, change: Change, inverses: list[Op]) -> Change:
    sub, inverse = op.apply(p)
    change.extend(sub)
    inverses.append(inverse)
    return sub


def _symmetric_dup(p: Project, key: RelKey, have: set[RelKey]) -> bool:
    rtype = p.schema.relation(key[2])
    return bool(rtype and rtype.symmetric and (key[1], key[0], key[2]) in have)


def _spankey(k: Any) -> SpanKey:
    try:
        start, end, label = k
        return (int(start), int(end), str(label))
    except (TypeError, ValueError):
        raise EditError(f"bad span key {k!r}: expected [start, end, label]") from None


def _relkey(k: Any) -> RelKey:
    try:
        head, child, label = k
    except (TypeError, ValueError):
        raise EditError(f"bad relation key {k!r}: expected [head, child, label]") from None
    return (_spankey(head), _spankey(child), str(label))
