"""Linking mentions to actors: the sample project's names, reasons, memory, re-runs, registry."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.core.actor_ops import LinkMentions, reject_links
from annotator.core.actors import actor_table, get_actor, link_of
from annotator.core.ops import AddSpan
from annotator.io.projects import open_project
from annotator.nlp.linking import RegistryError, link_project, load_registry
from annotator.nlp.preannotate import Options, preannotate_project


@pytest.fixture
def sample(sample_copy: Path):
    p = open_project(sample_copy, annotator="tester")
    preannotate_project(p, Options(model="blank"))  # links too (the pre-annotation hook)
    yield p
    p.close()


def _actors_of(p, texts: set[str], label: str) -> set[int]:
    out = set()
    for doc in p.iter_documents():
        for s in p.spans(doc.id):
            if s.label == label and (doc.text or "")[s.start:s.end] in texts:
                link = link_of(p, s.id)
                assert link is not None, doc.text[s.start:s.end]
                out.add(link.actor_id)
    return out


def test_sample_names_resolve_to_one_actor_each(sample) -> None:
    reg = load_registry()
    (guaido,) = _actors_of(sample, {"Guaido", "Guaidó", "Juan Guaidó", "Juan Guaido"}, "PERSON")
    (maduro,) = _actors_of(sample, {"Nicolas Maduro", "Nicolás Maduro", "Maduro"}, "PERSON")
    (usa,) = _actors_of(sample, {"U.S.", "US", "United States", "America"}, "GPE")
    assert _actors_of(sample, {"American", "Americans"}, "NORP") == {usa}  # demonyms
    assert get_actor(sample, maduro).kb_id == "Q58132"
    assert get_actor(sample, guaido).name == "Juan Guaidó"
    assert get_actor(sample, guaido).kb_id == reg.entries["juan-guaido"].kb_id == "Q58833335"
    a = get_actor(sample, usa)
    assert (a.country, a.kb_id, a.name) == ("USA", "Q30", "United States")
    assert len({guaido, maduro, usa}) == 3


def test_capital_metonymy_is_a_suggestion_with_its_reason(sample) -> None:
    for doc in sample.iter_documents():
        for s in sample.spans(doc.id):
            if doc.text[s.start:s.end] == "Washington":
                link = link_of(sample, s.id)
                assert (link.state, link.reason) == ("suggested", "capital")
                assert get_actor(sample, link.actor_id).country == "USA"
                sample.apply(reject_links([s.id]))
                link_project(sample)  # a re-run leaves the rejected link alone
                assert link_of(sample, s.id).state == "rejected"
                return
    pytest.fail("no Washington span in the sample")


def test_rerun_links_nothing_twice_and_memory_wins(sample) -> None:
    before = {r.actor.id: r.mentions for r in actor_table(sample)}
    assert link_project(sample).linked == 0
    assert {r.actor.id: r.mentions for r in actor_table(sample)} == before
    # an annotator links "Kremlin" to Russia; the next document follows that decision
    kremlin = next(s for d in sample.iter_documents() for s in sample.spans(d.id)
                   if d.text[s.start:s.end] == "Kremlin")
    russia = link_of(sample, next(s for d in sample.iter_documents() for s in sample.spans(d.id)
                                  if d.text[s.start:s.end] == "Russia").id).actor_id
    sample.apply(LinkMentions([kremlin.id], russia))
    doc = sample.add_document("new.txt", "The Kremlin denied it. Tonkoshkurov and Vasily Tonkoshkurov.")
    for text, label in (("Kremlin", "ORG"), ("Vasily Tonkoshkurov", "PERSON"),
                        ("Tonkoshkurov", "PERSON")):
        start = sample.text(doc).index(text)
        sample.apply(AddSpan(doc, start, start + len(text), label))
    summary = link_project(sample, doc_ids=[doc])
    got = {sample.text(doc)[s.start:s.end]: link_of(sample, s.id) for s in sample.spans(doc)}
    assert (got["Kremlin"].actor_id, got["Kremlin"].reason) == (russia, "memory")
    assert got["Tonkoshkurov"].actor_id == got["Vasily Tonkoshkurov"].actor_id
    assert got["Tonkoshkurov"].reason == "surname"
    assert summary.linked == 3


def test_project_registry_extends_the_shipped_one(tmp_path: Path, project) -> None:
    (project.path / "actors.json").write_text(json.dumps({"actors": [
        {"id": "juan-guaido", "name": "Juan Guaidó", "label": "PERSON", "country": "VEN",
         "kb_id": "Q999", "aliases": ["Guaido"]},
        {"id": "x", "name": "Grupo X", "label": "ARMED_GROUP", "aliases": ["Los X"]}]}))
    reg = load_registry(project.path)
    assert reg.lookup("guaidó", "PERSON").kb_id == "Q999"
    assert reg.lookup("LOS X", "ORG").name == "Grupo X"
    assert reg.lookup("Maduro", "PERSON").kb_id == "Q58132"  # shipped entries stay
    (project.path / "actors.json").write_text('{"actors": [{"name": "no id"}]}')
    with pytest.raises(RegistryError, match="actor 1 is not valid"):
        load_registry(project.path)
    (project.path / "actors.json").write_text("{oops")
    with pytest.raises(RegistryError, match="cannot read"):
        load_registry(project.path)


def test_cli_link_and_actors(sample_copy: Path) -> None:
    runner = CliRunner()
    p = open_project(sample_copy)
    preannotate_project(p, Options(model="blank"))
    p.conn.execute("DELETE FROM span_actor")
    p.close()
    res = runner.invoke(cli, ["link", str(sample_copy)])
    assert res.exit_code == 0, res.output
    m = re.search(r"linked (\d+) of (\d+) unlinked", res.output)
    assert m and m.group(1) == m.group(2) and int(m.group(1)) > 500  # every mention got one
    res = runner.invoke(cli, ["actors", str(sample_copy), "--json"])
    rows = [json.loads(x) for x in res.output.splitlines()]
    maduro = next(r for r in rows if r["kb_id"] == "Q58132")
    assert maduro["texts"]["Maduro"] > 10 and maduro["documents"] == 5
    res = runner.invoke(cli, ["actors", str(sample_copy)])
    assert "Nicolás Maduro" in res.output
    res = runner.invoke(cli, ["actors", str(sample_copy), "--annotator", "nobody"])
    assert res.exit_code != 0 and "no annotator layer" in res.output


@pytest.mark.slow
def test_sample_with_the_real_model_links_the_same_way(sample_copy: Path) -> None:
    from annotator.nlp.model import resolve_model

    if not resolve_model(None).statistical:
        pytest.skip("no English model installed")
    with open_project(sample_copy, annotator="tester", preannotate=True) as p:  # model + linking
        (maduro,) = _actors_of(p, {"Nicolas Maduro", "Nicolás Maduro", "Maduro"}, "PERSON")
        (guaido,) = _actors_of(p, {"Guaido", "Guaidó", "Juan Guaidó", "Juan Guaido"}, "PERSON")
        (usa,) = _actors_of(p, {"U.S.", "US", "United States", "Washington"}, "GPE")
        assert get_actor(p, maduro).kb_id == "Q58132" and get_actor(p, usa).country == "USA"
        assert get_actor(p, guaido).name == "Juan Guaidó"


def test_a_broken_project_registry_is_one_line_and_keeps_the_suggestions(sample_copy: Path) -> None:
    (sample_copy / "actors.json").write_text("{broken", encoding="utf-8")
    p = open_project(sample_copy, annotator="tester")
    summary = preannotate_project(p, Options(model="blank"))
    assert summary.suggested > 500 and summary.linked == 0
    assert "actors not linked: cannot read the actor registry" in summary.note
    p.close()
    res = CliRunner().invoke(cli, ["link", str(sample_copy)])
    assert res.exit_code != 0 and isinstance(res.exception, RegistryError)


def test_every_shipped_kb_id_says_where_it_was_checked() -> None:
    """A kb id in an export is a claim: the registry only holds the checked ones, and
    kb-evidence.json names the Wikidata-derived data each was checked against."""
    root = Path(__file__).resolve().parents[2] / "resources" / "actors"
    reg = json.loads((root / "registry.json").read_text(encoding="utf-8"))
    evidence = json.loads((root / "kb-evidence.json").read_text(encoding="utf-8"))
    checked = {"confirmed", "corrected", "found"}
    for entry in reg["actors"]:
        ev = evidence["actors"][entry["id"]]
        if entry["kb_id"] is not None:
            assert ev["status"] in checked and ev["qid"] == entry["kb_id"], entry["id"]
            assert ev["evidence"], entry["id"]
        else:
            assert ev["status"] not in checked, entry["id"]  # a checked id left out is a loss
    for iso3, qid in reg["countries"].items():
        assert evidence["countries"][iso3]["status"] in checked
        assert evidence["countries"][iso3]["qid"] == qid, iso3
    kb = [e["kb_id"] for e in reg["actors"] if e["kb_id"]] + list(reg["countries"].values())
    assert len(kb) == len(set(kb))  # one QID, one actor (actors.kb_id is UNIQUE)

