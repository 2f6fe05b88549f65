"""--relations: a relation classifier over gold entity pairs, with negated/modality outputs."""

from __future__ import annotations

import random

import pytest

from annotator.core.ops import AddRelation, SetStatus
from annotator.nlp.train.loop import TrainOptions, train_project

pytestmark = pytest.mark.slow
GPES = ["Russia", "Venezuela", "Cuba", "China", "Colombia", "Brazil", "Iran", "Syria"]
PEOPLE = ["Maduro", "Lavrov", "Pompeo", "Guaido", "Putin", "Bolton"]
TEMPLATES = [  # text, head label, child label, relation, attributes
    ("{h} sent weapons to {c}.", "GPE", "GPE", "AID", {}),
    ("{h} did not attack {c}.", "GPE", "GPE", "ASSAULT", {"negated": True}),
    ("{h} met {c} on Monday.", "PERSON", "PERSON", "CONSULT", {}),
    ("{h} may sanction {c} soon.", "GPE", "GPE", "SANCTION", {"modality": "hypothetical"}),
]


def _fill(project, n_docs: int, seed: int) -> None:
    rng = random.Random(seed)
    for i in range(n_docs):
        text, todo = "", []
        for _ in range(4):
            tpl, hl, cl, rel, attrs = rng.choice(TEMPLATES)
            pool = GPES if hl == "GPE" else PEOPLE
            h, c = rng.sample(pool, 2)
            hs = len(text) + tpl.index("{h}")
            sentence = tpl.format(h=h, c=c)
            cs = len(text) + sentence.index(c, tpl.index("{h}") + len(h))
            todo.append(((hs, hs + len(h), hl), (cs, cs + len(c), cl), rel, attrs))
            text += sentence + " "
        d = project.add_document(f"{i}.txt", text + f"Item {i}.")
        for (hs, he, hl), (cs, ce, cl), rel, attrs in todo:
            project.insert_spans([{"doc_id": d, "start": hs, "end": he, "label": hl,
                                   "source": "human", "state": "accepted"},
                                  {"doc_id": d, "start": cs, "end": ce, "label": cl,
                                   "source": "human", "state": "accepted"}])
            ids = {(s.start, s.end): s.id for s in project.spans(d)}
            project.apply(AddRelation(ids[(hs, he)], ids[(cs, ce)], rel, attrs))
        project.apply(SetStatus(d, "done"))


def test_relations_are_learned_scored_on_held_out_and_saved(project) -> None:
    import spacy

    from annotator.nlp.train.relations import REL_DIR, RelationModel

    _fill(project, 30, seed=0)
    result = train_project(project, TrainOptions(seed=0, curve=False, iterations=10,
                                                 base="blank", relations=True))
    print("\n" + result.text())  # noqa: T201
    rs = result.relation_scores
    assert rs["gold_train"] > 50 and rs["micro"]["tp"] + rs["micro"]["fn"] > 10
    assert rs["micro"]["f"] > 0.6, rs
    assert rs["attributes_right"] is not None and rs["attributes_right"] > 0.6
    assert "relations (gold entities given" in result.text()

    rel = RelationModel.from_disk(result.model_dir / REL_DIR)
    nlp = spacy.load(result.model_dir)
    text = "Brazil did not attack Iran."
    got = rel.predict(nlp, text, [(0, 6, "GPE"), (22, 26, "GPE")])
    assert ((0, 6, "GPE"), (22, 26, "GPE"), "ASSAULT", ("negated",)) in got


def test_no_relations_to_learn_from_is_a_note_not_an_error(gold_project) -> None:
    result = train_project(gold_project, TrainOptions(seed=0, curve=False, iterations=1,
                                                      base="blank", relations=True))
    assert "no relations in the training documents" in result.text()
    assert not (result.model_dir / "relations").exists()
