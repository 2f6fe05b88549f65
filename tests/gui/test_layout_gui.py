"""Layout: at 1024x700 the text keeps half the width and the relation form is not clipped;
zoom (Ctrl++) scales the arc labels; a cross-line arc label keeps off span tags."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QComboBox

from annotator.core import ops
from annotator.gui.state.arc_layout import ArcSpec, Metrics, Rect, layout_arcs

pytestmark = pytest.mark.gui
T = ("Russia sent troops to Venezuela to support Nicolas Maduro, and the Russian air force"
     " landed in Caracas.\n") * 3


def _settle(qtbot: Any) -> None:
    for _ in range(4):
        QApplication.processEvents()
        qtbot.wait(10)


def test_small_screen_keeps_the_text_wide_and_the_form_whole(qtbot: Any, main_window: Any) -> None:
    r, v = T.index("Russia"), T.index("Venezuela")
    w = main_window([T], spans=[{"start": r, "end": r + 6, "label": "GPE", "state": "accepted"},
                                {"start": v, "end": v + 9, "label": "GPE", "state": "accepted"}])
    h, c = (s.id for s in w.project.spans(w.editor.doc_id))
    w.editor.session.run(ops.AddRelation(h, c, "AID"), "add relation")
    w.resize(1024, 700)
    _settle(qtbot)
    assert w.centralWidget().width() >= 512
    assert w.height() <= 700, w.minimumSizeHint()  # every dock fits (the Actors one scrolls)
    assert w.palette_panel.compact  # thinner label chips leave the tabs below some rows
    assert w.dock_labels.height() <= 250  # it was 300 with the chips at full height
    w.relations.controller.select_relations([w.project.relations(w.editor.doc_id)[0].id])
    _settle(qtbot)
    for combo in w.relations.panel.findChildren(QComboBox):
        if combo.isVisible():
            assert combo.height() >= combo.sizeHint().height(), combo


def test_a_dock_folded_away_on_a_small_window_comes_back_when_it_grows(qtbot: Any,
                                                                     main_window: Any) -> None:
    w = main_window([T])
    w.resize(700, 600)  # narrower than the docks' narrowest sizes leave half for the text
    _settle(qtbot)
    assert not w.dock_labels.isVisible()  # folded: the number keys still label
    w.resize(1600, 1000)
    _settle(qtbot)
    assert w.dock_labels.isVisible()


def test_zoom_scales_arc_labels(qtbot: Any, main_window: Any) -> None:
    w = main_window([T])
    overlay = w.relations.overlay
    before = overlay.label_font.pixelSize()
    for _ in range(4):
        qtbot.keyClick(w.view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    w.view.viewport().repaint()
    overlay.current_layout()
    assert overlay.label_font.pixelSize() > before


def test_cross_line_label_steps_off_a_tag() -> None:
    up, low = Rect(100, 10, 60, 16), Rect(90, 50, 50, 16)
    spec = ArcSpec(1, 1, 2, up, low, "MOBILIZE", 50.0, 0, 0, "", 0.0)
    m = Metrics()
    tag = Rect(60, 26, 140, 12)  # the upper span's tag, wider than the whole run
    (arc,) = layout_arcs([spec], width=800, height=400, m=m, obstacles=[tag]).arcs
    assert not arc.label_box.intersects(tag)


def test_arcs_are_clipped_around_span_tags(qtbot: Any, main_window: Any) -> None:
    r = T.index("Russia")
    c = T.index("Caracas", T.index("\n"))  # on the second line: a cross-line route
    w = main_window([T], spans=[{"start": r, "end": r + 6, "label": "GPE", "state": "accepted"},
                                {"start": c, "end": c + 7, "label": "GPE", "state": "accepted"}])
    h, k = (s.id for s in w.project.spans(w.editor.doc_id))
    w.editor.session.run(ops.AddRelation(h, k, "AID"), "add relation")
    w.view.viewport().repaint()
    overlay = w.relations.overlay
    assert overlay._tags  # noqa: SLF001
    region = overlay._around_tags()  # noqa: SLF001
    for t in overlay._tags:  # noqa: SLF001
        assert not region.contains(QPoint(int(t.cx), int(t.y + t.h / 2)))


def test_first_start_fits_a_small_screen(qtbot: Any, tmp_path: Any) -> None:
    from PySide6.QtCore import QSettings

    from annotator.core.store import Project
    from annotator.gui.app import ensure_app
    from annotator.gui.main_window import MainWindow

    ensure_app()
    QSettings().remove("window")  # no saved geometry: a first start
    project = Project.init(tmp_path / "p", annotator="tester")
    project.add_document("a.txt", T)
    w = MainWindow(project)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    _settle(qtbot)
    avail = w.screen().availableGeometry()  # offscreen: 800x800, smaller than 1360x820
    assert w.width() <= avail.width() and w.height() <= avail.height()
    assert w.centralWidget().width() >= w.width() * 0.45
    w.resize(1600, 1000)
    _settle(qtbot)
    assert not w.palette_panel.compact
    w.close()
    project.close()

