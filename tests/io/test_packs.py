"""Work packages: pack -> annotate elsewhere -> merge -> agreement, and refusals."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest

from annotator.core import ops
from annotator.core.adjudicate import layer_status
from annotator.core.agreement import project_agreement, total
from annotator.core.store import Project
from annotator.io.packs import (
    PackError,
    assign,
    assigned_documents,
    make_packages,
    merge_package,
    open_package,
    write_package,
)
from annotator.io.projects import open_project

DOC1 = "Russia sent troops to Venezuela to support Nicolas Maduro."
DOC2 = "Cuba and Venezuela signed a pact."
DOC3 = "Putin spoke to Maduro."


@pytest.fixture
def coord(tmp_path: Path) -> Project:
    """The coordinator's project: three documents, spaCy-like suggestions on two."""
    p = Project.init(tmp_path / "coord", annotator="coord")
    for i, text in enumerate((DOC1, DOC2, DOC3), 1):
        assert p.add_document(f"d{i}.txt", text) == i
    p.insert_spans(
        [
            {"doc_id": 1, "start": 0, "end": 6, "label": "GPE"},
            {"doc_id": 1, "start": 22, "end": 31, "label": "GPE"},
            {"doc_id": 1, "start": 43, "end": 57, "label": "PERSON"},
            {"doc_id": 2, "start": 0, "end": 4, "label": "GPE"},
            {"doc_id": 2, "start": 9, "end": 18, "label": "GPE"},
        ]
    )
    yield p
    p.close()


def dump(p: Project) -> Any:
    """Everything a merge could touch, ids included."""
    q = p.conn.execute
    return (
        q("SELECT * FROM spans ORDER BY id").fetchall(),
        q("SELECT * FROM relations ORDER BY id").fetchall(),
        q("SELECT * FROM project_meta ORDER BY key").fetchall(),
        q("SELECT COUNT(*) FROM edit_log").fetchone(),
        q("SELECT id, status, assignee FROM documents ORDER BY id").fetchall(),
    )


def span_id(p: Project, doc_id: int, start: int, end: int) -> int:
    return next(s.id for s in p.spans(doc_id) if (s.start, s.end) == (start, end))


def annotate_ana(pdir: Path) -> None:
    """Ana accepts the suggestions, says Russia SUPPORTs Maduro and Cuba is allied with
    Venezuela, adds Putin in doc 3; all three done."""
    with Project.open(pdir, annotator="ana") as v:
        v.apply(ops.AddRelation(span_id(v, 1, 0, 6), span_id(v, 1, 43, 57), "SUPPORT"))
        v.apply(ops.AddRelation(span_id(v, 2, 0, 4), span_id(v, 2, 9, 18), "ALLIED_WITH"))
        v.apply(ops.AddSpan(3, 0, 5, "PERSON"))
        for d in (1, 2, 3):
            v.apply(ops.SetStatus(d, "done", accept=True))


def annotate_ben(pdir: Path) -> None:
    """Ben sees Venezuela (doc 1) as an ORG, only "Maduro" as the PERSON, writes the
    alliance the other way round; doc 3 left in progress."""
    with Project.open(pdir, annotator="ben") as v:
        v.apply(ops.relabel_span(span_id(v, 1, 22, 31), "ORG"))
        v.apply(ops.resize_span(span_id(v, 1, 43, 57), 51, 57))
        v.apply(ops.AddRelation(span_id(v, 1, 0, 6), span_id(v, 1, 51, 57), "SUPPORT"))
        v.apply(ops.AddRelation(span_id(v, 2, 9, 18), span_id(v, 2, 0, 4), "ALLIED_WITH"))
        v.apply(ops.SetStatus(1, "done", accept=True))
        v.apply(ops.SetStatus(2, "done", accept=True))
        v.apply(ops.SetStatus(3, "in_progress"))


@pytest.fixture
def returned(coord: Project, tmp_path: Path) -> dict[str, Path]:
    """Both volunteers got every document (overlap 1.0) and sent their work back:
    Ana her unpacked folder, Ben a zip of his folder (files under one top folder)."""
    made = make_packages(
        coord, annotators=["ana", "ben"], output_dir=tmp_path / "out", overlap=1.0, seed=3
    )
    assert [len(m.documents) for _, m in made] == [3, 3]
    ana_dir = open_package(tmp_path / "out" / "ana.annpack")
    ben_dir = open_package(tmp_path / "out" / "ben.annpack")
    annotate_ana(ana_dir)
    annotate_ben(ben_dir)
    ben_zip = Path(
        shutil.make_archive(str(tmp_path / "ben-back"), "zip", ben_dir.parent, ben_dir.name)
    )
    return {"ana": ana_dir, "ben": ben_zip}


