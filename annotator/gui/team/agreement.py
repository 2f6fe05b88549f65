"""Agreement report: a table per pair of volunteers, per-label figures and a bar chart.

The figures come from ``core.agreement.project_agreement`` (the same numbers as
``annotator agreement``). The chart is drawn with QPainter: QtCharts is not part of
PySide6-Essentials.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.agreement import AgreementReport, Counts, PairReport, project_agreement, total
from annotator.core.store import Project
from annotator.gui.state.statuses import DONE

SERIES = (("span F1 exact", "#4E79A7"), ("span F1 overlap", "#59A14F"), ("token kappa", "#F28E2B"))


def _f(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


class BarChart(QWidget):
    """Grouped bars, one group per label, values in [lo, 1] with lo = min(0, smallest value)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.groups: list[tuple[str, list[float | None]]] = []
        self.setMinimumHeight(180)

    def set_data(self, groups: list[tuple[str, list[float | None]]]) -> None:
        self.groups = groups
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        plot = QRectF(self.rect()).adjusted(40, 24, -10, -28)
        values = [v for _, vs in self.groups for v in vs if v is not None]
        lo = min([0.0, *values])
        self._axes(p, plot, lo)
        self._legend(p)
        if self.groups:
            self._bars(p, plot, lo)
        p.end()

    def _y(self, plot: QRectF, lo: float, v: float) -> float:
        return plot.bottom() - (v - lo) / (1 - lo) * plot.height()

    def _axes(self, p: QPainter, plot: QRectF, lo: float) -> None:
        p.setPen(QPen(self.palette().text().color(), 1))
        for v in sorted({lo, 0.0, 0.5, 1.0}):
            y = self._y(plot, lo, v)
            p.drawText(QRectF(0, y - 8, 36, 16), Qt.AlignmentFlag.AlignRight, f"{v:.1f}")
            p.drawLine(int(plot.left()), int(y), int(plot.right()), int(y))

    def _legend(self, p: QPainter) -> None:
        x = 40.0
        for name, color in SERIES:
            p.fillRect(QRectF(x, 6, 10, 10), QColor(color))
            p.setPen(self.palette().text().color())
            p.drawText(QRectF(x + 14, 2, 140, 18), Qt.AlignmentFlag.AlignLeft, name)
            x += 150

    def _bars(self, p: QPainter, plot: QRectF, lo: float) -> None:
        slot = plot.width() / len(self.groups)
        bar = slot * 0.8 / len(SERIES)
        for i, (label, vals) in enumerate(self.groups):
            x0 = plot.left() + i * slot + slot * 0.1
            for j, v in enumerate(vals):
                if v is None:
                    continue  # undefined (e.g. kappa of a label nobody used): no bar
                top, base = self._y(plot, lo, v), self._y(plot, lo, 0.0)
                p.fillRect(
                    QRectF(x0 + j * bar, min(top, base), bar - 1, abs(base - top)),
                    QColor(SERIES[j][1]),
                )
            p.setPen(self.palette().text().color())
            p.drawText(
                QRectF(x0 - slot * 0.1, plot.bottom() + 4, slot, 20),
                Qt.AlignmentFlag.AlignHCenter,
                label,
            )


class AgreementDialog(QDialog):
    """Per pair: documents, tokens, span F1, token kappa, relation F1; per label for the
    selected pair, as a table and a chart."""

    def __init__(self, project_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project_path = Path(project_path)
        self.report: AgreementReport | None = None
        self.setWindowTitle("Agreement between annotators")
        self.status_box = QComboBox(self)
        self.status_box.setObjectName("status")
        self.status_box.addItem("documents both marked done", DONE)
        self.status_box.addItem("all shared documents", "all")
        self.status_box.currentIndexChanged.connect(self.recompute)
        self.pairs = self._table(
            "pairs",
            [
                "pair",
                "documents",
                "tokens",
                "span F1 exact",
                "span F1 overlap",
                "token kappa",
                "relation F1",
            ],
        )
        self.labels = self._table(
            "labels",
            ["label", "span F1 exact", "span F1 overlap", "token kappa", "spans A", "spans B"],
        )
        self.chart = BarChart(self)
        self.note = QLabel("", self)
        self.pairs.currentCellChanged.connect(lambda *_: self._show_pair())
        self._layout()
        self.recompute()

    def _table(self, name: str, headers: list[str]) -> QTableWidget:
        t = QTableWidget(0, len(headers), self)
        t.setObjectName(name)
        t.setHorizontalHeaderLabels(headers)
        t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        t.verticalHeader().setVisible(False)
        return t

    def _layout(self) -> None:
        root = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel("Compare over:", self))
        row.addWidget(self.status_box)
        row.addStretch(1)
        root.addLayout(row)
        root.addWidget(self.pairs, 2)
        root.addWidget(self.labels, 3)
        root.addWidget(self.chart, 3)
        root.addWidget(self.note)
        self.resize(900, 700)

    def recompute(self) -> None:
        # a fresh short-lived connection: the report reads only, the main window keeps its own
        with Project.open(self.project_path) as p:
            self.report = project_agreement(p, status=str(self.status_box.currentData()))
        self._fill(self.pairs, [self._pair_row(x) for x in self.report.pairs])
        self.note.setText(
            ""
            if self.report.pairs
            else "No two annotators share a document yet (merge their packages first)."
        )
        if self.report.pairs:
            self.pairs.selectRow(0)
        self._show_pair()

    @staticmethod
    def _pair_row(x: PairReport) -> list[str]:
        return [
            f"{x.a} - {x.b}",
            str(x.documents),
            str(x.tokens),
            _f(total(x.exact).f1),
            _f(total(x.overlap).f1),
            _f(x.kappa),
            _f(total(x.relations).f1),
        ]

    def selected_pair(self) -> PairReport | None:
        row = self.pairs.currentRow()
        pairs = self.report.pairs if self.report else []
        return pairs[row] if 0 <= row < len(pairs) else None

    def _show_pair(self) -> None:
        pair = self.selected_pair()
        rows, groups = [], []
        for lab in pair.labels if pair else []:
            ex, ov = pair.exact.get(lab, Counts()), pair.overlap.get(lab, Counts())
            kappa = pair.label_kappa.get(lab)
            rows.append([lab, _f(ex.f1), _f(ov.f1), _f(kappa), str(ex.n_a), str(ex.n_b)])
            groups.append((lab, [ex.f1, ov.f1, kappa]))
        self._fill(self.labels, rows)
        self.chart.set_data(groups)

    @staticmethod
    def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
        table.setRowCount(len(rows))
        for r, cells in enumerate(rows):
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                table.setItem(r, c, item)
        table.resizeColumnsToContents()
