"""Event data and the actor graph out: the JSONL validates, networkx reads the GraphML."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import jsonschema
import networkx as nx
import pytest

from annotator.core.actor_ops import reject_links
from annotator.core.actors import link_of
from annotator.core.models import Span
from annotator.core.ops import AddRelation, AddSpan, SetStatus
from annotator.core.paths import resource_path
from annotator.io.export import ExportOptions, export_project
from annotator.nlp.linking import link_project

TEXT = ("MOSCOW, March 28, 2019 (Reuters) - Russia sent troops to Venezuela to support Nicolas Maduro."
        " The U.S. accused Russia in Caracas. Maduro's opponent Juan Guaidó thanked Washington."
        " Trump is the leader of the United States.")


def _add(project, doc: int, text: str, label: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(text, start + 1)
    return project.apply(AddSpan(doc, start, start + len(text), label)).change.spans_added[0]


@pytest.fixture
def corpus(project):
    doc = project.add_document("a.txt", TEXT, meta={"source": "test"})
    s = {k: _add(project, doc, k, lab) for k, lab in (
        ("Russia", "GPE"), ("Venezuela", "GPE"), ("Nicolas Maduro", "PERSON"), ("U.S.", "GPE"),
        ("Caracas", "GPE"), ("Juan Guaidó", "PERSON"), ("Washington", "GPE"), ("Trump", "PERSON"),
        ("United States", "GPE"))}
    s["Russia2"] = _add(project, doc, "Russia", "GPE", nth=1)
    for h, c, t in (("Russia", "Venezuela", "AID"), ("Russia", "Nicolas Maduro", "SUPPORT"),
                    ("U.S.", "Russia2", "ACCUSE"), ("Juan Guaidó", "Washington", "SUPPORT"),
                    ("Trump", "United States", "LEADER_OF"), ("Russia2", "Caracas", "LOCATED_IN")):
        project.apply(AddRelation(s[h].id, s[c].id, t, attrs={"negated": True} if t == "ACCUSE" else {}))
    link_project(project)
    project.apply(SetStatus(doc, "done", accept=True))
    return project, doc, s


def test_events_validate_and_carry_actors(corpus, tmp_path: Path) -> None:
    project, _doc, s = corpus
    project.apply(reject_links([s["Washington"].id]))  # the capital was the city here
    out = tmp_path / "events.jsonl"
    summary = export_project(project, "events", out, ExportOptions())
    records = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    schema = json.loads(resource_path("schema", "events.schema.json").read_text(encoding="utf-8"))
    for r in records:
        jsonschema.validate(r, schema)
    assert len(records) == 4  # of 6: LEADER_OF and LOCATED_IN are standing relations
    assert summary.notes["standing relations left out (events are event relations only)"] == 2
    by = {(r["event_type"], r["actor"][0]["entity_text"]): r for r in records}
    aid = by[("AID", "Russia")]
    assert aid["date"] == "2019-03-28" and aid["quad_code"] == 2
    assert aid["actor"][0]["code"] == "RUS" and aid["recipient"][0]["identifier_id"] == "Q717"
    assert aid["text"].startswith("MOSCOW") and "support Nicolas Maduro." in aid["text"]
    support = by[("SUPPORT", "Russia")]
    assert support["recipient"][0]["identifier_text"] == "Nicolás Maduro"
    accuse = by[("ACCUSE", "U.S.")]
    assert accuse["negated"] is True and accuse["quad_class"] == "verbal conflict"
    assert accuse["event_loc"]["entity_text"] == "Caracas" and accuse["event_loc"]["how"] == "LOCATED_IN"
    assert accuse["actor"][0]["identifier_text"] == "United States"
    assert all(r["state"] == "accepted" and r["doc"]["name"] == "a.txt" for r in records)
    # a bad record does not validate: the schema is not a tautology
    bad = {**aid, "quad_code": 7}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_guaido_support_for_rejected_capital_has_no_recipient_actor(corpus, tmp_path: Path) -> None:
    project, _doc, s = corpus
    assert link_of(project, s["Washington"].id).reason == "capital"
    project.apply(reject_links([s["Washington"].id]))
    out = tmp_path / "e.jsonl"
    export_project(project, "events", out, ExportOptions())
    rec = next(json.loads(x) for x in out.read_text().splitlines() if '"Juan Guaidó"' in x)
    assert rec["recipient"][0]["actor_id"] is None and rec["recipient"][0]["link"] is None


def test_graph_reads_back_in_networkx(corpus, tmp_path: Path) -> None:
    project, _doc, _s = corpus
    out = tmp_path / "g.graphml"
    summary = export_project(project, "graph", out, ExportOptions())
    assert out.with_name("g.edges.csv") in summary.files
    g = nx.read_graphml(out)
    names = {d["name"]: n for n, d in g.nodes(data=True)}
    assert {"Russia", "Venezuela", "Nicolás Maduro", "United States", "Donald Trump"} <= set(names)
    assert g.nodes[names["Russia"]]["country"] == "RUS" and g.nodes[names["Russia"]]["mentions"] == 2
    edges = {(g.nodes[u]["name"], g.nodes[v]["name"], d["type"]): d for u, v, d in g.edges(data=True)}
    assert edges[("Russia", "Venezuela", "AID")]["count"] == 1
    assert edges[("Russia", "Venezuela", "AID")]["quad_class"] == "material cooperation"
    assert edges[("Donald Trump", "United States", "LEADER_OF")]["quad_class"] == "standing"
    assert edges[("United States", "Russia", "ACCUSE")]["documents"] == "a.txt"
    with open(out.with_name("g.edges.csv"), encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == g.number_of_edges()
    assert {"source_name": "Russia", "target_name": "Venezuela", "type": "AID"}.items() <= next(
        r for r in rows if r["type"] == "AID").items()


def test_cli_exports_events_and_graph(corpus, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from annotator.cli import cli

    project, _doc, _s = corpus
    path = str(project.path)
    res = CliRunner().invoke(cli, ["export", path, "--format", "events", "-o", str(tmp_path / "e.jsonl")])
    assert res.exit_code == 0, res.output
    assert "standing relations left out" in res.output
    assert len((tmp_path / "e.jsonl").read_text().splitlines()) == 4
    res = CliRunner().invoke(cli, ["export", path, "--format", "graph", "-o", str(tmp_path / "g.graphml")])
    assert res.exit_code == 0 and "g.edges.csv" in res.output
    assert nx.read_graphml(tmp_path / "g.graphml").number_of_edges() == 6
