"""The Prodigy-style JSONL exporter on the running example of formats.md."""

from __future__ import annotations

import json
from pathlib import Path

from test_export_common import EXAMPLE, add_doc, example_project

from annotator.core.store import Project
from annotator.io.export import ExportOptions, export_project


def _tasks(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def test_running_example_exact_json(tmp_path: Path) -> None:
    p = example_project(tmp_path)
    s = export_project(p, "jsonl", tmp_path / "out.jsonl", ExportOptions())
    [task] = _tasks(tmp_path / "out.jsonl")
    words = ["Russia", "sent", "troops", "to", "Venezuela", "to", "support", "Nicolas", "Maduro",
             "."]
    assert [t["text"] for t in task["tokens"]] == words
    assert task["tokens"][0] == {"text": "Russia", "start": 0, "end": 6, "id": 0, "ws": True}
    assert task["tokens"][8]["ws"] is False
    assert task["spans"] == [
        {"text": "Russia", "start": 0, "end": 6, "token_start": 0, "token_end": 0,
         "label": "GPE", "source": "human", "state": "accepted",
         "annotator": "ana"},
        {"text": "Venezuela", "start": 22, "end": 31, "token_start": 4, "token_end": 4,
         "label": "GPE", "source": "human", "state": "accepted",
         "annotator": "ana"},
        {"text": "Nicolas Maduro", "start": 43, "end": 57, "token_start": 7, "token_end": 8,
         "label": "PERSON", "source": "human", "state": "accepted",
         "annotator": "ana"},
    ]
    assert task["relations"] == [
        {"head": 0, "child": 4, "label": "AID",
         "head_span": {"start": 0, "end": 6, "token_start": 0, "token_end": 0, "label": "GPE"},
         "child_span": {"start": 22, "end": 31, "token_start": 4, "token_end": 4,
                        "label": "GPE"}},
        {"head": 0, "child": 8, "label": "SUPPORT",
         "head_span": {"start": 0, "end": 6, "token_start": 0, "token_end": 0, "label": "GPE"},
         "child_span": {"start": 43, "end": 57, "token_start": 7, "token_end": 8,
                        "label": "PERSON"}},
    ]
    assert task["text"] == EXAMPLE and task["answer"] == "accept"
    assert task["meta"] == {"doc": "example.txt", "annotator": "", "status": "done"}
    for key in ("_input_hash", "_task_hash"):
        assert isinstance(task[key], int) and -(2**31) <= task[key] < 2**31
    assert "nothing left out" in s.text()


def test_hashes_are_stable_and_group_equal_inputs(tmp_path: Path) -> None:
    a = example_project(tmp_path / "a")
    b = Project.init(tmp_path / "b")
    add_doc(b, "x.txt", EXAMPLE, [(0, 6, "GPE")])
    export_project(a, "jsonl", tmp_path / "a.jsonl", ExportOptions())
    export_project(b, "jsonl", tmp_path / "b.jsonl", ExportOptions())
    [ta], [tb] = _tasks(tmp_path / "a.jsonl"), _tasks(tmp_path / "b.jsonl")
    assert ta["_input_hash"] == tb["_input_hash"]
    assert ta["_task_hash"] != tb["_task_hash"]
    export_project(a, "jsonl", tmp_path / "a2.jsonl", ExportOptions())
    assert (tmp_path / "a2.jsonl").read_bytes() == (tmp_path / "a.jsonl").read_bytes()


def test_relation_attributes_are_extra_keys(tmp_path: Path) -> None:
    p = Project.init(tmp_path / "p")
    add_doc(p, "x.txt", EXAMPLE, [(0, 6, "GPE"), (22, 31, "GPE")],
            [(0, 1, "AID", {"negated": True, "modality": "hypothetical"})])
    export_project(p, "jsonl", tmp_path / "o.jsonl", ExportOptions())
    [task] = _tasks(tmp_path / "o.jsonl")
    rel = task["relations"][0]
    assert rel["negated"] is True and rel["modality"] == "hypothetical"


def test_misaligned_span_splits_tokens_and_is_reported(tmp_path: Path) -> None:
    p = Project.init(tmp_path / "p")
    add_doc(p, "x.txt", EXAMPLE, [(22, 27, "GPE")])  # "Venez" inside "Venezuela"
    s = export_project(p, "jsonl", tmp_path / "o.jsonl", ExportOptions())
    [task] = _tasks(tmp_path / "o.jsonl")
    span = task["spans"][0]
    assert span["text"] == "Venez" == task["text"][span["start"]:span["end"]]
    toks = task["tokens"]
    assert toks[span["token_start"]]["start"] == 22 and toks[span["token_end"]]["end"] == 27
    assert [t["text"] for t in toks[4:6]] == ["Venez", "uela"]
    assert toks[4]["ws"] is False
    assert "1 spans not on token boundaries: tokens split" in s.text()


def test_emoji_offsets_are_code_points(tmp_path: Path) -> None:
    p = Project.init(tmp_path / "p")
    text = "😀 🇻🇪 Russia helps."
    add_doc(p, "e.txt", text, [(5, 11, "GPE")])
    export_project(p, "jsonl", tmp_path / "o.jsonl", ExportOptions())
    [task] = _tasks(tmp_path / "o.jsonl")
    assert task["spans"][0]["text"] == "Russia" == text[5:11]
