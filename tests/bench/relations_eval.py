"""Scoring relation suggestions against the hand-made gold set (tests/data/relations_gold.json).

Used by test_bench_relations_quality.py; kept apart so the figures can be printed from a shell:
``python -m tests.bench.relations_eval``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from annotator.nlp.relations import Ent, RelationSuggestion

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "tests" / "data" / "relations_gold.json"
SAMPLE = ROOT / "projects" / "venezuela-2019"
ATTRS = ("negated", "modality")

Key = tuple[int, int, int, int, str]


@dataclass(frozen=True)
class Rel:
    hs: int
    he: int
    cs: int
    ce: int
    label: str
    negated: bool = False
    modality: str = "asserted"
    kind: str = ""

    def key(self, symmetric: frozenset[str]) -> Key:
        if self.label in symmetric and (self.cs, self.ce) < (self.hs, self.he):
            return (self.cs, self.ce, self.hs, self.he, self.label)
        return (self.hs, self.he, self.cs, self.ce, self.label)

    def pair(self) -> frozenset[tuple[int, int]]:
        return frozenset(((self.hs, self.he), (self.cs, self.ce)))


def load_gold() -> list[dict]:
    return json.loads(GOLD.read_text(encoding="utf-8"))["documents"]


def gold_rels(doc: dict) -> list[Rel]:
    return [Rel(r["head"]["start"], r["head"]["end"], r["child"]["start"], r["child"]["end"],
                r["type"], bool(r["attrs"].get("negated", False)),
                r["attrs"].get("modality", "asserted")) for r in doc["relations"]]


def gold_ents(doc: dict) -> list[Ent]:
    return [Ent(e["start"], e["end"], e["label"]) for e in doc["entities"]]


def from_suggestions(sugs: Iterable[RelationSuggestion], region: tuple[int, int]) -> list[Rel]:
    lo, hi = region
    return [Rel(s.head.start, s.head.end, s.child.start, s.child.end, s.label,
                bool(s.attrs.get("negated", False)), s.attrs.get("modality", "asserted"), s.kind)
            for s in sugs if lo <= min(s.head.start, s.child.start) and
            max(s.head.end, s.child.end) <= hi]


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    pair_tp: int = 0
    pair_fp: int = 0
    pair_fn: int = 0
    attr_ok: int = 0
    attr_n: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind -> [tp, fp]

    def add(self, pred: list[Rel], gold: list[Rel], symmetric: frozenset[str]) -> None:
        g = {r.key(symmetric): r for r in gold}
        p = {r.key(symmetric): r for r in pred}
        for k, r in p.items():
            hit = k in g
            self.by_kind.setdefault(r.kind, [0, 0])[0 if hit else 1] += 1
            if hit:
                self.tp += 1
                self.attr_n += 1
                self.attr_ok += (r.negated, r.modality) == (g[k].negated, g[k].modality)
            else:
                self.fp += 1
        self.fn += len(set(g) - set(p))
        gp, pp = {r.pair() for r in gold}, {r.pair() for r in pred}
        self.pair_tp += len(gp & pp)
        self.pair_fp += len(pp - gp)
        self.pair_fn += len(gp - pp)

    @staticmethod
    def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    @property
    def typed(self) -> tuple[float, float, float]:
        return self._prf(self.tp, self.fp, self.fn)

    @property
    def pairs(self) -> tuple[float, float, float]:
        return self._prf(self.pair_tp, self.pair_fp, self.pair_fn)

    @property
    def attr_accuracy(self) -> float:
        return self.attr_ok / self.attr_n if self.attr_n else 0.0

    def line(self, name: str) -> str:
        p, r, f = self.typed
        pp, pr, pf = self.pairs
        kinds = ", ".join(f"{k} {tp}/{tp + fp}" for k, (tp, fp) in sorted(self.by_kind.items()))
        return (f"{name:<34} typed P {p:.2f} R {r:.2f} F1 {f:.2f} | pairs P {pp:.2f} R {pr:.2f}"
                f" F1 {pf:.2f} | attrs {self.attr_accuracy:.2f} ({self.attr_n}) | {self.tp} of"
                f" {self.tp + self.fn} gold; correct/suggested by source: {kinds}")
