"""How unsure the model is about each unfinished document (active learning: label those first).

A beam search over the NER's transitions gives each candidate entity a probability (the
summed probability of the parses that contain it). An entity at p = 0.5 is the least
certain; one at 0 or 1 the most. A document's score is the mean of ``1 - |2p - 1|`` over
its candidates (p >= 0.05), 0 to 1, higher = more uncertain; a document with no
candidates scores 0. Scores go to the ``doc_scores`` table.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING

from annotator.core.doc_scores import set_scores
from annotator.core.store import Project
from annotator.nlp.chunks import split_text
from annotator.nlp.model import ModelError, load_pipeline, resolve_model
from annotator.nlp.train.data import pieces

if TYPE_CHECKING:
    from spacy.language import Language

UNFINISHED = ("todo", "in_progress")
MIN_P = 0.05
BATCH = 32  # documents per transaction


def document_uncertainty(nlp: Language, text: str, *, beam_width: int = 8) -> float:
    """The score of one text (see module), from the pipeline's ``ner``."""
    ner = nlp.get_pipe("ner")
    before = [proc for name, proc in nlp.pipeline if name != "ner"]
    docs = []
    for _off, chunk in split_text(text):
        for _start, piece, _ in pieces(chunk):
            doc = nlp.make_doc(piece)
            for proc in before:  # e.g. a shared tok2vec the NER listens to
                doc = proc(doc)
            docs.append(doc)
    if not docs:
        return 0.0
    per_entity: list[float] = []
    for beam in ner.beam_parse(docs, beam_width=beam_width, beam_density=0.0001):
        probs: dict[tuple[int, int, str], float] = defaultdict(float)
        for prob, ents in ner.moves.get_beam_parses(beam):
            for start, end, label in ents:
                probs[(start, end, label)] += prob
        per_entity += [1 - abs(2 * min(p, 1.0) - 1) for p in probs.values() if p >= MIN_P]
    return round(sum(per_entity) / len(per_entity), 4) if per_entity else 0.0


def score_documents(project: Project, *, model: str = "project:latest",
                    on_progress: Callable[[int, int], None] | None = None,
                    should_stop: Callable[[], bool] | None = None) -> int:
    """Score every unfinished document with ``model``; returns how many were scored."""
    choice = resolve_model(model, project_dir=project.path)
    if not choice.statistical:
        raise ModelError(f"{model}: uncertainty needs a statistical model ({choice.note})")
    nlp = load_pipeline(choice)
    if "ner" not in nlp.pipe_names:
        raise ModelError(f"{choice.describe()} has no entity recognizer to score with")
    tag = choice.project_tag or choice.describe()
    total = project.count_documents(status=UNFINISHED)
    done, batch = 0, []
    started = time.perf_counter()
    for d in project.iter_documents(status=UNFINISHED):
        if should_stop and should_stop():
            break
        batch.append((d.id, document_uncertainty(nlp, d.text or "")))
        if len(batch) >= BATCH:
            done += set_scores(project, batch, model=tag)
            batch = []
            if on_progress:
                on_progress(done, total)
    done += set_scores(project, batch, model=tag)
    if on_progress:
        on_progress(done, total)
    project.log_event("score_uncertainty", {"model": tag, "documents": done,
                                            "seconds": round(time.perf_counter() - started, 2)})
    return done
