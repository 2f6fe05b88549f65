"""Spans accepted unseen by finishing (review='bulk') export as "reviewed": false, and that
survives export -> import -> export byte for byte (the readers keep it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_export_common import add_doc, rich_project
from test_roundtrip import _round_trip

from annotator.core import ops
from annotator.core.models import BULK
from annotator.io.export import ExportOptions


@pytest.mark.parametrize("fmt", ["jsonl", "doccano"])
def test_unreviewed_spans_round_trip_byte_identical(tmp_path: Path, fmt: str) -> None:
    p = rich_project(tmp_path)
    text = "Russia sent aid to Venezuela."
    doc, _ = add_doc(p, "unseen.txt", text, [(0, 6, "GPE"), (19, 28, "GPE")], status="todo",
                     state="suggested", source="model")
    p.apply(ops.SetStatus(doc, "done", accept=True))  # accepted unseen
    assert {s.review for s in p.spans(doc)} == {BULK}
    first, second = _round_trip(tmp_path, p, fmt, ExportOptions(status="done"))
    assert b'"reviewed": false' in b"".join(first.values())
    assert first == second
