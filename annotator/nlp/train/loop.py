"""Training a project's NER in-process: base model + gold + pseudo-rehearsal, scored honestly.

* The held-out documents are chosen by a seeded split by document (``data.split_documents``)
  and never reach ``nlp.update``; the base pipeline is scored on exactly the same ones.
* Starting from a statistical base, forgetting is countered twice: the base's own
  predictions on unfinished documents are rehearsed next to the gold (pseudo-rehearsal,
  as many rehearsal pieces per epoch as gold ones), and on the gold documents the base's
  predictions of labels the schema does not use (DATE, MONEY, ...) are kept as targets,
  so annotating only schema labels does not teach the model that a date is nothing.
* Nothing is written until the whole run succeeded: the model goes to a ``.tmp`` folder
  that is renamed at the end, so a cancelled or crashed run leaves no half model.
"""

from __future__ import annotations

import json
import random
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core.models import GOLD
from annotator.core.store import Project
from annotator.nlp import project_models as registry
from annotator.nlp.chunks import split_text
from annotator.nlp.model import ModelChoice, load_pipeline, resolve_model
from annotator.nlp.train.data import (
    Ent,
    GoldDoc,
    Split,
    TrainCancelled,  # noqa: F401 - callers import it here
    TrainDataError,
    gold_documents,
    non_overlapping,
    pieces,
    split_documents,
    unannotated_texts,
)
from annotator.nlp.train.evaluate import format_table, micro, score, scores_dict
from annotator.nlp.train.spancat import (
    NAME as SPANCAT,
)
from annotator.nlp.train.spancat import (
    add_spancat,
    nested_labels,
    set_reference_spans,
    span_entities,
)

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.training import Example

ProgressFn = Callable[[str, float], None]  # message, fraction of the whole run done
StopFn = Callable[[], bool]
CURVE = (0.25, 0.5, 0.75, 1.0)


@dataclass(frozen=True)
class TrainOptions:
    base: str | None = None  # None: the project's model (as pre-annotation resolves it)
    eval_split: float = 0.2
    seed: int = 0
    iterations: int = 20
    curve: bool = True  # also train on 25/50/75% of the training documents
    layer: str = GOLD
    output: Path | None = None  # default: PROJECT/models/<timestamp>
    rehearsal_docs: int = 100  # unfinished documents whose base predictions are rehearsed
    dropout: float = 0.2
    relations: bool = False  # also train a relation classifier over entity pairs


@dataclass
class TrainResult:
    model_dir: Path
    base: str
    labels: list[str]
    base_labels: list[str]
    base_scores: dict[str, Any]
    trained_scores: dict[str, Any]
    curve: list[dict[str, Any]] = field(default_factory=list)
    split: dict[str, list[int]] = field(default_factory=dict)
    found_new: list[dict[str, Any]] = field(default_factory=list)  # new-label hits, held out
    seconds: float = 0.0
    note: str = ""  # a caveat about the comparison, printed with the table
    spancat_scores: dict[str, Any] = field(default_factory=dict)  # nested gold: the spancat
    relation_scores: dict[str, Any] = field(default_factory=dict)  # with --relations

    def table(self) -> str:
        return format_table(self.base_scores, self.trained_scores, base_labels=self.base_labels)

    def curve_text(self) -> str:
        return "\n".join(f"  {c['percent']:>3}% ({c['docs']} docs): F {c['f']:.2f}"
                         f" (base labels {c['f_base_labels']:.2f})" for c in self.curve)

    def text(self) -> str:
        """What ``annotator train`` prints."""
        s = self.split
        out = [f"trained on {len(s['train'])} documents, scored on {len(s['eval'])} held out"
               f" ({', '.join(map(str, s['eval']))}), rehearsed {len(s['rehearsal'])};"
               f" base {self.base}; {self.seconds:.0f} s", "", self.table()]
        if self.note:
            out += ["", f"note: {self.note}"]
        if self.spancat_scores:
            sc = self.spancat_scores
            out += ["", f"span categorizer (nested gold, all spans), held out: P {sc['micro']['p']:.2f}"
                    f" R {sc['micro']['r']:.2f} F {sc['micro']['f']:.2f}; nested labels "
                    + ", ".join(f"{k} F {v['f']:.2f}" for k, v in sc["labels"].items()
                                if k in sc.get("nested", []))]
        if self.relation_scores:
            from annotator.nlp.train.relations import format_relations

            out += ["", format_relations(self.relation_scores)]
        if self.curve:
            out += ["", "learning curve (held-out F):", self.curve_text()]
        new = self.found_new
        out += ["", f"new labels found on held-out text without the gazetteer: {len(new)}"]
        out += [f"  {h['label']:<12} {h['text']!r} (doc {h['doc_id']})" for h in new[:15]]
        out += ["", f"model: {self.model_dir}"]
        return "\n".join(out)


