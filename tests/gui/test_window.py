"""The window around the editor: crash safety, find, the lazy document list, first start."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from annotator.core.store import Project
from tests.gui.conftest import char_point, drag_select

pytestmark = pytest.mark.gui
TEXT = "Russia sent troops to Venezuela. Venezuela thanked Russia. Maduro met Putin."


def test_every_edit_survives_a_crash(qtbot: Any, main_window: Any) -> None:
    """Edit, then read with a second connection while the first is still open (a crash
    leaves exactly that: committed WAL pages and no clean close)."""
    w = main_window([TEXT])
    v = TEXT.index("Venezuela")
    drag_select(qtbot, w.view, v, v + 9)
    qtbot.keyClick(w.view, Qt.Key.Key_1)
    qtbot.mouseDClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=char_point(w.view, 1))
    qtbot.keyClick(w.view, Qt.Key.Key_1)
    qtbot.keyClick(w.view, Qt.Key.Key_5)  # relabel Russia
    other = Project.open(w.project.path)  # independent connection, first one never closed
    try:
        got = [(s.start, s.end, s.label) for s in other.spans(w.editor.doc_id)]
        assert got == [(0, 6, "MIL_UNIT"), (v, v + 9, "GPE")]
        assert other.history(limit=10)  # and the edit log has the steps
    finally:
        other.close()


def test_find_label_all_skips_labelled_and_is_one_undo_step(qtbot: Any, main_window: Any) -> None:
    v1 = TEXT.index("Venezuela")
    w = main_window([TEXT], spans=[{"start": v1, "end": v1 + 9, "label": "GPE", "state": "accepted"}])
    qtbot.keyClick(w.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert w.find_bar.isVisible()
    qtbot.keyClicks(w.find_bar.query, "venezuela|russia")
    w.find_bar.regex.setChecked(True)
    qtbot.keyClick(w.find_bar.query, Qt.Key.Key_Return)
    assert len(w.find_bar.matches) == 4
    w.find_bar.label.setCurrentText("GPE")
    qtbot.mouseClick(w.find_bar.label_all, Qt.MouseButton.LeftButton)
    spans = [(s.start, s.end, s.label) for s in w.project.spans(w.editor.doc_id)]
    assert len(spans) == 4 and {lab for *_, lab in spans} == {"GPE"}
    w.editor.session.stack.undo()
    assert [(s.start, s.end) for s in w.project.spans(w.editor.doc_id)] == [(v1, v1 + 9)]


def test_label_all_across_documents_shows_in_the_open_one(qtbot: Any, main_window: Any) -> None:
    """The batch is named after its first document; the open (second) one must show too."""
    w = main_window(["Putin spoke.", "Later Putin left."])
    first, second = (r.id for r in w.docs.model.rows)
    w.editor.open_document(second)
    w.open_find()
    w.find_bar.scope.setCurrentIndex(1)  # the whole project
    w.find_bar.query.setText("Putin")
    w.find_bar.label.setCurrentText("PERSON")
    qtbot.mouseClick(w.find_bar.label_all, Qt.MouseButton.LeftButton)
    assert [(s.start, s.label) for s in w.project.spans(first)] == [(0, "PERSON")]
    stored = w.project.spans(second)
    assert [(s.start, s.label) for s in stored] == [(6, "PERSON")]
    assert [s.id for s in w.view.index.ordered()] == [stored[0].id]  # painted
    assert w.entities.model.rowCount() == 1  # and listed


def test_find_in_project_lists_documents_with_context(qtbot: Any, main_window: Any) -> None:
    w = main_window([TEXT, "Nothing here.", "Putin spoke in Moscow."])
    w.open_find()
    w.find_bar.query.setText("Putin")
    w.find_bar.scope.setCurrentIndex(1)
    assert w.find_bar.results.count() == 2
    assert "doc002.txt" in w.find_bar.results.item(1).text()
    assert "[Putin]" in w.find_bar.results.item(1).text()
    w.find_bar.results.itemActivated.emit(w.find_bar.results.item(1))
    assert w.view.text_selection() == (0, 5)


def test_document_list_is_lazy_and_filters(qtbot: Any, main_window: Any) -> None:
    w = main_window([f"Document number {i}." for i in range(450)])
    model = w.docs.model
    assert model.rowCount() == 200 and model.canFetchMore()
    model.fetchMore()
    model.fetchMore()
    assert model.rowCount() == 450 and not model.canFetchMore()
    assert w.docs.progress_label.text() == "0 / 450 done"
    w.docs.filter.setCurrentIndex(2)  # done only
    assert model.rowCount() == 0


def test_theme_and_font_size_are_saved(qtbot: Any, main_window: Any) -> None:
    from annotator.core.settings import load_settings

    w = main_window([TEXT])
    w.actions["dark_theme"].trigger()
    assert load_settings()["theme"] == "dark"
    qtbot.waitUntil(lambda: w.view.palette().base().color().lightness() < 80)
    w.actions["zoom_in"].trigger()
    assert load_settings()["font_size"] == 13
    w.actions["dark_theme"].trigger()
    assert load_settings()["theme"] == "light"


def test_first_start_asks_the_name_once(monkeypatch: pytest.MonkeyPatch, qtbot: Any) -> None:
    from annotator.core.settings import load_settings
    from annotator.gui import app

    monkeypatch.delenv("ANNOTATOR_NAME")
    asked: list[int] = []
    monkeypatch.setattr(app, "ask_annotator_name", lambda: asked.append(1) or "Ana")
    assert app.resolve_annotator(None) == "Ana"
    assert app.resolve_annotator(None) == "Ana"
    assert asked == [1] and load_settings()["annotator"] == "Ana"
    assert app.resolve_annotator("Bo") == "Bo"


def test_open_window_on_a_project_dir(qtbot: Any, tmp_path: Path) -> None:
    from annotator.gui.app import ensure_app, open_window

    ensure_app()
    with Project.init(tmp_path / "p") as p:
        p.add_document("a.txt", TEXT)
    w = open_window(tmp_path / "p", annotator="tester")
    qtbot.addWidget(w)
    assert w.editor.doc_id is not None and w.view.toPlainText() == TEXT
    w.project.close()


def test_open_recent_asks_the_app_which_opens_the_next_window(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A window does not open its successor: it emits projectRequested and app.py does."""
    from annotator.gui import app

    app.ensure_app()
    for name in ("a", "b"):
        with Project.init(tmp_path / name) as p:
            p.add_document(f"{name}.txt", f"{TEXT} ({name})")
    first = app.open_window(tmp_path / "a", annotator="tester")
    qtbot.addWidget(first)
    first.show()
    with qtbot.waitSignal(first.projectRequested) as asked:
        first.switch_project(tmp_path / "b")
    assert asked.args == [tmp_path / "b"]
    second = app.WINDOWS[-1]
    qtbot.addWidget(second)
    assert second is not first and second.project.path == (tmp_path / "b").resolve()
    assert second.isVisible() and not first.isVisible()
    warned: list[str] = []
    monkeypatch.setattr(app.QMessageBox, "warning", lambda *a: warned.append(a[2]))
    second.switch_project(tmp_path / "missing")  # cannot open: say so, keep this one
    assert warned and "Cannot open" in warned[0] and second.isVisible()
    for w in (first, second):
        app.WINDOWS.remove(w)
        w.project.close()


