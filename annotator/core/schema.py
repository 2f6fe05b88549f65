"""The annotation schema: entity labels, relation types and their attributes.

A schema is data (JSON). It is validated once on load and stored in the project,
so a project file is self-contained. ``@NAME`` in a relation's head/child list
expands to the label set NAME.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.core.errors import SchemaError
from annotator.core.paths import resource_path

_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]*$")


@dataclass(frozen=True)
class EntityLabel:
    name: str
    key: str
    color: str
    description: str = ""


@dataclass(frozen=True)
class RelationType:
    name: str
    head: frozenset[str]
    child: frozenset[str]
    symmetric: bool = False
    group: str = ""
    description: str = ""

    def allows(self, head_label: str, child_label: str) -> bool:
        return head_label in self.head and child_label in self.child


@dataclass(frozen=True)
class Attribute:
    name: str
    type: str  # bool | string | enum
    values: tuple[str, ...] = ()
    default: Any = None
    pattern: str | None = None


@dataclass(frozen=True)
class Schema:
    """A validated schema; ``raw`` is the JSON it came from (stored in the project)."""

    name: str
    entities: tuple[EntityLabel, ...]
    relations: tuple[RelationType, ...]
    span_attributes: tuple[Attribute, ...]
    relation_attributes: tuple[Attribute, ...]
    model_label_map: dict[str, str]
    allow_overlap: bool
    raw: dict[str, Any] = field(repr=False, compare=False)

    @property
    def labels(self) -> list[str]:
        return [e.name for e in self.entities]

    def entity(self, name: str) -> EntityLabel | None:
        return next((e for e in self.entities if e.name == name), None)

    def relation(self, name: str) -> RelationType | None:
        return next((r for r in self.relations if r.name == name), None)

    def relations_for(self, head_label: str, child_label: str) -> list[RelationType]:
        """Relation types valid for a head/child label pair (either order for symmetric)."""
        return [
            r
            for r in self.relations
            if r.allows(head_label, child_label)
            or (r.symmetric and r.allows(child_label, head_label))
        ]

    def check_relation(self, label: str, head_label: str, child_label: str) -> None:
        rel = self.relation(label)
        if rel is None:
            raise SchemaError(f"unknown relation type {label!r}")
        if rel not in self.relations_for(head_label, child_label):
            raise SchemaError(
                f"{label} does not allow {head_label} -> {child_label}"
            )

    def check_attrs(self, attrs: dict[str, Any], *, relation: bool) -> None:
        defs = {a.name: a for a in (self.relation_attributes if relation else self.span_attributes)}
        for key, value in attrs.items():
            a = defs.get(key)
            if a is None:
                continue  # free extra attributes are kept, not validated
            _check_value(a, value)

    def to_json(self) -> str:
        return json.dumps(self.raw, ensure_ascii=False, sort_keys=True)


def _check_value(a: Attribute, value: Any) -> None:
    if value is None:
        return
    if a.type == "bool" and not isinstance(value, bool):
        raise SchemaError(f"attribute {a.name} must be true or false, not {value!r}")
    if a.type == "enum" and value not in a.values:
        raise SchemaError(f"attribute {a.name} must be one of {', '.join(a.values)}")
    if a.type == "string":
        if not isinstance(value, str):
            raise SchemaError(f"attribute {a.name} must be text")
        if a.pattern and value and not re.match(a.pattern, value):
            raise SchemaError(f"attribute {a.name}: {value!r} does not match {a.pattern}")


def default_schema_path() -> Path:
    return resource_path("schema", "default.json")


def load_schema(path: Path | None = None) -> Schema:
    """Read and validate a schema file (the default one when ``path`` is None)."""
    path = path or default_schema_path()
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SchemaError(f"cannot read schema {path}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise SchemaError(f"schema {path} is not valid JSON (line {exc.lineno}): {exc.msg}") from None
    return parse_schema(raw)


def parse_schema(raw: Any) -> Schema:
    """Validate a schema given as parsed JSON."""
    if not isinstance(raw, dict):
        raise SchemaError("schema must be a JSON object")
    ents = tuple(_entity(e) for e in _list(raw, "entities"))
    if not ents:
        raise SchemaError("schema has no entity labels")
    names = [e.name for e in ents]
    _unique(names, "entity label")
    _unique([e.key for e in ents if e.key], "entity key")
    sets = {k: list(v) for k, v in (raw.get("label_sets") or {}).items()}
    rels = tuple(_relation(r, sets, set(names)) for r in _list(raw, "relations"))
    _unique([r.name for r in rels], "relation type")
    lmap = raw.get("model_label_map") or {}
    for src, dst in lmap.items():
        if dst not in names:
            raise SchemaError(f"model_label_map maps {src} to unknown label {dst}")
    return Schema(
        name=str(raw.get("name", "custom")),
        entities=ents,
        relations=rels,
        span_attributes=tuple(_attribute(a) for a in raw.get("span_attributes") or []),
        relation_attributes=tuple(_attribute(a) for a in raw.get("relation_attributes") or []),
        model_label_map=dict(lmap),
        allow_overlap=bool(raw.get("allow_overlap", True)),
        raw=raw,
    )


def _list(raw: dict, key: str) -> list:
    value = raw.get(key, [])
    if not isinstance(value, list):
        raise SchemaError(f"schema field {key!r} must be a list")
    return value


def _unique(values: list[str], what: str) -> None:
    seen: set[str] = set()
    for v in values:
        if v in seen:
            raise SchemaError(f"duplicate {what} {v!r}")
        seen.add(v)


def _entity(e: Any) -> EntityLabel:
    if not isinstance(e, dict) or not _NAME.match(str(e.get("name", ""))):
        raise SchemaError(f"bad entity label {e!r}: needs a name of letters, digits, _ or -")
    key = str(e.get("key", ""))
    if len(key) > 1:
        raise SchemaError(f"label {e['name']}: key must be one character, not {key!r}")
    color = str(e.get("color", "#BAB0AC"))
    if not _COLOR.match(color):
        raise SchemaError(f"label {e['name']}: colour must look like #RRGGBB, not {color!r}")
    return EntityLabel(e["name"], key, color.upper(), str(e.get("description", "")))


def _expand(items: list, sets: dict[str, list[str]], labels: set[str], where: str) -> frozenset[str]:
    out: set[str] = set()
    for item in items:
        if isinstance(item, str) and item.startswith("@"):
            if item[1:] not in sets:
                raise SchemaError(f"{where}: unknown label set {item}")
            out.update(sets[item[1:]])
        else:
            out.add(item)
    unknown = out - labels
    if unknown:
        raise SchemaError(f"{where}: unknown labels {', '.join(sorted(unknown))}")
    return frozenset(out)


def _relation(r: Any, sets: dict[str, list[str]], labels: set[str]) -> RelationType:
    if not isinstance(r, dict) or not _NAME.match(str(r.get("name", ""))):
        raise SchemaError(f"bad relation type {r!r}")
    where = f"relation {r['name']}"
    return RelationType(
        name=r["name"],
        head=_expand(r.get("head") or [], sets, labels, where),
        child=_expand(r.get("child") or [], sets, labels, where),
        symmetric=bool(r.get("symmetric", False)),
        group=str(r.get("group", "")),
        description=str(r.get("description", "")),
    )


def _attribute(a: Any) -> Attribute:
    if not isinstance(a, dict) or not a.get("name"):
        raise SchemaError(f"bad attribute {a!r}")
    kind = a.get("type", "string")
    if kind not in ("bool", "string", "enum"):
        raise SchemaError(f"attribute {a['name']}: type must be bool, string or enum")
    values = tuple(a.get("values") or ())
    if kind == "enum" and not values:
        raise SchemaError(f"attribute {a['name']}: enum needs values")
    return Attribute(a["name"], kind, values, a.get("default"), a.get("pattern"))
