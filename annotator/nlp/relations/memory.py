"""Project memory of relations: every accepted, corrected or rejected relation teaches.

* An accepted or corrected relation teaches its pattern: (head text, trigger, child
  text) -> type and attributes. The same pattern elsewhere gets that type ("one
  correction propagates to the rest of the corpus"); a trigger the annotators typed
  differently from the lexicon ("rebuff" accepted as ACCUSE, never as REJECT) is
  retyped everywhere; a human relation without a trigger types the same pair linked
  by a verb the lexicon does not know.
* A rejected suggestion is never suggested again: on its document by position (see
  ``annotator.nlp.relations.write``), and elsewhere by its text pattern.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from annotator.core.models import GOLD
from annotator.nlp.relations.base import Candidate

if TYPE_CHECKING:
    from annotator.core.store import Project

_ATTRS = ("negated", "modality")


def norm(text: str) -> str:
    return " ".join(text.lower().split())


@dataclass
class RelationMemory:
    exact: dict[tuple[str, str, str], Counter[str]] = field(default_factory=dict)
    exact_attrs: dict[tuple[str, str, str, str], dict[str, Any]] = field(default_factory=dict)
    triggers: dict[str, Counter[str]] = field(default_factory=dict)
    rejected: set[tuple[str, str, str, str]] = field(default_factory=set)
    # (trigger, type) -> the distinct (head, child) texts it was rejected for
    rejected_triggers: dict[tuple[str, str], set[tuple[str, str]]] = field(default_factory=dict)

    def learn(self, head: str, trigger: str, child: str, label: str,
              attrs: dict[str, Any]) -> None:
        key = (norm(head), trigger, norm(child))
        self.exact.setdefault(key, Counter())[label] += 1
        self.exact_attrs[(*key, label)] = {k: attrs[k] for k in _ATTRS if k in attrs}
        if trigger:
            self.triggers.setdefault(trigger, Counter())[label] += 1

    def reject(self, head: str, trigger: str, child: str, label: str) -> None:
        self.rejected.add((norm(head), trigger, norm(child), label))
        if trigger:
            self.rejected_triggers.setdefault((trigger, label), set()).add((norm(head), norm(child)))

    def apply(self, c: Candidate, head_text: str, child_text: str) -> Candidate | None:
        """The candidate as memory types it, or None when memory says no."""
        h, ch = norm(head_text), norm(child_text)
        for key in ((h, c.trigger, ch), (h, "", ch)):
            if key[1] == "" and c.label and c.trigger:
                continue  # a trigger-less decision only types what the lexicon cannot
            counts = self.exact.get(key)
            if counts:
                label, n = counts.most_common(1)[0]
                attrs = {**c.attrs, **self.exact_attrs.get((*key, label), {})}
                why = f"memory: {n} decision{'s' * (n > 1)} on '{head_text}' -> '{child_text}'"
                c = Candidate(c.head, c.child, label, "memory", c.trigger, why, attrs, c.anchor)
                break
        else:
            counts = self.triggers.get(c.trigger) if c.trigger else None
            if counts:
                label, n = counts.most_common(1)[0]
                if label != c.label:
                    why = f"memory: '{c.trigger}' typed {label} {n} time{'s' * (n > 1)}"
                    c = Candidate(c.head, c.child, label, "memory", c.trigger, why, c.attrs,
                                  c.anchor)
        if not c.label or (h, c.trigger, ch, c.label) in self.rejected:
            return None
        accepted = self.triggers.get(c.trigger, Counter())[c.label] if c.trigger else 0
        rejected = len(self.rejected_triggers.get((c.trigger, c.label), ()))
        if c.source != "memory" and rejected >= 2 + accepted:
            return None  # annotators keep rejecting this trigger's type, for different pairs
        return c


def relation_memory(project: Project) -> RelationMemory:
    """What the project's annotators decided so far (gold layer)."""
    mem = RelationMemory()
    rows = project.conn.execute(
        # substr counts code points, like our offsets
        "SELECT r.label, r.attrs, substr(d.text, h.start + 1, h.end - h.start),"
        " substr(d.text, c.start + 1, c.end - c.start)"
        " FROM relations r JOIN spans h ON h.id = r.head_id JOIN spans c ON c.id = r.child_id"
        " JOIN documents d ON d.id = r.doc_id WHERE r.layer = ? AND r.state = 'accepted'",
        (GOLD,),
    )
    for label, attrs_json, head, child in rows:
        attrs = json.loads(attrs_json or "{}")
        mem.learn(head, str(attrs.get("trigger", "")), child, label, attrs)
    for head, trigger, child, label in project.conn.execute(
        "SELECT head_text, trigger, child_text, label FROM rejected_relations"
    ):
        mem.reject(head, trigger, child, label)
    return mem
