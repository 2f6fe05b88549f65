"""A volunteer's layer of a document: which documents it covers, and copying it in and out.

A volunteer's merged work lives in a layer named after them (``spans.layer``). Which
documents a layer covers, and whether the volunteer marked them done, is kept in the
project meta under ``layer_status`` (a JSON object ``{layer: {doc_id: status}}``),
written in the same transaction as the merged spans, so it never disagrees with them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from annotator.core.models import Relation, Span

if TYPE_CHECKING:
    from annotator.core.store import Project

LAYER_STATUS_KEY = "layer_status"


def layer_status(project: Project) -> dict[str, dict[int, str]]:
    """``{layer: {doc_id: status}}`` as recorded by merges (empty when nothing merged)."""
    raw = project.meta_value(LAYER_STATUS_KEY)
    try:
        data = json.loads(raw) if raw else {}
    except json.JSONDecodeError:
        return {}  # a damaged record only loses the status filter, never annotations
    if not isinstance(data, dict):
        return {}
    return {
        str(layer): {int(d): str(s) for d, s in docs.items()}
        for layer, docs in data.items()
        if isinstance(docs, dict)
    }


def set_layer_status(project: Project, layer: str, statuses: Mapping[int, str]) -> None:
    """Record (replace) the status of these documents in ``layer``; joins an open transaction."""
    with project.write():  # read-then-write: the lock is taken before the read
        data = layer_status(project)
        data.setdefault(layer, {}).update({int(d): s for d, s in statuses.items()})
        replace_layer_status(project, data)


def replace_layer_status(project: Project, data: Mapping[str, Mapping[int, str]]) -> None:
    """Write the whole ``{layer: {doc_id: status}}`` record (undo of a merge puts one back)."""
    project.set_meta_value(LAYER_STATUS_KEY, json.dumps(
        {lay: {str(d): s for d, s in sorted(docs.items())} for lay, docs in sorted(data.items())}))


def copy_layer(
    dst: Project, doc_id: int, spans: Sequence[Span], relations: Sequence[Relation], *, layer: str
) -> tuple[int, int]:
    """Insert spans and relations (new ids, same offsets, labels, provenance) into ``layer``."""
    ids: dict[int, int] = {}
    for s in spans:
        copy = Span(**{**s.to_dict(), "id": 0, "doc_id": doc_id, "layer": layer})
        ids[s.id] = dst.insert_span_row(copy).id
    for r in relations:
        dst.insert_relation_row(Relation(**{
            **r.to_dict(), "id": 0, "doc_id": doc_id, "layer": layer,
            "head_id": ids[r.head_id], "child_id": ids[r.child_id],
        }))
    return len(spans), len(relations)


def replace_layer(project: Project, doc_id: int, layer: str, spans: Sequence[Span],
                  relations: Sequence[Relation]) -> None:
    """The document's ``layer`` becomes exactly these spans and relations."""
    project.conn.execute("DELETE FROM relations WHERE doc_id = ? AND layer = ?", (doc_id, layer))
    project.conn.execute("DELETE FROM spans WHERE doc_id = ? AND layer = ?", (doc_id, layer))
    copy_layer(project, doc_id, spans, relations, layer=layer)


def fingerprint(spans: Sequence[Span], relations: Sequence[Relation]) -> tuple:
    """What a layer says about a document, independent of ids and timestamps."""
    keys = {s.id: (s.start, s.end, s.label) for s in spans}
    return (
        sorted((s.start, s.end, s.label, s.source, s.state, s.annotator,
                json.dumps(s.attrs, sort_keys=True)) for s in spans),
        sorted((keys.get(r.head_id), keys.get(r.child_id), r.label, r.state, r.annotator,
                json.dumps(r.attrs, sort_keys=True)) for r in relations),
    )


def stored_fingerprint(project: Project, doc_id: int, layer: str) -> tuple:
    return fingerprint(project.spans(doc_id, layer=layer), project.relations(doc_id, layer=layer))
