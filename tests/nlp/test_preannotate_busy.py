"""Pre-annotation survives another process holding the write lock (an import, a window)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from annotator.nlp.preannotate import Options, preannotate_project

HOLD = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(1.0)
conn.execute("COMMIT")
"""


def test_preannotate_waits_out_another_writer_and_counts_once(project) -> None:
    docs = [project.add_document(f"{i}.txt", f"Russia and Venezuela signed deal {i}.")
            for i in range(3)]
    project.conn.execute("PRAGMA busy_timeout = 50")  # the other writer outlasts the timeout
    holders: list[subprocess.Popen] = []

    def lock_now(n: int, _total: int) -> None:  # the model is loaded, no batch stored yet
        if n == 0:
            holders.append(subprocess.Popen(
                [sys.executable, "-c", HOLD, str(Path(project.path) / "project.db")],
                stdout=subprocess.PIPE, text=True))
            assert holders[0].stdout.readline().strip() == "locked"

    try:
        summary = preannotate_project(project, Options(model="blank"), on_progress=lock_now)
    finally:
        for h in holders:
            h.wait()
    assert holders
    stored = sum(len(project.spans(d)) for d in docs)
    assert summary.documents == 3 and stored == summary.suggested > 0
