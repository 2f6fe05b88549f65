"""A span categorizer next to the NER, for nested gold where the schema allows overlap.

A flat NER learns one span per token, so of "Russian air force" (MIL_UNIT) holding
"Russian" (NORP) it learns the longer only. When the training documents have such
nested spans, a ``spancat`` (its own small embedding, spaCy's default model; n-gram
suggester up to ``MAX_WIDTH`` tokens) is trained on all gold spans, scored on the same
held-out documents, and saved in the same pipeline (``doc.spans["sc"]``). Pre-annotation
does not use it yet: it loads the NER alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from annotator.nlp.train.data import Ent, GoldDoc

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

SPANS_KEY = "sc"
NAME = "spancat"
MAX_WIDTH = 4


def nested_labels(docs: Sequence[GoldDoc]) -> list[str]:
    """Labels of gold spans that overlap another gold span (sorted); empty: no nesting."""
    found: set[str] = set()
    for d in docs:
        ents = sorted(d.ents)
        for i, (_s, e, lab) in enumerate(ents):
            for s2, _e2, lab2 in ents[i + 1:]:
                if s2 >= e:
                    break
                found |= {lab, lab2}
    return sorted(found)


def add_spancat(nlp: Language, labels: Sequence[str]) -> Any:
    sizes = list(range(1, MAX_WIDTH + 1))
    sc = nlp.add_pipe(NAME, config={"spans_key": SPANS_KEY, "suggester": {
        "@misc": "spacy.ngram_suggester.v1", "sizes": sizes}})
    for label in labels:
        sc.add_label(label)
    return sc


def set_reference_spans(ref: Doc, ents: Sequence[Ent]) -> None:
    """All gold spans (nested ones too) as the spancat's targets."""
    spans = [sp for s, e, lab in ents
             if (sp := ref.char_span(s, e, label=lab, alignment_mode="contract")) is not None
             and len(sp)]
    ref.spans[SPANS_KEY] = spans


def span_entities(doc: Doc, offset: int = 0) -> list[Ent]:
    return [(sp.start_char + offset, sp.end_char + offset, sp.label_)
            for sp in doc.spans.get(SPANS_KEY, [])]
