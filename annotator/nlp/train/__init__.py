"""Training the project's own model from its done documents (Qt-free; used by CLI and GUI).

``data`` reads gold documents and splits them by document; ``loop`` trains and scores
(``train_project``); ``evaluate`` holds the scoring; ``registry`` the project's
``models/<timestamp>/`` folders; ``uncertainty`` orders unfinished documents by the
model's confidence. Nothing is imported here, so ``annotator.nlp.model`` can use the
registry without loading the training code.
"""

from __future__ import annotations

import sys


def frozen_note() -> str | None:
    """Why training is not offered in this install, or None where it is.

    The packaged app is not tested for training (its build is trimmed for tagging), so it
    says so instead of failing halfway; a model trained elsewhere works in it all the same.
    """
    if getattr(sys, "frozen", False):
        return ("training is only in the source install (see docs/training.md): train there,"
                " copy PROJECT/models/ next to the project here, then pre-annotate with"
                " the project's model (project:latest)")
    return None
