"""Work packages for volunteers: hand documents out, take the annotations back.

A work package IS a project: a zip (``.annpack``) holding ``project.toml``,
``project.db`` (made with the core API) and ``manifest.json`` (source project id,
package id, annotator, schema hash, document hashes). The volunteer opens it with the
ordinary app, which unpacks it once (``open_package``); what comes back is that folder,
or a zip of it. ``merge_package`` copies the volunteer's gold layer into the
coordinator's project as a layer named after the volunteer, replacing that layer for
each document it covers, so merging the same file twice changes nothing.

A returned file is untrusted: it is checked (zip entries, manifest, project id, schema,
offsets, labels) in a temporary copy before anything is written, and everything it
brings lands in one transaction.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import sqlite3
import tempfile
import uuid
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from hashlib import sha256
from pathlib import Path
from typing import Any

from annotator.core.adjudicate import layer_status, set_layer_status
from annotator.core.errors import AnnotatorError, ProjectError
from annotator.core.models import GOLD, SOURCES, STATES, STATUSES, Relation, Span
from annotator.core.paths import config_dir
from annotator.core.schema import Schema
from annotator.core.store import CONFIG_NAME, DB_NAME, Project, now, write_config
from annotator.core.text import text_hash

PACK_SUFFIX = ".annpack"
MANIFEST = "manifest.json"
FORMAT = "geo-annotator-work-package"
FORMAT_VERSION = 1
ASSIGNMENTS_KEY = "assignments"
PACKAGE_META_KEY = "package"
# only these files are ever taken out of a package; anything else in it is ignored
MEMBERS = (MANIFEST, CONFIG_NAME, DB_NAME, DB_NAME + "-wal")
MAX_UNPACKED = 4 << 30  # a work package of text is far below this; a zip bomb is not
_NAME = re.compile(r"^[^\x00-\x1f/\\]{1,64}$")


class PackError(AnnotatorError):
    """A work package cannot be written, opened or merged."""


def schema_hash(schema: Schema) -> str:
    """Fingerprint of a schema (its canonical JSON): packages only merge into the same one."""
    return sha256(schema.to_json().encode("utf-8")).hexdigest()


# ---- manifest ------------------------------------------------------------------------------
@dataclass
class Manifest:
    package_id: str
    source_project_id: str
    source_project: str
    annotator: str
    schema_hash: str
    documents: list[dict[str, Any]]  # text_hash, name, source_id (id in the coordinator's project)
    created_at: str = field(default_factory=now)
    format: str = FORMAT
    version: int = FORMAT_VERSION

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1)

    @classmethod
    def parse(cls, raw: bytes | str, *, where: str) -> Manifest:
        """Validate an untrusted manifest; one-line PackError naming ``where`` otherwise."""
        try:
            d = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise PackError(f"{where}: manifest.json is not valid JSON") from None
        if not isinstance(d, dict) or d.get("format") != FORMAT:
            raise PackError(f"{where}: manifest.json is not a work package manifest")
        if not isinstance(d.get("version"), int) or d["version"] > FORMAT_VERSION:
            raise PackError(
                f"{where}: package format {d.get('version')!r} is newer than this"
                " annotator reads; please update"
            )
        for key in ("package_id", "source_project_id", "schema_hash", "annotator"):
            if not isinstance(d.get(key), str) or not d[key]:
                raise PackError(f"{where}: manifest.json lacks {key}")
        if not _NAME.match(d["annotator"]):
            raise PackError(f"{where}: bad annotator name {d['annotator'][:40]!r} in manifest")
        if not isinstance(d.get("documents", []), list):
            raise PackError(f"{where}: manifest.json documents must be a list")
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in d.items() if k in known})


# ---- choosing documents --------------------------------------------------------------------
def assign(
    doc_ids: Sequence[int], annotators: Sequence[str], *, overlap: float = 0.0, seed: int = 0
) -> dict[str, list[int]]:
    """Split documents among annotators; a seeded ``overlap`` share goes to all of them.

    Shared documents go to every annotator (not to rotating pairs) so every pair of
    volunteers has the same documents in common and their figures are comparable.
    """
    names = _check_names(annotators)
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
    fresh = [d for d in _all_ids(project) if d not in given]
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


def _record_assignment(
    project: Project, manifest: Manifest, doc_ids: list[int], file: Path
) -> None:
    # the meta row is the record (the store's tables belong to the core owner);
    # documents.assignee is a readable copy for the document list
    with project.write():
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


def _all_ids(project: Project) -> list[int]:
    return [r[0] for r in project.conn.execute("SELECT id FROM documents ORDER BY id")]


def _check_names(annotators: Sequence[str]) -> list[str]:
    names = [a.strip() for a in annotators if a.strip()]
    if not names:
        raise PackError("name at least one annotator")
    for n in names:
        if not _NAME.match(n):
            raise PackError(f"bad annotator name {n!r}: 1-64 characters, no slashes")
    if len(set(names)) != len(names):
        raise PackError("an annotator is named twice")
    return names


# ---- writing packages ----------------------------------------------------------------------
def make_packages(
    project: Project,
    *,
    annotators: Sequence[str],
    output: Path | None = None,
    output_dir: Path | None = None,
    docs: Sequence[int] | None = None,
    count: int | None = None,
    overlap: float = 0.0,
    seed: int = 0,
) -> list[tuple[Path, Manifest]]:
    """The ``pack`` command: one package for one annotator, or one each for several."""
    names = _check_names(annotators)
    if len(names) == 1 and output is not None:
        ids = (
            list(docs)
            if docs
            else choose_for(project, names[0], count=count, overlap=overlap, seed=seed)
        )
        return [(output, write_package(project, ids, annotator=names[0], output=output))]
    if output_dir is None:
        raise PackError("give --output FILE for one annotator, or --output-dir DIR")
    pool = (
        list(docs)
        if docs
        else [d for d in _all_ids(project) if d not in assigned_documents(project)]
    )
    plan = assign(pool[:count] if count else pool, names, overlap=overlap, seed=seed)
    output_dir.mkdir(parents=True, exist_ok=True)
    return [
        (
            output_dir / f"{n}{PACK_SUFFIX}",
            write_package(project, plan[n], annotator=n, output=output_dir / f"{n}{PACK_SUFFIX}"),
        )
        for n in names
    ]


def write_package(
    project: Project, doc_ids: Sequence[int], *, annotator: str, output: Path
) -> Manifest:
    """Write one package with these documents and their gold spans and relations."""
    (annotator,) = _check_names([annotator])
    if not doc_ids:
        raise PackError(f"no documents to give {annotator} (all are assigned already?)")
    docs = [project.document(d) for d in sorted(set(doc_ids))]
    manifest = Manifest(
        package_id=uuid.uuid4().hex,
        source_project_id=project.id,
        source_project=project.name,
        annotator=annotator,
        schema_hash=schema_hash(project.schema),
        documents=[{"text_hash": d.text_hash, "name": d.name, "source_id": d.id} for d in docs],
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".annpack-", dir=output.parent) as tmp:
        pdir = Path(tmp) / "project"
        _build_project(project, docs, pdir, manifest)
        _zip_dir(pdir, Path(tmp) / "out.zip")
        os.replace(Path(tmp) / "out.zip", output)  # never a half-written package
    _record_assignment(project, manifest, [d.id for d in docs], output)
    return manifest


def _build_project(src: Project, docs: list, pdir: Path, manifest: Manifest) -> None:
    schema_file = pdir.parent / "schema.json"
    schema_file.write_text(json.dumps(src.schema.raw, ensure_ascii=False), encoding="utf-8")
    model = src.config.get("model")
    dst = Project.init(pdir, schema_path=schema_file, model=str(model) if model else None)
    try:
        with dst.bulk():
            for doc in docs:
                new_id = dst.add_document(
                    doc.name,
                    doc.text or "",
                    source_path=doc.source_path,
                    meta=doc.meta,
                    tokens=src.tokens(doc.id),
                )
                _copy_layer(
                    dst, int(new_id or 0), src.spans(doc.id), src.relations(doc.id), layer=GOLD
                )
            dst.set_meta_value(PACKAGE_META_KEY, manifest.to_json())
    finally:
        dst.close()
    write_config(
        pdir,
        {"name": f"{src.name} - {manifest.annotator}", "model": str(model or "en_core_web_sm")},
    )
    (pdir / MANIFEST).write_text(manifest.to_json(), encoding="utf-8")


def _zip_dir(pdir: Path, out: Path) -> None:
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in MEMBERS:
            if (pdir / name).exists():
                zf.write(pdir / name, name)


def _copy_layer(
    dst: Project, doc_id: int, spans: Sequence[Span], relations: Sequence[Relation], *, layer: str
) -> tuple[int, int]:
    """Insert spans and relations (new ids, same offsets, labels, provenance) into ``layer``."""
    ids: dict[int, int] = {}
    for s in spans:
        copy = Span(**{**s.to_dict(), "id": 0, "doc_id": doc_id, "layer": layer})
        ids[s.id] = dst.insert_span_row(copy).id
    for r in relations:
        dst.insert_relation_row(Relation(**{
            **r.to_dict(), "id": 0, "doc_id": doc_id, "layer": layer,
            "head_id": ids[r.head_id], "child_id": ids[r.child_id],
        }))
    return len(spans), len(relations)


# ---- opening a package (volunteer side) ----------------------------------------------------
def open_package(path: Path) -> Path:
    """Unpack a package once and return its project folder.

    The folder sits next to the file (``ana.annpack`` -> ``ana/``); when that place is
    taken by something else or read-only, under the user's settings folder. Opening the
    same package again returns the same folder, with the volunteer's work in it.
    """
    path = Path(path)
    with _zip(path) as (zf, root):
        manifest = Manifest.parse(_read_member(zf, root + MANIFEST, path), where=path.name)
        for target in _targets(path, manifest):
            found = _existing(target, manifest)
            if found is not None:
                return found
            if not target.exists() and _try_extract(zf, root, path, target):
                return target
    raise PackError(f"{path.name}: no writable place to unpack it")


def _targets(path: Path, manifest: Manifest) -> list[Path]:
    return [
        path.with_suffix(""),
        config_dir() / "packages" / f"{path.stem}-{manifest.package_id[:12]}",
    ]


def _existing(target: Path, manifest: Manifest) -> Path | None:
    if not (target / MANIFEST).is_file():
        return None
    try:
        other = Manifest.parse((target / MANIFEST).read_bytes(), where=str(target))
    except (OSError, PackError):
        return None
    return target if other.package_id == manifest.package_id else None


def _try_extract(zf: zipfile.ZipFile, root: str, path: Path, target: Path) -> bool:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    except OSError:
        return False
    try:
        _extract(zf, root, path, tmp)
        if not (tmp / DB_NAME).is_file():
            raise PackError(f"{path.name}: the package holds no {DB_NAME}")
        tmp.rename(target)
        return True
    except OSError:
        return False
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ---- reading untrusted zips ----------------------------------------------------------------
@contextmanager
def _zip(path: Path) -> Iterator[tuple[zipfile.ZipFile, str]]:
    """Open a zip whose every entry name is safe; yields it and the package's folder in it."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise PackError(f"{path.name} is not a work package (not a readable zip file)") from None
    with zf:
        infos = zf.infolist()
        for info in infos:
            _check_entry(info.filename, path)
        if sum(i.file_size for i in infos) > MAX_UNPACKED:
            raise PackError(f"{path.name}: unpacked size is implausibly large; refused")
        yield zf, _root(zf, path)


