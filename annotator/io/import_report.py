"""What an import did: documents imported, duplicates, skipped files and lines, annotations
dropped, notes, and what a reader decided (a CSV's text column), with the one-line summary
the CLI and the window show."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class ImportReport:
    imported: list[tuple[str, int]] = field(default_factory=list)  # (path or path#line, doc id)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, one-line reason)
    dropped: list[tuple[str, str]] = field(default_factory=list)  # annotations not stored
    notes: list[tuple[str, str]] = field(default_factory=list)  # kept, but changed or marked
    decisions: list[tuple[str, str]] = field(default_factory=list)  # (path, what a reader decided)
    files: int = 0
    legacy: dict[str, str] = field(default_factory=dict)  # path -> codec (not UTF-8)
    # Corpus shards (annotator.io.corpus_shards) hold millions of documents: counted, not listed.
    streamed: int = 0
    streamed_duplicates: int = 0
    streamed_seconds: float = 0.0

    @property
    def n_imported(self) -> int:
        return len(self.imported) + self.streamed

    @property
    def n_duplicates(self) -> int:
        return len(self.duplicates) + self.streamed_duplicates

    def summary(self) -> str:
        n = self.n_imported
        text = f"imported {n} document{_s(n)} from {self.files} file{_s(self.files)}"
        extra = []
        if self.skipped:
            extra.append(f"{len(self.skipped)} skipped")
        if self.n_duplicates:
            extra.append(f"{self.n_duplicates} duplicate{_s(self.n_duplicates)}")
        if self.dropped:
            extra.append(f"{len(self.dropped)} annotation{_s(len(self.dropped))} dropped")
        if self.notes:
            extra.append(f"{len(self.notes)} note{_s(len(self.notes))}")
        for codec in sorted(set(self.legacy.values())):
            names = [Path(p).name for p, c in self.legacy.items() if c == codec]
            extra.append(f"read as {codec} (not UTF-8): {', '.join(names[:3])}"
                         + (f" and {len(names) - 3} more" if len(names) > 3 else ""))
        if self.streamed_seconds > 0:
            rate = (self.streamed + self.streamed_duplicates) / self.streamed_seconds
            extra.append(f"corpus shards at {rate:,.0f} docs/s")
        decided = "".join(f"; {Path(p).name}: {note}" for p, note in self.decisions)
        return text + ("; " + ", ".join(extra) if extra else "") + decided


def _s(n: int) -> str:
    return "" if n == 1 else "s"
