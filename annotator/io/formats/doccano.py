"""doccano JSONL, per project type, and its reader.

``--variant`` picks what a default doccano project of each type imports:

- ``relation`` (default): "Sequence labeling" with relations, overlap off (doccano's
  default). ``entities`` with a unique integer ``id`` (a missing id defaults to -1 in
  doccano and links relations to the wrong span), ``relations`` with ``from_id``/``to_id``/
  ``type``. Overlapping spans are resolved here (relation ends first, then the longest)
  and counted, and relations on a left-out span are left out and counted: doccano's own
  overlap filter would drop the span and then fail on the relation (KeyError).
- ``relation-overlap``: the same with every span, for projects that allow overlap.
- ``sequence`` / ``sequence-overlap``: a sequence-labeling project without relations:
  ``label`` = ``[[start, end, label], ...]``; relations and span source/state/attributes
  cannot be held and are counted.

Files are UTF-8 with a BOM, so doccano's encoding auto-detection (chardet on the first
bytes) cannot read a small file as a Windows code page; choose "Auto" or ``utf_8_sig``
on import. ``source``/``state`` and attributes travel as extra keys of an entity
(doccano ignores them); document name, annotator and status in ``meta``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.core.models import BULK
from annotator.io.formats.common import (
    RELATION_KEYS,
    SPAN_KEYS,
    DocView,
    ExportSummary,
    LineWriter,
    check_offset,
    dumps,
    extra_attrs,
    jsonl_lines,
    resolve_overlaps,
)
from annotator.io.items import ImportItem, ItemError

RECORD_KEYS = frozenset({"text", "entities", "relations", "label", "meta", "id", "Comments"})


class Writer(LineWriter):
    encoding = "utf-8-sig"

    def write(self, view: DocView) -> None:
        self.f.write(dumps(record(view, self.summary, variant=self.ctx.variant)) + "\n")


def record(view: DocView, summary: ExportSummary, *, variant: str = "relation-overlap",
           ) -> dict[str, Any]:
    """One doccano record of ``view`` for a project of type ``variant``."""
    where = f"doccano {variant}"
    if not variant.endswith("-overlap"):
        view = resolve_overlaps(view, summary, where=where)
    if variant.startswith("sequence"):
        summary.note(f"relations left out ({where} holds no relations)", len(view.relations))
        extra = sum(1 for s in view.spans if s.attrs or (s.source, s.state) != ("human",
                                                                               "accepted"))
        summary.note(f"span source/state/attributes left out ({where} labels are"
                     " [start, end, label])", extra)
        return {"text": view.text, "label": [[s.start, s.end, s.label] for s in view.spans],
                "meta": view.meta}
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
    """Records of a doccano JSONL export of any text project type (relation, sequence
    labeling, intent detection and slot filling)."""
    for n, line, why in jsonl_lines(path):
        if line is None:
            yield ItemError(f"line {n}", why)
        elif line.strip():
            yield _item(line, n, path)


def _item(line: str, n: int, path: Path) -> ImportItem | ItemError:
    try:
        return item_from_record(json.loads(line), default_name=f"{path.stem}-{n}")
    except json.JSONDecodeError as exc:
        return ItemError(f"line {n}", f"not valid JSON ({exc.msg})")
    except RecursionError:
        return ItemError(f"line {n}", "nested too deeply")
    except (ValueError, TypeError, KeyError) as exc:
        return ItemError(f"line {n}", str(exc))


def item_from_record(rec: Any, *, default_name: str) -> ImportItem:
    """One document; a bad entity or relation is dropped and named, the rest is kept."""
    if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
        raise ValueError("a record needs a text field")
    text: str = rec["text"]
    spans: list[dict[str, Any]] = []
    ids: dict[Any, int] = {}
    dropped: list[str] = []
    for key in ("entities", "label"):  # relation/intent exports; sequence labeling: "label"
        value = rec.get(key)
        if key == "label" and not _span_list(value):
            continue  # a classification label, kept in meta below
        for e in value or []:
            try:
                span = _span(e, text)
                if isinstance(e, dict) and "id" in e:
                    if e["id"] in ids:
                        raise ValueError(f"entity id {e['id']} is used twice")
                    ids[e["id"]] = len(spans)
            except (ValueError, TypeError, KeyError) as exc:
                dropped.append(f"entity {_name(e)}: {_why(exc)}")
                continue
            spans.append(span)
    relations = []
    for r in rec.get("relations") or []:
        try:
            relations.append(_relation(r, ids))
        except (ValueError, TypeError, KeyError) as exc:
            dropped.append(f"relation {r.get('id') if isinstance(r, dict) else r}: {_why(exc)}")
    meta = dict(rec["meta"]) if isinstance(rec.get("meta"), dict) else {}
    rest = {k: v for k, v in rec.items() if k not in RECORD_KEYS}
    if "label" in rec and not _span_list(rec["label"]):
        rest["label"] = rec["label"]
    meta.update(rest)
    name = str(meta.pop("doc", "") or default_name)
    status = meta.pop("status", None)
    return ImportItem(name=name, text=text, meta=meta, spans=spans, relations=relations,
                      status=status, dropped=dropped)


def _span_list(value: Any) -> bool:
    """A sequence-labeling ``label`` ([[s, e, label], ...]; empty: no spans), not categories."""
    return isinstance(value, list) and all(isinstance(x, list) for x in value)


def _why(exc: Exception) -> str:
    return f"missing field {exc.args[0]!r}" if isinstance(exc, KeyError) else str(exc)


def _name(e: Any) -> str:
    if isinstance(e, dict):
        return f"{e.get('start_offset')}-{e.get('end_offset')} {e.get('label')}"
    return repr(e)[:40]


def _span(e: Any, text: str) -> dict[str, Any]:
    if isinstance(e, list):  # [start, end, label], as doccano's own examples write them
        if len(e) != 3:
            raise ValueError("a span list must be [start, end, label]")
        e = {"start_offset": e[0], "end_offset": e[1], "label": e[2]}
    if not isinstance(e, dict):
        raise ValueError("an entity must be an object or [start, end, label]")
    start = check_offset(e["start_offset"], "start_offset")
    end = check_offset(e["end_offset"], "end_offset")
    if not 0 <= start < end <= len(text):
        raise ValueError(f"entity {start}-{end} is outside the text")
    if not isinstance(e["label"], str) or not e["label"]:
        raise ValueError(f"label must be text, not {e['label']!r}")
    out: dict[str, Any] = {"start": start, "end": end, "label": e["label"]}
    for k in ("source", "state", "annotator"):
        if k in e:
            out[k] = e[k]
    if e.get("reviewed") is False:  # accepted unseen when its document was finished
        out["review"] = BULK
    attrs = {k: v for k, v in e.items() if k not in SPAN_KEYS}
    if attrs:
        out["attrs"] = attrs
    return out


def _relation(r: Any, ids: dict[Any, int]) -> dict[str, Any]:
    if not isinstance(r, dict):
        raise ValueError("a relation must be an object")
    ends = [ids.get(r["from_id"]), ids.get(r["to_id"])]
    if None in ends:
        raise ValueError("points at a missing entity id")
    out: dict[str, Any] = {"head": ends[0], "child": ends[1], "label": str(r["type"])}
    attrs = {k: v for k, v in r.items() if k not in RELATION_KEYS}
    if attrs:
        out["attrs"] = attrs
    return out
