"""Where bundled resources and per-user files live, in a checkout, a wheel or a frozen bundle."""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path


@cache
def resources_dir() -> Path:
    """The ``resources/`` folder: frozen bundle, source checkout, or installed wheel."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    checkout = Path(__file__).resolve().parents[2] / "resources"
    if checkout.is_dir():
        return checkout
    from importlib.resources import files

    return Path(str(files("annotator._resources")))


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def app_root() -> Path:
    """The folder of the frozen executable, or the source checkout."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return Path(__file__).resolve().parents[2]


def config_dir() -> Path:
    """Per-user settings folder; ``ANNOTATOR_CONFIG_DIR`` overrides it (tests, portable use)."""
    override = os.environ.get("ANNOTATOR_CONFIG_DIR")
    if override:
        return Path(override)
    portable = app_root() / "portable"
    if portable.exists():
        return app_root() / "settings"
    base = os.environ.get("XDG_CONFIG_HOME") or (
        os.environ.get("APPDATA") if sys.platform == "win32" else None
    )
    return Path(base or Path.home() / ".config") / "geo-annotator"
