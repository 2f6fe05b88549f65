"""packaging/archive.py: what volunteers download, and the size budget it enforces."""

from __future__ import annotations

import sys
import tarfile
from pathlib import Path

import archive
import pytest


def _fake_dist(tmp_path: Path) -> Path:
    bundle = tmp_path / "dist" / "annotator"
    (bundle / "projects" / "sample").mkdir(parents=True)
    (bundle / "VERSION").write_text("9.9.9\n")
    exe = bundle / "annotator"
    exe.write_bytes(b"\x7fELF" + b"x" * 100)
    exe.chmod(0o755)
    (bundle / "projects" / "sample" / "a.txt").write_text("Venezuela")
    (bundle / "projects" / "sample" / "project.db").write_bytes(b"left by a test run")
    return tmp_path / "dist"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux archives are .tar.xz")
def test_archive_keeps_the_bundle_and_leaves_test_databases_out(tmp_path: Path) -> None:
    dist = _fake_dist(tmp_path)
    out = archive.make_archive(dist)
    assert out.name == f"annotator-9.9.9-{archive.platform_tag()}.tar.xz"
    with tarfile.open(out) as tar:
        names = set(tar.getnames())
        stem = "annotator-9.9.9-" + archive.platform_tag()
        assert f"{stem}/projects/sample/a.txt" in names
        assert f"{stem}/projects/sample/project.db" not in names
        assert tar.getmember(f"{stem}/annotator").mode & 0o111  # still executable
    assert archive.unpacked_size(dist / "annotator") == 104 + 6 + 9  # exe, VERSION, a.txt


def test_over_budget() -> None:
    mb = archive.MB
    assert archive.over_budget(182 * mb, 76 * mb) == []
    assert archive.over_budget(201 * mb, 76 * mb) == ["unpacked 201.0 MB > 200 MB"]
    assert archive.over_budget(100 * mb, 81 * mb) == ["archive 81.0 MB > 80 MB"]
