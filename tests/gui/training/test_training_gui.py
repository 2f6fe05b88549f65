"""Model > Train from the menu: background run with progress, cancel, train again, result
dialog, pre-annotate with the new model; the database and models folder are checked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QPushButton

from annotator.core.store import Project
from annotator.gui.app import ensure_app
from annotator.gui.main_window import MainWindow

pytestmark = [pytest.mark.gui, pytest.mark.slow]


def _click_menu_item(qtbot: Any, window: MainWindow, menu_title: str, action_id: str) -> None:
    """Open a menu of the menu bar with the mouse and click one of its items."""
    bar = window.menuBar()
    top = next(a for a in bar.actions() if a.text().replace("&", "") == menu_title)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.actionGeometry(top).center())
    menu = top.menu()
    qtbot.waitUntil(menu.isVisible, timeout=3000)
    item = window.actions[action_id]
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(item).center())


def test_train_cancel_train_again_and_use_the_model(qtbot: Any, tmp_path: Path, make_gold) -> None:
    ensure_app()
    project = make_gold(tmp_path / "gold", done=4)  # document 5 stays to do
    window = MainWindow(project)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    ctl = window.training
    ctl.train_options = {"iterations": 3, "curve": False, "seed": 1}  # tiny: seconds
    models = project.path / "models"

    # 1. start from the menu, cancel once training is under way
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)
    _click_menu_item(qtbot, window, "Model", "train_model")
    qtbot.waitUntil(lambda: ctl.progress_dialog is not None and "Training on"
                    in ctl.progress_dialog.labelText(), timeout=60_000)
    cancel = ctl.progress_dialog.findChild(QPushButton)
    with qtbot.waitSignal(ctl.runner.finished, timeout=60_000) as done:
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert done.args[0] == {"cancelled": True}
    assert ticks  # the event loop ran while training
    assert not models.exists() or not any(models.iterdir())  # nothing written, no .tmp left
    assert "Cancelled" in window.statusBar().currentMessage()

    # 2. train again, to the end: the result dialog shows base vs trained
    with qtbot.waitSignal(ctl.runner.finished, timeout=120_000) as done:
        _click_menu_item(qtbot, window, "Model", "train_model")
    timer.stop()
    result = done.args[0]
    dlg = ctl.result_dialog
    qtbot.waitUntil(lambda: dlg is not None and dlg.isVisible(), timeout=5000)
    labels = [dlg.table.item(r, 0).text() for r in range(dlg.table.rowCount())]
    assert "MIL_UNIT (new)" in labels and "GPE" in labels and "base labels" in labels
    (model_dir,) = [p for p in models.iterdir()]
    assert model_dir.name == Path(result["model_dir"]).name and (model_dir / "meta.json").is_file()
    docs = json.loads((model_dir / "documents.json").read_text())
    assert 5 not in docs["train"] + docs["eval"]  # the unfinished document is not gold
    dlg.grab()  # the charts paint without error

    # 3. use it: pre-annotate the remaining document from the dialog's button
    qtbot.mouseClick(dlg.preannotate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ctl.preannotate_runner is None, timeout=60_000)
    tag = f"project:{model_dir.name}"
    assert tag in window.status.model.text()
    with Project.open(project.path) as fresh:
        spans = fresh.spans(5)
        events = [e["op"] for e in fresh.history(limit=20)]
    by_model = [s for s in spans if s.source == "model"]
    assert by_model and all(s.attrs.get("model") == tag for s in by_model)
    assert "train" in events and "preannotate" in events

    # 4. rank the unfinished documents by the new model's uncertainty
    with qtbot.waitSignal(ctl.runner.finished, timeout=60_000):
        _click_menu_item(qtbot, window, "Model", "score_uncertainty")
    with Project.open(project.path) as fresh:
        (row,) = fresh.conn.execute("SELECT doc_id, score, model FROM doc_scores").fetchall()
    assert row[0] == 5 and 0 <= row[1] <= 1 and row[2] == tag
    assert [r.id for r in window.docs.model.rows] == [5]  # the list shows the uncertain order
    assert window.docs.model.data(window.docs.model.index(0, 0)).endswith(f"[{row[1]:.2f}]")
    window.close()
    QApplication.processEvents()


def test_uncertainty_order_in_the_document_list(qtbot: Any, tmp_path: Path, make_gold) -> None:
    from annotator.core.doc_scores import set_scores
    from annotator.gui.docks.documents import UNCERTAIN

    ensure_app()
    project = make_gold(tmp_path / "gold", done=2)
    set_scores(project, [(3, 0.1), (4, 0.7)], model="project:x")  # 5 unscored
    window = MainWindow(project)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    combo = window.docs.filter
    combo.setFocus()
    for _ in range(UNCERTAIN):  # choose it with the keyboard, as a user would
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentIndex() == UNCERTAIN
    model = window.docs.model
    assert [r.id for r in model.rows] == [4, 3, 5]
    assert model.data(model.index(0, 0)).endswith("[0.70]")
    assert model.data(model.index(2, 0)).endswith("[unscored]")
    window.close()
