"""Budget: with 2,000 relations in a document, painting the visible part stays <= 50 ms.

Prints the figures (run with ``make bench`` or ``pytest -s tests/bench``): the overlay's
layout + paint after an edit (nothing cached), the same when only repainting, and a
whole viewport repaint (text, spans and arcs) at several scroll positions.
"""

from __future__ import annotations

import random
from time import perf_counter

import pytest
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QMainWindow

from annotator.core.store import Project

pytestmark = pytest.mark.gui
BUDGET_MS = 50.0
N_REL = 2000


class _Host(QMainWindow):
    def __init__(self, project: Project) -> None:
        from annotator.gui.text.editor import Editor
        from annotator.gui.text.view import SpanTextView

        super().__init__()
        self.view = SpanTextView()
        self.editor = Editor(project, self.view, self)
        self.setCentralWidget(self.view)
        self.statusBar()


def _big_document(project: Project) -> int:
    """~600 paragraphs, ~3,000 spans, 2,000 relations (mostly near, some far apart)."""
    rnd = random.Random(7)
    names = [("Russia", "GPE"), ("Venezuela", "GPE"), ("Nicolas Maduro", "PERSON"),
             ("Juan Guaido", "PERSON"), ("Rosneft", "ORG"), ("the Lima Group", "ORG")]
    parts, spans, pos = [], [], 0
    for i in range(600):
        words = []
        for j in range(5):
            name, label = names[(i + j) % len(names)]
            filler = " said on Tuesday that talks with " if j % 2 else " and "
            words.append((name, label))
            words.append((filler, None))
        line = ""
        for w, label in words:
            if label:
                spans.append((pos + len(line), pos + len(line) + len(w), label))
            line += w
        line += f"(report {i})."
        parts.append(line)
        pos += len(line) + 1
    doc = project.add_document("big.txt", "\n".join(parts))
    assert doc is not None
    with project.bulk():
        project.insert_spans({"doc_id": doc, "start": a, "end": b, "label": lab,
                              "state": "accepted"} for a, b, lab in spans)
    ids = [(s.id, s.label) for s in project.spans(doc)]
    rows, seen = [], set()
    while len(rows) < N_REL:
        i = rnd.randrange(len(ids))
        j = i + rnd.choice([1, 2, 3, 4, 6, 9]) * rnd.choice([1, -1]) if rnd.random() < 0.9 \
            else rnd.randrange(len(ids))
        if not 0 <= j < len(ids) or i == j or (i, j) in seen:
            continue
        seen.add((i, j))
        label = "SUPPORT" if ids[j][1] != "GPE" or rnd.random() < 0.5 else "AID"
        rows.append((doc, ids[i][0], ids[j][0], label))
    with project.bulk():
        project.conn.executemany(
            "INSERT INTO relations (doc_id, head_id, child_id, label, attrs, annotator, layer,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, '{}', 'bench', '', '', '')", rows)
    return doc


def test_bench_relations_paint(qtbot, project: Project) -> None:
    from annotator.gui.relations import install_relations

    doc = _big_document(project)
    win = _Host(project)
    qtbot.addWidget(win)
    ui = install_relations(win, win.view, win.editor)
    win.resize(1280, 900)
    t0 = perf_counter()
    win.editor.open_document(doc)
    open_ms = (perf_counter() - t0) * 1000
    win.show()
    qtbot.waitExposed(win)
    qtbot.wait(50)
    assert len(ui.controller.index.by_id) == N_REL
    view, ov = win.view, ui.overlay
    bar = view.verticalScrollBar()
    cold, warm, full, arcs = [], [], [], []
    for frac in (0.0, 0.13, 0.37, 0.5, 0.71, 0.9, 1.0):
        bar.setValue(int(bar.maximum() * frac))
        qtbot.wait(5)
        img = QImage(view.viewport().size(), QImage.Format.Format_ARGB32_Premultiplied)
        for store in (cold, warm):
            if store is cold:
                ov.invalidate()  # as after an edit: visible relations laid out again
            p = QPainter(img)
            t = perf_counter()
            ov._paint_hook(p, view)
            store.append((perf_counter() - t) * 1000)
            p.end()
        arcs.append(len(ov.layout_.arcs) + len(ov.layout_.indicators))
        ov.invalidate()
        t = perf_counter()
        view.viewport().repaint()
        full.append((perf_counter() - t) * 1000)
    worst = max(cold)
    print(f"\n[bench] relations: {N_REL} in the document, {min(arcs)}-{max(arcs)} drawn per screen;"
          f" open {open_ms:.1f} ms")
    print(f"[bench] overlay layout+paint after an edit: worst {worst:.1f} ms,"
          f" median {sorted(cold)[len(cold) // 2]:.1f} ms; cached repaint worst {max(warm):.1f} ms")
    print(f"[bench] whole viewport repaint (text, spans, arcs): worst {max(full):.1f} ms")
    assert max(arcs) > 20  # the screen really had relations on it
    assert worst <= BUDGET_MS
    assert max(full) <= BUDGET_MS * 2  # the window's own painting is budgeted by its issue
