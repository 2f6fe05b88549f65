"""The output folder of a corpus run: shards, their journal, the run's settings, the manifest.

    DIR/shard-00000.jsonl ...   Prodigy-style tasks, one per document (``work.task``)
    DIR/manifest.json           inputs, counts, model, schema hash, every shard's sha256
    DIR/.corpus-run.json        the settings the shards were made with (a rerun must match)
    DIR/.corpus-journal.jsonl   one line per finished shard: partition digest, sha256, counts

Every file appears whole or not at all: written to a hidden temp file, flushed to disk,
then renamed (atomic on POSIX and Windows). The journal is append-only, so a kill
loses at most the line being written, and a torn last line is ignored; the manifest is
written at the end of a run from the journal. A rerun keeps a shard only when its
journal line names the same partition (digest over its documents) and the file's
sha256 still matches.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from annotator.core.errors import AnnotatorError

# The folder's format is defined where the importer reads it; the writer re-exports it.
from annotator.io.corpus_shards import (  # noqa: F401 - re-exported for the writer's users
    FORMAT,
    MANIFEST,
    VERSION,
    read_manifest,
    sha256_file,
)

RUN_FILE = ".corpus-run.json"
JOURNAL = ".corpus-journal.jsonl"
SHARD_GLOB = "shard-*.jsonl"
_UMASK = os.umask(0o022)
os.umask(_UMASK)  # read once: mkstemp makes 0600 files, shards get the usual mode


class CorpusError(AnnotatorError):
    """A corpus run cannot start or its output folder cannot be used."""


@dataclass
class ShardEntry:
    """One finished shard as the journal and the manifest record it."""

    name: str
    digest: str  # of the partition it was made from (work.Partition.digest)
    sha256: str  # of the file
    documents: int
    suggestions: int
    where: str  # first .. last input document

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that no reader ever sees a partial file."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remove_stale_temps(folder: Path) -> int:
    """Temp files a killed run left behind (never renamed, so never a shard)."""
    n = 0
    for f in folder.glob(".*.tmp"):
        f.unlink(missing_ok=True)
        n += 1
    return n


# ---- the run's settings --------------------------------------------------------------------
def claim_output(folder: Path, settings: dict[str, Any]) -> None:
    """Make ``folder`` this run's output; refuse one holding shards made differently."""
    if folder.exists() and not folder.is_dir():
        raise CorpusError(f"--output {folder} exists and is not a folder")
    folder.mkdir(parents=True, exist_ok=True)
    run_file = folder / RUN_FILE
    if run_file.exists():
        try:
            before = json.loads(run_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            before = None
        if before != settings:
            changed = _changed(before, settings)
            raise CorpusError(f"{folder} holds shards made with other settings ({changed});"
                              " use another --output folder or empty this one")
    elif any(folder.glob(SHARD_GLOB)):
        raise CorpusError(f"{folder} already holds shards of an unknown run; use another"
                          " --output folder or empty this one")
    write_atomic(run_file, json.dumps(settings, indent=1, ensure_ascii=False).encode("utf-8"))


def _changed(before: Any, now: dict[str, Any]) -> str:
    if not isinstance(before, dict):
        return "unreadable run file"
    keys = sorted(k for k in set(before) | set(now) if before.get(k) != now.get(k))
    return ", ".join(keys) or "format"


# ---- the journal ---------------------------------------------------------------------------
class Journal:
    """Append-only record of finished shards (last line per shard wins)."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / JOURNAL
        self.entries: dict[str, ShardEntry] = {}
        if self.path.exists():
            for line in self.path.read_text(encoding="utf-8", errors="replace").splitlines():
                try:
                    e = ShardEntry(**json.loads(line))
                except (ValueError, TypeError):
                    continue  # a line torn by a kill: that shard is simply made again
                self.entries[e.name] = e

    def verified(self, name: str, digest: str, folder: Path) -> ShardEntry | None:
        """The entry of a shard already on disk for this very partition, checked by sha256."""
        e = self.entries.get(name)
        f = folder / name
        if e is None or e.digest != digest or not f.is_file():
            return None
        return e if sha256_file(f) == e.sha256 else None

    def add(self, entry: ShardEntry) -> None:
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry.to_dict(), ensure_ascii=False) + "\n")
            f.flush()
            os.fsync(f.fileno())
        self.entries[entry.name] = entry


# ---- the manifest --------------------------------------------------------------------------
def write_manifest(folder: Path, manifest: dict[str, Any]) -> Path:
    path = folder / MANIFEST
    data = {"format": FORMAT, "version": VERSION, **manifest}
    write_atomic(path, json.dumps(data, indent=1, ensure_ascii=False).encode("utf-8"))
    return path
