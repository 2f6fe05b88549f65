"""Find and label all: the text in the box now, suggestions accepted, nested occurrences
skipped, next/previous with "3 of 17", every match highlighted; memory follows undo."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from annotator.core.store import Project
from annotator.nlp.preannotate import Options, preannotate_project

pytestmark = pytest.mark.gui
CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
T = "Nicolas Maduro spoke. Maduro met Russia. Venezuela backs Maduro."


def _spans(w: Any) -> list[tuple[str, str, str]]:
    with Project.open(w.project.path) as p:
        return [(T[s.start:s.end], s.label, s.state) for s in p.spans(w.editor.doc_id)]


def _type_query(qtbot: Any, w: Any, text: str) -> None:
    qtbot.keyClick(w.view, Qt.Key.Key_F, CTRL)
    w.find_bar.query.selectAll()
    qtbot.keyClicks(w.find_bar.query, text)


def test_label_all_uses_the_box_accepts_suggestions_skips_nested(qtbot: Any, main_window: Any) -> None:
    v = T.index("Venezuela")
    w = main_window([T], spans=[
        {"start": 0, "end": 14, "label": "PERSON", "state": "accepted", "source": "human"},
        {"start": v, "end": v + 9, "label": "GPE", "state": "suggested"},
    ])
    _type_query(qtbot, w, "Russia")
    qtbot.keyClick(w.find_bar.query, Qt.Key.Key_Return)  # searched "Russia"...
    w.find_bar.query.selectAll()
    qtbot.keyClicks(w.find_bar.query, "Maduro")  # ...then typed a new query, no Enter
    w.find_bar.label.setCurrentText("PERSON")
    qtbot.mouseClick(w.find_bar.label_all, Qt.MouseButton.LeftButton)
    assert ("Russia", "PERSON", "accepted") not in _spans(w)
    assert _spans(w).count(("Maduro", "PERSON", "accepted")) == 2  # not the one in "Nicolas Maduro"
    assert w.find_bar.count.text() == "2 added, 0 accepted, 1 skipped"
    _type_query(qtbot, w, "Venezuela")
    w.find_bar.label.setCurrentText("LOC")
    qtbot.mouseClick(w.find_bar.label_all, Qt.MouseButton.LeftButton)
    assert ("Venezuela", "LOC", "accepted") in _spans(w)  # the suggestion, relabelled
    assert w.find_bar.count.text() == "0 added, 1 accepted, 0 skipped"
    assert len([s for s in _spans(w) if s[0] == "Venezuela"]) == 1
    qtbot.keyClick(w.view, Qt.Key.Key_Z, CTRL)
    assert ("Venezuela", "GPE", "suggested") in _spans(w)


def test_next_previous_count_and_highlights(qtbot: Any, main_window: Any) -> None:
    w = main_window([T])
    _type_query(qtbot, w, "maduro")
    bar = w.find_bar
    assert bar.count.text() == "1 of 3" and len(w.find_highlights.ranges) == 3
    qtbot.keyClick(bar.query, Qt.Key.Key_Return)
    assert bar.count.text() == "2 of 3"
    m = T.index("Maduro met")
    assert w.view.text_selection() == (m, m + 6)
    qtbot.keyClick(bar.query, Qt.Key.Key_Return, SHIFT)
    assert bar.count.text() == "1 of 3"
    qtbot.keyClick(bar.query, Qt.Key.Key_F3)
    qtbot.keyClick(bar.query, Qt.Key.Key_F3)
    assert bar.count.text() == "3 of 3"
    assert w.find_highlights.visible() == [(T.index(x), T.index(x) + 6) for x in
                                           ("Maduro spoke", "Maduro met", "Maduro.")]
    qtbot.keyClick(bar.query, Qt.Key.Key_Escape)
    assert w.find_highlights.ranges == []


def test_undone_label_all_leaves_nothing_in_memory(qtbot: Any, main_window: Any) -> None:
    w = main_window([T, "Maduro answered Russia."])
    _type_query(qtbot, w, "Maduro")
    w.find_bar.label.setCurrentText("NORP")  # the wrong label
    qtbot.mouseClick(w.find_bar.label_all, Qt.MouseButton.LeftButton)
    assert ("Maduro", "NORP", "accepted") in _spans(w)
    w.view.setFocus()
    qtbot.keyClick(w.view, Qt.Key.Key_Z, CTRL)
    assert not any(s[1] == "NORP" for s in _spans(w))
    with Project.open(w.project.path, annotator="tester") as p:
        preannotate_project(p, Options(model="blank"))
        labels = {(p.text(s.doc_id)[s.start:s.end], s.label) for d in (1, 2) for s in p.spans(d)}
    assert ("Maduro", "NORP") not in labels
    assert ("Maduro", "PERSON") in labels  # the gazetteer's suggestion is back in charge
