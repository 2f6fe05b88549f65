"""Corpus runs on a real Dask LocalCluster: same suggestions as in-process, retries, resume."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.core.store import Project
from annotator.core.text import text_hash
from annotator.io.corpus import work
from annotator.io.corpus.inputs import ReadReport, list_sources, partitions, read_documents
from annotator.io.corpus.run import CorpusOptions, build_context, preannotate_corpus
from annotator.io.corpus.shards import MANIFEST, sha256_file
from annotator.io.importer import collect_files, import_paths
from annotator.nlp.preannotate import Options, preannotate_project
from tests.io import corpus_samples
from tests.io.corpus_samples import project_suggestions, write_corpus
from tests.io.samples import png_bytes

pytest.importorskip("distributed")
ROOT = Path(__file__).resolve().parents[2]


def _shard_suggestions(folder: Path) -> dict[str, list[tuple]]:
    out: dict[str, list[tuple]] = {}
    for f in sorted(folder.glob("shard-*.jsonl")):
        for line in f.read_text(encoding="utf-8").splitlines():
            task = json.loads(line)
            keys = {"text", "start", "end", "label", "source", "state"}
            out[text_hash(task["text"])] = sorted(
                (s["start"], s["end"], s["label"], s["source"],
                 json.dumps({k: v for k, v in s.items() if k not in keys}, ensure_ascii=False))
                for s in task["spans"])
    return out


def _expected_shards(inputs: list[str], options: CorpusOptions) -> dict[str, bytes]:
    """The shards computed in this process by the same pure function, no Dask at all."""
    context, _ = build_context(options)
    pre = work.pipeline(context)
    docs = read_documents(list_sources(inputs, exclude=options.output), ReadReport())
    return {p.name: work.annotate_partition(pre, p, context).data
            for p in partitions(docs, size=options.partition_docs)}


def _project_run(tmp: Path, inputs: list[str], n_process: int, model: str) -> dict:
    p = Project.init(tmp / f"proj-{n_process}", model=model)
    import_paths(p, collect_files([Path(x) for x in inputs]))
    preannotate_project(p, Options(n_process=n_process, batch_size=16))
    out = project_suggestions(p)
    p.close()
    return out


def _check_identical(tmp: Path, model: str, n_docs: int) -> None:
    inputs = [str(f) for f in write_corpus(tmp / "in", n_docs, seed=3)]
    bad = tmp / "in" / "scan.txt"
    bad.write_bytes(png_bytes())
    inputs.insert(2, str(bad))
    opts = CorpusOptions(output=tmp / "out", model=model, workers=2, partition_docs=37)
    summary = preannotate_corpus(inputs, opts)
    assert summary.workers == 2 and not summary.failed
    assert summary.problems() == [f"skipped {bad}: binary file (PNG image)"]  # the rest is done
    assert summary.documents == n_docs and summary.shards == -(-n_docs // 37)
    # the cluster's shards are byte for byte what the pure function gives in this process
    expected = _expected_shards(inputs, opts)
    got = {f.name: f.read_bytes() for f in sorted((tmp / "out").glob("shard-*.jsonl"))}
    assert got == expected
    # ... and carry the suggestions `annotator preannotate` stores, with 1 and 2 processes
    shard = _shard_suggestions(tmp / "out")
    assert sum(map(len, shard.values())) == summary.suggestions > n_docs
    for n_process in (1, 2):
        assert _project_run(tmp, inputs, n_process, model) == shard
    # and back in a project they are suggestions with their source, not gold
    p = Project.init(tmp / "back")
    report = import_paths(p, collect_files([tmp / "out"]))
    assert report.n_imported == n_docs and not report.skipped and not report.dropped
    assert project_suggestions(p) == shard
    p.close()


def test_cluster_matches_in_process_and_preannotate(tmp_path: Path) -> None:
    _check_identical(tmp_path, "blank", 300)


@pytest.mark.slow
def test_cluster_matches_with_the_real_model(tmp_path: Path) -> None:
    _check_identical(tmp_path, "en_core_web_sm", 200)


def test_failed_partition_is_retried_then_named(tmp_path: Path, monkeypatch) -> None:
    import cloudpickle

    cloudpickle.register_pickle_by_value(corpus_samples)  # workers need not import tests/
    monkeypatch.setenv("CORPUS_TEST_MARKERS", str(tmp_path))
    inputs = [str(corpus_samples.write_jsonl(tmp_path / "in.jsonl", 100))]
    opts = CorpusOptions(output=tmp_path / "out", model="blank", workers=2, partition_docs=20,
                         retries=1)
    summary = preannotate_corpus(inputs, opts, task=corpus_samples.flaky_task)
    assert (tmp_path / "tried-1").exists()  # partition 1 failed once, Dask's retry made it
    assert [(n, r) for n, _, r in summary.failed] == [
        ("shard-00002.jsonl", "RuntimeError: this partition always fails")]
    assert summary.failed[0][1] == f"{inputs[0]}#41 .. {inputs[0]}#60"
    names = sorted(f.name for f in (tmp_path / "out").glob("shard-*"))
    assert names == ["shard-00000.jsonl", "shard-00001.jsonl", "shard-00003.jsonl",
                     "shard-00004.jsonl"]  # no half shard for the failed one
    manifest = json.loads((tmp_path / "out" / MANIFEST).read_text())
    assert manifest["complete"] is False and manifest["counts"]["documents"] == 80
    assert manifest["failed"][0]["shard"] == "shard-00002.jsonl"


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "annotator", "corpus", "preannotate", *args]


def test_killed_run_resumes_to_the_same_shards(tmp_path: Path) -> None:
    write_corpus(tmp_path / "in", 400, seed=5)
    inputs = [str(tmp_path / "in")]
    out = tmp_path / "in" / "shards"  # inside the input folder: never read back as input
    args = _cli(*inputs, "--output", str(out), "--workers", "1", "--model", "blank",
                "--partition-docs", "10")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(args, env=env, start_new_session=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while len(list(out.glob("shard-*.jsonl"))) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the CLI, its local scheduler and its worker at once
    proc.wait()
    written = len(list(out.glob("shard-*.jsonl")))
    assert 3 <= written < 40 and not (out / MANIFEST).exists()

    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    resumed = int(done.stdout.split(" written, ")[1].split(" already done")[0])
    assert resumed >= written - 1  # a shard renamed but not yet journalled is made again
    assert not list(out.glob(".*.tmp"))
    expected = _expected_shards(inputs, CorpusOptions(output=out, model="blank",
                                                      partition_docs=10))
    got = {f.name: f.read_bytes() for f in sorted(out.glob("shard-*.jsonl"))}
    assert got == expected and len(got) == 40
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["complete"] and manifest["counts"]["documents"] == 400
    assert {e["name"]: e["sha256"] for e in manifest["shards"]} == {
        name: sha256_file(out / name) for name in got}


@pytest.mark.slow  # three extra processes (scheduler, nanny, workers): ~15 s on 2 cores
def test_running_cluster_by_hand_gives_the_same_shards(tmp_path: Path) -> None:
    """docs/scale.md's recipe: `dask scheduler` + `dask worker`, then --scheduler ADDRESS."""
    dask_cli = Path(sys.executable).with_name("dask")
    if not dask_cli.exists():
        pytest.skip("no dask command next to this Python")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    info = tmp_path / "scheduler.json"
    procs = [subprocess.Popen([str(dask_cli), "scheduler", "--host", "127.0.0.1", "--port", "0",
                               "--dashboard-address", ":0", "--scheduler-file", str(info)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        deadline = time.monotonic() + 60
        while not info.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        address = json.loads(info.read_text())["address"]
        procs.append(subprocess.Popen(
            [str(dask_cli), "worker", address, "--nthreads", "1", "--nworkers", "2"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        inputs = [str(f) for f in write_corpus(tmp_path / "in", 120, seed=9)]
        run = subprocess.run(_cli(*inputs, "--output", str(tmp_path / "out"), "--scheduler",
                                  address, "--model", "blank", "--partition-docs", "30"),
                             env=env, capture_output=True, text=True, timeout=180)
        assert run.returncode == 0, run.stderr[-2000:]
        assert f"on scheduler {address}" in run.stderr
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            p.wait(timeout=30)
    expected = _expected_shards(inputs, CorpusOptions(output=tmp_path / "out", model="blank",
                                                      partition_docs=30))
    got = {f.name: f.read_bytes() for f in sorted((tmp_path / "out").glob("shard-*.jsonl"))}
    assert got == expected and len(got) == 4
