"""Writing work packages: a small project of the chosen documents, zipped with its manifest.

The package's project is built in the system's temporary folder, never beside the
output: a killed ``pack`` leaves no folder of documents' text where the packages go.
The zip itself is written under a hidden name and renamed when complete.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
import uuid
import zipfile
from collections.abc import Sequence
from pathlib import Path

from annotator.core.config import write_config
from annotator.core.layers import copy_layer
from annotator.core.models import GOLD
from annotator.core.store import Project
from annotator.io.packs.archive import MEMBERS
from annotator.io.packs.assign import (
    all_ids,
    assign,
    assigned_documents,
    check_names,
    choose_for,
    record_assignment,
)
from annotator.io.packs.manifest import (
    MANIFEST,
    PACK_SUFFIX,
    PACKAGE_META_KEY,
    Manifest,
    PackError,
    schema_hash,
)

PARTIAL = ".partial-"  # hidden name of a zip being written: ".ana.annpack.partial-<pid>"
STALE_SECONDS = 3600


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
    names = check_names(annotators)
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
        else [d for d in all_ids(project) if d not in assigned_documents(project)]
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
    (annotator,) = check_names([annotator])
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
    _sweep(output.parent)
    partial = output.with_name(f".{output.name}{PARTIAL}{os.getpid()}")
    try:
        with tempfile.TemporaryDirectory(prefix="annotator-pack-") as tmp:
            pdir = Path(tmp) / "project"
            _build_project(project, docs, pdir, manifest)
            _zip_dir(pdir, partial)
        os.replace(partial, output)  # never a half-written package
    finally:
        partial.unlink(missing_ok=True)
    record_assignment(project, manifest, [d.id for d in docs], output)
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
                copy_layer(
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


def _sweep(folder: Path) -> None:
    """Remove partial zips of killed runs (old enough not to be a running one)."""
    now = time.time()
    for f in folder.glob(f".*{PACK_SUFFIX}{PARTIAL}*"):
        try:
            if now - f.stat().st_mtime > STALE_SECONDS:
                f.unlink()
        except OSError:
            pass
