"""Adjudication dialog driven by real clicks and keys; the gold layer is checked on disk."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.core import ops
from annotator.core.adjudicate import set_layer_status
from annotator.core.store import Project
from annotator.gui.team.adjudication import AdjudicationDialog

pytestmark = pytest.mark.gui
TEXT = "Russia sent troops to Venezuela to support Nicolas Maduro."


@pytest.fixture
def two_layers(tmp_path: Path) -> Path:
    """Gold: the model's suggestions. Ana: GPE, GPE, PERSON 43-57 and Russia SUPPORT Maduro.
    Ben: GPE, ORG (Venezuela), PERSON 51-57 (only "Maduro")."""
    p = Project.init(tmp_path / "proj", annotator="coord")
    doc = p.add_document("d1.txt", TEXT)
    p.insert_spans(
        [
            {"doc_id": doc, "start": s, "end": e, "label": lab}
            for s, e, lab in ((0, 6, "GPE"), (22, 31, "GPE"), (43, 57, "PERSON"))
        ]
    )
    for layer, spans in (
        ("ana", [(0, 6, "GPE"), (22, 31, "GPE"), (43, 57, "PERSON")]),
        ("ben", [(0, 6, "GPE"), (22, 31, "ORG"), (51, 57, "PERSON")]),
    ):
        added = p.apply(
            ops.AddSpans(
                doc, [{"start": s, "end": e, "label": lab} for s, e, lab in spans], layer=layer
            )
        )
        ids = [s.id for s in added.change.spans_added]
        if layer == "ana":
            p.apply(ops.AddRelation(ids[0], ids[2], "SUPPORT"))
        set_layer_status(p, layer, {doc: "done"})
    p.close()
    return tmp_path / "proj"


def gold(path: Path) -> tuple[set, set]:
    """Gold spans and relations as stored (a fresh connection: what is on disk)."""
    with Project.open(path) as p:
        spans = p.spans(1)
        keys = {s.id: (s.start, s.end, s.label) for s in spans}
        return (
            {keys[s.id] for s in spans},
            {(keys[r.head_id], keys[r.child_id], r.label) for r in p.relations(1)},
        )


def click_row(qtbot, dlg: AdjudicationDialog, text: str) -> None:
    lst = dlg.diff_list
    item = next(lst.item(i) for i in range(lst.count()) if lst.item(i).text().startswith(text))
    qtbot.mouseClick(
        lst.viewport(), Qt.MouseButton.LeftButton, pos=lst.visualItemRect(item).center()
    )
    assert lst.currentItem() is item


def test_adjudicate_by_version_then_span_by_span(qtbot, two_layers: Path) -> None:
    dlg = AdjudicationDialog(two_layers, 1)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.activateWindow()
    assert [dlg.diff_list.item(i).text().split(":")[0] for i in range(dlg.diff_list.count())] == [
        "GPE 'Venezuela' 22-31",
        "ORG 'Venezuela' 22-31",
        "PERSON 'Nicolas Maduro' 43-57",
        "PERSON 'Maduro' 51-57",
        "GPE 'Russia' 0-6 -SUPPORT-> PERSON 'Nicolas Maduro' 43-57",
    ]
    assert dlg.panes["ben"].outlined == [(22, 31), (51, 57)]  # differences are outlined

    qtbot.mouseClick(
        dlg.findChild(type(dlg.accept_button), "take_ben_button"), Qt.MouseButton.LeftButton
    )
    assert gold(two_layers) == ({(0, 6, "GPE"), (22, 31, "ORG"), (51, 57, "PERSON")}, set())

    click_row(qtbot, dlg, "GPE 'Venezuela'")  # ana's reading, by the A key
    dlg.diff_list.setFocus()
    qtbot.keyClick(dlg.diff_list, Qt.Key.Key_A)
    assert (22, 31, "GPE") in gold(two_layers)[0]

    click_row(qtbot, dlg, "ORG 'Venezuela'")  # and ben's one out again
    qtbot.mouseClick(dlg.remove_button, Qt.MouseButton.LeftButton)
    assert (22, 31, "ORG") not in gold(two_layers)[0]

    click_row(qtbot, dlg, "GPE 'Russia' 0-6 -SUPPORT->")  # the relation brings its end along
    qtbot.mouseClick(dlg.accept_button, Qt.MouseButton.LeftButton)
    spans, rels = gold(two_layers)
    assert spans == {(0, 6, "GPE"), (22, 31, "GPE"), (51, 57, "PERSON"), (43, 57, "PERSON")}
    assert rels == {((0, 6, "GPE"), (43, 57, "PERSON"), "SUPPORT")}
    assert "[in gold]" in dlg.diff_list.currentItem().text()

    qtbot.keyClick(dlg.diff_list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo
    assert gold(two_layers) == ({(0, 6, "GPE"), (22, 31, "GPE"), (51, 57, "PERSON")}, set())
    dlg.close()
    with Project.open(two_layers) as p:  # every step is in the edit log, as the coordinator
        ops_logged = [h["op"] for h in p.history(doc_id=1, limit=10)][:5]
        assert ops_logged[1:] == ["adjudicate", "delete_spans", "adjudicate", "adjudicate"]
        assert {s.state for s in p.spans(1)} == {"accepted"}


def test_take_version_and_undo_restore_the_old_gold(qtbot, two_layers: Path) -> None:
    before = gold(two_layers)
    dlg = AdjudicationDialog(two_layers, 1)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.mouseClick(
        dlg.findChild(type(dlg.accept_button), "take_ana_button"), Qt.MouseButton.LeftButton
    )
    assert gold(two_layers) == (
        {(0, 6, "GPE"), (22, 31, "GPE"), (43, 57, "PERSON")},
        {((0, 6, "GPE"), (43, 57, "PERSON"), "SUPPORT")},
    )
    qtbot.mouseClick(dlg.undo_button, Qt.MouseButton.LeftButton)
    assert gold(two_layers) == before
    dlg.close()


def test_layer_panes_highlight_the_right_words_after_an_emoji(qtbot, tmp_path: Path) -> None:
    """Offsets are code points; a flag before a span takes 4 UTF-16 units in the pane."""
    text = "\U0001F1FB\U0001F1EA Russia sent troops to Venezuela."
    p = Project.init(tmp_path / "emoji", annotator="coord")
    doc = p.add_document("d.txt", text)
    spans = [{"start": text.index(w), "end": text.index(w) + len(w), "label": "GPE"}
             for w in ("Russia", "Venezuela")]
    p.apply(ops.AddSpans(doc, spans, layer="ana"))
    p.close()
    dlg = AdjudicationDialog(tmp_path / "emoji", doc, annotator="coord")
    qtbot.addWidget(dlg)
    shown = [sel.cursor.selectedText() for sel in dlg.panes["ana"].extraSelections()]
    assert shown == ["Russia", "Venezuela"]
    dlg.project.close()
