"""The spans of the open document, indexed for "which spans touch [a, b)" queries.

The text view asks this on every paint for the visible range only, so the cost
depends on what is on screen, not on the 20,000 spans of a long document. Spans are
kept sorted by start; a query scans starts in [a - longest, b). Edits update the
index in place (bisect), never rebuilding it.
"""

from __future__ import annotations

from bisect import bisect_left, insort

from annotator.core.models import Span


class SpanIndex:
    def __init__(self, spans: list[Span] | None = None) -> None:
        self.by_id: dict[int, Span] = {}
        self._keys: list[tuple[int, int, int]] = []  # (start, end, id), sorted
        self._longest = 0
        for s in spans or []:
            self.by_id[s.id] = s
        self._keys = sorted((s.start, s.end, s.id) for s in self.by_id.values())
        self._longest = max((s.end - s.start for s in self.by_id.values()), default=0)

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, span_id: int) -> bool:
        return span_id in self.by_id

    def add(self, span: Span) -> None:
        if span.id in self.by_id:
            self.remove(span.id)
        self.by_id[span.id] = span
        insort(self._keys, (span.start, span.end, span.id))
        self._longest = max(self._longest, span.end - span.start)

    def remove(self, span_id: int) -> Span | None:
        span = self.by_id.pop(span_id, None)
        if span is not None:
            i = bisect_left(self._keys, (span.start, span.end, span.id))
            if i < len(self._keys) and self._keys[i][2] == span_id:
                del self._keys[i]
        return span

    def update(self, span: Span) -> None:
        self.remove(span.id)
        self.add(span)

    def overlapping(self, a: int, b: int) -> list[Span]:
        """Spans with start < b and end > a, in (start, end) order."""
        lo = bisect_left(self._keys, (a - self._longest, -1, -1))
        hi = bisect_left(self._keys, (b, -1, -1))
        return [self.by_id[k[2]] for k in self._keys[lo:hi] if k[1] > a]

    def at(self, pos: int) -> list[Span]:
        """Spans covering code point ``pos``, innermost (shortest) first."""
        hits = self.overlapping(pos, pos + 1)
        return sorted(hits, key=lambda s: (s.end - s.start, s.start))

    def ordered(self) -> list[Span]:
        return [self.by_id[k[2]] for k in self._keys]


def nesting_levels(spans: list[Span]) -> dict[int, int]:
    """Depth of each span inside the others (0 = outermost), for nested underlines."""
    levels: dict[int, int] = {}
    open_ends: list[tuple[int, int]] = []  # (end, level) of spans still open
    for s in sorted(spans, key=lambda s: (s.start, -s.end)):
        open_ends = [(e, lv) for e, lv in open_ends if e > s.start]
        used = {lv for _, lv in open_ends}
        level = next(i for i in range(len(used) + 1) if i not in used)
        levels[s.id] = level
        open_ends.append((s.end, level))
    return levels
