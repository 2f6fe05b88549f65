"""Shared fixtures: every test gets its own settings folder and, on request, a project."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "projects" / "venezuela-2019"
RUNNING_EXAMPLE = "Russia sent troops to Venezuela to support Nicolas Maduro."


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Redirect per-user settings (and Qt's) away from the real home folder."""
    cfg = tmp_path_factory.mktemp("config")
    monkeypatch.setenv("ANNOTATOR_CONFIG_DIR", str(cfg))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(cfg))
    monkeypatch.setenv("ANNOTATOR_NAME", "tester")
    return cfg


@pytest.fixture
def project(tmp_path: Path):
    """An empty project with the default schema."""
    from annotator.core.store import Project

    p = Project.init(tmp_path / "proj", annotator="tester")
    yield p
    p.close()


@pytest.fixture
def example_doc(project) -> int:
    """The running example of formats.md as document 1 of ``project``."""
    return project.add_document("example.txt", RUNNING_EXAMPLE)


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """A fresh copy of the sample project directory (seed files + project.toml, no database)."""
    dst = tmp_path / "venezuela-2019"
    shutil.copytree(SAMPLE, dst, ignore=shutil.ignore_patterns("project.db*"))
    return dst


# ---- hand-made gold for the sample articles (tests/data/venezuela_gold.json) --------------
GOLD_FILE = ROOT / "tests" / "data" / "venezuela_gold.json"


def gold_entities(text: str, entries: list[list[str]]) -> list[tuple[int, int, str]]:
    """Character spans of the gold entries in ``text``: whole-word, case-sensitive, longest first."""
    import re

    found: list[tuple[int, int, str]] = []
    for entry in sorted(entries, key=lambda e: -len(e[-1] if len(e) == 3 else e[0])):
        context, label = entry[0], entry[1]
        target = entry[2] if len(entry) == 3 else context
        inner = context.index(target)
        for m in re.finditer(r"(?<!\w)" + re.escape(context) + r"(?!\w)", text):
            s = m.start() + inner
            e = s + len(target)
            if all(e <= fs or s >= fe for fs, fe, _ in found):
                found.append((s, e, label))
    return sorted(found)


def make_gold_project(path: Path, *, done: int | None = None):  # noqa: ANN201
    """A project with the five sample articles, the first ``done`` (all) of them annotated
    by hand (accepted human spans) and marked done; the rest stay to do."""
    import json

    from annotator.core.ops import SetStatus
    from annotator.core.store import Project

    gold = json.loads(GOLD_FILE.read_text(encoding="utf-8"))["documents"]
    p = Project.init(path, annotator="tester")
    for i, name in enumerate(sorted(gold)):
        doc_id = p.add_document(name, (SAMPLE / name).read_text(encoding="utf-8"))
        if done is not None and i >= done:
            continue
        text = p.text(doc_id)
        p.insert_spans({"doc_id": doc_id, "start": s, "end": e, "label": lab, "source": "human",
                        "state": "accepted", "annotator": "tester"}
                       for s, e, lab in gold_entities(text, gold[name]))
        p.apply(SetStatus(doc_id, "done"))
    return p


@pytest.fixture
def gold_project(tmp_path: Path):
    """The sample articles with the hand-made gold, all done."""
    p = make_gold_project(tmp_path / "gold")
    yield p
    p.close()


@pytest.fixture
def make_gold():  # noqa: ANN201
    """``make_gold_project`` itself, for tests that need another number of done documents."""
    return make_gold_project


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``annotator ARGS`` in-process: (exit code, stdout, stderr)."""
    from annotator.cli import main

    code = 0
    try:
        main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err
