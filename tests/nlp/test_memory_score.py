"""Done-when of the memory issue: one fully annotated article, imported as accepted Prodigy
JSONL, makes the suggestions on the other articles score higher against hand-made gold
(blank model + gazetteer, so it runs in seconds). Prints both figures."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.core.store import Project
from annotator.io.importer import import_paths
from annotator.nlp.preannotate import Options, preannotate_project

ANNOTATED = ("General Vasily Tonkoshkurov landed in Caracas with 99 troops. Tonkoshkurov met"
             " officers at Fuerte Mara, while protesters were held in El Helicoide.")
OTHERS = {  # text -> hand-made gold (text, label)
    "Tonkoshkurov left Caracas on Sunday, Russia said.":
        {("Tonkoshkurov", "PERSON"), ("Caracas", "GPE"), ("Russia", "GPE")},
    "Guards moved prisoners from El Helicoide to Fuerte Mara near Venezuela's border.":
        {("El Helicoide", "FAC"), ("Fuerte Mara", "FAC"), ("Venezuela", "GPE")},
    "Vasily Tonkoshkurov flew home to Moscow.":
        {("Vasily Tonkoshkurov", "PERSON"), ("Moscow", "GPE")},
}


def _gold_record() -> dict:
    spans = []
    for phrase, label in (("Vasily Tonkoshkurov", "PERSON"), ("Caracas", "GPE"),
                          ("Tonkoshkurov", "PERSON"), ("Fuerte Mara", "FAC"),
                          ("El Helicoide", "FAC")):
        start = ANNOTATED.index(phrase, ANNOTATED.index(phrase) + 1) \
            if phrase == "Tonkoshkurov" else ANNOTATED.index(phrase)
        spans.append({"start": start, "end": start + len(phrase), "label": label,
                      "source": "human", "state": "accepted"})
    return {"text": ANNOTATED, "spans": spans, "answer": "accept",
            "meta": {"doc": "annotated.txt", "status": "done"}}


def _f1(project: Project) -> float:
    tp = fp = fn = 0
    for doc in project.iter_documents():
        if doc.text not in OTHERS:
            continue
        got = {(doc.text[s.start:s.end], s.label) for s in project.spans(doc.id)}
        gold = OTHERS[doc.text]
        tp, fp, fn = tp + len(got & gold), fp + len(got - gold), fn + len(gold - got)
    return 2 * tp / (2 * tp + fp + fn)


def _score(tmp: Path, *, with_gold: bool) -> float:
    files = []
    for i, text in enumerate(OTHERS):
        f = tmp / f"other{i}.txt"
        f.write_text(text, encoding="utf-8")
        files.append(f)
    if with_gold:
        g = tmp / "gold.jsonl"
        g.write_text(json.dumps(_gold_record()) + "\n", encoding="utf-8")
        files.insert(0, g)
    with Project.init(tmp / "p", annotator="tester") as p:
        for f in files:
            import_paths(p, [f], fmt="prodigy" if f.suffix == ".jsonl" else "txt")
        preannotate_project(p, Options(model="blank"))
        return _f1(p)


def test_imported_gold_raises_the_score_of_the_other_articles(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    without = _score(tmp_path / "a", with_gold=False)
    with_ = _score(tmp_path / "b", with_gold=True)
    print(f"\nspan F1 of the suggestions on 3 other articles: {without:.2f} without the"
          f" imported article, {with_:.2f} with it")
    assert with_ > without
    assert with_ == 1.0
