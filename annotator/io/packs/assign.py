"""Which documents go to whom, and the record of every package handed out."""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from annotator.core.store import Project
from annotator.io.packs.manifest import NAME, Manifest, PackError

ASSIGNMENTS_KEY = "assignments"


def assign(
    doc_ids: Sequence[int], annotators: Sequence[str], *, overlap: float = 0.0, seed: int = 0
) -> dict[str, list[int]]:
    """Split documents among annotators; a seeded ``overlap`` share goes to all of them.

    Shared documents go to every annotator (not to rotating pairs) so every pair of
    volunteers has the same documents in common and their figures are comparable.
    """
    names = check_names(annotators)
    order = sorted(doc_ids)
    random.Random(seed).shuffle(order)
    n_shared = round(overlap * len(order)) if len(names) > 1 else 0
    out = {n: list(order[:n_shared]) for n in names}
    for i, doc_id in enumerate(order[n_shared:]):
        out[names[i % len(names)]].append(doc_id)
    return {n: sorted(ids) for n, ids in out.items()}


def choose_for(
    project: Project, annotator: str, *, count: int | None, overlap: float = 0.0, seed: int = 0
) -> list[int]:
    """Documents for one more package: unassigned ones, plus an ``overlap`` share of
    documents already handed to someone else (so agreement can be measured)."""
    given = assigned_documents(project)
    fresh = [d for d in all_ids(project) if d not in given]
    others = sorted(d for d, names in given.items() if annotator not in names)
    rng = random.Random(seed)
    rng.shuffle(fresh)
    rng.shuffle(others)
    n = len(fresh) if count is None else count
    n_shared = min(round(overlap * n), len(others))
    chosen = others[:n_shared] + fresh[: n - n_shared]
    chosen += others[n_shared : n_shared + n - len(chosen)]  # too few fresh ones: top up
    return sorted(chosen)


def assigned_documents(project: Project) -> dict[int, list[str]]:
    """``{doc_id: [annotator, ...]}`` over every package written so far."""
    out: dict[int, list[str]] = {}
    for pkg in _assignments(project)["packages"]:
        for d in pkg["docs"]:
            names = out.setdefault(int(d), [])
            if pkg["annotator"] not in names:
                names.append(pkg["annotator"])
    return out


def _assignments(project: Project) -> dict[str, Any]:
    raw = project.meta_value(ASSIGNMENTS_KEY)
    try:
        data = json.loads(raw) if raw else {}
    except json.JSONDecodeError:
        data = {}
    return data if isinstance(data.get("packages"), list) else {"packages": []}


def record_assignment(
    project: Project, manifest: Manifest, doc_ids: list[int], file: Path
) -> None:
    # the meta row is the record; documents.assignee is a readable copy for the document list
    with project.write():  # read-then-write: the lock is taken before the read
        data = _assignments(project)
        data["packages"].append(
            {
                "package_id": manifest.package_id,
                "annotator": manifest.annotator,
                "docs": doc_ids,
                "created_at": manifest.created_at,
                "file": file.name,
            }
        )
        project.set_meta_value(ASSIGNMENTS_KEY, json.dumps(data, ensure_ascii=False))
        given = assigned_documents(project)
        project.conn.executemany(
            "UPDATE documents SET assignee = ? WHERE id = ?",
            [(", ".join(given[d]), d) for d in doc_ids],
        )


def all_ids(project: Project) -> list[int]:
    return [r[0] for r in project.conn.execute("SELECT id FROM documents ORDER BY id")]


def check_names(annotators: Sequence[str]) -> list[str]:
    names = [a.strip() for a in annotators if a.strip()]
    if not names:
        raise PackError("name at least one annotator")
    for n in names:
        if not NAME.match(n):
            raise PackError(f"bad annotator name {n!r}: 1-64 characters, no slashes")
    if len(set(names)) != len(names):
        raise PackError("an annotator is named twice")
    return names
