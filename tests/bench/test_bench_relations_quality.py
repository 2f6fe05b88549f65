"""Relation suggestions: quality on the hand-made gold set, and pre-annotation throughput.

Quality (tests/data/relations_gold.json: sample articles 003 and 004, and 002 held out,
annotated after the rules were written; see build_relations_gold.py): typed precision /
recall / F1 (head and child exact, same type; symmetric types either way), untyped pair
figures and attribute accuracy, given the gold entities and end to end from raw text, and
what each source adds. Memory is measured as
an annotator would meet it: the suggestions on one article are reviewed against its gold
(accepted, corrected or rejected), and the other article is then suggested with that memory.

Throughput: the whole pre-annotation run with relations against raw ``nlp.pipe`` with the
same components (NER, parser, tagger, lemmatizer, gazetteer ruler), alternated.
Targets: typed P >= 0.6 at R >= 0.4 and pair recall >= 0.6 given gold entities; ratio >= 0.9.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from annotator.core.schema import load_schema
from annotator.core.store import Project
from annotator.nlp.model import load_pipeline, resolve_model
from annotator.nlp.preannotate import Options, Preannotator, preannotate_project
from annotator.nlp.relations import Relater, from_doc
from annotator.nlp.relations.memory import RelationMemory
from tests.bench.relations_eval import (
    SAMPLE,
    Rel,
    Score,
    from_suggestions,
    gold_ents,
    gold_rels,
    load_gold,
)

pytestmark = pytest.mark.slow
SCHEMA = load_schema()
SYMMETRIC = frozenset(r.name for r in SCHEMA.relations if r.symmetric)


@pytest.fixture(scope="module")
def parsed() -> dict[str, tuple[str, object]]:
    nlp = load_pipeline(resolve_model("en_core_web_sm"), relations=True)
    out = {}
    for d in load_gold():
        text = (SAMPLE / d["name"]).read_text(encoding="utf-8")
        out[d["name"]] = (text, from_doc(nlp(text)))
    return out


def _dev() -> list[dict]:
    return [d for d in load_gold() if d["split"] == "dev"]


def _heldout() -> list[dict]:
    return [d for d in load_gold() if d["split"] == "heldout"]


def _score(parsed: dict, relater_for: object, docs: list[dict] | None = None) -> Score:
    sc = Score()
    for d in docs if docs is not None else _dev():
        text, p = parsed[d["name"]]
        relater = relater_for(d) if callable(relater_for) else relater_for
        pred = from_suggestions(relater.suggest(p, gold_ents(d), text), tuple(d["region"]))
        sc.add(pred, gold_rels(d), SYMMETRIC)
    return sc


def _reviewed(parsed: dict, doc: dict) -> RelationMemory:
    """The memory left by an annotator who reviewed ``doc``'s suggestions against its gold."""
    text, p = parsed[doc["name"]]
    gold = {r.pair(): r for r in gold_rels(doc)}
    mem = RelationMemory()
    for s in Relater(SCHEMA).suggest(p, gold_ents(doc), text):
        r = Rel(s.head.start, s.head.end, s.child.start, s.child.end, s.label)
        trigger = str(s.attrs.get("trigger", ""))
        h, c = text[s.head.start:s.head.end], text[s.child.start:s.child.end]
        g = gold.get(r.pair())
        if g is None:
            mem.reject(h, trigger, c, s.label)
        else:  # accepted as is, or corrected to the gold type and attributes
            attrs = {"negated": g.negated, "modality": g.modality}
            mem.learn(h, trigger, c, g.label, attrs)
    return mem


def test_bench_relation_quality(parsed: dict, tmp_path: Path) -> None:
    lines = ["", "relation suggestions on the gold set (sample 003 + 004, "
             f"{sum(len(d['relations']) for d in _dev())} gold relations; held out: 002,"
             f" {sum(len(d['relations']) for d in _heldout())}):",
             "given the gold entities:"]
    for sources in (("events",), ("standing",), ("events", "standing")):
        sc = _score(parsed, Relater(SCHEMA, sources=sources))
        lines.append("  " + sc.line("+".join(sources)))
    both = _score(parsed, Relater(SCHEMA))
    docs = _dev()
    other = {d["name"]: _reviewed(parsed, o) for d, o in zip(docs, docs[::-1], strict=True)}
    with_memory = _score(parsed, lambda d: Relater(SCHEMA, memory=other[d["name"]]))
    lines.append("  " + both.line("all sources, empty memory"))
    lines.append("  " + with_memory.line("+ memory of the other article"))
    lines.append("  " + _score(parsed, Relater(SCHEMA), _heldout()).line("held out (002)"))
    end = _end_to_end(tmp_path, _dev())
    lines += ["end to end (pre-annotation from raw text: entities and relations):",
              "  " + end.line("preannotate"),
              "  " + _end_to_end(tmp_path / "h", _heldout()).line("held out (002)")]
    print("\n".join(lines))
    p, r, _ = both.typed
    assert p >= 0.6 and r >= 0.4, both.line("given gold entities")
    assert both.pairs[1] >= 0.6


def _end_to_end(tmp_path: Path, docs: list[dict]) -> Score:
    proj = Project.init(tmp_path / "e2e", annotator="bench")
    names = {}
    for d in docs:
        names[proj.add_document(d["name"], (SAMPLE / d["name"]).read_text(encoding="utf-8"))] = d
    preannotate_project(proj, Options())
    sc = Score()
    for doc_id, d in names.items():
        spans = {s.id: s for s in proj.spans(doc_id)}
        lo, hi = d["region"]
        pred = []
        for r in proj.relations(doc_id):
            h, c = spans[r.head_id], spans[r.child_id]
            if lo <= min(h.start, c.start) and max(h.end, c.end) <= hi:
                kind = str(r.attrs.get("why", "")).split(" ")[0].rstrip(":")
                pred.append(Rel(h.start, h.end, c.start, c.end, r.label,
                                bool(r.attrs.get("negated", False)),
                                r.attrs.get("modality", "asserted"),
                                {"noun": "verb", "phrase": "verb"}.get(kind, kind)))
        sc.add(pred, gold_rels(d), SYMMETRIC)
    proj.close()
    return sc


def test_bench_relation_throughput(tmp_path: Path) -> None:
    from tests.bench.test_bench_preannotate import BATCH, _corpus
    from tests.bench.test_bench_preannotate import _project as make_project

    texts = _corpus(600)
    template = make_project(tmp_path / "template", texts)
    pre = Preannotator.for_project(template)  # with the parser and the relation step
    template.close()
    assert pre.relater is not None and "parser" in pre.nlp.pipe_names
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
            summary = preannotate_project(p, Options(batch_size=BATCH), pre=pre)
            run_times.append(time.perf_counter() - t0)
    raw, run = min(raw_times), min(run_times)
    ratio = raw / run
    print(f"\npre-annotation with relations ({', '.join(pre.nlp.pipe_names)}; {len(texts)} docs,"
          f" {words} words): raw nlp.pipe {words / raw:,.0f} words/s, whole run"
          f" {words / run:,.0f} words/s ({summary.suggested} spans, {summary.relations}"
          f" relations stored), ratio {ratio:.2f} (budget >= 0.9)")
    assert summary.relations > 0
    assert ratio >= 0.9
