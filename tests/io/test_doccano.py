"""doccano JSONL per project type, checked with doccano's own import logic (tests/io/consumers.py)
and doccano's own example files read back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from consumers import DoccanoError, doccano_import
from test_export_common import add_nested, rich_project

from annotator.core.store import Project
from annotator.io.export import ExportError, ExportOptions, export_project
from annotator.io.formats import doccano
from annotator.io.importer import import_paths

# doccano's own examples (backend/data_import/pipeline/examples, MIT, doccano authors)
INTENT = ('{"text": "Find a flight from Memphis to Tacoma", "entities": [[0, 26, "City"],'
          ' [30, 36, "City"]], "cats": ["flight"]}')
RELATION = ('{"text":"Google was founded on September 4, 1998, by Larry Page and Sergey Brin.",'
            '"entities":[{"id":0,"start_offset":0,"end_offset":6,"label":"ORG"},{"id":1,'
            '"start_offset":22,"end_offset":39,"label":"DATE"},{"id":2,"start_offset":44,'
            '"end_offset":54,"label":"PERSON"},{"id":3,"start_offset":59,"end_offset":70,'
            '"label":"PERSON"}],"relations":[{"from_id":0,"to_id":1,"type":"foundedAt"},'
            '{"from_id":0,"to_id":2,"type":"foundedBy"},{"from_id":0,"to_id":3,"type":"foundedBy"}]}')
SEQUENCE = '{"id": 1, "text": "EU rejects German call.", "label": [[0, 2, "ORG"]], "Comments": []}'


def _export(tmp: Path, p: Project, variant: str | None) -> tuple[Path, str]:
    out = tmp / f"{variant}.jsonl"
    return out, export_project(p, "doccano", out, ExportOptions(variant=variant)).text()


def test_default_relation_project_imports_every_span_and_relation_written(tmp_path: Path) -> None:
    p = rich_project(tmp_path)
    add_nested(p)
    out, summary = _export(tmp_path, p, None)
    got = doccano_import(out, task="relation")  # overlap off: doccano's default
    ours = [json.loads(x) for x in out.read_text(encoding="utf-8-sig").splitlines()]
    assert [len(x["spans"]) for x in got] == [len(r["entities"]) for r in ours] == [3, 5, 2]
    assert [len(x["relations"]) for x in got] == [len(r["relations"]) for r in ours] == [2, 3, 1]
    assert "3 overlapping spans left out of doccano relation" in summary
    assert "1 relations left out of doccano relation because an end overlapped" in summary
    nested = got[2]
    assert [nested["text"][a:b] for a, b, _ in nested["spans"]] == ["Russian air force", "Maduro"]


def test_the_old_export_fails_in_doccano_as_reported(tmp_path: Path) -> None:
    """Control: every span written with overlap off makes doccano's relation save fail."""
    p = rich_project(tmp_path)
    add_nested(p)
    out, _ = _export(tmp_path, p, "relation-overlap")
    with pytest.raises(DoccanoError, match="KeyError"):
        doccano_import(out, task="relation")
    assert [len(x["spans"]) for x in doccano_import(out, task="relation",
                                                    allow_overlapping=True)] == [4, 6, 3]


@pytest.mark.parametrize("variant, spans", [("sequence", [3, 5]), ("sequence-overlap", [4, 6])])
def test_sequence_labeling_project_finds_the_label_column(tmp_path: Path, variant: str,
                                                           spans: list[int]) -> None:
    p = rich_project(tmp_path)
    out, summary = _export(tmp_path, p, variant)
    got = doccano_import(out, task="sequence", allow_overlapping=variant.endswith("overlap"))
    assert [len(x["spans"]) for x in got] == spans
    assert f"relations left out (doccano {variant} holds no relations)" in summary
    assert got[0]["meta"]["meta"]["doc"] == "example.txt"  # doccano keeps other columns as meta


def test_the_file_has_a_bom_for_doccanos_encoding_detection(tmp_path: Path) -> None:
    out, _ = _export(tmp_path, rich_project(tmp_path), None)
    assert out.read_bytes()[:3] == b"\xef\xbb\xbf"
    assert doccano_import(out, task="relation", encoding="utf-8-sig")


def test_unknown_variant_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="--variant 'tsv' does not apply to doccano"):
        _export(tmp_path, rich_project(tmp_path), "tsv")


def test_doccanos_own_examples_of_each_project_type_are_read(tmp_path: Path) -> None:
    f = tmp_path / "doccano.jsonl"
    f.write_text("\n".join([INTENT, RELATION, SEQUENCE]) + "\n", encoding="utf-8")
    intent, relation, sequence = list(doccano.read(f))
    assert [(s["start"], s["end"], s["label"]) for s in intent.spans] == [
        (0, 26, "City"), (30, 36, "City")]
    assert intent.meta == {"cats": ["flight"]} and not intent.dropped
    assert [(r["head"], r["child"], r["label"]) for r in relation.relations] == [
        (0, 1, "foundedAt"), (0, 2, "foundedBy"), (0, 3, "foundedBy")]
    assert sequence.spans == [{"start": 0, "end": 2, "label": "ORG"}]
    for line, task, item in ((INTENT, "intent", intent), (RELATION, "relation", relation)):
        one = tmp_path / f"{task}.jsonl"
        one.write_text(line + "\n", encoding="utf-8")
        [ref] = doccano_import(one, task=task, allow_overlapping=True)
        assert [(s["start"], s["end"], s["label"]) for s in item.spans] == ref["spans"]


def test_bad_entity_and_coerced_offsets_drop_only_themselves(tmp_path: Path) -> None:
    f = tmp_path / "bad.jsonl"
    rec = {"text": "Cuba and Peru.", "entities": [
        {"id": 1, "label": "GPE", "start_offset": 0, "end_offset": 4},
        {"id": 2, "label": "GPE", "start_offset": "9", "end_offset": 13},
        {"id": 3, "label": "GPE", "start_offset": 9, "end_offset": 13.0},
        {"id": 4, "label": "GPE", "start_offset": 9, "end_offset": 99},
        [9, 13, "GPE"]],
        "relations": [{"id": 0, "from_id": 1, "to_id": 2, "type": "AID"}]}
    f.write_text(json.dumps(rec) + "\n", encoding="utf-8")
    p = Project.init(tmp_path / "p")
    report = import_paths(p, [f], fmt="doccano")
    assert len(report.imported) == 1
    reasons = [r for _, r in report.dropped]
    assert len(reasons) == 4 and "not '9'" in reasons[0] and "not 13.0" in reasons[1]
    assert "outside the text" in reasons[2] and "missing entity id" in reasons[3]
    doc = next(p.iter_documents())
    assert [(s.start, s.end) for s in p.spans(doc.id)] == [(0, 4), (9, 13)]
