"""annotator history / undo / redo: the log on the command line, one line per action."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core import ops
from annotator.core.store import Project
from tests.conftest import run_cli as run


def test_history_undo_redo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = Project.init(tmp_path / "p", annotator="ana")
    doc = p.add_document("a.txt", "Russia and Venezuela")
    p.apply(ops.AddSpan(doc, 0, 6, "GPE"), summary="label 'Russia' GPE")
    p.close()
    code, out, _ = run(capsys, "undo", str(tmp_path / "p"), "--annotator", "ben")
    assert code == 1  # ben has nothing to undo: exit 1 with a reason
    code, out, _ = run(capsys, "undo", str(tmp_path / "p"), "--annotator", "ana")
    assert code == 0 and out.strip() == "undid #1: label 'Russia' GPE"
    with Project.open(tmp_path / "p") as q:
        assert q.spans(doc) == []
    code, out, _ = run(capsys, "history", str(tmp_path / "p"), "--json")
    rows = json.loads(out)
    assert [(r["op"], r["state"]) for r in rows] == [("undo", "done"), ("add_span", "undone")]
    code, out, _ = run(capsys, "redo", str(tmp_path / "p"), "--annotator", "ana")
    assert code == 0 and out.startswith("redid #1")
    with Project.open(tmp_path / "p") as q:
        assert [(s.start, s.end, s.label) for s in q.spans(doc)] == [(0, 6, "GPE")]
    code, out, err = run(capsys, "redo", str(tmp_path / "p"), "--annotator", "ana")
    assert code == 1 and err.strip() == "error: nothing to redo for ana"
    code, out, _ = run(capsys, "history", str(tmp_path / "p"), "--limit", "1")
    assert code == 0 and "redo #1: label 'Russia' GPE" in out
