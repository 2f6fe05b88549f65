"""Code points (stored offsets) <-> UTF-16 units (Qt positions) for one text.

Only characters outside the BMP (emoji, flags, some CJK) take two UTF-16 units, and
they are rare, so we keep the sorted code-point positions of those characters and
convert with one bisect: O(log n) per call and O(number of astral chars) memory.
"""

from __future__ import annotations

import re
from bisect import bisect_left

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class Offsets:
    """Maps positions in ``text`` between code points and UTF-16 units."""

    __slots__ = ("_astral_cp", "_astral_u16", "length_cp", "length_u16")

    def __init__(self, text: str) -> None:
        self._astral_cp = [m.start() for m in _ASTRAL.finditer(text)]
        # UTF-16 index of each astral char: its code-point index + astral chars before it
        self._astral_u16 = [cp + i for i, cp in enumerate(self._astral_cp)]
        self.length_cp = len(text)
        self.length_u16 = len(text) + len(self._astral_cp)

    def to_utf16(self, cp: int) -> int:
        return cp + bisect_left(self._astral_cp, cp)

    def to_cp(self, u16: int) -> int:
        """A position inside a surrogate pair rounds down to the character's start."""
        # astral chars strictly before u16 each add one extra unit; the second half of
        # a pair counts its own char as "before", which gives the char's start
        return u16 - bisect_left(self._astral_u16, u16)
