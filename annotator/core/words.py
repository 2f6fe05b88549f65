"""What a double-clicked "word" is for an annotator: the name, not its quotes or 's.

Qt's word selection keeps curly quotes and possessives (``Colombia”``, ``Bolton’s``);
entity spans never want them.
"""

from __future__ import annotations

QUOTES = "\"'“”„‟‘’‚‛«»‹›()[]{}"
POSSESSIVES = ("'s", "’s", "'S", "’S", "’", "'")


def trim_word(word: str) -> tuple[int, int]:
    """(start, end) of the part of ``word`` an entity span should cover."""
    start, end = 0, len(word)
    while start < end and word[start] in QUOTES:
        start += 1
    while end > start and word[end - 1] in QUOTES and not word[start:end].endswith(("s'", "s’")):
        end -= 1
    for tail in POSSESSIVES:
        if word[start:end].endswith(tail) and end - len(tail) > start:
            if tail in ("’", "'") and not word[start:end - 1].endswith(("s", "S")):
                continue  # a lone apostrophe is a possessive only after s (the Joneses')
            end -= len(tail)
            break
    while end > start and word[end - 1] in QUOTES:
        end -= 1
    return start, end
