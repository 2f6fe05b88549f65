"""Size report of a built bundle: total, biggest parts, and what each slim.py rule removes.

    python packaging/measure.py dist/annotator [--strip]

Run on a naive build (ANNOTATOR_NAIVE_BUILD=1) it tells what every exclusion rule saves
(files are matched in rule order, first match wins, like the spec does); ``--strip``
adds what stripping the remaining ELF files saves (Linux, needs ``strip``).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import zlib
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import slim  # noqa: E402

MB = 1024 * 1024


def contents_dir(bundle: Path) -> Path:
    inner = bundle / "_internal"
    return inner if inner.is_dir() else bundle


def files(bundle: Path) -> list[Path]:
    return [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()]


def strip_saving(paths: list[Path]) -> int:
    """Bytes saved by ``strip`` on the ELF files among ``paths`` (measured on copies)."""
    if not shutil.which("strip"):
        return 0
    saved = 0
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "stripped"
        for p in paths:
            with p.open("rb") as fh:
                if fh.read(4) != b"\x7fELF":
                    continue
            r = subprocess.run(["strip", "-o", str(out), str(p)], capture_output=True)
            if r.returncode == 0:
                saved += p.stat().st_size - out.stat().st_size
    return saved


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("bundle", type=Path)
    ap.add_argument("--strip", action="store_true", help="also measure what strip saves")
    ap.add_argument("--gzip", action="store_true", help="parts by gzip-compressed size too")
    args = ap.parse_args()
    inner = contents_dir(args.bundle)
    all_files = files(args.bundle)
    total = sum(p.stat().st_size for p in all_files)
    print(f"{args.bundle}: {total / MB:.1f} MB in {len(all_files)} files")

    by_top: Counter[str] = Counter()
    gz: Counter[str] = Counter()
    for p in all_files:
        rel = p.relative_to(inner) if p.is_relative_to(inner) else p.relative_to(args.bundle)
        part = "/".join(rel.parts[:2]) if len(rel.parts) > 2 else rel.parts[0]
        by_top[part] += p.stat().st_size
        if args.gzip:
            gz[part] += len(zlib.compress(p.read_bytes(), 6))
    print("\nbiggest parts (unpacked" + (", gzip -6)" if args.gzip else ")") + ":")
    for name, size in by_top.most_common(20):
        extra = f"  {gz[name] / MB:6.1f} MB" if args.gzip else ""
        print(f"  {size / MB:7.1f} MB{extra}  {name}")
    if args.gzip:
        print(f"  total gzip -6: {sum(gz.values()) / MB:.1f} MB")

    per_rule: Counter[str] = Counter()
    kept: list[Path] = []
    for p in all_files:
        inside = p.is_relative_to(inner)
        rule = slim.matching_rule(p.relative_to(inner).as_posix()) if inside else None
        if rule:
            per_rule[rule] += p.stat().st_size
        else:
            kept.append(p)
    print("\nfile rules (slim.FILE_RULES), bytes in this bundle:")
    for name, _reason, _patterns in slim.FILE_RULES:
        print(f"  {per_rule[name] / MB:7.1f} MB  {name}")
    if args.strip:
        print(f"  {strip_saving(kept) / MB:7.1f} MB  strip (ELF debug symbols of what is left)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
