"""Opening, creating, refusing and migrating project databases."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator.core.errors import ProjectError
from annotator.core.migrations import SCHEMA_VERSION
from annotator.core.store import DB_NAME, Project, pack_tokens, unpack_tokens


def test_init_sets_wal_foreign_keys_and_version(tmp_path: Path) -> None:
    p = Project.init(tmp_path / "p")
    q = p.conn.execute
    assert q("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert q("PRAGMA foreign_keys").fetchone()[0] == 1
    assert q("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert p.schema.labels[:3] == ["GPE", "PERSON", "ORG"] and len(p.id) == 32
    p.close()
    assert Project.open(tmp_path / "p").schema.name == p.schema.name


def test_init_twice_refused(tmp_path: Path) -> None:
    Project.init(tmp_path / "p").close()
    with pytest.raises(ProjectError, match="already a project"):
        Project.init(tmp_path / "p")


def test_open_missing_project(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="no project"):
        Project.open(tmp_path / "nothing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ProjectError, match="annotator init"):
        Project.open(tmp_path / "empty")


def test_corrupt_database_is_a_clear_error(tmp_path: Path) -> None:
    d = tmp_path / "p"
    d.mkdir()
    (d / DB_NAME).write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(ProjectError, match="not a"):
        Project.open(d)
    assert (d / DB_NAME).read_bytes().startswith(b"this is not sqlite")  # left untouched


def test_foreign_sqlite_file_refused(tmp_path: Path) -> None:
    d = tmp_path / "p"
    d.mkdir()
    conn = sqlite3.connect(d / DB_NAME)
    conn.execute("CREATE TABLE customers (id INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(ProjectError, match="not an annotator project"):
        Project.open(d)


def test_newer_format_refused(tmp_path: Path) -> None:
    Project.init(tmp_path / "p").close()
    conn = sqlite3.connect(tmp_path / "p" / DB_NAME)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(ProjectError, match="newer annotator"):
        Project.open(tmp_path / "p")


def test_dedupe_by_normalized_text(project: Project) -> None:
    a = project.add_document("a.txt", "Guaido\u0301 spoke.\r\n")
    b = project.add_document("b.txt", "Guaidó spoke.\n")  # same after NFC + newlines
    assert a is not None and b is None
    assert project.text(a) == "Guaidó spoke.\n"


def test_list_documents_pages_and_counts(project: Project) -> None:
    ids = [project.add_document(f"d{i}.txt", f"text {i}") for i in range(25)]
    project.insert_spans([{"doc_id": ids[0], "start": 0, "end": 4, "label": "GPE"}])
    page = project.list_documents(offset=0, limit=10)
    assert [r.id for r in page] == ids[:10] and page[0].n_spans == 1 and page[0].n_suggested == 1
    assert project.count_documents() == 25 and project.status_counts()["todo"] == 25
    assert project.next_document(ids[-1]) == ids[0]  # wraps round


def test_bulk_is_all_or_nothing(project: Project) -> None:
    with pytest.raises(RuntimeError), project.bulk():
        project.add_document("a.txt", "one")
        raise RuntimeError("killed")
    assert project.count_documents() == 0


def test_tokens_roundtrip(project: Project) -> None:
    toks = [(0, 6), (7, 11), (2**20, 2**20 + 3)]
    assert unpack_tokens(pack_tokens(toks)) == toks
    d = project.add_document("a.txt", "Russia sent", tokens=toks[:2])
    assert project.tokens(d) == toks[:2]


def test_schema_replace_keeps_labels_in_use(project: Project, example_doc: int) -> None:
    from annotator.core import ops
    from annotator.core.schema import parse_schema

    project.apply(ops.AddSpan(example_doc, 0, 6, "GPE"))
    raw = dict(project.schema.raw)
    raw["entities"] = [e for e in raw["entities"] if e["name"] != "GPE"]
    raw["relations"] = []
    raw["model_label_map"] = {}
    with pytest.raises(ProjectError, match="GPE"):
        project.set_schema(parse_schema(raw))
