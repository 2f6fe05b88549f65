"""Merging returned packages: each file checked in a private copy, then one transaction.

A returned file is untrusted. Its database is looked at before any query touches it
(only our tables and indexes, exactly as our migrations make them: no views, no
triggers), every read of it is bounded in time, and its spans and relations are
validated the way the editor validates an edit. A file that fails is reported with its
reason, and the other files of the same command are still merged.
"""

from __future__ import annotations

import re
import sqlite3
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from annotator.core import history
from annotator.core.busy import write_retrying
from annotator.core.config import DB_NAME
from annotator.core.db import checkpoint
from annotator.core.errors import AnnotatorError
from annotator.core.layers import fingerprint as layer_fingerprint
from annotator.core.layers import layer_status, replace_layer, set_layer_status, stored_fingerprint
from annotator.core.migrations import APPLICATION_ID, MIGRATIONS
from annotator.core.models import RELATION_SOURCES, SOURCES, STATES, STATUSES, Relation, Span
from annotator.core.store import Project
from annotator.core.text import text_hash
from annotator.io.packs.archive import copy_folder, extract, open_zip
from annotator.io.packs.links import VolunteerLink, bad_link, read_links, same_links, write_links
from annotator.io.packs.manifest import (
    MANIFEST,
    PACKAGE_META_KEY,
    Manifest,
    PackError,
    schema_hash,
)

WORK_SECONDS = 120.0  # reading one volunteer database; a hostile one is cut off here
PROGRESS_STEPS = 10_000  # SQLite VM steps between two looks at the clock


@dataclass
class VolunteerDoc:
    text_hash: str
    name: str
    status: str
    spans: list[Span]
    relations: list[Relation]
    links: list[VolunteerLink] = field(default_factory=list)  # their actor decisions


@dataclass
class MergeResult:
    file: str
    annotator: str
    package_id: str
    merged: int = 0  # documents whose layer was (re)written
    unchanged: int = 0  # documents whose layer already held exactly this
    not_in_project: list[str] = field(default_factory=list)
    spans: int = 0
    relations: int = 0
    links: int = 0

    def summary(self) -> str:
        extra = (
            f"; {len(self.not_in_project)} documents not in this project skipped"
            if self.not_in_project
            else ""
        )
        return (
            f"{self.file}: layer {self.annotator!r}: {self.merged} documents merged, "
            f"{self.unchanged} unchanged ({self.spans} spans, {self.relations} relations,"
            f" {self.links} actor links){extra}"
        )


def merge_package(project: Project, path: Path) -> MergeResult:
    """Bring one returned package (zip or folder) back as the volunteer's layer."""
    path = Path(path)
    with _staged(path) as stage:
        manifest = Manifest.parse((stage / MANIFEST).read_bytes(), where=path.name)
        if manifest.source_project_id != project.id:
            raise PackError(
                f"{path.name} belongs to another project ({manifest.source_project!r},"
                f" id {manifest.source_project_id[:8]}); not merged"
            )
        docs = _read_volunteer(project, stage, manifest, path)
    return _write_merge(project, manifest, docs, path)


def merge_packages(project: Project, paths: Sequence[Path]) -> list[MergeResult | PackError]:
    """Merge each file on its own (one transaction each); a refused file does not stop the rest."""
    out: list[MergeResult | PackError] = []
    for p in paths:
        try:
            out.append(merge_package(project, p))
        except PackError as exc:
            out.append(exc)
        except (AnnotatorError, sqlite3.Error, OSError, ValueError, RecursionError) as exc:
            out.append(PackError(f"{Path(p).name}: {_short(exc)}; not merged"))
    return out


@contextmanager
def _staged(path: Path) -> Iterator[Path]:
    """A private copy of the returned files: the volunteer's folder is never written to."""
    with tempfile.TemporaryDirectory(prefix="annotator-merge-") as tmp:
        stage = Path(tmp)
        if path.is_dir():
            copy_folder(path, stage)
        elif path.is_file():
            with open_zip(path) as (zf, root):
                extract(zf, root, path, stage)
        else:
            raise PackError(f"{path}: no such file or folder")
        if not (stage / MANIFEST).is_file():
            raise PackError(f"{path.name} is not a work package (no {MANIFEST})")
        if not (stage / DB_NAME).is_file():
            raise PackError(f"{path.name}: the package holds no {DB_NAME}")
        yield stage