def test_pack_annotate_merge_agreement(coord: Project, returned: dict[str, Path]) -> None:
    gold_before = coord.spans(1)
    for f in returned.values():
        merge_package(coord, f)
    assert coord.spans(1) == gold_before  # gold untouched
    ana = {(s.start, s.end, s.label, s.annotator) for s in coord.spans(1, layer="ana")}
    assert ana == {(0, 6, "GPE", "ana"), (22, 31, "GPE", "ana"), (43, 57, "PERSON", "ana")}
    assert {(s.start, s.end, s.label) for s in coord.spans(1, layer="ben")} == {
        (0, 6, "GPE"),
        (22, 31, "ORG"),
        (51, 57, "PERSON"),
    }
    assert {s.annotator for s in coord.spans(1, layer="ben")} == {"ben"}  # who edited, kept
    assert all(r.layer == "ben" for r in coord.relations(1, layer="ben"))
    assert layer_status(coord) == {
        "ana": {1: "done", 2: "done", 3: "done"},
        "ben": {1: "done", 2: "done", 3: "in_progress"},
    }

    rep = project_agreement(coord, status="done").pairs[0]
    # Hand computation, documents 1 and 2 (Ben did not finish doc 3):
    # spans exact: doc1 GPE A2 B1 match 1, ORG A0 B1, PERSON 43-57/51-57 no match;
    #   doc2 GPE A2 B2 match 2 -> GPE 3 of (4, 3) = 6/7; all 3 of (5, 5) = 0.6
    # spans overlap: PERSON now matches -> all 4 of (5, 5) = 0.8
    # tokens: doc1 10 + doc2 7 = 17; they differ on "Venezuela" (GPE/ORG) and "Nicolas"
    #   (PERSON/O) -> observed 15/17. A: GPE 4, PERSON 2, O 11; B: GPE 3, ORG 1, PERSON 1,
    #   O 12 -> expected (4*3 + 2*1 + 11*12)/289 = 146/289;
    #   kappa = (255 - 146)/(289 - 146) = 109/143 = 0.7622
    #   GPE yes/no: observed 16/17, expected (4*3 + 13*14)/289 = 194/289 -> 78/95 = 0.8211
    #   PERSON yes/no: observed 16/17, expected (2*1 + 15*16)/289 = 242/289 -> 30/47 = 0.6383
    #   ORG yes/no: expected (0*1 + 17*16)/289 = 272/289 = observed -> 0
    # relations: SUPPORT ends differ (Maduro 43-57 vs 51-57) -> 0 of (1, 1); ALLIED_WITH is
    #   symmetric, Cuba<->Venezuela -> 1 of (1, 1); all 1 of (2, 2) = 0.5
    assert (rep.a, rep.b, rep.documents, rep.tokens) == ("ana", "ben", 2, 17)
    assert rep.exact["GPE"].f1 == pytest.approx(6 / 7)
    assert total(rep.exact).f1 == pytest.approx(0.6)
    assert total(rep.overlap).f1 == pytest.approx(0.8)
    assert rep.kappa == pytest.approx(109 / 143)
    assert rep.label_kappa["GPE"] == pytest.approx(78 / 95)
    assert rep.label_kappa["PERSON"] == pytest.approx(30 / 47)
    assert rep.label_kappa["ORG"] == pytest.approx(0.0)
    assert rep.relations["ALLIED_WITH"].f1 == 1.0 and rep.relations["SUPPORT"].f1 == 0
    assert total(rep.relations).f1 == 0.5
    assert project_agreement(coord, status="all").pairs[0].documents == 3


def test_conflicting_edits_never_lost_or_duplicated(
    coord: Project, returned: dict[str, Path]
) -> None:
    merge_package(coord, returned["ana"])
    merge_package(coord, returned["ben"])
    counts = {
        lay: coord.conn.execute("SELECT COUNT(*) FROM spans WHERE layer=?", (lay,)).fetchone()[0]
        for lay in ("", "ana", "ben")
    }
    assert counts == {"": 5, "ana": 6, "ben": 5}  # ana added Putin; ben nothing in doc 3
    rels = {
        lay: len(coord.relations(1, layer=lay)) + len(coord.relations(2, layer=lay))
        for lay in ("ana", "ben")
    }
    assert rels == {"ana": 2, "ben": 2}
    before = dump(coord)
    res = merge_package(coord, returned["ana"])  # the same file again
    assert (res.merged, res.unchanged) == (0, 3)
    assert dump(coord) == before  # not one row, id or log entry changed
    merge_package(coord, returned["ben"])
    assert dump(coord) == before


