"""The result of a training run: base vs trained per label on the held-out documents."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.gui.training.charts import BarChart, CurveChart

COLUMNS = ("Label", "Gold", "Base P", "Base R", "Base F", "Trained P", "Trained R", "Trained F")


class TrainResultDialog(QDialog):
    """Table, bar chart and learning curve; offers pre-annotating with the new model."""

    preannotateRequested = Signal(str)  # the model tag, e.g. "project:20261201-101500"

    def __init__(self, result: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result = result
        self.setWindowTitle("Training result")
        split = result["split"]
        base_labels = set(result["base_labels"])
        summary = QLabel(
            f"Trained on {len(split['train'])} documents in {result['seconds']:.0f} s; scored on"
            f" {len(split['eval'])} held-out document(s) the model never saw; base:"
            f" {result['base']}.\nModel: {result['model_dir']}")
        summary.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        base, trained = result["base_scores"], result["trained_scores"]
        rows = [(label, base["labels"].get(label, {}), t) for label, t in trained["labels"].items()]
        rows += [(name, base[key], trained[key]) for key, name in
                 (("micro_base_labels", "base labels"), ("micro", "all labels"))]
        for label, b, t in rows:
            self._add_row(label + ("" if label in base_labels or " " in label else " (new)"), b, t)
        self.bars = BarChart([(label, base["labels"].get(label, {}).get("f", 0.0), t["f"])
                              for label, t in trained["labels"].items()])
        self.curve = CurveChart([(c["percent"], c["f"], c["f_base_labels"])
                                 for c in result.get("curve", [])])
        found = [h for h in result.get("found_new", []) if h.get("correct")]
        new_text = QLabel(f"New labels found on held-out text without the gazetteer: {len(found)}"
                          + (" (" + ", ".join(f"{h['text']} {h['label']}" for h in found[:6]) + ")"
                             if found else ""))
        new_text.setWordWrap(True)
        rel = result.get("relation_scores") or {}
        if "micro" in rel:  # trained with relations: one line of their held-out score
            m = rel["micro"]
            new_text.setText(new_text.text() + f"\nRelations (gold entities given): P {m['p']:.2f}"
                             f" R {m['r']:.2f} F {m['f']:.2f} on {m['tp'] + m['fn']} held-out")
        self.preannotate_button = QPushButton("Pre-annotate the remaining documents with it")
        self.preannotate_button.setObjectName("preannotate_with_model")
        self.preannotate_button.clicked.connect(self._preannotate)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.preannotate_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.rejected.connect(self.reject)
        charts = QHBoxLayout()
        charts.addWidget(self.bars, 3)
        charts.addWidget(self.curve, 2)
        lay = QVBoxLayout(self)
        lay.addWidget(summary)
        lay.addWidget(self.table, 1)
        lay.addLayout(charts, 1)
        lay.addWidget(new_text)
        lay.addWidget(buttons)
        self.resize(820, 640)

    def _add_row(self, label: str, b: dict[str, Any], t: dict[str, Any]) -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        values = [label, str(t.get("tp", 0) + t.get("fn", 0)),
                  *(f"{b.get(k, 0.0):.2f}" for k in "prf"), *(f"{t.get(k, 0.0):.2f}" for k in "prf")]
        for c, v in enumerate(values):
            self.table.setItem(r, c, QTableWidgetItem(v))

    def _preannotate(self) -> None:
        self.preannotateRequested.emit(self.result["tag"])
        self.accept()