# ---- the volunteer's database --------------------------------------------------------------
@cache
def expected_schema(version: int) -> frozenset[tuple[str, str, str, str]]:
    """sqlite_master (type, name, table, SQL) of a project database at ``version``."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for script in MIGRATIONS[:version]:
            conn.executescript(script)
        conn.execute("CREATE TABLE x (a)")
        conn.execute("ANALYZE")  # PRAGMA optimize on close makes sqlite_stat1: planner data only
        conn.execute("DROP TABLE x")
        return _master(conn)
    finally:
        conn.close()


def _master(conn: sqlite3.Connection) -> frozenset[tuple[str, str, str, str]]:
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    return frozenset((t, n, tb, re.sub(r"\s+", " ", sql or "").strip()) for t, n, tb, sql in rows)


def check_database(db: Path, where: str) -> None:
    """Refuse a database whose schema is not exactly one of ours, before it is queried."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise PackError(f"{where}: unreadable project database ({exc})") from None
    try:
        _bound(conn)
        conn.execute("PRAGMA trusted_schema = OFF")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        if app_id != APPLICATION_ID or not 1 <= version <= len(MIGRATIONS):
            raise PackError(f"{where}: {DB_NAME} is not a project database of this annotator")
        found = _master(conn)
    except sqlite3.Error as exc:
        raise PackError(f"{where}: unreadable project database ({exc})") from None
    finally:
        conn.close()
    extra = sorted(f"{t} {n}" for t, n, _tb, _sql in found - expected_schema(version))
    if extra:
        raise PackError(f"{where}: {DB_NAME} holds unexpected or altered {', '.join(extra[:3])}"
                        "; refused")


def _bound(conn: sqlite3.Connection, seconds: float = WORK_SECONDS) -> None:
    """Abort any statement on ``conn`` once ``seconds`` have passed (a hostile query)."""
    deadline = time.monotonic() + seconds
    conn.set_progress_handler(lambda: int(time.monotonic() > deadline), PROGRESS_STEPS)


def _read_volunteer(
    project: Project, stage: Path, manifest: Manifest, path: Path
) -> list[VolunteerDoc]:
    check_database(stage / DB_NAME, path.name)
    try:
        vol = Project.open(stage)
    except AnnotatorError as exc:
        raise PackError(f"{path.name}: {_short(exc)}") from None
    try:
        _bound(vol.conn)
        _check_same_package(vol, manifest, path)
        if schema_hash(vol.schema) != schema_hash(project.schema) or (
            manifest.schema_hash != schema_hash(project.schema)
        ):
            raise PackError(
                f"{path.name} was annotated with another schema than this project's; not merged"
            )
        return [_volunteer_doc(vol, d.id, path) for d in vol.iter_documents(with_text=False)]
    except sqlite3.OperationalError as exc:
        if "interrupted" in str(exc):
            raise PackError(f"{path.name}: reading its database took over {WORK_SECONDS:.0f} s;"
                            " refused") from None
        raise PackError(f"{path.name}: unreadable project database ({exc})") from None
    except (sqlite3.Error, ValueError, KeyError, TypeError, AnnotatorError) as exc:
        if isinstance(exc, PackError):
            raise
        raise PackError(f"{path.name}: unreadable project database ({_short(exc)})") from None
    finally:
        vol.close()


def _check_same_package(vol: Project, manifest: Manifest, path: Path) -> None:
    raw = vol.meta_value(PACKAGE_META_KEY)
    inner = Manifest.parse(raw, where=path.name) if raw else None
    if inner is None or inner.package_id != manifest.package_id:
        raise PackError(f"{path.name}: manifest.json and project.db come from different packages")


def _volunteer_doc(vol: Project, doc_id: int, path: Path) -> VolunteerDoc:
    doc = vol.document(doc_id)
    if text_hash(doc.text or "") != doc.text_hash:
        raise PackError(f"{path.name}: the text of {doc.name!r} was altered; not merged")
    return VolunteerDoc(
        doc.text_hash, doc.name, doc.status, vol.spans(doc_id), vol.relations(doc_id),
        read_links(vol, doc_id),
    )


