"""Smoke test of the frozen bundle (after every build; CI runs it on every OS).

    python packaging/smoke.py [--dist dist] [--skip-gui]

1. (Linux) every shared library in the bundle resolves (no "not found" from ldd), so a
   pruned Qt plugin dependency shows up here rather than on a volunteer's machine;
2. ``annotator --version``;
3. ``annotator selftest``: project, import, pre-annotation with the bundled model, export;
4. portable mode: with a ``portable`` file next to the binary, settings go to ./settings;
5. ``annotator selftest --gui`` offscreen: the window opens and quits; prints the time
   from launching the process to the window being shown, measured here, outside.
Every run uses a temporary settings folder and leaves the bundle as it found it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WINDOWS = sys.platform == "win32"


def binary(dist: Path, *, console: bool) -> Path:
    name = ("annotator-cli.exe" if console else "annotator.exe") if WINDOWS else "annotator"
    return dist / "annotator" / name


def env(config: Path, **extra: str) -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if not k.startswith("ANNOTATOR_")}
    e.update(QT_QPA_PLATFORM="offscreen", ANNOTATOR_CONFIG_DIR=str(config),
             ANNOTATOR_NAME="smoke", PYTHONUNBUFFERED="1", **extra)
    return e


Lines = list[tuple[float, str]]


def run(cmd: list[str], e: dict[str, str], *, timeout: float) -> tuple[int, Lines]:
    """Run, echo every output line with the seconds since launch; returns (rc, lines)."""
    t0 = time.perf_counter()
    lines: Lines = []
    proc = subprocess.Popen(cmd, env=e, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, encoding="utf-8", errors="replace")
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            t = time.perf_counter() - t0
            lines.append((t, line.rstrip()))
            print(f"    [{t:6.2f} s] {line.rstrip()}", flush=True)
        rc = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        rc = -9
        print(f"    timed out after {timeout:.0f} s")
    return rc, lines


def check_libraries(bundle: Path) -> list[str]:
    """Linux: ELF files in the bundle whose dependencies ldd cannot find."""
    if not sys.platform.startswith("linux") or not shutil.which("ldd"):
        return []
    inner = bundle / "_internal"
    e = {**os.environ, "LD_LIBRARY_PATH": f"{inner}:{inner / 'PySide6' / 'Qt' / 'lib'}"}
    broken = []
    for p in sorted(inner.rglob("*.so*")):
        if p.is_symlink() or not p.is_file():
            continue
        out = subprocess.run(["ldd", str(p)], capture_output=True, text=True, env=e).stdout
        missing = [ln.split()[0] for ln in out.splitlines() if "not found" in ln]
        if missing:
            broken.append(f"{p.relative_to(inner)}: {', '.join(sorted(set(missing)))}")
    return broken


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--dist", type=Path, default=Path("dist"))
    ap.add_argument("--skip-gui", action="store_true", help="no window test (no display libs)")
    args = ap.parse_args()
    cli = binary(args.dist, console=True)  # Windows: the console twin of the windowed exe
    bundle = cli.parent
    if not cli.exists():
        print(f"smoke: no binary at {cli}: build first (make package)")
        return 1
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="annotator-smoke-") as tmp:
        cfg = Path(tmp) / "config"

        print("smoke: bundled libraries resolve")
        broken = check_libraries(bundle)
        for b in broken:
            print(f"    missing: {b}")
        if broken:
            failures.append("libraries")

        print("smoke: annotator --version")
        rc, lines = run([str(cli), "--version"], env(cfg), timeout=60)
        if rc != 0 or not lines:
            failures.append("version")

        print("smoke: annotator selftest")
        rc, lines = run([str(cli), "selftest"], env(cfg), timeout=600)
        if rc != 0 or not any(ln.startswith("selftest passed") for _, ln in lines):
            failures.append("selftest")

        print("smoke: portable mode (a 'portable' file next to the binary)")
        marker, settings = bundle / "portable", bundle / "settings"
        created_settings = not settings.exists()
        marker.touch()
        try:
            e = env(cfg, XDG_CONFIG_HOME=str(Path(tmp) / "xdg"), APPDATA=str(Path(tmp) / "xdg"))
            del e["ANNOTATOR_CONFIG_DIR"]
            rc, lines = run([str(cli), "selftest", "--only", "environment"], e, timeout=120)
            want = f"settings {settings.resolve()}"
            if rc != 0 or not any(want in ln for _, ln in lines):
                print(f"    expected '{want}'")
                failures.append("portable")
        finally:
            marker.unlink()
            if created_settings:
                shutil.rmtree(settings, ignore_errors=True)

        if not args.skip_gui:
            print("smoke: window offscreen (annotator selftest --gui)")
            rc, lines = run([str(cli), "selftest", "--gui"], env(cfg), timeout=180)
            shown = [t for t, ln in lines if ln.startswith("ok   window")]
            if rc != 0 or not shown:
                failures.append("gui")
            else:
                print(f"smoke: launch to window shown: {shown[0]:.2f} s (measured from outside)")

    if failures:
        print(f"smoke: FAILED: {', '.join(failures)}")
        return 1
    print("smoke: all passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
