"""Document statuses as the window shows them.

The one list is ``annotator.core.models.STATUSES``; this module names its members (the
unpacking fails at import if the core's list changes, so a new status cannot go
unlabelled) and gives each its text and colour in the document list.
"""

from __future__ import annotations

from annotator.core.models import STATUSES

TODO, IN_PROGRESS, DONE, SKIPPED = STATUSES
OPEN = (TODO, IN_PROGRESS)  # not finished: the "To do" filter, and what pre-annotation fills
STATUS_TEXT = {TODO: "to do", IN_PROGRESS: "in progress", DONE: "done", SKIPPED: "skipped"}
STATUS_COLOUR = {TODO: "#8a8f98", IN_PROGRESS: "#d08a16", DONE: "#2e9d55", SKIPPED: "#9a6fb0"}
