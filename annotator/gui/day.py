"""One installer for the annotator's-day features, so the main window stays thin: the
Memory dock, find highlights, F3 and label all's summary, Skip, the done-document notice, the entity list
following the edited span, the no-model status and the small-screen layout (each feature
lives in its own module; this only wires them to the window)."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow

from annotator.core.ops import SetStatus
from annotator.core.queries import Match
from annotator.gui.actions import Act
from annotator.gui.docks.memory import install_memory
from annotator.gui.find_highlight import MatchHighlighter
from annotator.gui.layout_fit import install_layout_fit
from annotator.gui.state.statuses import SKIPPED
from annotator.gui.text.editor import Editor
from annotator.nlp.model import resolve_model


def install_day(window: QMainWindow) -> None:
    w = window  # the MainWindow: view, editor, find_bar, actions
    w.dock_memory = install_memory(w)  # type: ignore[attr-defined]
    w.find_highlights = MatchHighlighter(w.view, w.find_bar)  # type: ignore[attr-defined]
    w.actions[Act.FIND_NEXT].triggered.connect(lambda: _find_step(w, +1))  # type: ignore[attr-defined]
    w.actions[Act.FIND_PREV].triggered.connect(lambda: _find_step(w, -1))  # type: ignore[attr-defined]
    w.actions[Act.SKIP_DOC].triggered.connect(lambda: skip_and_next(w.editor))  # type: ignore[attr-defined]
    w.find_bar.labelAllRequested.connect(lambda m, label: _label_all(w, m, label))  # type: ignore[attr-defined]
    w.editor.session.notice.connect(w.show_banner)  # type: ignore[attr-defined]
    # after the window's own refresh: the list row of the span just edited, not its neighbour
    w.editor.session.changed.connect(lambda _c: _follow_selection(w))  # type: ignore[attr-defined]
    w.text_first = install_layout_fit(w)  # type: ignore[attr-defined]
    if not resolve_model(w.project.config.get("model")).statistical:  # type: ignore[attr-defined]
        w.status.set_model_state("none (gazetteer only)")  # type: ignore[attr-defined]


def skip_and_next(editor: Editor) -> int | None:
    """Mark the open document skipped (one undo step) and open the next unfinished one."""
    doc = editor.doc_id
    if doc is None or editor.session.run(SetStatus(doc, SKIPPED), "skip document") is None:
        return None
    nxt = editor.project.next_document(doc)
    if nxt is None:
        editor.message.emit("No unfinished document left.")
        return None
    editor.open_document(nxt)
    return nxt


def _follow_selection(w: QMainWindow) -> None:
    span = w.view.selected_span()  # type: ignore[attr-defined]
    w.entities.show_span(span.id if span else None)  # type: ignore[attr-defined]


def _label_all(w: QMainWindow, matches: list[Match], label: str) -> None:
    plan = w.editor.label_all(matches, label)  # type: ignore[attr-defined]
    if plan is not None:
        w.find_bar.count.setText(plan.summary())  # type: ignore[attr-defined]
        w.status.showMessage(f"{label}: {plan.summary()} (Ctrl+Z undoes all)", 6000)  # type: ignore[attr-defined]


def _find_step(w: QMainWindow, direction: int) -> None:
    bar = w.find_bar  # type: ignore[attr-defined]
    if not bar.isVisible() or not bar.query.text():
        w.open_find()  # type: ignore[attr-defined]
        return
    bar.step(direction)
