"""The find bar (Ctrl+F): text or regex, this document or the whole project, label all."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.queries import Match, compile_query, find_in_project, find_in_text
from annotator.core.store import Project


class FindBar(QWidget):
    matchActivated = Signal(object)  # Match
    labelAllRequested = Signal(list, str)  # matches, label

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.doc_id: int | None = None
        self.text = ""
        self.matches: list[Match] = []
        self.query = QLineEdit(placeholderText="Find text (Enter), regex with the box")
        self.regex = QCheckBox("Regex")
        self.scope = QComboBox()
        self.scope.addItems(["This document", "Whole project"])
        self.label = QComboBox()
        self.label.addItems(project.schema.labels)
        self.label_all = QPushButton("Label all")
        self.label_all.setToolTip("Label every occurrence with the chosen label (one undo step)")
        self.count = QLabel()
        close = QToolButton(text="x")
        close.setAutoRaise(True)
        self.results = QListWidget()
        self.results.setMaximumHeight(160)
        self.results.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for w in (
            self.query,
            self.regex,
            self.scope,
            self.count,
            QLabel("as"),
            self.label,
            self.label_all,
            close,
        ):
            row.addWidget(w)
        row.setStretch(0, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 4, 8, 4)
        lay.addLayout(row)
        lay.addWidget(self.results)
        self.query.returnPressed.connect(self.search)
        self.regex.toggled.connect(lambda _: self.search())
        self.scope.currentIndexChanged.connect(lambda _: self.search())
        self.label_all.clicked.connect(self._label_all)
        self.results.itemActivated.connect(self._activated)
        self.results.itemClicked.connect(self._activated)
        close.clicked.connect(self.hide)
        self._cursor = -1

    def set_document(self, doc_id: int | None, text: str) -> None:
        self.doc_id, self.text = doc_id, text
        if self.isVisible() and self.query.text() and self.scope.currentIndex() == 0:
            self.search()

    def open(self, initial: str = "") -> None:
        if initial:
            self.query.setText(initial)
        self.show()
        self.query.setFocus()
        self.query.selectAll()

    def keyPressEvent(self, e) -> None:  # noqa: ANN001
        if e.key() == Qt.Key.Key_Escape:
            self.hide()
            return
        super().keyPressEvent(e)

    def search(self) -> list[Match]:
        q = self.query.text()
        self.matches, self._cursor = [], -1
        self.results.clear()
        if not q:
            self.count.setText("")
            return []
        try:
            pattern = compile_query(q, regex=self.regex.isChecked())
        except re.error as exc:
            self.count.setText(f"bad regex: {exc.msg}")
            return []
        if self.scope.currentIndex() == 0:
            self.matches = find_in_text(pattern, self.text, doc_id=self.doc_id or 0)
        else:
            self.matches = list(find_in_project(self.project, pattern))
        self.count.setText(f"{len(self.matches)} found")
        project_scope = self.scope.currentIndex() == 1
        self.results.setVisible(project_scope and bool(self.matches))
        if project_scope:
            for m in self.matches[:2000]:
                item = QListWidgetItem(f"{m.doc_name}:  {m.context}")
                item.setData(Qt.ItemDataRole.UserRole, m)
                self.results.addItem(item)
        elif self.matches:
            self.next_match()
        return self.matches

    def next_match(self) -> None:
        if self.matches:
            self._cursor = (self._cursor + 1) % len(self.matches)
            self.matchActivated.emit(self.matches[self._cursor])

    def _activated(self, item: QListWidgetItem) -> None:
        self.matchActivated.emit(item.data(Qt.ItemDataRole.UserRole))

    def _label_all(self) -> None:
        if not self.matches:
            self.search()
        if self.matches:
            self.labelAllRequested.emit(self.matches, self.label.currentText())
