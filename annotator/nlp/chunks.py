"""Cutting long texts into pieces the NER can take (about 1 GB of memory per 100k chars).

Cuts fall on the best boundary in the last part of a window: a paragraph break, else
a line break, else a sentence end, else any whitespace. Cutting only after whitespace
keeps tokens whole and identical to tokenizing the full text (spaCy splits on
whitespace first). Only a window with no whitespace at all is cut hard.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

CHUNK_CHARS = 100_000
_BOUNDARIES = (re.compile(r"\n\s*\n"), re.compile(r"\n"), re.compile(r"[.!?][\"')\]]*\s"),
               re.compile(r"\s"))


def split_text(text: str, *, size: int = CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """(offset, piece) pairs covering ``text`` in order, each piece at most ``size`` chars."""
    start, n = 0, len(text)
    while n - start > size:
        cut = _cut(text, start, start + size)
        yield start, text[start:cut]
        start = cut
    if start < n or n == 0:
        yield start, text[start:]


def _cut(text: str, lo: int, hi: int) -> int:
    """Where to end the piece text[lo:hi]: just after the last good boundary in its back half."""
    floor = lo + (hi - lo) // 2
    for pattern in _BOUNDARIES:
        ends = [m.end() for m in pattern.finditer(text, floor, hi)]
        if ends:
            return ends[-1]
    return hi
