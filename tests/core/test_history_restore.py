"""A suggestion deleted and brought back by undo is still its run's: undoing the run takes it."""

from __future__ import annotations

from pathlib import Path

from annotator.core.ops import DeleteSpans
from annotator.io.projects import open_project
from annotator.nlp.preannotate import Options, preannotate_project


def test_restored_suggestion_keeps_its_run(sample_copy: Path) -> None:
    p = open_project(sample_copy, annotator="tester")
    try:
        run = preannotate_project(p, Options(model="blank")).run_id
        doc = next(p.iter_documents())
        victim = next(s for s in p.spans(doc.id) if s.state == "suggested")
        p.apply(DeleteSpans([victim.id]))  # rejected by mistake...
        assert p.undo() is not None  # ...and brought back
        (run_id,) = p.conn.execute("SELECT run_id FROM spans WHERE id = ?", (victim.id,)).fetchone()
        assert run_id == run
        step = p.undo()  # now the pre-annotation
        assert step is not None and step.step.run_id == run
        assert p.conn.execute("SELECT COUNT(*) FROM spans WHERE state = 'suggested'").fetchone()[0] == 0
    finally:
        p.close()
