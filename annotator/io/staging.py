"""Outputs that appear whole or not at all: write into a hidden staging folder, then rename.

An export or a package is written next to its target (same file system, so the final
``os.replace`` is atomic), under a hidden name. Only when every part is complete do the
parts take their final names: a killed run leaves the previous output as it was (plus a
hidden leftover, cleaned up by the next run), never a truncated file. A folder output
replaces the previous folder whole, so no part of an older export is left beside the
new one; a folder that holds anything else is refused, never emptied.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from annotator.io.formats.common import ExportError

MARKER = ".annotator-export"  # written into every folder output: "this folder is ours"
PREFIX = ".annotator-staging-"
STALE_SECONDS = 3600  # leftovers of killed runs older than this are removed
# What an export folder of ours may hold (brat, spaCy parts, split parts, hf labels).
OUR_SUFFIXES = frozenset({".txt", ".ann", ".json", ".conf", ".spacy", ".jsonl", ".conll"})
MAX_CHECKED = 200_000  # files looked at before an unknown folder is refused anyway


class StagingError(ExportError):
    """The output cannot be written or would replace something that is not ours."""


@contextmanager
def staged(output: Path) -> Iterator[Path]:
    """Yield where to write ``output`` (same name, inside a staging folder); publish on success.

    Everything written into the staging folder (``output``'s name and any siblings the
    writer adds, e.g. ``-train``/``-dev`` parts or ``labels.json``) is moved beside
    ``output`` when the block ends without an error; on an error nothing is moved.
    """
    output = Path(os.path.abspath(output))
    parent = output.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StagingError(f"cannot create {parent}: {exc.strerror or exc}") from None
    _sweep(parent)
    try:
        stage = Path(tempfile.mkdtemp(prefix=PREFIX, dir=parent))
    except OSError as exc:
        raise StagingError(f"cannot write in {parent}: {exc.strerror or exc}") from None
    try:
        yield stage / output.name
        publish(stage, parent)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def publish(stage: Path, parent: Path) -> None:
    """Move every entry of ``stage`` into ``parent``, replacing what is there."""
    entries = sorted(stage.iterdir())
    for entry in entries:  # refuse before anything moves
        target = parent / entry.name
        if target.is_dir() and not target.is_symlink():
            check_ours(target)
    for entry in entries:
        target = parent / entry.name
        if entry.is_dir():
            (entry / MARKER).write_text("written by the annotator's export\n", encoding="utf-8")
        _replace(entry, target)


def check_ours(folder: Path) -> None:
    """Refuse ``folder`` as a target unless it is empty or a previous output of ours."""
    if (folder / MARKER).is_file():
        return
    files = []
    for n, f in enumerate(folder.rglob("*")):
        if n > MAX_CHECKED or (f.is_file() and f.suffix.lower() not in OUR_SUFFIXES
                               and not f.name.startswith(".")):
            raise StagingError(
                f"{folder} holds other files ({f.name!r}); choose a new or empty folder"
            )
        if f.is_file():
            files.append(f)
    # An export made before the marker existed: brat's annotation.conf, or spaCy parts.
    # A folder of plain .txt files (a corpus!) is never taken for one.
    if files and not any(f.name == "annotation.conf" for f in files) and not all(
        f.suffix.lower() in (".spacy", ".json") for f in files
    ):
        raise StagingError(
            f"{folder} is not a previous export (no {MARKER}); choose a new or empty folder"
        )


def _replace(entry: Path, target: Path) -> None:
    if target.is_dir() and not target.is_symlink():
        old = target.with_name(f"{PREFIX}old-{target.name}-{os.getpid()}")
        os.replace(target, old)  # the previous folder steps aside whole...
        os.replace(entry, target)  # ...and the new one takes its name
        shutil.rmtree(old, ignore_errors=True)
    else:
        if entry.is_dir() and (target.exists() or target.is_symlink()):
            target.unlink()  # a one-file export becomes a folder of parts
        os.replace(entry, target)


def _sweep(parent: Path) -> None:
    """Remove staging leftovers of killed runs (old enough not to be a running one)."""
    now = time.time()
    try:
        found = [p for p in parent.iterdir() if p.name.startswith(PREFIX)]
    except OSError:
        return
    for p in found:
        try:
            if now - p.stat().st_mtime > STALE_SECONDS:
                shutil.rmtree(p, ignore_errors=True)
        except OSError:
            pass
