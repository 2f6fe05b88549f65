"""A relation classifier over entity pairs, in the shape of spaCy's ``rel_component`` project.

tok2vec (a small hash-embedding CNN) -> for each candidate pair of entities in one piece of
text (at most ``WINDOW_CHARS`` apart), the mean vector of the head's tokens, the child's,
and the tokens between them, joined -> a linear layer with one sigmoid per output.
Outputs are the schema's relation types plus the relation attributes: ``negated`` and
each non-default ``modality`` value, read only where a type is predicted. Gold entities
are given (it classifies pairs, it does not find entities); pairs with no gold relation
are the negatives.

Saved as ``relations/`` inside the model folder (weights + cfg.json), loaded by
``RelationModel.from_disk`` without any spaCy factory, so the pipeline itself loads
anywhere. Pre-annotation does not suggest relations with it yet.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core.models import GOLD
from annotator.core.schema import Schema
from annotator.core.store import Project
from annotator.nlp.train.data import Ent, TrainCancelled, pieces
from annotator.nlp.train.evaluate import LabelScore, micro

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

REL_DIR = "relations"
WINDOW_CHARS = 250
WIDTH = 64
BATCH = 2  # pieces per update: a piece holds dozens of candidate pairs
Rel = tuple[Ent, Ent, str, tuple[str, ...]]  # head, child, type, attribute outputs set


@dataclass(frozen=True)
class RelDoc:
    id: int
    text: str
    ents: tuple[Ent, ...]
    rels: tuple[Rel, ...]


def output_labels(schema: Schema) -> tuple[list[str], list[str]]:
    """(relation types, attribute outputs) of the schema."""
    attrs = []
    for a in schema.relation_attributes:
        if a.type == "bool":
            attrs.append(a.name)
        elif a.type == "enum":
            attrs += [f"{a.name}={v}" for v in a.values if v != a.default]
    return [r.name for r in schema.relations], attrs


def attr_outputs(attrs: dict[str, Any]) -> tuple[str, ...]:
    out = []
    for key, value in attrs.items():
        if value is True:
            out.append(key)
        elif isinstance(value, str) and value:
            out.append(f"{key}={value}")
    return tuple(sorted(out))


def relation_documents(project: Project, doc_ids: Sequence[int], *, layer: str = GOLD) -> list[RelDoc]:
    """The documents' accepted entities and their relations (head, child by offsets)."""
    out = []
    for doc_id in doc_ids:
        spans = {s.id: (s.start, s.end, s.label) for s in project.spans(doc_id, layer=layer)
                 if s.state == "accepted"}
        rels = tuple((spans[r.head_id], spans[r.child_id], r.label, attr_outputs(r.attrs))
                     for r in project.relations(doc_id, layer=layer)
                     if r.head_id in spans and r.child_id in spans)
        out.append(RelDoc(doc_id, project.text(doc_id), tuple(sorted(spans.values())), rels))
    return out


