"""The Qt-free rule: core, io, nlp and the GUI's document state (gui/state) import with
PySide6 blocked (style.md, point 1; import-linter checks the same statically)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import annotator

ROOT = Path(annotator.__file__).parent
BLOCKER = """
import sys, importlib.abc
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name == "PySide6" or name.startswith(("PySide6.", "shiboken6")):
            raise ImportError("PySide6 is blocked in this test")
sys.meta_path.insert(0, Block())
import importlib
for name in sys.argv[1:]:
    importlib.import_module(name)
import annotator.cli
print("ok", len(sys.argv) - 1)
"""


def _modules() -> list[str]:
    names = []
    for pkg in ("core", "io", "nlp", "gui/state"):
        prefix = f"annotator.{pkg.replace('/', '.')}."
        for info in pkgutil.walk_packages([str(ROOT / pkg)], prefix=prefix):
            names.append(info.name)
    return names


def test_core_io_nlp_import_without_pyside6() -> None:
    modules = _modules()
    assert "annotator.core.store" in modules and "annotator.core.ops" in modules
    assert "annotator.gui.state.document" in modules
    out = subprocess.run([sys.executable, "-c", BLOCKER, *modules], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.startswith("ok")


def test_blocker_really_blocks() -> None:
    out = subprocess.run([sys.executable, "-c", BLOCKER, "PySide6.QtCore"], capture_output=True,
                         text=True)
    assert out.returncode != 0 and "blocked" in out.stderr
