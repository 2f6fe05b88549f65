"""The project's own models: ``PROJECT/models/<timestamp>/``, each a spaCy pipeline directory
with ``scores.json`` (base vs trained on the held-out documents, learning curve) and
``documents.json`` (the ids it was trained, evaluated and rehearsed on).

``project:latest`` and ``project:<timestamp>`` name them (see ``annotator.nlp.model``).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from annotator.core.errors import AnnotatorError

MODELS_DIR = "models"
PREFIX = "project:"
META_KEY = "annotator"  # the section of meta.json that marks a project-trained pipeline


class RegistryError(AnnotatorError):
    """A project model was asked for that is not there."""


def models_dir(project_dir: Path) -> Path:
    return Path(project_dir) / MODELS_DIR


def list_models(project_dir: Path) -> list[Path]:
    """The project's trained pipelines, oldest first (timestamps sort as text)."""
    root = models_dir(project_dir)
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir()
                  if (p / "config.cfg").is_file() and (p / "meta.json").is_file())


def resolve_tag(project_dir: Path, tag: str) -> Path:
    """``latest`` or a timestamp -> the model directory (one-line error when missing)."""
    models = list_models(project_dir)
    if not models:
        raise RegistryError(f"no trained model in {models_dir(project_dir)} yet"
                            " (run 'annotator train' or Model > Train first)")
    if tag in ("", "latest"):
        return models[-1]
    for m in models:
        if m.name == tag:
            return m
    raise RegistryError(f"no project model {tag!r}; there are: {', '.join(m.name for m in models)}")


def new_model_dir(project_dir: Path) -> Path:
    """A fresh, not yet existing ``models/<YYYYmmdd-HHMMSS>`` (suffixed if taken)."""
    root = models_dir(project_dir)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path, n = root / stamp, 1
    while path.exists() or list(root.glob(f"{path.name}*.tmp")):
        n += 1
        path = root / f"{stamp}-{n}"
    return path


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