class RelationModel:
    """tok2vec + pair pooling + sigmoid outputs; see the module docstring."""

    def __init__(self, types: Sequence[str], attrs: Sequence[str], *,
                 symmetric: Sequence[str] = (), width: int = WIDTH) -> None:
        from spacy.ml.models.tok2vec import build_hash_embed_cnn_tok2vec
        from thinc.api import Linear

        self.types, self.attrs, self.symmetric = list(types), list(attrs), set(symmetric)
        self.labels = self.types + self.attrs
        self.width = width
        self.tok2vec = build_hash_embed_cnn_tok2vec(
            width=width, depth=2, embed_size=2000, window_size=1, maxout_pieces=3,
            subword_features=True, pretrained_vectors=None)
        # logits; the sigmoid is applied outside, so the loss gradient is (p - y) itself
        # (through thinc's Logistic it would be scaled by p(1-p) and vanish for rare types)
        self.clf = Linear(nO=len(self.labels), nI=3 * width)
        self._ready = False

    # ---- candidates ----------------------------------------------------------------------
    @staticmethod
    def candidates(doc: Doc, ents: Sequence[Ent]) -> list[tuple[tuple[int, int, int, int], Ent, Ent]]:
        """Ordered pairs of the piece's entities (token spans and char entities)."""
        toks = []
        for e in ents:
            sp = doc.char_span(e[0], e[1], alignment_mode="contract")
            if sp is not None and len(sp):
                toks.append((sp.start, sp.end, e))
        out = []
        for hs, he, h in toks:
            for cs, ce, c in toks:
                if h != c and abs(h[0] - c[0]) <= WINDOW_CHARS:
                    out.append(((hs, he, cs, ce), h, c))
        return out

    def _pool(self, vecs: list[Any], pairs: list[list[tuple[int, int, int, int]]]) -> tuple[Any, Callable]:
        xp = self.clf.ops.xp
        w = self.width

        def between(hs: int, he: int, cs: int, ce: int) -> tuple[int, int]:
            return (min(he, ce), max(hs, cs))

        def mean(v: Any, a: int, b: int) -> Any:
            return v[a:b].mean(axis=0) if b > a else xp.zeros((w,), dtype="f")

        rows = [xp.concatenate([mean(v, hs, he), mean(v, cs, ce),
                                mean(v, *between(hs, he, cs, ce))])
                for v, ps in zip(vecs, pairs, strict=True) for hs, he, cs, ce in ps]
        out = xp.vstack(rows) if rows else self.clf.ops.alloc2f(0, 3 * w)

        def backprop(d_out: Any) -> list[Any]:
            grads = [self.clf.ops.alloc2f(*v.shape) for v in vecs]
            i = 0
            for g, ps in zip(grads, pairs, strict=True):
                for hs, he, cs, ce in ps:
                    g[hs:he] += d_out[i, :w] / (he - hs)
                    g[cs:ce] += d_out[i, w:2 * w] / (ce - cs)
                    a, b = between(hs, he, cs, ce)
                    if b > a:
                        g[a:b] += d_out[i, 2 * w:] / (b - a)
                    i += 1
            return grads

        return out, backprop

    def _targets(self, cands: list[tuple[Any, Ent, Ent]], rels: Sequence[Rel]) -> Any:
        xp = self.clf.ops.xp
        gold: dict[tuple[Ent, Ent], set[str]] = {}
        for h, c, label, attrs in rels:
            gold.setdefault((h, c), set()).update({label, *attrs})
            if label in self.symmetric:
                gold.setdefault((c, h), set()).update({label, *attrs})
        y = xp.zeros((len(cands), len(self.labels)), dtype="f")
        for i, (_t, h, c) in enumerate(cands):
            for label in gold.get((h, c), ()):
                if label in self.labels:
                    y[i, self.labels.index(label)] = 1.0
        return y

    # ---- training ------------------------------------------------------------------------
    def examples(self, nlp: Language, docs: Sequence[RelDoc]) -> list[tuple[Doc, list, Any]]:
        out = []
        for d in docs:
            for off, piece, ents in pieces(d.text, d.ents):
                end = off + len(piece)
                rels = [((h[0] - off, h[1] - off, h[2]), (c[0] - off, c[1] - off, c[2]), lab, at)
                        for h, c, lab, at in d.rels if h[0] >= off and c[0] >= off
                        and h[1] <= end and c[1] <= end]
                doc = nlp.make_doc(piece)
                cands = self.candidates(doc, ents)
                if cands:
                    out.append((doc, cands, self._targets(cands, rels)))
        return out

    def train(self, examples: list[tuple[Doc, list, Any]], *, epochs: int, seed: int,
              stop: Callable[[], bool] = lambda: False) -> None:
        from thinc.api import Adam, fix_random_seed

        fix_random_seed(seed)
        if not examples:
            return
        xp = self.clf.ops.xp
        sample = examples[:8]
        self.tok2vec.initialize(X=[e[0] for e in sample])
        vecs = self.tok2vec.predict([e[0] for e in sample])
        pooled, _ = self._pool(vecs, [[c[0] for c in e[1]] for e in sample])
        self.clf.initialize(X=pooled, Y=xp.vstack([e[2] for e in sample]))
        self._ready = True
        opt = Adam(0.005)
        rng = random.Random(seed)
        order = list(examples)
        for _ in range(epochs):
            rng.shuffle(order)
            for i in range(0, len(order), BATCH):
                if stop():
                    raise TrainCancelled("training cancelled: nothing was written")
                batch = order[i:i + BATCH]
                vecs, bp_t2v = self.tok2vec.begin_update([e[0] for e in batch])
                pooled, bp_pool = self._pool(vecs, [[c[0] for c in e[1]] for e in batch])
                logits, bp_clf = self.clf.begin_update(pooled)
                y = xp.vstack([e[2] for e in batch])
                d_logits = (self.clf.ops.sigmoid(logits) - y) / max(1, len(batch))
                bp_t2v(bp_pool(bp_clf(d_logits)))
                self.tok2vec.finish_update(opt)
                self.clf.finish_update(opt)

    # ---- prediction ----------------------------------------------------------------------
    def predict(self, nlp: Language, text: str, ents: Sequence[Ent], *,
                threshold: float = 0.5) -> list[Rel]:
        out: list[Rel] = []
        for off, piece, piece_ents in pieces(text, ents):
            doc = nlp.make_doc(piece)
            cands = self.candidates(doc, piece_ents)
            if not cands:
                continue
            vecs = self.tok2vec.predict([doc])
            pooled, _ = self._pool(vecs, [[c[0] for c in cands]])
            scores = self.clf.ops.sigmoid(self.clf.predict(pooled))
            n = len(self.types)
            for row, (_t, h, c) in zip(scores, cands, strict=True):
                best = int(row[:n].argmax())
                if row[best] < threshold:
                    continue
                attrs = tuple(a for j, a in enumerate(self.attrs) if row[n + j] >= threshold)
                out.append(((h[0] + off, h[1] + off, h[2]), (c[0] + off, c[1] + off, c[2]),
                            self.types[best], attrs))
        return out

    # ---- files ---------------------------------------------------------------------------
    def to_disk(self, path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)
        (path / "cfg.json").write_text(json.dumps({
            "types": self.types, "attrs": self.attrs, "symmetric": sorted(self.symmetric),
            "width": self.width, "window_chars": WINDOW_CHARS}), encoding="utf-8")
        (path / "tok2vec.bin").write_bytes(self.tok2vec.to_bytes())
        (path / "classifier.bin").write_bytes(self.clf.to_bytes())

    @classmethod
    def from_disk(cls, path: Path) -> RelationModel:
        cfg = json.loads((path / "cfg.json").read_text(encoding="utf-8"))
        model = cls(cfg["types"], cfg["attrs"], symmetric=cfg["symmetric"], width=cfg["width"])
        model.tok2vec.from_bytes((path / "tok2vec.bin").read_bytes())
        model.clf.from_bytes((path / "classifier.bin").read_bytes())
        model._ready = True
        return model


