"""Training (and uncertainty scoring) in a worker thread: progress, cancel, window live.

Like pre-annotation, the worker opens its own Project connection (SQLite connections
belong to one thread) and talks to the GUI thread only through signals. Cancelling takes
effect between training batches; a cancelled run writes nothing (see ``train.loop``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from annotator.core.errors import AnnotatorError

Job = Callable[[Any, Callable[[str, float], None], Callable[[], bool]], dict]


class _Worker(QObject):
    progress = Signal(str, float)
    finished = Signal(dict)
    failed = Signal(str)

    def __init__(self, project_path: Path, annotator: str, job: Job, stop: threading.Event) -> None:
        super().__init__()
        self._path, self._annotator, self._job, self._stop = project_path, annotator, job, stop

    @Slot()
    def run(self) -> None:
        from annotator.core.store import Project
        from annotator.nlp.train.loop import TrainCancelled

        try:
            with Project.open(self._path, annotator=self._annotator) as project:
                result = self._job(project, self.progress.emit, self._stop.is_set)
        except TrainCancelled:
            self.finished.emit({"cancelled": True})
        except AnnotatorError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # noqa: BLE001 - a worker must report, never die silently
            self.failed.emit(f"internal error: {type(exc).__name__}: {exc}")
        else:
            self.finished.emit(result)


def train_job(**options: Any) -> Job:
    """A job that trains with ``TrainOptions(**options)``; its result is a plain dict."""

    def run(project: Any, progress: Callable[[str, float], None], stop: Callable[[], bool]) -> dict:
        from annotator.nlp.train.loop import TrainOptions, train_project

        result = train_project(project, TrainOptions(**options), on_progress=progress,
                               should_stop=stop)
        out = asdict(result)
        out["model_dir"] = str(result.model_dir)
        out["tag"] = f"project:{result.model_dir.name}"
        out["cancelled"] = False
        return out

    return run


def score_job(model: str = "project:latest") -> Job:
    def run(project: Any, progress: Callable[[str, float], None], stop: Callable[[], bool]) -> dict:
        from annotator.nlp.train.uncertainty import score_documents

        n = score_documents(project, model=model, should_stop=stop, on_progress=lambda done, total:
                            progress(f"scoring: {done} of {total} documents",
                                     done / total if total else 1.0))
        return {"scored": n, "model": model, "cancelled": bool(stop())}

    return run


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
