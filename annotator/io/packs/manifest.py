"""A work package's manifest: what it is, whose, for which project and schema."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from hashlib import sha256
from typing import Any

from annotator.core.errors import AnnotatorError
from annotator.core.models import now
from annotator.core.schema import Schema

PACK_SUFFIX = ".annpack"
MANIFEST = "manifest.json"
FORMAT = "geo-annotator-work-package"
FORMAT_VERSION = 1
PACKAGE_META_KEY = "package"
NAME = re.compile(r"^[^\x00-\x1f/\\]{1,64}$")
# package_id goes into a folder name when a package is unpacked: hex only (uuid4().hex)
PACKAGE_ID = re.compile(r"^[0-9a-f]{32}$")


class PackError(AnnotatorError):
    """A work package cannot be written, opened or merged."""


def schema_hash(schema: Schema) -> str:
    """Fingerprint of a schema (its canonical JSON): packages only merge into the same one."""
    return sha256(schema.to_json().encode("utf-8")).hexdigest()


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
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
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
        if not PACKAGE_ID.match(d["package_id"]):
            raise PackError(f"{where}: bad package id {d['package_id'][:40]!r} in manifest")
        if not NAME.match(d["annotator"]):
            raise PackError(f"{where}: bad annotator name {d['annotator'][:40]!r} in manifest")
        if not isinstance(d.get("documents", []), list):
            raise PackError(f"{where}: manifest.json documents must be a list")
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in d.items() if k in known})
