"""Arc layout for relations: lanes, label boxes and off-screen indicators, in pixels.

Pure Python on purpose (no Qt import): the overlay measures text and span rectangles,
this module decides where every arc, label and indicator goes, and unit tests can
check the geometry without a display.

Coordinates are the text view's viewport: x to the right, y down. An arc leaves the
top edge of its head span, rises above the upper of its two lines and comes down on
the top edge of its child span; between two lines an arc runs in the gap under the upper
line instead (see ``_cross_line_arc``). Arcs of one line share "lanes": a shorter arc sits
lower, an arc that overlaps another one (or its label) goes one lane higher, so
nested relations read like brackets and no two labels overlap.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

ABOVE, VISIBLE, BELOW = -1, 0, 1


@dataclass(frozen=True, slots=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    def intersects(self, o: Rect, pad: float = 0.0) -> bool:
        return not (self.right + pad <= o.x or o.right + pad <= self.x
                    or self.bottom + pad <= o.y or o.bottom + pad <= self.y)

    def contains(self, x: float, y: float) -> bool:
        return self.x <= x <= self.right and self.y <= y <= self.bottom


@dataclass(frozen=True, slots=True)
class ArcSpec:
    """One relation to lay out. A ``None`` rectangle is an end outside the viewport;
    its ``*_side`` says where (ABOVE or BELOW)."""

    rel_id: int
    head_span: int
    child_span: int
    head: Rect | None
    child: Rect | None
    label: str
    label_w: float
    head_side: int = VISIBLE
    child_side: int = VISIBLE
    other_text: str = ""  # text of the off-screen end, shown on its indicator
    other_w: float = 0.0  # measured width of the indicator text


@dataclass(slots=True)
class Arc:
    rel_id: int
    start: tuple[float, float]  # on the head span
    end: tuple[float, float]  # on the child span
    c1: tuple[float, float]  # cubic Bezier control points
    c2: tuple[float, float]
    label_box: Rect
    lane: int  # -1 for an arc between two lines
    route: list[tuple[float, float]] | None = None  # polyline (cross-line), else the Bezier


@dataclass(slots=True)
class Indicator:
    """A relation whose other end is off screen: a stub from the visible end to a box
    on the viewport's top or bottom margin; clicking the box goes to the other end."""

    rel_id: int
    target_span: int  # the off-screen span to scroll to
    side: int  # ABOVE or BELOW
    anchor: tuple[float, float]  # on the visible span
    box: Rect
    text: str


@dataclass(slots=True)
class Layout:
    arcs: list[Arc] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)

    def hit(self, x: float, y: float) -> Arc | Indicator | None:
        """The label or indicator under a point (indicators first: they sit on top)."""
        for ind in self.indicators:
            if ind.box.contains(x, y):
                return ind
        for arc in reversed(self.arcs):
            if arc.label_box.contains(x, y):
                return arc
        return None


@dataclass(frozen=True, slots=True)
class Metrics:
    label_h: float = 15.0
    label_pad: float = 5.0  # horizontal padding inside a label box
    base_rise: float = 9.0  # height of the lowest lane above the text line
    lane_step: float = 13.0
    max_lanes: int = 12
    gap: float = 3.0  # minimum space between two labels
    margin: float = 3.0  # indicator boxes' distance from the viewport edge
    arrow_w: float = 12.0  # room for the arrow glyph on an indicator
    run_drop: float = 12.0  # how far below the upper span a cross-line route runs


def layout_arcs(specs: list[ArcSpec], *, width: float, height: float,
                m: Metrics = Metrics(), obstacles: list[Rect] | None = None) -> Layout:
    """Place every arc and indicator of the visible relations; labels keep clear of
    ``obstacles`` (the view's span tags) as they keep clear of each other."""
    anchors = _spread_anchors(specs)
    out = Layout()
    both = [s for s in specs if s.head is not None and s.child is not None]
    one = [s for s in specs if (s.head is None) != (s.child is None)]
    out.arcs = _place_arcs(both, anchors, m, list(obstacles or []))
    out.indicators = _place_indicators(one, anchors, width, height, m)
    return out


