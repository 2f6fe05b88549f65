"""Reading untrusted package zips, and unpacking a package once on the volunteer's side.

Only the known members are taken out, under fixed names (zip entry names never become
paths), and each is streamed to disk with a running byte count: a member whose header
lies about its size, or one that inflates far beyond its compressed size, is refused
after at most its cap has been written, never read whole into memory.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from annotator.core.config import CONFIG_NAME, DB_NAME
from annotator.core.paths import config_dir
from annotator.io.packs.manifest import MANIFEST, Manifest, PackError

WAL = DB_NAME + "-wal"
# only these files are ever taken out of a package; anything else in it is ignored
MEMBERS = (MANIFEST, CONFIG_NAME, DB_NAME, WAL)
MiB = 1 << 20
# Caps per member. A package of text is far below them: 100,000 news articles with their
# spans make a project.db of about 600 MB.
MAX_BYTES = {MANIFEST: 64 * MiB, CONFIG_NAME: 1 * MiB, DB_NAME: 2048 * MiB, WAL: 512 * MiB}
MAX_RATIO = 200  # inflated / compressed, above RATIO_FLOOR (SQLite pages compress ~3-20x)
RATIO_FLOOR = 16 * MiB
CHUNK = 1 * MiB


@contextmanager
def open_zip(path: Path) -> Iterator[tuple[zipfile.ZipFile, str]]:
    """Open a zip whose every entry name is safe; yields it and the package's folder in it."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise PackError(f"{path.name} is not a work package (not a readable zip file)") from None
    with zf:
        for info in zf.infolist():
            check_entry(info.filename, path)
        yield zf, _root(zf, path)


def check_entry(name: str, path: Path) -> None:
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


def read_member(zf: zipfile.ZipFile, name: str, path: Path, *, member: str = MANIFEST) -> bytes:
    """A small member (the manifest) in memory, within its cap."""
    with tempfile.TemporaryFile() as f:
        _stream(zf, name, path, f, cap=MAX_BYTES[member])
        f.seek(0)
        return f.read()


def extract(zf: zipfile.ZipFile, root: str, path: Path, dest: Path) -> None:
    """Copy the known members into ``dest`` under their fixed names, each within its cap."""
    names = set(zf.namelist())
    for member in MEMBERS:
        if root + member in names:
            with open(dest / member, "wb") as f:
                _stream(zf, root + member, path, f, cap=MAX_BYTES[member])


def _stream(zf: zipfile.ZipFile, name: str, path: Path, out, *, cap: int) -> None:  # noqa: ANN001
    try:
        info = zf.getinfo(name)
    except KeyError:
        raise PackError(f"{path.name}: {name} is missing") from None
    if info.file_size > cap:
        raise PackError(f"{path.name}: {name} is too large ({_mb(info.file_size)}; the limit"
                        f" is {_mb(cap)}); refused")
    written = 0
    try:
        with zf.open(info) as src:
            while chunk := src.read(CHUNK):
                written += len(chunk)
                if written > cap:  # the header lied about the size
                    raise PackError(f"{path.name}: {name} unpacks past its limit of"
                                    f" {_mb(cap)}; refused")
                if written > RATIO_FLOOR and written > MAX_RATIO * max(info.compress_size, 1):
                    raise PackError(f"{path.name}: {name} inflates over {MAX_RATIO} times its"
                                    " packed size (a zip bomb?); refused")
                out.write(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError):
        raise PackError(f"{path.name} is damaged ({name} cannot be read)") from None


def _mb(n: int) -> str:
    return f"{n / MiB:.0f} MB"


def copy_folder(path: Path, stage: Path) -> None:
    """The known members of a returned folder, within their caps."""
    for member in MEMBERS:
        f = path / member
        if f.is_file():
            if f.stat().st_size > MAX_BYTES[member]:
                raise PackError(f"{path.name}: {member} is too large"
                                f" ({_mb(f.stat().st_size)}); refused")
            shutil.copyfile(f, stage / member)


# ---- opening a package (volunteer side) ----------------------------------------------------
def open_package(path: Path) -> Path:
    """Unpack a package once and return its project folder.

    The folder sits next to the file (``ana.annpack`` -> ``ana/``); when that place is
    taken by something else or read-only, under the user's settings folder. Opening the
    same package again returns the same folder, with the volunteer's work in it.
    """
    path = Path(path)
    with open_zip(path) as (zf, root):
        manifest = Manifest.parse(read_member(zf, root + MANIFEST, path), where=path.name)
        for target in _targets(path, manifest):
            found = _existing(target, manifest)
            if found is not None:
                return found
            if not target.exists() and _try_extract(zf, root, path, target):
                return target
    raise PackError(f"{path.name}: no writable place to unpack it")


def _targets(path: Path, manifest: Manifest) -> list[Path]:
    # package_id is validated hex (Manifest.parse): it cannot step out of the folder
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
        extract(zf, root, path, tmp)
        if not (tmp / DB_NAME).is_file():
            raise PackError(f"{path.name}: the package holds no {DB_NAME}")
        tmp.rename(target)
        return True
    except OSError:
        return False
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
