"""The command-line contract: init, stats, one-line errors, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run_cli as run


def test_init_then_stats_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "init", str(tmp_path / "p"))
    assert code == 0 and "created project" in out
    code, out, _ = run(capsys, "stats", str(tmp_path / "p"), "--json")
    data = json.loads(out)
    assert code == 0 and data["documents"] == 0 and data["status"]["done"] == 0


def test_stats_text_counts_labels(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from annotator.core import ops
    from annotator.core.store import Project

    p = Project.init(tmp_path / "p")
    d = p.add_document("a.txt", "Russia and Venezuela")
    p.apply(ops.AddSpan(d, 0, 6, "GPE"))
    p.apply(ops.AddSpan(d, 11, 20, "GPE"))
    p.close()
    code, out, _ = run(capsys, "stats", str(tmp_path / "p"))
    assert code == 0 and "1 documents" in out and "GPE          2" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("stats", "/nonexistent/project"), "error: no project at"),
        (("export", "/nonexistent/p", "--format", "jsonl", "--output", "x"), "error: no project"),
    ],
)
def test_bad_input_is_one_line(capsys: pytest.CaptureFixture[str], args: tuple, message: str) -> None:
    code, _, err = run(capsys, *args)
    assert code != 0 and err.startswith(message) and len(err.strip().splitlines()) == 1


def test_init_existing_project_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "init", str(tmp_path / "p"))
    code, _, err = run(capsys, "init", str(tmp_path / "p"))
    assert code == 1 and err.strip() == f"error: {tmp_path / 'p'} is already a project"


def test_bad_schema_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "schema.json"
    bad.write_text('{"entities": [{"name": "X", "color": "red"}]}', encoding="utf-8")
    code, _, err = run(capsys, "init", str(tmp_path / "p"), "--schema", str(bad))
    assert code == 1 and "colour" in err and "Traceback" not in err
    assert not (tmp_path / "p" / "project.db").exists()


def test_console_script_and_module_entry(tmp_path: Path) -> None:
    exe = Path(sys.executable).parent / "annotator"
    out = subprocess.run([str(exe), "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and "annotator" in out.stdout
    out = subprocess.run([sys.executable, "-m", "annotator", "stats", str(tmp_path / "none")],
                         capture_output=True, text=True)
    assert out.returncode == 1 and "Traceback" not in out.stderr and "error:" in out.stderr


def test_pack_with_bad_document_ids_is_a_one_line_error(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "init", str(tmp_path / "p"))
    code, _, err = run(capsys, "pack", str(tmp_path / "p"), "--annotators", "ana", "--docs", "1,x")
    assert code == 2 and "--docs" in err and "Traceback" not in err and "internal error" not in err
