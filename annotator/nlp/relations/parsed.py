"""A parsed text as plain data: what relation suggestion needs from spaCy's Doc.

Pre-annotation tags documents inside spaCy memory zones, and a Doc must not outlive its
zone; the relation step runs later, once the document's final spans are known (existing
human spans + this run's suggestions). So the parse is copied out as plain tuples: token
offsets, lower-case text, lemma, coarse and fine tags, dependency label and head.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc


@dataclass(frozen=True, slots=True)
class Tok:
    i: int
    start: int  # code points into the document text
    end: int
    lower: str
    lemma: str
    pos: str
    tag: str
    dep: str
    head: int  # index of the head token (itself for a root)


@dataclass(slots=True)
class Parsed:
    """Tokens of one text (document offsets) and their sentences as token ranges."""

    toks: list[Tok]
    sents: list[tuple[int, int]]  # [start, end) token indices
    children: list[list[int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.children:
            self.children = [[] for _ in self.toks]
            for t in self.toks:
                if t.head != t.i:
                    self.children[t.head].append(t.i)

    def kids(self, i: int, *deps: str) -> Iterator[Tok]:
        for c in self.children[i]:
            if not deps or self.toks[c].dep in deps:
                yield self.toks[c]

    def head(self, i: int) -> Tok | None:
        t = self.toks[i]
        return None if t.head == i else self.toks[t.head]

    def subtree(self, i: int) -> Iterator[int]:
        stack = [i]
        while stack:
            j = stack.pop()
            yield j
            stack.extend(self.children[j])

    @classmethod
    def concat(cls, parts: list[Parsed]) -> Parsed:
        """Chunks of one long document, offsets already shifted, as one parse."""
        toks: list[Tok] = []
        sents: list[tuple[int, int]] = []
        for p in parts:
            base = len(toks)
            toks += [Tok(t.i + base, t.start, t.end, t.lower, t.lemma, t.pos, t.tag, t.dep,
                         t.head + base) for t in p.toks]
            sents += [(a + base, b + base) for a, b in p.sents]
        return cls(toks, sents)


def from_doc(doc: Doc, offset: int = 0) -> Parsed:
    """Copy the parse out of ``doc`` (needs a parser; whitespace tokens are kept as such)."""
    import numpy as np
    from spacy.attrs import DEP, HEAD, IDX, LENGTH, POS, TAG

    if len(doc) == 0:
        return Parsed([], [])
    arr = doc.to_array([IDX, LENGTH, HEAD, POS, TAG, DEP]).astype(np.int64)
    strings = doc.vocab.strings
    names: dict[int, str] = {}

    def name(h: int) -> str:
        s = names.get(h)
        if s is None:
            s = names[h] = strings[int(h) & 0xFFFFFFFFFFFFFFFF] if h else ""
        return s

    idx, length, head = arr[:, 0].tolist(), arr[:, 1].tolist(), arr[:, 2].tolist()
    pos, tag, dep = arr[:, 3].tolist(), arr[:, 4].tolist(), arr[:, 5].tolist()
    lemmas = [t.lemma_ for t in doc]
    text = doc.text
    toks = [Tok(i, idx[i] + offset, idx[i] + length[i] + offset,
                text[idx[i]:idx[i] + length[i]].lower(), lemmas[i].lower() or
                text[idx[i]:idx[i] + length[i]].lower(), name(pos[i]), name(tag[i]),
                name(dep[i]), i + head[i])
            for i in range(len(doc))]
    sents = [(s.start, s.end) for s in doc.sents] if doc.has_annotation("SENT_START") \
        else [(0, len(doc))]
    return Parsed(toks, _split_lines(sents, toks))


def _split_lines(sents: list[tuple[int, int]], toks: list[Tok]) -> list[tuple[int, int]]:
    """A line break ends a sentence: headlines and captions have no full stop."""
    out = []
    for a, b in sents:
        start = a
        for i in range(a, b):
            if "\n" in toks[i].lower:
                if i > start:
                    out.append((start, i))
                start = i + 1
        if b > start:
            out.append((start, b))
    return out
