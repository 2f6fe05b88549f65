"""Training on the sample articles with the hand-made gold (tests/data/venezuela_gold.json).

Seed 4 holds out the long Reuters/Guardian/Vox article (document 4), which has MIL_UNIT,
WEAPON and ARMED_GROUP spans; the other four are trained on.
"""

from __future__ import annotations

import json

import pytest

from annotator.core import memory
from annotator.nlp.preannotate import Options, preannotate_project
from annotator.nlp.train.loop import TrainOptions, train_project

pytestmark = pytest.mark.slow
NEW_LABELS = {"MIL_UNIT", "WEAPON", "ARMED_GROUP"}


def test_trained_model_beats_the_base_on_its_labels_and_learns_new_ones(gold_project) -> None:
    p = gold_project
    result = train_project(p, TrainOptions(seed=4, curve=False))
    print("\n" + result.text())  # noqa: T201 - the figures the issue asks to see (pytest -s)

    assert result.split["eval"] == [4] and 4 not in result.split["train"]
    assert set(result.base_labels) == {"GPE", "PERSON", "ORG", "NORP", "LOC", "FAC", "EVENT"}
    base = result.base_scores["micro_base_labels"]["f"]
    trained = result.trained_scores["micro_base_labels"]["f"]
    assert base > 0.5 and trained >= base  # no forgetting on what the base model knew
    hits = {h["label"] for h in result.found_new if h["correct"]}
    assert hits & NEW_LABELS, result.found_new  # learned, found on held-out text, no gazetteer

    d = result.model_dir
    assert d.parent == p.path / "models" and (d / "config.cfg").is_file()
    docs = json.loads((d / "documents.json").read_text())
    assert docs["eval"] == [4] and not set(docs["train"]) & set(docs["eval"])
    scores = json.loads((d / "scores.json").read_text())
    assert scores["trained"]["micro_base_labels"]["f"] == trained
    assert any(e["op"] == "train" for e in p.history())

    # use it: pre-annotate a new document with the project's model, marked as such (memory
    # off: the gold's own texts, "Russian troops", would be suggested by project memory first)
    memory.set_enabled(p, False)
    new = p.add_document("new.txt", "Russian troops and the Russian air force landed in Caracas"
                                    " with an Antonov-124 while Wagner Group fighters waited.")
    summary = preannotate_project(p, Options(model="project:latest"))
    assert "project's model project:" in summary.model
    spans = p.spans(new)
    by_model = [s for s in spans if s.source == "model"]
    assert by_model and all(s.attrs.get("model") == f"project:{d.name}" for s in by_model)
    assert {s.label for s in by_model} & NEW_LABELS


def test_cli_train_prints_base_and_trained_per_label(gold_project, capsys) -> None:
    from annotator.cli import main

    path = str(gold_project.path)
    gold_project.close()
    main(["train", path, "--seed", "0", "--iterations", "1", "--base", "blank"])  # no exit: ok
    out = capsys.readouterr().out
    assert "base P" in out and "trained P" in out and "MIL_UNIT" in out
    assert "learning curve" in out and "100% (4 docs)" in out and "25% (1 docs)" in out


def test_cli_train_without_done_documents_is_one_line(project, capsys) -> None:
    from annotator.cli import main

    project.add_document("a.txt", "Russia and Venezuela.")
    with pytest.raises(SystemExit) as exc:
        main(["train", str(project.path), "--base", "blank"])
    err = capsys.readouterr().err
    assert exc.value.code == 1 and err.count("\n") == 1 and "nothing to train on" in err
    assert not (project.path / "models").exists()


def test_uncertainty_scores_unfinished_documents_and_orders_them(project, capsys) -> None:
    from annotator.cli import main
    from annotator.core.doc_scores import list_by_uncertainty, score_of
    from annotator.core.ops import SetStatus

    plain = project.add_document("plain.txt", "The weather was fine and nothing happened.")
    busy = project.add_document("busy.txt", "Maduro met Lavrov in Caracas; the Kremlin, Rosneft"
                                            " and Padrino of Venezuela's FANB talked with Guaido.")
    done = project.add_document("done.txt", "Russia sent troops to Venezuela.")
    project.apply(SetStatus(done, "done"))
    path = str(project.path)
    project.close()
    main(["uncertainty", path, "--model", "en_core_web_sm"])
    out = capsys.readouterr().out
    assert "scored 2 unfinished documents" in out
    from annotator.core.store import Project

    with Project.open(path) as p:
        assert score_of(p, done) is None  # finished documents are not scored
        s_plain, s_busy = score_of(p, plain), score_of(p, busy)
        assert s_plain is not None and s_busy is not None
        assert 0 <= s_plain <= 1 and 0 < s_busy <= 1
        order = [r.id for r, _ in list_by_uncertainty(p)]
        assert order[-1] == done  # unscored last
        assert order[:2] == sorted([plain, busy], key=lambda i: -(score_of(p, i) or 0))


def test_nested_gold_trains_a_span_categorizer_too(project) -> None:
    """"Russian" NORP inside "the Russian air force" MIL_UNIT: the NER learns the outer span,
    a span categorizer both; it is scored on the held-out documents and saved with the NER."""
    import random

    import spacy

    from annotator.core.ops import SetStatus

    rng = random.Random(0)
    units = ["the Russian air force", "the Russian navy", "the Cuban army", "the Chinese navy"]
    places = ["Caracas", "Havana", "Maracay", "Valencia"]
    for i in range(24):
        parts, spans = [], []
        for _ in range(3):
            unit, place = rng.choice(units), rng.choice(places)
            pos = sum(len(x) for x in parts)
            u0 = pos + 4  # after "the "
            spans += [(pos, pos + len(unit), "MIL_UNIT"), (u0, u0 + len(unit.split()[1]), "NORP"),
                      (pos + len(unit) + 10, pos + len(unit) + 10 + len(place), "GPE")]
            parts.append(f"{unit} landed in {place} today. ")
        d = project.add_document(f"{i}.txt", "".join(parts) + f"Note {i}.")
        project.insert_spans({"doc_id": d, "start": a, "end": b, "label": lab, "source": "human",
                              "state": "accepted"} for a, b, lab in spans)
        project.apply(SetStatus(d, "done"))
    result = train_project(project, TrainOptions(seed=0, curve=False, iterations=6, base="blank"))
    print("\n" + result.text())  # noqa: T201
    sc = result.spancat_scores
    assert sc["nested"] == ["MIL_UNIT", "NORP"]
    assert sc["labels"]["NORP"]["tp"] > 0 and sc["labels"]["MIL_UNIT"]["tp"] > 0
    nlp = spacy.load(result.model_dir)
    assert nlp.pipe_names == ["ner", "spancat"]
    doc = nlp("Then the Russian navy landed in Havana.")
    assert ("Russian", "NORP") in {(s.text, s.label_) for s in doc.spans["sc"]}
    assert any(e.label_ == "MIL_UNIT" and "Russian navy" in e.text for e in doc.ents)  # outer
