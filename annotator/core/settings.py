"""Per-user preferences in a readable JSON file (annotator name, recent projects, ...)."""

from __future__ import annotations

import contextlib
import getpass
import json
import os
from pathlib import Path
from typing import Any

from annotator.core.paths import config_dir

DEFAULTS: dict[str, Any] = {
    "annotator": "",
    "recent_projects": [],
    "snap_to_tokens": True,
    "theme": "light",
    "font_size": 12,
}


def settings_file() -> Path:
    return config_dir() / "settings.json"


def load_settings() -> dict[str, Any]:
    """Read the settings; a missing or unreadable file gives the defaults (never fails)."""
    data: dict[str, Any] = {}
    with contextlib.suppress(OSError, ValueError):
        loaded = json.loads(settings_file().read_text(encoding="utf-8"))
        if isinstance(loaded, dict):
            data = loaded
    return {**DEFAULTS, **data}


def save_settings(settings: dict[str, Any]) -> None:
    """Write atomically (temp file + rename) so a crash never leaves half a file."""
    f = settings_file()
    f.parent.mkdir(parents=True, exist_ok=True)
    tmp = f.with_suffix(".tmp")
    tmp.write_text(json.dumps(settings, indent=2, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, f)


def annotator_name(override: str | None = None) -> str:
    """Who is editing: ``--annotator``, then ``ANNOTATOR_NAME``, settings, the login name."""
    if override:
        return override
    name = os.environ.get("ANNOTATOR_NAME") or load_settings().get("annotator")
    if name:
        return str(name)
    with contextlib.suppress(Exception):
        return getpass.getuser()
    return "annotator"


def add_recent_project(path: Path, *, keep: int = 10) -> None:
    s = load_settings()
    p = str(Path(path).resolve())
    s["recent_projects"] = [p] + [x for x in s.get("recent_projects", []) if x != p][: keep - 1]
    save_settings(s)
