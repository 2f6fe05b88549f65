"""Opening projects safely: foreign files untouched, damaged ones named, config checked."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from annotator.core.errors import AnnotatorError, DiskFullError, ProjectError
from annotator.core.ops import AddSpan
from annotator.core.store import Project
from annotator.io.projects import open_project


def test_another_applications_sqlite_file_is_refused_unchanged(tmp_path: Path) -> None:
    d = tmp_path / "other"
    d.mkdir()
    conn = sqlite3.connect(d / "project.db")
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.commit()
    conn.close()
    before = (d / "project.db").read_bytes()
    with pytest.raises(ProjectError, match="not an annotator project"):
        Project.open(d)
    assert (d / "project.db").read_bytes() == before  # still a rollback-journal database
    assert not (d / "project.db-wal").exists()


def test_a_zero_byte_project_db_is_refused(tmp_path: Path) -> None:
    d = tmp_path / "p"
    d.mkdir()
    (d / "project.db").write_bytes(b"")
    with pytest.raises(ProjectError, match="empty"):
        Project.open(d)
    assert (d / "project.db").stat().st_size == 0


def test_a_missing_table_is_named(tmp_path: Path) -> None:
    p = Project.init(tmp_path / "p")
    p.conn.execute("DROP TABLE relations")
    p.close()
    with pytest.raises(ProjectError, match="table relations is missing"):
        Project.open(tmp_path / "p")


@pytest.mark.parametrize("line, why", [
    ("model = 5", "model"),
    ("import_on_create = 5", "import_on_create"),
    ('import_on_create = ["*.txt", 3]', "import_on_create"),
    ("name = [1]", "name"),
    ("preannotate_on_create = 'yes'", "preannotate_on_create"),
])
def test_bad_config_values_give_one_line_reasons(tmp_path: Path, line: str, why: str) -> None:
    Project.init(tmp_path / "p").close()
    (tmp_path / "p" / "project.toml").write_text(line + "\n", encoding="utf-8")
    with pytest.raises(ProjectError, match=why) as info:
        open_project(tmp_path / "p")
    assert "\n" not in str(info.value)


def test_disk_full_is_a_one_line_reason_and_loses_nothing(project: Project) -> None:
    doc = project.add_document("a.txt", "Russia and Venezuela.")
    project.apply(AddSpan(doc_id=doc, start=0, end=6, label="GPE"))
    pages = project.conn.execute("PRAGMA page_count").fetchone()[0]
    project.conn.execute(f"PRAGMA max_page_count = {pages + 1}")  # the disk is now full
    with pytest.raises(DiskFullError, match="full"):
        project.add_document("big.txt", "Cuba " * 200_000)
    assert [s.label for s in project.spans(doc)] == ["GPE"]
    assert isinstance(DiskFullError("x"), AnnotatorError)


@pytest.mark.parametrize("pattern, refused", [
    ("/etc/passwd", True), ("../outside.txt", True), ("sub/../../outside.txt", True),
    ("*/../../outside.txt", True),
    ("link.txt", False),  # a fine pattern naming a symlink out: opened, the link not followed
])
def test_import_on_create_reads_only_files_inside_the_folder(tmp_path: Path, pattern: str,
                                                             refused: bool) -> None:
    (tmp_path / "outside.txt").write_text("Secret text outside the project.", encoding="utf-8")
    d = tmp_path / "proj"
    (d / "sub").mkdir(parents=True)
    (d / "inside.txt").write_text("Russia and Venezuela.", encoding="utf-8")
    (d / "link.txt").symlink_to(tmp_path / "outside.txt")
    (d / "project.toml").write_text(f'import_on_create = ["inside.txt", "{pattern}"]\n',
                                    encoding="utf-8")
    if refused:  # a pattern pointing outside is refused whole, with its name
        with pytest.raises(ProjectError, match="import_on_create pattern .* inside the project"):
            open_project(d)
        return
    p = open_project(d)
    texts = [p.text(doc.id) for doc in p.iter_documents()]
    p.close()
    assert texts == ["Russia and Venezuela."]


def test_wal_is_checkpointed_so_project_db_alone_holds_recent_edits(project: Project,
                                                                    tmp_path: Path) -> None:
    doc = project.add_document("a.txt", "Russia " * 400)
    for i in range(60):
        project.apply(AddSpan(doc_id=doc, start=i * 7, end=i * 7 + 6, label="GPE"))
    alone = tmp_path / "returned"
    alone.mkdir()
    shutil.copyfile(project.path / "project.db", alone / "project.db")  # no -wal, as sent back
    conn = sqlite3.connect(alone / "project.db")
    n = conn.execute("SELECT COUNT(*) FROM spans").fetchone()[0]
    conn.close()
    assert n >= 50  # at most the last few edits live only in the WAL
