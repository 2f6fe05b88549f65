"""Model menu: train the project's model in the background, show how it scores against the
base, pre-annotate with it, rank documents by its uncertainty.

``install_training(window)`` is the one call the main window makes; everything else stays
in this package (runner: worker thread; dialog + charts: the result).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from annotator.core.edit import EVERY_DOCUMENT, Change
from annotator.gui.training.dialog import TrainResultDialog
from annotator.gui.training.runner import JobRunner, score_job, train_job
from annotator.nlp.train import frozen_note

STEPS = 1000  # progress dialog resolution


class TrainingController(QObject):
    """Owns the Model menu's actions and the runs they start (one at a time)."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.runner = JobRunner(self)
        self.train_options: dict[str, Any] = {}  # TrainOptions fields (tests keep runs tiny)
        self.progress_dialog: QProgressDialog | None = None
        self.result_dialog: TrainResultDialog | None = None
        self.preannotate_runner: Any = None
        self.last_result: dict[str, Any] | None = None
        self._kind = ""
        a = window.actions
        a["train_model"].triggered.connect(self.train)
        a["preannotate_project_model"].triggered.connect(lambda: self.preannotate("project:latest"))
        a["score_uncertainty"].triggered.connect(self.score)
        self.runner.progress.connect(self._on_progress)
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self._on_failed)
        window.installEventFilter(self)  # closing the window stops a run first

    # ---- commands ------------------------------------------------------------------------
    def train(self) -> None:
        note = frozen_note()
        if note:
            QMessageBox.information(self.window, "Train", note[0].upper() + note[1:] + ".")
            return
        self._start("train", "Training the project's model", train_job(**self.train_options))

    def score(self) -> None:
        self._start("score", "Scoring uncertainty", score_job())

    def preannotate(self, model: str) -> None:
        """Pre-annotate the unfinished documents with ``model`` (gazetteer and memory too)."""
        from annotator.gui.jobs.preannotate import PreannotateRunner

        if self.preannotate_runner is not None:
            return
        w = self.window
        runner = PreannotateRunner(self)
        dialog = QProgressDialog(f"Pre-annotating with {model}…", "Cancel", 0, 0, w)
        dialog.setWindowTitle("Pre-annotation")
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(runner.cancel)
        runner.progress.connect(lambda done, total: (dialog.setMaximum(total), dialog.setValue(done))
                                if total else None)
        runner.finished.connect(lambda summary: self._preannotated(summary, dialog))
        runner.failed.connect(lambda message: self._preannotated({"failed": message}, dialog))
        self.preannotate_runner = runner
        dialog.show()
        runner.start(w.project.path, w.project.annotator, model=model)

    # ---- runs ----------------------------------------------------------------------------
    def _start(self, kind: str, title: str, job: Any) -> None:
        if self.runner.is_running():
            return
        w = self.window
        dialog = QProgressDialog(f"{title}: starting…", "Cancel", 0, STEPS, w)
        dialog.setWindowTitle(title)
        dialog.setWindowModality(Qt.WindowModality.NonModal)  # annotating goes on meanwhile
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self._cancel)
        self.progress_dialog, self._kind = dialog, kind
        dialog.show()
        self.runner.start(w.project.path, w.project.annotator, job)
        w.status.showMessage(f"{title} in the background…", 4000)

    def _cancel(self) -> None:
        self.runner.cancel()
        if self.progress_dialog is not None:
            self.progress_dialog.setLabelText("Cancelling…")

    def _on_progress(self, message: str, fraction: float) -> None:
        d = self.progress_dialog
        if d is not None and not d.wasCanceled():
            d.setLabelText(message[0].upper() + message[1:])
            d.setValue(int(fraction * STEPS))

    def _close_progress(self) -> None:
        if self.progress_dialog is not None:
            self.progress_dialog.close()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None

    def _on_finished(self, result: dict) -> None:
        self._close_progress()
        w = self.window
        if result.get("cancelled"):
            w.status.showMessage("Cancelled: nothing was written", 6000)
            return
        if self._kind == "score":
            from annotator.gui.docks.documents import UNCERTAIN

            w.docs.filter.setCurrentIndex(UNCERTAIN)  # show what the scores are for
            w.editor.session.announce(Change(documents=frozenset({EVERY_DOCUMENT})))
            w.status.showMessage(f"Scored {result['scored']} unfinished documents with"
                                 f" {result['model']} (Documents: Most uncertain first)", 8000)
            return
        self.last_result = result
        micro = result["trained_scores"]["micro"]["f"]
        w.status.showMessage(f"Trained {result['tag']}: held-out F {micro:.2f}", 8000)
        self.result_dialog = TrainResultDialog(result, w)
        self.result_dialog.preannotateRequested.connect(self.preannotate)
        self.result_dialog.open()

    def _on_failed(self, message: str) -> None:
        self._close_progress()
        QMessageBox(QMessageBox.Icon.Warning, "Model", message, parent=self.window).open()

    def _preannotated(self, summary: dict, dialog: QProgressDialog) -> None:
        dialog.close()
        dialog.deleteLater()
        self.preannotate_runner = None
        w = self.window
        if summary.get("failed"):
            w.status.showMessage(f"Pre-annotation: {summary['failed']}", 8000)
            return
        w.status.set_model_state(f"ready: {summary['model']}")
        w.status.showMessage(f"Pre-annotated with {summary['model']}: {summary['suggested']}"
                             f" suggestions in {summary['documents']} documents", 8000)
        w.editor.session.announce(Change(documents=frozenset({EVERY_DOCUMENT})))  # one hook

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.window and event.type() == QEvent.Type.Close:
            self.runner.stop()
            if self.preannotate_runner is not None:
                self.preannotate_runner.stop()
        return False


def install_training(window: QWidget) -> TrainingController:
    """Connect the Model menu of ``window`` (a MainWindow) to training; returns the controller."""
    return TrainingController(window)
