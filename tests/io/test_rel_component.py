"""The rel_component tutorial's relation extractor (explosion/projects, copied unchanged into
tests/io/data/rel_component) trains on the ``spacy`` export with its own reader and config."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from test_spacy_train import _annotated_project

from annotator.io.export import ExportOptions, export_project

pytestmark = pytest.mark.slow
TUTORIAL = Path(__file__).parent / "data" / "rel_component"


def test_the_tutorials_relation_extractor_trains_on_the_export(tmp_path: Path) -> None:
    p = _annotated_project(tmp_path)
    corpus = tmp_path / "corpus"
    summary = export_project(p, "spacy", corpus, ExportOptions(split=0.8, seed=3))
    assert summary.relations == 21
    # nI/nO: the tutorial's config leaves them null, which spaCy 3.8's config check refuses
    done = subprocess.run(
        [sys.executable, "-m", "spacy", "train", "configs/rel_tok2vec.cfg",
         "--output", str(tmp_path / "model"), "--code", "scripts/custom_functions.py",
         "--paths.train", str(corpus / "train.spacy"), "--paths.dev", str(corpus / "dev.spacy"),
         "--training.max_steps", "20", "--training.eval_frequency", "10",
         "--components.relation_extractor.model.classification_layer.nI", "192",
         "--components.relation_extractor.model.classification_layer.nO", "1"],
        cwd=TUTORIAL, capture_output=True, text=True, timeout=300,
        env={**os.environ, "NO_COLOR": "1", "PYTHONDONTWRITEBYTECODE": "1"})
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    rows = [line.split() for line in done.stdout.splitlines() if re.match(r"\s*\d+\s+\d+\s", line)]
    assert rows and float(rows[-1][-2]) > 0  # REL_MICRO_F on the dev part: it learned AID
    assert (tmp_path / "model" / "model-last" / "relation_extractor").is_dir()
