"""Running a training or scoring job in a child process, reporting through a queue.

The window starts jobs this way: spaCy holds the GIL for long stretches (loading a
model: ~0.3 s; predicting a batch), which in a thread of the GUI process freezes the
window; a child process cannot. Messages on the queue: ("progress", message, fraction),
then exactly one ("finished", result) or ("failed", message). ``stop`` (an Event) cancels
between training batches; a cancelled run finishes with ``{"cancelled": True}``.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from annotator.core.errors import AnnotatorError

KINDS = ("train", "score")


def run_job(kind: str, project_path: str, annotator: str, kwargs: dict[str, Any],
            progress: Any, should_stop: Any) -> dict[str, Any]:
    """Run one job in this process; ``progress(message, fraction)``, ``should_stop()``."""
    from annotator.core.store import Project

    if kind not in KINDS:
        raise AnnotatorError(f"unknown job {kind!r}")
    with Project.open(project_path, annotator=annotator) as project:
        if kind == "train":
            from annotator.nlp.train.loop import TrainOptions, train_project

            result = train_project(project, TrainOptions(**kwargs), on_progress=progress,
                                   should_stop=should_stop)
            out = asdict(result)
            out.update(model_dir=str(result.model_dir), tag=f"project:{result.model_dir.name}",
                       cancelled=False)
            return out
        from annotator.nlp.train.uncertainty import score_documents

        model = kwargs.get("model", "project:latest")
        n = score_documents(project, model=model, should_stop=should_stop,
                            on_progress=lambda done, total: progress(
                                f"scoring: {done} of {total} documents",
                                done / total if total else 1.0))
        return {"scored": n, "model": model, "cancelled": bool(should_stop())}


def child_main(kind: str, project_path: str, annotator: str, kwargs: dict[str, Any],
               queue: Any, stop: Any) -> None:
    """Entry point of the child process (``multiprocessing`` spawn target)."""
    from annotator.nlp.train.loop import TrainCancelled

    try:
        result = run_job(kind, project_path, annotator, kwargs,
                         lambda message, fraction: queue.put(("progress", message, fraction)),
                         stop.is_set)
    except TrainCancelled:
        queue.put(("finished", {"cancelled": True}))
    except AnnotatorError as exc:
        queue.put(("failed", str(exc)))
    except Exception as exc:  # noqa: BLE001 - the parent must hear of it, in one line
        queue.put(("failed", f"internal error: {type(exc).__name__}: {exc}"))
    else:
        queue.put(("finished", result))
