"""``project.toml``: the per-project config (name, model, files imported on creation), and
the names of the files that make a project folder."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from annotator.core.errors import ProjectError

DB_NAME = "project.db"
CONFIG_NAME = "project.toml"


def project_dir(path: str | Path) -> Path:
    """Accept the project directory or its database file."""
    p = Path(path).expanduser()
    return p.parent if p.name == DB_NAME else p


def read_config(d: Path) -> dict[str, Any]:
    """``project.toml`` (optional): name, model, files imported when the project is created."""
    f = d / CONFIG_NAME
    if not f.exists():
        return {}
    try:
        return tomllib.loads(f.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ProjectError(f"{f} is not valid TOML: {exc}") from None


def write_config(d: Path, config: dict[str, Any]) -> None:
    lines = [f"{k} = {_toml_value(v)}" for k, v in config.items() if not isinstance(v, dict)]
    for k, v in config.items():
        if isinstance(v, dict):
            lines += ["", f"[{k}]"] + [f"{kk} = {_toml_value(vv)}" for kk, vv in v.items()]
    (d / CONFIG_NAME).write_text("\n".join(lines) + "\n", encoding="utf-8")


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return str(v)
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    return json.dumps(str(v), ensure_ascii=False)