def test_remerge_after_more_work_replaces_only_that_layer(
    coord: Project, returned: dict[str, Path]
) -> None:
    merge_package(coord, returned["ana"])
    merge_package(coord, returned["ben"])
    ben_before = [(s.start, s.end, s.label) for s in coord.spans(1, layer="ben")]
    with Project.open(returned["ana"], annotator="ana") as v:
        v.apply(ops.DeleteSpans([span_id(v, 1, 22, 31)]))
    res = merge_package(coord, returned["ana"])
    assert (res.merged, res.unchanged) == (1, 2)
    assert (22, 31, "GPE") not in {(s.start, s.end, s.label) for s in coord.spans(1, layer="ana")}
    assert [(s.start, s.end, s.label) for s in coord.spans(1, layer="ben")] == ben_before
    assert coord.history(limit=1)[0]["op"] == "merge"


def test_assignment_is_seeded_and_recorded(coord: Project, tmp_path: Path) -> None:
    plan = assign(list(range(1, 11)), ["ana", "ben", "carla"], overlap=0.2, seed=7)
    assert plan == assign(list(range(1, 11)), ["ana", "ben", "carla"], overlap=0.2, seed=7)
    shared = set(plan["ana"]) & set(plan["ben"]) & set(plan["carla"])
    assert len(shared) == 2  # 20% of 10, given to everyone
    assert set().union(*map(set, plan.values())) == set(range(1, 11))
    write_package(coord, [2], annotator="dora", output=tmp_path / "dora.annpack")
    assert assigned_documents(coord) == {2: ["dora"]}
    assert coord.document(2).assignee == "dora"
    # one more package, half overlap: one document already given to dora, one fresh
    made = make_packages(
        coord, annotators=["eve"], output=tmp_path / "eve.annpack", count=2, overlap=0.5, seed=1
    )
    ids = {d["source_id"] for d in made[0][1].documents}
    assert 2 in ids and len(ids & {1, 3}) == 1
    assert assigned_documents(coord)[2] == ["dora", "eve"]
    assert coord.document(2).assignee == "dora, eve"


def test_package_is_a_project_with_manifest(coord: Project, tmp_path: Path) -> None:
    out = tmp_path / "ana.annpack"
    m = write_package(coord, [1, 2], annotator="ana", output=out)
    with zipfile.ZipFile(out) as zf:
        assert set(zf.namelist()) == {"manifest.json", "project.toml", "project.db"}
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["source_project_id"] == coord.id and manifest["annotator"] == "ana"
    assert [d["text_hash"] for d in manifest["documents"]] == [
        coord.document(1).text_hash,
        coord.document(2).text_hash,
    ]
    with open_project(out, annotator="ana") as v:  # the app's open path unpacks it
        assert v.path == tmp_path / "ana"
        assert [s.label for s in v.spans(1)] == ["GPE", "GPE", "PERSON"]
        v.apply(ops.AddSpan(1, 7, 11, "EVENT"))
    with open_project(out, annotator="ana") as v:  # opened again: same folder, work kept
        assert len(v.spans(1)) == 4
    assert (
        m.package_id == json.loads((tmp_path / "ana" / "manifest.json").read_text())["package_id"]
    )


# ---- refusals: one line, nothing changed ---------------------------------------------------
def refused(coord: Project, path: Path) -> str:
    before = dump(coord)
    with pytest.raises(PackError) as err:
        merge_package(coord, path)
    assert dump(coord) == before
    msg = str(err.value)
    assert "\n" not in msg and path.name in msg
    return msg


def test_refuses_package_of_another_project(coord: Project, tmp_path: Path) -> None:
    other = Project.init(tmp_path / "other")
    other.add_document("d1.txt", DOC1)
    write_package(other, [1], annotator="ana", output=tmp_path / "x.annpack")
    other.close()
    assert "another project" in refused(coord, tmp_path / "x.annpack")


def test_refuses_package_of_another_schema(coord: Project, tmp_path: Path) -> None:
    write_package(coord, [1], annotator="ana", output=tmp_path / "x.annpack")
    raw = dict(coord.schema.raw)
    raw["entities"] = [*raw["entities"], {"name": "DATE", "key": "", "color": "#000000"}]
    from annotator.core.schema import parse_schema

    coord.set_schema(parse_schema(raw))
    assert "another schema" in refused(coord, tmp_path / "x.annpack")


