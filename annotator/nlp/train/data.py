"""Training data from the store: done documents, their gold spans, a seeded split by document.

Everything here is plain data (ids, texts, character-offset spans), so the split can be
written down with the model and the same held-out documents score any pipeline.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from annotator.core.errors import AnnotatorError
from annotator.core.models import GOLD
from annotator.core.store import Project

PIECE_CHARS = 2_000  # training examples are cut at line breaks to about this size

Ent = tuple[int, int, str]  # start, end (code points), label


class TrainCancelled(AnnotatorError):
    """Training was cancelled; nothing was written."""


class TrainDataError(AnnotatorError):
    """The project has no (or too little) annotated data to train on."""


@dataclass(frozen=True)
class GoldDoc:
    id: int
    name: str
    text: str
    ents: tuple[Ent, ...]


@dataclass
class Split:
    train: list[GoldDoc]
    eval: list[GoldDoc]
    unannotated: list[tuple[int, str]] = field(default_factory=list)  # rehearsal text

    def ids(self) -> dict[str, list[int]]:
        return {"train": [d.id for d in self.train], "eval": [d.id for d in self.eval],
                "rehearsal": [i for i, _ in self.unannotated]}


def gold_documents(project: Project, *, layer: str = GOLD,
                   labels: Sequence[str] | None = None) -> list[GoldDoc]:
    """Done documents with the accepted spans of ``layer`` (only labels of the schema)."""
    keep = set(labels if labels is not None else project.schema.labels)
    docs = []
    for d in project.iter_documents(status="done"):
        spans = project.spans(d.id, layer=layer)
        if layer != GOLD and not spans:
            continue  # a volunteer's layer covers only the documents they were given
        ents = sorted({(s.start, s.end, s.label) for s in spans
                       if s.label in keep and s.state == "accepted"})
        docs.append(GoldDoc(d.id, d.name, d.text or "", tuple(ents)))
    return docs


def split_documents(docs: Sequence[GoldDoc], *, eval_split: float, seed: int) -> tuple[
        list[GoldDoc], list[GoldDoc]]:
    """(train, eval) by document: a seeded shuffle of ids, so the split never depends on order."""
    if not 0 < eval_split < 1:
        raise TrainDataError(f"--eval-split must be between 0 and 1, not {eval_split}")
    if len(docs) < 2:
        raise TrainDataError(f"{len(docs)} done document(s) with annotations: training needs at"
                             " least 2 (one to train on, one held out to score)")
    order = sorted(docs, key=lambda d: d.id)
    random.Random(seed).shuffle(order)
    n_eval = min(len(order) - 1, max(1, round(len(order) * eval_split)))
    return sorted(order[n_eval:], key=lambda d: d.id), sorted(order[:n_eval], key=lambda d: d.id)


def unannotated_texts(project: Project, *, limit: int, seed: int) -> list[tuple[int, str]]:
    """Up to ``limit`` unfinished documents (seeded choice): text the base model rehearses on."""
    rows = project.conn.execute(
        "SELECT id FROM documents WHERE status IN ('todo', 'in_progress') ORDER BY id").fetchall()
    ids = [r[0] for r in rows]
    random.Random(seed).shuffle(ids)
    return [(i, project.text(i)) for i in sorted(ids[:limit])]


def non_overlapping(ents: Sequence[Ent]) -> list[Ent]:
    """Longest first, then leftmost: what a (flat) NER can learn of possibly nested spans."""
    taken: list[Ent] = []
    for e in sorted(ents, key=lambda e: (-(e[1] - e[0]), e[0])):
        if all(e[1] <= t[0] or e[0] >= t[1] for t in taken):
            taken.append(e)
    return sorted(taken)


def pieces(text: str, ents: Sequence[Ent] = (), *,
           size: int = PIECE_CHARS) -> Iterator[tuple[int, str, list[Ent]]]:
    """(offset, piece, spans shifted into it): the text cut after line breaks into pieces of
    about ``size`` (whitespace-only pieces left out).

    A span that crosses a cut is dropped (cuts fall on line breaks, where entities do not).
    """
    start, n = 0, len(text)
    while start < n:
        end = min(n, start + size)
        if end < n:
            nl = text.rfind("\n", start + size // 2, end)
            end = nl + 1 if nl >= 0 else end
            while end < n and not text[end - 1].isspace():  # never cut inside a token
                end += 1
        piece = text[start:end]
        if piece.strip():
            yield start, piece, [(s - start, e - start, lab) for s, e, lab in ents
                          if s >= start and e <= end]
        start = end
