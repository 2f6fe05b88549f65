"""Reviewing suggested relations in the window by real key and mouse events; every step is
checked in the database."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from annotator.core.models import Relation
from annotator.core.store import Project

pytestmark = pytest.mark.gui

TEXT = ("The Trump administration has recognized opposition leader Juan Guaido and demands"
        " that Maduro step down. Russia backs Maduro.\nChina backs Maduro.")
LABELS = {"Trump administration": "ORG", "Juan Guaido": "PERSON", "Maduro": "PERSON",
          "Russia": "GPE", "China": "GPE"}


@pytest.fixture
def env(qtbot, main_window):  # noqa: ANN201
    """The window on TEXT with accepted spans and four suggested relations (as a run stores)."""
    rows = []
    for t, lab in LABELS.items():
        start = TEXT.index(t)
        rows.append({"start": start, "end": start + len(t), "label": lab, "state": "accepted",
                     "source": "human"})
    win = main_window([TEXT], spans=rows)
    p: Project = win.project
    doc = win.editor.doc_id
    ids = {TEXT[s.start:s.end]: s.id for s in p.spans(doc)}
    maduro2 = p.insert_span_row(_span(doc, TEXT.index("Maduro.") , "Maduro"))
    maduro3 = p.insert_span_row(_span(doc, TEXT.rindex("Maduro"), "Maduro"))
    suggestions = [("Trump administration", "SUPPORT", ids["Juan Guaido"], "recognize"),
                   ("Trump administration", "REQUEST", ids["Maduro"], "demand"),
                   ("Russia", "SUPPORT", maduro2.id, "back"),
                   ("China", "SUPPORT", maduro3.id, "back")]
    rels = {}
    with p.bulk():
        for head, label, child, trigger in suggestions:
            r = p.insert_relation_row(Relation(
                0, doc, ids[head], child, label, {"trigger": trigger, "why": f"verb '{trigger}'"},
                state="suggested", source="rule", run_id="run1"))
            rels[(head, label)] = r.id
    win.editor.reload()  # the rows were written behind the window's back: re-read them
    _paint(qtbot, win)
    return win, _Relations(win.relations), doc, rels


class _Relations:
    """The window's relation pieces under one name: the controller's members, then the
    overlay, panel and picker that install_relations built around it."""

    def __init__(self, ui) -> None:  # noqa: ANN001
        self.__dict__["ui"] = ui

    def __getattr__(self, name: str):  # noqa: ANN204
        ctl = self.ui.controller
        return getattr(ctl, name) if hasattr(ctl, name) else getattr(self.ui, name)


def _span(doc: int, start: int, text: str):  # noqa: ANN202
    from annotator.core.models import Span

    return Span(0, doc, start, start + len(text), "PERSON", "human", "accepted")


def _paint(qtbot, win) -> None:
    win.view.viewport().update()
    qtbot.wait(30)


def _click_arc(qtbot, win, ctl, rel_id: int) -> None:
    _paint(qtbot, win)
    arc = next(a for a in ctl.overlay.layout_.arcs if a.rel_id == rel_id)
    pos = QPoint(int(arc.label_box.cx), int(arc.label_box.y + arc.label_box.h / 2))
    qtbot.mouseClick(win.view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert ctl.selected == [rel_id] and ctl.relation_focus


def _state(p: Project, rel_id: int) -> str | None:
    row = p.conn.execute("SELECT state FROM relations WHERE id = ?", (rel_id,)).fetchone()
    return row[0] if row else None


def test_suggested_arcs_are_dashed_and_explain_themselves(qtbot, env) -> None:
    win, ctl, _doc, rels = env
    from PySide6.QtGui import QImage, QPainter

    class Recording(QPainter):
        styles: list[Qt.PenStyle] = []
        in_arc = False

        def drawPath(self, path) -> None:  # noqa: ANN001, N802 - Qt's name
            if self.in_arc:
                self.styles.append(self.pen().style())
            super().drawPath(path)

    paint_arc = ctl.overlay._paint_arc

    def arc(p, *args, **kw) -> None:  # noqa: ANN001, ANN002, ANN003
        p.in_arc = True
        paint_arc(p, *args, **kw)
        p.in_arc = False

    ctl.overlay._paint_arc = arc

    def arc_styles() -> set[Qt.PenStyle]:
        img = QImage(win.view.viewport().size(), QImage.Format.Format_ARGB32)
        painter = Recording(img)
        Recording.styles = []
        ctl.overlay.paint_on(painter)
        painter.end()
        return set(Recording.styles)

    assert arc_styles() == {Qt.PenStyle.DashLine}
    ctl.accept(list(rels.values()))
    assert arc_styles() == {Qt.PenStyle.SolidLine}
    assert {_state(win.project, r) for r in rels.values()} == {"accepted"}
    qtbot.keyClick(win.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert {_state(win.project, r) for r in rels.values()} == {"suggested"}  # one undo step
    row = ctl.panel.proxy_row(rels[("Trump administration", "SUPPORT")])
    tip = ctl.panel.proxy.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "verb 'recognize'" in tip and "Enter accepts" in tip


def test_enter_accepts_and_delete_rejects_in_the_text(qtbot, env) -> None:
    win, ctl, doc, rels = env
    p = win.project
    support, request = rels[("Trump administration", "SUPPORT")], rels[("Trump administration",
                                                                        "REQUEST")]
    _click_arc(qtbot, win, ctl, support)
    qtbot.keyClick(win.view, Qt.Key.Key_Return)
    assert _state(p, support) == "accepted"
    _click_arc(qtbot, win, ctl, request)
    qtbot.keyClick(win.view, Qt.Key.Key_Delete)
    assert _state(p, request) is None  # gone from relations ...
    assert p.conn.execute("SELECT label FROM rejected_relations").fetchall() == [("REQUEST",)]
    assert len(p.spans(doc)) == 7  # ... and no span was deleted or accepted with it
    qtbot.keyClick(win.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo reject
    assert _state(p, request) == "suggested"
    assert p.conn.execute("SELECT COUNT(*) FROM rejected_relations").fetchone()[0] == 0


def test_span_selection_keeps_enter_for_the_span(qtbot, env) -> None:
    win, ctl, doc, rels = env
    p = win.project
    s = next(x for x in p.spans(doc) if x.label == "ORG")
    win.view.select_span(s.id)
    assert ctl.selected and not ctl.relation_focus
    qtbot.keyClick(win.view, Qt.Key.Key_Return)
    assert all(_state(p, r) == "suggested" for r in rels.values())


def test_accept_all_relations_in_this_sentence(qtbot, env) -> None:
    win, ctl, _doc, rels = env
    p = win.project
    _click_arc(qtbot, win, ctl, rels[("Trump administration", "SUPPORT")])
    qtbot.keyClick(win.view, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert _state(p, rels[("Trump administration", "SUPPORT")]) == "accepted"
    assert _state(p, rels[("Trump administration", "REQUEST")]) == "accepted"
    assert _state(p, rels[("Russia", "SUPPORT")]) == "suggested"  # the next sentence
    assert _state(p, rels[("China", "SUPPORT")]) == "suggested"


def test_panel_to_review_filter_and_keys(qtbot, env) -> None:
    win, ctl, _doc, rels = env
    p = win.project
    panel = ctl.panel
    panel.show()
    assert panel.proxy.rowCount() == 4
    qtbot.mouseClick(panel.to_review, Qt.MouseButton.LeftButton)
    assert panel.to_review.isChecked()
    china = rels[("China", "SUPPORT")]
    panel.table.setFocus()
    panel.table.selectRow(panel.proxy_row(china))
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert _state(p, china) == "accepted"
    assert panel.proxy.rowCount() == 3  # accepted: no longer to review
    russia = rels[("Russia", "SUPPORT")]
    panel.table.selectRow(panel.proxy_row(russia))
    qtbot.keyClick(panel.table, Qt.Key.Key_Delete)
    assert _state(p, russia) is None and panel.proxy.rowCount() == 2
    assert p.conn.execute("SELECT head_text, child_text FROM rejected_relations").fetchall() == [
        ("Russia", "Maduro")]


def test_changing_a_suggestions_type_accepts_it(qtbot, env) -> None:
    win, ctl, _doc, rels = env
    rid = rels[("Russia", "SUPPORT")]
    assert ctl.set_type(rid, "AID")
    rel = win.project.relation(rid)
    assert (rel.label, rel.state, rel.attrs["trigger"]) == ("AID", "accepted", "back")


@pytest.mark.slow
def test_sample_article_shows_and_reviews_suggested_relations(qtbot, sample_copy) -> None:
    """Done-when: the sample's first article, pre-annotated with the real model, shows
    SUPPORT / REQUEST(Trump administration -> ...); Enter and Delete decide them."""
    from PySide6.QtWidgets import QApplication

    from annotator.gui.app import ensure_app
    from annotator.gui.main_window import MainWindow
    from annotator.io.projects import open_project
    from annotator.nlp.model import resolve_model

    if not resolve_model(None).statistical:
        pytest.skip("no English model installed")
    project = open_project(sample_copy, annotator="tester", preannotate=True)
    try:
        doc = next(d.id for d in project.iter_documents() if d.name.startswith("000"))
        ensure_app()
        win = MainWindow(project)
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win)
        win.activateWindow()
        win.editor.open_document(doc)
        win.view.setFocus()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is win.view, timeout=3000)
        ctl = _Relations(win.relations)
        text = project.text(doc)

        def find(label: str, child: str) -> int:
            for r in ctl.index.by_id.values():
                h, c = ctl.span(r.head_id), ctl.span(r.child_id)
                if (r.label, text[h.start:h.end], text[c.start:c.end]) == (
                        label, "Trump administration", child) and r.state == "suggested":
                    return r.id
            raise AssertionError(f"no suggested {label}(Trump administration -> {child})")

        support, request = find("SUPPORT", "Juan Guaido"), find("REQUEST", "Maduro")
        ctl.reveal_span(ctl.relation(support).head_id)
        _click_arc(qtbot, win, ctl, support)
        qtbot.keyClick(win.view, Qt.Key.Key_Return)
        assert _state(project, support) == "accepted"
        _click_arc(qtbot, win, ctl, request)
        qtbot.keyClick(win.view, Qt.Key.Key_Delete)
        assert _state(project, request) is None
        assert project.conn.execute("SELECT label, head_text, child_text FROM rejected_relations"
                                    ).fetchall() == [("REQUEST", "Trump administration", "Maduro")]
        win.close()
    finally:
        project.close()
