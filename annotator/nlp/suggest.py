"""Turn one processed spaCy Doc into suggestions: model entities and rule matches, merged.

How the two sources combine (and why not an EntityRuler before ``ner``): both run
independently, the model into ``doc.ents`` and the ruler into ``doc.spans``, and are
merged here, where each span's source (model / rule) is still known.

* Model labels go through the schema's ``model_label_map``; unmapped ones (DATE,
  CARDINAL, PRODUCT, ...) are dropped *before* merging, so a model "160" CARDINAL or
  "Antonov-124" PRODUCT never hides the rule's WEAPON.
* Overlaps are resolved greedily, longest first: a longer name is the more specific one
  ("Bank of Russia" ORG beats "Russia" GPE; "Russian air force" MIL_UNIT beats "Russian"
  NORP). A leading "the" does not count, and on equal length the rule wins: the
  gazetteer holds specific terms the general model gets wrong ("Wagner Group" is an
  ARMED_GROUP, not just ORG) and project memory holds the annotators' own decisions.
* Ambiguous gazetteer entries ("Chad", "Jordan", "Georgia": also first names) defer to
  any overlapping model entity and are dropped next to a capitalised name ("Chad Smith",
  "Michael Jordan"). Short all-caps entries ("US", "UN") are dropped in shouted
  headlines ("TRUMP TELLS US"), where case no longer tells an acronym from a word.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from annotator.nlp.gazetteer import AMBIGUOUS, MEMORY, SPANS_KEY, parse_pattern_id

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_DETERMINERS = frozenset({"the", "The", "THE"})
_SENTENCE_END = frozenset({".", "!", "?", "\n", ":", ";", '"', "“", "”"})


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A suggested gold span in document character offsets."""

    start: int
    end: int
    label: str
    source: str  # "model" or "rule"
    attrs: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    memory: bool = field(default=False, compare=False)  # from the project's own decisions

    def shifted(self, offset: int) -> Suggestion:
        return Suggestion(self.start + offset, self.end + offset, self.label, self.source,
                          self.attrs, self.memory)


@dataclass(frozen=True, slots=True)
class _Candidate:
    span: Span
    label: str
    source: str
    country: str = ""
    kind: str = ""

    def rank(self) -> tuple[int, int, int]:
        first = self.span[0]
        core = len(self.span.text) - (len(first.text_with_ws) if first.text in _DETERMINERS
                                      and len(self.span) > 1 else 0)
        return (-core, 0 if self.source == "rule" else 1, self.span.start)


def suggestions(
    doc: Doc, *, label_map: Mapping[str, str], labels: Collection[str],
    known: Collection[str] = (),
) -> list[Suggestion]:
    """Merged, non-overlapping suggestions of one Doc, ordered by position."""
    model = [_Candidate(e, label_map[e.label_], "model") for e in doc.ents
             if label_map.get(e.label_) in labels]
    taken_by_model = {i for e in doc.ents for i in range(e.start, e.end)}
    rules = []
    for span in doc.spans[SPANS_KEY] if SPANS_KEY in doc.spans else ():
        kind, country = parse_pattern_id(span.id_)
        if kind == AMBIGUOUS and (_overlaps(span, taken_by_model) or _name_context(span)):
            continue
        if _shouted(span, known):
            continue
        rules.append(_Candidate(span, span.label_, "rule", country, kind))
    return _select([*model, *rules])


def _select(candidates: list[_Candidate]) -> list[Suggestion]:
    taken: set[int] = set()
    out = []
    for c in sorted(candidates, key=_Candidate.rank):
        tokens = range(c.span.start, c.span.end)
        if any(i in taken for i in tokens):
            continue
        taken.update(tokens)
        attrs = {"country": c.country} if c.country else {}
        out.append(Suggestion(c.span.start_char, c.span.end_char, c.label, c.source, attrs,
                              c.kind == MEMORY))
    return sorted(out, key=lambda s: (s.start, s.end))


def _overlaps(span: Span, taken: set[int]) -> bool:
    return any(i in taken for i in range(span.start, span.end))


def _name_context(span: Span) -> bool:
    """True when a capitalised word sits right next to the match, as in a person's name.

    A capitalised word before the match does not count at a sentence start ("In Jordan").
    """
    doc = span.doc
    after = doc[span.end] if span.end < len(doc) else None
    if after is not None and _is_name_word(after):
        return True
    before = doc[span.start - 1] if span.start > 0 else None
    if before is None or not _is_name_word(before):
        return False
    prev = doc[before.i - 1].text.strip() if before.i > 0 else ""
    return bool(prev) and prev not in _SENTENCE_END


def _is_name_word(token: Token) -> bool:
    return token.is_title and token.is_alpha


def _shouted(span: Span, known: Collection[str]) -> bool:
    text = span.text
    if not (text.isupper() and len(text.replace(".", "")) <= 3):
        return False
    doc = span.doc
    neighbours = [doc[i] for i in (span.start - 1, span.end) if 0 <= i < len(doc)]
    return any(t.is_alpha and t.is_upper and len(t) >= 4 and t.text not in known
               for t in neighbours)
