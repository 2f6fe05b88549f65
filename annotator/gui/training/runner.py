"""Training (and uncertainty scoring) in the background: progress, cancel, window live.

A QThread supervises the job, which runs in a child process (``nlp.train.process``):
spaCy holds the GIL for long stretches (loading a model, predicting a batch), which in a
thread of this process would freeze the window for up to a few hundred milliseconds. The
thread waits on the child's queue, relays progress as signals, and passes a cancel on.
The frozen app (no spawnable interpreter) runs the job in the thread itself.
"""

from __future__ import annotations

import multiprocessing
import queue as queue_mod
import sys
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from annotator.core.errors import AnnotatorError

Job = tuple[str, dict[str, Any]]  # (kind, keyword arguments), see nlp.train.process


def train_job(**options: Any) -> Job:
    """Train with ``TrainOptions(**options)``."""
    return ("train", options)


def score_job(model: str = "project:latest") -> Job:
    """Score the unfinished documents' uncertainty with ``model``."""
    return ("score", {"model": model})


class _Worker(QObject):
    progress = Signal(str, float)
    finished = Signal(dict)
    failed = Signal(str)

    def __init__(self, project_path: Path, annotator: str, job: Job, stop: threading.Event) -> None:
        super().__init__()
        self._path, self._annotator, self._job, self._stop = project_path, annotator, job, stop

    @Slot()
    def run(self) -> None:
        try:
            if getattr(sys, "frozen", False):
                self._in_thread()
            else:
                self._in_process()
        except Exception as exc:  # noqa: BLE001 - a worker must report, never die silently
            self.failed.emit(f"internal error: {type(exc).__name__}: {exc}")

    def _in_thread(self) -> None:
        from annotator.nlp.train.loop import TrainCancelled
        from annotator.nlp.train.process import run_job

        kind, kwargs = self._job
        try:
            result = run_job(kind, str(self._path), self._annotator, kwargs, self.progress.emit,
                             self._stop.is_set)
        except TrainCancelled:
            self.finished.emit({"cancelled": True})
        except AnnotatorError as exc:
            self.failed.emit(str(exc))
        else:
            self.finished.emit(result)

    def _in_process(self) -> None:
        from annotator.nlp.train.process import child_main

        ctx = multiprocessing.get_context("spawn")  # fork would copy Qt's threads and state
        messages, stop = ctx.Queue(), ctx.Event()
        kind, kwargs = self._job
        proc = ctx.Process(target=child_main, daemon=True,
                           args=(kind, str(self._path), self._annotator, kwargs, messages, stop))
        proc.start()
        try:
            while True:
                if self._stop.is_set():
                    stop.set()
                try:
                    msg = messages.get(timeout=0.1)
                except queue_mod.Empty:
                    if proc.is_alive():
                        continue
                    try:  # it may have ended right after its last message
                        msg = messages.get(timeout=0.5)
                    except queue_mod.Empty:
                        self.failed.emit(f"the training process ended unexpectedly"
                                         f" (exit code {proc.exitcode})")
                        return
                if msg[0] == "progress":
                    self.progress.emit(msg[1], msg[2])
                elif msg[0] == "finished":
                    self.finished.emit(msg[1])
                    return
                else:
                    self.failed.emit(msg[1])
                    return
        finally:
            proc.join(10)
            if proc.is_alive():
                proc.kill()


class JobRunner(QObject):
    """Runs one job at a time. Signals: ``progress(message, fraction)``, then exactly one of
    ``finished(result)`` (``result["cancelled"]`` tells a cancelled run) or ``failed(message)``."""

    progress = Signal(str, float)
    finished = Signal(dict)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._stop = threading.Event()
        self._thread: QThread | None = None
        self._worker: _Worker | None = None

    def is_running(self) -> bool:
        return self._thread is not None

    def start(self, project_path: Path | str, annotator: str, job: Job) -> bool:
        if self._thread is not None:
            return False
        self._stop.clear()
        thread = QThread()
        worker = _Worker(Path(project_path), annotator, job, self._stop)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.progress.connect(self.progress)
        worker.finished.connect(self._on_finished)
        worker.failed.connect(self._on_failed)
        worker.finished.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        worker.failed.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        self._thread, self._worker = thread, worker
        thread.start()
        return True

    def cancel(self) -> None:
        self._stop.set()

    def stop(self, msecs: int = 60_000) -> bool:
        """Cancel and wait for the worker (window closing)."""
        self.cancel()
        return self._thread.wait(msecs) if self._thread is not None else True

    @Slot(dict)
    def _on_finished(self, result: dict) -> None:
        self._end()
        self.finished.emit(result)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._end()
        self.failed.emit(message)

    def _end(self) -> None:
        thread, self._thread, self._worker = self._thread, None, None
        if thread is not None:
            thread.quit()
            thread.wait()
