"""History budgets: undo / redo of one edit after a restart (core, p95 <= 20 ms), with a long
edit log behind it, and undo / redo of a whole 20k-suggestion pre-annotation run."""

from __future__ import annotations

import time
from pathlib import Path

from annotator.core import history, ops
from annotator.core.store import Project


def test_bench_undo_redo_after_restart(tmp_path: Path) -> None:
    p = Project.init(tmp_path / "p", annotator="bench")
    doc = p.add_document("big.txt", "Russia sent troops to Venezuela. " * 30_000)  # ~1 MB
    with p.bulk():  # 20,000 edits of this annotator and 20,000 of another one in the log
        for i in range(20_000):
            p.apply(ops.AddSpan(doc, i * 33, i * 33 + 6, "GPE"), summary="label 'Russia' GPE")
    p.close()
    other = Project.open(tmp_path / "p", annotator="someone else")
    with other.bulk():
        for i in range(20_000):
            other.apply(ops.AddSpan(doc, i * 33 + 22, i * 33 + 31, "GPE"))
    other.close()

    times: list[float] = []
    for _ in range(100):  # each round a new process-like open: nothing cached in memory
        p = Project.open(tmp_path / "p", annotator="bench")
        t0 = time.perf_counter()
        assert p.undo() is not None
        times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        assert p.redo() is not None
        times.append(time.perf_counter() - t0)
        p.close()
    times.sort()
    p95 = times[int(len(times) * 0.95)] * 1000
    print(f"\nundo/redo of one edit after a restart (40k-entry log, 1 MB doc): p95 {p95:.2f} ms,"
          f" median {times[len(times) // 2] * 1000:.2f} ms (budget <= 20 ms)")
    assert p95 <= 20


def test_bench_undo_redo_of_a_run(tmp_path: Path) -> None:
    p = Project.init(tmp_path / "p", annotator="bench")
    doc = p.add_document("big.txt", "Russia sent troops to Venezuela. " * 30_000)
    run = history.start_run(p, "preannotate", "pre-annotation (bench)", {})
    with p.bulk():
        p.insert_spans({"doc_id": doc, "start": i * 33, "end": i * 33 + 6, "label": "GPE",
                        "run_id": run} for i in range(20_000))
    history.finish_run(p, run, "pre-annotation (bench): 20000 suggestions", {})
    t0 = time.perf_counter()
    p.undo()
    undo_s = time.perf_counter() - t0
    assert p.spans(doc) == []
    t0 = time.perf_counter()
    p.redo()
    redo_s = time.perf_counter() - t0
    assert len(p.spans(doc)) == 20_000
    print(f"\nundo / redo of a 20k-suggestion run: {undo_s * 1000:.0f} / {redo_s * 1000:.0f} ms"
          " (budget 1 s each, like bulk edits)")
    p.close()
    assert undo_s <= 1 and redo_s <= 1


def test_bench_undo_redo_of_a_linked_run(tmp_path: Path) -> None:
    """The same run with every suggestion linked to an actor (the linking step of a
    pre-annotation), and 2,000 people's spans it linked too: links and actors go and come back."""
    from annotator.nlp.linking import link_project

    p = Project.init(tmp_path / "p", annotator="bench")
    words = ("Russia", "Maduro", "Putin", "Iran", "Cuba")
    text = "".join(f"{w} met them. " for _ in range(6_000) for w in words)
    doc = p.add_document("big.txt", text)
    pos, offsets = 0, []
    for _ in range(6_000):
        for w in words:
            offsets.append((pos, pos + len(w), "PERSON" if w in ("Maduro", "Putin") else "GPE"))
            pos += len(w) + len(" met them. ")
    with p.bulk():  # a person's spans first
        p.insert_spans({"doc_id": doc, "start": s, "end": e, "label": lab, "source": "human",
                        "state": "accepted"} for s, e, lab in offsets[:2_000])
    run = history.start_run(p, "preannotate", "pre-annotation (bench)", {})
    with p.bulk():
        p.insert_spans({"doc_id": doc, "start": s, "end": e, "label": lab, "run_id": run}
                       for s, e, lab in offsets[2_000:22_000])
    linked = link_project(p, run_id=run).linked
    history.finish_run(p, run, "pre-annotation (bench): 20000 suggestions", {})
    assert linked == 22_000
    t0 = time.perf_counter()
    p.undo()
    undo_s = time.perf_counter() - t0
    assert p.conn.execute("SELECT COUNT(*) FROM span_actor").fetchone()[0] == 0
    t0 = time.perf_counter()
    p.redo()
    redo_s = time.perf_counter() - t0
    assert p.conn.execute("SELECT COUNT(*) FROM span_actor").fetchone()[0] == 22_000
    print(f"\nundo / redo of a 20k-suggestion run with 22k actor links: {undo_s * 1000:.0f} /"
          f" {redo_s * 1000:.0f} ms (budget 1 s each)")
    p.close()
    assert undo_s <= 1 and redo_s <= 1
