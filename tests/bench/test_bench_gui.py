"""GUI budgets: a 1 MB document with 20,000 spans (first paint <= 1 s, a new span visible
<= 100 ms, smooth scrolling) and a 100,000-document project (first page <= 1 s, RSS)."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import Any

import psutil
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from annotator.core.store import Project
from annotator.gui.app import ensure_app
from annotator.gui.main_window import MainWindow

pytestmark = pytest.mark.gui
PARA = (
    "Russia sent troops to Venezuela to support Nicolas Maduro, while the United States "
    "and the Lima Group backed Juan Guaido in Caracas. "
)
NAMES = {
    "Russia": "GPE",
    "Venezuela": "GPE",
    "Nicolas Maduro": "PERSON",
    "United States": "GPE",
    "Lima Group": "ORG",
    "Juan Guaido": "PERSON",
    "Caracas": "GPE",
}


def _big_project(path: Path) -> tuple[Project, int, str]:
    """~1 MB, paragraphs of ~6 sentences, 20,000 spans (half suggested), tokens stored."""
    para = PARA * 6 + "\n\n"
    text = para * (1_000_000 // len(para))
    tokens = [(m.start(), m.end()) for m in re.finditer(r"\w+|[^\w\s]", text)]
    p = Project.init(path, annotator="bench")
    with p.bulk():
        doc = p.add_document("big.txt", text, tokens=tokens)
        pattern = re.compile("|".join(NAMES))
        rows = [
            {
                "doc_id": doc,
                "start": m.start(),
                "end": m.end(),
                "label": NAMES[m.group()],
                "state": "suggested" if i % 2 else "accepted",
            }
            for i, m in zip(range(20_000), pattern.finditer(text), strict=False)
        ]
        p.insert_spans(rows)
    return p, doc, text


def test_bench_big_document(qtbot: Any, tmp_path: Path) -> None:
    ensure_app()
    p, doc, text = _big_project(tmp_path / "big")
    assert len(p.spans(doc)) == 20_000 and len(text) >= 990_000
    t0 = time.perf_counter()
    w = MainWindow(p)  # opens the first (only) document
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.view.viewport().repaint()  # synchronous: the first paint with spans is done
    first_paint = time.perf_counter() - t0

    qtbot.wait(50)  # idle time after the first paint (the editor loads stored tokens then)
    w.activateWindow()
    w.view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.view)
    # scroll to the middle, select a word that has no span and press a label key
    bar = w.view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    w.view.viewport().repaint()
    a, b = w.view.visible_range()
    m = re.compile(r"\bsupport\b").search(text, a)
    cur = w.view.textCursor()
    cur.setPosition(w.view.offsets.to_utf16(m.start()))
    cur.setPosition(w.view.offsets.to_utf16(m.end()), QTextCursor.MoveMode.KeepAnchor)
    w.view.setTextCursor(cur)
    t0 = time.perf_counter()
    qtbot.keyClick(w.view, Qt.Key.Key_9)
    w.view.viewport().repaint()
    created = time.perf_counter() - t0
    assert [s.label for s in p.spans(doc) if s.start == m.start()] == ["WEAPON"]
    t0 = time.perf_counter()
    qtbot.keyClick(w.view, Qt.Key.Key_Delete)
    w.view.viewport().repaint()
    deleted = time.perf_counter() - t0

    frames = []
    for step in range(40):  # page by page through a stretch of the document
        bar.setValue(bar.maximum() // 3 + step * bar.pageStep())
        t = time.perf_counter()
        w.view.viewport().repaint()
        frames.append(time.perf_counter() - t)
    frames.sort()
    print(
        f"\n1 MB document, 20,000 spans: first paint {first_paint * 1000:.0f} ms (budget 1000),"
        f" span created+visible {created * 1000:.1f} ms, deleted+visible {deleted * 1000:.1f} ms"
        f" (budget 100), scroll frame median {frames[len(frames) // 2] * 1000:.1f} ms,"
        f" worst {frames[-1] * 1000:.1f} ms"
    )
    w.close()
    p.close()
    assert first_paint <= 1.0 and created <= 0.1 and deleted <= 0.1


def test_bench_100k_documents(qtbot: Any, tmp_path: Path) -> None:
    ensure_app()
    path = tmp_path / "many"
    with Project.init(path) as p, p.bulk():
        for i in range(100_000):
            p.add_document(f"article-{i:06}.txt", f"Article {i}: Russia and Venezuela signed deal {i}.")
    proc = psutil.Process(os.getpid())
    rss0 = proc.memory_info().rss
    t0 = time.perf_counter()
    p = Project.open(path, annotator="bench")
    w = MainWindow(p)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.docs.table.viewport().repaint()
    opened = time.perf_counter() - t0
    rss = proc.memory_info().rss
    assert w.docs.model.rowCount() == 200
    print(
        f"\n100,000-document project: window with first page of the list {opened * 1000:.0f} ms"
        f" (budget 1000), rows held {w.docs.model.rowCount()}, RSS {rss / 2**20:.0f} MB"
        f" (+{(rss - rss0) / 2**20:.1f} MB for the window)"
    )
    w.close()
    p.close()
    assert opened <= 1.0
