"""Project models by name: project:latest / project:<timestamp>, and what a missing one says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core.errors import AnnotatorError
from annotator.nlp import project_models as registry
from annotator.nlp.model import ModelError, resolve_model


def _fake_model(root: Path, name: str) -> Path:
    d = registry.models_dir(root) / name
    d.mkdir(parents=True)
    (d / "config.cfg").write_text("[nlp]\nlang = \"en\"\npipeline = []\n", encoding="utf-8")
    (d / "meta.json").write_text(json.dumps({"lang": "en", "name": "p", "version": "0.0.0",
                                             registry.META_KEY: {"tag": name}}), encoding="utf-8")
    return d


def test_latest_and_a_timestamp_resolve_to_the_project_folders(tmp_path: Path) -> None:
    old = _fake_model(tmp_path, "20260101-120000")
    new = _fake_model(tmp_path, "20260102-080000")
    (registry.models_dir(tmp_path) / "20260103-000000.tmp").mkdir()  # an unfinished run
    latest = resolve_model("project:latest", project_dir=tmp_path)
    assert latest.path == new and latest.from_project
    assert latest.project_tag == "project:20260102-080000"
    assert "project's model" in latest.describe()
    assert resolve_model("project:20260101-120000", project_dir=tmp_path).path == old


def test_missing_project_models_are_one_line_errors(tmp_path: Path) -> None:
    with pytest.raises(AnnotatorError, match="no trained model"):
        resolve_model("project:latest", project_dir=tmp_path)
    _fake_model(tmp_path, "20260101-120000")
    with pytest.raises(AnnotatorError, match="no project model '1999'"):
        resolve_model("project:1999", project_dir=tmp_path)
    with pytest.raises(ModelError, match="only be used on a project"):
        resolve_model("project:latest")


def test_an_ordinary_model_is_not_a_project_model() -> None:
    assert not resolve_model("blank").from_project


def test_a_project_base_that_saw_the_held_out_documents_is_flagged(tmp_path: Path) -> None:
    from annotator.nlp.train.data import GoldDoc
    from annotator.nlp.train.loop import _seen_by_base

    d = _fake_model(tmp_path, "20260101-120000")
    registry.write_json(d / "documents.json", {"train": [1, 2, 4], "eval": [3], "rehearsal": []})
    choice = resolve_model("project:latest", project_dir=tmp_path)
    held = [GoldDoc(4, "d4", "", ()), GoldDoc(5, "d5", "", ())]
    assert "held-out document(s) 4:" in _seen_by_base(choice, held)
    assert _seen_by_base(choice, [GoldDoc(3, "d3", "", ())]) == ""
