"""Pre-annotation budgets: whole-run throughput vs raw nlp.pipe (>= 0.9), flat memory.

The run (read from the store, tag, merge, reconcile, write spans and tokens) and raw
``nlp.pipe`` over the same texts use the same loaded pipeline (NER + gazetteer ruler),
alternated in one process so machine load hits both alike; the best of each counts.
"""

from __future__ import annotations

import random
import shutil
import time
from pathlib import Path

import psutil

from annotator.core.store import Project
from annotator.nlp.preannotate import Options, Preannotator, preannotate_project

SAMPLE = Path(__file__).resolve().parents[2] / "projects" / "venezuela-2019"
BATCH = 64


def _corpus(n_docs: int) -> list[str]:
    """Paragraphs of the sample articles, numbered so none is a duplicate."""
    paras = [p.strip() for f in sorted(SAMPLE.glob("*.txt"))
             for p in f.read_text(encoding="utf-8").split("\n") if len(p.strip()) > 200]
    return [f"{paras[i % len(paras)]} ({i})" for i in range(n_docs)]


def _project(path: Path, texts: list[str]) -> Project:
    p = Project.init(path, annotator="bench")
    with p.bulk():
        for i, t in enumerate(texts):
            p.add_document(f"{i}.txt", t)
    return p


def test_bench_preannotate_throughput(tmp_path: Path) -> None:
    texts = _corpus(600)
    template = _project(tmp_path / "template", texts)
    pre = Preannotator.for_project(template, relations=False)  # entities only; see
    template.close()  # test_bench_relations_quality.py for the run with relations
    words = sum(len(d) for d in pre.nlp.tokenizer.pipe(texts))
    raw_times, run_times = [], []
    for k in range(3):
        t0 = time.perf_counter()
        for _doc in pre.nlp.pipe(texts, batch_size=BATCH):
            pass
        raw_times.append(time.perf_counter() - t0)
        shutil.copytree(tmp_path / "template", tmp_path / f"run{k}")
        with Project.open(tmp_path / f"run{k}", annotator="bench") as p:
            t0 = time.perf_counter()
            summary = preannotate_project(p, Options(batch_size=BATCH, relations=False), pre=pre)
            run_times.append(time.perf_counter() - t0)
    raw, run = min(raw_times), min(run_times)
    ratio = raw / run
    print(f"\npre-annotation ({pre.choice.describe()}, {len(texts)} docs, {words} words):"
          f" raw nlp.pipe {words / raw:,.0f} words/s, whole run {words / run:,.0f} words/s"
          f" ({summary.suggested} suggestions stored), ratio {ratio:.2f} (budget >= 0.9)")
    assert summary.documents == len(texts) and summary.tokens_stored == len(texts)
    assert ratio >= 0.9


def _synthetic(n_docs: int, seed: int = 7) -> list[str]:
    """Short news-like documents full of unseen names (new strings stress the vocab)."""
    rnd = random.Random(seed)
    places = ["Russia", "Venezuela", "Caracas", "Moscow", "Washington", "Havana", "Bogota"]

    def name() -> str:
        return "".join(rnd.choice("bcdfgklmnprstvz") + rnd.choice("aeiou") for _ in range(3)).title()

    return [f"Minister {name()} {name()} of {rnd.choice(places)} met {name()} {name()} in"
            f" {rnd.choice(places)} on day {i}, Reuters reported. The {name()}ov Group and"
            f" {name()}neft signed {rnd.randint(2, 90)} deals worth ${rnd.randint(1, 900)} million."
            f" Officials in {rnd.choice(places)} said {name()} {name()} would visit the"
            f" {name()} region with Russian troops and {name()} advisers next week."
            for i in range(n_docs)]


def test_bench_preannotate_memory_is_flat(tmp_path: Path) -> None:
    n = 10_000
    p = _project(tmp_path / "p", _synthetic(n))
    proc = psutil.Process()
    checkpoints = {500: 0.0, 2000: 0.0, 5000: 0.0, 8000: 0.0, n: 0.0}
    peak = [0.0]

    def on_progress(done: int, _total: int) -> None:
        rss = proc.memory_info().rss / 2**20
        peak[0] = max(peak[0], rss)
        for at in checkpoints:
            if done >= at and not checkpoints[at]:
                checkpoints[at] = peak[0]

    t0 = time.perf_counter()
    summary = preannotate_project(p, Options(batch_size=BATCH), on_progress=on_progress)
    seconds = time.perf_counter() - t0
    p.close()
    report = ", ".join(f"{k:,} docs {v:.0f} MB" for k, v in checkpoints.items())
    print(f"\npre-annotating {n:,} synthetic docs ({summary.words:,} words, {seconds:.0f} s,"
          f" {summary.words / seconds:,.0f} words/s): peak RSS after {report}")
    assert summary.documents == n
    assert checkpoints[n] - checkpoints[2000] < 50  # flat: no growth with the corpus
