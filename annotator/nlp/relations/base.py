"""Entities and relation candidates inside one sentence (plain data, document offsets)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from annotator.nlp.relations.parsed import Parsed, Tok

# Verbs whose clause object carries the recipient: "demands that Maduro step down".
CLAUSE_DEPS = ("ccomp", "xcomp", "relcl")
# Modifiers under which an argument's entity may sit: "Venezuela's government",
# "Russian troops", "the Trump administration", "officials of the Kremlin".
NP_DEPS = ("compound", "poss", "amod", "nmod", "npadvmod", "appos")
PATIENT_PREPS = frozenset({"to", "into", "against", "on", "with", "for", "toward", "towards",
                           "in", "at", "outside", "from", "of", "over"})


@dataclass(frozen=True, slots=True)
class Ent:
    start: int
    end: int
    label: str


@dataclass(slots=True)
class Candidate:
    """A typed (or, from an unknown verb, untyped: label "") relation between two entities."""

    head: Ent
    child: Ent
    label: str
    source: str  # "rule" (lexicon / pattern) or "memory"
    trigger: str = ""  # lemma or phrase that made it; "" for title/location patterns
    why: str = ""
    attrs: dict[str, Any] = field(default_factory=dict)
    anchor: int = -1  # token index of the trigger (attributes are read around it)


class Sentence:
    """One sentence's tokens and the entities inside it, indexed by token."""

    def __init__(self, parsed: Parsed, start: int, end: int, ents: list[Ent]) -> None:
        self.p = parsed
        self.start, self.end = start, end
        self.ents = ents
        self.tok_ent: dict[int, Ent] = {}
        self.ent_head: dict[Ent, int] = {}
        for e in sorted(ents, key=lambda e: e.end - e.start):  # the shortest entity wins a token
            toks = [i for i in range(start, end)
                    if parsed.toks[i].start < e.end and parsed.toks[i].end > e.start]
            if not toks:
                continue
            for i in toks:
                self.tok_ent.setdefault(i, e)
            inside = set(toks)
            heads = [i for i in toks if parsed.toks[i].head not in inside or parsed.toks[i].head == i]
            self.ent_head[e] = heads[0] if heads else toks[-1]

    @property
    def toks(self) -> list[Tok]:
        return self.p.toks[self.start:self.end]

    def ent_of(self, i: int, *, depth: int = 2, norp: bool = False) -> Ent | None:
        """The entity at token ``i``, or the nearest one among its noun-phrase modifiers.

        Apposition first ("the minister, Sergei Lavrov"), then compounds and possessives
        ("Venezuela's government"), then "of"/"from" phrases; a NORP adjective ("Russian
        troops") only with ``norp`` (it describes the troops, it is not the actor).
        """
        e = self.tok_ent.get(i)
        if e is not None or depth == 0:
            return e
        kids = list(self.p.kids(i))
        for deps in (("appos",), ("compound", "poss", "nmod", "npadvmod")):
            for k in kids:
                if k.dep in deps and k.i in self.tok_ent:
                    return self.tok_ent[k.i]
        for k in kids:
            if k.dep == "prep" and k.lemma in ("of", "from"):
                for o in self.p.kids(k.i, "pobj"):
                    hit = self.ent_of(o.i, depth=depth - 1)
                    if hit:
                        return hit
        for k in kids:
            if k.dep in ("compound", "poss", "nmod"):
                hit = self.ent_of(k.i, depth=depth - 1)
                if hit:
                    return hit
        if norp:
            for k in kids:
                if k.dep == "amod" and k.i in self.tok_ent:
                    return self.tok_ent[k.i]
        return None

    def args(self, tokens: list[int], *, norp: bool = False) -> list[Ent]:
        """Entities for argument tokens, each with its coordinated ones ("Brazil, Canada and Peru")."""
        out: list[Ent] = []
        for i in tokens:
            for j in self.coordinated(i):
                e = self.ent_of(j, norp=norp)
                if e is not None and e not in out:
                    out.append(e)
        return out

    def coordinated(self, i: int) -> list[int]:
        out, stack = [], [i]
        while stack:
            j = stack.pop()
            out.append(j)
            stack.extend(k.i for k in self.p.kids(j, "conj"))
        return out

    def inside(self, i: int) -> bool:
        return self.start <= i < self.end
