"""The ``spacy`` export is accepted by the real consumer: spacy debug data and spacy train."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_export_common import add_doc

from annotator.core.store import Project
from annotator.io.export import ExportOptions, export_project

pytestmark = pytest.mark.slow

SENTENCES = [
    ("{a} sent troops to {b} to support {p}.", ("GPE", "GPE", "PERSON")),
    ("{p} met officials from {a} in {b} on Monday.", ("PERSON", "GPE", "GPE")),
    ("The army of {a} crossed into {b}, said {p}.", ("GPE", "GPE", "PERSON")),
]
FILL = [("Russia", "Venezuela", "Nicolas Maduro"), ("Cuba", "Colombia", "Juan Guaidó"),
        ("Brazil", "Peru", "Mike Pompeo"), ("China", "Bolivia", "Iván Duque"),
        ("Mexico", "Chile", "Sergey Lavrov"), ("Spain", "Ecuador", "Elliott Abrams"),
        ("Iran", "Panama", "Jair Bolsonaro")]


def _annotated_project(tmp: Path) -> Project:
    p = Project.init(tmp / "train-proj")
    n = 0
    for a, b, person in FILL:
        for template, labels in SENTENCES:
            values = {"a": a, "b": b, "p": person}
            text = template.format(**values)
            keys = sorted("abp", key=lambda k: template.index("{" + k + "}"))
            spans = [(text.index(values[k]), text.index(values[k]) + len(values[k]),
                      dict(zip("abp", labels, strict=True))[k]) for k in keys]
            if n % 4 == 0:  # a misaligned span ("Venezuela" -> "Venezu"): must be snapped
                s, e, lab = spans[0]
                spans[0] = (s, e - 2, lab)
            aid = [(keys.index("a"), keys.index("b"), "AID", {"modality": "hypothetical"})]
            shift = len("😀 🇻🇪 ")  # emoji and a flag before the entities (5 code points)
            add_doc(p, f"doc{n}.txt", f"😀 🇻🇪 {text}\n\nSecond paragraph about {a}.",
                    [(s + shift, e + shift, lab) for s, e, lab in spans], aid)
            n += 1
    return p


def _spacy(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "spacy", *args], capture_output=True,
                          text=True, timeout=120, env=env)


def test_spacy_debug_data_and_train_on_the_export(tmp_path: Path) -> None:
    p = _annotated_project(tmp_path)
    out = tmp_path / "corpus"
    summary = export_project(p, "spacy", out, ExportOptions(split=0.8, seed=3))
    assert "snapped to whole tokens" in summary.text()
    train, dev = out / "train.spacy", out / "dev.spacy"
    assert train.exists() and dev.exists()
    cfg = tmp_path / "config.cfg"
    made = _spacy("init", "config", str(cfg), "--lang", "en", "--pipeline", "ner",
                  "--optimize", "efficiency", "--force")
    assert made.returncode == 0, made.stderr
    paths = ["--paths.train", str(train), "--paths.dev", str(dev)]
    debug = _spacy("debug", "data", str(cfg), *paths, "--verbose")
    report = debug.stdout + debug.stderr
    assert "Corpus is loadable" in report, report
    assert "misaligned" not in report.lower(), report  # spaCy prints it only when > 0
    assert "0 missing value(s)" in report, report
    assert "Labels in train data: 'GPE'" in report, report
    trained = _spacy("train", str(cfg), "--output", str(tmp_path / "model"), *paths,
                     "--training.max_steps", "20", "--training.eval_frequency", "10")
    assert trained.returncode == 0, trained.stderr[-2000:]
    import spacy

    nlp = spacy.load(tmp_path / "model" / "model-last")
    assert set(nlp.get_pipe("ner").labels) == {"GPE", "PERSON"}


def test_debug_data_would_see_misaligned_tokens(tmp_path: Path) -> None:
    """Control: the assertion above is meaningful (a doc split inside a word is reported)."""
    from spacy.tokens import Doc, DocBin, Span
    from spacy.vocab import Vocab

    doc = Doc(Vocab(), words=["Venez", "uela", "sent", "troops", "."],
              spaces=[False, True, True, False, False])
    doc.ents = [Span(doc, 0, 1, label="GPE")]
    for name in ("train", "dev"):
        DocBin(docs=[doc] * 3).to_disk(tmp_path / f"{name}.spacy")
    cfg = tmp_path / "config.cfg"
    assert _spacy("init", "config", str(cfg), "--lang", "en", "--pipeline", "ner",
                  "--force").returncode == 0
    debug = _spacy("debug", "data", str(cfg), "--paths.train", str(tmp_path / "train.spacy"),
                   "--paths.dev", str(tmp_path / "dev.spacy"))
    assert "misaligned tokens in the training data" in debug.stdout + debug.stderr
