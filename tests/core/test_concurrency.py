"""Two writers on one project: a real second process imports while edits are made here.

Every edit made through ``Project.apply`` during the import must land (none refused with
"database is locked", none silently lost), and the import must store every document.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

from annotator.core.ops import AddSpan
from annotator.core.store import Project

ROOT = Path(__file__).resolve().parents[2]
N_FILES = 1
# ~8 KB of distinct words each (the tokenizer's cache cannot help): the old import
# tokenized a 500-document batch (~8 s here) while holding the write lock.
DOCS_PER_FILE = 500


def _corpus(folder: Path) -> None:
    folder.mkdir()
    rng = random.Random(0)
    letters = "abcdefghijklmnopqrstuvwxyz"
    for f in range(N_FILES):
        with (folder / f"part{f}.jsonl").open("w", encoding="utf-8") as out:
            for i in range(DOCS_PER_FILE):
                words = " ".join("".join(rng.choices(letters, k=rng.randint(3, 9)))
                                 for _ in range(1200))
                out.write(json.dumps({"text": f"Doc {f}-{i}. {words}"}) + "\n")


def _spawn(*args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "annotator", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_edits_during_a_real_import_in_another_process_all_land(tmp_path: Path) -> None:
    p = Project.init(tmp_path / "p", annotator="ana")
    doc = p.add_document("a.txt", "Russia " * 2000)
    _corpus(tmp_path / "in")
    proc = _spawn("import", str(p.path), str(tmp_path / "in"))
    made, refused, waits = [], [], []
    try:
        # Wait until the import holds (or has held) the write lock.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            if (tmp_path / "p" / "project.db-wal").stat().st_size > 0:
                break  # the import has written (its first tokens are stored)
            time.sleep(0.01)
        start = 0
        while proc.poll() is None and start < 2000 * 7:
            t = time.perf_counter()
            try:
                res = p.apply(AddSpan(doc_id=doc, start=start, end=start + 6, label="GPE"))
                made.append(res.change.spans_added[0].id)
            except Exception as exc:  # noqa: BLE001 - every failure is counted, not hidden
                refused.append(f"{type(exc).__name__}: {exc}")
            waits.append(time.perf_counter() - t)
            start += 7
            time.sleep(0.005)
        out, err = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err.decode()[-800:]
    assert len(made) >= 20, "the import ended before edits could overlap it"
    assert refused == [], f"{len(refused)} of {len(made) + len(refused)} edits refused: {refused[:3]}"
    stored = {r[0] for r in p.conn.execute("SELECT id FROM spans WHERE doc_id = ?", (doc,))}
    assert stored == set(made)
    assert p.count_documents() == 1 + N_FILES * DOCS_PER_FILE
    assert max(waits) < 3.0, f"an edit waited {max(waits):.1f} s for the import"
    p.close()


HOLD = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("INSERT INTO project_meta (key, value) VALUES ('holder', 'x')")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
"""


def _hold_lock(db: Path, seconds: float) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(db), str(seconds)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_layer_status_and_assignment_records_wait_for_another_writer(tmp_path: Path) -> None:
    from annotator.core.adjudicate import layer_status, set_layer_status

    p = Project.init(tmp_path / "p", annotator="ana")
    doc = p.add_document("a.txt", "Russia and Venezuela.")
    holder = _hold_lock(p.path / "project.db", 0.8)
    set_layer_status(p, "ana", {doc: "done"})  # read-then-write: must wait, not fail at once
    holder.wait()
    assert layer_status(p) == {"ana": {doc: "done"}}
    p.close()


def test_a_bulk_batch_is_retried_past_the_busy_timeout(tmp_path: Path) -> None:
    from annotator.core.busy import write_retrying
    from annotator.core.errors import BusyError

    p = Project.init(tmp_path / "p", annotator="ana")
    p.conn.execute("PRAGMA busy_timeout = 50")
    holder = _hold_lock(p.path / "project.db", 1.0)
    try:
        try:
            p.set_meta_value("k", "plain")
        except BusyError as exc:
            assert "busy" in str(exc)
        else:
            raise AssertionError("a write under another process's lock did not report busy")
        calls = []
        write_retrying(p, lambda: (calls.append(1), p.set_meta_value("k", "retried")))
    finally:
        holder.wait()
    assert p.meta_value("k") == "retried" and len(calls) >= 1
    p.close()