def score_relations(gold: Sequence[Sequence[Rel]], pred: Sequence[Sequence[Rel]],
                    types: Sequence[str], symmetric: set[str]) -> dict[str, Any]:
    """Per type P/R/F (exact head/child offsets; either order for symmetric types), micro,
    and how often the attributes are right on the correctly found relations."""
    def key(r: Rel) -> tuple:
        h, c = (sorted((r[0], r[1])) if r[2] in symmetric else (r[0], r[1]))
        return (h, c, r[2])

    out = {t: LabelScore() for t in types}
    right = found = 0
    for g_doc, p_doc in zip(gold, pred, strict=True):
        g = {key(r): r[3] for r in g_doc}
        p = {key(r): r[3] for r in p_doc}
        for k, attrs in p.items():
            if k[2] in out:
                hit = k in g
                out[k[2]].tp += hit
                out[k[2]].fp += not hit
                if hit:
                    found += 1
                    right += attrs == g[k]
        for k in g.keys() - p.keys():
            if k[2] in out:
                out[k[2]].fn += 1
    return {"labels": {t: s.to_dict() for t, s in out.items() if s.tp + s.fn + s.fp},
            "micro": micro(out, types).to_dict(),
            "attributes_right": round(right / found, 4) if found else None}


def train_relations(project: Project, nlp: Language, train_ids: Sequence[int],
                    held_ids: Sequence[int], *, layer: str, epochs: int, seed: int,
                    stop: Callable[[], bool]) -> tuple[RelationModel | None, dict[str, Any]]:
    """Train on the training documents' relations, score on the held-out ones (gold entities
    given). No relations to learn from: (None, a note)."""
    train = relation_documents(project, train_ids, layer=layer)
    if not any(d.rels for d in train):
        return None, {"note": "no relations in the training documents: no relation classifier"}
    types, attrs = output_labels(project.schema)
    symmetric = [r.name for r in project.schema.relations if r.symmetric]
    model = RelationModel(types, attrs, symmetric=symmetric)
    model.train(model.examples(nlp, train), epochs=epochs, seed=seed, stop=stop)
    held = relation_documents(project, held_ids, layer=layer)
    pred = [model.predict(nlp, d.text, d.ents) for d in held]
    scores = score_relations([d.rels for d in held], pred, types, set(symmetric))
    scores["gold_train"] = sum(len(d.rels) for d in train)
    return model, scores


def format_relations(scores: dict[str, Any]) -> str:
    """The relation classifier's held-out scores as printed by ``annotator train``."""
    if "note" in scores:
        return f"relations: {scores['note']}"
    lines = [f"relations (gold entities given; the base model has none), trained on"
             f" {scores['gold_train']}:", f"  {'type':<14} {'gold':>5} {'P':>5} {'R':>5} {'F':>5}"]
    for label, s in [*scores["labels"].items(), ("all", scores["micro"])]:
        lines.append(f"  {label:<14} {s['tp'] + s['fn']:>5} {s['p']:>5.2f} {s['r']:>5.2f}"
                     f" {s['f']:>5.2f}")
    if scores.get("attributes_right") is not None:
        lines.append(f"  negated/modality right on {scores['attributes_right']:.0%} of the"
                     " relations found")
    return "\n".join(lines)
