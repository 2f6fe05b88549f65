"""Finishing a document with suggestions nobody reviewed: ask first.

Ctrl+Enter used to accept every remaining suggestion silently. Now, when some are left,
the annotator chooses: accept them and finish (they are marked as accepted unreviewed:
they teach project memory nothing and exports say ``"reviewed": false``), review them
(the first one is selected), or tick "always accept" (a per-user preference).
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QMessageBox, QWidget

from annotator.core.settings import load_settings, save_settings

ALWAYS_KEY = "finish_accepts_unreviewed"
ACCEPT, REVIEW = "accept", "review"


def confirm_finish(parent: QWidget, n: int) -> str | None:
    """ACCEPT, REVIEW or None (cancelled) for ``n`` unreviewed suggestions."""
    if n == 0 or load_settings().get(ALWAYS_KEY):
        return ACCEPT
    box = QMessageBox(parent)
    box.setObjectName("finish_dialog")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Finish document")
    box.setText(f"Accept {n} suggestion{'s' * (n != 1)} you have not reviewed?")
    box.setInformativeText("Accepted this way they are marked as unreviewed: exports and"
                           " statistics tell them apart, and project memory does not learn"
                           " from them.")
    accept = box.addButton("&Accept and finish", QMessageBox.ButtonRole.AcceptRole)
    review = box.addButton("&Review them", QMessageBox.ButtonRole.RejectRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    always = QCheckBox("Always accept without asking")
    always.setObjectName("always_accept")
    box.setCheckBox(always)
    box.setDefaultButton(review)
    box.exec()
    clicked = box.clickedButton()
    if clicked is accept:
        if always.isChecked():
            save_settings({**load_settings(), ALWAYS_KEY: True})
        return ACCEPT
    return REVIEW if clicked is review else None