# ---- writing -------------------------------------------------------------------------------
def _write_merge(
    project: Project, manifest: Manifest, docs: list[VolunteerDoc], path: Path
) -> MergeResult:
    """Every document of the file, the status record and the log entry, or none."""
    layer = manifest.annotator
    targets = []
    for vdoc in docs:  # validated before the write lock is taken
        doc_id = project.document_id_by_hash(vdoc.text_hash)
        if doc_id is not None:
            validate(project, doc_id, vdoc, path)
        targets.append((doc_id, vdoc))

    def attempt() -> MergeResult:
        res = MergeResult(path.name, layer, manifest.package_id)
        before = layer_status(project).get(layer, {})
        run_id = history.new_run_id()  # the merge is one step of the history: undo takes it back
        statuses: dict[int, str] = {}
        for doc_id, vdoc in targets:
            if doc_id is None:
                res.not_in_project.append(vdoc.name)
                continue
            statuses[doc_id] = vdoc.status
            same = stored_fingerprint(project, doc_id, layer) == layer_fingerprint(
                vdoc.spans, vdoc.relations) and same_links(project, doc_id, layer, vdoc.links)
            if same and before.get(doc_id) == vdoc.status:
                res.unchanged += 1
                continue
            if not same:
                old = [s.id for s in project.spans(doc_id, layer=layer)]
                history.park_spans(project, old, run_id, "removed")  # back on undo
                replace_layer(project, doc_id, layer, vdoc.spans, vdoc.relations)
                for table in ("spans", "relations"):
                    project.conn.execute(f"UPDATE {table} SET run_id = ? WHERE doc_id = ?"
                                         " AND layer = ?", (run_id, doc_id, layer))
                res.links += write_links(project, doc_id, layer, vdoc.links, run_id)
            res.merged += 1
            res.spans += len(vdoc.spans)
            res.relations += len(vdoc.relations)
        if not res.merged:
            return res  # the same file again: not even a log entry, the project is untouched
        set_layer_status(project, layer, statuses)
        history.log_run(project, "merge", f"merge {path.name}: {res.merged} documents of {layer}", {
            "file": path.name, "package_id": manifest.package_id, "layer": layer,
            "merged": res.merged, "unchanged": res.unchanged, "documents": sorted(statuses),
            "status_before": {str(d): s for d, s in before.items()},
            "status_after": {str(d): s for d, s in layer_status(project).get(layer, {}).items()},
        }, run_id)
        return res

    res = write_retrying(project, attempt)
    checkpoint(project.conn)  # the merged layers reach project.db itself
    return res


def validate(project: Project, doc_id: int, vdoc: VolunteerDoc, path: Path) -> None:
    """The checks an edit passes in the editor, for every span and relation of a document."""
    n_chars = project.document(doc_id, with_text=False).n_chars
    schema = project.schema
    by_id: dict[int, Span] = {}
    seen: set[tuple[int, int, str]] = set()

    def refuse(what: str) -> PackError:
        return PackError(f"{path.name}: {what} in {vdoc.name!r}; not merged")

    for s in sorted(vdoc.spans, key=lambda x: (x.start, x.end)):
        key = (s.start, s.end, s.label)
        if not (isinstance(s.start, int) and isinstance(s.end, int)
                and 0 <= s.start < s.end <= n_chars) or s.label not in schema.labels:
            raise refuse(f"bad span {s.start}-{s.end} {s.label!r}")
        if s.source not in SOURCES or s.state not in STATES or not isinstance(s.attrs, dict):
            raise refuse(f"bad span {s.start}-{s.end} {s.label!r}")
        if key in seen:
            raise refuse(f"span {s.start}-{s.end} {s.label} listed twice")
        if not schema.allow_overlap and any(
            o.start < s.end and s.start < o.end for o in by_id.values()
        ):
            raise refuse(f"overlapping span {s.start}-{s.end} (the schema forbids overlaps)")
        _checked(lambda s=s: schema.check_attrs(s.attrs, relation=False), refuse)
        seen.add(key)
        by_id[s.id] = s
    pairs: set[tuple[int, int, str]] = set()
    for r in vdoc.relations:
        head, child = by_id.get(r.head_id), by_id.get(r.child_id)
        if head is None or child is None or schema.relation(r.label) is None:
            raise refuse(f"bad relation {r.label!r}")
        if head.id == child.id:
            raise refuse(f"relation {r.label} from a span to itself")
        if (not isinstance(r.attrs, dict) or r.state not in STATES
                or r.source not in RELATION_SOURCES):
            raise refuse(f"bad relation {r.label!r}")
        _checked(lambda h=head, c=child, r=r: (schema.check_relation(r.label, h.label, c.label),
                                               schema.check_attrs(r.attrs, relation=True)), refuse)
        rtype = schema.relation(r.label)
        keys = [(head.id, child.id, r.label)]
        if rtype is not None and rtype.symmetric:
            keys.append((child.id, head.id, r.label))
        if any(k in pairs for k in keys):
            raise refuse(f"relation {r.label} listed twice")
        pairs.add(keys[0])
    for link in vdoc.links:
        if (why := bad_link(link)) is not None:
            raise refuse(why)
    if vdoc.status not in STATUSES:
        raise refuse(f"bad status {vdoc.status!r}")


def _checked(check, refuse) -> None:  # noqa: ANN001
    try:
        check()
    except AnnotatorError as exc:
        raise refuse(_short(exc)) from None


def _short(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
