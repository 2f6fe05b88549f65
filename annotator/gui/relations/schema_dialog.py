"""Edit the project's relation types: name, group, symmetric flag, allowed head/child
labels (checkboxes), add and remove. Saved with ``project.set_schema(parse_schema(raw))``
so the same validation as a schema file applies; a type still used by a relation
cannot be removed or renamed (the relation would lose its meaning).
"""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.schema import parse_schema
from annotator.core.store import Project


class RelationSchemaDialog(QDialog):
    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Relation Types")
        self.project = project
        schema = project.schema
        self.labels = schema.labels
        self.label_sets: dict[str, list[str]] = dict(schema.raw.get("label_sets") or {})
        # edit plain dicts (the raw JSON), with @SETS expanded so checkboxes show them
        self.types: list[dict[str, Any]] = [self._expanded(r) for r in schema.raw.get("relations") or []]
        self.original_names = [t["name"] for t in self.types]
        self.in_use: dict[str, int] = dict(project.stats()["relations_by_label"])
        self._current = -1
        self._build()
        self.list.setCurrentRow(0)

    # ---- widgets -----------------------------------------------------------------------
    def _build(self) -> None:
        self.list = QListWidget()
        self.list.addItems([t["name"] for t in self.types])
        self.list.currentRowChanged.connect(self._show)
        add, remove = QPushButton("Add"), QPushButton("Remove")
        add.clicked.connect(self.add_type)
        remove.clicked.connect(self.remove_current)
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        left.addLayout(row)
        self.name = QLineEdit()
        self.group = QComboBox()
        self.group.setEditable(True)
        self.group.addItems(sorted({t.get("group", "") for t in self.types} - {""}) or ["event"])
        self.symmetric = QCheckBox("Symmetric (A \u2013 B, no direction)")
        self.description = QLineEdit()
        self.head_boxes = self._label_boxes()
        self.child_boxes = self._label_boxes()
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Group", self.group)
        form.addRow("", self.symmetric)
        form.addRow("Description", self.description)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(self._group_box("Head (first argument) may be", self.head_boxes))
        right.addWidget(self._group_box("Child (second argument) may be", self.child_boxes))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c0392b;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addLayout(right, 2)
        outer = QVBoxLayout(self)
        outer.addLayout(body)
        outer.addWidget(self.message)
        outer.addWidget(buttons)

    def _label_boxes(self) -> dict[str, QCheckBox]:
        return {name: QCheckBox(name) for name in self.labels}

    def _group_box(self, title: str, boxes: dict[str, QCheckBox]) -> QGroupBox:
        box = QGroupBox(title)
        grid = QGridLayout(box)
        for i, cb in enumerate(boxes.values()):
            grid.addWidget(cb, i // 4, i % 4)
        return box

    # ---- moving between types ----------------------------------------------------------
    def _show(self, row: int) -> None:
        self._store()
        self._current = row
        if not 0 <= row < len(self.types):
            return
        t = self.types[row]
        self.name.setText(t["name"])
        self.group.setCurrentText(t.get("group", ""))
        self.symmetric.setChecked(bool(t.get("symmetric")))
        self.description.setText(t.get("description", ""))
        for key, boxes in (("head", self.head_boxes), ("child", self.child_boxes)):
            for name, cb in boxes.items():
                cb.setChecked(name in t.get(key, []))

    def _store(self) -> None:
        """Write the form back into the edited type (called before switching)."""
        if not 0 <= self._current < len(self.types):
            return
        t = self.types[self._current]
        t["name"] = self.name.text().strip()
        t["group"] = self.group.currentText().strip()
        t["symmetric"] = self.symmetric.isChecked()
        t["description"] = self.description.text().strip()
        t["head"] = [n for n, cb in self.head_boxes.items() if cb.isChecked()]
        t["child"] = [n for n, cb in self.child_boxes.items() if cb.isChecked()]
        item = self.list.item(self._current)
        if item is not None:
            item.setText(t["name"])

    def add_type(self) -> None:
        self._store()
        n = 1
        while f"NEW_TYPE_{n}" in {t["name"] for t in self.types}:
            n += 1
        self.types.append({"name": f"NEW_TYPE_{n}", "group": "event", "head": [], "child": [],
                           "symmetric": False})
        self.list.addItem(f"NEW_TYPE_{n}")
        self.list.setCurrentRow(len(self.types) - 1)
        self.name.setFocus()
        self.name.selectAll()

    def remove_current(self) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self.types):
            return
        name = self.types[row]["name"]
        used = self.in_use.get(self._original_name(row), 0)
        if used:
            self.message.setText(f"{name} is used by {used} relation(s); delete or retype them "
                                 "first. Nothing was removed.")
            return
        self._current = -1  # do not store the form into the row being removed
        del self.types[row]
        self.list.takeItem(row)
        self.message.clear()

    def _original_name(self, row: int) -> str:
        name = self.types[row]["name"]
        return self.types[row].get("_original", name)

    # ---- saving --------------------------------------------------------------------------
    def new_raw(self) -> dict[str, Any]:
        self._store()
        raw = copy.deepcopy(self.project.schema.raw)
        raw["relations"] = [self._compacted(t) for t in self.types]
        return raw

    def save(self) -> None:
        raw = self.new_raw()
        names = {r["name"] for r in raw["relations"]}
        lost = sorted(n for n in self.original_names if n not in names and self.in_use.get(n))
        if lost:
            self.message.setText(f"Still in use, cannot remove or rename: {', '.join(lost)}.")
            return
        try:
            self.project.set_schema(parse_schema(raw))
        except AnnotatorError as exc:
            self.message.setText(str(exc))
            return
        self.accept()

    def _expanded(self, r: dict[str, Any]) -> dict[str, Any]:
        t = copy.deepcopy(r)
        t["_original"] = r.get("name", "")
        for key in ("head", "child"):
            out: list[str] = []
            for item in r.get(key) or []:
                out += self.label_sets.get(item[1:], []) if item.startswith("@") else [item]
            t[key] = sorted(set(out), key=self.labels.index) if out else []
        return t

    def _compacted(self, t: dict[str, Any]) -> dict[str, Any]:
        """Back to file form: a label list equal to a label set is written as @SET."""
        out = {k: v for k, v in t.items() if not k.startswith("_")}
        for key in ("head", "child"):
            chosen = set(out.get(key, []))
            for set_name, members in self.label_sets.items():
                if chosen and set(members) == chosen:
                    out[key] = [f"@{set_name}"]
                    break
                if set(members) < chosen:
                    out[key] = [f"@{set_name}", *[n for n in self.labels
                                                  if n in chosen - set(members)]]
                    break
        return out


def edit_relation_types(project: Project, parent: QWidget | None = None) -> bool:
    """Open the dialog; True when the schema was saved."""
    dlg = RelationSchemaDialog(project, parent)
    dlg.setWindowModality(Qt.WindowModality.WindowModal)
    return dlg.exec() == QDialog.DialogCode.Accepted
