"""Relation suggestions: typed relations between the entities of each sentence.

Sources (combined here, each suggestion says which and why in its attributes):
``events`` (verbs, nouns and phrases of the lexicon over the dependency parse),
``standing`` (title, apposition, location and possession patterns), ``memory`` (the
project's earlier decisions). Every suggestion is valid for the schema (type, head and
child labels, direction); a pair gets at most one suggestion, a symmetric type once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from annotator.nlp.relations.attributes import attributes
from annotator.nlp.relations.base import Candidate, Ent, Sentence
from annotator.nlp.relations.events import event_candidates
from annotator.nlp.relations.lexicon import Lexicon, load_lexicon
from annotator.nlp.relations.memory import RelationMemory
from annotator.nlp.relations.parsed import Parsed, from_doc
from annotator.nlp.relations.standing import standing_candidates

if TYPE_CHECKING:
    from annotator.core.schema import Schema

__all__ = ["Ent", "Parsed", "RelationSuggestion", "Relater", "from_doc", "load_lexicon"]
SOURCES = ("verb", "pattern", "memory")  # what a suggestion's attrs["why"] starts with


@dataclass(frozen=True, slots=True)
class RelationSuggestion:
    head: Ent
    child: Ent
    label: str
    source: str  # "rule" or "memory" (the relation's stored source)
    attrs: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def kind(self) -> str:
        """Which source found it: verb (verbs, nouns, phrases), pattern or memory."""
        why = str(self.attrs.get("why", ""))
        if why.startswith("memory"):
            return "memory"
        return "pattern" if why.startswith("pattern") else "verb"


class Relater:
    """Suggests relations for parsed texts under one schema, lexicon and memory."""

    def __init__(self, schema: Schema, *, lexicon: Lexicon | None = None,
                 memory: RelationMemory | None = None,
                 sources: Iterable[str] = ("events", "standing", "memory")) -> None:
        self.schema = schema
        self.lex = lexicon or load_lexicon()
        self.memory = memory or RelationMemory()
        self.sources = frozenset(sources)
        self.symmetric = frozenset(r.name for r in schema.relations if r.symmetric)

    def allowed(self, label: str, head: str, child: str) -> bool:
        rel = self.schema.relation(label)
        return rel is not None and rel.allows(head, child)

    def suggest(self, parsed: Parsed, ents: Iterable[Ent], text: str) -> list[RelationSuggestion]:
        """Suggestions for one document: ``ents`` in document offsets, ``text`` its text."""
        ents = sorted(set(ents), key=lambda e: (e.start, e.end))
        out: list[RelationSuggestion] = []
        k = 0
        for start, end in parsed.sents:
            if start >= end:
                continue
            lo, hi = parsed.toks[start].start, parsed.toks[end - 1].end
            while k < len(ents) and ents[k].end <= lo:
                k += 1
            inside = [e for e in ents[k:] if e.start < hi and e.start >= lo and e.end <= hi]
            if len(inside) >= 2:
                out += self._sentence(Sentence(parsed, start, end, inside), text)
        return out

    def _sentence(self, s: Sentence, text: str) -> list[RelationSuggestion]:
        cands: list[Candidate] = []
        if self.sources & {"events", "memory"}:
            cands += event_candidates(s, self.lex)
        if "standing" in self.sources:
            cands += standing_candidates(s, self.lex)
        typed: list[Candidate] = []
        for c in cands:
            if "memory" in self.sources:
                c = self.memory.apply(c, text[c.head.start:c.head.end],
                                      text[c.child.start:c.child.end])
            elif not c.label:
                c = None
            if c is None or not c.label:
                continue
            if c.source != "memory" and "events" not in self.sources \
                    and not c.why.startswith("pattern"):
                continue  # an event candidate kept only for memory to type
            typed.append(c)
        taken: set[frozenset[Ent]] = set()
        out = []
        # memory first, then verbs, then patterns: one suggestion per pair
        for c in sorted(typed, key=lambda c: (c.source != "memory", c.why.startswith("pattern"),
                                              c.anchor)):
            pair = frozenset((c.head, c.child))
            if _same_name(text, c.head, c.child):
                continue  # "Russia ... Russia": two mentions of one actor
            if pair in taken or not self.allowed(c.label, c.head.label, c.child.label):
                continue
            taken.add(pair)
            attrs = {**attributes(s, c.anchor, self.lex), **c.attrs}
            attrs = {k: v for k, v in attrs.items() if v not in (False, "asserted")}
            if c.trigger:
                attrs["trigger"] = c.trigger
            attrs["why"] = c.why
            out.append(RelationSuggestion(c.head, c.child, c.label, c.source, attrs))
        return out


def _same_name(text: str, a: Ent, b: Ent) -> bool:
    return text[a.start:a.end].lower().removeprefix("the ") == \
        text[b.start:b.end].lower().removeprefix("the ")
