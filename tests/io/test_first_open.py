"""A first open that is interrupted (killed, or quit during the first pre-annotation) is
completed by the next open; a read-only project opens for reading and says so."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.core.errors import ReadOnlyError
from annotator.core.ops import AddSpan
from annotator.core.store import Project
from annotator.io.projects import needs_first_preannotation, open_project
from annotator.nlp.preannotate import Options, preannotate_project

ROOT = Path(__file__).resolve().parents[2]
N_FILES = 400


def _sample(tmp_path: Path, n: int = N_FILES) -> Path:
    d = tmp_path / "sample"
    d.mkdir()
    for i in range(n):
        (d / f"a{i:03d}.txt").write_text(f"Article {i}: Russia sent troops to Venezuela.",
                                         encoding="utf-8")
    (d / "project.toml").write_text('name = "s"\nmodel = "blank"\nimport_on_create = ["*.txt"]\n'
                                    "preannotate_on_create = true\n", encoding="utf-8")
    return d


def _count(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.2)
        try:
            return conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def test_a_first_open_killed_while_seeding_is_completed_next_time(tmp_path: Path) -> None:
    d = _sample(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "annotator", "stats", str(d)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None and _count(d / "project.db") < 5:
        time.sleep(0.005)
    assert proc.poll() is None, "the first open finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 0 < _count(d / "project.db") < N_FILES
    with open_project(d, preannotate=True) as p:  # the CLI's open
        assert p.count_documents() == N_FILES
        assert p.stats()["spans"] > 0  # and its first pre-annotation ran
        assert not needs_first_preannotation(p)


def test_a_cancelled_first_preannotation_is_resumed(tmp_path: Path) -> None:
    d = _sample(tmp_path, 3)
    with open_project(d) as p:  # the window's open: pre-annotation runs in the background
        assert p.count_documents() == 3 and needs_first_preannotation(p)
        preannotate_project(p, Options(model="blank"), should_stop=lambda: True)  # Ctrl+Q
    with open_project(d) as p:
        assert needs_first_preannotation(p)
        preannotate_project(p, Options(model="blank"))
    with open_project(d) as p:
        assert not needs_first_preannotation(p) and p.stats()["spans"] > 0


def test_a_read_only_project_opens_for_reading(project: Project) -> None:
    doc = project.add_document("a.txt", "Russia and Venezuela.")
    project.apply(AddSpan(doc_id=doc, start=0, end=6, label="GPE"))
    path = project.path
    project.close()
    with Project.open(path, read_only=True) as p:
        assert p.read_only and p.text(doc) == "Russia and Venezuela." and len(p.spans(doc)) == 1
        with pytest.raises(ReadOnlyError, match="read-only"):
            p.apply(AddSpan(doc_id=doc, start=11, end=20, label="GPE"))


def test_a_read_only_folder_is_detected(project: Project, monkeypatch) -> None:
    project.add_document("a.txt", "Russia and Venezuela.")
    path = project.path
    project.close()
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if mode == os.W_OK
                        else real(p, mode, **kw))
    with open_project(path) as p:
        assert p.read_only and p.count_documents() == 1


def test_a_leftover_wal_on_a_read_only_share_is_read(tmp_path: Path, monkeypatch) -> None:
    from annotator.core import dbfile

    p = Project.init(tmp_path / "p")
    doc = p.add_document("a.txt", "Russia and Venezuela.")
    p.apply(AddSpan(doc_id=doc, start=0, end=6, label="GPE"))
    share = tmp_path / "share"
    share.mkdir()
    for name in ("project.db", "project.db-wal"):  # as a crashed writer left them
        shutil.copyfile(p.path / name, share / name)
    p.close()
    # SQLite cannot make the -shm index on a read-only share: the in-place open fails
    monkeypatch.setattr(dbfile, "_uri", lambda f, mode: f"file:{share}/nowhere/x.db?mode=ro")
    with Project.open(share, read_only=True) as ro:
        assert [s.label for s in ro.spans(doc)] == ["GPE"]  # the edit in the WAL is there
    assert sorted(f.name for f in share.iterdir()) == ["project.db", "project.db-wal"]


def test_a_read_only_project_exports(project: Project, tmp_path: Path) -> None:
    from annotator.io.export import ExportOptions, export_project

    project.add_document("a.txt", "Russia and Venezuela.")  # no tokens stored yet
    path = project.path
    project.close()
    with Project.open(path, read_only=True) as p:
        summary = export_project(p, "jsonl", tmp_path / "out.jsonl", ExportOptions(status="all"))
    assert summary.documents == 1
