"""Work around a PySide6 6.12 reference-count bug on Python 3.11.

Every call of a Qt method that returns ``void`` (QColor.setAlpha, QPainter.setPen, ...)
gives back ``None`` without taking a reference to it: the bindings assume Python 3.12,
where ``None`` is immortal. On 3.11 each call lowers None's count by one, and after a
few minutes of painting the interpreter aborts ("deallocating None"). Raising the count
by 2**40 makes None effectively immortal here too, as it is on 3.12+.
"""

from __future__ import annotations

import ctypes
import sys

_HEADROOM = 1 << 40


def make_none_immortal() -> None:
    if sys.version_info >= (3, 12) or hasattr(sys, "gettotalrefcount"):  # 3.12+ / debug builds
        return
    count = ctypes.c_ssize_t.from_address(id(None))  # ob_refcnt is the first field
    if count.value < _HEADROOM:
        count.value += _HEADROOM
