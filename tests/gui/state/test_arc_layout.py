"""Arc layout geometry, without Qt: lanes, labels that never overlap, indicators."""

from __future__ import annotations

from annotator.gui.state.arc_layout import ABOVE, BELOW, ArcSpec, Rect, layout_arcs


def _span(x: float, line: int = 0, w: float = 40) -> Rect:
    return Rect(x, 100 + line * 30, w, 16)


def _arc(rel: int, h: int, c: int, hr: Rect | None, cr: Rect | None, **kw) -> ArcSpec:
    return ArcSpec(rel, h, c, hr, cr, kw.pop("label", "AID"), 30, **kw)


def test_nested_arcs_stack_shorter_lower() -> None:
    a, b, c = _span(0), _span(100), _span(300)
    lay = layout_arcs([_arc(1, 1, 3, a, c), _arc(2, 1, 2, a, b)], width=800, height=600)
    by_id = {arc.rel_id: arc for arc in lay.arcs}
    assert by_id[2].lane < by_id[1].lane
    assert by_id[1].label_box.y < by_id[2].label_box.y


def test_labels_never_overlap_on_a_crowded_line() -> None:
    spans = [_span(i * 50) for i in range(12)]
    specs = [_arc(n, i, j, spans[i], spans[j], label="SUPPORT")
             for n, (i, j) in enumerate((i, j) for i in range(12) for j in range(i + 1, 12)
                                        if j - i <= 3)]
    lay = layout_arcs(specs, width=800, height=600)
    boxes = [a.label_box for a in lay.arcs]
    assert len(boxes) == len(specs)
    crowded = [a for a in lay.arcs if a.lane == 11]  # the top lane is the overflow lane
    clear = [b for a, b in zip(lay.arcs, boxes, strict=True) if a not in crowded]
    for i, b in enumerate(clear):
        assert not any(b.intersects(o) for o in clear[i + 1:])


def test_same_line_arc_peaks_above_the_line() -> None:
    lay = layout_arcs([_arc(1, 1, 2, _span(0), _span(200))], width=800, height=600)
    arc = lay.arcs[0]
    assert arc.start[1] == arc.end[1] == _span(0).y
    assert arc.label_box.bottom < _span(0).y


def test_cross_line_arc_runs_between_the_lines() -> None:
    head, child = _span(0, line=2), _span(200, line=1)
    lay = layout_arcs([_arc(1, 1, 2, head, child)], width=800, height=600)
    arc = lay.arcs[0]
    assert arc.start == (head.cx, head.y)  # leaves the top of the lower head
    assert arc.end == (child.cx, child.bottom)  # arrives under the upper child
    assert arc.route is not None and arc.route[1][1] == arc.route[2][1]  # horizontal run
    run_y = arc.route[1][1]
    assert child.bottom < run_y < _span(0, line=2).y  # in the gap, above the head's line
    assert arc.label_box.y < run_y < arc.label_box.bottom


def test_first_line_arcs_stay_inside_the_viewport() -> None:
    spans = [Rect(i * 60, 4, 40, 16) for i in range(6)]
    specs = [_arc(n, 0, j, spans[0], spans[j]) for n, j in enumerate(range(1, 6))]
    lay = layout_arcs(specs, width=800, height=600)
    assert len(lay.arcs) == 5
    assert all(a.label_box.y >= 0 for a in lay.arcs)


def test_relations_on_one_span_fan_out() -> None:
    a, b, c = _span(0, w=60), _span(100), _span(200)
    lay = layout_arcs([_arc(1, 1, 2, a, b), _arc(2, 1, 3, a, c)], width=800, height=600)
    starts = {arc.rel_id: arc.start[0] for arc in lay.arcs}
    assert starts[1] != starts[2]
    assert all(a.x <= s <= a.right for s in starts.values())


def test_off_screen_end_gets_an_indicator_on_the_margin() -> None:
    a = _span(100)
    specs = [
        _arc(1, 1, 9, a, None, child_side=BELOW, other_text="Maduro", other_w=40),
        _arc(2, 8, 1, None, a, head_side=ABOVE, other_text="Russia", other_w=40),
    ]
    lay = layout_arcs(specs, width=400, height=300)
    assert not lay.arcs
    ind = {i.rel_id: i for i in lay.indicators}
    assert ind[1].side == BELOW and ind[1].box.bottom <= 300 and ind[1].target_span == 9
    assert ind[2].side == ABOVE and ind[2].box.y >= 0 and ind[2].target_span == 8
    assert "Maduro" in ind[1].text and "Russia" in ind[2].text
    assert lay.hit(ind[1].box.cx, ind[1].box.y + 2) is ind[1]


def test_indicators_do_not_overlap_and_stay_inside() -> None:
    a = _span(190, w=20)
    specs = [_arc(n, 1, 100 + n, a, None, child_side=BELOW, other_text="Nicolas Maduro",
                  other_w=90) for n in range(8)]
    lay = layout_arcs(specs, width=400, height=300)
    boxes = [i.box for i in lay.indicators]
    for i, b in enumerate(boxes):
        assert 0 <= b.x and b.right <= 400
        assert not any(b.intersects(o) for o in boxes[i + 1:])
