"""Everything that imports PySide6."""

from annotator.gui._none_refcount import make_none_immortal

make_none_immortal()  # before any Qt call: see the module for the PySide6 6.12 / 3.11 bug
