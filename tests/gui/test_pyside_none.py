"""Guard against the PySide6 6.12.0 / Python 3.11 bug that aborts the app.

Void Qt calls must return None with its reference counted; 6.12.0 did not, and
after enough calls Python died with "deallocating None" (why PySide6 is pinned).
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtGui import QColor, QPen


@pytest.mark.gui
def test_void_qt_calls_keep_none_refcount(qapp) -> None:
    pen, color = QPen(), QColor(1, 2, 3)
    before = sys.getrefcount(None)
    for _ in range(5000):
        pen.setWidth(1)
        color.setAlpha(3)
    assert abs(sys.getrefcount(None) - before) < 100
