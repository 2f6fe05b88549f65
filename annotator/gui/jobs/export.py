"""File > Export: choose a format and options, export in a worker thread with a progress bar.

The export is a ``Job`` (jobs/worker.py): a ``QThread`` with its own ``Project``
connection (a connection is not shared across threads; WAL lets both read), so the
window stays responsive on a 100k-document project. Progress ticks are throttled before they cross threads.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import Qt, QThread, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from annotator.core.store import Project
from annotator.gui.jobs.worker import Job, start_job
from annotator.gui.state.statuses import DONE
from annotator.io.export import ExportOptions, export_project
from annotator.io.formats import export_menu

# format -> (menu text, default output suffix; "" means a folder)
FORMATS: dict[str, tuple[str, str]] = export_menu()  # the format registry
TICK_SECONDS = 0.05  # at most ~20 progress signals a second cross the thread boundary


class ExportWorker(Job):
    """One export; ``finished`` carries the summary text, ``progress`` documents done."""

    def __init__(self, project_path: Path, fmt: str, output: Path, opts: ExportOptions) -> None:
        super().__init__(project_path)
        self.fmt, self.output, self.opts = fmt, output, opts
        self.count = 0
        self.last = 0.0

    def work(self, project: Project) -> str:
        summary = export_project(project, self.fmt, self.output, self.opts, on_doc=self._tick)
        self.progress.emit(self.count, 0)
        return summary.text()

    def _tick(self) -> None:
        self.count += 1
        now = time.monotonic()
        if now - self.last >= TICK_SECONDS:
            self.last = now
            self.progress.emit(self.count, 0)


class ExportDialog(QDialog):
    """Export the project at ``project_path``; ``exportFinished`` carries the summary."""

    exportFinished = Signal(str)
    exportFailed = Signal(str)

    def __init__(self, project_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project_path = Path(project_path)
        self.setWindowTitle("Export training data")
        self._thread: QThread | None = None
        self._worker: ExportWorker | None = None
        self._output_edited = False
        with Project.open(self.project_path) as project:
            self._name = project.name
            self._labels = list(project.schema.labels)
            self._layers = [x for x in project.layers() if x]
            self._counts = {DONE: project.count_documents(status=DONE),
                            "all": project.count_documents()}
        self._build()
        self._suggest_output()

    # ---- layout --------------------------------------------------------------------------
    def _build(self) -> None:
        form = QFormLayout()
        self.format_box = QComboBox(objectName="format")
        for fmt, (text, _) in FORMATS.items():
            self.format_box.addItem(text, fmt)
        self.format_box.currentIndexChanged.connect(self._suggest_output)
        form.addRow("&Format:", self.format_box)
        form.addRow("&Output:", self._output_row())
        self.status_box = QComboBox(objectName="status")
        self.status_box.addItem("done documents, accepted spans", DONE)
        self.status_box.addItem("all documents, suggestions too", "all")
        form.addRow("&Documents:", self.status_box)
        self.layer_box = QComboBox(objectName="layer")
        self.layer_box.addItem("gold (adjudicated)", None)
        for layer in self._layers:
            self.layer_box.addItem(f"annotator {layer}", layer)
        form.addRow("&Layer:", self.layer_box)
        form.addRow("&Split:", self._split_row())
        self.labels_list = QListWidget(objectName="labels")
        for label in self._labels:
            item = QListWidgetItem(label)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.labels_list.addItem(item)
        self.labels_list.setMaximumHeight(120)
        form.addRow("&Labels:", self.labels_list)
        self.progress = QProgressBar(objectName="progress")
        self.progress.setValue(0)
        self.error = QLabel(objectName="error")
        self.error.setStyleSheet("color: #C0392B")
        self.error.setWordWrap(True)
        self.summary = QPlainTextEdit(objectName="summary", readOnly=True)
        self.summary.setMinimumHeight(110)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.export_button = buttons.addButton("&Export", QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button.setObjectName("export")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        for w in (self.progress, self.error, self.summary, buttons):
            layout.addWidget(w)

    def _output_row(self) -> QWidget:
        row = QWidget()
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        self.output_edit = QLineEdit(objectName="output")
        self.output_edit.textEdited.connect(self._mark_edited)
        browse = QPushButton("&Browse…", objectName="browse")
        browse.clicked.connect(self._browse)
        box.addWidget(self.output_edit, 1)
        box.addWidget(browse)
        return row

    def _split_row(self) -> QWidget:
        row = QWidget()
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        self.split_spin = QDoubleSpinBox(objectName="split")
        self.split_spin.setRange(0.0, 0.95)
        self.split_spin.setSingleStep(0.05)
        self.split_spin.setDecimals(2)
        self.split_spin.setSpecialValueText("no split")  # 0 = everything in one file
        self.seed_spin = QSpinBox(objectName="seed")
        self.seed_spin.setRange(0, 2**31 - 1)
        box.addWidget(self.split_spin)
        box.addWidget(QLabel("train fraction, seed"))
        box.addWidget(self.seed_spin)
        return row

    # ---- choices ---------------------------------------------------------------------------
    def fmt(self) -> str:
        return str(self.format_box.currentData())

    def options(self) -> ExportOptions:
        checked = [self.labels_list.item(i).text() for i in range(self.labels_list.count())
                   if self.labels_list.item(i).checkState() == Qt.CheckState.Checked]
        split = self.split_spin.value()
        return ExportOptions(
            status=str(self.status_box.currentData()),
            layer=self.layer_box.currentData(),
            split=split if split > 0 else None,
            seed=self.seed_spin.value(),
            labels=None if len(checked) == len(self._labels) else checked,
        )

    def _mark_edited(self) -> None:
        self._output_edited = True

    def _suggest_output(self) -> None:
        """A default path next to the project, until the user types or browses one."""
        if self._output_edited:
            return
        suffix = FORMATS[self.fmt()][1]
        self.output_edit.setText(str(self.project_path / "exports" / f"{self._name}{suffix}"))

    def _browse(self) -> None:
        current = self.output_edit.text()
        if FORMATS[self.fmt()][1]:
            path, _ = QFileDialog.getSaveFileName(self, "Export to", current)
        else:
            path = QFileDialog.getExistingDirectory(self, "Export into folder", current)
        if path:
            self.output_edit.setText(path)
            self._output_edited = True

    # ---- running ---------------------------------------------------------------------------
    @Slot()
    def start(self) -> None:
        if self.running():
            return
        output = self.output_edit.text().strip()
        opts = self.options()
        if not output:
            self._fail("choose an output file or folder")
            return
        if opts.labels == []:
            self._fail("tick at least one label")
            return
        self.error.clear()
        self.summary.clear()
        self.progress.setRange(0, max(self._counts[opts.status], 1))
        self.progress.setValue(0)
        self.export_button.setEnabled(False)
        self._run(Path(output).expanduser(), opts)

    def _run(self, output: Path, opts: ExportOptions) -> None:
        worker = ExportWorker(self.project_path, self.fmt(), output, opts)
        worker.progress.connect(self._progressed)
        worker.finished.connect(self._succeeded)
        worker.failed.connect(self._fail)
        self._worker = worker
        self._thread = start_job(worker, self, on_ended=self._cleanup)

    def running(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    def _progressed(self, done: int, _total: int) -> None:
        self.progress.setValue(done)

    def _succeeded(self, text: str) -> None:
        self.progress.setValue(self.progress.maximum())
        self.summary.setPlainText(text)
        self.exportFinished.emit(text)

    def _fail(self, message: str) -> None:
        self.error.setText(message.splitlines()[0] if message else "export failed")
        self.exportFailed.emit(message)

    def _cleanup(self) -> None:
        self.export_button.setEnabled(True)
        if self._worker is not None:
            self._worker.deleteLater()
        if self._thread is not None:
            self._thread.deleteLater()
        self._thread = self._worker = None

    def done(self, result: int) -> None:  # closing waits for a running export
        if self._thread is not None:
            self._thread.wait()
        super().done(result)
