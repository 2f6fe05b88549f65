"""Relation suggestions with the real model (slow): done-when sentence, re-runs, memory, exports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core.ops import AddRelation, AddSpan, DeleteRelations
from annotator.core.relation_review import RejectRelations, accept_relations, correct_relation
from annotator.core.store import Project
from annotator.nlp.model import resolve_model
from annotator.nlp.preannotate import Options, Preannotator, preannotate_project

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not resolve_model(None).statistical,
                                                  reason="no English model installed")]

DONE_WHEN = ("The Trump administration has recognized opposition leader Juan Guaido as the"
             " country's legitimate president and demands that Maduro step down.")


@pytest.fixture(scope="module")
def pre(tmp_path_factory: pytest.TempPathFactory) -> Preannotator:
    p = Project.init(tmp_path_factory.mktemp("pre") / "p")
    yield Preannotator.for_project(p)
    p.close()


def rels(project: Project, doc_id: int) -> set[tuple[str, str, str, str, str]]:
    text = project.text(doc_id)
    spans = {s.id: s for s in project.spans(doc_id)}
    return {(text[spans[r.head_id].start:spans[r.head_id].end], r.label,
             text[spans[r.child_id].start:spans[r.child_id].end], r.state, r.source)
            for r in project.relations(doc_id)}


def find(project: Project, doc_id: int, head: str, label: str, child: str) -> int:
    text = project.text(doc_id)
    spans = {s.id: s for s in project.spans(doc_id)}
    for r in project.relations(doc_id):
        h, c = spans[r.head_id], spans[r.child_id]
        if (text[h.start:h.end], r.label, text[c.start:c.end]) == (head, label, child):
            return r.id
    raise AssertionError(f"no {label}({head} -> {child}) in {rels(project, doc_id)}")


def test_done_when_sentence_of_the_sample(sample_copy: Path, pre: Preannotator) -> None:
    with Project.init(sample_copy, annotator="tester") as p:
        doc = p.add_document("000.txt", (sample_copy / "000_f94fc84580977958.txt").read_text())
        summary = preannotate_project(p, Options(), pre=pre)
        got = rels(p, doc)
        assert ("Trump administration", "SUPPORT", "Juan Guaido", "suggested", "rule") in got
        assert ("Trump administration", "REQUEST", "Maduro", "suggested", "rule") in got
        rel = p.relation(find(p, doc, "Trump administration", "SUPPORT", "Juan Guaido"))
        assert rel.attrs["trigger"] == "recognize" and rel.attrs["why"] == "verb 'recognize'"
        assert {r.run_id for r in p.relations(doc)} == {summary.run_id} and summary.run_id
        assert summary.relations == len(got) and "relation suggestions" in summary.text()
        spans = {s.id: s for s in p.spans(doc)}
        for r in p.relations(doc):  # every suggestion is valid for the schema
            p.schema.check_relation(r.label, spans[r.head_id].label, spans[r.child_id].label)


def test_rerun_keeps_decisions_and_never_resuggests_rejected(project: Project,
                                                             pre: Preannotator) -> None:
    doc = project.add_document("a.txt", DONE_WHEN + " Russia and China have backed Maduro.")
    preannotate_project(project, Options(), pre=pre)
    support = find(project, doc, "Trump administration", "SUPPORT", "Juan Guaido")
    request = find(project, doc, "Trump administration", "REQUEST", "Maduro")
    china = find(project, doc, "China", "SUPPORT", "Maduro")
    project.apply(accept_relations([support]))
    project.apply(RejectRelations([request]))
    project.apply(DeleteRelations([china]))  # a plain delete of a suggestion counts too
    before = rels(project, doc)
    summary = preannotate_project(project, Options(), pre=pre)
    assert rels(project, doc) == before and summary.relations == 0
    assert project.relation(support).state == "accepted"


def test_a_correction_changes_the_next_run(project: Project, pre: Preannotator) -> None:
    first = project.add_document("a.txt", "Russia rebuffed Venezuela on Monday.")
    preannotate_project(project, Options(), pre=pre)
    rid = find(project, first, "Russia", "REJECT", "Venezuela")
    project.apply(correct_relation(project, rid, label="ACCUSE", attrs={
        **project.relation(rid).attrs, "modality": "reported-claim"}))
    second = project.add_document("b.txt", "Russia rebuffed Venezuela again on Friday.")
    third = project.add_document("c.txt", "China rebuffed Brazil in Brasilia.")
    preannotate_project(project, Options(), pre=pre)
    got = project.relation(find(project, second, "Russia", "ACCUSE", "Venezuela"))
    assert (got.source, got.state, got.attrs["modality"]) == ("memory", "suggested",
                                                              "reported-claim")
    assert got.attrs["why"].startswith("memory")
    assert find(project, third, "China", "ACCUSE", "Brazil")  # the trigger was retyped too


def test_a_rejected_pattern_is_not_suggested_elsewhere(project: Project,
                                                       pre: Preannotator) -> None:
    a = project.add_document("a.txt", "Russia backs Maduro.")
    preannotate_project(project, Options(), pre=pre)
    project.apply(RejectRelations([find(project, a, "Russia", "SUPPORT", "Maduro")]))
    b = project.add_document("b.txt", "Russia backs Maduro, Reuters said.")
    preannotate_project(project, Options(), pre=pre)
    assert not [r for r in rels(project, b) if r[1] == "SUPPORT"]


def test_human_relation_types_an_unknown_verb(project: Project, pre: Preannotator) -> None:
    a = project.add_document("a.txt", "Russia courted Maduro.")
    preannotate_project(project, Options(), pre=pre)
    assert rels(project, a) == set()
    ids = {project.text(a)[s.start:s.end]: s.id for s in project.spans(a)}
    project.apply(AddRelation(ids["Russia"], ids["Maduro"], "SUPPORT"))
    b = project.add_document("b.txt", "Russia courted Maduro for years.")
    preannotate_project(project, Options(), pre=pre)
    assert ("Russia", "SUPPORT", "Maduro", "suggested", "memory") in rels(project, b)


def test_relations_between_accepted_spans_and_symmetric_once(project: Project,
                                                             pre: Preannotator) -> None:
    text = "Russia and China are the main allies of Venezuela."
    doc = project.add_document("a.txt", text)
    project.apply(AddSpan(doc, text.index("Venezuela"), text.index("Venezuela") + 9, "GPE"))
    preannotate_project(project, Options(), pre=pre)
    got = rels(project, doc)
    assert {r[:3] for r in got} == {("Russia", "ALLIED_WITH", "Venezuela"),
                                    ("China", "ALLIED_WITH", "Venezuela")}


def test_entity_only_run_skips_the_parser(project: Project) -> None:
    project.add_document("a.txt", DONE_WHEN)
    only = Preannotator.for_project(project, relations=False)
    assert "parser" not in only.nlp.pipe_names and only.relater is None
    summary = preannotate_project(project, Options(relations=False), pre=only)
    assert summary.suggested and not summary.relations
    assert project.conn.execute("SELECT COUNT(*) FROM relations").fetchone()[0] == 0


def test_exports_carry_suggested_relations_only_with_status_all(project: Project,
                                                                pre: Preannotator,
                                                                tmp_path: Path) -> None:
    from annotator.core.ops import SetStatus
    from annotator.io.export import ExportOptions, export_project

    doc = project.add_document("a.txt", DONE_WHEN)
    preannotate_project(project, Options(), pre=pre)
    from annotator.core.ops import accept_spans

    project.apply(accept_spans([s.id for s in project.spans(doc)]))
    project.apply(SetStatus(doc, "done"))
    out_all, out_done = tmp_path / "all.jsonl", tmp_path / "done.jsonl"
    export_project(project, "jsonl", out_all, ExportOptions(status="all"))
    export_project(project, "jsonl", out_done, ExportOptions())
    everything = json.loads(out_all.read_text().splitlines()[0])["relations"]
    assert everything and all(r["state"] == "suggested" and r["why"] for r in everything)
    assert json.loads(out_done.read_text().splitlines()[0])["relations"] == []


def test_suggested_relations_survive_an_export_import_round_trip(project: Project,
                                                                 pre: Preannotator,
                                                                 tmp_path: Path) -> None:
    from annotator.io.export import ExportOptions, export_project
    from annotator.io.importer import import_paths

    project.add_document("a.txt", DONE_WHEN)
    preannotate_project(project, Options(), pre=pre)
    out = tmp_path / "all.jsonl"
    export_project(project, "jsonl", out, ExportOptions(status="all"))
    with Project.init(tmp_path / "copy") as copy:
        import_paths(copy, [out])
        (doc,) = list(copy.iter_documents())
        assert {(r.label, r.state, r.source) for r in copy.relations(doc.id)} == {
            ("SUPPORT", "suggested", "rule"), ("REQUEST", "suggested", "rule")}
        assert all("state" not in r.attrs and r.attrs["why"] for r in copy.relations(doc.id))


CASES = [  # sentence, entities (text: label), expected (head, type, child, attrs)
    ("Venezuelan President Nicolas Maduro spoke.", {"Venezuelan": "NORP",
     "Nicolas Maduro": "PERSON"}, ("Nicolas Maduro", "NATIONALITY", "Venezuelan", {})),
    ("Russia's deputy foreign minister Sergei Ryabkov spoke.", {"Russia": "GPE",
     "Sergei Ryabkov": "PERSON"}, ("Sergei Ryabkov", "ROLE_IN", "Russia", {})),
    ("Igor Sechin, Rosneft's chief, flew home.", {"Igor Sechin": "PERSON", "Rosneft": "ORG"},
     ("Igor Sechin", "LEADER_OF", "Rosneft", {})),
    ("Brazil, a member of the Lima Group, voted.", {"Brazil": "GPE", "Lima Group": "ORG"},
     ("Brazil", "MEMBER_OF", "Lima Group", {})),
    ("The Lima Group, which includes Brazil, met.", {"Brazil": "GPE", "Lima Group": "ORG"},
     ("Brazil", "MEMBER_OF", "Lima Group", {})),
    ("He landed at Maiquetia airport in Caracas.", {"Maiquetia airport": "FAC",
     "Caracas": "GPE"}, ("Maiquetia airport", "LOCATED_IN", "Caracas", {})),
    ("Analysts at the Moscow-based Carnegie Center agreed.", {"Moscow": "GPE",
     "Carnegie Center": "ORG"}, ("Carnegie Center", "LOCATED_IN", "Moscow", {})),
    ("Venezuela operates S-300 missiles.", {"Venezuela": "GPE", "S-300": "WEAPON"},
     ("Venezuela", "OPERATES", "S-300", {})),
    ("Brazil, Canada and Peru condemned Maduro.", {"Brazil": "GPE", "Canada": "GPE",
     "Peru": "GPE", "Maduro": "PERSON"}, ("Peru", "ACCUSE", "Maduro", {})),
    ("Maduro was condemned by Brazil.", {"Brazil": "GPE", "Maduro": "PERSON"},
     ("Brazil", "ACCUSE", "Maduro", {})),
    ("Russia did not send troops to Venezuela.", {"Russia": "GPE", "Venezuela": "GPE"},
     ("Russia", "MOBILIZE", "Venezuela", {"negated": True})),
    ("Russia would send troops to Venezuela if asked.", {"Russia": "GPE", "Venezuela": "GPE"},
     ("Russia", "MOBILIZE", "Venezuela", {"modality": "hypothetical"})),
    ("Russia will send troops to Venezuela.", {"Russia": "GPE", "Venezuela": "GPE"},
     ("Russia", "MOBILIZE", "Venezuela", {"modality": "future"})),
    ("Officials said Russia sent troops to Venezuela.", {"Russia": "GPE", "Venezuela": "GPE"},
     ("Russia", "MOBILIZE", "Venezuela", {"modality": "reported-claim"})),
]


@pytest.mark.parametrize(("sentence", "ents", "expected"), CASES)
def test_patterns_and_attributes(pre: Preannotator, sentence: str, ents: dict[str, str],
                                 expected: tuple) -> None:
    from annotator.nlp.relations import Ent, from_doc

    spans = [Ent(sentence.index(t), sentence.index(t) + len(t), lab) for t, lab in ents.items()]
    got = {(sentence[s.head.start:s.head.end], s.label, sentence[s.child.start:s.child.end]):
           {k: v for k, v in s.attrs.items() if k in ("negated", "modality")}
           for s in pre.relater.suggest(from_doc(pre.nlp(sentence)), spans, sentence)}
    head, label, child, attrs = expected
    assert got.get((head, label, child)) == attrs, got


def test_done_accepts_the_remaining_relation_suggestions(project: Project,
                                                         pre: Preannotator) -> None:
    from annotator.core.ops import SetStatus, op_from_dict

    doc = project.add_document("a.txt", DONE_WHEN)
    preannotate_project(project, Options(), pre=pre)
    rid = find(project, doc, "Trump administration", "REQUEST", "Maduro")
    project.apply(RejectRelations([rid]))
    res = project.apply(SetStatus(doc, "done", accept=True))
    assert {r.state for r in project.relations(doc)} == {"accepted"}
    assert len(project.relations(doc)) == 1  # the rejected one stays rejected
    project.apply(op_from_dict(res.inverse.to_dict()))
    assert {r.state for r in project.relations(doc)} == {"suggested"}


def test_chunked_document_gets_relations_at_the_right_offsets(project: Project,
                                                              pre: Preannotator) -> None:
    paragraphs = [f"Russia backs Maduro ({i}).\nThe Trump administration has recognized"
                  f" opposition leader Juan Guaido ({i})." for i in range(6)]
    doc = project.add_document("long.txt", "\n\n".join(paragraphs))
    preannotate_project(project, Options(chunk_chars=150), pre=pre)  # several chunks
    text = project.text(doc)
    spans = {s.id: s for s in project.spans(doc)}
    pairs = [(text[spans[r.head_id].start:spans[r.head_id].end], r.label,
              text[spans[r.child_id].start:spans[r.child_id].end])
             for r in project.relations(doc)]
    assert pairs.count(("Russia", "SUPPORT", "Maduro")) == 6
    assert pairs.count(("Trump administration", "SUPPORT", "Juan Guaido")) == 6
