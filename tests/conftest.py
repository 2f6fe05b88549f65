"""Shared fixtures: every test gets its own settings folder and, on request, a project."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "projects" / "venezuela-2019"
RUNNING_EXAMPLE = "Russia sent troops to Venezuela to support Nicolas Maduro."


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Redirect per-user settings (and Qt's) away from the real home folder."""
    cfg = tmp_path_factory.mktemp("config")
    monkeypatch.setenv("ANNOTATOR_CONFIG_DIR", str(cfg))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(cfg))
    monkeypatch.setenv("ANNOTATOR_NAME", "tester")
    return cfg


@pytest.fixture
def project(tmp_path: Path):
    """An empty project with the default schema."""
    from annotator.core.store import Project

    p = Project.init(tmp_path / "proj", annotator="tester")
    yield p
    p.close()


@pytest.fixture
def example_doc(project) -> int:
    """The running example of formats.md as document 1 of ``project``."""
    return project.add_document("example.txt", RUNNING_EXAMPLE)


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """A fresh copy of the sample project directory (seed files + project.toml, no database)."""
    dst = tmp_path / "venezuela-2019"
    shutil.copytree(SAMPLE, dst, ignore=shutil.ignore_patterns("project.db*"))
    return dst