def test_help_lists_every_shortcut_of_the_one_action_table(main_window: Any) -> None:
    from annotator.gui.actions import ACTIONS, Act
    from annotator.gui.dialogs import keyboard_help_html

    html = keyboard_help_html()
    for text in ("Add Relation...", "Delete Selected Relations"):  # every row with a key
        assert text in html
    assert "<b>R</b>" in html
    w = main_window([TEXT])
    for spec in ACTIONS:  # every action of the table is built and reachable by its id
        assert w.actions[spec.id].objectName() == spec.id
    assert not w.actions[Act.ADD_RELATION].isEnabled()  # needs a selected span
    assert not w.actions[Act.DELETE_RELATIONS].isEnabled()  # needs a selected relation


@pytest.mark.gui
def test_team_menu_adjudication_reloads_gold(main_window: Any, monkeypatch: Any) -> None:
    """Team > Adjudicate opens on the current document; accepting a layer shows in the window."""
    from annotator.core.store import Project
    from annotator.gui.team import adjudication

    win = main_window()
    p, doc = win.project, win.editor.doc_id
    text = p.text(doc)
    menus = [a.text() for a in win.menuBar().actions()]
    assert "&Team" in menus
    p.insert_spans([{"doc_id": doc, "start": 0, "end": text.index(" "), "label": "GPE",
                     "layer": "ana", "state": "accepted", "source": "human"}])
    opened = []

    def fake_exec(dlg) -> int:  # accept ana's whole version, as the button would
        opened.append(dlg.doc_id)
        dlg.take_version("ana")
        dlg.done(0)
        return 0

    monkeypatch.setattr(adjudication.AdjudicationDialog, "exec", fake_exec)
    win.actions["adjudicate"].trigger()
    assert opened == [doc]
    gold = Project.open(p.path).spans(doc)
    assert [(s.start, s.label) for s in gold] == [(0, "GPE")]
    assert [s.id for s in win.view.index.ordered()] == [gold[0].id]  # the window reloaded


def test_no_model_shows_a_banner_and_gazetteer_still_suggests(main_window: Any, qtbot: Any) -> None:
    """No spaCy model installed: the window says so clearly, and rules still pre-annotate."""
    from annotator.core.store import read_config, write_config

    w = main_window([TEXT])
    write_config(w.project.path, {**read_config(w.project.path), "model": "no_such_model_xyz"})
    w.start_background_preannotation()
    qtbot.waitUntil(lambda: w.banner.isVisible(), timeout=30_000)
    assert "statistical NER is off" in w.banner.text()
    spans = Project.open(w.project.path).spans(w.editor.doc_id)
    assert {(TEXT[s.start:s.end], s.label, s.source) for s in spans} >= {
        ("Russia", "GPE", "rule"), ("Venezuela", "GPE", "rule")}
