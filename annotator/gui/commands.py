"""Window commands bound to the io, nlp and team work: import, pre-annotate, export,
agreement, adjudication.

Plain imports, no probing: every module named here ships in every build. The dialogs
and the importer are imported inside their command (they cost ~50-200 ms of start-up
and are not needed before the window shows); import-linter still reads those imports.
Each function is what one menu command does; the main window only routes to it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget

from annotator.core.store import Project
from annotator.gui.jobs.preannotate import (
    PreannotateRunner,
    run_preannotation_with_dialog,
    start_preannotation,
)

if TYPE_CHECKING:
    from annotator.io.importer import ImportReport


def import_files(project: Project, paths: list[Path]) -> ImportReport:
    """Import files and folders into ``project``; the report says what was stored."""
    from annotator.io.importer import collect_files, import_paths  # start-up time

    return import_paths(project, collect_files(paths))


def preannotate_with_dialog(parent: QWidget, project: Project,
                            on_finished: Callable[[dict], None]) -> PreannotateRunner:
    """File > Pre-annotate: a run with a progress dialog that can cancel it."""
    runner = run_preannotation_with_dialog(parent, str(project.path), project.annotator)
    runner.finished.connect(on_finished)
    return runner


def preannotate_in_background(
    parent: QWidget,
    project: Project,
    on_finished: Callable[[dict], None],
    on_progress: Callable[..., None] | None = None,
) -> PreannotateRunner:
    """Start pre-annotation without a modal dialog (first open of a new project)."""
    runner = start_preannotation(str(project.path), project.annotator, parent=parent)
    runner.finished.connect(on_finished)
    # no model installed, etc.: the window works on without it
    runner.failed.connect(lambda message: on_finished({"failed": message}))
    if on_progress is not None:
        runner.progress.connect(on_progress)
    return runner


def export_dialog(parent: QWidget, project: Project) -> None:
    from annotator.gui.jobs.export import ExportDialog  # start-up time

    ExportDialog(project.path, parent).exec()


def agreement_dialog(parent: QWidget, project: Project) -> None:
    from annotator.gui.team.agreement import AgreementDialog  # start-up time

    AgreementDialog(project.path, parent).exec()


def adjudicate(parent: QWidget, project: Project, doc_id: int | None,
               on_changed: Callable[[int], None]) -> None:
    """Open the adjudication view on a document; ``on_changed`` reloads it after gold edits."""
    if doc_id is None:
        QMessageBox.information(parent, "Adjudicate", "Open a document first.")
        return
    from annotator.gui.team.adjudication import AdjudicationDialog  # start-up time

    dlg = AdjudicationDialog(project.path, doc_id, parent, annotator=project.annotator)
    dlg.changed.connect(on_changed)
    dlg.exec()
