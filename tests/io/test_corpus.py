"""Corpus pieces without a cluster: inputs, partitions, shard files, import back, Dask kept out."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.core import ops
from annotator.core.store import Project
from annotator.core.text import text_hash
from annotator.core.tokens import tokenize
from annotator.io.corpus import work
from annotator.io.corpus.inputs import ReadReport, list_sources, partitions, read_documents
from annotator.io.corpus.run import CorpusOptions, build_context
from annotator.io.corpus.shards import (
    CorpusError,
    Journal,
    ShardEntry,
    claim_output,
    sha256_file,
    write_atomic,
    write_manifest,
)
from annotator.io.importer import collect_files, import_paths
from tests.io.corpus_samples import project_suggestions, project_tokens, write_corpus
from tests.io.samples import png_bytes

ROOT = Path(__file__).resolve().parents[2]


def _docs(inputs: list[str]) -> tuple[list[work.Doc], ReadReport]:
    report = ReadReport()
    return list(read_documents(list_sources(inputs), report)), report


def _shards(folder: Path, inputs: list[str], size: int = 25) -> list[ShardEntry]:
    """Shards and manifest as a run writes them, made in this process (no Dask)."""
    import hashlib

    opts = CorpusOptions(output=folder, model="blank", partition_docs=size)
    context, settings = build_context(opts)
    pre = work.pipeline(context)
    claim_output(folder, settings)
    docs, _ = _docs(inputs)
    entries = []
    for p in partitions(iter(docs), size=size):
        data = work.annotate_partition(pre, p, context)
        write_atomic(folder / p.name, data.data)
        entries.append(ShardEntry(p.name, p.digest(), hashlib.sha256(data.data).hexdigest(),
                                  data.documents, data.suggestions, p.where()))
    write_manifest(folder, {**settings, "shards": [e.to_dict() for e in entries]})
    return entries


# ---- inputs ----------------------------------------------------------------------------------
def test_documents_are_what_an_import_stores(tmp_path: Path, project: Project) -> None:
    files = write_corpus(tmp_path / "in", 60)
    (tmp_path / "in" / "broken.html").write_bytes(png_bytes())
    (tmp_path / "in" / "archive.jsonl").open("a").write('{"no_text": 1}\nnot json\n')
    docs, report = _docs([str(tmp_path / "in")])
    import_paths(project, collect_files([tmp_path / "in"]))
    stored = {r[0]: r[1] for r in project.conn.execute("SELECT text_hash, name FROM documents")}
    assert {text_hash(d.text): d.name for d in docs} == stored and len(docs) == 60
    assert report.bad_files == [(str(tmp_path / "in" / "broken.html"), "binary file (PNG image)")]
    assert report.bad_records == 2 and report.examples[0][0].endswith("archive.jsonl#line 52")
    assert len(files) + 1 == report.files


def test_fsspec_url_reads_like_a_local_folder(tmp_path: Path) -> None:
    import fsspec

    write_corpus(tmp_path / "in", 30)
    fs = fsspec.filesystem("memory")
    for f in sorted((tmp_path / "in").iterdir()):
        fs.pipe(f"/corpus-test/in/{f.name}", f.read_bytes())
    fs.pipe("/corpus-test/in/.hidden/x.txt", b"not read")
    remote, _ = _docs(["memory://corpus-test/in"])
    local, _ = _docs([str(tmp_path / "in")])
    assert [(d.name, d.text, d.meta) for d in remote] == [(d.name, d.text, d.meta) for d in local]
    assert remote[0].source.startswith("memory://")


def test_partitions_are_cut_by_documents_and_characters() -> None:
    docs = [work.Doc(f"d{i}", f"s#{i}", "x" * (10 if i != 4 else 100)) for i in range(10)]
    sizes = [len(p.docs) for p in partitions(iter(docs), size=3)]
    assert sizes == [3, 3, 3, 1]
    sizes = [len(p.docs) for p in partitions(iter(docs), size=100, max_chars=120)]
    assert sizes == [5, 5]  # the long 5th document ends the first partition
    a, b = list(partitions(iter(docs), size=3))[:2]
    assert a.digest() != b.digest() and a.where() == "s#0 .. s#2"


# ---- shard files -----------------------------------------------------------------------------
def test_atomic_write_leaves_no_partial_file(tmp_path: Path, monkeypatch) -> None:
    import os

    target = tmp_path / "shard-00000.jsonl"
    write_atomic(target, b"old\n")

    def crash(*_a):  # noqa: ANN002
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        write_atomic(target, b"new\n" * 1000)
    assert target.read_bytes() == b"old\n" and sorted(p.name for p in tmp_path.iterdir()) == [
        "shard-00000.jsonl"]


def test_journal_ignores_a_torn_line_and_checks_the_file(tmp_path: Path) -> None:
    (tmp_path / "shard-00000.jsonl").write_bytes(b"x\n")
    j = Journal(tmp_path)
    j.add(ShardEntry("shard-00000.jsonl", "d0", sha256_file(tmp_path / "shard-00000.jsonl"),
                     1, 0, "a"))
    with open(tmp_path / ".corpus-journal.jsonl", "a") as f:
        f.write('{"name": "shard-00001.jsonl", "dig')  # killed mid-line
    j = Journal(tmp_path)
    assert list(j.entries) == ["shard-00000.jsonl"]
    assert j.verified("shard-00000.jsonl", "d0", tmp_path) is not None
    assert j.verified("shard-00000.jsonl", "other partition", tmp_path) is None
    (tmp_path / "shard-00000.jsonl").write_bytes(b"y\n")  # changed since: made again
    assert j.verified("shard-00000.jsonl", "d0", tmp_path) is None


def test_output_of_other_settings_is_refused(tmp_path: Path) -> None:
    claim_output(tmp_path / "out", {"model": "a", "partition_docs": 10})
    claim_output(tmp_path / "out", {"model": "a", "partition_docs": 10})  # a rerun: fine
    with pytest.raises(CorpusError, match="other settings .*partition_docs"):
        claim_output(tmp_path / "out", {"model": "a", "partition_docs": 20})
    (tmp_path / "stray").mkdir()
    (tmp_path / "stray" / "shard-00000.jsonl").write_text("{}\n")
    with pytest.raises(CorpusError, match="unknown run"):
        claim_output(tmp_path / "stray", {"model": "a"})


def test_shard_tasks_are_prodigy_style_suggestions(tmp_path: Path) -> None:
    inputs = [str(f) for f in write_corpus(tmp_path / "in", 30)]
    _shards(tmp_path / "out", inputs)
    task = json.loads((tmp_path / "out" / "shard-00000.jsonl").read_text().splitlines()[0])
    assert task["spans"] and all(s["state"] == "suggested" and s["source"] in ("model", "rule")
                                 and task["text"][s["start"]:s["end"]] == s["text"]
                                 for s in task["spans"])
    flat = task["_tokens"]
    assert list(zip(flat[0::2], flat[1::2], strict=True)) == tokenize(task["text"])
    assert task["meta"]["doc"] == "story-000.txt" and task["_source"] == inputs[0]
    assert isinstance(task["_input_hash"], int) and isinstance(task["_task_hash"], int)


def test_pipeline_is_built_once_per_process() -> None:
    context, _ = build_context(CorpusOptions(output=Path("unused"), model="blank"))
    assert work.pipeline(context) is work.pipeline(context)


# ---- back into a project ---------------------------------------------------------------------
def test_import_reads_shards_as_suggestions_with_tokens(tmp_path: Path, project: Project) -> None:
    inputs = [str(f) for f in write_corpus(tmp_path / "in", 80)]
    entries = _shards(tmp_path / "out", inputs)
    report = import_paths(project, collect_files([tmp_path / "out"]))
    assert report.n_imported == 80 and not report.skipped and report.files == len(entries) + 1
    assert "corpus shards at" in report.summary()
    sugg = project_suggestions(project)
    assert sum(map(len, sugg.values())) == sum(e.suggestions for e in entries)
    states = {r[0] for r in project.conn.execute("SELECT DISTINCT state FROM spans")}
    assert states == {"suggested"}
    assert all(toks == tokenize(project.conn.execute(
        "SELECT text FROM documents WHERE text_hash = ?", (h,)).fetchone()[0])
        for h, toks in project_tokens(project).items())
    again = import_paths(project, collect_files([tmp_path / "out"]))
    assert again.n_imported == 0 and again.n_duplicates == 80
    assert project.count_documents() == 80


def test_damaged_shard_is_refused_and_the_rest_imported(tmp_path: Path, project: Project) -> None:
    inputs = [str(f) for f in write_corpus(tmp_path / "in", 80)]
    _shards(tmp_path / "out", inputs)
    shard = tmp_path / "out" / "shard-00001.jsonl"
    shard.write_bytes(shard.read_bytes()[:-200])  # a half-copied file
    (tmp_path / "out" / "shard-00009.jsonl").write_text(shard.read_text())  # not in the manifest
    report = import_paths(project, collect_files([tmp_path / "out"]))
    reasons = dict(report.skipped)
    assert "checksum does not match manifest.json" in reasons[str(shard)]
    assert "not listed" in reasons[str(tmp_path / "out" / "shard-00009.jsonl")]
    assert report.n_imported == 55 and project.count_documents() == 55


def test_cli_import_of_shards_exits_zero(tmp_path: Path) -> None:
    inputs = [str(f) for f in write_corpus(tmp_path / "in", 30)]
    _shards(tmp_path / "out", inputs)
    Project.init(tmp_path / "p").close()
    env = {"PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-m", "annotator", "import", str(tmp_path / "p"),
                          str(tmp_path / "out")], capture_output=True, text=True,
                         env={**__import__("os").environ, **env})
    assert run.returncode == 0, run.stderr
    assert re.match(r"imported 30 documents from 3 files; corpus shards at [\d,]+ docs/s",
                    run.stdout)


# ---- Dask stays out of the app -----------------------------------------------------------------
APP_IMPORTS = """
import sys
import annotator.cli, annotator.io.importer, annotator.io.corpus.run, annotator.io.corpus_shards
bad = sorted(m for m in ("dask", "distributed", "fsspec") if m in sys.modules)
print("imported:", bad)
"""

NO_DASK = """
import sys, importlib.abc
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in ("dask", "distributed"):
            raise ImportError("blocked")
