"""Start the window: ``annotator [PROJECT]`` ends up in ``run``.

Nothing heavy happens before the window is shown: the spaCy model is only loaded by
pre-annotation, in the background, after ``show()``. This module owns the windows'
lifetime: a window asks for another project with ``projectRequested`` and the app opens
it (a window never opens its successor itself).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.core.errors import AnnotatorError
from annotator.core.paths import app_root, config_dir
from annotator.core.settings import add_recent_project, annotator_name, load_settings, save_settings
from annotator.gui.dialogs import ask_annotator_name
from annotator.gui.main_window import MainWindow

SAMPLE = Path("projects") / "venezuela-2019"
WINDOWS: list[MainWindow] = []  # every window opened, kept alive until the app quits


def ensure_app() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    QCoreApplication.setOrganizationName("geo-annotator")
    QCoreApplication.setApplicationName("Geo Annotator")
    # QSettings holds window geometry only; keep it beside settings.json (tests redirect it)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(config_dir()))
    return app


def resolve_project(project: str | None) -> Path:
    """The argument, else the last project opened, else the sample project."""
    if project:
        return Path(project)
    for recent in load_settings().get("recent_projects", []):
        if Path(recent).is_dir():
            return Path(recent)
    from annotator.io.projects import writable_project_dir

    return writable_project_dir(app_root() / SAMPLE, config_dir() / "projects")


def resolve_annotator(override: str | None) -> str:
    """--annotator, ANNOTATOR_NAME or settings; on a first start, ask once and remember."""
    if override or os.environ.get("ANNOTATOR_NAME") or load_settings().get("annotator"):
        return annotator_name(override)
    name = ask_annotator_name()
    if name:
        save_settings({**load_settings(), "annotator": name})
    return name or annotator_name(None)


def open_window(path: Path, *, annotator: str) -> MainWindow:
    from annotator.io.projects import open_project

    project = open_project(path, annotator=annotator)
    add_recent_project(project.path)
    window = MainWindow(project)
    WINDOWS.append(window)
    window.projectRequested.connect(lambda path: switch_project(window, path))
    if project.created and project.config.get("preannotate_on_create"):
        QTimer.singleShot(0, window.start_background_preannotation)
    return window


def switch_project(window: MainWindow, path: Path) -> MainWindow | None:
    """Open ``path`` in a new window and close ``window``; on failure say why, keep it."""
    try:
        new = open_window(path, annotator=window.project.annotator)
    except Exception as exc:  # any failure to open: tell, keep this one
        QMessageBox.warning(window, "Open project", f"Cannot open {path}:\n{exc}")
        return None
    new.show()
    window.close()
    return new


def run(project: str | None, *, annotator: str | None = None) -> int:
    app = ensure_app()
    name = resolve_annotator(annotator)
    try:
        window = open_window(resolve_project(project), annotator=name)
    except AnnotatorError as exc:
        QMessageBox.critical(None, "Geo Annotator", str(exc))
        return 1
    window.show()
    code = app.exec()
    for w in WINDOWS:
        w.project.close()
    WINDOWS.clear()
    return code
