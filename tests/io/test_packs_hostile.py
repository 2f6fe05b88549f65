"""Hostile returned packages: refused per file with a one-line reason, bounded in work."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from test_packs import annotate_ana, coord  # noqa: F401 - the coordinator's project fixture

from annotator.core.store import Project
from annotator.io.packs import PackError, make_packages, merge_packages, open_package

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def folders(coord: Project, tmp_path: Path) -> dict[str, Path]:  # noqa: F811
    made = make_packages(coord, annotators=["ana", "ben"], output_dir=tmp_path / "out",
                         overlap=1.0, seed=3)
    assert len(made) == 2
    out = {}
    for name in ("ana", "ben"):
        out[name] = open_package(tmp_path / "out" / f"{name}.annpack")
        annotate_ana(out[name])
    return out


def _raw(folder: Path) -> sqlite3.Connection:
    return sqlite3.connect(folder / "project.db", isolation_level=None)


def test_head_equal_child_relation_refused_and_the_next_file_still_merges(
        coord: Project, folders: dict[str, Path]) -> None:  # noqa: F811
    conn = _raw(folders["ana"])
    conn.execute("PRAGMA ignore_check_constraints = ON")
    sid = conn.execute("SELECT MIN(id) FROM spans").fetchone()[0]
    conn.execute("UPDATE relations SET child_id = ? , head_id = ? WHERE id = "
                 "(SELECT MIN(id) FROM relations)", (sid, sid))
    conn.close()
    first, second = merge_packages(coord, [folders["ana"], folders["ben"]])
    assert isinstance(first, PackError) and "to itself" in str(first)
    assert "\n" not in str(first) and "internal error" not in str(first)
    assert not isinstance(second, PackError) and second.merged == 3
    assert coord.spans(1, layer="ana") == []


def test_duplicated_spans_refused_per_file(coord: Project, folders: dict[str, Path]) -> None:  # noqa: F811
    conn = _raw(folders["ana"])
    conn.execute("INSERT INTO spans (doc_id, start, end, label, source, state, annotator, layer,"
                 " attrs, created_at, updated_at) SELECT doc_id, start, end, label, source,"
                 " state, annotator, layer, attrs, created_at, updated_at FROM spans"
                 " WHERE id = (SELECT MIN(id) FROM spans)")
    conn.close()
    first, second = merge_packages(coord, [folders["ana"], folders["ben"]])
    assert isinstance(first, PackError) and "listed twice" in str(first)
    assert not isinstance(second, PackError)


@pytest.mark.parametrize("attack", [
    # documents replaced by a view over an endless recursive query: any read would hang
    "ALTER TABLE documents RENAME TO d0; CREATE VIEW documents AS WITH RECURSIVE c(x) AS"
    " (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x AS id FROM c",
    "CREATE TRIGGER t AFTER INSERT ON spans BEGIN DELETE FROM documents; END",
    "CREATE TABLE extra (x)",
])
def test_a_database_with_other_tables_views_or_triggers_is_refused_at_once(
        coord: Project, folders: dict[str, Path], attack: str) -> None:  # noqa: F811
    conn = _raw(folders["ana"])
    conn.executescript(attack)
    conn.close()
    started = time.monotonic()
    [res] = merge_packages(coord, [folders["ana"]])
    assert isinstance(res, PackError) and "unexpected or altered" in str(res)
    assert time.monotonic() - started < 5


def test_a_hostile_query_is_cut_off(monkeypatch, tmp_path: Path) -> None:
    from annotator.io.packs import merge

    conn = sqlite3.connect(":memory:")
    merge._bound(conn, seconds=0.3)
    started = time.monotonic()
    with pytest.raises(sqlite3.OperationalError, match="interrupted"):
        conn.execute("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)"
                     " SELECT COUNT(*) FROM c").fetchone()
    assert time.monotonic() - started < 3


def _zip_with(tmp_path: Path, folder: Path, db_bytes_or_none: bytes | None) -> Path:
    out = tmp_path / "back.annpack"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(folder / "manifest.json", "manifest.json")
        if db_bytes_or_none is None:
            zf.write(folder / "project.db", "project.db")
        else:
            zf.writestr("project.db", db_bytes_or_none)
    return out


def test_a_zip_bomb_member_is_refused_while_streaming(coord: Project, folders, tmp_path: Path,  # noqa: F811
                                                      monkeypatch) -> None:
    from annotator.io.packs import archive

    bomb = _zip_with(tmp_path, folders["ana"], b"\0" * (40 << 20))  # 40 MiB -> ~40 KB
    [res] = merge_packages(coord, [bomb])
    assert isinstance(res, PackError) and "zip bomb" in str(res)
    monkeypatch.setitem(archive.MAX_BYTES, "project.db", 1 << 20)
    big = _zip_with(tmp_path, folders["ana"], os.urandom(3 << 20))
    [res] = merge_packages(coord, [big])
    assert isinstance(res, PackError) and "too large" in str(res)


def test_a_package_id_that_is_a_path_is_refused(coord: Project, tmp_path: Path) -> None:  # noqa: F811
    [(path, _m)] = make_packages(coord, annotators=["ana"], output=tmp_path / "ana.annpack")
    with zipfile.ZipFile(path) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    manifest = json.loads(members["manifest.json"])
    manifest["package_id"] = "../../../../tmp/evil"
    members["manifest.json"] = json.dumps(manifest).encode()
    evil = tmp_path / "evil.annpack"
    with zipfile.ZipFile(evil, "w") as zf:
        for n, data in members.items():
            zf.writestr(n, data)
    with pytest.raises(PackError, match="bad package id"):
        open_package(evil)


def test_a_killed_pack_leaves_no_folder_of_text_beside_the_output(tmp_path: Path) -> None:
    p = Project.init(tmp_path / "p")
    with p.bulk():
        for i in range(4000):
            p.add_document(f"d{i}.txt", f"Secret article {i}: Russia sent troops to Venezuela.")
    p.close()
    out, systmp = tmp_path / "out", tmp_path / "systmp"
    out.mkdir()
    systmp.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(systmp)}
    proc = subprocess.Popen([sys.executable, "-m", "annotator", "pack", str(tmp_path / "p"),
                             "--annotator", "ana", "--output", str(out / "ana.annpack")],
                            env=env, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if any(f.name == "project.db" for d in (out, systmp) for f in d.rglob("project.db")):
            break  # the package's project is being built
        time.sleep(0.005)
    assert proc.poll() is None, "pack finished before it could be killed"
    time.sleep(0.2)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert [f for f in out.rglob("*") if f.is_dir()] == []
