"""The pre-annotation runner: works in a thread, cancels cleanly, keeps the window live."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.store import Project

pytestmark = pytest.mark.gui

TEXT = "Russia sent troops to Venezuela to support Nicolas Maduro in Caracas. Note {i}."
N_DOCS = 3000


@pytest.fixture
def big_project(tmp_path: Path) -> Path:

    with Project.init(tmp_path / "big", annotator="tester") as p, p.bulk():
        for i in range(N_DOCS):
            p.add_document(f"{i}.txt", TEXT.format(i=i))
    return tmp_path / "big"


def test_cancel_leaves_the_project_consistent_and_the_gui_live(qtbot, big_project: Path) -> None:
    from PySide6.QtCore import QTimer

    from annotator.gui.jobs.preannotate import PreannotateRunner

    runner = PreannotateRunner(batch_size=10)
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(5)
    seen: list[tuple[int, int]] = []

    def on_progress(done: int, total: int) -> None:
        seen.append((done, total))
        if done >= 100:
            runner.cancel()

    runner.progress.connect(on_progress)
    with qtbot.waitSignal(runner.finished, timeout=60_000) as finished:
        runner.start(big_project, "tester", model="blank")
        assert runner.is_running()
    timer.stop()
    summary = finished.args[0]

    assert summary["cancelled"] and 100 <= summary["documents"] < N_DOCS
    assert not runner.is_running()
    assert len(ticks) >= 3 and len(seen) >= 3  # the event loop ran all along
    with Project.open(big_project) as p:
        assert p.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        per_doc = p.conn.execute(
            "SELECT d.id, d.tokens IS NOT NULL, COUNT(s.id) FROM documents d"
            " LEFT JOIN spans s ON s.doc_id = d.id GROUP BY d.id ORDER BY d.id"
        ).fetchall()
    done = [row for row in per_doc if row[1]]
    assert len(done) == summary["documents"]
    assert all(n == 4 for _, _, n in done)  # fully suggested: Russia, Venezuela, Maduro, Caracas
    assert all(n == 0 for _, has_tokens, n in per_doc if not has_tokens)  # or untouched


def test_dialog_run_finishes_and_reports(qtbot, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QWidget

    from annotator.gui.jobs.preannotate import run_preannotation_with_dialog

    with Project.init(tmp_path / "p", model="blank") as p:
        p.add_document("a.txt", TEXT.format(i=0))
    parent = QWidget()
    qtbot.addWidget(parent)
    runner = run_preannotation_with_dialog(parent, tmp_path / "p", "tester")
    # finished reaches the GUI thread through its event loop, i.e. inside waitSignal
    with qtbot.waitSignal(runner.finished, timeout=60_000) as finished:
        pass
    assert finished.args[0]["suggested"] == 4 and not finished.args[0]["cancelled"]
    assert not runner.dialog.isVisible()
    with Project.open(tmp_path / "p") as fresh:  # stored, not only reported
        assert len(fresh.spans(1, state="suggested")) == 4


def test_failure_is_reported_not_raised(qtbot, tmp_path: Path) -> None:
    from annotator.gui.jobs.preannotate import PreannotateRunner

    runner = PreannotateRunner()
    with qtbot.waitSignal(runner.failed, timeout=30_000) as failed:
        runner.start(tmp_path / "missing", "tester")
    assert "no project" in failed.args[0]


def test_quitting_mid_run_stops_the_thread_and_keeps_the_project_whole(qtbot, main_window) -> None:
    """Ctrl+Q while the background run works: the thread ends inside closeEvent (a thread
    alive at interpreter exit aborts the process), and every batch so far is committed."""
    from PySide6.QtCore import Qt

    from annotator.gui.jobs.preannotate import PreannotateRunner

    n = 1500
    window = main_window([TEXT.format(i=i) for i in range(n)])
    runner = PreannotateRunner(window, batch_size=10)
    runner.finished.connect(window._preannotated)
    window._runner = runner
    seen: list[int] = []
    runner.progress.connect(lambda done, total: seen.append(done))
    runner.start(window.project.path, "tester", model="blank")
    qtbot.waitUntil(lambda: seen and seen[-1] >= 50, timeout=30_000)

    with qtbot.waitSignal(runner.finished, timeout=30_000) as finished:
        qtbot.keyClick(window.view, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
        assert not window.isVisible()
        assert runner.wait(0), "the worker thread must have ended when the window closed"
    summary = finished.args[0]
    assert summary["cancelled"] and summary["documents"] < n
    with Project.open(window.project.path) as p:
        per_doc = p.conn.execute(
            "SELECT d.tokens IS NOT NULL, COUNT(s.id) FROM documents d"
            " LEFT JOIN spans s ON s.doc_id = d.id GROUP BY d.id").fetchall()
    assert sum(1 for done, _ in per_doc if done) == summary["documents"]
    assert all(spans == (4 if done else 0) for done, spans in per_doc)
