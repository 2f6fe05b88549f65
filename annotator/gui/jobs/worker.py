"""One way to run project work in a background thread: ``Job`` and ``start_job``.

A job runs in a ``QThread`` with its own ``Project`` connection (an SQLite connection
belongs to one thread; WAL lets the window's connection read meanwhile) and talks to the
GUI thread only through its signals: ``progress(done, total)``, then exactly one of
``finished(result)`` or ``failed(message)``, a single line, never a traceback.
Pre-annotation and export are both jobs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from annotator.core.errors import AnnotatorError
from annotator.core.store import Project


class Job(QObject):
    """The body of one background run; subclasses implement ``work``."""

    progress = Signal(int, int)  # done, total (0 while unknown)
    finished = Signal(object)  # what ``work`` returned
    failed = Signal(str)  # one line

    def __init__(self, project_path: Path, *, annotator: str = "") -> None:
        super().__init__()
        self.project_path, self.annotator = Path(project_path), annotator

    def work(self, project: Project) -> object:
        """Do the job on this thread's own connection; return the result to hand back."""
        raise NotImplementedError

    @Slot()
    def run(self) -> None:
        try:
            with Project.open(self.project_path, annotator=self.annotator) as project:
                result = self.work(project)
        except AnnotatorError as exc:
            self.failed.emit(str(exc))
        except OSError as exc:
            self.failed.emit(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))
        except Exception as exc:  # a worker must report, never die silently
            self.failed.emit(f"internal error: {type(exc).__name__}: {exc}")
        else:
            self.finished.emit(result)


def start_job(job: Job, parent: QObject | None = None, *,
              on_ended: Callable[[], None] | None = None) -> QThread:
    """Move ``job`` to a new thread and start it; the thread ends when the job does
    (``on_ended`` runs on the GUI thread then)."""
    thread = QThread(parent)
    if on_ended is not None:
        thread.finished.connect(on_ended)
    job.moveToThread(thread)
    thread.started.connect(job.run)
    # Direct: the thread ends as soon as run() returns, even while the GUI thread is
    # blocked waiting for it (a queued quit would wait for the GUI's event loop).
    job.finished.connect(thread.quit, Qt.ConnectionType.DirectConnection)
    job.failed.connect(thread.quit, Qt.ConnectionType.DirectConnection)
    thread.start()
    return thread
