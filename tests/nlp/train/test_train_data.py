"""Training data: done documents only, a seeded split by document, pieces at line breaks."""

from __future__ import annotations

import pytest

from annotator.core.ops import SetStatus
from annotator.nlp.train.data import (
    TrainDataError,
    gold_documents,
    non_overlapping,
    pieces,
    split_documents,
)
from annotator.nlp.train.evaluate import score, scores_dict


def _docs(project, n: int, *, done: int) -> list[int]:
    ids = []
    for i in range(n):
        doc_id = project.add_document(f"d{i}.txt", f"Russia helps Venezuela, note {i}.")
        project.insert_spans([{"doc_id": doc_id, "start": 0, "end": 6, "label": "GPE",
                               "source": "human", "state": "accepted"},
                              {"doc_id": doc_id, "start": 13, "end": 22, "label": "GPE",
                               "source": "model", "state": "suggested"}])
        if i < done:
            project.apply(SetStatus(doc_id, "done"))
        ids.append(doc_id)
    return ids


def test_gold_is_done_documents_with_accepted_spans_only(project) -> None:
    ids = _docs(project, 4, done=3)
    gold = gold_documents(project)
    assert [d.id for d in gold] == ids[:3]
    assert all(d.ents == ((0, 6, "GPE"),) for d in gold)  # the suggestion is not gold


def test_split_is_by_document_seeded_and_disjoint(project) -> None:
    _docs(project, 10, done=10)
    gold = gold_documents(project)
    train, held = split_documents(gold, eval_split=0.2, seed=3)
    assert len(held) == 2 and len(train) == 8
    assert not {d.id for d in train} & {d.id for d in held}
    again = split_documents(list(reversed(gold)), eval_split=0.2, seed=3)
    assert [d.id for d in again[1]] == [d.id for d in held]  # order of input does not matter
    other = {tuple(d.id for d in split_documents(gold, eval_split=0.2, seed=s)[1])
             for s in range(6)}
    assert len(other) > 1  # the seed decides


def test_too_few_documents_is_a_clear_error(project) -> None:
    _docs(project, 1, done=1)
    with pytest.raises(TrainDataError, match="at least 2"):
        split_documents(gold_documents(project), eval_split=0.2, seed=0)
    with pytest.raises(TrainDataError, match="between 0 and 1"):
        split_documents(gold_documents(project), eval_split=1.5, seed=0)


def test_pieces_cut_at_line_breaks_and_keep_offsets() -> None:
    text = "\n".join(f"Line {i} mentions Russia." for i in range(200))
    ents = [(m, m + 6, "GPE") for m in range(len(text)) if text.startswith("Russia", m)]
    out = list(pieces(text, ents, size=300))
    assert len(out) > 5
    assert "".join(p for _, p, _ in out) == text
    for off, piece, piece_ents in out:
        assert text[off:off + len(piece)] == piece
        assert len(piece) <= 320 and (piece.endswith("\n") or off + len(piece) == len(text))
        assert all(piece[s:e] == "Russia" for s, e, _ in piece_ents)
    assert sum(len(x[2]) for x in out) == len(ents)


def test_nested_gold_keeps_the_longest_for_ner() -> None:
    ents = [(0, 17, "MIL_UNIT"), (0, 7, "NORP"), (20, 26, "GPE")]
    assert non_overlapping(ents) == [(0, 17, "MIL_UNIT"), (20, 26, "GPE")]


def test_scores_per_label_and_micro() -> None:
    gold = [[(0, 6, "GPE"), (10, 15, "PERSON")], [(0, 3, "ORG")]]
    pred = [[(0, 6, "GPE"), (10, 14, "PERSON")], [(0, 3, "ORG"), (5, 9, "GPE")]]
    sc = score(gold, pred, ["GPE", "PERSON", "ORG"])
    assert (sc["GPE"].tp, sc["GPE"].fp, sc["GPE"].fn) == (1, 1, 0)
    assert sc["PERSON"].f == 0.0 and sc["ORG"].f == 1.0
    d = scores_dict(sc, ["ORG"])
    assert d["micro_base_labels"]["f"] == 1.0
    assert d["micro"]["tp"] == 2 and d["micro"]["fp"] == 2 and d["micro"]["fn"] == 1


def test_frozen_app_says_training_is_only_in_the_source_install(monkeypatch, project, capsys) -> None:
    import sys

    from annotator.cli import main

    monkeypatch.setattr(sys, "frozen", True, raising=False)
    with pytest.raises(SystemExit) as exc:
        main(["train", str(project.path)])
    err = capsys.readouterr().err
    assert exc.value.code == 1 and "only in the source install" in err and err.count("\n") == 1


def test_output_folder_not_empty_is_refused_before_training(project, tmp_path) -> None:
    from annotator.nlp.train.loop import TrainOptions, train_project

    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    with pytest.raises(TrainDataError, match="not empty"):
        train_project(project, TrainOptions(output=out))
    assert (out / "keep.txt").read_text() == "mine"
