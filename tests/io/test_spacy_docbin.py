"""The DocBin's relations as the rel_component tutorial reads them (tests/io/consumers.py):
never on a span they were not drawn on, never negated as positive; kb_id and provenance kept."""

from __future__ import annotations

from pathlib import Path

from consumers import tutorial_truth
from test_export_common import NESTED, add_doc, add_nested

from annotator.core import ops
from annotator.core.store import Project
from annotator.io.export import ExportOptions, export_project
from annotator.io.formats import spacy_docbin


def _docs(path: Path) -> list:
    import spacy
    from spacy.tokens import DocBin

    spacy_docbin.ensure_rel_extension()
    return list(DocBin().from_disk(path).get_docs(spacy.blank("en").vocab))


def test_nested_span_relation_is_not_moved_to_the_enclosing_entity(tmp_path: Path) -> None:
    p = Project.init(tmp_path / "p")
    doc = add_nested(p)
    # un-negate the NORP relation and drop the MIL_UNIT one: now "Russian" must be the entity
    rels = p.relations(doc)
    p.apply(ops.DeleteRelations([rels[0].id]))
    summary = export_project(p, "spacy", tmp_path / "a.spacy", ExportOptions()).text()
    [d] = _docs(tmp_path / "a.spacy")
    assert "negated relations left out of doc._.rel" in summary
    assert d._.rel == {}  # the only relation left is negated
    p.apply(ops.UpdateRelation(rels[1].id, {"attrs": {"negated": False}}))
    export_project(p, "spacy", tmp_path / "b.spacy", ExportOptions())
    [d] = _docs(tmp_path / "b.spacy")
    assert [(e.text, e.label_) for e in d.ents] == [("Russian", "NORP"), ("Maduro", "PERSON")]
    russian, maduro = d.ents
    assert d._.rel == {(russian.start, maduro.start): {"SUPPORT": 1.0}}
    # the tutorial's gold lookup: every instance pair of doc.ents, labels from doc._.rel
    assert tutorial_truth(d, ["SUPPORT"]) == [[1.0], [0.0]]


def test_both_nested_spans_with_relations_write_only_the_one_in_ents(tmp_path: Path) -> None:
    p = Project.init(tmp_path / "p")
    add_nested(p)
    doc = p.iter_documents().__next__()
    p.apply(ops.UpdateRelation(p.relations(doc.id)[1].id, {"attrs": {"negated": False}}))
    summary = export_project(p, "spacy", tmp_path / "o.spacy", ExportOptions()).text()
    [d] = _docs(tmp_path / "o.spacy")
    assert [e.text for e in d.ents] == ["Russian air force", "Maduro"]
    force, maduro = d.ents
    assert d._.rel == {(force.start, maduro.start): {"SUPPORT": 1.0}}
    assert "1 relations left out of doc._.rel because an end is not in doc.ents" in summary
    assert sorted(s.text for s in d.spans["sc"]) == ["Maduro", "Russian", "Russian air force"]
    assert d.text == NESTED


def test_kb_id_and_provenance_are_readable(tmp_path: Path) -> None:
    p = Project.init(tmp_path / "p", annotator="ana")
    _, ids = add_doc(p, "k.txt", "Venezuela and Cuba.", [(0, 9, "GPE")])
    p.apply(ops.set_span_attrs(ids[0], {"kb_id": "Q717"}))
    p.apply(ops.AddSpan(1, 14, 18, "GPE", source="model", state="suggested"))
    export_project(p, "spacy", tmp_path / "o.spacy", ExportOptions(status="all"))
    [d] = _docs(tmp_path / "o.spacy")
    assert [(e.text, e.kb_id_) for e in d.ents] == [("Venezuela", "Q717"), ("Cuba", "")]
    assert [s.kb_id_ for s in d.spans["sc"]] == ["Q717", ""]
    data = d.user_data["annotator"]
    assert [(x["source"], x["state"]) for x in data["spans"]] == [("human", "accepted"),
                                                                  ("model", "suggested")]
    assert [x.get("annotator") for x in data["spans"]] == ["ana", "ana"]  # who decided each
    assert data["meta"]["doc"] == "k.txt"
