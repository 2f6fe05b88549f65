"""Render the window at a small and a large screen size, for docs/screenshot-1024x700.png
and docs/screenshot-1600x1000.png (offscreen; the sample with the relations of
docs/relations.md, as in screenshot_relations.py; a relation selected).

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/screenshot_sizes.py [OUTDIR]
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "packaging"))
from shot_sandbox import sample_copy, sandbox  # noqa: E402

SIZES = ((1024, 700), (1600, 1000))


def main(outdir: Path) -> list[Path]:
    tmp = sandbox()
    from PySide6.QtCore import Qt
    from screenshot_relations import build

    from annotator.gui.app import ensure_app
    from annotator.gui.main_window import MainWindow

    app = ensure_app()
    out = []
    for w, h in SIZES:
        folder = tmp / f"sample-{w}"
        sample_copy(tmp, folder.name)
        project = build(folder)
        window = MainWindow(project)  # type: ignore[arg-type]
        window.setWindowState(Qt.WindowState.WindowNoState)  # offscreen: a small screen maximizes
        window.resize(w, h)
        window.show()
        for _ in range(8):
            app.processEvents()
        ctl = window.relations.controller
        support = next(r.id for r in ctl.index.by_id.values() if r.label == "SUPPORT")
        ctl.select_relations([support])
        for _ in range(5):
            app.processEvents()
        target = outdir / f"screenshot-{w}x{h}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(target))
        print(f"wrote {target}: text column {window.centralWidget().width()} of {w} px")
        out.append(target)
        window.close()
        project.close()  # type: ignore[attr-defined]
    shutil.rmtree(tmp, ignore_errors=True)
    return out


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs")
