"""A bulk import killed with SIGKILL leaves a project that opens, with only whole documents."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.core.store import DB_NAME, Project
from annotator.core.tokens import tokenize

N_DOCS = 3000


def doc_text(i: int) -> str:
    # Varied lengths and a CRLF, so a torn write would show as a wrong text or token list.
    body = " ".join(f"Russia sent {i} troops to Venezuela (report {k})." for k in range(1 + i % 7))
    return f"Document {i}\r\n{body}\n"


def stored_text(i: int) -> str:
    return doc_text(i).replace("\r\n", "\n")


def count_docs(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.2)
        try:
            return conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0  # busy or not created yet: poll again


def kill_when(proc: subprocess.Popen, db: Path, *, at_least: int, timeout: float = 120) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        n = count_docs(db)
        if n >= at_least:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            return n
        time.sleep(0.02)
    proc.kill()
    out, err = proc.communicate()
    pytest.fail(f"import ended before the kill (rc {proc.returncode}): {err.decode()[-500:]}")


def write_inputs(root: Path, kind: str) -> list[str]:
    root.mkdir()
    if kind == "files":
        for i in range(N_DOCS):
            (root / f"doc_{i:05d}.txt").write_bytes(doc_text(i).encode())
        return [str(root)]
    records = ({"text": doc_text(i), "name": f"doc_{i:05d}.txt"} for i in range(N_DOCS * 2))
    lines = (json.dumps(r) for r in records)
    (root / "big.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [str(root / "big.jsonl")]


@pytest.mark.parametrize("kind", ["files", "jsonl"])
def test_killed_import_leaves_whole_documents(tmp_path: Path, kind: str) -> None:
    proj = tmp_path / "proj"
    Project.init(proj).close()
    inputs = write_inputs(tmp_path / "in", kind)
    proc = subprocess.Popen(
        [sys.executable, "-m", "annotator", "import", str(proj), *inputs],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=Path(__file__).parents[2],
    )
    seen = kill_when(proc, proj / DB_NAME, at_least=150 if kind == "files" else 500)
    assert proc.returncode == -signal.SIGKILL

    with Project.open(proj) as p:
        assert p.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        docs = list(p.iter_documents())
        total = N_DOCS * (1 if kind == "files" else 2)
        assert seen <= len(docs) < total, "the import was not interrupted mid-way"
        for d in docs:
            i = int(d.name[4:9])
            assert d.text == stored_text(i)
            assert p.tokens(d.id) == tokenize(stored_text(i))
        if kind == "jsonl":  # whole batches only: a document never lands without its batch
            assert len(docs) % 500 == 0
        assert p.spans(docs[0].id) == []
