"""The first open of a seeded project: its steps are recorded as done only when complete.

A project shipped as a folder of files (the sample) is seeded on its first open, then
pre-annotated. Each step is marked "pending" in the project meta before it starts and
"done" after it ends, so a first open that is killed, or quit during its pre-annotation,
is completed by the next open instead of leaving the project without documents or
suggestions for good.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from annotator.core.store import Project

SEED = "seed"  # import_on_create
FIRST_PREANNOTATION = "first_preannotation"
PENDING, DONE = "pending", "done"


def state(project: Project, step: str) -> str | None:
    return project.meta_value(step)


def mark(project: Project, step: str, value: str) -> None:
    project.set_meta_value(step, value)


def pending(project: Project, step: str) -> bool:
    return not project.read_only and project.meta_value(step) == PENDING


def finish(project: Project, step: str) -> None:
    """Mark ``step`` done if it was pending (a run that completed)."""
    if pending(project, step):
        mark(project, step, DONE)
