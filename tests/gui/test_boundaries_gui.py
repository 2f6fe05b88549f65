"""Span boundaries: a double-clicked word without its quotes or 's; a label key on a span's
text relabels it; a relabelled or resized suggestion becomes the annotator's."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from annotator.core.store import Project
from tests.gui.conftest import char_point

pytestmark = pytest.mark.gui
T = "He flew to “Colombia” to see Bolton’s team and the Russian troops."


def _db(w: Any) -> list[tuple]:
    with Project.open(w.project.path) as p:
        return [(T[s.start:s.end], s.label, s.source, s.state, s.annotator, s.attrs)
                for s in p.spans(w.editor.doc_id)]


def _dclick(qtbot: Any, w: Any, cp: int) -> None:
    qtbot.mouseDClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=char_point(w.view, cp))


def test_double_click_leaves_quotes_and_possessive_out(qtbot: Any, main_window: Any) -> None:
    w = main_window([T])
    _dclick(qtbot, w, T.index("Colombia") + 3)
    qtbot.keyClick(w.view, Qt.Key.Key_1)
    _dclick(qtbot, w, T.index("Bolton") + 2)
    qtbot.keyClick(w.view, Qt.Key.Key_2)
    assert [s[:2] for s in _db(w)] == [("Colombia", "GPE"), ("Bolton", "PERSON")]


def test_label_key_on_a_spans_text_relabels_it(qtbot: Any, main_window: Any) -> None:
    c = T.index("Colombia")
    w = main_window([T], spans=[{"start": c, "end": c + 8, "label": "GPE", "state": "accepted",
                                 "source": "human"}])
    _dclick(qtbot, w, c + 3)
    qtbot.keyClick(w.view, Qt.Key.Key_7)  # LOC
    assert [s[:2] for s in _db(w)] == [("Colombia", "LOC")]  # one span, not two


def test_edited_suggestion_becomes_the_annotators(qtbot: Any, main_window: Any) -> None:
    r, c = T.index("Russian"), T.index("Colombia")
    w = main_window([T], spans=[
        {"start": r, "end": r + 7, "label": "NORP", "attrs": {"country": "RUS"}, "source": "rule"},
        {"start": c, "end": c + 8, "label": "GPE", "attrs": {"country": "COL"}, "source": "rule"},
    ])
    qtbot.mouseClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=char_point(w.view, r + 2))
    qtbot.keyClick(w.view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)  # "Russian troops"
    qtbot.keyClick(w.view, Qt.Key.Key_5)  # MIL_UNIT
    qtbot.mouseClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=char_point(w.view, c + 2))
    qtbot.keyClick(w.view, Qt.Key.Key_7)  # LOC
    assert _db(w) == [("Colombia", "LOC", "human", "accepted", "tester", {}),
                      ("Russian troops", "MIL_UNIT", "human", "accepted", "tester", {})]
    qtbot.keyClick(w.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _db(w)[0] == ("Colombia", "GPE", "rule", "suggested", "", {"country": "COL"})
