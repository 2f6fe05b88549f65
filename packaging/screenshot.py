"""Render the window on the sample project, pre-annotated, to docs/screenshot.png.

Runs offscreen on a copy of the sample project (the repository stays clean). The
pre-annotation is the project's own (model and/or gazetteer); if it is unavailable,
a few names are suggested by hand so the picture still shows highlights.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["ANNOTATOR_CONFIG_DIR"] = tempfile.mkdtemp(prefix="annotator-shot-")
os.environ.setdefault("ANNOTATOR_NAME", "maria")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.core import ops  # noqa: E402
from annotator.core.store import Project  # noqa: E402
from annotator.gui.app import ensure_app  # noqa: E402
from annotator.gui.main_window import MainWindow  # noqa: E402
from annotator.io.projects import open_project  # noqa: E402

FALLBACK = {"Russia": "GPE", "Venezuela": "GPE", "Caracas": "GPE", "Maduro": "PERSON",
            "Nicolas Maduro": "PERSON", "Juan Guaido": "PERSON", "Reuters": "ORG",
            "Pentagon": "ORG", "Kremlin": "ORG", "Russian": "NORP", "Venezuelan": "NORP"}


def preannotate(project: Project) -> str:
    try:
        from annotator.nlp.preannotate import preannotate_project

        summary = preannotate_project(project)
        return f"pre-annotated: {summary.to_dict()}"
    except Exception as exc:  # noqa: BLE001 - no model here: suggest a few names by hand
        rows = []
        pattern = re.compile(r"\b(" + "|".join(sorted(FALLBACK, key=len, reverse=True)) + r")\b")
        for doc in project.iter_documents():
            rows += [{"doc_id": doc.id, "start": m.start(), "end": m.end(),
                      "label": FALLBACK[m.group()]} for m in pattern.finditer(doc.text or "")]
        with project.bulk():
            project.insert_spans(rows)
        return f"fallback suggestions ({exc})"


def stage(project: Project) -> int:
    """Look like a morning's work: one document done, the open one half reviewed."""
    ids = [d.id for d in project.iter_documents(with_text=False)]
    project.apply(ops.SetStatus(ids[-1], "done", accept=True))
    doc = ids[0]
    spans = project.spans(doc)
    half = [s.id for s in spans[: len(spans) // 2] if s.state == "suggested"]
    if half:
        project.apply(ops.accept_spans(half))
    project.apply(ops.SetStatus(doc, "in_progress"))
    return doc


def render(out: Path, *, theme: str = "light") -> None:
    tmp = Path(tempfile.mkdtemp(prefix="annotator-sample-")) / "venezuela-2019"
    shutil.copytree(ROOT / "projects" / "venezuela-2019", tmp,
                    ignore=shutil.ignore_patterns("project.db*"))
    project = open_project(tmp, annotator="maria")
    print(preannotate(project))
    doc = stage(project)
    app = ensure_app()
    window = MainWindow(project)
    window.set_theme(theme)
    window.setWindowState(Qt.WindowState.WindowNoState)  # offscreen: a small screen maximizes
    window.resize(1440, 900)
    window.show()
    window.editor.open_document(doc)
    QApplication.processEvents()
    spans = window.view.index.ordered()
    if len(spans) > 3:
        window.view.select_span(spans[3].id)
    for _ in range(5):
        QApplication.processEvents()
    out.parent.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(out))
    print(f"wrote {out}")
    window.close()
    project.close()
    del app


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshot.png"
    render(target, theme=sys.argv[2] if len(sys.argv) > 2 else "light")
