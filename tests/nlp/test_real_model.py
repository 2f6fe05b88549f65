"""With the real model (slow): the sample project pre-annotates the issue's entities."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.nlp.model import resolve_model

pytestmark = pytest.mark.slow

EXPECTED = {
    "GPE": {"Venezuela", "Caracas", "Russia", "Moscow", "Washington"},
    "PERSON": {"Juan Guaido", "Sergei Lavrov", "Mike Pompeo"},
    "NORP": {"Russian", "Venezuelan"},
    "ORG": {"Reuters", "Rosneft"},
}


@pytest.mark.skipif(not resolve_model(None).statistical, reason="no English model installed")
def test_sample_project_is_preannotated_on_first_open(sample_copy: Path) -> None:
    from annotator.io.projects import open_project

    with open_project(sample_copy, annotator="tester", preannotate=True) as project:
        rows = project.conn.execute(
            "SELECT s.label, s.source, s.state, substr(d.text, s.start + 1, s.end - s.start)"
            " FROM spans s JOIN documents d ON d.id = s.doc_id"
        ).fetchall()
        found: dict[str, set[str]] = {}
        for label, _source, state, text in rows:
            assert state == "suggested"
            found.setdefault(label, set()).add(text)
        for label, names in EXPECTED.items():
            assert names <= found.get(label, set()), (label, names - found.get(label, set()))
        assert found["PERSON"] & {"Nicolas Maduro", "Nicolás Maduro"}
        assert {src for _, src, _, _ in rows} == {"model", "rule"}
        event = project.history(limit=5)[0]
        assert event["op"] == "preannotate"
        assert project.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_ner_only_pipeline_matches_the_full_pipeline() -> None:
    import spacy

    from annotator.nlp.model import load_pipeline

    choice = resolve_model(None)
    if not choice.statistical:
        pytest.skip("no English model installed")
    text = (Path(__file__).parents[2] / "projects" / "venezuela-2019").glob("00*.txt")
    texts = [p.read_text(encoding="utf-8") for p in sorted(text)][:2]
    slim, full = load_pipeline(choice), spacy.load(choice.path)
    assert slim.pipe_names == ["ner"]

    def ents(nlp):
        return [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in nlp.pipe(texts)]

    assert ents(slim) == ents(full)