def _spread_anchors(specs: list[ArcSpec]) -> dict[tuple[int, int], float]:
    """x of each relation's end on a span; several relations on one span fan out over
    its width (ordered by where their other end is) instead of meeting in one point."""
    ends: dict[int, list[tuple[float, int, Rect]]] = defaultdict(list)
    for s in specs:
        for span, rect, other, oside in ((s.head_span, s.head, s.child, s.child_side),
                                         (s.child_span, s.child, s.head, s.head_side)):
            if rect is None:
                continue
            # the other end's position orders the fan; off-screen ends sort by side
            key = other.cx + other.y * 10_000 if other is not None else oside * 1e9
            ends[span].append((key, s.rel_id, rect))
    out: dict[tuple[int, int], float] = {}
    for span, items in ends.items():
        items.sort()
        rect = items[0][2]
        n = len(items)
        usable = rect.w * 0.7  # keep clear of the edges, where spans get resized
        for i, (_key, rel_id, _r) in enumerate(items):
            frac = 0.5 if n == 1 else i / (n - 1)
            out[(span, rel_id)] = rect.cx - usable / 2 + usable * frac
    return out


def _place_arcs(specs: list[ArcSpec], anchors: dict[tuple[int, int], float],
                m: Metrics, labels: list[Rect]) -> list[Arc]:
    # Short arcs first, so the lowest lanes go to the most local relations.
    same, cross = [], []
    for s in specs:
        assert s.head is not None and s.child is not None
        x1, x2 = anchors[(s.head_span, s.rel_id)], anchors[(s.child_span, s.rel_id)]
        item = (abs(x2 - x1), s, x1, x2)
        (same if abs(s.head.y - s.child.y) < 2 else cross).append(item)
    same.sort(key=lambda t: (min(t[1].head.y, t[1].child.y), t[0]))  # type: ignore[union-attr]
    lanes: dict[tuple[float, int], list[tuple[float, float]]] = defaultdict(list)
    arcs = [_same_line_arc(s, x1, x2, lanes, labels, m) for _d, s, x1, x2 in same]
    arcs += [_cross_line_arc(s, x1, x2, labels, m) for _d, s, x1, x2 in cross]
    return arcs


def _same_line_arc(s: ArcSpec, x1: float, x2: float,
                   lanes: dict[tuple[float, int], list[tuple[float, float]]],
                   labels: list[Rect], m: Metrics) -> Arc:
    """Both ends on one line: a bracket above it, higher lanes over longer spans."""
    assert s.head is not None and s.child is not None
    band = s.head.y
    lo, hi = min(x1, x2), max(x1, x2)
    w = s.label_w + 2 * m.label_pad
    lane, box, occ = _free_lane(band, lo, hi, w, lanes, labels, m)
    lanes[(band, lane)].append(occ)
    labels.append(box)
    peak = box.y + box.h / 2
    # a Bezier with both controls at 4/3 of the rise peaks exactly at ``peak``
    c1 = (x1, band + (peak - band) * 4 / 3)
    c2 = (x2, band + (peak - band) * 4 / 3)
    return Arc(s.rel_id, (x1, band), (x2, band), c1, c2, box, lane)


def _cross_line_arc(s: ArcSpec, x1: float, x2: float, labels: list[Rect], m: Metrics) -> Arc:
    """Ends on different lines: an orthogonal route with rounded corners. It leaves the
    lower span upwards, runs along the gap under the upper span's line (between lines,
    not over words) and enters the upper span from below; the label sits on the run."""
    assert s.head is not None and s.child is not None
    head_up = s.head.y < s.child.y
    up, low = (s.head, s.child) if head_up else (s.child, s.head)
    xu, xl = (x1, x2) if head_up else (x2, x1)
    run_y = min(up.bottom + m.run_drop, low.y - 2)
    route = [(xu, up.bottom), (xu, run_y), (xl, run_y), (xl, low.y)]
    if not head_up:
        route.reverse()
    w = s.label_w + 2 * m.label_pad
    lo, hi = min(xu, xl), max(xu, xl)
    box = Rect(0, 0, w, m.label_h)
    for t in (0.5, 0.3, 0.7, 0.15, 0.85, 0.5):
        cx = lo + (hi - lo) * t
        box = Rect(cx - w / 2, run_y - m.label_h / 2, w, m.label_h)
        if not any(box.intersects(o, m.gap / 2) for o in labels):
            break
    labels.append(box)
    return Arc(s.rel_id, route[0], route[-1], route[1], route[-2], box, -1, route)


