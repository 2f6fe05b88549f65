"""The export dialog: filled with real key and mouse events, runs in a thread, shows progress."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QListWidget

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "io"))
from test_export_common import add_doc, rich_project  # noqa: E402

from annotator.core.store import Project  # noqa: E402
from annotator.gui.jobs.export import ExportDialog  # noqa: E402

pytestmark = pytest.mark.gui


def _choose(qtbot, combo: QComboBox, data: str) -> None:
    """Pick an entry the way a user does: focus the combo and type-ahead/arrow to it."""
    combo.setFocus()
    while combo.currentData() != data:
        qtbot.keyClick(combo, Qt.Key.Key_Down)


def _untick(qtbot, labels: QListWidget, text: str) -> None:
    item = labels.findItems(text, Qt.MatchFlag.MatchExactly)[0]
    rect = labels.visualItemRect(item)
    qtbot.mouseClick(labels.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.keyClick(labels, Qt.Key.Key_Space)  # space toggles the current item's check box
    assert item.checkState() == Qt.CheckState.Unchecked


def _project(tmp_path: Path) -> Path:
    p = rich_project(tmp_path)
    for i in range(40):
        add_doc(p, f"extra{i}.txt", f"Cuba and Peru met {i} times.", [(0, 4, "GPE")])
    p.close()
    return tmp_path / "proj"


def test_export_jsonl_with_progress_and_label_filter(qtbot, tmp_path: Path) -> None:
    dialog = ExportDialog(_project(tmp_path))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    out = tmp_path / "out" / "data.jsonl"
    dialog.output_edit.clear()
    qtbot.keyClicks(dialog.output_edit, str(out))
    _choose(qtbot, dialog.status_box, "all")
    _untick(qtbot, dialog.labels_list, "PERSON")
    values: list[int] = []
    dialog.progress.valueChanged.connect(values.append)
    with qtbot.waitSignal(dialog.exportFinished, timeout=20000) as done:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    tasks = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(tasks) == 43
    assert all(s["label"] != "PERSON" for t in tasks for s in t["spans"])
    assert "exported 43 documents" in done.args[0]
    assert "--labels filter" in dialog.summary.toPlainText()
    assert dialog.progress.value() == dialog.progress.maximum() == 43
    assert values and values[-1] == 43
    qtbot.waitUntil(lambda: dialog.export_button.isEnabled())


def test_export_spacy_split_and_brat(qtbot, tmp_path: Path) -> None:
    dialog = ExportDialog(_project(tmp_path))
    qtbot.addWidget(dialog)
    _choose(qtbot, dialog.format_box, "spacy")
    assert dialog.output_edit.text().endswith("proj.spacy")  # suggested for the format
    folder = tmp_path / "corpus"
    dialog.output_edit.clear()
    qtbot.keyClicks(dialog.output_edit, str(folder))
    dialog.split_spin.lineEdit().selectAll()
    qtbot.keyClicks(dialog.split_spin, "0.8")
    with qtbot.waitSignal(dialog.exportFinished, timeout=30000):
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert (folder / "train.spacy").exists() and (folder / "dev.spacy").exists()
    assert "overlapping spans left out of doc.ents" in dialog.summary.toPlainText()
    qtbot.waitUntil(lambda: dialog.export_button.isEnabled())


def test_error_is_one_line(qtbot, tmp_path: Path) -> None:
    path = _project(tmp_path)
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    dialog = ExportDialog(path)
    qtbot.addWidget(dialog)
    _choose(qtbot, dialog.format_box, "brat")
    dialog.output_edit.clear()
    qtbot.keyClicks(dialog.output_edit, str(blocker))
    with qtbot.waitSignal(dialog.exportFailed, timeout=20000):
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert "is a file" in dialog.error.text() and "\n" not in dialog.error.text()
    qtbot.waitUntil(lambda: dialog.export_button.isEnabled())
    with Project.open(path) as p:  # the dialog's thread closed its connection
        assert p.count_documents() == 43
