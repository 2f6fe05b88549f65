"""Relations in the window, driven by real mouse and key events; every step is checked
in the database (project.relations), not only on screen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from annotator.core.store import Project

pytestmark = pytest.mark.gui

TEXT = (
    "Russia sent troops to Venezuela to support Nicolas Maduro, and an S-300 arrived.\n"
    "The Trump administration has recognized opposition leader Juan Guaido."
)
LABELS = {"Russia": "GPE", "Venezuela": "GPE", "Nicolas Maduro": "PERSON", "sent": "EVENT",
          "S-300": "WEAPON", "Trump administration": "ORG", "Juan Guaido": "PERSON"}


@pytest.fixture
def env(qtbot, main_window):
    """(window, relations UI, doc id, span ids by text): the real window on a two-line text."""
    rows = [{"start": TEXT.index(t), "end": TEXT.index(t) + len(t), "label": lab,
             "state": "accepted", "source": "human"} for t, lab in LABELS.items()]
    win = main_window([TEXT], spans=rows)
    doc = win.editor.doc_id
    ids = {TEXT[s.start:s.end]: s.id for s in win.project.spans(doc)}
    return win, win.relations, doc, ids


def _center(win, span_id: int) -> QPoint:
    return win.view.span_rects(span_id)[0].center().toPoint()


def _drag(qtbot, win, head: int, child: int, *, alt: bool = False) -> None:
    vp = win.view.viewport()
    mod = Qt.KeyboardModifier.AltModifier if alt else Qt.KeyboardModifier.NoModifier
    a, b = _center(win, head), _center(win, child)
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, mod, a)
    for k in range(1, 6):
        qtbot.mouseMove(vp, a + (b - a) * (k / 5))
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, mod, b)


def _pick(qtbot, ui, text: str) -> None:
    qtbot.keyClicks(ui.picker.filter, text)
    qtbot.keyClick(ui.picker.filter, Qt.Key.Key_Return)


def _paint(qtbot, win) -> None:
    """Let Qt lay out and paint the viewport (the overlay lays out arcs while painting)."""
    win.view.viewport().update()
    qtbot.wait(30)


def _rels(project: Project, doc: int) -> list[tuple[int, str, int, dict]]:
    return [(r.head_id, r.label, r.child_id, r.attrs) for r in project.relations(doc)]


def test_drag_from_selected_span_creates_relation(qtbot, env) -> None:
    win, ui, doc, ids = env
    project = win.project
    win.view.select_span(ids["Russia"])
    _drag(qtbot, win, ids["Russia"], ids["Nicolas Maduro"])
    assert ui.picker.isVisible()
    offered = [ui.picker.types.item(i).data(Qt.ItemDataRole.UserRole)
               for i in range(ui.picker.types.count())]
    assert "SUPPORT" in offered and "LEADER_OF" not in offered
    _pick(qtbot, ui, "SUPP")
    assert _rels(project, doc) == [(ids["Russia"], "SUPPORT", ids["Nicolas Maduro"], {})]
    assert ui.panel.model.rowCount() == 1


def test_alt_drag_from_any_span(qtbot, env) -> None:
    win, ui, doc, ids = env
    project = win.project
    _drag(qtbot, win, ids["Trump administration"], ids["Juan Guaido"], alt=True)
    _pick(qtbot, ui, "support")
    assert _rels(project, doc) == [(ids["Trump administration"], "SUPPORT", ids["Juan Guaido"], {})]


def test_plain_drag_on_unselected_span_is_text_selection(qtbot, env) -> None:
    win, ui, doc, ids = env
    project = win.project
    _drag(qtbot, win, ids["Russia"], ids["Venezuela"])
    assert not ui.picker.isVisible()
    assert win.view.text_selection() is not None
    assert project.relations(doc) == []


def test_keyboard_r_then_type_ahead(qtbot, env) -> None:
    win, ui, doc, ids = env
    project = win.project
    win.view.select_span(ids["Russia"])
    qtbot.keyClick(win.view, Qt.Key.Key_R)
    assert ui.picker.isVisible() and ui.picker.stack.currentWidget() is ui.picker.entities
    row = ui.picker.proxy.index(0, 0).data()
    assert "paragraph 1" in row
    _pick(qtbot, ui, "guaido")  # the child is on another paragraph: no scrolling needed
    _pick(qtbot, ui, "AID")
    assert _rels(project, doc) == [(ids["Russia"], "AID", ids["Juan Guaido"], {})]


def test_symmetric_types_are_shown_undirected(qtbot, env) -> None:
    win, ui, _doc, ids = env
    ui.picker.choose_type(ids["Russia"], ids["Venezuela"])
    texts = [ui.picker.types.item(i).text() for i in range(ui.picker.types.count())]
    assert any(t.startswith("ALLIED_WITH") and "Russia \u2013 Venezuela" in t for t in texts)
    assert any(t.startswith("AID") and "Russia \u2192 Venezuela" in t for t in texts)


def test_invalid_pair_is_refused_and_not_stored(qtbot, env) -> None:
    win, ui, doc, ids = env
    project = win.project
    assert ui.controller.create(ids["Russia"], ids["Venezuela"], "LEADER_OF") is None
    assert "LEADER_OF" in win.statusBar().currentMessage()
    _drag(qtbot, win, ids["sent"], ids["S-300"], alt=True)  # EVENT -> WEAPON: no type at all
    assert not ui.picker.isVisible()
    assert "No relation type allows EVENT" in win.statusBar().currentMessage()
    assert project.relations(doc) == []


def test_edit_type_attrs_swap_delete_with_undo(qtbot, env) -> None:
    win, ui, doc, ids = env
    project = win.project
    r, v = ids["Russia"], ids["Venezuela"]
    rel = ui.controller.create(r, v, "AID")
    stack = win.editor.session.stack
    ed = ui.panel.editor
    assert ed.rel_id == rel and ed.type_box.currentText() == "AID"
    names = [ed.type_box.itemText(i) for i in range(ed.type_box.count())]
    assert "LEADER_OF" not in names  # only types valid for GPE -> GPE
    ed.type_box.setCurrentText("SANCTION")
    ed.type_box.activated.emit(ed.type_box.currentIndex())
    assert _rels(project, doc) == [(r, "SANCTION", v, {})]
    ed.attr_widgets["negated"].click()
    modality = ed.attr_widgets["modality"]
    modality.setCurrentText("hypothetical")
    modality.activated.emit(modality.currentIndex())
    assert _rels(project, doc) == [(r, "SANCTION", v, {"negated": True, "modality": "hypothetical"})]
    qtbot.mouseClick(ed.swap_button, Qt.MouseButton.LeftButton)
    assert _rels(project, doc)[0][:3] == (v, "SANCTION", r)
    stack.undo()
    assert _rels(project, doc)[0][:3] == (r, "SANCTION", v)
    stack.undo()
    stack.undo()
    stack.undo()
    assert _rels(project, doc) == [(r, "AID", v, {})]
    stack.redo()
    assert _rels(project, doc) == [(r, "SANCTION", v, {})]
    ui.panel.table.setFocus()
    qtbot.keyClick(ui.panel.table, Qt.Key.Key_Delete)
    assert project.relations(doc) == []
    assert ui.panel.model.rowCount() == 0
    stack.undo()
    assert _rels(project, doc) == [(r, "SANCTION", v, {})]
    assert ui.panel.model.rowCount() == 1 and ui.controller.index.by_id


def test_deleting_a_span_deletes_its_relations_and_undo_restores(qtbot, env) -> None:
    win, ui, doc, ids = env
    project = win.project
    ui.controller.create(ids["Russia"], ids["Venezuela"], "AID")
    ui.controller.create(ids["Russia"], ids["Nicolas Maduro"], "SUPPORT")
    ui.controller.create(ids["Trump administration"], ids["Juan Guaido"], "SUPPORT")
    win.view.select_span(ids["Russia"])
    win.editor.delete_selected()
    assert len(project.relations(doc)) == 1
    assert ui.panel.model.rowCount() == 1 and len(ui.controller.index.by_id) == 1
    win.editor.session.stack.undo()
    assert len(project.relations(doc)) == 3
    assert ui.panel.model.rowCount() == 3
    _paint(qtbot, win)
    assert len(ui.overlay.layout_.arcs) == 3


def test_panel_and_text_selection_follow_each_other(qtbot, env) -> None:
    win, ui, _doc, ids = env
    a = ui.controller.create(ids["Russia"], ids["Venezuela"], "AID")
    b = ui.controller.create(ids["Trump administration"], ids["Juan Guaido"], "SUPPORT")
    win.view.select_span(ids["Juan Guaido"])
    assert ui.controller.selected == [b] and ui.panel.selected_ids() == [b]
    ui.panel.table.selectRow(ui.panel.proxy_row(a))
    assert ui.controller.selected == [a]
    ui.panel.filter.setText("guaido")
    assert ui.panel.proxy.rowCount() == 1


def test_click_on_arc_label_selects_and_right_click_menu(qtbot, env) -> None:
    win, ui, _doc, ids = env
    rel = ui.controller.create(ids["Russia"], ids["Venezuela"], "AID")
    ui.controller.select_relations([])
    _paint(qtbot, win)
    arc = next(a for a in ui.overlay.layout_.arcs if a.rel_id == rel)
    pos = QPoint(int(arc.label_box.cx), int(arc.label_box.y + arc.label_box.h / 2))
    qtbot.mouseClick(win.view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert ui.controller.selected == [rel]


def test_off_screen_end_has_an_indicator_that_jumps(qtbot, main_window) -> None:
    filler = "\n".join(f"Line {i} of a long report." for i in range(200))
    text = f"Russia acted.\n{filler}\nNicolas Maduro spoke."
    i = text.index("Nicolas Maduro")
    win = main_window([text], spans=[
        {"start": 0, "end": 6, "label": "GPE", "state": "accepted"},
        {"start": i, "end": i + 14, "label": "PERSON", "state": "accepted"}])
    ui = win.relations
    h, c = (s.id for s in win.project.spans(win.editor.doc_id))
    ui.controller.create(h, c, "SUPPORT")
    ui.controller.select_relations([])
    _paint(qtbot, win)
    (ind,) = ui.overlay.layout_.indicators
    assert "Nicolas Maduro" in ind.text and ind.target_span == c
    pos = QPoint(int(ind.box.cx), int(ind.box.y + ind.box.h / 2))
    qtbot.mouseClick(win.view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert win.view.selected_span().id == c
    rect = win.view.span_rects(c)
    assert rect and win.view.viewport().rect().contains(rect[0].center().toPoint())


def test_schema_dialog_adds_a_type_and_refuses_removing_one_in_use(qtbot, env) -> None:
    from annotator.gui.relations.schema_dialog import RelationSchemaDialog

    win, ui, doc, ids = env
    project = win.project
    ui.controller.create(ids["Russia"], ids["Venezuela"], "AID")
    dlg = RelationSchemaDialog(project, win)
    qtbot.addWidget(dlg)
    dlg.list.setCurrentRow(dlg.original_names.index("AID"))
    dlg.remove_current()
    assert "AID is used by 1" in dlg.message.text()
    assert "AID" in [dlg.list.item(i).text() for i in range(dlg.list.count())]
    dlg.add_type()
    dlg.name.setText("MEDIATE")
    dlg.symmetric.setChecked(False)
    dlg.head_boxes["GPE"].setChecked(True)
    dlg.child_boxes["GPE"].setChecked(True)
    dlg.list.setCurrentRow(dlg.original_names.index("LEADER_OF"))
    dlg.remove_current()  # unused: goes
    dlg.save()
    assert dlg.result() == dlg.DialogCode.Accepted
    assert project.schema.relation("MEDIATE").allows("GPE", "GPE")
    assert project.schema.relation("LEADER_OF") is None
    assert project.schema.relation("SUPPORT").head == project.schema.relation("AID").head
    assert "MEDIATE" in {t.name for t in ui.controller.valid_types(ids["Russia"], ids["Venezuela"])}
    assert ui.controller.create(ids["Russia"], ids["Venezuela"], "MEDIATE") is not None
    assert [r.label for r in project.relations(doc)] == ["AID", "MEDIATE"]


def test_renaming_a_type_in_use_is_refused(qtbot, env) -> None:
    from annotator.gui.relations.schema_dialog import RelationSchemaDialog

    win, ui, _doc, ids = env
    ui.controller.create(ids["Russia"], ids["Venezuela"], "AID")
    before = win.project.schema.to_json()
    dlg = RelationSchemaDialog(win.project, win)
    qtbot.addWidget(dlg)
    dlg.list.setCurrentRow(dlg.original_names.index("AID"))
    dlg.name.setText("MATERIAL_AID")
    dlg.save()
    assert "cannot remove or rename: AID" in dlg.message.text()
    assert win.project.schema.to_json() == before


def test_window_has_relations_dock_and_menu_entries(qtbot, env) -> None:
    win, ui, _doc, _ids = env
    assert ui.panel.parent() is win and ui.panel.isVisible()
    edit = next(a.menu() for a in win.menuBar().actions() if a.text().replace("&", "") == "Edit")
    texts = [a.text().replace("&", "") for a in edit.actions()]
    assert "Add Relation..." in texts and "Relation Types..." in texts
