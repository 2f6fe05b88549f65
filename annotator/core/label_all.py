"""Label all occurrences of a search: what to add, what to accept, what to leave alone.

Per match, against the document's gold spans:
* a span of the chosen label already on exactly that text: skipped (nothing to do) -- or,
  when it is a suggestion, accepted;
* a span of another label on exactly that text: relabelled (and so accepted);
* inside a longer span of the chosen label ("Maduro" in "Nicolas Maduro"): skipped, never
  nested;
* overlapping another span where the schema forbids overlaps: skipped;
* otherwise: a new span.
Everything is one operation (one transaction, one undo step).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from annotator.core import ops
from annotator.core.edit import Op
from annotator.core.models import Span
from annotator.core.queries import Match
from annotator.core.store import Project


@dataclass
class LabelAllPlan:
    label: str
    add: dict[int, list[dict]] = field(default_factory=dict)  # doc id -> new spans
    update: dict[str, dict] = field(default_factory=dict)  # span id -> changes
    skipped: int = 0

    @property
    def added(self) -> int:
        return sum(len(v) for v in self.add.values())

    @property
    def accepted(self) -> int:
        return len(self.update)

    def op(self) -> Op | None:
        parts: list[Op] = [ops.AddSpans(doc, spans) for doc, spans in self.add.items()]
        if self.update:
            parts.append(ops.UpdateSpans(self.update))
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else ops.Batch(parts)

    def summary(self) -> str:
        return f"{self.added} added, {self.accepted} accepted, {self.skipped} skipped"


def plan_label_all(project: Project, matches: Iterable[Match], label: str) -> LabelAllPlan:
    plan = LabelAllPlan(label)
    by_doc: dict[int, list[Match]] = {}
    for m in matches:
        by_doc.setdefault(m.doc_id, []).append(m)
    for doc_id, found in by_doc.items():
        spans = project.spans(doc_id)
        exact = {(s.start, s.end): s for s in spans}
        taken: list[tuple[int, int]] = []
        for m in found:
            _plan_one(project, plan, doc_id, m, exact.get((m.start, m.end)), spans, taken)
    return plan


def _plan_one(project: Project, plan: LabelAllPlan, doc_id: int, m: Match, same: Span | None,
              spans: list[Span], taken: list[tuple[int, int]]) -> None:
    label = plan.label
    if same is not None:
        if same.label == label and same.state == "accepted":
            plan.skipped += 1
        else:
            plan.update[str(same.id)] = {"label": label, "state": "accepted"}
        return
    around = [s for s in spans if s.start < m.end and s.end > m.start]
    inside_same = any(s.label == label and s.start <= m.start and m.end <= s.end for s in around)
    clash = (around or any(a < m.end and b > m.start for a, b in taken)) and \
        not project.schema.allow_overlap
    if inside_same or clash:
        plan.skipped += 1
        return
    taken.append((m.start, m.end))
    plan.add.setdefault(doc_id, []).append({"start": m.start, "end": m.end, "label": label})