sys.meta_path.insert(0, Block())
from annotator.cli import main
main(sys.argv[1:])
"""


def test_the_app_never_imports_dask() -> None:
    out = subprocess.run([sys.executable, "-c", APP_IMPORTS], capture_output=True, text=True)
    assert out.stdout.strip() == "imported: []", out.stderr[-1500:]


def test_without_dask_the_command_says_what_to_install(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-c", NO_DASK, "corpus", "preannotate", str(tmp_path),
                          "--output", str(tmp_path / "o")], capture_output=True, text=True)
    assert out.returncode == 1
    assert out.stderr.strip().splitlines() == [
        "Error: annotator corpus needs Dask: install the 'corpus' extra"
        " (pip install 'geo-annotator[corpus]')"]


def test_bundle_excludes_what_the_cluster_module_imports() -> None:
    import ast

    spec = (ROOT / "packaging" / "annotator.spec").read_text()
    excluded = set(ast.literal_eval(re.search(r"CORPUS_ONLY = (\[.*?\])", spec).group(1)))
    assert "excludes += CORPUS_ONLY" in spec
    tree = ast.parse((ROOT / "annotator" / "io" / "corpus" / "cluster.py").read_text())
    third_party = {n.module.split(".")[0] for n in tree.body if isinstance(n, ast.ImportFrom)
                   and n.module and not n.module.startswith(("annotator", "__future__"))}
    third_party -= set(sys.stdlib_module_names)
    assert third_party and third_party <= excluded
    assert "fsspec" in excluded  # inputs.py imports it lazily for URLs


def test_suggestions_with_labels_the_project_lacks_are_counted(tmp_path: Path,
                                                               project: Project) -> None:
    import hashlib

    inputs = [str(f) for f in write_corpus(tmp_path / "in", 20)]
    _shards(tmp_path / "out", inputs)
    shard = tmp_path / "out" / "shard-00000.jsonl"
    data = shard.read_bytes().replace(b'"label": "PERSON"', b'"label": "ALIEN"')
    shard.write_bytes(data)
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    manifest["shards"][0]["sha256"] = hashlib.sha256(data).hexdigest()
    (tmp_path / "out" / "manifest.json").write_text(json.dumps(manifest))
    report = import_paths(project, collect_files([tmp_path / "out"]))
    n = data.count(b'"label": "ALIEN"')
    assert n > 0 and report.n_imported == 20
    assert report.dropped == [(str(shard), f"{n} suggestions with labels not in the project's"
                               " schema (ALIEN)")]
    assert not project.conn.execute("SELECT 1 FROM spans WHERE label = 'ALIEN'").fetchall()


def test_project_memory_and_schema_come_with_the_project(tmp_path: Path) -> None:
    p = Project.init(tmp_path / "p", model="blank")
    # project memory is what the gold spans decide (core/memory): one gold span teaches it
    doc_id = p.add_document("seen.txt", "The Zorgon Fleet left.")
    p.apply(ops.AddSpan(doc_id, 4, 16, "MIL_UNIT"))
    p.close()
    context, settings = build_context(CorpusOptions(output=tmp_path / "o", project=tmp_path / "p"))
    assert context.model == "blank" and settings["memory_entries"] == 1
    doc = work.Doc("d", "d", "The Zorgon Fleet reached Caracas.")
    data = work.annotate_partition(work.pipeline(context), work.Partition(0, [doc]), context)
    spans = [(s["text"], s["label"]) for s in json.loads(data.data)["spans"]]
    assert spans == [("Zorgon Fleet", "MIL_UNIT"), ("Caracas", "GPE")]
    _, without = build_context(CorpusOptions(output=tmp_path / "o", model="blank"))
    assert without["memory_sha256"] != settings["memory_sha256"]
