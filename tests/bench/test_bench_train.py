"""Training budgets: time and peak memory for 100 and 1,000 generated done documents, and the
window's largest frame gap while training runs in the background (budget <= 50 ms).

Each size trains in its own process (peak RSS of that process via wait4), starting from
the default model, held-out split 0.2, no learning curve; ``ITERATIONS`` epochs, so the
per-epoch figure extrapolates to the default 20.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ITERATIONS = 3
POOLS = {
    "PERSON": ["Nicolas Maduro", "Vladimir Padrino", "Sergei Lavrov", "Juan Guaido", "Mike Pompeo"],
    "GPE": ["Venezuela", "Russia", "Caracas", "Colombia", "Syria", "Cuba"],
    "MIL_UNIT": ["the Russian air force", "the national guard", "the 4th Armoured Brigade",
                 "Russian ground forces", "the Bolivarian navy"],
    "WEAPON": ["S-300", "Su-30", "Tu-160", "Kalashnikov rifles", "Igla-S"],
    "ARMED_GROUP": ["Wagner Group", "the ELN", "colectivos", "FARC dissidents"],
    "ORG": ["Rosneft", "the Kremlin", "the Lima Group", "PDVSA"],
}
TEMPLATES = [
    "{PERSON} said on Monday that {MIL_UNIT} would receive more {WEAPON} systems in {GPE}.",
    "Fighters of {ARMED_GROUP} were seen near {GPE}, according to {ORG}.",
    "{ORG} and {PERSON} discussed the {WEAPON} deliveries with officials in {GPE}.",
    "{MIL_UNIT} trained with {ARMED_GROUP} outside {GPE} last week, {PERSON} claimed.",
]

SCRIPT = r"""
import json, random, sys, time
from annotator.core.ops import SetStatus
from annotator.core.store import Project
from annotator.nlp.train.loop import TrainOptions, train_project
sys.path.insert(0, sys.argv[3])
from test_bench_train import generate
p = Project.init(sys.argv[1], annotator="bench")
with p.bulk():
    for i, (text, ents) in enumerate(generate(int(sys.argv[2]))):
        d = p.add_document(f"{i}.txt", text, status="done")
        p.insert_spans({"doc_id": d, "start": s, "end": e, "label": lab, "source": "human",
                        "state": "accepted"} for s, e, lab in ents)
t0 = time.perf_counter()
r = train_project(p, TrainOptions(curve=False, iterations=int(sys.argv[4]), seed=0))
print(json.dumps({"seconds": time.perf_counter() - t0, "f": r.trained_scores["micro"]["f"],
                  "base_f": r.base_scores["micro"]["f"]}))
"""


def generate(n_docs: int, *, seed: int = 0) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """Documents of 4-8 sentences from templates, with the gold spans of what was filled in."""
    rng = random.Random(seed)
    docs = []
    for i in range(n_docs):
        text, ents = "", []
        for _ in range(rng.randint(4, 8)):
            template = rng.choice(TEMPLATES)
            pos = 0
            sentence = ""
            while (start := template.find("{", pos)) >= 0:
                end = template.index("}", start)
                label = template[start + 1:end]
                sentence += template[pos:start]
                value = rng.choice(POOLS[label])
                ents.append((len(text) + len(sentence), len(text) + len(sentence) + len(value), label))
                sentence += value
                pos = end + 1
            sentence += template[pos:]
            text += sentence[0].upper() + sentence[1:] + " "
        docs.append((text + f"(Report {i}.)\n", ents))
    return docs


def _run(tmp: Path, n_docs: int) -> tuple[dict, float]:
    import json

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT, str(tmp / f"p{n_docs}"), str(n_docs),
                             str(Path(__file__).parent), str(ITERATIONS)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    out, err = proc.communicate()
    _pid, _status, usage = os.wait4(proc.pid, 0) if proc.returncode is None else (0, 0, None)
    assert proc.returncode == 0, err[-2000:]
    peak = (usage.ru_maxrss if usage else _peak_children()) / 1024
    return json.loads(out.strip().splitlines()[-1]), peak


def _peak_children() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def test_bench_train_time_and_memory(tmp_path: Path) -> None:
    for n in (100, 1000):
        result, peak_mb = _run(tmp_path, n)
        per_epoch = result["seconds"] / ITERATIONS
        print(f"\ntraining {n} generated documents ({ITERATIONS} epochs, no curve):"
              f" {result['seconds']:.1f} s ({per_epoch:.1f} s/epoch, ~{per_epoch * 20 / 60:.1f} min"
              f" at the default 20), peak RSS <= {peak_mb:.0f} MB (largest child so far);"
              f" held-out F {result['base_f']:.2f} -> {result['f']:.2f}")


def test_bench_train_window_stays_responsive(tmp_path: Path) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer

    from annotator.core.store import Project
    from annotator.gui.app import ensure_app
    from annotator.gui.training.runner import JobRunner, train_job

    app = ensure_app()
    with Project.init(tmp_path / "p", annotator="bench") as p, p.bulk():
        for i, (text, ents) in enumerate(generate(100)):
            d = p.add_document(f"{i}.txt", text, status="done")
            p.insert_spans({"doc_id": d, "start": s, "end": e, "label": lab, "source": "human",
                            "state": "accepted"} for s, e, lab in ents)
    runner = JobRunner()
    gaps: list[int] = []
    clock = QElapsedTimer()
    timer = QTimer()
    timer.timeout.connect(lambda: (gaps.append(clock.restart())))
    loop = QEventLoop()
    runner.finished.connect(lambda _r: loop.quit())
    runner.failed.connect(lambda m: (print(m), loop.quit()))
    t0 = time.perf_counter()
    clock.start()
    timer.start(10)
    runner.start(tmp_path / "p", "bench", train_job(iterations=ITERATIONS, curve=False))
    loop.exec()
    timer.stop()
    gaps = sorted(gaps[1:])
    p95 = gaps[int(len(gaps) * 0.95)] if gaps else 0
    print(f"\nwindow while training 100 documents in the background ({time.perf_counter() - t0:.0f}"
          f" s): {len(gaps)} timer frames, largest gap {gaps[-1] if gaps else 0} ms, p95 {p95} ms"
          " (budget: frame <= 50 ms)")
    app.processEvents()
