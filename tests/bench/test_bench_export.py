"""Export budget: >= 1,000 documents/s for jsonl, memory flat on a 100k-document project.

Run with ``make bench`` (prints docs/s and the peak RSS delta). ``BENCH_EXPORT_DOCS``
sets the project size (default 100,000).
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import psutil

from annotator.core.store import Project
from annotator.core.tokens import tokenize
from annotator.io.export import ExportOptions, export_project

BASE = ("Russia sent troops to Venezuela to support Nicolas Maduro, while Colombia closed"
        " the border and the Lima Group met in Lima to discuss the crisis.")
N_DOCS = int(os.environ.get("BENCH_EXPORT_DOCS", "100000"))


def _doc(i: int, base_tokens: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """A unique text per document and its tokens, without tokenizing 100k texts."""
    n = str(i)
    L = len(BASE)
    text = f"{BASE} Item {n}."
    return text, [*base_tokens, (L + 1, L + 5), (L + 6, L + 6 + len(n)),
                  (L + 6 + len(n), L + 7 + len(n))]


def _big_project(path: Path, n: int) -> Project:
    p = Project.init(path)
    base_tokens = tokenize(BASE)
    assert _doc(123, base_tokens)[1] == tokenize(_doc(123, base_tokens)[0])
    spans = [(0, 6, "GPE"), (22, 31, "GPE"), (43, 57, "PERSON"), (65, 73, "GPE"),
             (97, 107, "ORG"), (97, 101, "GPE"), (115, 119, "GPE")]
    with p.bulk():
        for i in range(n):
            text, toks = _doc(i, base_tokens)
            doc = p.add_document(f"d{i:06d}.txt", text, tokens=toks, status="done")
            p.insert_spans({"doc_id": doc, "start": s, "end": e, "label": lab,
                            "source": "human", "state": "accepted"} for s, e, lab in spans)
        p.conn.execute(  # one AID relation per document: Russia -> Venezuela
            "INSERT INTO relations (doc_id, head_id, child_id, label, attrs, annotator, layer,"
            " created_at, updated_at) SELECT doc_id, MIN(id), MIN(id) + 1, 'AID', '{}', '', '',"
            " '', '' FROM spans GROUP BY doc_id")
    return p


class PeakRSS:
    """Samples this process's RSS in a thread; ``peak`` minus ``start`` is the delta."""

    def __init__(self) -> None:
        self.proc = psutil.Process()
        self.start = self.peak = self.proc.memory_info().rss
        self.samples: list[int] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            rss = self.proc.memory_info().rss
            self.samples.append(rss)
            self.peak = max(self.peak, rss)

    def __enter__(self) -> PeakRSS:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def test_bench_export_jsonl(tmp_path: Path) -> None:
    t0 = time.perf_counter()
    p = _big_project(tmp_path / "big", N_DOCS)
    built = time.perf_counter() - t0
    ticks = 0

    def tick() -> None:
        nonlocal ticks
        ticks += 1

    with PeakRSS() as mem:
        t0 = time.perf_counter()
        summary = export_project(p, "jsonl", tmp_path / "out.jsonl", ExportOptions(), on_doc=tick)
        elapsed = time.perf_counter() - t0
    p.close()
    rate = summary.documents / elapsed
    delta = (mem.peak - mem.start) / 2**20
    early = mem.samples[len(mem.samples) // 10] if mem.samples else mem.start
    growth = (mem.samples[-1] - early) / 2**20 if mem.samples else 0.0
    size = (tmp_path / "out.jsonl").stat().st_size / 2**20
    print(f"\nexport jsonl: {summary.documents:,} docs ({summary.spans:,} spans, "
          f"{summary.relations:,} relations, {size:,.0f} MB) in {elapsed:.1f} s = {rate:,.0f}"
          f" docs/s (budget >= 1,000); peak RSS delta {delta:.1f} MB, growth after the"
          f" first 10% {growth:.1f} MB (project built in {built:.1f} s)")
    assert summary.documents == ticks == N_DOCS
    assert rate >= 1000
    assert delta < 100  # flat: a 100k export never holds the corpus in memory
