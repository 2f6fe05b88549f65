"""Reviewing suggested relations by keyboard: Enter accepts, Delete rejects, and "accept
all relations in this sentence".

The keys act on relations only while a relation was picked itself (an arc, an indicator
or a row of the relations panel): a span selection selects its relations too, and then
Enter / Delete keep their span meaning (accept / delete the span). The filter claims the
key at ShortcutOverride, before the text view's span actions see it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent

from annotator.core.ops import Batch, DeleteRelations, Op
from annotator.core.relation_review import RejectRelations, accept_relations

if TYPE_CHECKING:
    from annotator.gui.relations.controller import RelationsController

ACCEPT_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
REJECT_KEYS = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
_SENTENCE_END = re.compile(r"[.!?]\s|\n")


def suggested(ctl: RelationsController, ids: list[int]) -> list[int]:
    return [i for i in ids if (r := ctl.relation(i)) is not None and r.state == "suggested"]


def accept(ctl: RelationsController, ids: list[int]) -> bool:
    """Accept the suggested relations among ``ids`` (one undo step)."""
    todo = suggested(ctl, ids)
    if not todo:
        return False
    text = "Accept relation" if len(todo) == 1 else f"Accept {len(todo)} relations"
    return ctl._run(accept_relations(todo), text) is not None


def remove(ctl: RelationsController, ids: list[int]) -> bool:
    """Reject the suggested relations among ``ids`` (remembered: never suggested again)
    and delete the others, as one undo step."""
    ids = [i for i in ids if ctl.relation(i) is not None]
    if not ids:
        return False
    rejects = suggested(ctl, ids)
    deletes = [i for i in ids if i not in rejects]
    ops: list[Op] = ([RejectRelations(rejects)] if rejects else []) + (
        [DeleteRelations(deletes)] if deletes else [])
    n = len(ids)
    text = (f"Reject {n} suggested relation{'s' * (n > 1)}" if not deletes
            else f"Delete {n} relation{'s' * (n > 1)}")
    return ctl._run(ops[0] if len(ops) == 1 else Batch(ops), text) is not None


def sentence_relations(ctl: RelationsController, rel_id: int) -> list[int]:
    """Suggested relations whose two ends lie in the sentence of ``rel_id``'s head."""
    rel = ctl.relation(rel_id)
    head = ctl.span(rel.head_id) if rel else None
    if head is None:
        return []
    text = ctl.index.text
    start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, head.start)), default=0)
    m = _SENTENCE_END.search(text, head.end)
    end = m.start() + 1 if m else len(text)
    out = []
    for r in ctl.index.by_id.values():
        h, c = ctl.span(r.head_id), ctl.span(r.child_id)
        if r.state == "suggested" and h and c and min(h.start, c.start) >= start \
                and max(h.end, c.end) <= end:
            out.append(r.id)
    return sorted(out)


def accept_sentence(ctl: RelationsController) -> bool:
    anchor = ctl.selected[0] if ctl.selected else None
    if anchor is None:
        ctl.host.show_message("Select a relation first: its sentence's suggestions are accepted")
        return False
    return accept(ctl, sentence_relations(ctl, anchor))


class ReviewKeys(QObject):
    """Enter / Delete on a picked relation, in the text view."""

    def __init__(self, ctl: RelationsController) -> None:
        super().__init__(ctl)
        self.ctl = ctl

    def _targets(self) -> list[int]:
        return list(self.ctl.selected) if self.ctl.relation_focus else []

    def eventFilter(self, _obj: QObject, ev: QEvent) -> bool:
        t = ev.type()
        if t not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        assert isinstance(ev, QKeyEvent)
        key = ev.key()
        ids = self._targets()
        if not ids or ev.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        if key in ACCEPT_KEYS and not suggested(self.ctl, ids):
            return False
        if key not in ACCEPT_KEYS + REJECT_KEYS:
            return False
        if t == QEvent.Type.ShortcutOverride:
            ev.accept()  # the key comes to us as a KeyPress, not to the span actions
            return True
        if key in ACCEPT_KEYS:
            accept(self.ctl, ids)
        else:
            remove(self.ctl, ids)
        return True


def install_review(ctl: RelationsController) -> ReviewKeys:
    """The review keys on the text view (the sentence action is in the action table)."""
    keys = ReviewKeys(ctl)
    ctl.host.view.installEventFilter(keys)
    return keys
