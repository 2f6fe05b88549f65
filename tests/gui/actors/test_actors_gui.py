"""Actors in the window on the sample project: real clicks and keys, checked in the database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from annotator.core.actors import all_actors, fold, link_of
from annotator.core.ops import AddRelation
from annotator.core.store import Project
from annotator.gui.app import ensure_app
from annotator.gui.main_window import MainWindow
from annotator.io.projects import open_project
from annotator.nlp.preannotate import Options, preannotate_project
from tests.gui.conftest import char_point

pytestmark = pytest.mark.gui
CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def sample_window(qtbot: Any, sample_copy: Path) -> Iterator[MainWindow]:
    ensure_app()
    project = open_project(sample_copy, annotator="tester")
    preannotate_project(project, Options(model="blank"))  # suggestions and actor links
    window = MainWindow(project)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    window.view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.view, timeout=3000)
    yield window
    window.close()
    project.close()


def fresh(window: MainWindow) -> Project:
    """A second connection: what is on disk, not what the window holds."""
    return Project.open(window.project.path)


def mention_spans(p: Project, texts: set[str], label: str) -> list[int]:
    return [s.id for d in p.iter_documents() for s in p.spans(d.id)
            if s.label == label and (d.text or "")[s.start:s.end] in texts]


def click_span(qtbot: Any, w: MainWindow, text: str) -> int:
    """Open the first document holding a ``text`` span and click on it; returns the span id."""
    p = w.project
    for d in p.iter_documents():
        for s in p.spans(d.id):
            if (d.text or "")[s.start:s.end] == text:
                w.editor.open_document(d.id)
                w.view.select_span(s.id, reveal=True)  # scrolls it into view
                w.view.select_span(None)
                qtbot.mouseClick(w.view.viewport(), Qt.MouseButton.LeftButton,
                                 pos=char_point(w.view, s.start + 1))
                assert w.view.selected_span().id == s.id
                return s.id
    raise AssertionError(f"no {text!r} span")


def show_actors(qtbot: Any, w: MainWindow) -> Any:
    w.actors.dock.show()
    w.actors.dock.raise_()
    qtbot.waitUntil(lambda: w.actors.panel.isVisible(), timeout=3000)
    w.actors.refresh()
    return w.actors.panel


NOMOD = Qt.KeyboardModifier.NoModifier


def click_row(qtbot: Any, table: Any, row: int, mod: Qt.KeyboardModifier = NOMOD) -> None:
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, mod, rect.center())


def double_click(qtbot: Any, viewport: Any, pos: QPoint) -> None:
    """Press, release, double-click: item views only act on a double click after a press."""
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=pos)


def row_named(panel: Any, name: str) -> int:
    rows = [panel.row_of_actor(r.actor.id) for r in panel.model.rows if r.actor.name == name]
    assert rows, name
    return rows[0]


def test_sample_variants_are_one_actor_each(qtbot: Any, sample_window: MainWindow) -> None:
    panel = show_actors(qtbot, sample_window)
    qtbot.keyClicks(panel.filter, "guaid")
    assert panel.proxy.rowCount() == 1
    with fresh(sample_window) as p:
        for texts, label, check in (
                ({"Guaido", "Guaidó", "Juan Guaidó", "Juan Guaido"}, "PERSON", ("name", "Juan Guaidó")),
                ({"Nicolas Maduro", "Nicolás Maduro", "Maduro"}, "PERSON", ("kb_id", "Q58132")),
                ({"U.S.", "US", "United States"}, "GPE", ("country", "USA"))):
            actors = {link_of(p, s).actor_id for s in mention_spans(p, texts, label)}
            assert len(actors) == 1, texts
            actor = next(a for a in all_actors(p) if a.id in actors)
            assert getattr(actor, check[0]) == check[1]


def test_washington_is_suggested_as_usa_and_shift_a_rejects_it(qtbot: Any, sample_window: MainWindow) -> None:
    w = sample_window
    show_actors(qtbot, w)
    span = click_span(qtbot, w, "Washington")
    assert "United States" in w.actors.panel.mention_info.text()
    assert "capital" in w.actors.panel.mention_info.text()
    with fresh(w) as p:
        link = link_of(p, span)
        assert (link.state, link.reason) == ("suggested", "capital")
    qtbot.keyClick(w.view, Qt.Key.Key_A, SHIFT)
    with fresh(w) as p:
        assert link_of(p, span).state == "rejected"
    qtbot.keyClick(w.view, Qt.Key.Key_Z, CTRL)
    with fresh(w) as p:
        assert link_of(p, span).state == "suggested"


def test_a_key_links_the_mention_to_another_actor(qtbot: Any, sample_window: MainWindow) -> None:
    w = sample_window
    span = click_span(qtbot, w, "Kremlin")
    qtbot.keyClick(w.view, Qt.Key.Key_A)
    edit = w.actors.panel.actor_edit
    qtbot.waitUntil(lambda: edit.hasFocus(), timeout=3000)
    assert edit.selectedText() == "Kremlin"
    qtbot.keyClicks(edit, "Russia")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    with fresh(w) as p:
        link = link_of(p, span)
        russia = next(a for a in all_actors(p) if a.id == link.actor_id)
        assert (russia.name, russia.country, link.state) == ("Russia", "RUS", "accepted")
    w.view.setFocus()
    qtbot.keyClick(w.view, Qt.Key.Key_Z, CTRL)
    with fresh(w) as p:
        assert next(a for a in all_actors(p) if a.id == link_of(p, span).actor_id).name == "Kremlin"
    qtbot.keyClick(w.view, Qt.Key.Key_A)  # empty the field and Enter: no actor
    qtbot.waitUntil(lambda: edit.hasFocus(), timeout=3000)
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    with fresh(w) as p:
        assert link_of(p, span) is None


def test_split_then_merge_with_undo_and_redo(qtbot: Any, sample_window: MainWindow) -> None:
    w = sample_window
    panel = show_actors(qtbot, w)
    with fresh(w) as p:
        guaido_spans = mention_spans(p, {"Guaido", "Guaidó", "Juan Guaidó", "Juan Guaido"}, "PERSON")
        guaido = link_of(p, guaido_spans[0]).actor_id

    def actors_of_guaido() -> set[int]:
        with fresh(w) as p:
            return {link_of(p, s).actor_id for s in guaido_spans}

    click_row(qtbot, panel.table, row_named(panel, "Juan Guaidó"))
    assert panel.mentions.rowCount() == len(guaido_spans)
    qtbot.mouseClick(panel.mentions.viewport(), Qt.MouseButton.LeftButton,
                     pos=panel.mentions.visualItemRect(panel.mentions.item(0, 1)).center())
    split_span = panel.selected_mention_ids()[0]
    qtbot.mouseClick(panel.split_btn, Qt.MouseButton.LeftButton)
    after_split = actors_of_guaido()
    assert len(after_split) == 2
    with fresh(w) as p:
        new = link_of(p, split_span).actor_id
        assert new != guaido and next(a for a in all_actors(p) if a.id == new).kb_id is None
    qtbot.waitUntil(lambda: panel.row_of_actor(new) is not None, timeout=3000)
    click_row(qtbot, panel.table, panel.row_of_actor(new))
    click_row(qtbot, panel.table, panel.row_of_actor(guaido), CTRL)
    assert sorted(panel.selected_actor_ids()) == sorted([new, guaido])
    qtbot.mouseClick(panel.merge_btn, Qt.MouseButton.LeftButton)
    assert actors_of_guaido() == {guaido}  # merged into the actor with most mentions
    with fresh(w) as p:
        assert new not in {a.id for a in all_actors(p)}
    w.view.setFocus()
    qtbot.keyClick(w.view, Qt.Key.Key_Z, CTRL)  # undo the merge
    assert actors_of_guaido() == after_split
    qtbot.keyClick(w.view, Qt.Key.Key_Z, CTRL)  # undo the split
    assert actors_of_guaido() == {guaido}
    qtbot.keyClick(w.view, Qt.Key.Key_Z, CTRL | SHIFT)  # redo the split
    assert actors_of_guaido() == after_split


def test_rename_and_kb_id_are_edited_in_the_table(qtbot: Any, sample_window: MainWindow) -> None:
    w = sample_window
    panel = show_actors(qtbot, w)
    row = row_named(panel, "Juan Guaidó")
    for col, text in ((0, "Juan Gerardo Guaido"), (1, "Q1234567")):  # keyClicks types ASCII only
        rect = panel.table.visualRect(panel.proxy.index(row, col))
        double_click(qtbot, panel.table.viewport(), rect.center())
        editor = QApplication.focusWidget()
        editor.selectAll()
        qtbot.keyClicks(editor, text)
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda t=text: any(t in (r.actor.name, r.actor.kb_id)
                                           for r in panel.model.rows), timeout=3000)
        row = row_named(panel, "Juan Gerardo Guaido")
    with fresh(w) as p:
        a = next(a for a in all_actors(p) if fold(a.name) == fold("Juan Gerardo Guaidó"))
        assert a.kb_id == "Q1234567"
    w.view.setFocus()
    qtbot.keyClick(w.view, Qt.Key.Key_Z, CTRL)
    with fresh(w) as p:
        assert next(x for x in all_actors(p) if x.id == a.id).kb_id == "Q58833335"  # as shipped


def test_graph_edge_lists_evidence_and_opens_the_document(qtbot: Any, sample_copy: Path) -> None:
    ensure_app()
    project = open_project(sample_copy, annotator="tester")
    preannotate_project(project, Options(model="blank"))
    doc = max(d.id for d in project.iter_documents())
    text = project.text(doc)
    by_text = {text[s.start:s.end]: s.id for s in reversed(project.spans(doc))}
    rel = project.apply(AddRelation(by_text["Russia"], by_text["Venezuela"], "AID")).change.relations_added[0]
    project.apply(AddRelation(by_text["Maduro"], by_text["Venezuela"], "LEADER_OF"))
    w = MainWindow(project)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.editor.open_document(min(d.id for d in project.iter_documents()))
    w.activateWindow()
    w.view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.view, timeout=3000)
    qtbot.keyClick(w.view, Qt.Key.Key_G, CTRL | SHIFT)
    g = w.actors.graph
    assert g is not None and g.isVisible()
    qtbot.waitExposed(g)
    russia = link_of(project, by_text["Russia"]).actor_id
    venezuela = link_of(project, by_text["Venezuela"]).actor_id
    k = g.edge_index(russia, venezuela, "AID")
    assert k is not None and len(g.edges) == 2
    point = g.canvas.mapFromScene(g.item.edge_point(k))
    qtbot.mouseClick(g.canvas.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(point.x(), point.y()))
    assert g.evidence.count() == 1 and "Russia" in g.evidence.item(0).text()
    item_rect = g.evidence.visualItemRect(g.evidence.item(0))
    double_click(qtbot, g.evidence.viewport(), item_rect.center())
    assert w.editor.doc_id == doc and w.view.selected_span().id == rel.head_id
    # a type filter: uncheck LEADER_OF (keyboard on the list), one edge is left
    role = Qt.ItemDataRole.UserRole
    row = next(i for i in range(g.types.count()) if g.types.item(i).data(role) == "LEADER_OF")
    g.types.setFocus()
    g.types.setCurrentRow(row)
    qtbot.keyClick(g.types, Qt.Key.Key_Space)
    assert [e.type for e in g.edges] == ["AID"]
    g.close()
    w.close()
    project.close()