def _free_lane(band: float, lo: float, hi: float, w: float,
               lanes: dict[tuple[float, int], list[tuple[float, float]]],
               labels: list[Rect], m: Metrics) -> tuple[int, Rect, tuple[float, float]]:
    """Lowest lane, and a spot along the arc's flat top, where the label and the arc's
    span are free. Returns (lane, label box, occupied x interval)."""
    mid = (lo + hi) / 2
    room = max(0.0, (hi - lo - w) / 2)  # how far the label may slide off centre
    box, occ = Rect(mid - w / 2, 0, w, m.label_h), (lo, hi)
    for lane in range(m.max_lanes):
        # never above the viewport's top: the first line's arcs flatten instead
        peak = max(band - m.base_rise - lane * m.lane_step, m.label_h / 2 + 1)
        for shift in (0.0, -0.4, 0.4, -0.8, 0.8):
            cx = mid + shift * room
            box = Rect(cx - w / 2, peak - m.label_h / 2, w, m.label_h)
            occ = (min(lo, box.x), max(hi, box.right))
            taken = any(a < occ[1] + m.gap and occ[0] < b + m.gap for a, b in lanes[(band, lane)])
            if taken:
                break  # sliding does not free an occupied lane
            if not any(box.intersects(o, m.gap / 2) for o in labels):
                return lane, box, occ
    return m.max_lanes - 1, box, occ  # very crowded: overlap rather than fly off the screen


def _place_indicators(specs: list[ArcSpec], anchors: dict[tuple[int, int], float],
                      width: float, height: float, m: Metrics) -> list[Indicator]:
    rows: dict[int, list[Indicator]] = {ABOVE: [], BELOW: []}
    for s in specs:
        visible_head = s.head is not None
        span = s.head_span if visible_head else s.child_span
        rect = s.head if visible_head else s.child
        side = s.child_side if visible_head else s.head_side
        assert rect is not None
        x = anchors[(span, s.rel_id)]
        # "->" when the visible end is the head, "<-" when it is the child
        arrow = "\u2192" if visible_head else "\u2190"
        text = f"{s.label} {arrow} {s.other_text}"
        w = s.label_w + s.other_w + 2 * m.label_pad + m.arrow_w * 2
        y_anchor = rect.y if side == ABOVE else rect.bottom
        box = Rect(x - w / 2, 0, w, m.label_h)
        rows[side].append(Indicator(s.rel_id, s.child_span if visible_head else s.head_span,
                                    side, (x, y_anchor), box, text))
    out: list[Indicator] = []
    for side, inds in rows.items():
        out += _pack_row(inds, side, width, height, m)
    return out


def _pack_row(inds: list[Indicator], side: int, width: float, height: float,
              m: Metrics) -> list[Indicator]:
    """Left-to-right sweep along the margin; a box that would leave the viewport starts a
    new row further in, so indicators never overlap each other."""
    inds.sort(key=lambda i: i.anchor[0])
    row, right = 0, -1e9
    for ind in inds:
        x = max(ind.box.x, right + m.gap, m.margin)
        if x + ind.box.w > width - m.margin and right > m.margin:
            row += 1
            x = max(m.margin, min(ind.box.x, width - m.margin - ind.box.w))
        x = max(m.margin, min(x, width - m.margin - ind.box.w))
        offset = m.margin + row * (m.label_h + m.gap)
        y = offset if side == ABOVE else height - offset - m.label_h
        ind.box = Rect(x, y, ind.box.w, m.label_h)
        right = x + ind.box.w
    return inds