def test_refuses_corrupt_zip(coord: Project, tmp_path: Path) -> None:
    bad = tmp_path / "bad.annpack"
    bad.write_bytes(b"PK\x03\x04 this is not really a zip")
    assert "not a readable zip" in refused(coord, bad)
    write_package(coord, [1], annotator="ana", output=tmp_path / "ok.annpack")
    data = (tmp_path / "ok.annpack").read_bytes()
    (tmp_path / "cut.annpack").write_bytes(data[: len(data) // 2])  # truncated in transit
    refused(coord, tmp_path / "cut.annpack")


def test_refuses_path_traversal_and_missing_manifest(coord: Project, tmp_path: Path) -> None:
    write_package(coord, [1], annotator="ana", output=tmp_path / "ok.annpack")
    evil = tmp_path / "sub" / "evil.annpack"
    evil.parent.mkdir()
    shutil.copy(tmp_path / "ok.annpack", evil)
    with zipfile.ZipFile(evil, "a") as zf:
        zf.writestr("../escaped.txt", "gotcha")
    assert "unsafe entry" in refused(coord, evil)
    with pytest.raises(PackError):
        open_package(evil)
    assert not (tmp_path / "escaped.txt").exists()
    bare = tmp_path / "bare.annpack"
    with zipfile.ZipFile(bare, "w") as zf:
        zf.writestr("project.db", "x")
    assert "no manifest.json" in refused(coord, bare)


def test_refuses_tampered_text_and_foreign_database(coord: Project, tmp_path: Path) -> None:
    write_package(coord, [1], annotator="ana", output=tmp_path / "ok.annpack")
    pdir = open_package(tmp_path / "ok.annpack")
    with Project.open(pdir) as v, v.bulk():
        v.conn.execute("UPDATE documents SET text = 'Russia sent nobody.' WHERE id = 1")
    assert "altered" in refused(coord, pdir)
    (pdir / "project.db").write_bytes(b"not a database at all" * 100)
    for extra in ("project.db-wal", "project.db-shm"):
        (pdir / extra).unlink(missing_ok=True)
    refused(coord, pdir)


def test_a_merge_is_one_history_step_undone_and_redone_whole(
    coord: Project, returned: dict[str, Path]
) -> None:
    """A wrong merge is reverted by the coordinator; gold work made since stays."""
    merge_package(coord, returned["ana"])
    first = [(s.start, s.end, s.label) for s in coord.spans(1, layer="ana")]
    status_first = layer_status(coord)["ana"]
    with Project.open(returned["ana"], annotator="ana") as v:  # more work, merged again
        v.apply(ops.DeleteSpans([span_id(v, 1, 22, 31)]))
    merge_package(coord, returned["ana"])
    coord.apply(ops.AddSpan(3, 0, 5, "PERSON"), summary="label 'Putin' PERSON")  # gold, later
    second = [(s.start, s.end, s.label) for s in coord.spans(1, layer="ana")]
    assert second != first

    coord.undo()  # the gold edit first: linear history
    done = coord.undo()
    assert done is not None and done.step.op == "merge" and done.change.bulk
    assert [(s.start, s.end, s.label) for s in coord.spans(1, layer="ana")] == first
    assert layer_status(coord)["ana"] == status_first
    done = coord.undo()  # the first merge too: the layer is gone
    assert done is not None and coord.spans(1, layer="ana") == [] and "ana" not in layer_status(coord)
    assert [(s.start, s.end) for s in coord.spans(1)] == [(0, 6), (22, 31), (43, 57)]  # gold kept
    coord.redo()
    coord.redo()
    assert [(s.start, s.end, s.label) for s in coord.spans(1, layer="ana")] == second
    assert coord.relations(1, layer="ana") == [] or all(
        r.layer == "ana" for r in coord.relations(1, layer="ana"))


def test_merge_undo_redo_keeps_spans_accepted_unseen(coord: Project, returned: dict[str, Path]) -> None:
    """Ana finished her documents accepting suggestions unseen (review=bulk): her layer keeps
    that through the merge's undo and redo (parked rows carry the review column)."""
    merge_package(coord, returned["ana"])

    def reviews() -> dict[tuple[int, int], str]:
        return {(s.start, s.end): s.review for s in coord.spans(1, layer="ana")}

    merged = reviews()
    assert merged[(0, 6)] == "bulk"
    coord.undo()
    assert coord.spans(1, layer="ana") == []
    coord.redo()
    assert reviews() == merged
