"""Before a pre-annotation run from the window: say what it will do, and let the annotator
cancel (it can take minutes and changes every open document)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from annotator.core import memory
from annotator.core.store import Project
from annotator.nlp.model import resolve_model
from annotator.nlp.preannotate import DEFAULT_STATUSES


def describe_run(project: Project) -> str:
    """What a run with the project's settings will do, in the annotator's words."""
    n = project.count_documents(status=DEFAULT_STATUSES)
    choice = resolve_model(project.config.get("model"))
    model = choice.describe() if choice.statistical else "no spaCy model (gazetteer only)"
    mem = (f"on ({len(memory.best_labels(project))} texts)" if memory.enabled(project)
           else "off")
    return (f"Pre-annotate {n} document{'s' * (n != 1)} (to do and in progress) with {model};"
            f" project memory {mem}.\n\nYour spans and accepted suggestions are kept and nothing"
            " is suggested over them; earlier suggestions stay, except where project memory"
            " suggests otherwise (then it replaces them); suggestions you deleted are not made"
            " again. Ctrl+Z undoes the whole run.")


def confirm_preannotation(parent: QWidget, project: Project) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, "Pre-annotation", describe_run(project),
                      parent=parent)
    box.setObjectName("preannotate_confirm")
    start = box.addButton("&Pre-annotate", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(start)
    box.exec()
    return box.clickedButton() is start
