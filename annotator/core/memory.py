"""Project memory: what the project's gold spans say each text is, right now.

Memory is a function of the current spans, not a log of past decisions: every accepted
gold span (typed, accepted, relabelled, resized, imported, merged or adjudicated) counts
for its text and label; deleting, undoing or relabelling it changes the count at once.
Not counted: suggestions, volunteers' layers, and suggestions accepted unseen in bulk when
a document was finished (``review = 'bulk'``). The label with the most spans wins a text;
a tie goes to the label decided most recently. An entry can be forgotten (decisions on
that text made before the moment it was forgotten stop counting) and memory can be turned
off for the project. Pre-annotation reads ``best_labels``; ``annotator memory`` and the
window's Memory dock read ``entries``. Forgetting and the on/off switch are edits like any
other (``ForgetText``, ``SwitchMemory``): logged, and undone with Ctrl+Z or ``annotator undo``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from annotator.core.db import get_meta, set_meta
from annotator.core.edit import Change, Op
from annotator.core.errors import AnnotatorError
from annotator.core.models import GOLD

if TYPE_CHECKING:
    from annotator.core.store import Project

MAX_CHARS = 200  # longer spans are passages, not names: never a pattern
META_KEY = "memory"  # project_meta: "off" turns memory off for the project
IMPORTED = "import"  # where a span with no annotator came from (an annotated import)


@dataclass
class LabelVotes:
    label: str
    count: int = 0
    last: str = ""  # newest decision's timestamp
    newest: tuple[str, int] = ("", 0)  # (timestamp, span id): the id orders one millisecond
    origins: Counter[str] = field(default_factory=Counter)  # annotator (or "import") -> spans
    documents: set[int] = field(default_factory=set)


@dataclass
class Entry:
    """One text the project has decided on: the winning label and every label's votes."""

    text: str
    votes: list[LabelVotes]  # the winner first

    @property
    def label(self) -> str:
        return self.votes[0].label

    @property
    def count(self) -> int:
        return self.votes[0].count

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text, "label": self.label, "count": self.count,
            "labels": [{"label": v.label, "count": v.count, "last": v.last,
                        "documents": len(v.documents), "from": dict(v.origins)}
                       for v in self.votes],
        }

    def describe_origin(self) -> str:
        """'3 spans in 2 documents, by ana 2, import 1' for the winning label."""
        v = self.votes[0]
        who = ", ".join(f"{k} {n}" for k, n in v.origins.most_common())
        return (f"{v.count} span{'s' * (v.count != 1)} in {len(v.documents)}"
                f" document{'s' * (len(v.documents) != 1)}, by {who}")


def enabled(project: Project) -> bool:
    return get_meta(project.conn, META_KEY) != "off"


def set_enabled(project: Project, on: bool) -> None:
    """Turn the project memory on or off: one undoable step."""
    project.apply(SwitchMemory(on), summary=f"memory {'on' if on else 'off'}")


@dataclass
class SwitchMemory(Op):
    """Memory on or off for the project; the inverse puts the switch back."""

    name: ClassVar[str] = "switch_memory"
    on: bool

    def apply(self, p: Project) -> tuple[Change, Op]:
        before = enabled(p)
        set_meta(p.conn, META_KEY, "on" if self.on else "off")
        return Change(), SwitchMemory(before)


@dataclass
class ForgetText(Op):
    """Decisions on ``text`` up to ``upto`` stop counting (None: they count again)."""

    name: ClassVar[str] = "forget_memory"
    text: str
    upto: str | None

    def apply(self, p: Project) -> tuple[Change, Op]:
        row = p.conn.execute("SELECT ts FROM memory_forgotten WHERE text = ?", (self.text,)).fetchone()
        if self.upto is None:
            p.conn.execute("DELETE FROM memory_forgotten WHERE text = ?", (self.text,))
        else:
            p.conn.execute(
                "INSERT INTO memory_forgotten (text, ts, annotator) VALUES (?, ?, ?)"
                " ON CONFLICT (text) DO UPDATE SET ts = excluded.ts, annotator = excluded.annotator",
                (self.text, self.upto, p.annotator))
        return Change(), ForgetText(self.text, row[0] if row else None)


def entries(project: Project, *, ignore_switch: bool = True) -> list[Entry]:
    """Every remembered text, ordered by text (memory off: ``[]`` unless ``ignore_switch``)."""
    if not ignore_switch and not enabled(project):
        return []
    forgotten = dict(project.conn.execute("SELECT text, ts FROM memory_forgotten").fetchall())
    votes: dict[str, dict[str, LabelVotes]] = {}
    for doc_id, text, rows in _gold_spans(project):
        for sid, start, end, label, ts, annotator in rows:
            phrase = text[start:end].strip()
            if not phrase or len(phrase) > MAX_CHARS or ts <= forgotten.get(phrase, ""):
                continue
            v = votes.setdefault(phrase, {}).setdefault(label, LabelVotes(label))
            v.count += 1
            v.newest = max(v.newest, (ts, sid))
            v.last = v.newest[0]
            v.origins[annotator or IMPORTED] += 1
            v.documents.add(doc_id)
    return [Entry(t, _ranked(by.values())) for t, by in sorted(votes.items())]


def _ranked(votes: Iterable[LabelVotes]) -> list[LabelVotes]:
    """Most spans first; among equals, the most recent decision first."""
    newest_first = sorted(votes, key=lambda v: v.newest, reverse=True)
    return sorted(newest_first, key=lambda v: -v.count)


def best_labels(project: Project) -> dict[str, str]:
    """text -> label, for pre-annotation; empty when memory is off for the project."""
    return {e.text: e.label for e in entries(project, ignore_switch=False)}


def forget_op(project: Project, text: str) -> tuple[ForgetText, int]:
    """The edit that forgets a text, and how many spans stop counting."""
    text = text.strip()
    found = next((e for e in entries(project) if e.text == text), None)
    if found is None:
        raise AnnotatorError(f"nothing in the project memory for {text!r}")
    # up to the newest decision counted (not "now": a decision a moment later must count)
    return ForgetText(text, max(v.last for v in found.votes)), sum(v.count for v in found.votes)


def forget(project: Project, text: str) -> int:
    """Forget a text: the spans decided on it so far stop counting (one undoable step).
    Returns how many did."""
    op, n = forget_op(project, text)
    project.apply(op, summary=f"forget {op.text!r} in the memory")
    return n


def _gold_spans(project: Project) -> Iterator[tuple[int, str, list[tuple]]]:
    """Accepted, reviewed gold spans grouped by document, with the document's text."""
    rows = project.conn.execute(
        "SELECT doc_id, id, start, end, label, updated_at, annotator FROM spans"
        " WHERE layer = ? AND state = 'accepted' AND review = '' AND end - start <= ?"
        " ORDER BY doc_id", (GOLD, MAX_CHARS * 2)).fetchall()
    i = 0
    while i < len(rows):
        doc_id = rows[i][0]
        j = i
        while j < len(rows) and rows[j][0] == doc_id:
            j += 1
        yield doc_id, project.text(doc_id), [r[1:] for r in rows[i:j]]
        i = j
