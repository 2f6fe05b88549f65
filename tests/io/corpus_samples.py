"""Generated news-like corpora for the corpus tests and benchmark, and a failing task."""

from __future__ import annotations

import json
import random
from pathlib import Path

from annotator.core.tokens import unpack_tokens

ACTORS = ["Russia", "Venezuela", "Nicolas Maduro", "the United States", "China", "Cuba",
          "the Wagner Group", "NATO", "Caracas", "Moscow", "Juan Guaido", "Iran", "Colombia",
          "the Russian air force", "Tu-160s", "Brazil", "the UN", "Sergei Lavrov"]
VERBS = ["sent troops to", "supported", "threatened", "met", "criticised", "sold weapons to",
         "signed a deal with", "warned", "flew two Tu-160s to", "denied helping"]
FILLER = ["on Monday", "officials said", "according to Reuters", "in a statement",
          "despite sanctions", "late last year", "amid protests", "for the second time"]


def article(rng: random.Random, sentences: int) -> str:
    out = []
    for _ in range(sentences):
        a, b = rng.sample(ACTORS, 2)
        out.append(f"{a[0].upper()}{a[1:]} {rng.choice(VERBS)} {b} {rng.choice(FILLER)}.")
    return " ".join(out)


def write_corpus(folder: Path, n: int, *, seed: int = 0, sentences: int = 8) -> list[Path]:
    """``n`` articles: most in a JSONL file, some as .txt, .html and .csv files."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    texts = [f"Story {i}. " + article(rng, rng.randint(2, sentences)) for i in range(n)]
    n_txt = min(5, n // 10)
    files = []
    for i in range(n_txt):
        f = folder / f"story-{i:03d}.txt"
        f.write_text(texts[i], encoding="utf-8")
        files.append(f)
    html = folder / "page.html"
    html.write_text(f"<html><head><title>T</title><script>x=1</script></head><body><p>{texts[n_txt]}"
                    "</p></body></html>", encoding="utf-8")
    csv = folder / "wire.csv"
    csv.write_text("id,text\n" + "".join(f'c{i},"{texts[i]}"\n' for i in range(n_txt + 1, n_txt + 4)),
                   encoding="utf-8")
    jsonl = folder / "archive.jsonl"
    with open(jsonl, "w", encoding="utf-8") as f:
        for i in range(n_txt + 4, n):
            f.write(json.dumps({"text": texts[i], "id": f"a{i}", "outlet": "wire"}) + "\n")
    return [*files, html, csv, jsonl]


def write_jsonl(path: Path, n: int, *, seed: int = 0, sentences: int = 8) -> Path:
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            f.write(json.dumps({"text": f"Item {seed}-{i}. " + article(rng, sentences)}) + "\n")
    return path


def project_suggestions(project) -> dict[str, list[tuple]]:  # noqa: ANN001 - a Project
    """text hash -> sorted (start, end, label, source, attrs) of every suggested span."""
    out: dict[str, list[tuple]] = {}
    rows = project.conn.execute(
        "SELECT d.text_hash, s.start, s.end, s.label, s.source, s.attrs FROM spans s"
        " JOIN documents d ON d.id = s.doc_id WHERE s.state = 'suggested'")
    for h, start, end, label, source, attrs in rows:
        out.setdefault(h, []).append((start, end, label, source, attrs))
    for h in list(out):
        out[h].sort()
    for (h,) in project.conn.execute("SELECT text_hash FROM documents"):
        out.setdefault(h, [])
    return out


def project_tokens(project) -> dict[str, list[tuple[int, int]]]:  # noqa: ANN001
    return {h: unpack_tokens(b) for h, b in project.conn.execute(
        "SELECT text_hash, tokens FROM documents WHERE tokens IS NOT NULL")}


def flaky_task(plugin_name: str, partition):  # noqa: ANN001, ANN201 - a Dask task
    """``run_partition``, except partition 1 fails on its first try and partition 2 always.

    The first failure is remembered in a file next to the output (the retry may run in
    another worker process), so Dask's ``retries`` is what makes partition 1 succeed.
    """
    import os

    from annotator.io.corpus.cluster import run_partition

    marker = Path(os.environ["CORPUS_TEST_MARKERS"]) / f"tried-{partition.index}"
    if partition.index == 2:
        raise RuntimeError("this partition always fails")
    if partition.index == 1 and not marker.exists():
        marker.touch()
        raise RuntimeError("first try fails")
    result = run_partition(plugin_name, partition)
    from annotator.io.corpus import work

    if work.builds != 1:  # the plugin built it when the worker joined; tasks reuse it
        raise RuntimeError(f"this worker built its pipeline {work.builds} times")
    return result
