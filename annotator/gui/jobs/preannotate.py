"""Pre-annotation from the window: a worker thread, progress, cancel.

The run (model loading included, ~1-2 s) is a ``Job`` (jobs/worker.py): a QThread with
its own Project connection (SQLite connections belong to one thread), so the window
never blocks.
Cancelling stops between batches; every finished batch is already committed, so the
project is consistent at any point (each document fully suggested or untouched).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from annotator.core.store import Project
from annotator.gui.jobs.worker import Job, start_job


class _Preannotate(Job):
    def __init__(self, project_path: Path, annotator: str, model: str | None,
                 stop: threading.Event, options: dict[str, Any]) -> None:
        super().__init__(project_path, annotator=annotator)
        self._model, self._stop, self._options = model, stop, options

    def work(self, project: Project) -> dict:
        from annotator.nlp.preannotate import Options, preannotate_project  # spaCy: on demand

        summary = preannotate_project(
            project, Options(model=self._model, n_process=1, **self._options),
            on_progress=self.progress.emit, should_stop=self._stop.is_set,
        )
        return summary.to_dict()


class PreannotateRunner(QObject):
    """Pre-annotates a project in the background.

    Signals: ``progress(done, total)`` (``total`` 0 while the model loads),
    ``finished(summary)`` (``summary["cancelled"]`` tells a cancelled run) and
    ``failed(message)``. Exactly one of finished/failed follows each start.
    """

    progress = Signal(int, int)
    finished = Signal(dict)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None, **options: Any) -> None:
        super().__init__(parent)
        self._options = options  # extra preannotate Options fields, e.g. batch_size (tests)
        self._stop = threading.Event()
        self._thread: QThread | None = None
        self._worker: _Preannotate | None = None

    def is_running(self) -> bool:
        return self._thread is not None

    def start(self, project_path: Path | str | None = None, annotator: str = "", *,
              model: str | None = None) -> None:
        """Start a run (a second call while one runs does nothing)."""
        if self._thread is not None or project_path is None:
            return
        self._stop.clear()
        worker = _Preannotate(Path(project_path), annotator, model, self._stop, self._options)
        worker.progress.connect(self.progress)
        worker.finished.connect(self._on_finished)
        worker.failed.connect(self._on_failed)
        self.progress.emit(0, 0)
        self._thread, self._worker = start_job(worker), worker

    def cancel(self) -> None:
        """Ask the run to stop after the current batch; ``finished`` follows."""
        self._stop.set()

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until the worker thread ended (for shutting the window down)."""
        return self._thread.wait(msecs) if self._thread is not None else True

    def stop(self, msecs: int = 30_000) -> bool:
        """Cancel and block until the worker has returned (window closing, app quitting).

        The current batch finishes and is committed, as with cancel(); a model still
        loading finishes loading first. True when the thread has ended.
        """
        self.cancel()
        return self.wait(msecs)

    @Slot(object)
    def _on_finished(self, summary: dict) -> None:
        self._stop_thread()
        self.finished.emit(summary)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._stop_thread()
        self.failed.emit(message)

    def _stop_thread(self) -> None:
        thread, self._thread, self._worker = self._thread, None, None
        if thread is not None:
            thread.quit()
            thread.wait()  # the worker has returned already: this takes milliseconds


def start_preannotation(project_path: Path | str, annotator: str, *,
                        parent: QObject | None = None, model: str | None = None,
                        ) -> PreannotateRunner:
    """A runner already started, without a dialog (first open of a new project)."""
    runner = PreannotateRunner(parent)
    runner.start(project_path, annotator, model=model)
    return runner


def run_preannotation_with_dialog(parent: QWidget, project_path: Path | str,
                                  annotator: str) -> PreannotateRunner:
    """Start a run with a window-modal progress dialog that can cancel it."""
    dialog = QProgressDialog("Loading the spaCy model…", "Cancel", 0, 0, parent)
    dialog.setWindowTitle("Pre-annotation")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    runner = PreannotateRunner(parent)
    runner.dialog = dialog  # type: ignore[attr-defined]  # keeps it alive with the runner

    def on_progress(done: int, total: int) -> None:
        if total:
            dialog.setMaximum(total)
            dialog.setValue(done)
            dialog.setLabelText(f"Pre-annotating: {done} of {total} documents")

    def on_failed(message: str) -> None:
        dialog.close()
        QMessageBox(QMessageBox.Icon.Warning, "Pre-annotation", message,
                    parent=parent).open()

    dialog.canceled.connect(runner.cancel)
    runner.progress.connect(on_progress)
    runner.finished.connect(lambda _summary: dialog.close())
    runner.failed.connect(on_failed)
    dialog.show()
    runner.start(project_path, annotator)
    return runner
