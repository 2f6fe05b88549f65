"""Scoring predictions against gold spans: exact-match precision, recall and F per label."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from annotator.nlp.train.data import Ent


@dataclass
class LabelScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def p(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def r(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f(self) -> float:
        p, r = self.p, self.r
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"p": round(self.p, 4), "r": round(self.r, 4), "f": round(self.f, 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


def score(gold: Iterable[Sequence[Ent]], predicted: Iterable[Sequence[Ent]],
          labels: Sequence[str]) -> dict[str, LabelScore]:
    """Per-label counts over documents (pairs of gold / predicted span lists, same order)."""
    out = {label: LabelScore() for label in labels}
    for g_doc, p_doc in zip(gold, predicted, strict=True):
        g, p = set(g_doc), set(p_doc)
        for s, e, label in p:
            if label in out:
                out[label].tp += (s, e, label) in g
                out[label].fp += (s, e, label) not in g
        for _s, _e, label in g - p:
            if label in out:
                out[label].fn += 1
    return out


def micro(scores: Mapping[str, LabelScore], labels: Iterable[str]) -> LabelScore:
    total = LabelScore()
    for label in labels:
        s = scores.get(label)
        if s is not None:
            total.tp, total.fp, total.fn = total.tp + s.tp, total.fp + s.fp, total.fn + s.fn
    return total


def scores_dict(scores: Mapping[str, LabelScore], base_labels: Iterable[str]) -> dict[str, Any]:
    """Per label plus micro averages over all labels and over the base model's labels."""
    base = list(base_labels)
    return {"labels": {k: v.to_dict() for k, v in scores.items()},
            "micro": micro(scores, scores).to_dict(),
            "micro_base_labels": micro(scores, base).to_dict()}


def format_table(base: Mapping[str, Any], trained: Mapping[str, Any], *,
                 base_labels: Iterable[str]) -> str:
    """Per label P/R/F for the base and the trained pipeline, side by side (plain text)."""
    known = set(base_labels)
    lines = [f"{'label':<12} {'gold':>5}  {'base P':>6} {'R':>5} {'F':>5}   "
             f"{'trained P':>9} {'R':>5} {'F':>5}"]
    for label, t in trained["labels"].items():
        b = base["labels"].get(label, {"p": 0, "r": 0, "f": 0})
        mark = "" if label in known else "  (new)"
        lines.append(f"{label:<12} {t['tp'] + t['fn']:>5}  {b['p']:>6.2f} {b['r']:>5.2f} "
                     f"{b['f']:>5.2f}   {t['p']:>9.2f} {t['r']:>5.2f} {t['f']:>5.2f}{mark}")
    for key, name in (("micro_base_labels", "base labels"), ("micro", "all labels")):
        b, t = base[key], trained[key]
        lines.append(f"{name:<12} {t['tp'] + t['fn']:>5}  {b['p']:>6.2f} {b['r']:>5.2f} "
                     f"{b['f']:>5.2f}   {t['p']:>9.2f} {t['r']:>5.2f} {t['f']:>5.2f}")
    return "\n".join(lines)
