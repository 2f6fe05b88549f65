"""Work packages for volunteers: hand documents out, take the annotations back.

A work package IS a project: a zip (``.annpack``) holding ``project.toml``,
``project.db`` (made with the core API) and ``manifest.json`` (source project id,
package id, annotator, schema hash, document hashes). The volunteer opens it with the
ordinary app, which unpacks it once (``open_package``); what comes back is that folder,
or a zip of it. ``merge_package`` copies the volunteer's gold layer into the
coordinator's project as a layer named after the volunteer, replacing that layer for
each document it covers, so merging the same file twice changes nothing.

manifest: the manifest and PackError; assign: who gets which documents; archive:
reading untrusted zips and unpacking; write: building packages; merge: bringing them
back. The layer SQL is ``annotator.core.layers``.
"""

from annotator.io.packs.archive import MEMBERS, open_package
from annotator.io.packs.assign import ASSIGNMENTS_KEY, assign, assigned_documents, choose_for
from annotator.io.packs.manifest import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    PACK_SUFFIX,
    PACKAGE_META_KEY,
    Manifest,
    PackError,
    schema_hash,
)
from annotator.io.packs.merge import MergeResult, VolunteerDoc, merge_package, merge_packages
from annotator.io.packs.write import make_packages, write_package

__all__ = [
    "ASSIGNMENTS_KEY", "FORMAT", "FORMAT_VERSION", "MANIFEST", "MEMBERS", "PACKAGE_META_KEY",
    "PACK_SUFFIX", "Manifest", "MergeResult", "PackError", "VolunteerDoc", "assign",
    "assigned_documents", "choose_for", "make_packages", "merge_package", "merge_packages",
    "open_package", "schema_hash", "write_package",
]