def _check_entry(name: str, path: Path) -> None:
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or ".." in parts or ":" in parts[0] or "\x00" in name:
        raise PackError(
            f"{path.name}: unsafe entry {name[:60]!r} (path outside the package); refused"
        )


def _root(zf: zipfile.ZipFile, path: Path) -> str:
    """ "" when the files are at the top, "folder/" when the volunteer zipped the folder."""
    names = set(zf.namelist())
    if MANIFEST in names:
        return ""
    roots = {n.split("/", 1)[0] + "/" for n in names if "/" in n}
    found = [r for r in roots if r + MANIFEST in names]
    if len(found) != 1:
        raise PackError(f"{path.name} is not a work package (no {MANIFEST})")
    return found[0]


def _read_member(zf: zipfile.ZipFile, name: str, path: Path) -> bytes:
    try:
        return zf.read(name)
    except KeyError:
        raise PackError(f"{path.name}: {name} is missing") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError):
        raise PackError(f"{path.name} is damaged ({name} cannot be read)") from None


def _extract(zf: zipfile.ZipFile, root: str, path: Path, dest: Path) -> None:
    # copy bytes of known members under fixed names: zip entry names never become paths
    names = set(zf.namelist())
    for member in MEMBERS:
        if root + member in names:
            (dest / member).write_bytes(_read_member(zf, root + member, path))


