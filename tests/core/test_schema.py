"""The default schema file and schema validation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core.errors import SchemaError
from annotator.core.schema import load_schema, parse_schema


def test_default_schema_matches_schema_md() -> None:
    s = load_schema()
    assert [(e.key, e.name) for e in s.entities] == [
        ("1", "GPE"), ("2", "PERSON"), ("3", "ORG"), ("4", "NORP"), ("5", "MIL_UNIT"),
        ("6", "ARMED_GROUP"), ("7", "LOC"), ("8", "FAC"), ("9", "WEAPON"), ("0", "EVENT"),
    ]
    assert len(s.relations) == 26  # 10 standing + 16 PLOVER event classes
    assert s.model_label_map["LAW"] == "EVENT" and "DATE" not in s.model_label_map
    assert {a.name for a in s.relation_attributes} == {"negated", "modality"}


def test_relations_for_pairs() -> None:
    s = load_schema()
    person_gpe = {r.name for r in s.relations_for("PERSON", "GPE")}
    assert {"LEADER_OF", "NATIONALITY", "SUPPORT", "AID"} <= person_gpe
    assert "LEADER_OF" not in {r.name for r in s.relations_for("GPE", "PERSON")}
    assert "ALLIED_WITH" in {r.name for r in s.relations_for("ORG", "GPE")}  # symmetric, both ways
    assert s.relations_for("NORP", "WEAPON") != []  # OPERATES: ACTOR -> WEAPON
    assert "LOCATED_IN" not in {r.name for r in s.relations_for("NORP", "GPE")}


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda r: r["entities"].append(dict(r["entities"][0])), "duplicate entity label"),
        (lambda r: r["entities"][1].update(key="1"), "duplicate entity key"),
        (lambda r: r["entities"][0].update(color="blue"), "colour"),
        (lambda r: r["relations"][0].update(head=["ALIEN"]), "unknown labels"),
        (lambda r: r["relations"][0].update(child=["@NOPE"]), "unknown label set"),
        (lambda r: r["model_label_map"].update(DATE="TIME"), "unknown label"),
        (lambda r: r.update(entities=[]), "no entity labels"),
    ],
)
def test_invalid_schemas_refused(mutate, message: str) -> None:
    raw = json.loads(json.dumps(load_schema().raw))
    mutate(raw)
    with pytest.raises(SchemaError, match=message):
        parse_schema(raw)


def test_unreadable_schema_file(tmp_path: Path) -> None:
    bad = tmp_path / "s.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(SchemaError, match="not valid JSON"):
        load_schema(bad)
