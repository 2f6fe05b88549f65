"""Pack the built bundle into the one download volunteers get; prints the archive's path.

    python packaging/archive.py [--dist dist]

Linux: dist/annotator-VERSION-linux-x86_64.tar.gz (keeps the executable bit);
Windows: dist/annotator-VERSION-windows-x86_64.zip; macOS: dist/annotator-VERSION-macos-ARCH.zip
holding Annotator.app. Any project.db a test run left in the sample project is left out.
"""

from __future__ import annotations

import argparse
import platform
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

NAME = "annotator"
SKIP = ("project.db", "project.db-wal", "project.db-shm", "__pycache__")


def platform_tag() -> str:
    machine = platform.machine().lower()
    arch = {"amd64": "x86_64", "x64": "x86_64", "aarch64": "arm64"}.get(machine, machine)
    system = {"win32": "windows", "darwin": "macos"}.get(sys.platform, "linux")
    return f"{system}-{arch}"


def keep(path: Path) -> bool:
    return not any(part in SKIP for part in path.parts)


def make_archive(dist: Path) -> Path:
    version = (dist / NAME / "VERSION").read_text(encoding="utf-8").strip()
    stem = f"{NAME}-{version}-{platform_tag()}"
    if sys.platform == "darwin" and (dist / "Annotator.app").is_dir():
        root = dist / "Annotator.app"
    else:
        root = dist / NAME
    if sys.platform.startswith("linux"):
        out = dist / f"{stem}.tar.gz"
        with tarfile.open(out, "w:gz", compresslevel=9) as tar:
            tar.add(root, arcname=stem, filter=lambda ti: ti if keep(Path(ti.name)) else None)
        return out
    out = dist / f"{stem}.zip"
    if sys.platform == "darwin":  # ditto keeps the .app's symlinks and signature intact
        subprocess.run(["ditto", "-c", "-k", "--keepParent", str(root), str(out)], check=True)
        return out
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for p in sorted(root.rglob("*")):
            rel = p.relative_to(root)
            if keep(rel) and (p.is_file() or p.is_symlink()):
                zf.write(p, f"{stem}/{rel.as_posix()}")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--dist", type=Path, default=Path("dist"))
    out = make_archive(ap.parse_args().dist)
    print(f"{out} ({out.stat().st_size / 1024 / 1024:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