def train_project(project: Project, options: TrainOptions = TrainOptions(), *,
                  on_progress: ProgressFn | None = None,
                  should_stop: StopFn | None = None) -> TrainResult:
    """Train, score base and trained on the held-out documents, write the model; see module."""
    started = time.perf_counter()
    report = on_progress or (lambda _m, _f: None)
    stop = should_stop or (lambda: False)
    if options.iterations < 1:
        raise TrainDataError("--iterations must be at least 1")
    if options.output and Path(options.output).exists() and any(Path(options.output).iterdir()):
        raise TrainDataError(f"{options.output} exists and is not empty: pass another --output")
    labels = project.schema.labels
    docs = gold_documents(project, layer=options.layer, labels=labels)
    if not any(d.ents for d in docs):
        who = f"layer {options.layer!r}" if options.layer else "the gold layer"
        raise TrainDataError(f"no done document with accepted spans in {who}: nothing to train on")
    train, held = split_documents(docs, eval_split=options.eval_split, seed=options.seed)
    report("loading the base model", 0.0)
    choice = resolve_model(options.base if options.base is not None else project.config.get("model"),
                           project_dir=project.path)
    base_nlp = load_pipeline(choice)
    note = _seen_by_base(choice, held)
    split = Split(train, held, unannotated_texts(project, limit=options.rehearsal_docs,
                                                 seed=options.seed) if choice.statistical else [])
    label_map = project_label_map(project)
    base_labels = _base_labels(base_nlp, label_map, labels)
    nested = nested_labels(train) if project.schema.allow_overlap else []
    flat_held = [non_overlapping(d.ents) for d in held]  # what a flat NER can get right

    report("scoring the base model on the held-out documents", 0.02)
    base_pred = predict(base_nlp, [d.text for d in held])
    base_scores = scores_dict(score(flat_held, [_mapped(p, label_map, labels)
                                                for p in base_pred], labels), base_labels)
    keep_raw = _unmapped_labels(base_nlp, label_map)
    base_train = predict(base_nlp, [d.text for d in train]) if keep_raw else [[] for _ in train]
    texts = [t for _i, t in split.unannotated]
    rehearsal = [(t, _rehearsal_ents(p, label_map))
                 for t, p in zip(texts, predict(base_nlp, texts), strict=True)]
    del base_nlp
    if stop():  # scoring the base can take a while on a big project: cancel before training
        raise TrainCancelled("training cancelled: nothing was written")

    order = list(train)
    random.Random(options.seed).shuffle(order)  # nested curve subsets: 25% within 50% ...
    fractions = CURVE if options.curve and len(order) > 1 else (1.0,)
    runs = [max(1, round(len(order) * f)) for f in fractions]
    total_epochs = sum(runs) * options.iterations or 1
    done_epochs = [0]

    def tick(msg: str, n_docs: int) -> None:
        done_epochs[0] += n_docs
        report(msg, 0.05 + 0.9 * done_epochs[0] / total_epochs)
        if stop():
            raise TrainCancelled("training cancelled: nothing was written")

    curve, nlp = [], None
    for frac, n in zip(fractions, runs, strict=True):
        subset = sorted(order[:n], key=lambda d: d.id)
        aug = {d.id: p for d, p in zip(train, base_train, strict=True)}
        gold = [(d.text, _with_base(d.ents, aug[d.id], keep_raw), list(d.ents)) for d in subset]
        nlp = _train_once(choice, labels, gold, rehearsal, options, stop=stop, spancat=bool(nested),
                          tick=lambda e, n=n, frac=frac: tick(
                              f"training on {n} documents ({round(frac * 100)}%): epoch {e}", n))
        pred = [_mapped(p, label_map, labels) for p in predict(nlp, [d.text for d in held])]
        sc = scores_dict(score(flat_held, pred, labels), base_labels)
        curve.append({"percent": round(frac * 100), "docs": n, "f": sc["micro"]["f"],
                      "f_base_labels": sc["micro_base_labels"]["f"], "scores": sc})
    assert nlp is not None
    trained_scores = curve[-1]["scores"]
    found = _new_label_hits(held, pred, base_labels)
    spancat_scores: dict[str, Any] = {}
    if nested:
        sc_all = score([d.ents for d in held], predict_spans(nlp, [d.text for d in held]), labels)
        spancat_scores = {**scores_dict(sc_all, base_labels), "nested": nested,
                          "micro_nested": micro(sc_all, nested).to_dict()}

    rel_model, rel_scores = None, {}
    if options.relations:
        from annotator.nlp.train.relations import train_relations

        report("training the relation classifier", 0.95)
        rel_model, rel_scores = train_relations(
            project, nlp, [d.id for d in train], [d.id for d in held], layer=options.layer,
            epochs=options.iterations, seed=options.seed, stop=stop)
    report("writing the model", 0.97)
    out = Path(options.output) if options.output else registry.new_model_dir(project.path)
    result = TrainResult(out, choice.describe(), list(labels), base_labels, base_scores,
                         trained_scores, [{k: v for k, v in c.items() if k != "scores"}
                                          for c in curve] if len(curve) > 1 else [],
                         split.ids(), found)
    result.seconds = round(time.perf_counter() - started, 1)
    result.note = note
    result.spancat_scores = spancat_scores
    result.relation_scores = rel_scores
    _write(nlp, result, project, choice, options, rel_model)
    project.log_event("train", {"model": str(out), "base": result.base, "split": result.split,
                                "micro_f": trained_scores["micro"]["f"],
                                "base_micro_f": base_scores["micro"]["f"],
                                "seconds": result.seconds})
    report("done", 1.0)
    return result


