"""Pack the built bundle into the one download volunteers get; prints the archive's path.

    python packaging/archive.py [--dist dist]

Linux: dist/annotator-VERSION-linux-x86_64.tar.xz (keeps the executable bit; xz, which every
Linux desktop's archive manager and ``tar xf`` read, is a quarter smaller than gzip here);
Windows: dist/annotator-VERSION-windows-x86_64.zip; macOS: dist/annotator-VERSION-macos-ARCH.zip
holding Annotator.app. Any project.db a test run left in the sample project is left out.

Prints the unpacked and archived sizes against the budget (docs/performance.md:
<= 200 MB unpacked, <= 80 MB archived) and exits 1 when a Linux build is over it; on
Windows and macOS, where the budget has not been measured yet, it only reports.
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
MB = 1024 * 1024
BUDGET_UNPACKED_MB, BUDGET_ARCHIVE_MB = 200, 80
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
        out = dist / f"{stem}.tar.xz"
        with tarfile.open(out, "w:xz", preset=6) as tar:  # 6: xz's default; 9 gains <1%
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


def unpacked_size(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*")
               if p.is_file() and not p.is_symlink() and keep(p.relative_to(root)))


def over_budget(unpacked: int, archived: int) -> list[str]:
    over = []
    if unpacked > BUDGET_UNPACKED_MB * MB:
        over.append(f"unpacked {unpacked / MB:.1f} MB > {BUDGET_UNPACKED_MB} MB")
    if archived > BUDGET_ARCHIVE_MB * MB:
        over.append(f"archive {archived / MB:.1f} MB > {BUDGET_ARCHIVE_MB} MB")
    return over


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--dist", type=Path, default=Path("dist"))
    dist = ap.parse_args().dist
    out = make_archive(dist)
    # First line: the archive's path (the release workflow reads it up to " (").
    print(f"{out} ({out.stat().st_size / MB:.1f} MB)")
    unpacked = unpacked_size(dist / NAME)
    print(f"size: {unpacked / MB:.1f} MB unpacked, {out.stat().st_size / MB:.1f} MB archived"
          f" (budget {BUDGET_UNPACKED_MB} / {BUDGET_ARCHIVE_MB} MB)")
    over = over_budget(unpacked, out.stat().st_size)
    if over:
        print(f"size: OVER BUDGET: {'; '.join(over)} (see docs/coordinators.md, packaging/slim.py)")
        return 1 if sys.platform.startswith("linux") else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
