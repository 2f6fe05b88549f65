"""Exports appear whole or not at all, and never leave a previous export's parts behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.core.store import Project
from annotator.core.tokens import tokenize
from annotator.io.export import ExportError, ExportOptions, export_project
from annotator.io.formats import spacy_docbin

ROOT = Path(__file__).resolve().parents[2]
ALL = ExportOptions(status="all")


def _project(tmp_path: Path, n: int) -> Project:
    p = Project.init(tmp_path / "p")
    with p.bulk():
        for i in range(n):
            text = f"Document {i}: Russia sent troops to Venezuela in report {i}."
            p.add_document(f"d{i}.txt", text, tokens=tokenize(text))
    return p


def test_a_killed_export_leaves_the_previous_complete_file(tmp_path: Path) -> None:
    p = _project(tmp_path, 6000)
    out = tmp_path / "out.jsonl"
    export_project(p, "jsonl", out, ALL)
    previous = out.read_bytes()
    p.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "annotator", "export", str(tmp_path / "p"),
                             "--format", "jsonl", "--status", "all", "--output", str(out)],
                            env=env, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        partial = [f for f in tmp_path.rglob("*.jsonl") if f != out and f.stat().st_size > 0]
        if partial or (out.exists() and out.stat().st_size < len(previous)):
            break  # the new export is half written
        time.sleep(0.005)
    assert proc.poll() is None, "the export finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert out.read_bytes() == previous


def test_a_failed_export_leaves_the_previous_file(tmp_path: Path, monkeypatch) -> None:
    p = _project(tmp_path, 5)
    out = tmp_path / "out.jsonl"
    export_project(p, "jsonl", out, ALL)
    previous = out.read_bytes()
    p.add_document("new.txt", "Cuba and Peru.")
    with pytest.raises(RuntimeError):
        export_project(p, "jsonl", out, ALL, on_doc=lambda: (_ for _ in ()).throw(RuntimeError()))
    assert out.read_bytes() == previous
    assert sorted(f.name for f in tmp_path.iterdir()) == ["out.jsonl", "p"]  # no leftovers


def test_reexport_into_a_spacy_folder_leaves_no_stale_part(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(spacy_docbin, "CHUNK", 2)
    p = _project(tmp_path, 7)
    out = tmp_path / "corpus.spacy"
    export_project(p, "spacy", out, ALL)
    assert len(list(out.glob("*.spacy"))) == 4
    p.conn.execute("DELETE FROM documents WHERE id > 3")
    export_project(p, "spacy", out, ALL)
    from spacy.tokens import DocBin

    n = sum(len(DocBin().from_disk(f)) for f in out.glob("*.spacy"))
    assert n == 3  # spacy train would read exactly this export's documents


def test_reexport_into_a_brat_folder_replaces_it(tmp_path: Path) -> None:
    p = _project(tmp_path, 3)
    out = tmp_path / "brat"
    export_project(p, "brat", out, ALL)
    p.conn.execute("DELETE FROM documents WHERE id = 3")
    export_project(p, "brat", out, ALL)
    assert sorted(f.name for f in out.glob("*.txt")) == ["d0.txt", "d1.txt"]


def test_a_folder_holding_other_files_is_refused_untouched(tmp_path: Path) -> None:
    p = _project(tmp_path, 2)
    corpus = tmp_path / "news"
    corpus.mkdir()
    (corpus / "article.txt").write_text("my own text", encoding="utf-8")
    (corpus / "notes.docx").write_bytes(b"x")
    with pytest.raises(ExportError, match="choose a new or empty folder"):
        export_project(p, "brat", corpus, ALL)
    assert sorted(f.name for f in corpus.iterdir()) == ["article.txt", "notes.docx"]
    (corpus / "notes.docx").unlink()  # only .txt files: a corpus, still not ours
    with pytest.raises(ExportError, match="not a previous export"):
        export_project(p, "brat", corpus, ALL)
    assert (corpus / "article.txt").read_text(encoding="utf-8") == "my own text"