def project_label_map(project: Project) -> dict[str, str]:
    """Model label -> schema label: the schema's map, and every schema label as itself
    (a project-trained pipeline predicts the schema's labels directly)."""
    return {**project.schema.model_label_map, **{label: label for label in project.schema.labels}}


def _seen_by_base(choice: ModelChoice, held: list[GoldDoc]) -> str:
    """A warning when a project-trained base was trained on some of the held-out documents."""
    if not choice.from_project or choice.path is None:
        return ""
    try:
        trained_on = set(json.loads((choice.path / "documents.json").read_text("utf-8"))["train"])
    except (OSError, ValueError, KeyError, TypeError):
        return ""
    seen = sorted(trained_on & {d.id for d in held})
    if not seen:
        return ""
    return (f"the base model was trained on held-out document(s) {', '.join(map(str, seen))}:"
            " its scores there are optimistic (train with the seed it was trained with)")


def predict(nlp: Language, texts: Sequence[str]) -> list[list[Ent]]:
    """Entities (raw model labels) of each text, cut at line breaks like the training pieces."""
    items = [(chunk, (i, off)) for i, t in enumerate(texts) for off, chunk in _offset_pieces(t)]
    out: list[list[Ent]] = [[] for _ in texts]
    # small batches: each is one long C call holding the GIL, and a window may be waiting
    for doc, (i, off) in nlp.pipe(items, as_tuples=True, batch_size=4):
        out[i] += [(e.start_char + off, e.end_char + off, e.label_) for e in doc.ents]
    return out


