"""The R picker on a suggestion: Enter picks in the list (never accepts the spans behind
it), Esc closes it, it never stays open."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from annotator.core.store import Project
from tests.gui.conftest import char_point

pytestmark = pytest.mark.gui
T = "Russia sent troops to Venezuela to support Nicolas Maduro."


def _db(w: Any) -> tuple[list[tuple], list[tuple]]:
    with Project.open(w.project.path) as p:
        doc = w.editor.doc_id
        spans = [(T[s.start:s.end], s.state) for s in p.spans(doc)]
        return spans, [(r.label,) for r in p.relations(doc)]


def _window(main_window: Any) -> Any:
    v, m = T.index("Venezuela"), T.index("Nicolas Maduro")
    return main_window([T], spans=[
        {"start": 0, "end": 6, "label": "GPE", "state": "suggested"},
        {"start": v, "end": v + 9, "label": "GPE", "state": "suggested"},
        {"start": m, "end": m + 14, "label": "PERSON", "state": "suggested"}])


def test_enter_in_the_picker_picks_and_accepts_nothing_behind(qtbot: Any, main_window: Any) -> None:
    w = _window(main_window)
    qtbot.mouseClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=char_point(w.view, 2))
    qtbot.keyClick(w.view, Qt.Key.Key_R)
    picker = w.relations.picker
    assert picker.isVisible()
    qtbot.keyClicks(picker.filter, "venez")
    qtbot.keyClick(picker.filter, Qt.Key.Key_Return)
    assert picker.stack.currentWidget() is picker.types  # picked the child, in the list
    assert _db(w)[0] == [("Russia", "suggested"), ("Venezuela", "suggested"),
                         ("Nicolas Maduro", "suggested")]
    qtbot.keyClicks(picker.filter, "AID")
    qtbot.keyClick(picker.filter, Qt.Key.Key_Return)
    assert not picker.isVisible()
    spans, rels = _db(w)
    assert rels == [("AID",)]
    assert ("Nicolas Maduro", "suggested") in spans  # nothing behind the popup was accepted


def test_escape_closes_the_picker(qtbot: Any, main_window: Any) -> None:
    w = _window(main_window)
    qtbot.mouseClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=char_point(w.view, 2))
    qtbot.keyClick(w.view, Qt.Key.Key_R)
    picker = w.relations.picker
    assert picker.isVisible()
    qtbot.keyClick(picker.filter, Qt.Key.Key_Escape)
    assert not picker.isVisible()
    assert _db(w) == ([("Russia", "suggested"), ("Venezuela", "suggested"),
                       ("Nicolas Maduro", "suggested")], [])
    qtbot.keyClick(w.view, Qt.Key.Key_R)  # and it opens again
    assert picker.isVisible()
    qtbot.keyClick(picker.filter, Qt.Key.Key_Escape)
    assert not picker.isVisible()
