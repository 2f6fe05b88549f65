"""brat: exports pass brat's verifier logic (tests/io/consumers.py); corpora with events, notes,
normalizations and discontinuous spans import with everything they can hold, the rest named."""

from __future__ import annotations

from pathlib import Path

from consumers import brat_verify
from test_export_common import add_doc, add_nested, rich_project

from annotator.core import ops
from annotator.core.store import Project
from annotator.io.export import ExportOptions, export_project
from annotator.io.importer import collect_files, import_paths


def test_export_passes_brats_verifier(tmp_path: Path) -> None:
    p = rich_project(tmp_path)
    add_nested(p)
    _, ids = add_doc(p, "kb.txt", "Venezuela and Cuba.", [(0, 9, "GPE"), (14, 18, "GPE")])
    p.apply(ops.set_span_attrs(ids[0], {"kb_id": "Q717", "country": "VEN", "note": "capital?",
                                        "note_Check": "second look", "free": "x-1"}))
    out = tmp_path / "b"
    export_project(p, "brat", out, ExportOptions(status="all"))
    assert brat_verify(out) == []
    ann = (out / "kb.ann").read_text(encoding="utf-8").splitlines()
    assert "N1\tReference T1 Wikidata:Q717\tVenezuela" in ann
    assert "#2\tCheck T1\tsecond look" in ann and "A1\tCountry T1 VEN" in ann
    conf = (out / "annotation.conf").read_text(encoding="utf-8")
    assert "Country\tArg:<ENTITY>, Value:VEN" in conf and "Free\tArg:<ENTITY>, Value:x-1" in conf


def test_old_conf_would_fail_the_verifier(tmp_path: Path) -> None:
    """Control: an attribute written but not declared is an error to brat."""
    out = tmp_path / "b"
    out.mkdir()
    (out / "a.txt").write_text("Cuba.", encoding="utf-8")
    (out / "a.ann").write_text("T1\tGPE 0 4\tCuba\nA1\tCountry T1 CUB\n", encoding="utf-8")
    (out / "annotation.conf").write_text("[entities]\nGPE\n[relations]\n[events]\n[attributes]\n",
                                         encoding="utf-8")
    assert brat_verify(out) == ["T1: GPE cannot take a Country attribute"]


def test_spans_from_brat_get_no_source_state_lines_unless_asked(tmp_path: Path) -> None:
    p = Project.init(tmp_path / "p")
    add_doc(p, "a.txt", "Cuba and Peru.", [(0, 4, "GPE")])
    p.apply(ops.AddSpan(1, 9, 13, "GPE", source="model", state="suggested"))
    export_project(p, "brat", tmp_path / "plain", ExportOptions(status="all"))
    lines = (tmp_path / "plain" / "a.ann").read_text(encoding="utf-8").splitlines()
    assert [x for x in lines if x.startswith("A")] == ["A1\tSource T2 model", "A2\tState T2 suggested"]
    export_project(p, "brat", tmp_path / "prov", ExportOptions(status="all", variant="provenance"))
    lines = (tmp_path / "prov" / "a.ann").read_text(encoding="utf-8").splitlines()
    assert "A1\tSource T1 human" in lines and "A2\tState T1 accepted" in lines


def test_a_newline_at_a_span_edge_is_reported(tmp_path: Path) -> None:
    p = Project.init(tmp_path / "p")
    add_doc(p, "a.txt", "Venezuela\nand Cuba.", [(0, 10, "GPE")])
    s = export_project(p, "brat", tmp_path / "b", ExportOptions())
    assert (tmp_path / "b" / "a.ann").read_text(encoding="utf-8").startswith("T1\tGPE 0 9\t")
    assert "1 newlines at a span's edge left out" in s.text()


CORPUS_ANN = """R1\tAID Arg1:T1 Arg2:T2
T1\tGPE 0 6\tRussia
T2\tGPE 15 24\tVenezuela
T3\tGPE 29 33;38 42\tCuba Peru
T4\tORG 44 48;49 54\tLima Group
E1\tAttack:T5 Target:T2
T5\tAttack 7 14\tattacks
*\tEquiv T1 T2
N1\tReference T2 Wikidata:Q717\tVenezuela
N2\tReference T1 GeoNames:2017370\tRussia
#1\tAnnotatorNotes T1\tsee wiki
#2\tReview R1\tcheck the date
A1\tNegated R1
A2\tSpeculation E1
"""
CORPUS_TEXT = "Russia attacks Venezuela and Cuba and Peru.\nLima\nGroup"


def test_brat_corpus_two_pass_fragments_normalizations_notes_and_events(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "doc.txt").write_text(CORPUS_TEXT, encoding="utf-8")
    (corpus / "doc.ann").write_text(CORPUS_ANN, encoding="utf-8")
    for name in ("README", "LICENSE", "annotation.conf"):
        (corpus / name).write_text("not a document\n", encoding="utf-8")
    files = collect_files([corpus])
    assert [f.name for f in files] == ["doc.txt"]  # README/LICENSE are not documents
    p = Project.init(tmp_path / "p")
    report = import_paths(p, files)
    assert len(report.imported) == 1 and not report.skipped
    dropped = [r for _, r in report.dropped]
    assert any("T3: discontinuous span (29 33;38 42) cannot be held" in r for r in dropped)
    assert any("event E1" in r for r in dropped)
    assert any("equivalence Equiv T1 T2 kept as 1 Equiv relation" in n for _, n in report.notes)
    assert any("relation Equiv 0->1: unknown relation type" in r for r in dropped), dropped
    assert any("unknown label 'Attack'" in r for r in dropped)  # the event's trigger
    doc = next(p.iter_documents())
    spans = {p.text(doc.id)[s.start:s.end]: s for s in p.spans(doc.id)}
    assert set(spans) == {"Russia", "Venezuela", "Lima\nGroup"}  # a newline gap is joined
    assert spans["Venezuela"].attrs == {"kb_id": "Q717"}
    assert spans["Russia"].attrs == {"kb_id": "GeoNames:2017370", "note": "see wiki"}
    [rel] = p.relations(doc.id)  # listed before its entities, still read
    assert rel.label == "AID" and rel.attrs == {"negated": True, "note_Review": "check the date"}
    out = tmp_path / "again"
    export_project(p, "brat", out, ExportOptions(status="all"))
    ann = (out / "doc.ann").read_text(encoding="utf-8").splitlines()
    assert "N2\tReference T2 Wikidata:Q717\tVenezuela" in ann
    assert "N1\tReference T1 GeoNames:2017370\tRussia" in ann
    assert "T3\tORG 44 48;49 54\tLima Group" in ann
    assert brat_verify(out) == []
