"""Prodigy JSONL against its real consumers: spaCy's Doc(words, spaces), the rel_component
tutorial's reader, and Prodigy's own rel.manual output read back losslessly."""

from __future__ import annotations

import json
from pathlib import Path

from consumers import tutorial_docs
from test_export_common import add_doc

from annotator.core import ops
from annotator.core.store import Project
from annotator.core.tokens import tokenizer_nlp
from annotator.io.export import ExportOptions, export_project
from annotator.io.formats import prodigy
from annotator.io.importer import import_paths

DATA = Path(__file__).parent / "data"
SOURCE = DATA / "prodigy_rel_manual.jsonl"
LABELS = {"Pos-Reg": "Regulates", "Neg-Reg": "Regulates", "Reg": "Regulates",
          "No-rel": "Regulates", "Binds": "Binds"}  # the tutorial's MAP_LABELS


def _tasks(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def test_tokens_rebuild_the_text_and_are_spacys_tokens(tmp_path: Path) -> None:
    from spacy.tokens import Doc

    p = Project.init(tmp_path / "p")
    text = "Russia sent troops.\n\nVenezuela  welcomed them.\n \n😀 🇻🇪 Cuba\tagreed. \n"
    v, c = text.index("Venezuela"), text.index("Cuba")
    add_doc(p, "paras.txt", text, [(0, 6, "GPE"), (v, v + 9, "GPE"), (c, c + 4, "GPE")],
            [(0, 1, "AID", {}), (2, 1, "SUPPORT", {})])
    add_doc(p, "lead.txt", "  \tLead spaces, Peru.", [(16, 20, "GPE")])
    out = tmp_path / "o.jsonl"
    export_project(p, "jsonl", out, ExportOptions())
    for task in _tasks(out):
        toks = task["tokens"]
        assert "".join(t["text"] + " " * t["ws"] for t in toks) == task["text"]
        ref = tokenizer_nlp().tokenizer(task["text"])
        assert [(t["text"], t["start"], t["ws"]) for t in toks] == [
            (t.text, t.idx, bool(t.whitespace_)) for t in ref]
        words, spaces = [t["text"] for t in toks], [t["ws"] for t in toks]
        assert Doc(ref.vocab, words=words, spaces=spaces).text == task["text"]
        for s in task["spans"]:
            assert (toks[s["token_start"]]["start"], toks[s["token_end"]]["end"]) == (
                s["start"], s["end"])
        for r in task["relations"]:
            assert (r["head"], r["child"]) == (r["head_span"]["token_end"],
                                               r["child_span"]["token_end"])
    docs = tutorial_docs(out, {"AID": "AID", "SUPPORT": "SUPPORT"})
    assert [[e.text for e in d.ents] for d in docs] == [["Russia", "Venezuela", "Cuba"], ["Peru"]]
    russia, venezuela, cuba = docs[0].ents
    assert docs[0]._.rel[(russia.start, venezuela.start)]["AID"] == 1.0
    assert docs[0]._.rel[(cuba.start, venezuela.start)]["SUPPORT"] == 1.0


def test_prodigys_own_rel_manual_file_is_read_and_written_back(tmp_path: Path) -> None:
    p = Project.init(tmp_path / "p", schema_path=DATA / "bionlp_schema.json")
    report = import_paths(p, [SOURCE], fmt="prodigy")
    assert len(report.imported) == 4 and not report.skipped and not report.dropped, report
    out = tmp_path / "again.jsonl"
    export_project(p, "jsonl", out, ExportOptions(status="all"))
    source, again = _tasks(SOURCE), _tasks(out)
    for old, new in zip(source, again, strict=True):
        assert new["tokens"] == old["tokens"]  # whitespace tokens and "disabled" flags kept
        assert [{k: s[k] for k in old["spans"][0]} for s in new["spans"]] == old["spans"]
        assert new["relations"] == old["relations"]  # incl. the relation colour
        for key in ("text", "answer", "_input_hash", "_task_hash", "_view_id", "_session_id"):
            assert new[key] == old[key], key
        assert new["meta"]["source"] == old["meta"]["source"]
    # the tutorial's reader sees the same documents and relations in both files
    before, after = tutorial_docs(SOURCE, LABELS, ("Binds",)), tutorial_docs(out, LABELS, ("Binds",))
    assert [d.text for d in after] == [d.text for d in before]
    assert [d._.rel for d in after] == [d._.rel for d in before]
    assert any("\n" in d.text for d in after)
    # once its annotations change, a task gets a new task hash (the input hash stays)
    doc = next(p.iter_documents())
    span = p.spans(doc.id)[0]
    p.apply(ops.relabel_span(span.id, "Protein"))
    export_project(p, "jsonl", out, ExportOptions(status="all"))
    first = _tasks(out)[0]
    assert first["_input_hash"] == source[0]["_input_hash"]
    assert first["_task_hash"] != source[0]["_task_hash"]


def test_answer_reject_and_ignore_are_kept(tmp_path: Path) -> None:
    f = tmp_path / "answers.jsonl"
    lines = [{"text": f"{name} met Maduro.", "answer": answer,
              "spans": [{"start": 0, "end": len(name), "label": "GPE"}]}
             for name, answer in (("Cuba", "accept"), ("Peru", "reject"), ("Chile", "ignore"))]
    f.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    p = Project.init(tmp_path / "p")
    report = import_paths(p, [f])
    assert [d.status for d in p.iter_documents()] == ["todo", "todo", "skipped"]
    assert [n.split(":")[0] for _, n in report.notes] == ["rejected task", "ignored task"]
    assert "2 notes" in report.summary()
    for d in p.iter_documents():
        if d.status == "todo":
            p.apply(ops.SetStatus(d.id, "in_progress"))  # work on it; a reject stays a reject
    export_project(p, "jsonl", tmp_path / "o.jsonl", ExportOptions(status="all"))
    assert [t["answer"] for t in _tasks(tmp_path / "o.jsonl")] == ["accept", "reject", "ignore"]
    none = export_project(p, "jsonl", tmp_path / "gold.jsonl", ExportOptions())
    assert none.documents == 0  # rejected and ignored tasks are not gold


def test_a_bad_entity_drops_that_entity_not_the_document(tmp_path: Path) -> None:
    f = tmp_path / "bad.jsonl"
    task = {"text": "Cuba and Peru and Chile.", "spans": [
        {"start": 0, "end": 4, "label": "GPE", "token_end": 0},
        {"start": 0.9, "end": 4, "label": "GPE"},
        {"start": "9", "end": 13, "label": "GPE"}, {"start": 18, "end": 23, "text": "Chila",
                                                    "label": "GPE"},
        {"start": 9, "end": 13, "label": "GPE", "token_end": 2}],
        "relations": [{"head": 0, "child": 2, "label": "AID"},
                      {"head": 0, "child": 7, "label": "AID"}]}
    f.write_text(json.dumps(task) + "\n", encoding="utf-8")
    [item] = list(prodigy.read(f))
    assert [(s["start"], s["end"]) for s in item.spans] == [(0, 4), (9, 13)]
    assert [r["head"] for r in item.relations] == [0]
    assert [d.split(":")[0] for d in item.dropped] == [
        "span 0.9-4 GPE", "span 9-13 GPE", "span 18-23 GPE", "relation AID"]
    assert "whole number, not 0.9" in item.dropped[0] and "not '9'" in item.dropped[1]
    p = Project.init(tmp_path / "p")
    report = import_paths(p, [f])
    assert len(report.imported) == 1 and len(report.dropped) == 4
    doc = next(p.iter_documents())
    assert [(s.start, s.end) for s in p.spans(doc.id)] == [(0, 4), (9, 13)]
    assert len(p.relations(doc.id)) == 1
