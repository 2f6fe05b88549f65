"""doccano JSONL for relation extraction, and its reader.

``entities`` carry a unique integer ``id`` within the record (doccano defaults a
missing id to -1, which silently links relations to the wrong span); ``relations``
point at them with ``from_id``/``to_id``. ``source``/``state`` and attributes travel as
extra keys (doccano ignores them), document name/annotator/status in ``meta``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.io.formats.common import (
    RELATION_KEYS,
    SPAN_KEYS,
    DocView,
    LineWriter,
    dumps,
    extra_attrs,
    jsonl_lines,
)
from annotator.io.items import ImportItem, ItemError

RECORD_KEYS = frozenset({"text", "entities", "relations", "label", "meta", "id", "Comments"})


class Writer(LineWriter):
    def write(self, view: DocView) -> None:
        self.f.write(dumps(record(view, self.summary)) + "\n")


def record(view: DocView, summary: Any) -> dict[str, Any]:
    entities = []
    for k, s in enumerate(view.spans):
        entities.append({"id": k, "label": s.label, "start_offset": s.start, "end_offset": s.end,
                         "source": s.source, "state": s.state, **s.provenance(),
                         **extra_attrs(s.attrs, SPAN_KEYS, summary, what="span")})
    relations = [{"id": k, "from_id": r.head, "to_id": r.child, "type": r.label,
                  **extra_attrs(r.attrs, RELATION_KEYS, summary, what="relation")}
                 for k, r in enumerate(view.relations)]
    return {"text": view.text, "entities": entities, "relations": relations, "meta": view.meta}


# ---- import ----------------------------------------------------------------------------------
def read(path: Path) -> Iterator[ImportItem | ItemError]:
    """Records of a doccano JSONL export (relation or sequence-labelling projects)."""
    for n, line in enumerate(jsonl_lines(path), 1):
        if line.strip():
            yield _item(line, n, path)


def _item(line: str, n: int, path: Path) -> ImportItem | ItemError:
    try:
        return item_from_record(json.loads(line), default_name=f"{path.stem}-{n}")
    except json.JSONDecodeError as exc:
        return ItemError(f"line {n}", f"not valid JSON ({exc.msg})")
    except KeyError as exc:
        return ItemError(f"line {n}", f"missing field {exc.args[0]!r}")
    except (ValueError, TypeError) as exc:
        return ItemError(f"line {n}", str(exc))


def item_from_record(rec: Any, *, default_name: str) -> ImportItem:
    if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
        raise ValueError("a record needs a text field")
    text: str = rec["text"]
    spans, ids = [], {}
    for e in rec.get("entities") or []:
        if "id" in e:
            if e["id"] in ids:
                raise ValueError(f"entity id {e['id']} is used twice")
            ids[e["id"]] = len(spans)
        spans.append(_span(e, text))
    for s, e, label in rec.get("label") or []:  # sequence-labelling export: [[s, e, label]]
        spans.append(_span({"start_offset": s, "end_offset": e, "label": label}, text))
    relations = [_relation(r, ids) for r in rec.get("relations") or []]
    meta = dict(rec.get("meta") or {}) if isinstance(rec.get("meta"), dict) else {}
    meta.update({k: v for k, v in rec.items() if k not in RECORD_KEYS})
    name = str(meta.pop("doc", "") or default_name)
    status = meta.pop("status", None)
    return ImportItem(name=name, text=text, meta=meta, spans=spans, relations=relations,
                      status=status)


def _span(e: dict[str, Any], text: str) -> dict[str, Any]:
    start, end = int(e["start_offset"]), int(e["end_offset"])
    if not 0 <= start < end <= len(text):
        raise ValueError(f"entity {start}-{end} is outside the text")
    out: dict[str, Any] = {"start": start, "end": end, "label": str(e["label"])}
    for k in ("source", "state", "annotator"):
        if k in e:
            out[k] = e[k]
    attrs = {k: v for k, v in e.items() if k not in SPAN_KEYS}
    if attrs:
        out["attrs"] = attrs
    return out


def _relation(r: dict[str, Any], ids: dict[Any, int]) -> dict[str, Any]:
    ends = [ids.get(r["from_id"]), ids.get(r["to_id"])]
    if None in ends:
        raise ValueError(f"relation {r.get('id')} points at a missing entity id")
    out: dict[str, Any] = {"head": ends[0], "child": ends[1], "label": str(r["type"])}
    attrs = {k: v for k, v in r.items() if k not in RELATION_KEYS}
    if attrs:
        out["attrs"] = attrs
    return out
