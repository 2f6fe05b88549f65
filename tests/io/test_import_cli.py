"""``annotator init`` + ``annotator import`` on a mixed folder, through the CLI entry point."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.store import Project
from tests.io.samples import png_bytes


def cli(argv: list[str]) -> int:
    try:
        main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def mixed_folder(root: Path) -> dict[str, str]:
    """Writes the folder; returns the expected stored text per document name."""
    root.mkdir()
    (root / "utf8.txt").write_bytes("Guaidó met Lavrov in Moscow.".encode())
    (root / "legacy.txt").write_bytes("“No,” said José — café.".encode("cp1252"))
    (root / "bom.txt").write_bytes(codecs.BOM_UTF8 + b"Maduro spoke in Caracas.")
    (root / "dos.txt").write_bytes(b"Line one.\r\nLine two.\r\n")
    (root / "page.html").write_text(
        "<html><title>T</title><script>x()</script><nav>Menu</nav>"
        "<p>Russian planes &amp; troops.</p><p>Second paragraph.</p></html>", encoding="utf-8")
    sub = root / "more"
    sub.mkdir()
    (sub / "items.jsonl").write_text(
        json.dumps({"text": "JSONL one.", "id": "j1"}) + "\n{broken\n"
        + json.dumps({"text": "JSONL three.", "id": "j3"}) + "\n", encoding="utf-8")
    (sub / "table.csv").write_text('text,source\n"CSV row, quoted.",AP\n', encoding="utf-8")
    (root / "picture.txt").write_bytes(png_bytes())
    (root / "empty.txt").write_bytes(b"")
    return {
        "utf8.txt": "Guaidó met Lavrov in Moscow.",
        "legacy.txt": "“No,” said José — café.",
        "bom.txt": "Maduro spoke in Caracas.",
        "dos.txt": "Line one.\nLine two.\n",
        "page.html": "Russian planes & troops.\n\nSecond paragraph.",
        "j1": "JSONL one.",
        "j3": "JSONL three.",
        "table.csv#2": "CSV row, quoted.",
    }


def test_init_then_import_mixed_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    proj, folder = tmp_path / "p", tmp_path / "in"
    expected = mixed_folder(folder)
    assert cli(["init", str(proj)]) == 0
    capsys.readouterr()

    assert cli(["import", str(proj), str(folder)]) == 0
    out, err = capsys.readouterr()
    skipped = sorted(line for line in err.splitlines() if line.startswith("skipped "))
    assert skipped == [
        f"skipped {folder / 'empty.txt'}: empty file",
        f"skipped {folder / 'more' / 'items.jsonl'}: line 2: not valid JSON"
        " (Expecting property name enclosed in double quotes)",
        f"skipped {folder / 'picture.txt'}: binary file (PNG image)",
    ]
    assert "Traceback" not in err
    assert out.strip() == ("imported 8 documents from 9 files; 3 skipped,"
                           " read as cp1252 (not UTF-8): legacy.txt")

    with Project.open(proj) as p:
        stored = {d.name: d.text for d in p.iter_documents()}
        assert stored == expected
        assert all(p.tokens(d.id) for d in p.iter_documents(with_text=False))


def test_import_again_reports_duplicates_and_fails_when_nothing_new(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    proj, f = tmp_path / "p", tmp_path / "a.txt"
    f.write_text("Only text.", encoding="utf-8")
    assert cli(["init", str(proj)]) == 0
    assert cli(["import", str(proj), str(f)]) == 0
    capsys.readouterr()
    assert cli(["import", str(proj), str(f)]) == 0  # only duplicates: nothing went wrong
    out, err = capsys.readouterr()
    assert err.strip() == f"duplicate {f}: same text as an existing document (a.txt, id 1)"
    assert out.strip() == "imported 0 documents from 1 file; 1 duplicate"


def test_import_of_only_bad_files_exits_non_zero(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    proj = tmp_path / "p"
    assert cli(["init", str(proj)]) == 0
    missing = tmp_path / "missing.txt"
    assert cli(["import", str(proj), str(missing)]) == 1
    _out, err = capsys.readouterr()
    assert f"skipped {missing}: no such file" in err


def test_import_into_missing_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "a.txt"
    f.write_text("Text.", encoding="utf-8")
    code = cli(["import", str(tmp_path / "nowhere"), str(f)])
    _out, err = capsys.readouterr()
    assert code != 0
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert "nowhere" in lines[0]
    assert "Traceback" not in err
