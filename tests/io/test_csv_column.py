"""CSV without a ``text`` column: the obvious column, else the longest string column."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.errors import ImportFileError
from annotator.core.store import Project
from annotator.io.importer import import_paths


def _import(project: Project, path: Path, **kw) -> str:
    return import_paths(project, [path], **kw).summary()


def test_body_column_is_picked_and_the_rest_kept(project: Project, tmp_path: Path) -> None:
    f = tmp_path / "news.csv"
    f.write_text("id,Headline,Body\n7,Planes land,Two Russian planes landed in Caracas.\n")
    summary = _import(project, f)
    assert "news.csv: no 'text' column: the text is column 'Body'" in summary
    (doc,) = project.iter_documents()
    assert doc.text == "Two Russian planes landed in Caracas."
    assert doc.meta["Headline"] == "Planes land" and doc.meta["id"] == "7"


def test_longest_string_column_wins_over_numbers(project: Project, tmp_path: Path) -> None:
    f = tmp_path / "dump.csv"
    f.write_text("n,story,source\n123456789012345678901234567890,Maduro spoke on Sunday in"
                 " Caracas.,AP\n")
    assert "column 'story'" in _import(project, f)
    assert next(project.iter_documents()).text.startswith("Maduro spoke")


def test_an_explicit_missing_column_is_still_an_error(project: Project, tmp_path: Path) -> None:
    f = tmp_path / "x.csv"
    f.write_text("a,b\nsome words,more\n")
    report = import_paths(project, [f], text_column="article")
    assert report.skipped and "no 'article' column" in report.skipped[0][1]
    with pytest.raises(ImportFileError):
        from annotator.io.plain_readers import read_csv

        list(read_csv(f, text_column="article"))
