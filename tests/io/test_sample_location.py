"""Where the bundled sample project opens: in place when writable, else a copy."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from annotator.io import projects
from annotator.io.projects import open_project, writable_project_dir

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "projects" / "venezuela-2019"


def _bundle(tmp_path: Path, where: str) -> Path:
    bundled = tmp_path / where / "projects" / SAMPLE.name
    shutil.copytree(SAMPLE, bundled, ignore=shutil.ignore_patterns("project.db*"))
    return bundled


def test_writable_folder_opens_in_place(tmp_path: Path) -> None:
    bundled = _bundle(tmp_path, "annotator")
    assert writable_project_dir(bundled, tmp_path / "settings" / "projects") == bundled


def test_inside_a_macos_app_the_sample_is_copied_once(tmp_path: Path) -> None:
    bundled = _bundle(tmp_path, "Annotator.app/Contents/MacOS")
    copies = tmp_path / "settings" / "projects"
    target = writable_project_dir(bundled, copies)
    assert target == copies / SAMPLE.name
    assert sorted(p.name for p in target.iterdir()) == sorted(p.name for p in bundled.iterdir())
    with open_project(target, annotator="tester") as p:  # seeded from the copy, db beside it
        assert p.stats()["documents"] == 5
    assert (target / "project.db").exists() and not (bundled / "project.db").exists()
    # Second start: the copy (with its annotations) is reused, not overwritten.
    (bundled / "extra.txt").write_text("new in a later release", encoding="utf-8")
    assert writable_project_dir(bundled, copies) == target
    assert not (target / "extra.txt").exists()


def test_read_only_install_gets_a_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundled = _bundle(tmp_path, "opt/annotator")
    # (tests may run as root, for whom chmod 555 is no obstacle: ask the check directly)
    monkeypatch.setattr(projects, "_writable", lambda folder: folder != bundled)
    target = writable_project_dir(bundled, tmp_path / "cfg" / "projects")
    assert target == tmp_path / "cfg" / "projects" / SAMPLE.name
    assert (target / "project.toml").is_file()
