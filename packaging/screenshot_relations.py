"""Render the annotation window with relations drawn, for docs/screenshot-relations.png.

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/screenshot_relations.py [OUT.png]

Works on a temporary copy of the sample project: the first seed article gets a few
hand-made spans and the relations of docs/relations.md (AID Russia -> Venezuela,
SUPPORT Trump administration -> Juan Guaido, THREATEN with modality hypothetical, ...),
all through core operations, then the window is grabbed offscreen. Deterministic: no
model run, settings in a temporary folder.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

from shot_sandbox import ROOT, sample_copy, sandbox  # noqa: E402 - beside this script

# (text, occurrence in the article, label); suggested = still the model's proposal
SPANS = [
    ("Russian military contingent", 0, "MIL_UNIT"), ("Venezuela", 0, "GPE"), ("U.S.", 1, "GPE"),
    ("Reuters", 1, "ORG"), ("United States", 0, "GPE"), ("Washington", 0, "GPE"),
    ("Russian air force", 0, "MIL_UNIT"), ("Caracas", 0, "GPE"), ("Donald Trump", 0, "PERSON"),
    ("Nicolas Maduro", 0, "PERSON"), ("Venezuela", 2, "GPE"), ("Russia", 0, "GPE"),
    ("Maduro", 1, "PERSON"), ("Trump administration", 0, "ORG"), ("Juan Guaido", 0, "PERSON"),
    ("Maduro", 2, "PERSON"), ("Russia", 1, "GPE"), ("U.S.", 4, "GPE"),
    ("Antonov-124", 0, "WEAPON"), ("Ilyushin-62", 0, "WEAPON"),
    ("Vasily Tonkoshkurov", 0, "PERSON"), ("Russian ground forces", 0, "MIL_UNIT"),
    ("S-300", 0, "WEAPON"), ("Trump", 3, "PERSON"), ("Russia", 2, "GPE"), ("Moscow", 0, "GPE"),
    ("Maduro", 6, "PERSON"),
]
SUGGESTED = {("Reuters", 1), ("Caracas", 0), ("Ilyushin-62", 0)}
# (head, child, type, attributes); ends as (text, whole-word occurrence)
RELATIONS = [
    (("Washington", 0), ("Russian military contingent", 0), "ACCUSE", {}),
    (("United States", 0), ("Russian military contingent", 0), "CONSULT", {"negated": True}),
    (("Russian air force", 0), ("Caracas", 0), "MOBILIZE", {}),
    (("Russia", 0), ("Venezuela", 2), "AID", {}),
    (("Nicolas Maduro", 0), ("Venezuela", 2), "LEADER_OF", {}),
    (("Donald Trump", 0), ("Nicolas Maduro", 0), "REJECT", {}),
    (("Trump administration", 0), ("Juan Guaido", 0), "SUPPORT", {}),
    (("Trump administration", 0), ("Maduro", 2), "REQUEST", {}),
    (("Russia", 1), ("U.S.", 4), "ACCUSE", {"modality": "reported-claim"}),
    (("Russia", 1), ("Maduro", 6), "SUPPORT", {}),
    (("Russian air force", 0), ("Antonov-124", 0), "OPERATES", {}),
    (("Vasily Tonkoshkurov", 0), ("Russian ground forces", 0), "LEADER_OF", {}),
    (("Trump", 3), ("Russia", 2), "THREATEN", {"modality": "hypothetical"}),
    (("Moscow", 0), ("Maduro", 6), "SUPPORT", {}),
]


def _find(text: str, needle: str, occurrence: int) -> int:
    """Start of the n-th whole-word occurrence ("Russia" is not the start of "Russian")."""
    hits = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(needle)}(?!\w)", text)]
    return hits[occurrence]


def build(project_dir: Path) -> object:
    """Seed the copy, add spans and relations; returns the open Project."""
    from annotator.core import ops
    from annotator.io.projects import open_project

    project = open_project(project_dir, annotator="screenshot")
    doc = project.next_document(0)
    assert doc is not None
    text = project.text(doc)
    ids: dict[tuple[str, int], int] = {}
    for needle, occ, label in SPANS:
        start = _find(text, needle, occ)
        state = "suggested" if (needle, occ) in SUGGESTED else "accepted"
        op = ops.AddSpan(doc, start, start + len(needle), label,
                         source="model" if state == "suggested" else "human", state=state)
        ids[(needle, occ)] = project.apply(op).change.spans_added[0].id
    for head, child, label, attrs in RELATIONS:
        project.apply(ops.AddRelation(ids[head], ids[child], label, attrs))
    return project


def main(out: Path) -> Path:
    tmp = sandbox()
    sample_copy(tmp)
    from annotator.gui.app import ensure_app

    app = ensure_app()
    project = build(tmp / "venezuela-2019")
    from PySide6.QtCore import Qt

    from annotator.gui.main_window import MainWindow

    window = MainWindow(project)  # type: ignore[arg-type]
    ctl = window.relations.controller
    window.setWindowState(Qt.WindowState.WindowNoState)  # offscreen: a small screen maximizes
    window.resize(1600, 1150)
    window.show()
    for _ in range(5):
        app.processEvents()
    window.view.verticalScrollBar().setValue(2)  # first lines off screen: their indicators show
    for _ in range(3):
        app.processEvents()
    support = next(r.id for r in ctl.index.by_id.values() if r.label == "SUPPORT")
    ctl.select_relations([support])  # shows the selection in text, table and editor
    for _ in range(5):
        app.processEvents()
    out.parent.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(out))
    window.close()
    project.close()  # type: ignore[attr-defined]
    shutil.rmtree(tmp, ignore_errors=True)
    return out


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshot-relations.png"
    print(main(target))
