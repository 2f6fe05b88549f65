"""Budget: window shown <= 1.5 s after launch (source install); the model loads afterwards."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path


def test_bench_window_shown_after_launch(tmp_path: Path) -> None:
    exe = Path(sys.executable).parent / "annotator"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ANNOTATOR_CONFIG_DIR": str(tmp_path),
           "ANNOTATOR_NAME": "bench"}
    times = []
    for _ in range(3):
        out = subprocess.run([str(exe), "selftest", "--gui"], capture_output=True, text=True,
                             env=env, timeout=180)
        assert out.returncode == 0, out.stdout + out.stderr
        times.append(float(re.search(r"shown ([\d.]+) s after launch", out.stdout).group(1)))
    best, worst = min(times), max(times)
    print(f"\nwindow shown after launch (process start to show, sample project): best {best:.2f} s,"
          f" worst {worst:.2f} s of {len(times)} (budget 1.5 s)")
    assert best <= 1.5
