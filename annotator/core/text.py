"""Text normalization: what every stored document text looks like."""

from __future__ import annotations

import hashlib
import unicodedata


def normalize_text(text: str) -> str:
    """NFC, ``\\n`` newlines, no BOM, no NUL; trailing whitespace per document kept."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    return unicodedata.normalize("NFC", text)


def text_hash(text: str) -> str:
    """Stable hash of a normalized text (dedupe key, merge key)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


# ---- offsets across normalization: a reader's offsets onto the stored text ---------------
class OffsetMap:
    """Maps offsets in a reader's text onto the normalized text stored for it.

    Normalization (CRLF -> LF, NFC, leading BOM) changes the text in small units: a
    CRLF pair, a base letter with its combining marks. Offsets at unit edges map
    exactly; an offset inside a unit has no counterpart, and its span is dropped.
    """

    def __init__(self, original: str, normalized: str) -> None:
        self.original = original
        self.normalized = normalized
        self.identity = original == normalized
        self._edges: list[int] | None = None if self.identity else _unit_edges(original, normalized)

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        if self.identity:
            return start, end
        if self._edges is not None:
            s, e = self._edges[start], self._edges[end]
            return (s, e) if s >= 0 and e > s else None
        return self._slow(start, end)

    def _slow(self, start: int, end: int) -> tuple[int, int] | None:
        # Exact but O(n) per span: only when the unit map could not reproduce the text.
        o = self.original
        a, b, c = normalize_text(o[:start]), _norm_inner(o[start:end]), _norm_inner(o[end:])
        if a + b + c != self.normalized or not b:
            return None
        return len(a), len(a) + len(b)


def _norm_inner(text: str) -> str:
    """``normalize_text`` for a piece that is not at the start (a BOM there is kept)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    return unicodedata.normalize("NFC", text)


def _unit_edges(original: str, normalized: str) -> list[int] | None:
    """New offset for every original offset at a unit edge (-1 inside a unit)."""
    n = len(original)
    edges = [-1] * (n + 1)
    i = 0
    while i < n and original[i] == "\ufeff":  # normalize_text strips leading BOMs
        edges[i] = 0
        i += 1
    pieces: list[str] = []
    out = 0
    while i < n:
        j = i + 1
        if original[i] == "\r" and j < n and original[j] == "\n":
            j += 1
        while j < n and _extends(original[j]):
            j += 1
        piece = _norm_inner(original[i:j])
        edges[i] = out
        out += len(piece)
        pieces.append(piece)
        i = j
    edges[n] = out
    return edges if "".join(pieces) == normalized else None


def _extends(ch: str) -> bool:
    """Whether NFC may merge ``ch`` into the character before it."""
    # Combining marks, and Hangul vowel/final jamo that fold into a syllable.
    jamo = "\u1160" <= ch <= "\u11ff" or "\ud7b0" <= ch <= "\ud7ff"
    return jamo or unicodedata.combining(ch) != 0
