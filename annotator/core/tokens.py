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


def ensure_tokens(project: Project, doc_id: int) -> Tokens:
    """The stored tokens of a document, computed and stored on first use."""
    toks = project.tokens(doc_id)
    if toks is None:
        toks = tokenize(project.text(doc_id))
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


def pack_tokens(tokens: Sequence[tuple[int, int]]) -> bytes:
    flat = array("i")
    for s, e in tokens:
        flat.append(s)
        flat.append(e)
    return flat.tobytes()


def unpack_tokens(blob: bytes) -> list[tuple[int, int]]:
    flat = array("i")
    flat.frombytes(blob)
    return list(zip(flat[0::2], flat[1::2], strict=True))
