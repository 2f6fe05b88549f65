"""The window on a read-only project shows a banner; a pending first pre-annotation resumes."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from annotator.core import firstrun
from annotator.core.store import Project
from annotator.gui import app
from annotator.gui.main_window import MainWindow

pytestmark = pytest.mark.gui


def _project(tmp_path: Path) -> Path:
    with Project.init(tmp_path / "p", annotator="tester") as p:
        p.add_document("a.txt", "Russia sent troops to Venezuela.")
        firstrun.mark(p, firstrun.FIRST_PREANNOTATION, firstrun.PENDING)
    return tmp_path / "p"


def test_read_only_project_shows_a_banner(qtbot: Any, tmp_path: Path, monkeypatch) -> None:
    path = _project(tmp_path)
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if mode == os.W_OK
                        else real(p, mode, **kw))
    started: list[bool] = []
    monkeypatch.setattr(MainWindow, "start_background_preannotation",
                        lambda self: started.append(True))
    app.ensure_app()
    window = app.open_window(path, annotator="tester")
    qtbot.addWidget(window)
    window.show()
    qtbot.wait(50)
    assert window.project.read_only
    assert window.banner.isVisible() and "Read-only" in window.banner.text()
    assert started == []  # nothing is written to a read-only project
    window.project.close()


def test_a_pending_first_preannotation_is_started_again(qtbot: Any, tmp_path: Path,
                                                        monkeypatch) -> None:
    path = _project(tmp_path)
    started: list[bool] = []
    monkeypatch.setattr(MainWindow, "start_background_preannotation",
                        lambda self: started.append(True))
    app.ensure_app()
    window = app.open_window(path, annotator="tester")  # not created now: opened again
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: started == [True], timeout=3000)
    assert not window.banner.isVisible()
    window.project.close()