def _offset_pieces(text: str) -> list[tuple[int, str]]:
    return [(off + start, piece) for off, chunk in split_text(text)
            for start, piece, _ in pieces(chunk)]


def predict_spans(nlp: Language, texts: Sequence[str]) -> list[list[Ent]]:
    """The span categorizer's spans of each text (empty lists without one)."""
    if SPANCAT not in nlp.pipe_names:
        return [[] for _ in texts]
    items = [(chunk, (i, off)) for i, t in enumerate(texts) for off, chunk in _offset_pieces(t)]
    out: list[list[Ent]] = [[] for _ in texts]
    for doc, (i, off) in nlp.pipe(items, as_tuples=True, batch_size=4):
        out[i] += span_entities(doc, off)
    return out


# ---- one training run ----------------------------------------------------------------------
def _train_once(choice: ModelChoice, labels: Sequence[str],
                gold: list[tuple[str, list[Ent], list[Ent]]],
                rehearsal: list[tuple[str, list[Ent]]], options: TrainOptions, *,
                tick: Callable[[int], None], stop: StopFn, spancat: bool = False) -> Language:
    """One model: ``gold`` is (text, NER targets, all gold spans) per document."""
    import spacy
    from spacy.util import compounding, fix_random_seed, minibatch

    fix_random_seed(options.seed)
    nlp = load_pipeline(choice) if choice.statistical else spacy.blank("en")
    fresh = "ner" not in nlp.pipe_names
    ner = nlp.add_pipe("ner") if fresh else nlp.get_pipe("ner")
    targets = [ents for _t, ents, _all in gold] + [ents for _t, ents in rehearsal]
    for label in {*labels, *(e[2] for ents in targets for e in ents)}:
        ner.add_label(label)
    sc = add_spancat(nlp, labels) if spancat else None
    gold_ex = [ex for t, ents, spans in gold
               for ex in _examples(nlp, t, ents, spans if sc is not None else None)]
    rehearse_ex = [ex for t, ents in rehearsal for ex in _examples(nlp, t, ents)]
    rehearsed = {id(ex) for ex in rehearse_ex}
    if fresh:
        optimizer = nlp.initialize(lambda: gold_ex)
    else:
        optimizer = nlp.resume_training()
        if sc is not None:  # new next to a trained NER: only it starts from nothing
            sc.initialize(lambda: gold_ex, nlp=nlp)
    no_spans = [SPANCAT] if sc is not None else []
    rng = random.Random(options.seed)
    for epoch in range(1, options.iterations + 1):
        batch = gold_ex + rng.sample(rehearse_ex, min(len(rehearse_ex), len(gold_ex)))
        rng.shuffle(batch)
        losses: dict[str, float] = {}
        for mb in minibatch(batch, size=compounding(4.0, 32.0, 1.001)):
            if stop():  # between batches too: an epoch over many documents takes a while
                raise TrainCancelled("training cancelled: nothing was written")
            own = [ex for ex in mb if id(ex) not in rehearsed]
            if own:
                nlp.update(own, drop=options.dropout, sgd=optimizer, losses=losses)
            if len(own) < len(mb):  # the base's predictions are no target for the spancat
                nlp.update([ex for ex in mb if id(ex) in rehearsed], drop=options.dropout,
                           sgd=optimizer, losses=losses, exclude=no_spans)
        tick(epoch)
    return nlp


def _examples(nlp: Language, text: str, ents: list[Ent],
              spans: list[Ent] | None = None) -> list[Example]:
    """Training pieces: NER targets as ``ents`` (flattened); all ``spans`` for a spancat."""
    from spacy.training import Example
    from spacy.util import filter_spans

    out = []
    flat = non_overlapping(ents)
    for off, piece, piece_ents in pieces(text, flat):
        ref = nlp.make_doc(piece)
        aligned = [sp for s, e, lab in piece_ents
                   if (sp := ref.char_span(s, e, label=lab, alignment_mode="contract")) is not None
                   and len(sp)]
        ref.ents = filter_spans(aligned)
        if spans is not None:
            end = off + len(piece)
            set_reference_spans(ref, [(s - off, e - off, lab) for s, e, lab in spans
                                      if s >= off and e <= end])
        out.append(Example(nlp.make_doc(piece), ref))
    return out


