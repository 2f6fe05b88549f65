"""A long .txt is imported without holding all its tokens at once (memory, not GBs)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import resource, sys
from pathlib import Path
from annotator.core.store import Project
from annotator.core.tokens import tokenizer_nlp
from annotator.io.importer import import_paths
p = Project.init(Path(sys.argv[1]) / "p")
tokenizer_nlp()  # spaCy loaded: the baseline
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
report = import_paths(p, [Path(sys.argv[2])])
assert len(report.imported) == 1, report.summary()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
n = p.conn.execute("SELECT length(tokens) / 8 FROM documents").fetchone()[0]
print(n, (peak - base) // 1024)
"""


def test_a_12_mb_txt_imports_in_little_memory(tmp_path: Path) -> None:
    f = tmp_path / "long.txt"
    line = "Russia sent 100 troops to Venezuela, Maduro said on Monday in Caracas.\n"
    f.write_text(line * (12_000_000 // len(line)), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path), str(f)], env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-800:]
    n_tokens, grown_mb = map(int, out.stdout.split())
    assert n_tokens > 2_000_000
    # text (12 MB) + its stored copy + 16 MB of packed tokens; a whole Doc and a list
    # of 2.3 M tuples took over 600 MB
    assert grown_mb < 250, f"importing a 12 MB text took {grown_mb} MB"
