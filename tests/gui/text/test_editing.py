"""Create, relabel, resize, delete, accept, undo and redo spans with real mouse and keys;
every step is checked in the database."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPointF, Qt

from tests.conftest import RUNNING_EXAMPLE
from tests.gui.conftest import char_point, cursor_point, drag_points, drag_select, spans_of

pytestmark = pytest.mark.gui
T = RUNNING_EXAMPLE  # "Russia sent troops to Venezuela to support Nicolas Maduro."


def key(
    qtbot: Any, window: Any, k: Qt.Key, mod: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    qtbot.keyClick(window.view, k, mod)


def test_drag_and_label_key_creates_a_token_snapped_span(qtbot: Any, main_window: Any) -> None:
    w = main_window([T])
    v = T.index("Venezuela")
    drag_select(qtbot, w.view, v + 1, v + 5)  # "enez": snapped to the whole token
    assert w.view.text_selection() == (v + 1, v + 5)
    key(qtbot, w, Qt.Key.Key_1)
    assert spans_of(w) == [(v, v + 9, "GPE", "accepted")]
    assert w.view.selected_span() is not None  # the new span is selected and painted
    assert w.view.selected_span().start == v


def test_double_click_word_then_key(qtbot: Any, main_window: Any) -> None:
    w = main_window([T])
    m = T.index("Maduro")
    qtbot.mouseDClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=char_point(w.view, m + 2))
    key(qtbot, w, Qt.Key.Key_2)
    assert spans_of(w) == [(m, m + 6, "PERSON", "accepted")]


def test_click_selects_span_key_relabels_delete_removes_undo_redo(qtbot: Any, main_window: Any) -> None:
    w = main_window([T], spans=[{"start": 0, "end": 6, "label": "GPE", "state": "accepted"}])
    qtbot.mouseClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=char_point(w.view, 2))
    assert w.view.selected_span().label == "GPE"
    key(qtbot, w, Qt.Key.Key_3)
    assert spans_of(w) == [(0, 6, "ORG", "accepted")]
    key(qtbot, w, Qt.Key.Key_Delete)
    assert spans_of(w) == []
    key(qtbot, w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert spans_of(w) == [(0, 6, "ORG", "accepted")]
    key(qtbot, w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert spans_of(w) == [(0, 6, "GPE", "accepted")]
    shift_ctrl = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    key(qtbot, w, Qt.Key.Key_Z, shift_ctrl)
    assert spans_of(w) == [(0, 6, "ORG", "accepted")]
    key(qtbot, w, Qt.Key.Key_Z, shift_ctrl)
    assert spans_of(w) == []
    assert w.entities.model.rowCount() == 0


def test_keyboard_resize_by_tokens(qtbot: Any, main_window: Any) -> None:
    n = T.index("Nicolas")
    w = main_window([T], spans=[{"start": n, "end": n + 7, "label": "PERSON", "state": "accepted"}])
    qtbot.mouseClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=char_point(w.view, n + 1))
    key(qtbot, w, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert spans_of(w) == [(n, n + 14, "PERSON", "accepted")]  # "Nicolas Maduro"
    key(qtbot, w, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert spans_of(w) == [(n, n + 7, "PERSON", "accepted")]
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    key(qtbot, w, Qt.Key.Key_Left, ctrl_shift)
    s = T.index("support")
    assert spans_of(w) == [(s, n + 7, "PERSON", "accepted")]
    key(qtbot, w, Qt.Key.Key_Right, ctrl_shift)
    assert spans_of(w) == [(n, n + 7, "PERSON", "accepted")]
    key(qtbot, w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert spans_of(w) == [(s, n + 7, "PERSON", "accepted")]


def test_drag_span_edge_resizes(qtbot: Any, main_window: Any) -> None:
    w = main_window([T], spans=[{"start": 0, "end": 6, "label": "GPE", "state": "accepted"}])
    edge = w.view.span_rects(w.view.index.ordered()[0].id)[0]
    start = QPointF(edge.right() - 1, edge.center().y())
    target = cursor_point(w.view, T.index(" troops") - 2)  # inside "sent": snaps to its end
    drag_points(qtbot, w.view, start, target)
    assert spans_of(w) == [(0, T.index(" troops"), "GPE", "accepted")]


def test_enter_accepts_suggestion_and_ctrl_enter_finishes(qtbot: Any, main_window: Any) -> None:
    v = T.index("Venezuela")
    w = main_window(
        [T, "Second document about Caracas."],
        spans=[
            {"start": 0, "end": 6, "label": "GPE", "state": "suggested"},
            {"start": v, "end": v + 9, "label": "GPE", "state": "suggested"},
        ],
    )
    first = w.editor.doc_id
    qtbot.mouseClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=char_point(w.view, 1))
    key(qtbot, w, Qt.Key.Key_Return)
    assert spans_of(w) == [(0, 6, "GPE", "accepted"), (v, v + 9, "GPE", "suggested")]
    key(qtbot, w, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert w.editor.doc_id != first  # the next unfinished document is open
    with w.project.__class__.open(w.project.path) as fresh:
        assert fresh.document(first, with_text=False).status == "done"
        assert {s.state for s in fresh.spans(first)} == {"accepted"}
    assert w.docs.progress_label.text() == "1 / 2 done"
    key(qtbot, w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo "done": back there
    assert w.editor.doc_id == first
    assert spans_of(w) == [(0, 6, "GPE", "accepted"), (v, v + 9, "GPE", "suggested")]


def test_character_mode_keeps_exact_selection(qtbot: Any, main_window: Any) -> None:
    w = main_window([T])
    w.actions["snap_tokens"].setChecked(False)
    v = T.index("Venezuela")
    drag_select(qtbot, w.view, v, v + 4)
    key(qtbot, w, Qt.Key.Key_7)
    assert spans_of(w) == [(v, v + 4, "LOC", "accepted")]
    from annotator.core.settings import load_settings

    assert load_settings()["snap_to_tokens"] is False


def test_emoji_and_flags_before_an_entity_store_code_points(qtbot: Any, main_window: Any) -> None:
    text = "😀🇻🇪 Russia sent troops 🚀 to Venezuela."
    w = main_window([text])
    r = text.index("Russia")  # 4 code points in (emoji, two regional indicators, space)
    assert r == 4 and w.view.offsets.to_utf16(r) == 7
    qtbot.mouseDClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=char_point(w.view, r + 1))
    key(qtbot, w, Qt.Key.Key_1)
    v = text.index("Venezuela")
    drag_select(qtbot, w.view, v, v + 9)
    key(qtbot, w, Qt.Key.Key_1)
    assert spans_of(w) == [(r, r + 6, "GPE", "accepted"), (v, v + 9, "GPE", "accepted")]
    assert [text[s:e] for s, e, *_ in spans_of(w)] == ["Russia", "Venezuela"]
    # and clicking the painted span finds it at the right place
    qtbot.mouseClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=char_point(w.view, v + 3))
    assert w.view.selected_span().start == v
