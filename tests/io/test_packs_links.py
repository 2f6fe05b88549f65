"""A volunteer's actor links come back with their layer (they were dropped at merge)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator.core.actor_ops import CreateActor, accept_links, reject_links
from annotator.core.store import Project
from annotator.io.packs import PackError, make_packages, merge_package, open_package
from annotator.nlp.linking import link_project

DOC = "Russia sent troops to Venezuela to support Nicolas Maduro and the Zorblax Front."


@pytest.fixture
def coord(tmp_path: Path) -> Project:
    p = Project.init(tmp_path / "coord", annotator="coord")
    p.add_document("d1.txt", DOC)
    p.insert_spans([{"doc_id": 1, "start": 0, "end": 6, "label": "GPE"},
                    {"doc_id": 1, "start": 22, "end": 31, "label": "GPE"},
                    {"doc_id": 1, "start": 43, "end": 57, "label": "PERSON"},
                    {"doc_id": 1, "start": 66, "end": 79, "label": "ARMED_GROUP"}])
    link_project(p)  # the coordinator's gold: Russia, Venezuela, Maduro, a new Zorblax Front
    yield p
    p.close()


def _span(p: Project, start: int) -> int:
    return next(s.id for s in p.spans(1) if s.start == start)


def _package(coord: Project, tmp_path: Path) -> Path:
    make_packages(coord, annotators=["ana"], output_dir=tmp_path / "out", overlap=1.0, seed=1)
    return open_package(tmp_path / "out" / "ana.annpack")


def _layer_links(p: Project) -> dict[str, tuple[str, str | None, str]]:
    return {DOC[s:e]: (name, kb, state) for s, e, name, kb, state in p.conn.execute(
        "SELECT s.start, s.end, a.name, a.kb_id, l.state FROM span_actor l JOIN spans s"
        " ON s.id = l.span_id JOIN actors a ON a.id = l.actor_id WHERE s.layer = 'ana'")}


def test_a_volunteers_links_are_merged_into_their_layer(coord: Project, tmp_path: Path) -> None:
    pdir = _package(coord, tmp_path)
    with Project.open(pdir, annotator="ana") as v:
        link_project(v)  # the volunteer's window links the package's mentions too
        v.apply(accept_links([_span(v, 43)]))  # Maduro: yes
        v.apply(reject_links([_span(v, 22)]))  # Venezuela here: not the state, she says
        v.apply(CreateActor("Russian Federation", "GPE", "RUS", None, span_ids=[_span(v, 0)]))
    actors_before = coord.conn.execute("SELECT COUNT(*) FROM actors").fetchone()[0]
    res = merge_package(coord, pdir)
    assert res.links == 4 and "4 actor links" in res.summary()
    got = _layer_links(coord)
    assert got["Nicolas Maduro"] == ("Nicolás Maduro", "Q58132", "accepted")  # the same actor
    assert got["Venezuela"] == ("Venezuela", "Q717", "rejected")
    assert got["Russia"] == ("Russian Federation", None, "accepted")  # hers, new here
    assert got["Zorblax Front"][2] == "suggested"
    maduro = {r[0] for r in coord.conn.execute("SELECT id FROM actors WHERE kb_id = 'Q58132'")}
    assert len(maduro) == 1  # resolved by kb id, not duplicated
    assert coord.conn.execute("SELECT COUNT(*) FROM actors").fetchone()[0] == actors_before + 1
    assert merge_package(coord, pdir).unchanged == 1  # the same file again: nothing to do
    coord.undo()  # the merge: her layer, her links and her new actor go
    assert _layer_links(coord) == {}
    assert coord.conn.execute("SELECT COUNT(*) FROM actors").fetchone()[0] == actors_before
    coord.redo()
    assert _layer_links(coord) == got


def test_a_changed_link_alone_is_merged_again(coord: Project, tmp_path: Path) -> None:
    pdir = _package(coord, tmp_path)
    with Project.open(pdir, annotator="ana") as v:
        link_project(v)
    merge_package(coord, pdir)
    with Project.open(pdir, annotator="ana") as v:
        v.apply(accept_links([_span(v, 43)]))  # only a link decision changed
    assert merge_package(coord, pdir).merged == 1
    assert _layer_links(coord)["Nicolas Maduro"][2] == "accepted"


def test_a_hostile_link_refuses_the_file_and_keeps_the_project(coord: Project,
                                                              tmp_path: Path) -> None:
    pdir = _package(coord, tmp_path)
    with Project.open(pdir, annotator="ana") as v:
        link_project(v)
    conn = sqlite3.connect(pdir / "project.db")
    conn.execute("UPDATE actors SET country = 'not a country'")
    conn.commit()
    conn.close()
    before = coord.conn.execute("SELECT COUNT(*) FROM spans").fetchone()[0]
    with pytest.raises(PackError, match="bad actor country"):
        merge_package(coord, pdir)
    assert coord.conn.execute("SELECT COUNT(*) FROM spans").fetchone()[0] == before


def test_undoing_a_second_merge_gives_back_the_first_ones_decisions(coord: Project,
                                                                   tmp_path: Path) -> None:
    pdir = _package(coord, tmp_path)
    with Project.open(pdir, annotator="ana") as v:
        link_project(v)
        v.apply(accept_links([_span(v, 43)]))
    merge_package(coord, pdir)
    first = _layer_links(coord)
    with Project.open(pdir, annotator="ana") as v:  # she changes her mind, sends it again
        v.apply(reject_links([_span(v, 43)]))
        v.apply(CreateActor("Zorblax Front (armed wing)", "ARMED_GROUP", "",
                            None, span_ids=[_span(v, 66)]))
    merge_package(coord, pdir)
    second = _layer_links(coord)
    assert second["Nicolas Maduro"][2] == "rejected"
    coord.undo()  # the second merge: the first one's links, not the second's
    assert _layer_links(coord) == first
    coord.redo()
    assert _layer_links(coord) == second


def test_merging_the_same_file_again_changes_nothing_whatever_the_names(coord: Project,
                                                                        tmp_path: Path) -> None:
    pdir = _package(coord, tmp_path)
    with Project.open(pdir, annotator="ana") as v:
        link_project(v)
        v.apply(CreateActor(" Zorblax Front ", "ARMED_GROUP", "", None, span_ids=[_span(v, 66)]))
    conn = sqlite3.connect(pdir / "project.db")  # and her copy of Maduro has another name
    conn.execute("UPDATE actors SET name = 'President Maduro' WHERE kb_id = 'Q58132'")
    conn.commit()
    conn.close()
    merge_package(coord, pdir)
    actors = coord.conn.execute("SELECT COUNT(*) FROM actors").fetchone()[0]
    steps = coord.conn.execute("SELECT COUNT(*) FROM edit_log").fetchone()[0]
    for _ in range(2):
        assert merge_package(coord, pdir).unchanged == 1
    assert coord.conn.execute("SELECT COUNT(*) FROM actors").fetchone()[0] == actors
    assert coord.conn.execute("SELECT COUNT(*) FROM edit_log").fetchone()[0] == steps


def test_a_merged_layer_does_not_count_as_gold_mentions_in_the_graph(coord: Project,
                                                                     tmp_path: Path) -> None:
    from annotator.core.actor_graph import load_graph

    pdir = _package(coord, tmp_path)
    with Project.open(pdir, annotator="ana") as v:
        link_project(v)
    merge_package(coord, pdir)
    (maduro,) = [r[0] for r in coord.conn.execute("SELECT id FROM actors WHERE kb_id = 'Q58132'")]
    assert load_graph(coord).actors[maduro].mentions == 1  # the gold one, not hers too
