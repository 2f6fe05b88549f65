"""Linking is part of history: `annotator link` is one step, and the links and actors a
pre-annotation's linking made go with its undo (and come back with its redo)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.core.actor_ops import LinkMentions, accept_links, rename_actor
from annotator.core.actors import actor_table, link_of
from annotator.core.ops import AddSpan
from annotator.io.projects import open_project
from annotator.nlp.linking import link_project
from annotator.nlp.preannotate import Options, preannotate_project


def _links(p) -> dict[tuple[int, int, int], tuple[str, str | None, str]]:
    """(doc, start, end) -> (actor name, kb id, state): ids may change, what they mean may not."""
    return {(doc, start, end): (name, kb, state) for doc, start, end, name, kb, state in p.conn.execute(
        "SELECT s.doc_id, s.start, s.end, a.name, a.kb_id, l.state FROM span_actor l"
        " JOIN spans s ON s.id = l.span_id JOIN actors a ON a.id = l.actor_id")}


def _actor_names(p) -> set[str]:
    return {r[0] for r in p.conn.execute("SELECT name FROM actors")}


def _human_spans(p) -> list[int]:
    """A person's spans on the first document, before any machine run."""
    doc = next(p.iter_documents())
    ids = []
    for text, label in (("Maduro", "PERSON"), ("Russia", "GPE")):
        start = doc.text.index(text)
        ids.append(p.apply(AddSpan(doc.id, start, start + len(text), label)).change.spans_added[0].id)
    return ids


@pytest.fixture
def sample(sample_copy: Path):
    p = open_project(sample_copy, annotator="tester")
    yield p
    p.close()


def test_link_alone_is_one_step_undone_and_redone(sample) -> None:
    spans = _human_spans(sample)
    before_actors = _actor_names(sample)
    summary = link_project(sample)
    assert summary.linked == 2 and summary.run_id
    made = _links(sample)
    assert {v[1] for v in made.values()} == {"Q58132", "Q159"}
    step = sample.undo()
    assert step is not None and step.step.op == "link"
    assert all(link_of(sample, s) is None for s in spans)  # its links are gone
    assert _actor_names(sample) == before_actors  # and the actors it made
    assert sample.redo() is not None
    assert _links(sample) == made
    assert sample.undo() is not None and _links(sample) == {}  # again, after a redo
    sample.redo()
    steps = sample.conn.execute("SELECT COUNT(*) FROM edit_log").fetchone()[0]
    assert link_project(sample).linked == 0  # nothing left to link: no empty step
    assert sample.conn.execute("SELECT COUNT(*) FROM edit_log").fetchone()[0] == steps


def test_undoing_a_link_run_keeps_what_a_person_decided(sample) -> None:
    maduro, russia = _human_spans(sample)
    guaido_doc = sample.add_document("g.txt", "Guaidó spoke.")
    guaido = sample.apply(AddSpan(guaido_doc, 0, 6, "PERSON")).change.spans_added[0].id
    link_project(sample)
    russia_actor = link_of(sample, russia).actor_id
    guaido_actor = link_of(sample, guaido).actor_id
    other = open_project(sample.path, annotator="coordinator")  # someone else decides meanwhile
    try:
        other.apply(accept_links([maduro]))
        other.apply(rename_actor(russia_actor, "Russian Federation"))
        other.apply(LinkMentions([guaido], guaido_actor))  # linked by hand: accepted
    finally:
        other.close()
    step = sample.undo()
    assert step is not None and step.step.op == "link"
    assert link_of(sample, maduro).state == "accepted"  # accepted by a person: stays
    assert link_of(sample, guaido).actor_id == guaido_actor  # linked by a person: stays
    assert link_of(sample, russia) is None  # still only a suggestion: goes
    assert "Russian Federation" in _actor_names(sample)  # renamed by a person: stays


def test_preannotation_undo_takes_its_links_and_actors_with_it(sample) -> None:
    spans = _human_spans(sample)
    before_actors = _actor_names(sample)
    summary = preannotate_project(sample, Options(model="blank"))
    assert summary.linked > 2
    assert link_of(sample, spans[0]) is not None  # the person's spans were linked by the run
    made = _links(sample)
    table = {r.actor.name: r.mentions for r in actor_table(sample)}
    assert sample.undo() is not None
    assert all(link_of(sample, s) is None for s in spans)
    assert _links(sample) == {}
    assert _actor_names(sample) == before_actors  # no actor left behind without a mention
    assert sample.redo() is not None
    assert _links(sample) == made
    assert {r.actor.name: r.mentions for r in actor_table(sample)} == table


def test_cli_link_then_undo(sample_copy: Path) -> None:
    runner = CliRunner()  # the first command pre-annotates the sample (and links it)
    assert runner.invoke(cli, ["actors", str(sample_copy)]).exit_code == 0
    p = open_project(sample_copy, annotator="tester")
    try:
        before = _links(p)
        doc = p.add_document("new.txt", "Guaidó met Lavrov.")
        p.apply(AddSpan(doc, 0, 6, "PERSON"))
        p.apply(AddSpan(doc, 11, 17, "PERSON"))
    finally:
        p.close()
    out = runner.invoke(cli, ["link", str(sample_copy), "--annotator", "tester"])
    assert out.exit_code == 0 and "linked 2 of 2" in out.output, out.output
    out = runner.invoke(cli, ["undo", str(sample_copy), "--annotator", "tester"])
    assert out.exit_code == 0 and "link actors" in out.output, out.output
    p = open_project(sample_copy, annotator="tester")
    try:
        assert _links(p) == before
    finally:
        p.close()


def test_a_corrected_registry_kb_id_reaches_an_older_project(sample) -> None:
    from annotator.core import history

    _human_spans(sample)
    edited = sample.add_document("e.txt", "Putin spoke.")
    sample.apply(AddSpan(edited, 0, 5, "PERSON"))
    link_project(sample)
    # as linked by an earlier release, whose registry had Maduro's QID wrong; and a person
    # cleared Putin's kb id on purpose (an edit: updated_at moves)
    sample.conn.execute("UPDATE actors SET kb_id = 'Q57413' WHERE registry_id = 'nicolas-maduro'")
    sample.conn.execute("UPDATE actors SET kb_id = NULL, updated_at = '2030-01-01'"
                        " WHERE registry_id = 'vladimir-putin'")
    summary = link_project(sample)
    assert summary.kb_refreshed == 1 and "1 kb ids updated" in summary.text()
    kb = dict(sample.conn.execute("SELECT registry_id, kb_id FROM actors"))
    assert kb["nicolas-maduro"] == "Q58132"
    assert kb["vladimir-putin"] is None  # a person's decision stays
    assert "kb ids from the actor registry: 1 actors" in [s.describe() for s in history.steps(sample)]
    assert link_project(sample).kb_refreshed == 0