# ---- merging -------------------------------------------------------------------------------
@dataclass
class VolunteerDoc:
    text_hash: str
    name: str
    status: str
    spans: list[Span]
    relations: list[Relation]


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

    def summary(self) -> str:
        extra = (
            f"; {len(self.not_in_project)} documents not in this project skipped"
            if self.not_in_project
            else ""
        )
        return (
            f"{self.file}: layer {self.annotator!r}: {self.merged} documents merged, "
            f"{self.unchanged} unchanged ({self.spans} spans, {self.relations} relations){extra}"
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
    return out


@contextmanager
def _staged(path: Path) -> Iterator[Path]:
    """A private copy of the returned files: the volunteer's folder is never written to."""
    with tempfile.TemporaryDirectory(prefix="annotator-merge-") as tmp:
        stage = Path(tmp)
        if path.is_dir():
            _copy_folder(path, stage)
        elif path.is_file():
            with _zip(path) as (zf, root):
                _extract(zf, root, path, stage)
        else:
            raise PackError(f"{path}: no such file or folder")
        if not (stage / MANIFEST).is_file():
            raise PackError(f"{path.name} is not a work package (no {MANIFEST})")
        if not (stage / DB_NAME).is_file():
            raise PackError(f"{path.name}: the package holds no {DB_NAME}")
        yield stage


def _copy_folder(path: Path, stage: Path) -> None:
    for member in MEMBERS:
        if (path / member).is_file():
            shutil.copyfile(path / member, stage / member)


def _read_volunteer(
    project: Project, stage: Path, manifest: Manifest, path: Path
) -> list[VolunteerDoc]:
    try:
        vol = Project.open(stage)
    except ProjectError as exc:
        raise PackError(f"{path.name}: {_short(exc)}") from None
    try:
        _check_same_package(vol, manifest, path)
        if schema_hash(vol.schema) != schema_hash(project.schema) or (
            manifest.schema_hash != schema_hash(project.schema)
        ):
            raise PackError(
                f"{path.name} was annotated with another schema than this project's; not merged"
            )
        return [_volunteer_doc(vol, d.id, path) for d in vol.iter_documents(with_text=False)]
    except (sqlite3.Error, ValueError, KeyError, TypeError) as exc:
        raise PackError(f"{path.name}: unreadable project database ({exc})") from None
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
        doc.text_hash, doc.name, doc.status, vol.spans(doc_id), vol.relations(doc_id)
    )


