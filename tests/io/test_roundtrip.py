"""export -> import into a fresh project -> export: byte-identical, every format the importer reads
(jsonl, doccano, brat, conll, hf), every variant."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_export_common import add_doc, add_nested, rich_project

from annotator.core.store import Project
from annotator.core.text import normalize_text
from annotator.io.export import ExportOptions, export_project
from annotator.io.formats import export_format, output_suffix, reads_back
from annotator.io.importer import collect_files, import_paths

IMPORT_FORMAT = {"jsonl": "prodigy", "doccano": "doccano", "brat": "brat", "conll": "conll",
                 "hf": "hf"}
VARIANTS = [(fmt, v) for fmt in IMPORT_FORMAT
            for v in (export_format(fmt).variants or (None,))]  # type: ignore[union-attr]


def _files(out: Path) -> dict[str, bytes]:
    if out.is_file():
        return {"": out.read_bytes()}
    return {f.relative_to(out).as_posix(): f.read_bytes() for f in sorted(out.rglob("*"))
            if f.is_file()}


def _inputs(out: Path) -> list[Path]:
    return collect_files([out])


def _round_trip(tmp: Path, source: Project, fmt: str, opts: ExportOptions,
                *, auto: bool = False) -> tuple[dict, dict]:
    ending = output_suffix(export_format(fmt))  # type: ignore[arg-type]  # as the GUI names it
    first = tmp / f"first-{fmt}{ending}"
    export_project(source, fmt, first, opts)
    assert reads_back(fmt) == IMPORT_FORMAT[fmt]  # the registry agrees
    fresh = Project.init(tmp / f"fresh-{fmt}", annotator="someone-else")
    report = import_paths(fresh, _inputs(first), fmt="auto" if auto else IMPORT_FORMAT[fmt])
    assert not report.skipped and not report.dropped, (report.skipped, report.dropped)
    second = tmp / f"second-{fmt}{ending}"
    export_project(fresh, fmt, second, opts)
    fresh.close()
    return _files(first), _files(second)


@pytest.mark.parametrize("fmt", ["jsonl", "doccano", "brat"])
@pytest.mark.parametrize("status", ["done", "all"])
def test_round_trip_is_byte_identical(tmp_path: Path, fmt: str, status: str) -> None:
    p = rich_project(tmp_path)
    first, second = _round_trip(tmp_path, p, fmt, ExportOptions(status=status))
    assert first == second
    blob = b"".join(v for k, v in first.items() if k != "annotation.conf").decode("utf-8")
    # the traps are really in the data: overlaps, attributes, emoji/flags before entities
    for needle in ("🇻🇪 Russia", "Lima Group", "negated", "hypothetical"):
        assert needle in blob.lower() if needle == "negated" else needle in blob
    assert ("suggested" in blob) == (status == "all")


def test_round_trip_keeps_source_state_attrs_and_status(tmp_path: Path) -> None:
    p = rich_project(tmp_path)
    _round_trip(tmp_path, p, "brat", ExportOptions(status="all"))
    fresh = Project.open(tmp_path / "fresh-brat")
    docs = {d.name: d for d in fresh.iter_documents()}
    assert {n: d.status for n, d in docs.items()} == {
        "example.txt": "done", "emoji.txt": "done", "todo.txt": "todo"}
    todo = docs["todo.txt"]
    assert [(s.label, s.source, s.state) for s in fresh.spans(todo.id)] == [
        ("GPE", "human", "accepted"), ("LOC", "model", "suggested")]
    rels = fresh.relations(docs["example.txt"].id)
    assert rels[0].attrs == {"negated": True, "modality": "hypothetical"}
    emoji = docs["emoji.txt"]
    assert [fresh.text(emoji.id)[s.start:s.end] for s in fresh.spans(emoji.id)] == [
        "Russia", "Cuba", "Maduro", "Lima", "Lima Group", "Lima"]
    fresh.close()


@pytest.mark.parametrize("fmt", ["jsonl", "doccano", "brat"])
def test_round_trip_of_a_layer_misaligned_and_multiline_spans(tmp_path: Path, fmt: str) -> None:
    p = Project.init(tmp_path / "p")
    text = "The Bolivarian\nRepublic of Venezuela and Colombia.\n\nCuba 🇨🇺 too."
    add_doc(p, "two lines", text, [(4, 36, "GPE"), (41, 45, "GPE"), (53, 57, "GPE")],
            [(0, 1, "HOSTILE_TO", {"negated": True})])
    add_doc(p, "misaligned.txt", "Venezuelan troops", [(0, 5, "GPE")])
    for fmt_opts in (ExportOptions(), ExportOptions(labels=["GPE"])):
        first, second = _round_trip(tmp_path / f"{fmt}-{fmt_opts.labels}", p, fmt, fmt_opts)
        assert first == second


@pytest.mark.parametrize("fmt, variant", VARIANTS)
@pytest.mark.parametrize("status", ["done", "all"])
def test_every_format_and_variant_round_trips(tmp_path: Path, fmt: str, variant: str | None,
                                              status: str) -> None:
    p = rich_project(tmp_path)
    add_nested(p)
    raw = "Venezuela\nand the Bolivarian\nRepublic.\n\nCafe\u0301 🇨🇺 Cuba"  # NFD, a flag
    text = normalize_text(raw)  # what the store keeps (NFC)
    add_doc(p, "edges.txt", text, [(0, 10, "GPE"), (19, 38, "GPE"), (text.index("Cuba"),
                                                                      len(text), "GPE")])
    first, second = _round_trip(tmp_path, p, fmt, ExportOptions(status=status, variant=variant))
    assert first == second


@pytest.mark.parametrize("fmt, variant", VARIANTS)
def test_auto_detection_reads_every_export_back(tmp_path: Path, fmt: str,
                                                variant: str | None) -> None:
    p = rich_project(tmp_path)
    add_doc(p, "empty.txt", "Nothing to see here.", [])  # a record without entities
    first, second = _round_trip(tmp_path, p, fmt, ExportOptions(status="all", variant=variant),
                                auto=True)
    assert first == second
