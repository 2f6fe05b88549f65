"""The real consumers' reader logic, reproduced from their published source, for the format tests.

``tutorial_docs`` is explosion/projects ``tutorials/rel_component/scripts/parse_data.py``
(MIT, ExplosionAI GmbH): Prodigy rel.manual tasks -> ``Doc(words, spaces)`` with
``doc.char_span`` entities and ``doc._.rel`` keyed by the start tokens of the spans.
``tutorial_truth`` is the rel_pipe's ``_examples_to_truth``: gold labels looked up by
``(e1.start, e2.start)`` for every pair of ``doc.ents``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def tutorial_docs(path: Path, labels: dict[str, str], symmetric: tuple[str, ...] = ()) -> list[Any]:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    if not Doc.has_extension("rel"):
        Doc.set_extension("rel", default={})
    vocab = Vocab()
    docs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        example = json.loads(line)
        if example["answer"] != "accept":
            continue
        words = [t["text"] for t in example["tokens"]]
        spaces = [t["ws"] for t in example["tokens"]]
        doc = Doc(vocab, words=words, spaces=spaces)
        entities, span_end_to_start, span_starts = [], {}, set()
        for span in example["spans"]:
            entities.append(doc.char_span(span["start"], span["end"], label=span["label"]))
            span_end_to_start[span["token_end"]] = span["token_start"]
            span_starts.add(span["token_start"])
        doc.ents = entities  # raises on a None span: the crash of issue #14
        rels: dict[tuple[int, int], dict[str, float]] = {
            (a, b): {} for a in span_starts for b in span_starts}
        for relation in example["relations"]:
            start = span_end_to_start[relation["head"]]
            end = span_end_to_start[relation["child"]]
            label = labels[relation["label"]]
            rels[(start, end)].setdefault(label, 1.0)
            if label in symmetric:
                rels[(end, start)].setdefault(label, 1.0)
        for key in rels:
            for label in labels.values():
                rels[key].setdefault(label, 0.0)
        doc._.rel = rels
        docs.append(doc)
    return docs


def tutorial_truth(doc: Any, labels: list[str], max_length: int = 100) -> list[list[float]]:
    """One row per instance pair of doc.ents (rel_model's get_instances), gold from doc._.rel."""
    rows = []
    for e1 in doc.ents:
        for e2 in doc.ents:
            if e1 != e2 and abs(e2.start - e1.start) <= max_length:
                gold = doc._.rel.get((e1.start, e2.start), {})
                rows.append([gold.get(label, 0.0) for label in labels])
    return rows


# ---- doccano ---------------------------------------------------------------------------------
class DoccanoError(Exception):
    """Where doccano's own import fails (a KeyError in RelationLabel.create, a missing column)."""


def doccano_import(path: Path, *, task: str, allow_overlapping: bool = False,
                   encoding: str = "utf-8-sig") -> list[dict[str, Any]]:
    """doccano's JSONL import (backend/data_import at commit ab6b765): JSONLParser, LabelMaker
    with SpanLabel/RelationLabel.parse, Spans.clean (overlap off keeps a span only when it
    starts at or after the end of the last kept one, in start order) and the relation save
    through ``id_to_span``. ``encoding``: "utf-8-sig" is what Auto detects for a BOM file.
    Returns per example: text, spans [(start, end, label)], relations [(from, to, type)], meta.
    """
    column = {"sequence": "label", "relation": "entities", "intent": "entities"}[task]
    out = []
    for line in path.read_text(encoding=encoding).splitlines():
        row = json.loads(line)
        if column not in row:
            raise DoccanoError(f"Column {column} not found in the file")
        spans = [_doccano_span(x) for x in row.get(column) or []]
        spans = [s for s in spans if s is not None]
        if not allow_overlapping:
            kept, last = [], -1
            for s in sorted(spans, key=lambda s: s["start_offset"]):
                if s["start_offset"] >= last:
                    last = s["end_offset"]
                    kept.append(s)
            spans = kept
        id_to_span = {s.get("id", -1): s for s in spans}
        relations = []
        for r in (row.get("relations") or []) if task == "relation" else []:
            try:
                relations.append((id_to_span[r["from_id"]], id_to_span[r["to_id"]], r["type"]))
            except KeyError as exc:
                raise DoccanoError(f"KeyError {exc} saving relations") from None
        excluded = {"text", column, "relations", "cats"}
        out.append({"text": row["text"],
                    "spans": [(s["start_offset"], s["end_offset"], s["label"]) for s in spans],
                    "relations": [((a["start_offset"], a["end_offset"]),
                                   (b["start_offset"], b["end_offset"]), t)
                                  for a, b, t in relations],
                    "meta": {k: v for k, v in row.items() if k not in excluded}})
    return out


def _doccano_span(obj: Any) -> dict[str, Any] | None:
    if isinstance(obj, list | tuple):
        obj = dict(zip(["start_offset", "end_offset", "label"], obj, strict=False))
    if not isinstance(obj, dict):
        return None
    s, e, label = obj.get("start_offset"), obj.get("end_offset"), obj.get("label")
    if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e and label):
        return None  # LabelMaker skips what pydantic refuses
    return obj


