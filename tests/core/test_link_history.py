"""Undo and redo of link runs with other people's edits in between: ids SQLite would reuse,
spans deleted and made anew, links a person decided, relations brought back twice."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core import history
from annotator.core.actor_ops import CreateActor, LinkMentions, UnlinkMentions, accept_links
from annotator.core.actors import link_of
from annotator.core.errors import EditError
from annotator.core.models import now
from annotator.core.ops import AddSpan, DeleteSpans, SetStatus
from annotator.core.store import Project
from annotator.nlp.linking import link_project
from annotator.nlp.preannotate import Options, preannotate_project

NAMES = ["Zorblax Quint", "Mirelda Vost", "Ondrak Pell", "Tessaly Marn"]  # not in the registry


def _open(path: Path, who: str) -> Project:
    return Project.open(path, annotator=who)


def _links(p: Project) -> list[tuple[str, str]]:
    return sorted(p.conn.execute(
        "SELECT substr(d.text, s.start + 1, s.end - s.start), a.name FROM span_actor l"
        " JOIN spans s ON s.id = l.span_id JOIN documents d ON d.id = s.doc_id"
        " JOIN actors a ON a.id = l.actor_id").fetchall())


def _suggest(p: Project, run: str, doc: int, start: int, end: int, label: str = "PERSON") -> int:
    return int(p.conn.execute(
        "INSERT INTO spans (doc_id, start, end, label, source, state, annotator, created_at,"
        " updated_at, run_id) VALUES (?,?,?,?, 'model', 'suggested', ?, ?, ?, ?)",
        (doc, start, end, label, p.annotator, now(), now(), run)).lastrowid)


def _one_linked_mention(path: Path) -> tuple[Project, int]:
    """Annotator A's project with one person's span, linked by a link run to a new actor."""
    a = _open(path, "A")
    doc = a.add_document("z.txt", "Zorblax Quint spoke today.")
    span = a.apply(AddSpan(doc, 0, 13, "PERSON")).change.spans_added[0].id
    link_project(a)
    return a, span


@pytest.fixture
def path(tmp_path: Path) -> Path:
    Project.init(tmp_path / "p", annotator="A").close()
    return tmp_path / "p"


def test_redo_gives_each_mention_its_own_actor_back_after_ids_were_taken(path: Path) -> None:
    a = _open(path, "A")
    docs = [a.add_document(f"{i}.txt", f"{n} spoke today.") for i, n in enumerate(NAMES)]
    run = history.start_run(a, "preannotate", "pre-annotation (test)", {})
    with a.write():
        for doc, name in zip(docs, NAMES, strict=True):
            _suggest(a, run, doc, 0, len(name))
    link_project(a, run_id=run)
    history.finish_run(a, run, "pre-annotation (test)", {})
    made = _links(a)
    assert a.undo() is not None
    with _open(path, "B") as b:
        b.apply(CreateActor("B's own actor"))  # would take the first freed id
    assert a.redo() is not None
    assert _links(a) == made
    assert "B's own actor" in {r[0] for r in a.conn.execute("SELECT name FROM actors")}
    a.close()


def test_undoing_an_unlink_after_the_run_took_its_actor_says_why(path: Path) -> None:
    a, span = _one_linked_mention(path)
    with _open(path, "B") as b:
        b.apply(UnlinkMentions([span]))
        a.undo()  # the link run: its actor has no mention left, so it goes
        with _open(path, "C") as c:
            c.apply(CreateActor("Simón Bolívar"))  # must not get the parked actor's id
        with pytest.raises(EditError, match="actor"):
            b.undo()
        assert link_of(b, span) is None  # and never Simón Bolívar
        assert b.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    a.close()


def test_redo_puts_a_link_back_on_its_own_mention_only(path: Path) -> None:
    a = _open(path, "A")
    d1 = a.add_document("m.txt", "Maduro spoke.")
    d2 = a.add_document("t.txt", "Trump answered.")
    span = a.apply(AddSpan(d1, 0, 6, "PERSON")).change.spans_added[0].id
    link_project(a)
    a.undo()
    with _open(path, "B") as b:
        b.apply(DeleteSpans([span]))
        b.apply(AddSpan(d2, 0, 5, "PERSON"))  # SQLite may hand it the deleted span's id
    a.redo()
    assert _links(a) == []  # Maduro's span is gone; Trump is not Maduro
    a.close()


def test_undo_redo_undo_of_a_rerun_never_doubles_relations(path: Path) -> None:
    a = _open(path, "A")
    doc = a.add_document("z.txt", "Maduro met Putin today.")
    r0 = history.start_run(a, "preannotate", "first", {})
    with a.write():
        h, c = _suggest(a, r0, doc, 0, 6), _suggest(a, r0, doc, 11, 16)
        a.conn.execute("INSERT INTO relations (doc_id, head_id, child_id, label, created_at,"
                       " updated_at, run_id, state, source) VALUES (?,?,?, 'MEET', ?, ?, ?,"
                       " 'suggested', 'model')", (doc, h, c, now(), now(), r0))
    history.finish_run(a, r0, "first", {})
    r1 = history.start_run(a, "preannotate", "second", {})
    with a.write():  # the re-run replaces the older suggestions
        history.park_spans(a, [h, c], r1, "removed")
        a.conn.execute("DELETE FROM spans WHERE id IN (?, ?)", (h, c))
        _suggest(a, r1, doc, 0, 6)
    history.finish_run(a, r1, "second", {})

    def count() -> int:
        return a.conn.execute("SELECT COUNT(*) FROM relations").fetchone()[0]

    assert count() == 0
    a.undo()
    assert count() == 1
    a.redo()
    assert count() == 0
    a.undo()
    assert count() == 1
    a.close()


def test_undoing_pre_annotation_keeps_a_suggestion_whose_link_a_person_accepted(
        sample_copy: Path) -> None:
    from annotator.io.projects import open_project

    a = open_project(sample_copy, annotator="A")
    preannotate_project(a, Options(model="blank"))
    doc = next(a.iter_documents())
    span = next(s for s in a.spans(doc.id) if a.text(doc.id)[s.start:s.end] == "Reuters")
    with _open(sample_copy, "B") as b:
        b.apply(accept_links([span.id]))
        actor = link_of(b, span.id).actor_id
    a.undo()
    link = link_of(a, span.id)
    assert link is not None and (link.actor_id, link.state) == (actor, "accepted")
    a.close()


def test_a_link_run_with_nothing_to_link_keeps_redo(path: Path) -> None:
    a = _open(path, "A")
    doc = a.add_document("z.txt", "Nothing here.")
    a.apply(SetStatus(doc, "in_progress"))
    a.undo()
    assert history.next_redo(a) is not None
    assert link_project(a).linked == 0
    assert history.next_redo(a) is not None  # a no-op is no step and ends no redo
    a.close()


def test_after_pre_annotation_undo_takes_the_run_first(sample_copy: Path) -> None:
    from annotator.io.projects import open_project

    a = open_project(sample_copy, annotator="A")
    preannotate_project(a, Options(model="blank"))
    # as linked by an earlier release: a registry actor with an outdated kb id
    a.conn.execute("UPDATE actors SET kb_id = 'Q57413' WHERE registry_id = 'nicolas-maduro'")
    run = preannotate_project(a, Options(model="blank")).run_id
    step = history.next_undo(a)
    assert step is not None and step.run_id == run  # not the kb refresh it made on the way
    assert dict(a.conn.execute("SELECT registry_id, kb_id FROM actors"))["nicolas-maduro"] == "Q58132"
    a.close()


def test_redo_keeps_the_links_when_someone_added_spans_in_between(sample_copy: Path) -> None:
    from annotator.io.projects import open_project

    a = open_project(sample_copy, annotator="A")
    preannotate_project(a, Options(model="blank"))
    made = _links(a)
    assert len(made) > 100
    a.undo()
    with _open(sample_copy, "B") as b:  # their spans take the freed ids: 1, 2, 3...
        doc = next(b.iter_documents())
        for i in range(5):
            b.apply(AddSpan(doc.id, i, i + 1, "PERSON"))
    a.redo()
    assert _links(a) == made  # every link on its own mention again
    a.close()


def test_a_rerun_keeps_a_suggestion_whose_actor_link_a_person_accepted(sample_copy: Path) -> None:
    from annotator.core.ops import UpdateSpans
    from annotator.io.projects import open_project

    a = open_project(sample_copy, annotator="A")
    preannotate_project(a, Options(model="blank"))
    rows = a.conn.execute(
        "SELECT s.id FROM spans s JOIN documents d ON d.id = s.doc_id JOIN span_actor l"
        " ON l.span_id = s.id WHERE s.state = 'suggested' AND s.label = 'GPE'"
        " AND substr(d.text, s.start + 1, s.end - s.start) = 'Venezuela' ORDER BY s.id").fetchall()
    first, second = rows[0][0], rows[1][0]
    with _open(sample_copy, "B") as b:  # memory now says NORP for "Venezuela": the re-run
        b.apply(UpdateSpans({str(first): {"label": "NORP", "state": "accepted"}}))  # replaces
        b.apply(accept_links([second]))  # ...but not a mention whose actor someone confirmed
    where = a.conn.execute("SELECT doc_id, start, end FROM spans WHERE id = ?", (second,)).fetchone()
    preannotate_project(a, Options(model="blank"))
    (state,) = a.conn.execute(
        "SELECT l.state FROM span_actor l JOIN spans s ON s.id = l.span_id"
        " WHERE s.doc_id = ? AND s.start = ? AND s.end = ?", where).fetchone()
    assert state == "accepted"
    a.close()


def test_actor_ids_start_above_every_id_the_history_names(path: Path) -> None:
    from annotator.core.actor_ops import MergeActors
    from annotator.core.db import _statements
    from annotator.core.migrations import V7

    a = _open(path, "A")
    for name in ("One", "Two", "Three"):
        a.apply(CreateActor(name))
    a.apply(MergeActors(3, 1))  # actor 3 lives on only in the history
    # as a project from before the sequence: seed it the way the migration does
    a.conn.execute("DELETE FROM project_meta WHERE key = 'actor_seq'")
    (seed,) = [st for st in _statements(V7) if "actor_seq" in st]
    a.conn.execute(seed)
    with _open(path, "B") as b:
        b.apply(CreateActor("Bea"))
        bea = b.conn.execute("SELECT id FROM actors WHERE name = 'Bea'").fetchone()[0]
    assert bea == 4
    a.undo()  # the merge: actor 3 comes back as itself, Bea stays Bea
    names = dict(a.conn.execute("SELECT id, name FROM actors"))
    assert names == {1: "One", 2: "Two", 3: "Three", 4: "Bea"}
    a.close()


def test_undo_never_overwrites_an_actor_that_took_an_old_id(path: Path) -> None:
    from annotator.core.actor_ops import MergeActors

    a = _open(path, "A")
    a.apply(CreateActor("One"))
    a.apply(CreateActor("Two"))
    a.apply(MergeActors(2, 1))
    a.conn.execute("INSERT INTO actors (id, name, created_at, updated_at) VALUES"
                   " (2, 'Lent id', '2030-01-01', '2030-01-01')")  # as an older release could
    with pytest.raises(EditError, match="another actor|changed that actor since"):
        a.undo()
    assert dict(a.conn.execute("SELECT id, name FROM actors"))[2] == "Lent id"
    a.close()


def test_an_unlink_undone_gives_the_link_back_to_its_run(path: Path) -> None:
    a, span = _one_linked_mention(path)
    a.apply(UnlinkMentions([span]))
    a.undo()  # the unlink: the suggestion is back, and still the link run's
    assert link_of(a, span) is not None
    a.undo()  # the link run takes it, and the actor it made
    assert link_of(a, span) is None
    assert a.conn.execute("SELECT COUNT(*) FROM actors").fetchone()[0] == 0
    a.close()


def _two_actors_and_a_link(path: Path) -> tuple[Project, int, int, int]:
    a = _open(path, "A")
    doc = a.add_document("z.txt", "Zorblax Quint met Mirelda Vost.")
    s1 = a.apply(AddSpan(doc, 0, 13, "PERSON")).change.spans_added[0].id
    s2 = a.apply(AddSpan(doc, 18, 30, "PERSON")).change.spans_added[0].id
    link_project(a)
    return a, s1, link_of(a, s1).actor_id, link_of(a, s2).actor_id


def test_an_accepted_link_survives_its_actor_being_merged_while_its_span_was_deleted(
        path: Path) -> None:
    from annotator.core.actor_ops import MergeActors

    a, span, x, y = _two_actors_and_a_link(path)
    with _open(path, "B") as b:
        b.apply(accept_links([span]))
        a.apply(DeleteSpans([span]))
        b.apply(MergeActors(x, y))  # the same person after all
        a.undo()  # the delete: the span, and its accepted link, now to the merged actor
        link = link_of(a, span)
        assert link is not None and (link.actor_id, link.state) == (y, "accepted")
    a.close()


def test_undo_does_not_overwrite_what_someone_decided_since(path: Path) -> None:
    from annotator.core.actor_ops import rename_actor

    a, span, x, y = _two_actors_and_a_link(path)
    a.apply(rename_actor(x, "A's name"))
    with _open(path, "B") as b:
        b.apply(rename_actor(x, "B's name"))
    with pytest.raises(EditError, match="changed that actor since"):
        a.undo()
    assert a.conn.execute("SELECT name FROM actors WHERE id = ?", (x,)).fetchone()[0] == "B's name"
    a.apply(accept_links([span]))
    with _open(path, "B") as b:
        b.apply(LinkMentions([span], y))
    with pytest.raises(EditError, match="linked that mention differently"):
        a.undo()
    link = link_of(a, span)
    assert (link.actor_id, link.state, link.annotator) == (y, "accepted", "B")
    a.close()


def test_undoing_a_delete_never_doubles_a_span_someone_labelled_again(path: Path) -> None:
    a = _open(path, "A")
    doc = a.add_document("z.txt", "Maduro spoke.")
    span = a.apply(AddSpan(doc, 0, 6, "PERSON")).change.spans_added[0].id
    a.apply(DeleteSpans([span]))
    with _open(path, "B") as b:
        b.apply(AddSpan(doc, 0, 6, "PERSON"))
    with pytest.raises(EditError, match="labelled again"):
        a.undo()
    assert len(a.spans(doc)) == 1
    a.close()


@pytest.mark.parametrize("seq", ["abc", "-5", ""])
def test_a_damaged_actor_sequence_is_not_fatal(path: Path, seq: str) -> None:
    from annotator.core.db import set_meta

    a = _open(path, "A")
    a.apply(CreateActor("One"))
    set_meta(a.conn, "actor_seq", seq)
    doc = a.add_document("z.txt", "Zorblax Quint spoke.")
    a.apply(AddSpan(doc, 0, 13, "PERSON"))
    assert link_project(a).actors_created == 1
    assert sorted(r[0] for r in a.conn.execute("SELECT id FROM actors")) == [1, 2]
    a.close()


def test_a_deleted_spans_id_is_never_handed_out_again(path: Path) -> None:
    a = _open(path, "A")
    doc = a.add_document("z.txt", "Maduro met Putin.")
    a.apply(AddSpan(doc, 0, 6, "PERSON"))
    top = a.apply(AddSpan(doc, 11, 16, "PERSON")).change.spans_added[0].id
    a.apply(DeleteSpans([top]))
    with _open(path, "B") as b:  # SQLite alone would give B the freed top id
        new = b.apply(AddSpan(doc, 7, 10, "PERSON")).change.spans_added[0].id
    assert new > top
    a.undo()  # the delete: Putin comes back under his own id
    assert {a.text(doc)[s.start:s.end] for s in a.spans(doc)} == {"Maduro", "met", "Putin"}
    a.close()