def _write_merge(
    project: Project, manifest: Manifest, docs: list[VolunteerDoc], path: Path
) -> MergeResult:
    layer = manifest.annotator
    res = MergeResult(path.name, layer, manifest.package_id)
    statuses: dict[int, str] = {}
    before = layer_status(project).get(layer, {})
    with project.bulk():  # every document of the file, the status record and the log entry, or none
        for vdoc in docs:
            doc_id = project.document_id_by_hash(vdoc.text_hash)
            if doc_id is None:
                res.not_in_project.append(vdoc.name)
                continue
            _validate(project, doc_id, vdoc, path)
            statuses[doc_id] = vdoc.status
            same = _fingerprint_db(project, doc_id, layer) == _fingerprint(
                vdoc.spans, vdoc.relations
            )
            if same and before.get(doc_id) == vdoc.status:
                res.unchanged += 1
                continue
            if not same:
                _replace_layer(project, doc_id, layer, vdoc)
            res.merged += 1
            res.spans += len(vdoc.spans)
            res.relations += len(vdoc.relations)
        if not res.merged:
            return res  # the same file again: not even a log entry, the project is untouched
        set_layer_status(project, layer, statuses)
        project.log_event(
            "merge",
            {
                "file": path.name,
                "package_id": manifest.package_id,
                "layer": layer,
                "merged": res.merged,
                "unchanged": res.unchanged,
                "documents": sorted(statuses),
            },
        )
    return res


def _replace_layer(project: Project, doc_id: int, layer: str, vdoc: VolunteerDoc) -> None:
    project.conn.execute("DELETE FROM relations WHERE doc_id = ? AND layer = ?", (doc_id, layer))
    project.conn.execute("DELETE FROM spans WHERE doc_id = ? AND layer = ?", (doc_id, layer))
    _copy_layer(project, doc_id, vdoc.spans, vdoc.relations, layer=layer)


def _validate(project: Project, doc_id: int, vdoc: VolunteerDoc, path: Path) -> None:
    n_chars = project.document(doc_id, with_text=False).n_chars
    labels, ids = set(project.schema.labels), {s.id for s in vdoc.spans}
    for s in vdoc.spans:
        if (
            not (0 <= s.start < s.end <= n_chars)
            or s.label not in labels
            or (s.source not in SOURCES or s.state not in STATES or not isinstance(s.attrs, dict))
        ):
            raise PackError(
                f"{path.name}: bad span {s.start}-{s.end} {s.label!r} in {vdoc.name!r}; not merged"
            )
    for r in vdoc.relations:
        if (
            r.head_id not in ids
            or r.child_id not in ids
            or project.schema.relation(r.label) is None
        ):
            raise PackError(f"{path.name}: bad relation {r.label!r} in {vdoc.name!r}; not merged")
    if vdoc.status not in STATUSES:
        raise PackError(f"{path.name}: bad status {vdoc.status!r} of {vdoc.name!r}; not merged")


def _fingerprint(spans: Sequence[Span], relations: Sequence[Relation]) -> tuple:
    """What a layer says about a document, independent of ids and timestamps."""
    keys = {s.id: (s.start, s.end, s.label) for s in spans}
    return (
        sorted(
            (
                s.start,
                s.end,
                s.label,
                s.source,
                s.state,
                s.annotator,
                json.dumps(s.attrs, sort_keys=True),
            )
            for s in spans
        ),
        sorted(
            (
                keys.get(r.head_id),
                keys.get(r.child_id),
                r.label,
                r.annotator,
                json.dumps(r.attrs, sort_keys=True),
            )
            for r in relations
        ),
    )


def _fingerprint_db(project: Project, doc_id: int, layer: str) -> tuple:
    return _fingerprint(project.spans(doc_id, layer=layer), project.relations(doc_id, layer=layer))


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
