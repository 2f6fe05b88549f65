"""The readers of the annotated formats: per-line problems are ItemErrors, file problems raise."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.errors import ImportFileError
from annotator.io.formats import brat, doccano, prodigy
from annotator.io.items import ImportItem, ItemError


def test_prodigy_bad_lines_are_reported_and_the_rest_read(tmp_path: Path) -> None:
    f = tmp_path / "t.jsonl"
    f.write_text('{"text": "Cuba", "spans": [{"start": 0, "end": 4, "label": "GPE"}]}\n'
                 "{broken\n"
                 '{"text": "Peru", "spans": [{"start": 0, "end": 4, "text": "Pe",'
                 ' "label": "GPE"}]}\n'
                 '{"text": "Chile", "spans": [{"start": 0, "end": 5, "label": "GPE"}],'
                 ' "relations": [{"head": 9, "child": 0, "label": "AID"}]}\n', encoding="utf-8")
    out = list(prodigy.read(f))
    assert isinstance(out[0], ImportItem) and out[0].name == "t-1"
    assert [(e.where, e.reason.split()[0]) for e in out[1:] if isinstance(e, ItemError)] == [
        ("line 2", "not")]
    # a bad span or relation drops only itself (issue #19): the documents are kept
    peru, chile = out[2], out[3]
    assert isinstance(peru, ImportItem) and not peru.spans and "says 'Pe'" in peru.dropped[0]
    assert isinstance(chile, ImportItem) and len(chile.spans) == 1 and not chile.relations
    assert chile.dropped[0].startswith("relation AID: its head")


def test_prodigy_a_line_that_is_not_utf8_costs_only_its_record(tmp_path: Path) -> None:
    f = tmp_path / "t.jsonl"
    f.write_bytes('{"text": "Venezuela\u2019s"}\n{"text": "bad \xff byte"}\n{"text": "Cuba"}\n'
                  .encode("utf-8").replace(b"\xc3\xbf", b"\xff"))
    got = list(prodigy.read(f))
    assert [g.text for g in got if isinstance(g, ImportItem)] == ["Venezuela\u2019s", "Cuba"]
    [bad] = [g for g in got if isinstance(g, ItemError)]
    assert bad.where == "line 2" and "UTF-8" in bad.reason


def test_doccano_relation_to_missing_id_and_sequence_labels(tmp_path: Path) -> None:
    f = tmp_path / "d.jsonl"
    f.write_text('{"text": "Cuba", "entities": [{"id": 7, "label": "GPE", "start_offset": 0,'
                 ' "end_offset": 4}], "relations": [{"id": 0, "from_id": 7, "to_id": 8,'
                 ' "type": "AID"}]}\n'
                 '{"text": "Peru", "label": [[0, 4, "GPE"]], "source_url": "x"}\n',
                 encoding="utf-8")
    cuba, item = list(doccano.read(f))
    # a relation to a missing id drops that relation, not the document (issue #14 item 9)
    assert isinstance(cuba, ImportItem) and len(cuba.spans) == 1 and not cuba.relations
    assert cuba.dropped == ["relation 0: points at a missing entity id"]
    assert isinstance(item, ImportItem) and item.spans == [{"start": 0, "end": 4, "label": "GPE"}]
    assert item.meta == {"source_url": "x"}


def test_brat_needs_its_ann_and_reports_bad_lines(tmp_path: Path) -> None:
    txt = tmp_path / "a.txt"
    txt.write_text("Cuba and Peru.", encoding="utf-8")
    with pytest.raises(ImportFileError, match="no a.ann"):
        list(brat.read(txt))
    (tmp_path / "a.ann").write_text(
        "T1\tGPE 0 4\tCuba\nT2\tGPE 9 13\tPeri\nE1\tAttack:T1\nR1\tAID Arg1:T1 Arg2:T9\n"
        "A1\tNegated T1\n#1\tAnnotatorNotes T1\tsee wiki\n", encoding="utf-8")
    [item] = list(brat.read(txt))
    assert [d.split(": ", 1)[1].split(":")[0] for d in item.dropped] == [
        "T2", "unknown annotation id T9", "event E1 cannot be held (annotations are spans and"
        " relations)"]
    assert item.name == "a.txt" and item.status is None
    assert item.spans == [{"start": 0, "end": 4, "label": "GPE",
                           "attrs": {"negated": True, "note": "see wiki"}}]
