"""Everything that imports PySide6, plus ``state/`` (Qt-free by contract: the open
document, offsets, arc layout). The words and the import floors: CONTEXT.md.

PySide6 is pinned to 6.11.3: 6.12.0 returns None from void Qt calls without
counting a reference on Python 3.11, and the interpreter aborts with
"deallocating None" after a few thousand calls (tests/gui/test_pyside_none.py).
"""
