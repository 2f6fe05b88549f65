"""Opening a project the way the CLI and the GUI both do it.

A project directory may ship its corpus next to its ``project.toml`` (the sample
project does): ``import_on_create = ["*.txt"]`` imports those files the first time
the project is opened, so the database itself is never committed.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path, PurePath

from annotator.core.errors import ProjectError
from annotator.core.firstrun import DONE, FIRST_PREANNOTATION, PENDING, SEED, mark, pending
from annotator.core.store import CONFIG_NAME, DB_NAME, Project, project_dir, read_config


def open_project(
    path: Path, *, annotator: str = "", create: bool = False, preannotate: bool = False
) -> Project:
    """Open PROJECT; a directory with a project.toml but no database is created and seeded.

    Seeding and the first pre-annotation are recorded as done only when they complete:
    a first open that was killed, or quit during its first pre-annotation, is completed
    by the next open. With ``preannotate``, a pending first pre-annotation runs here,
    synchronously (the CLI; the GUI runs it in the background).
    """
    if path.suffix == ".annpack" and path.is_file():  # a volunteer's work package: unpack once
        from annotator.io.packs import open_package

        path = open_package(path)
    d = project_dir(path)
    seedable = (d / CONFIG_NAME).exists() and not (d / DB_NAME).exists()
    project = Project.open(d, create=create or seedable, annotator=annotator)
    try:
        if not project.read_only and _seed_pending(project, fresh=seedable):
            added = seed_project(project)
            if added and project.config.get("preannotate_on_create"):
                mark(project, FIRST_PREANNOTATION, PENDING)
            mark(project, SEED, DONE)
        if preannotate and needs_first_preannotation(project):
            from annotator.nlp.preannotate import preannotate_project

            preannotate_project(project)
    except BaseException:
        project.close()
        raise
    return project


def _seed_pending(project: Project, *, fresh: bool) -> bool:
    state = project.meta_value(SEED)
    if fresh:
        mark(project, SEED, PENDING)  # before the first file: a kill resumes
        return True
    if state == PENDING:
        return True
    # Killed between creating the database and the mark: nothing imported yet.
    return state is None and bool(project.config.get("import_on_create")) and (
        project.count_documents() == 0
        and not project.conn.execute("SELECT 1 FROM edit_log LIMIT 1").fetchone())


def needs_first_preannotation(project: Project) -> bool:
    """Whether the first pre-annotation of a seeded project has yet to complete."""
    return pending(project, FIRST_PREANNOTATION)


def seed_project(project: Project) -> int:
    """Import the files named by ``import_on_create``; returns documents added.

    Importing again is safe: a document already stored is a duplicate, not a copy.
    """
    from annotator.io.importer import import_paths

    patterns = read_config(project.path).get("import_on_create") or []
    if isinstance(patterns, str):
        patterns = [patterns]
    files = seed_files(project.path, patterns)
    if not files:
        return 0
    # Text only: tokens would import spaCy (~0.7 s) before the window shows; the
    # pre-annotation that follows a first open stores them (ensure_tokens otherwise).
    report = import_paths(project, files, with_tokens=False)
    if not report.imported and report.skipped and not report.duplicates:
        raise ProjectError(f"could not import the sample files: {report.skipped[0][1]}")
    return len(report.imported) + len(report.duplicates)


def seed_files(folder: Path, patterns: list[str]) -> list[Path]:
    """Files the patterns name inside ``folder``: never an absolute path, a ``..`` or a
    link that leads out (a shared project folder must not read /etc/passwd into a
    document, nor ship it in a work package)."""
    root = folder.resolve()
    found: set[Path] = set()
    for pat in patterns:
        parts = PurePath(pat.replace("\\", "/")).parts
        if PurePath(pat).is_absolute() or pat.startswith(("/", "\\")) or ".." in parts or (
                parts and ":" in parts[0]):
            raise ProjectError(f"{folder / CONFIG_NAME}: import_on_create pattern {pat!r}"
                               " must name files inside the project folder")
        for f in folder.glob(pat):
            real = f.resolve()
            if real.is_file() and real.is_relative_to(root) and real != root / DB_NAME:
                found.add(f)
    return sorted(found)


def writable_project_dir(bundled: Path, copies: Path) -> Path:
    """``bundled`` if its database can be written there, else a copy under ``copies``.

    The sample project ships beside the executable. In an unpacked Linux or Windows
    folder it is opened in place (and travels with a portable install); inside a macOS
    ``.app`` (signed, often in /Applications) or a read-only install, writing the database
    there would break the signature or fail, so its project.toml and corpus are copied
    once into ``copies`` (the settings folder) and the copy is what opens from then on.
    """
    if not _inside_app_bundle(bundled) and _writable(bundled):
        return bundled
    target = copies / bundled.name
    if not (target / CONFIG_NAME).exists():
        target.mkdir(parents=True, exist_ok=True)
        for f in sorted(bundled.iterdir()):
            if f.is_file() and not f.name.startswith(DB_NAME):
                shutil.copy2(f, target / f.name)
    return target


def _inside_app_bundle(path: Path) -> bool:
    return any(part.endswith(".app") for part in path.resolve().parts[:-1])


def _writable(folder: Path) -> bool:
    """Whether a file can be created in ``folder`` (tried, not guessed from mode bits)."""
    try:
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError:
        return False
