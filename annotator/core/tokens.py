"""The project's tokenization: spaCy's rule-based English tokenizer, no model needed.

It lives in the core because it is the project's own data (stored per document, used by
the store, the exporters, agreement and the GUI); spaCy is imported only when a text is
tokenized.

Every part that needs tokens (snapping in the GUI, token indices in exports, DocBin
building) uses these offsets, so exported data always aligns with its own tokens.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

    from annotator.core.store import Project

Tokens = list[tuple[int, int]]


@cache
def tokenizer_nlp() -> Language:
    import spacy

    nlp = spacy.blank("en")
    nlp.max_length = 10**9  # the tokenizer alone has no memory problem with long texts
    return nlp


def tokenize(text: str) -> Tokens:
    """(start, end) code-point offsets of every non-space token."""
    doc = tokenizer_nlp().tokenizer(text)
    return [(t.idx, t.idx + len(t)) for t in doc if not t.is_space]


PIECE_CHARS = 1 << 20  # a long text is tokenized this much at a time


def tokenize_packed(text: str) -> bytes:
    """``pack_tokens(tokenize(text))``, in pieces: memory stays flat on a 50 MB text.

    A Doc of a whole long text holds every token at once (about 1 GB for 50 MB of
    prose), and so does a list of tuples. spaCy splits on whitespace before any other
    rule, so cutting the text where whitespace ends gives exactly the same tokens.
    """
    flat = array("i")
    tokenizer = tokenizer_nlp().tokenizer
    start = 0
    n = len(text)
    while start < n:
        end = _cut(text, start + PIECE_CHARS)
        for t in tokenizer(text[start:end]):
            if not t.is_space:
                flat.append(start + t.idx)
                flat.append(start + t.idx + len(t))
        start = end
    return flat.tobytes()


def _cut(text: str, at: int) -> int:
    """A cut at or after ``at`` between a whitespace character and a non-space one."""
    n = len(text)
    if at >= n:
        return n
    i = at
    while i < n and not text[i].isspace():
        i += 1
    while i < n and text[i].isspace():
        i += 1
    return i


def ensure_tokens(project: Project, doc_id: int) -> Tokens:
    """The stored tokens of a document, computed and stored on first use."""
    toks = project.tokens(doc_id)
    if toks is None:
        toks = tokenize(project.text(doc_id))
        if not getattr(project, "read_only", False):  # a read-only project is only read
            project.set_tokens(doc_id, toks)
    return toks


def snap(tokens: Sequence[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to whole tokens; a selection of only spaces stays as it is."""
    starts = [s for s, _ in tokens] if not isinstance(tokens, _Index) else tokens.starts
    ends = [e for _, e in tokens] if not isinstance(tokens, _Index) else tokens.ends
    i = bisect_right(ends, start)  # first token ending after start
    j = bisect_left(starts, end) - 1  # last token starting before end
    if i > j:
        return start, end
    return min(start, starts[i]), max(end, ends[j])


class _Index(list):
    """Tokens with cached start/end arrays for repeated snapping on long documents."""

    def __init__(self, tokens: Sequence[tuple[int, int]]) -> None:
        super().__init__(tokens)
        self.starts = [s for s, _ in tokens]
        self.ends = [e for _, e in tokens]


def indexed(tokens: Sequence[tuple[int, int]]) -> _Index:
    return _Index(tokens)


def pack_tokens(tokens: Sequence[tuple[int, int]] | bytes) -> bytes:
    if isinstance(tokens, bytes | bytearray):
        return bytes(tokens)  # already packed (tokenize_packed)
    flat = array("i")
    for s, e in tokens:
        flat.append(s)
        flat.append(e)
    return flat.tobytes()


def unpack_tokens(blob: bytes) -> list[tuple[int, int]]:
    flat = array("i")
    flat.frombytes(blob)
    return list(zip(flat[0::2], flat[1::2], strict=True))