# ---- brat ------------------------------------------------------------------------------------
def brat_verify(folder: Path) -> list[str]:
    """brat's verify_annotations.py checks (server/src/verify_annotations.py, nlplab/brat) over a
    folder with its annotation.conf: known textbound and relation types, relation argument
    types in either order (verify_relations), every attribute allowed for its target's type
    (verify_attributes, projectconfig.attributes_for), attribute values among the declared
    ones, and annotation.py's text check (the T line's text equals the document at its
    offsets, fragments joined by a space). Returns brat's error lines."""
    conf = _brat_conf((folder / "annotation.conf").read_text(encoding="utf-8"))
    errors = []
    for ann_path in sorted(folder.glob("*.ann")):
        text = ann_path.with_suffix(".txt").read_text(encoding="utf-8")
        types: dict[str, str] = {}
        kinds: dict[str, str] = {}
        for line in ann_path.read_text(encoding="utf-8").splitlines():
            ident, mid = line.split("\t")[:2]
            if ident[0] == "T":
                label, offsets = mid.split(" ", 1)
                frags = [tuple(map(int, f.split())) for f in offsets.split(";")]
                types[ident], kinds[ident] = label, "<ENTITY>"
                if label not in conf["entities"]:
                    errors.append(f"{ident}: {label} is not a known textbound type")
                if " ".join(text[a:b] for a, b in frags) != line.split("\t")[2]:
                    errors.append(f"{ident}: text does not match the document")
            elif ident[0] == "R":
                label, a1, a2 = mid.split()
                types[ident], kinds[ident] = label, "<RELATION>"
                t1, t2 = types[a1.split(":")[1]], types[a2.split(":")[1]]
                allowed = conf["relations"].get(label)
                if allowed is None:
                    errors.append(f"{ident}: {label} is not a known relation type")
                elif not any((t1 in h and t2 in c) or (t2 in h and t1 in c) for h, c in allowed):
                    errors.append(f"{ident}: {label} relation Arg1:{t1} Arg2:{t2} not allowed")
            elif ident[0] in "AM":
                name, target, *value = mid.split()
                spec = conf["attributes"].get(name)
                if spec is None or kinds[target] not in spec[0] and types[target] not in spec[0]:
                    errors.append(f"{target}: {types[target]} cannot take a {name} attribute")
                elif value and spec[1] is not None and value[0] not in spec[1]:
                    errors.append(f"{ident}: {name} value {value[0]} is not declared")
            elif ident[0] in "N#" and mid.split()[1] not in types:
                errors.append(f"{ident}: unknown target")
    return errors


def _brat_conf(source: str) -> dict[str, Any]:
    out: dict[str, Any] = {"entities": set(), "relations": {}, "attributes": {}}
    section = ""
    for raw in source.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        if section == "entities":
            out["entities"].add(line.lstrip("!"))
        elif section == "relations" and not line.startswith("<"):
            name, args = line.split(None, 1)
            parts = dict(p.strip().split(":", 1) for p in args.split(","))
            if "Arg1" in parts and "Arg2" in parts:
                out["relations"].setdefault(name, []).append(
                    (set(parts["Arg1"].split("|")), set(parts["Arg2"].split("|"))))
        elif section == "attributes":
            name, args = line.split(None, 1)
            parts = dict(p.strip().split(":", 1) for p in args.split(","))
            values = set(parts["Value"].split("|")) if "Value" in parts else None
            out["attributes"][name] = (set(parts["Arg"].split("|")), values)
    return out
