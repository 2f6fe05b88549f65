"""The sandbox every docs screenshot script renders in: offscreen Qt, settings in a fresh
temporary folder (never the user's), and a copy of the sample project without its database."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "projects" / "venezuela-2019"


def sandbox() -> Path:
    """A temporary folder holding the settings; call before the app starts."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    tmp = Path(tempfile.mkdtemp(prefix="annotator-shot-"))
    os.environ["ANNOTATOR_CONFIG_DIR"] = str(tmp / "config")
    os.environ["XDG_CONFIG_HOME"] = str(tmp / "config")
    return tmp


def sample_copy(tmp: Path, name: str = "venezuela-2019") -> Path:
    """The sample's seed files and project.toml under ``tmp`` (a fresh project.db follows)."""
    return Path(shutil.copytree(SAMPLE, tmp / name, ignore=shutil.ignore_patterns("project.db*")))
