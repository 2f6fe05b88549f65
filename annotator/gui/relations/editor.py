"""Editing the selected relation: type (only types valid for its ends), direction,
attributes from the schema (negated checkbox, modality combo), delete.

Two faces over the same controller calls (each one core op, one undo step): the form
under the relations table, and a context menu on an arc's label or a table row.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QWidget,
)

from annotator.core.schema import Attribute
from annotator.gui.relations.controller import RelationsController
from annotator.gui.relations.paint import esc
from annotator.gui.state.relation_index import is_symmetric


class RelationEditor(QWidget):
    """The form for the (first) selected relation; hidden controls when none is selected."""

    def __init__(self, ctl: RelationsController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctl = ctl
        self.rel_id: int | None = None
        self._loading = False
        self.caption = QLabel("Select a relation (click its label, or a row) to edit it.")
        self.caption.setWordWrap(True)
        self.type_box = QComboBox()
        self.type_box.setToolTip("Only the types valid for these two entity labels")
        self.swap_button = QPushButton("Swap direction")
        self.delete_button = QPushButton("Delete")
        self.attr_widgets: dict[str, QCheckBox | QComboBox] = {}
        form = QFormLayout()
        form.addRow("Type", self.type_box)
        for attr in self._attributes():
            w = self._attr_widget(attr)
            self.attr_widgets[attr.name] = w
            form.addRow("" if isinstance(w, QCheckBox) else attr.name.capitalize(), w)
        buttons = QHBoxLayout()
        buttons.addWidget(self.swap_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        self.form = QWidget()
        outer = QFormLayout(self)
        outer.setContentsMargins(0, 4, 0, 0)
        outer.addRow(self.caption)
        inner = QFormLayout(self.form)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addRow(form)
        inner.addRow(buttons)
        outer.addRow(self.form)
        self.type_box.activated.connect(self._type_chosen)
        self.swap_button.clicked.connect(lambda: self.rel_id and ctl.swap(self.rel_id))
        self.delete_button.clicked.connect(lambda: ctl.delete(list(ctl.selected)))
        ctl.selectionChanged.connect(lambda _ids: self.refresh())
        ctl.relationsChanged.connect(lambda *_: self.refresh())
        ctl.relationsReset.connect(self.refresh)
        self.refresh()

    def _attributes(self) -> tuple[Attribute, ...]:
        p = self.ctl.project
        return p.schema.relation_attributes if p else ()

    def _attr_widget(self, attr: Attribute) -> QCheckBox | QComboBox:
        if attr.type == "bool":
            box = QCheckBox(attr.name.capitalize())
            box.toggled.connect(lambda on, n=attr.name: self._attr_changed(n, on))
            return box
        combo = QComboBox()
        combo.addItems(list(attr.values) if attr.type == "enum" else [])
        combo.activated.connect(lambda _i, n=attr.name, c=combo: self._attr_changed(n, c.currentText()))
        return combo

    def refresh(self) -> None:
        ids = self.ctl.selected
        rel = self.ctl.relation(ids[0]) if ids else None
        self.rel_id = rel.id if rel else None
        self.form.setVisible(rel is not None)
        self.delete_button.setText("Delete" if len(ids) <= 1 else f"Delete {len(ids)}")
        if rel is None:
            self.caption.setText("Select a relation (click its label, or a row) to edit it.")
            return
        self._loading = True
        try:
            schema = self.ctl.project.schema  # type: ignore[union-attr]
            arrow = "\u2013" if is_symmetric(schema, rel.label) else "\u2192"
            self.caption.setText(f"<b>{esc(self.ctl.describe_span(rel.head_id))}</b> {arrow} "
                                 f"<b>{esc(self.ctl.describe_span(rel.child_id))}</b>")
            self.type_box.clear()
            names = [t.name for t in self.ctl.valid_types(rel.head_id, rel.child_id)]
            if rel.label not in names:  # e.g. after a schema edit: still show what is stored
                names.insert(0, rel.label)
            self.type_box.addItems(names)
            self.type_box.setCurrentText(rel.label)
            for attr in self._attributes():
                w = self.attr_widgets.get(attr.name)
                value = rel.attrs.get(attr.name, attr.default)
                if isinstance(w, QCheckBox):
                    w.setChecked(bool(value))
                elif isinstance(w, QComboBox) and value is not None:
                    w.setCurrentText(str(value))
            self.swap_button.setEnabled(not is_symmetric(schema, rel.label))
        finally:
            self._loading = False

    def _type_chosen(self, _i: int) -> None:
        label = self.type_box.currentText()
        rel = self.ctl.relation(self.rel_id) if self.rel_id is not None else None
        if rel is not None and label != rel.label:
            self.ctl.set_type(rel.id, label)

    def _attr_changed(self, name: str, value: Any) -> None:
        if not self._loading and self.rel_id is not None:
            self.ctl.set_attr(self.rel_id, name, value)


def relation_menu(ctl: RelationsController, rel_id: int, parent: QWidget, *,
                  ids: list[int] | None = None) -> QMenu:
    """Context menu for one relation (or delete for several selected ones)."""
    menu = QMenu(parent)
    rel = ctl.relation(rel_id)
    if rel is None or ctl.project is None:
        return menu
    schema = ctl.project.schema
    types = menu.addMenu("Change &Type")
    for t in ctl.valid_types(rel.head_id, rel.child_id):
        act = types.addAction(t.name)
        act.setCheckable(True)
        act.setChecked(t.name == rel.label)
        act.triggered.connect(lambda _=False, n=t.name: ctl.set_type(rel_id, n))
    swap = menu.addAction("&Swap Direction")
    swap.setEnabled(not is_symmetric(schema, rel.label))
    swap.triggered.connect(lambda: ctl.swap(rel_id))
    for attr in schema.relation_attributes:
        value = rel.attrs.get(attr.name, attr.default)
        if attr.type == "bool":
            act = menu.addAction(attr.name.capitalize())
            act.setCheckable(True)
            act.setChecked(bool(value))
            act.toggled.connect(lambda on, n=attr.name: ctl.set_attr(rel_id, n, on))
        elif attr.type == "enum":
            sub = menu.addMenu(attr.name.capitalize())
            for v in attr.values:
                act = sub.addAction(v)
                act.setCheckable(True)
                act.setChecked(v == value)
                act.triggered.connect(lambda _=False, n=attr.name, v=v: ctl.set_attr(rel_id, n, v))
    menu.addSeparator()
    targets = ids or [rel_id]
    delete = menu.addAction("&Delete" if len(targets) == 1 else f"&Delete {len(targets)} Relations")
    delete.triggered.connect(lambda: ctl.delete(targets))
    return menu

