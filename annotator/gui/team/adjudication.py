"""Adjudication: volunteers' versions of one document side by side, differences listed,
and the coordinator's choice written into the gold layer at once.

Every change is a core operation (``Adjudicate``, ``DeleteSpans``, ``DeleteRelations``)
applied through ``Project.apply``: one transaction, one edit-log entry; Ctrl+Z here is the
project history (``Project.undo``), so it works after a restart too. The dialog opens its
own connection (WAL lets it share the database with the main window) and emits
``changed(doc_id)`` after each edit.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPen,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from annotator.core import history
from annotator.core.adjudicate import (
    Adjudicate,
    Difference,
    SpanKey,
    differences,
    document_layers,
    keyed_relations,
    layer_status,
    relation_keys,
    span_key,
)
from annotator.core.errors import AnnotatorError
from annotator.core.models import GOLD
from annotator.core.ops import DeleteRelations, DeleteSpans, Op
from annotator.core.settings import annotator_name
from annotator.core.store import Project
from annotator.gui.session import not_saved
from annotator.gui.state.offsets import Offsets

DIFF_COLOR = QColor("#D62728")


class LayerPane(QPlainTextEdit):
    """Read-only text of one layer: spans tinted in label colours, differences outlined."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setPlainText(text)
        self.offsets = Offsets(text)  # spans are code points; the pane counts UTF-16 units
        self.outlined: list[tuple[int, int]] = []

    def show_spans(
        self, spans: list[tuple[int, int, QColor]], outlined: list[tuple[int, int]]
    ) -> None:
        sels = []
        for start, end, color in spans:
            sel = QTextEdit.ExtraSelection()
            fmt = QTextCharFormat()
            fmt.setBackground(QColor(color.red(), color.green(), color.blue(), 90))
            sel.format, sel.cursor = fmt, self._cursor(start, end)
            sels.append(sel)
        self.setExtraSelections(sels)
        self.outlined = outlined
        self.viewport().update()

    def _cursor(self, start: int, end: int) -> QTextCursor:
        cur = QTextCursor(self.document())
        cur.setPosition(self.offsets.to_utf16(start))
        cur.setPosition(self.offsets.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        return cur

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        super().paintEvent(event)
        painter = QPainter(self.viewport())
        painter.setPen(QPen(DIFF_COLOR, 2))
        for start, end in self.outlined:
            a, b = (
                self.cursorRect(self._cursor(start, start)),
                self.cursorRect(self._cursor(end, end)),
            )
            if a.top() == b.top():  # one line: a box; across lines: the first line's part
                painter.drawRect(a.left(), a.top(), max(b.left() - a.left(), 4), a.height())
            else:
                painter.drawRect(
                    a.left(), a.top(), self.viewport().width() - a.left() - 2, a.height()
                )
        painter.end()


class AdjudicationDialog(QDialog):
    """Compare the layers of one document and take spans, relations or whole versions into gold."""

    changed = Signal(int)  # doc_id: the gold layer of this document changed

    def __init__(
        self,
        project_path: Path,
        doc_id: int,
        parent: QWidget | None = None,
        *,
        annotator: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.project = Project.open(project_path, annotator=annotator_name(annotator))
        self.doc_id = doc_id
        self.diffs: list[Difference] = []
        self.layers = document_layers(self.project, doc_id)
        doc = self.project.document(doc_id)
        self.setWindowTitle(f"Adjudicate {doc.name}")
        self.panes = {name: LayerPane(doc.text or "", self) for name in [GOLD, *self.layers]}
        self._build()
        self.refresh()

    # ---- layout ----------------------------------------------------------------------------
    def _build(self) -> None:
        status = layer_status(self.project)
        top = QSplitter(Qt.Orientation.Horizontal, self)
        for name, pane in self.panes.items():
            box = QWidget(top)
            lay = QVBoxLayout(box)
            lay.setContentsMargins(0, 0, 0, 0)
            state = status.get(name, {}).get(self.doc_id, "")
            lay.addWidget(QLabel(f"<b>{name or 'gold (result)'}</b> {state}", box))
            lay.addWidget(pane)
            pane.setObjectName(f"pane_{name or 'gold'}")
            pane.verticalScrollBar().valueChanged.connect(
                lambda v, src=pane: self._sync_scroll(src, v)
            )
        self.diff_list = QListWidget(self)
        self.diff_list.setObjectName("differences")
        self.diff_list.installEventFilter(self)
        self.message = QLabel("", self)
        self.message.setObjectName("message")
        root = QVBoxLayout(self)
        root.addWidget(top, 3)
        bottom = QHBoxLayout()
        bottom.addWidget(self.diff_list, 3)
        bottom.addLayout(self._buttons(), 1)
        root.addLayout(bottom, 2)
        root.addWidget(self.message)
        self.resize(1100, 700)

    def _buttons(self) -> QVBoxLayout:
        col = QVBoxLayout()
        self.accept_button = self._button(col, "accept", "&Accept into gold", self.accept_selected)
        self.remove_button = self._button(col, "remove", "&Remove from gold", self.remove_selected)
        for layer in self.layers:
            self._button(
                col,
                f"take_{layer}",
                f"Take {layer}'s version",
                lambda _=False, lay=layer: self.take_version(lay),
            )
        self.undo_button = self._button(col, "undo", "&Undo", self.undo)
        self._button(col, "close", "Close", self.reject)
        col.addStretch(1)
        undo = QAction(self)  # Ctrl+Z anywhere in the dialog, as in the editor
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        undo.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        undo.triggered.connect(self.undo)
        self.addAction(undo)
        return col

    def _button(self, col: QVBoxLayout, name: str, text: str, slot: object) -> QPushButton:
        b = QPushButton(text, self)
        b.setObjectName(f"{name}_button")
        b.setAutoDefault(False)  # Enter in the list must not press a button by surprise
        b.clicked.connect(slot)
        col.addWidget(b)
        return b

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Keys on the list of differences: A or Enter accepts, Delete removes, Ctrl+Z undoes."""
        if obj is self.diff_list and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if event.matches(QKeySequence.StandardKey.Undo):  # type: ignore[attr-defined]
                self.undo()
            elif key in (Qt.Key.Key_A, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.accept_selected()
            elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.remove_selected()
            else:
                return False
            return True
        return super().eventFilter(obj, event)

    def _sync_scroll(self, src: LayerPane, value: int) -> None:
        top = max(src.verticalScrollBar().maximum(), 1)
        for pane in self.panes.values():
            bar = pane.verticalScrollBar()
            if pane is not src and bar.value() != round(value / top * bar.maximum()):
                bar.blockSignals(True)  # no echo back to the pane being scrolled
                bar.setValue(round(value / top * bar.maximum()))
                bar.blockSignals(False)

    # ---- showing ---------------------------------------------------------------------------
    def refresh(self) -> None:
        p, d = self.project, self.doc_id
        spans = {lay: p.spans(d, layer=lay) for lay in self.panes}
        keys = {lay: [span_key(s) for s in spans[lay]] for lay in self.layers}
        rels = {lay: relation_keys(spans[lay], p.relations(d, layer=lay)) for lay in self.layers}
        self.diffs = differences(keys, rels)
        gold_spans = set(span_key(s) for s in spans[GOLD])
        gold_rels = set(relation_keys(spans[GOLD], p.relations(d)))
        differing = {x.key for x in self.diffs if x.kind == "span"}
        for lay, pane in self.panes.items():
            pane.show_spans(
                [(s.start, s.end, self._color(s.label)) for s in spans[lay]],
                [(s.start, s.end) for s in spans[lay] if lay != GOLD and span_key(s) in differing],
            )
        self._fill_list(gold_spans, gold_rels)

    def _fill_list(self, gold_spans: set[SpanKey], gold_rels: set) -> None:
        row = self.diff_list.currentRow()
        self.diff_list.clear()
        text = self.project.text(self.doc_id)
        for diff in self.diffs:
            in_gold = diff.key in (gold_spans if diff.kind == "span" else gold_rels)
            item = QListWidgetItem(self._describe(diff, text) + ("   [in gold]" if in_gold else ""))
            item.setData(Qt.ItemDataRole.UserRole, in_gold)
            self.diff_list.addItem(item)
        if self.diffs:
            self.diff_list.setCurrentRow(min(max(row, 0), len(self.diffs) - 1))

    @staticmethod
    def _describe(diff: Difference, text: str) -> str:
        def span(k: SpanKey) -> str:
            return f"{k[2]} '{text[k[0] : k[1]]}' {k[0]}-{k[1]}"

        what = (
            span(diff.key)
            if diff.kind == "span"
            # type: ignore[arg-type]
            else (f"{span(diff.key[0])} -{diff.key[2]}-> {span(diff.key[1])}")
        )  # type: ignore[arg-type,index]
        return f"{what}: {', '.join(diff.present)} | not {', '.join(diff.missing)}"

    def _color(self, label: str) -> QColor:
        ent = self.project.schema.entity(label)
        return QColor(ent.color if ent else "#BAB0AC")

    # ---- actions ---------------------------------------------------------------------------
    def selected(self) -> Difference | None:
        row = self.diff_list.currentRow()
        return self.diffs[row] if 0 <= row < len(self.diffs) else None

    def accept_selected(self) -> None:
        diff = self.selected()
        if diff is None:
            return
        key = _jsonable(diff.key)
        field = {"spans": [key]} if diff.kind == "span" else {"relations": [key]}
        self._apply(Adjudicate(doc_id=self.doc_id, layer=diff.present[0], **field))

    def remove_selected(self) -> None:
        diff = self.selected()
        if diff is None:
            return
        gold = self.project.spans(self.doc_id)
        if diff.kind == "span":
            ids = [s.id for s in gold if span_key(s) == diff.key]
            op: Op | None = DeleteSpans(ids) if ids else None
        else:
            rels = keyed_relations(gold, self.project.relations(self.doc_id))
            ids = [r.id for k, r in rels if k == diff.key]
            op = DeleteRelations(ids) if ids else None
        if op is None:
            self.message.setText("not in gold: nothing to remove")
            return
        self._apply(op)

    def take_version(self, layer: str) -> None:
        self._apply(Adjudicate(doc_id=self.doc_id, layer=layer, replace=True))

    def undo(self) -> None:
        """The project's own history: the adjudicator's newest step, if it is in this document."""
        step = history.next_undo(self.project)
        if step is None:
            self.message.setText("nothing to undo")
            return
        if step.doc_id != self.doc_id:
            self.message.setText(f"the newest step ('{step.describe()}') is in another document:"
                                 " undo it in the main window")
            return
        self._run(self.project.undo)

    def _apply(self, op: Op) -> None:
        self._run(lambda: self.project.apply(op, summary=f"adjudicate: {op.name.replace('_', ' ')}"))

    def _run(self, write: Callable[[], object]) -> None:
        try:
            write()
        except AnnotatorError as exc:  # shown in the dialog: a modal box would block the work
            self.message.setText(str(exc))
            return
        except sqlite3.Error as exc:
            self.message.setText(not_saved(exc))
            return
        self.message.setText("")
        self.refresh()
        self.changed.emit(self.doc_id)

    def done(self, result: int) -> None:  # noqa: D401 - Qt override: close our connection
        if self.project is not None:
            self.project.close()
            self.project = None  # type: ignore[assignment]
        super().done(result)


def _jsonable(key: tuple) -> list:
    return [_jsonable(k) if isinstance(k, tuple) else k for k in key]
