"""Bridges to teammates' modules (import, pre-annotation, export), imported lazily.

Each is imported inside the command, so a missing or broken module costs nothing at
start-up and shows a message instead of taking the window down.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox, QWidget

from annotator.core.store import Project


def load(module: str, parent: QWidget | None, what: str) -> ModuleType | None:
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        QMessageBox.information(parent, what, f"{what} is not available in this build ({exc}).")
        return None


def import_files(parent: QWidget, project: Project, paths: list[Path]) -> Any:
    """Import files and folders; returns the ImportReport (or None when unavailable)."""
    mod = load("annotator.io.importer", parent, "Import")
    if mod is None:
        return None
    return mod.import_paths(project, mod.collect_files(paths))


def preannotate_with_dialog(
    parent: QWidget, project: Project, on_finished: Callable[[dict], None]
) -> QObject | None:
    mod = load("annotator.gui.jobs.preannotate", parent, "Pre-annotation")
    if mod is None:
        return None
    runner = mod.run_preannotation_with_dialog(parent, str(project.path), project.annotator)
    if runner is not None:
        runner.finished.connect(on_finished)
    return runner


def preannotate_in_background(
    parent: QWidget,
    project: Project,
    on_finished: Callable[[dict], None],
    on_progress: Callable[..., None] | None = None,
) -> QObject | None:
    """Start the pre-annotation runner without a modal dialog (first open of a new project)."""
    try:
        mod = importlib.import_module("annotator.gui.jobs.preannotate")
    except ImportError:
        return None  # no model support in this build: the project opens unannotated
    start = getattr(mod, "start_preannotation", None) or getattr(mod, "PreannotationRunner", None)
    if start is None:
        return None
    runner = start(str(project.path), project.annotator, parent=parent)
    runner.finished.connect(on_finished)
    failed = getattr(runner, "failed", None)
    if failed is not None:  # no model installed, etc.: the window works on without it
        failed.connect(lambda message: on_finished({"failed": message}))
    progress = getattr(runner, "progress", None)
    if on_progress is not None and progress is not None:
        progress.connect(on_progress)
    if hasattr(runner, "start"):
        runner.start()
    return runner


def export_dialog(parent: QWidget, project: Project) -> None:
    mod = load("annotator.gui.jobs.export", parent, "Export")
    if mod is not None:
        mod.ExportDialog(str(project.path), parent).exec()


def agreement_dialog(parent: QWidget, project: Project) -> None:
    mod = load("annotator.gui.team.agreement", parent, "Agreement")
    if mod is not None:
        mod.AgreementDialog(project.path, parent).exec()


def adjudicate(parent: QWidget, project: Project, doc_id: int | None,
               on_changed: Callable[[int], None]) -> None:
    """Open the adjudication view on a document; ``on_changed`` reloads it after gold edits."""
    if doc_id is None:
        QMessageBox.information(parent, "Adjudicate", "Open a document first.")
        return
    mod = load("annotator.gui.team.adjudication", parent, "Adjudication")
    if mod is None:
        return
    dlg = mod.AdjudicationDialog(project.path, doc_id, parent, annotator=project.annotator)
    dlg.changed.connect(on_changed)
    dlg.exec()
