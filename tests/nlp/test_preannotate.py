"""Pre-annotation runs on a blank pipeline (gazetteer + memory): storage, re-runs, memory."""

from __future__ import annotations

import pytest

from annotator.core.ops import AddSpan, DeleteSpans, UpdateSpans, accept_spans
from annotator.core.tokens import tokenize
from annotator.nlp.preannotate import Options, PreannotateError, preannotate_project

TEXT = (
    "Two Russian air force planes landed outside Caracas, drawing U.S. condemnation. "
    "Russia and Venezuela signed a deal with Rosneft, Reuters reported."
)
BLANK = Options(model="blank")


def spans(project, doc_id: int) -> list[tuple[str, str, str, str]]:
    text = project.text(doc_id)
    return [(text[s.start : s.end], s.label, s.source, s.state) for s in project.spans(doc_id)]


def test_suggestions_tokens_and_log_are_stored(project) -> None:
    doc = project.add_document("a.txt", TEXT)
    summary = preannotate_project(project, BLANK)
    got = spans(project, doc)
    assert ("Russian air force", "MIL_UNIT", "rule", "suggested") in got
    assert {g[0] for g in got} >= {"Caracas", "U.S.", "Russia", "Venezuela", "Rosneft", "Reuters"}
    assert summary.documents == summary.total == 1 and summary.suggested == len(got)
    assert project.tokens(doc) == tokenize(TEXT)
    assert project.history(limit=1)[0]["op"] == "preannotate"
    assert "NER is off" in summary.note


def test_rerun_keeps_human_edits_and_never_duplicates(project) -> None:
    doc = project.add_document("a.txt", TEXT)
    preannotate_project(project, BLANK)
    first = project.spans(doc)
    by_text = {TEXT[s.start : s.end]: s for s in first}
    project.apply(UpdateSpans({str(by_text["Caracas"].id): {"label": "FAC", "state": "accepted"}}))
    project.apply(DeleteSpans([by_text["Reuters"].id]))
    project.apply(accept_spans([by_text["Russia"].id]))
    start = TEXT.index("planes")
    project.apply(AddSpan(doc, start, start + len("planes landed"), "EVENT"))
    before = spans(project, doc)

    summary = preannotate_project(project, BLANK)
    after = spans(project, doc)
    assert sorted(after) == sorted(before)  # nothing added twice, nothing changed or revived
    assert summary.suggested == 0 and summary.replaced == 0
    assert ("Caracas", "FAC", "rule", "accepted") in after
    assert not any(a[0] == "Reuters" for a in after)  # a deleted suggestion stays deleted


def test_nothing_is_suggested_over_a_human_span(project) -> None:
    doc = project.add_document("a.txt", TEXT)
    start = TEXT.index("Russian air")
    project.apply(AddSpan(doc, start, start + len("Russian air force planes"), "MIL_UNIT"))
    preannotate_project(project, BLANK)
    inside = [s for s in project.spans(doc) if s.start < start + 24 and s.end > start]
    assert [(s.source, s.state) for s in inside] == [("human", "accepted")]


def test_project_memory_reaches_the_next_run(project) -> None:
    text = "General Padrino Lopez met the Kremlin envoy."
    d1 = project.add_document("1.txt", text)
    d2 = project.add_document("2.txt", "Then " + text)
    preannotate_project(project, BLANK)
    start = text.index("Padrino")
    project.apply(AddSpan(d1, start, start + len("Padrino Lopez"), "PERSON"))
    kremlin = next(s for s in project.spans(d1) if text[s.start : s.end] == "Kremlin")
    project.apply(UpdateSpans({str(kremlin.id): {"label": "FAC", "state": "accepted"}}))

    summary = preannotate_project(project, BLANK)
    got = spans(project, d2)
    assert ("Padrino Lopez", "PERSON", "rule", "suggested") in got
    assert ("Kremlin", "FAC", "rule", "suggested") in got  # replaced the old ORG suggestion
    assert not any(g[:2] == ("Kremlin", "ORG") for g in got)
    assert not any(g[0] == "Padrino" for g in got)  # the shorter old suggestion went too
    assert summary.replaced == 2


def test_only_the_chosen_statuses_are_preannotated(project) -> None:
    todo = project.add_document("a.txt", TEXT)
    done = project.add_document("b.txt", TEXT + " Again.", status="done")
    summary = preannotate_project(project, BLANK)
    assert summary.total == 1 and project.spans(done) == [] and project.spans(todo)
    preannotate_project(project, Options(model="blank", statuses=("done",)))
    assert project.spans(done)


def test_bad_status_is_a_one_line_error(project) -> None:
    with pytest.raises(PreannotateError, match="status must be among"):
        preannotate_project(project, Options(model="blank", statuses=("finished",)))


def test_a_13_mb_single_line_document_is_chunked_with_exact_offsets(project) -> None:
    unit = "the talks went on for hours and nothing was agreed by anyone there in Caracas "
    text = unit * (1_300_000 // len(unit))  # one line, no sentence ends: cuts at spaces
    doc = project.add_document("big.txt", text)
    summary = preannotate_project(project, BLANK)
    stored = project.spans(doc)
    assert summary.documents == 1 and len(stored) == text.count("Caracas")
    assert all(text[s.start : s.end] == "Caracas" for s in stored)
    assert project.tokens(doc) == tokenize(text)


def test_stopping_between_batches_leaves_whole_documents(project) -> None:
    ids = [project.add_document(f"{i}.txt", f"{TEXT} Number {i}.") for i in range(30)]
    calls = []
    summary = preannotate_project(
        project,
        Options(model="blank", batch_size=4),
        on_progress=lambda d, t: calls.append(d),
        should_stop=lambda: len(calls) > 2,
    )
    assert summary.cancelled and summary.documents == 8
    per_doc = [len(project.spans(i)) for i in ids]
    assert per_doc[:8] == [per_doc[0]] * 8 and per_doc[0] > 0 and per_doc[8:] == [0] * 22
    assert project.tokens(ids[7]) is not None and project.tokens(ids[8]) is None


def test_cli_command(tmp_path, capsys) -> None:
    from annotator.cli import main
    from annotator.core.store import Project

    with Project.init(tmp_path / "p") as p:
        p.add_document("a.txt", TEXT)
    main(["preannotate", str(tmp_path / "p"), "--model", "blank", "--batch-size", "8"])
    out = capsys.readouterr()
    assert "pre-annotated 1 of 1 documents" in out.out and "NER is off" in out.err
