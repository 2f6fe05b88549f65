"""Store budgets: one edit committed to disk (p95 <= 20 ms) and bulk span insert (>= 50k/s)."""

from __future__ import annotations

import time
from pathlib import Path

from annotator.core import ops
from annotator.core.store import Project


def test_bench_edit_commit_p95(tmp_path: Path) -> None:
    p = Project.init(tmp_path / "p", annotator="bench")
    doc = p.add_document("big.txt", "Russia sent troops to Venezuela. " * 30_000)  # ~1 MB
    times = []
    for i in range(300):
        start = (i * 33) % 990_000
        t0 = time.perf_counter()
        result = p.apply(ops.AddSpan(doc, start, start + 6, "GPE"))
        times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        p.apply(result.inverse)
        times.append(time.perf_counter() - t0)
    times.sort()
    p95 = times[int(len(times) * 0.95)] * 1000
    print(f"\nedit committed (WAL, synchronous=NORMAL, 1 MB doc): p95 {p95:.2f} ms, "
          f"median {times[len(times) // 2] * 1000:.2f} ms (budget p95 <= 20 ms)")
    p.close()
    assert p95 <= 20


def test_bench_bulk_span_insert(tmp_path: Path) -> None:
    p = Project.init(tmp_path / "p")
    docs = [p.add_document(f"d{i}.txt", f"Russia and Venezuela {i}. " * 50) for i in range(100)]
    rows = [{"doc_id": d, "start": k * 25, "end": k * 25 + 6, "label": "GPE"}
            for d in docs for k in range(1000)]
    t0 = time.perf_counter()
    with p.bulk():
        n = p.insert_spans(rows)
    rate = n / (time.perf_counter() - t0)
    print(f"\nbulk span insert: {n} spans at {rate:,.0f} spans/s (budget >= 50,000/s)")
    p.close()
    assert n == 100_000 and rate >= 50_000
