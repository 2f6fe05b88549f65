"""Agreement dialog: the figures of tests/core/test_agreement.py, shown in tables and a chart."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.core import ops
from annotator.core.adjudicate import set_layer_status
from annotator.core.store import Project
from annotator.gui.team.agreement import AgreementDialog

pytestmark = pytest.mark.gui
TEXT = "Russia sent troops to Venezuela to support Nicolas Maduro."
LAYERS = {
    "ana": ([(0, 6, "GPE"), (22, 31, "GPE"), (43, 57, "PERSON")], "done"),
    "ben": ([(0, 6, "GPE"), (22, 31, "ORG"), (51, 57, "PERSON")], "done"),
    "carla": ([(0, 6, "GPE")], "in_progress"),
}


@pytest.fixture
def three_layers(tmp_path: Path) -> Path:
    p = Project.init(tmp_path / "proj")
    doc = p.add_document("d1.txt", TEXT)
    for layer, (spans, status) in LAYERS.items():
        p.apply(
            ops.AddSpans(
                doc, [{"start": s, "end": e, "label": lab} for s, e, lab in spans], layer=layer
            )
        )
        set_layer_status(p, layer, {doc: status})
    p.close()
    return tmp_path / "proj"


def cells(table, row: int) -> list[str]:
    return [table.item(row, c).text() for c in range(table.columnCount())]


def test_tables_and_chart(qtbot, three_layers: Path) -> None:
    dlg = AgreementDialog(three_layers)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    # ana - ben on the running example (hand computation in tests/core/test_agreement.py):
    # exact 1/3, overlap 2/3, kappa 0.34/0.54 = 0.630; carla's document is not done
    assert cells(dlg.pairs, 0) == ["ana - ben", "1", "10", "0.333", "0.667", "0.630", "-"]
    assert cells(dlg.pairs, 1)[:3] == ["ana - carla", "0", "0"]
    assert cells(dlg.labels, 0) == ["GPE", "0.667", "0.667", "0.615", "2", "1"]
    assert [g[0] for g in dlg.chart.groups] == ["GPE", "ORG", "PERSON"]
    assert not dlg.chart.grab().isNull()

    pairs = dlg.pairs
    rect = pairs.visualItemRect(pairs.item(1, 0))
    qtbot.mouseClick(pairs.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert dlg.selected_pair().b == "carla" and dlg.labels.rowCount() == 0

    qtbot.keyClick(dlg.status_box, Qt.Key.Key_Down)  # all shared documents
    assert dlg.status_box.currentData() == "all"
    assert cells(dlg.pairs, 1)[:4] == ["ana - carla", "1", "10", "0.500"]  # 1 match of (3, 1)
    dlg.chart.grab()
    dlg.close()
