"""Shared builders for the export tests, and tests of the export plumbing itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core import ops
from annotator.core.store import Project
from annotator.core.tokens import tokenize
from annotator.io.export import ExportError, ExportOptions, export_project

EXAMPLE = "Russia sent troops to Venezuela to support Nicolas Maduro."


def add_doc(p: Project, name: str, text: str, spans: list[tuple[int, int, str]],
            relations: list[tuple[int, int, str, dict]] = (), *, status: str = "done",
            **span_kw: object) -> tuple[int, list[int]]:
    """A document with spans (start, end, label) and relations (head, child, label, attrs)."""
    doc = p.add_document(name, text, tokens=tokenize(text))
    ids = [p.apply(ops.AddSpan(doc, s, e, lab, **span_kw)).change.spans_added[0].id
           for s, e, lab in spans]
    for h, c, lab, attrs in relations:
        p.apply(ops.AddRelation(ids[h], ids[c], lab, attrs=attrs))
    if status != "todo":
        p.apply(ops.SetStatus(doc, status))
    return doc, ids


def example_project(tmp: Path) -> Project:
    """The running example of formats.md: 3 spans, AID and SUPPORT, done."""
    p = Project.init(tmp / "proj", annotator="ana")
    add_doc(p, "example.txt", EXAMPLE,
            [(0, 6, "GPE"), (22, 31, "GPE"), (43, 57, "PERSON")],
            [(0, 1, "AID", {}), (0, 2, "SUPPORT", {})])
    return p


def rich_project(tmp: Path, name: str = "proj") -> Project:
    """Overlaps, attributes, symmetric relations, emoji and flags, a suggested span, todo docs."""
    p = Project.init(tmp / name, annotator="ana")
    add_doc(p, "example.txt", EXAMPLE,
            [(0, 6, "GPE"), (22, 31, "GPE"), (43, 57, "PERSON"), (51, 57, "PERSON")],
            [(0, 1, "AID", {"negated": True, "modality": "hypothetical"}),
             (0, 2, "SUPPORT", {})])
    emoji = "😀 🇻🇪 Russia and Cuba back Maduro.\nThe Lima Group met in Lima."
    r = emoji.index("Russia")
    c = emoji.index("Cuba")
    m = emoji.index("Maduro")
    lg = emoji.index("Lima Group")
    lima = emoji.rindex("Lima")
    add_doc(p, "emoji.txt", emoji,
            [(r, r + 6, "GPE"), (c, c + 4, "GPE"), (m, m + 6, "PERSON"),
             (lg, lg + 10, "ORG"), (lg, lg + 4, "GPE"), (lima, lima + 4, "GPE")],
            [(0, 1, "ALLIED_WITH", {"modality": "reported-claim"}), (0, 2, "SUPPORT", {}),
             (3, 5, "CONSULT", {"negated": False, "modality": "future"})])
    doc, _ = add_doc(p, "todo.txt", "Colombia closed the border.", [(0, 8, "GPE")],
                     status="todo")
    p.apply(ops.AddSpan(doc, 20, 26, "LOC", source="model", state="suggested"))
    return p


NESTED = "The Russian air force backs Maduro."


def add_nested(p: Project) -> int:
    """A relation on a nested span: "Russian" NORP inside "Russian air force" MIL_UNIT, both
    SUPPORT Maduro; the NORP one is negated (the traps of the DocBin and doccano exports)."""
    doc, _ = add_doc(p, "nested.txt", NESTED, [(4, 21, "MIL_UNIT"), (4, 11, "NORP"),
                                               (28, 34, "PERSON")],
                     [(0, 2, "SUPPORT", {}), (1, 2, "SUPPORT", {"negated": True})])
    return doc


def test_summary_reports_label_filter_and_dropped_relations(tmp_path: Path) -> None:
    p = example_project(tmp_path)
    s = export_project(p, "jsonl", tmp_path / "o.jsonl", ExportOptions(labels=["GPE"]))
    task = json.loads((tmp_path / "o.jsonl").read_text(encoding="utf-8"))
    assert [x["label"] for x in task["spans"]] == ["GPE", "GPE"]
    assert [r["label"] for r in task["relations"]] == ["AID"]
    text = s.text()
    assert "1 spans left out by the --labels filter" in text
    assert "1 relations dropped because an end was left out by the --labels filter" in text
    assert (s.documents, s.spans, s.relations) == (1, 2, 1)


def test_status_done_leaves_out_todo_documents_and_all_keeps_suggestions(tmp_path: Path) -> None:
    p = rich_project(tmp_path)
    done = export_project(p, "jsonl", tmp_path / "d.jsonl", ExportOptions())
    assert done.documents == 2
    every = export_project(p, "jsonl", tmp_path / "a.jsonl", ExportOptions(status="all"))
    assert every.documents == 3
    last = json.loads((tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()[-1])
    assert [(s["label"], s["source"], s["state"]) for s in last["spans"]] == [
        ("GPE", "human", "accepted"), ("LOC", "model", "suggested")]
    assert last["meta"]["status"] == "todo"


def test_split_is_seeded_and_covers_every_document(tmp_path: Path) -> None:
    p = Project.init(tmp_path / "p")
    for i in range(10):
        text = f"Document number {i} about Cuba."
        add_doc(p, f"d{i}.txt", text, [(text.index("Cuba"), text.index("Cuba") + 4, "GPE")])
    out = tmp_path / "out.jsonl"
    s = export_project(p, "jsonl", out, ExportOptions(split=0.8, seed=1))
    train = (tmp_path / "out-train.jsonl").read_text(encoding="utf-8").splitlines()
    dev = (tmp_path / "out-dev.jsonl").read_text(encoding="utf-8").splitlines()
    assert (len(train), len(dev)) == (8, 2)
    export_project(p, "jsonl", tmp_path / "again.jsonl", ExportOptions(split=0.8, seed=1))
    assert (tmp_path / "again-dev.jsonl").read_text(encoding="utf-8").splitlines() == dev
    assert len(s.files) == 2


def test_annotator_layer_exports_only_documents_with_that_layer(tmp_path: Path) -> None:
    p = example_project(tmp_path)
    add_doc(p, "other.txt", "Cuba is an island.", [(0, 4, "GPE")])
    p.apply(ops.AddSpan(1, 0, 6, "ORG", layer="bob"))
    s = export_project(p, "jsonl", tmp_path / "b.jsonl", ExportOptions(layer="bob"))
    task = json.loads((tmp_path / "b.jsonl").read_text(encoding="utf-8"))
    assert [x["label"] for x in task["spans"]] == ["ORG"]
    assert task["meta"]["annotator"] == "bob"
    assert s.documents == 1 and s.skipped_documents == 1


@pytest.mark.parametrize("opts, message", [
    (ExportOptions(labels=["NOPE"]), "unknown labels NOPE"),
    (ExportOptions(layer="nobody"), "no annotator layer 'nobody'"),
    (ExportOptions(status="some"), "--status must be done or all"),
])
def test_bad_options_are_one_line_errors(tmp_path: Path, opts: ExportOptions, message: str) -> None:
    p = example_project(tmp_path)
    with pytest.raises(ExportError, match=message):
        export_project(p, "jsonl", tmp_path / "o.jsonl", opts)


def test_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="unknown export format"):
        export_project(example_project(tmp_path), "xml", tmp_path / "o", ExportOptions())
