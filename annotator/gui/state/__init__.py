"""Qt-free state of the open document: offsets, span and relation indexes, arc layout.

Nothing here imports PySide6 (an import-linter contract and tests/test_qt_free.py hold it).
"""