# ---- labels --------------------------------------------------------------------------------
def _ner_labels(nlp: Language) -> list[str]:
    return list(nlp.get_pipe("ner").labels) if "ner" in nlp.pipe_names else []


def _base_labels(nlp: Language, label_map: dict[str, str], labels: Sequence[str]) -> list[str]:
    """The schema labels the base pipeline can predict (its scores must not get worse)."""
    return sorted({label_map[x] for x in _ner_labels(nlp) if label_map.get(x) in labels},
                  key=list(labels).index)


def _unmapped_labels(nlp: Language, label_map: dict[str, str]) -> set[str]:
    return {x for x in _ner_labels(nlp) if x not in label_map}


def _mapped(ents: list[Ent], label_map: dict[str, str], labels: Sequence[str]) -> list[Ent]:
    return [(s, e, label_map[lab]) for s, e, lab in ents if label_map.get(lab) in labels]


def _rehearsal_ents(ents: list[Ent], label_map: dict[str, str]) -> list[Ent]:
    """Base predictions as targets: schema-mapped labels as the schema names them, others raw."""
    return [(s, e, label_map.get(lab, lab)) for s, e, lab in ents]


def _with_base(gold: Sequence[Ent], base: list[Ent], keep: set[str]) -> list[Ent]:
    """Gold plus the base's spans of labels outside the schema where they touch no gold span."""
    extra = [x for x in base if x[2] in keep
             and all(x[1] <= g[0] or x[0] >= g[1] for g in gold)]
    return [*gold, *extra]


def _new_label_hits(held: list[GoldDoc], pred: list[list[Ent]], base_labels: list[str]) -> list[
        dict[str, Any]]:
    known = set(base_labels)
    hits = []
    for d, ents in zip(held, pred, strict=True):
        gold = set(d.ents)
        hits += [{"doc_id": d.id, "label": lab, "text": d.text[s:e], "start": s, "end": e,
                  "correct": (s, e, lab) in gold} for s, e, lab in ents if lab not in known]
    return hits


# ---- writing -------------------------------------------------------------------------------
def _write(nlp: Language, result: TrainResult, project: Project, choice: ModelChoice,
           options: TrainOptions, rel_model: Any = None) -> None:
    out = result.model_dir
    if out.exists() and any(out.iterdir()):
        raise TrainDataError(f"{out} exists and is not empty: pass another --output")
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tag = out.name
    nlp.meta.update({
        "name": f"{project.name}_{tag}".replace("-", "_").replace(" ", "_"),
        "version": "0.0.0", "description": f"trained by the annotator on {project.name}",
        registry.META_KEY: {"project": project.name, "project_id": project.id, "tag": tag,
                            "base": result.base, "base_path": str(choice.path or ""),
                            "layer": options.layer, "seed": options.seed,
                            "eval_split": options.eval_split, "iterations": options.iterations,
                            "labels": result.labels},
    })
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        nlp.to_disk(tmp)
        registry.write_json(tmp / "scores.json", {
            "base": result.base_scores, "trained": result.trained_scores,
            "base_labels": result.base_labels, "curve": result.curve,
            "found_new_labels": result.found_new, "seconds": result.seconds,
            "spancat": result.spancat_scores, "relations": result.relation_scores,
            "base_model": result.base})
        registry.write_json(tmp / "documents.json", result.split)
        if rel_model is not None:
            from annotator.nlp.train.relations import REL_DIR

            rel_model.to_disk(tmp / REL_DIR)
        if out.exists():
            out.rmdir()
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
