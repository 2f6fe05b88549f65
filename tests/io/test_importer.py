"""Importing plain and annotated files into a project (annotator.io.importer)."""

from __future__ import annotations

import codecs
import datetime
import json
import sys
import types
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.core.errors import ImportFileError
from annotator.core.store import Project
from annotator.core.text import OffsetMap
from annotator.core.tokens import ensure_tokens, tokenize
from annotator.io import importer
from annotator.io.importer import ImportReport, collect_files, import_paths
from annotator.io.items import ImportItem, ItemError
from tests.io.samples import png_bytes

EXAMPLE = "Russia sent troops to Venezuela to support Nicolas Maduro."


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def run(project: Project, *files: Path, **kw: object) -> ImportReport:
    return import_paths(project, list(files), **kw)  # type: ignore[arg-type]


def only_doc(project: Project, report: ImportReport) -> tuple[str, dict]:
    assert len(report.imported) == 1, report
    doc = project.document(report.imported[0][1])
    assert doc.text is not None
    return doc.text, doc.meta


# ---- plain text and encodings ----------------------------------------------------------------
def test_utf8_txt_stored_with_tokens_name_and_source(project: Project, tmp_path: Path) -> None:
    f = write(tmp_path / "in" / "a.txt", EXAMPLE + "\n")
    report = run(project, f)
    assert report.imported == [(str(f), 1)]
    assert (report.skipped, report.duplicates) == ([], [])
    doc = project.document(1)
    assert doc.text == EXAMPLE + "\n"
    assert (doc.name, doc.source_path, doc.meta) == ("a.txt", str(f), {"encoding": "utf-8"})
    assert project.tokens(1) == tokenize(EXAMPLE + "\n")
    assert project.tokens(1)[:2] == [(0, 6), (7, 11)]


def test_utf8_bom(project: Project, tmp_path: Path) -> None:
    report = run(project, write(tmp_path / "bom.txt", codecs.BOM_UTF8 + EXAMPLE.encode()))
    text, meta = only_doc(project, report)
    assert text == EXAMPLE
    assert meta["encoding"] == "utf-8"


def test_cp1252(project: Project, tmp_path: Path) -> None:
    original = "The minister said \u201cnever\u201d \u2014 Jos\u00e9 said caf\u00e9 \u20ac5."
    report = run(project, write(tmp_path / "legacy.txt", original.encode("cp1252")))
    text, meta = only_doc(project, report)
    assert text == original
    assert meta["encoding"] == "cp1252"


def test_crlf_becomes_lf(project: Project, tmp_path: Path) -> None:
    report = run(project, write(tmp_path / "dos.txt", b"line one\r\nline two\r\n\r\nend\r"))
    text, _ = only_doc(project, report)
    assert text == "line one\nline two\n\nend\n"


def test_utf16_with_bom(project: Project, tmp_path: Path) -> None:
    data = codecs.BOM_UTF16_LE + "Moscú \u2014 Caracas\r\n".encode("utf-16-le")
    text, meta = only_doc(project, run(project, write(tmp_path / "w.txt", data)))
    assert text == "Moscú \u2014 Caracas\n"
    assert meta["encoding"] == "utf-16"


def test_nfc_normalisation(project: Project, tmp_path: Path) -> None:
    report = run(project, write(tmp_path / "nfd.txt", "Juan Guaido\u0301 spoke."))
    text, _ = only_doc(project, report)
    assert text == "Juan Guaid\u00f3 spoke."
    assert len(text) == 18  # one code point for "ó"


def test_markdown_is_text(project: Project, tmp_path: Path) -> None:
    text, _ = only_doc(project, run(project, write(tmp_path / "n.md", "# Title\n\n*x* < y")))
    assert text == "# Title\n\n*x* < y"


# ---- stray html in text ------------------------------------------------------------------
def test_txt_with_stray_html_tags(project: Project, tmp_path: Path) -> None:
    raw = ('Russia Is Sending Troops\nWritten by <a href="index.php?a=1&amp;task=x">'
           '<span class="small">Daria Litvinova, CBS News</span></a>   \n\nCaf&eacute; text.\n')
    text, meta = only_doc(project, run(project, write(tmp_path / "004.txt", raw)))
    assert text == (
        "Russia Is Sending Troops\nWritten by Daria Litvinova, CBS News   \n\nCafé text.\n"
    )
    assert meta["stripped_html"] is True


def test_prose_with_angle_brackets_is_untouched(project: Project, tmp_path: Path) -> None:
    raw = "If a < b and b > c, then a <3 c.\nTom & Jerry &amp; co <b> x\n"
    text, meta = only_doc(project, run(project, write(tmp_path / "prose.txt", raw)))
    assert text == raw
    assert "stripped_html" not in meta


# ---- html ----------------------------------------------------------------------------------
def test_html_visible_text(project: Project, tmp_path: Path) -> None:
    page = ("<html><head><title>Troops &amp; planes</title><style>.x{}</style>"
            "<script>alert('x')</script></head><body><nav>Home | World</nav>"
            "<p>Two  planes\n landed in <b>Caracas</b>.</p><p>Caf&eacute; &ldquo;Moscow&rdquo;</p>"
            "<pre>a  b\n  c</pre><footer>(c) site</footer></body></html>")
    text, meta = only_doc(project, run(project, write(tmp_path / "page.html", page)))
    assert text == "Two planes landed in Caracas.\n\nCafé \u201cMoscow\u201d\n\na  b\n  c"
    assert meta == {"encoding": "utf-8", "title": "Troops & planes"}


def test_html_meta_charset_is_honoured(project: Project, tmp_path: Path) -> None:
    page = '<html><head><meta charset="windows-1251"></head><body><p>Москва и Каракас</p>'
    report = run(project, write(tmp_path / "ru.htm", page.encode("cp1251")))
    text, meta = only_doc(project, report)
    assert text == "Москва и Каракас"
    assert meta["encoding"] == "cp1251"


def test_html_without_visible_text_is_skipped(project: Project, tmp_path: Path) -> None:
    f = write(tmp_path / "blank.html", "<html><script>x()</script><nav>menu</nav></html>")
    assert run(project, f).skipped == [(str(f), "no visible text in the page")]


# ---- jsonl / json --------------------------------------------------------------------------
def test_jsonl_broken_lines_reported_good_lines_imported(project: Project, tmp_path: Path) -> None:
    lines = [
        json.dumps({"text": "First article.", "id": "a1", "source": "AP", "tags": ["x"]}),
        '{"text": "broken',
        "",
        json.dumps([1, 2]),
        json.dumps({"body": "no text field"}),
        json.dumps({"text": "   "}),
        json.dumps({"text": 5}),
        json.dumps({"text": "Second\r\narticle.", "meta": {"url": "http://x"}}),
    ]
    f = write(tmp_path / "data.jsonl", "\n".join(lines) + "\n")
    report = run(project, f)
    assert report.skipped == [
        (str(f), "line 2: not valid JSON (Unterminated string starting at)"),
        (str(f), "line 4: not a JSON object (a list)"),
        (str(f), "line 5: no 'text' field (fields: body)"),
        (str(f), "line 6: empty 'text' field"),
        (str(f), "line 7: field 'text' is not text (a number)"),
    ]
    assert [k for k, _ in report.imported] == [f"{f}#1", f"{f}#8"]
    first = project.document(report.imported[0][1])
    assert (first.name, first.text) == ("a1", "First article.")
    assert first.meta == {"id": "a1", "source": "AP", "tags": ["x"]}
    second = project.document(report.imported[1][1])
    assert (second.name, second.text) == ("data.jsonl#8", "Second\narticle.")
    assert second.meta == {"meta": {"url": "http://x"}}


def test_jsonl_bad_json_reason_names_the_error(project: Project, tmp_path: Path) -> None:
    f = write(tmp_path / "d.jsonl", '{"text": "ok"}\nnot json\n{"text": "fine"}\n')
    report = run(project, f)
    assert report.skipped == [(str(f), "line 2: not valid JSON (Expecting value)")]
    assert len(report.imported) == 2


def test_jsonl_custom_text_field(project: Project, tmp_path: Path) -> None:
    f = write(tmp_path / "d.jsonl", json.dumps({"body": "Body text.", "text": "other"}) + "\n")
    text, meta = only_doc(project, run(project, f, text_field="body"))
    assert text == "Body text."
    assert meta == {"text": "other"}


def test_json_list(project: Project, tmp_path: Path) -> None:
    records = [{"text": "One."}, 3, {"text": "Two.", "name": "n2"}]
    f = write(tmp_path / "d.json", json.dumps(records))
    report = run(project, f)
    assert report.skipped == [(str(f), "item 2: not a JSON object (a number)")]
    names = [project.document(i).name for _, i in report.imported]
    assert names == ["d.json#1", "n2"]


def test_json_not_a_list(project: Project, tmp_path: Path) -> None:
    f = write(tmp_path / "d.json", '"just a string"')
    reason = "a .json file must hold a list of objects, not a string"
    assert run(project, f).skipped == [(str(f), reason)]


# ---- csv -----------------------------------------------------------------------------------
def test_csv_custom_column_and_meta(project: Project, tmp_path: Path) -> None:
    rows = ('id;headline;body\r\n7;Troops;"Russia sent troops;\r\nmany of them."\r\n'
            '8;Empty;\r\n9;Planes;Two planes landed.\r\n')
    f = write(tmp_path / "news.csv", rows)
    report = run(project, f, text_column="body")
    assert report.skipped == [(str(f), "line 4: empty 'body' column")]
    docs = [project.document(i) for _, i in report.imported]
    assert [d.text for d in docs] == ["Russia sent troops;\nmany of them.", "Two planes landed."]
    assert [d.name for d in docs] == ["7", "9"]
    assert docs[0].meta == {"id": "7", "headline": "Troops"}


def test_csv_missing_column_names_the_columns(project: Project, tmp_path: Path) -> None:
    # one column and not "text": nothing obvious to pick (several columns: see test_csv_column)
    f = write(tmp_path / "news.csv", "title\nA\n")
    report = run(project, f)
    assert report.skipped == [
        (str(f), "no 'text' column (columns: 'title'); use --text-column")
    ]
    assert report.imported == []


def test_tsv_and_large_fields(project: Project, tmp_path: Path) -> None:
    big = "word " * 60_000  # 300 KB: above csv's default 128 KB field limit
    f = write(tmp_path / "big.tsv", f"text\tsource\n{big}\tAP\n")
    text, meta = only_doc(project, run(project, f))
    assert text == big
    assert meta == {"source": "AP"}


# ---- refused files -------------------------------------------------------------------------
def test_png_renamed_txt_refused(project: Project, tmp_path: Path) -> None:
    f = write(tmp_path / "photo.txt", png_bytes())
    report = run(project, f)
    assert report.skipped == [(str(f), "binary file (PNG image)")]
    assert project.count_documents() == 0


def test_empty_and_whitespace_only_refused(project: Project, tmp_path: Path) -> None:
    empty = write(tmp_path / "empty.txt", b"")
    blank = write(tmp_path / "blank.txt", b"  \r\n\t \n")
    report = run(project, empty, blank)
    assert report.skipped == [
        (str(empty), "empty file"), (str(blank), "empty file (only whitespace)")
    ]


def test_missing_file_and_unsupported_type(project: Project, tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    odd = write(tmp_path / "slides.pptx", b"PK\x03\x04")
    report = run(project, missing, odd)
    assert report.skipped == [
        (str(missing), "no such file"),
        (str(odd), "unsupported file type '.pptx' (use --format txt to read it as text)"),
    ]


def test_explicit_format_overrides_the_suffix(project: Project, tmp_path: Path) -> None:
    f = write(tmp_path / "notes.log", "<p>para one</p><p>two</p>")
    text, _ = only_doc(project, run(project, f, fmt="html"))
    assert text == "para one\n\ntwo"


def test_unknown_format_is_an_error(project: Project) -> None:
    with pytest.raises(ImportFileError, match="unknown import format 'xml'"):
        run(project, fmt="xml")


# ---- directories and duplicates ----------------------------------------------------------
def test_directory_walked_recursively(project: Project, tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    write(root / "b.txt", "Bee.")
    write(root / "a.txt", "Ay.")
    write(root / "sub" / "deeper" / "c.txt", "Sea.")
    write(root / "sub" / "d.html", "<p>Dee.</p>")
    write(root / ".hidden.txt", "hidden")
    write(root / ".git" / "x.txt", "hidden dir")
    write(root / "pair.txt", "Brat text.")
    write(root / "pair.ann", "T1\tGPE 0 4\tBrat\n")
    write(root / "lonely.ann", "T1\tGPE 0 1\tx\n")
    write(root / "annotation.conf", "[entities]\nGPE\n")
    loose = write(tmp_path / "loose.txt", "Loose.")
    files = collect_files([root, loose, tmp_path / "missing.txt", root / "a.txt"])
    rel = [f.relative_to(tmp_path).as_posix() for f in files]
    assert rel == ["corpus/a.txt", "corpus/b.txt", "corpus/lonely.ann", "corpus/pair.txt",
                   "corpus/sub/d.html", "corpus/sub/deeper/c.txt", "loose.txt", "missing.txt"]


def test_duplicates_reported(project: Project, tmp_path: Path) -> None:
    a = write(tmp_path / "a.txt", "Same story.\n")
    b = write(tmp_path / "b.txt", "Same story.\r\n")  # the same once normalized
    c = write(tmp_path / "c.jsonl", '{"text": "Same story.\\n"}\n{"text": "New."}\n')
    report = run(project, a, b, c)
    reason = "same text as an existing document (a.txt, id 1)"
    assert report.duplicates == [(str(b), reason), (f"{c}#1", reason)]
    assert [k for k, _ in report.imported] == [str(a), f"{c}#2"]
    assert report.summary() == "imported 2 documents from 3 files; 2 duplicates"


def test_summary_and_log_event_once_per_run(project: Project, tmp_path: Path) -> None:
    files = [write(tmp_path / f"{i}.txt", f"Doc {i}.") for i in range(3)]
    files.append(write(tmp_path / "e.txt", b""))
    ticks: list[Path] = []
    report = run(project, *files, on_file=ticks.append)
    assert ticks == files
    assert report.summary() == "imported 3 documents from 4 files; 1 skipped"
    events = [h for h in project.history() if h["op"] == "import"]
    assert len(events) == 1
    assert json.loads(events[0]["forward"]) == {
        "format": "auto", "files": 4, "imported": 3, "duplicates": 0, "skipped": 1, "dropped": 0,
    }


def test_summary_singulars() -> None:
    r = ImportReport(imported=[("a", 1)], duplicates=[("b", "x")], dropped=[("c", "y")], files=1)
    assert r.summary() == "imported 1 document from 1 file; 1 duplicate, 1 annotation dropped"


# ---- annotated formats (readers faked: their modules belong to another part) -------------------
def fake_format(monkeypatch: pytest.MonkeyPatch, kind: str, read: object) -> list[Path]:
    """Install ``annotator.io.formats.<kind>`` with ``read``; returns the paths it was given."""
    calls: list[Path] = []

    def wrapped(path: Path) -> object:
        calls.append(path)
        return read(path)  # type: ignore[operator]

    module = types.ModuleType(f"annotator.io.formats.{kind}")
    module.read = wrapped  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, f"annotator.io.formats.{kind}", module)
    return calls


def example_item(text: str = EXAMPLE, **kw: object) -> ImportItem:
    spans = [
        {"start": 0, "end": 6, "label": "GPE", "text": "Russia"},
        {"start": 22, "end": 31, "label": "GPE"},
        {"start": 43, "end": 57, "label": "PERSON", "source": "model", "state": "suggested"},
    ]
    relations = [{"head": 0, "child": 1, "label": "AID", "attrs": {"negated": False}}]
    return ImportItem(name="ex", text=text, spans=spans, relations=relations, **kw)  # type: ignore[arg-type]


def test_prodigy_jsonl_dispatched_and_stored(project: Project, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    f = write(tmp_path / "gold.jsonl", json.dumps({"text": EXAMPLE, "spans": []}) + "\n")
    calls = fake_format(monkeypatch, "prodigy", lambda p: iter([example_item(status="done")]))
    report = run(project, f)
    assert calls == [f]
    assert (report.skipped, report.dropped) == ([], [])
    doc_id = report.imported[0][1]
    assert project.document(doc_id).status == "done"
    spans = project.spans(doc_id)
    assert [(s.start, s.end, s.label, s.source, s.state) for s in spans] == [
        (0, 6, "GPE", "human", "accepted"), (22, 31, "GPE", "human", "accepted"),
        (43, 57, "PERSON", "model", "suggested"),
    ]
    rels = project.relations(doc_id)
    assert [(r.head_id, r.child_id, r.label, r.attrs) for r in rels] == [
        (spans[0].id, spans[1].id, "AID", {"negated": False})
    ]


def test_annotated_offsets_remapped_after_normalisation(project: Project, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    text = "\ufeffJuan Guaido\u0301\r\nmet Russia\r\n"
    item = ImportItem(name="n", text=text, spans=[
        {"start": 1, "end": 13, "label": "PERSON", "text": "Juan Guaido\u0301"},
        {"start": 19, "end": 25, "label": "GPE"},
        {"start": 1, "end": 12, "label": "PERSON"},  # ends between "o" and its accent
        {"start": 1, "end": 14, "label": "PERSON"},  # ends between CR and LF
        {"start": 19, "end": 40, "label": "GPE"},  # past the end
        {"start": 15, "end": 18, "label": "NOPE"},
        {"start": 15, "end": 18, "label": "GPE", "text": "xyz"},
    ], relations=[
        {"head": 1, "child": 0, "label": "LEADER_OF"},  # GPE cannot lead
        {"head": 0, "child": 2, "label": "MEMBER_OF"},  # child was dropped
        {"head": 0, "child": 0, "label": "MEMBER_OF"},
    ])
    fake_format(monkeypatch, "doccano", lambda p: iter([item]))
    f = write(tmp_path / "x.jsonl", "{}\n")
    report = run(project, f, fmt="doccano")
    doc_id = report.imported[0][1]
    stored = project.text(doc_id)
    assert stored == "Juan Guaidó\nmet Russia\n"
    spans = project.spans(doc_id)
    assert [(stored[s.start:s.end], s.label) for s in spans] == [
        ("Juan Guaidó", "PERSON"), ("Russia", "GPE")
    ]
    assert project.relations(doc_id) == []
    reasons = [r for _, r in report.dropped]
    assert len(reasons) == 8
    inside = "its edges fall inside characters changed by text normalization"
    assert reasons[:2] == [f"span 1-12 PERSON: {inside}", f"span 1-14 PERSON: {inside}"]
    assert reasons[2] == "span 19-40 GPE: outside the text (length 27)"
    assert reasons[3] == "span 15-18 NOPE: unknown label 'NOPE'"
    assert reasons[4].startswith("span 15-18 GPE: its text 'xyz' does not match")
    assert reasons[5].startswith("relation LEADER_OF 1->0: LEADER_OF does not allow GPE -> PERSON")
    assert reasons[6] == "relation MEMBER_OF 0->2: span #2 does not exist or was not stored"
    assert reasons[7] == "relation MEMBER_OF 0->0: head and child are the same span"
    assert {k for k, _ in report.dropped} == {f"{f}#1"}


@pytest.mark.parametrize("original, spans, expected", [
    ("a\r\nb", [(0, 1), (3, 4), (0, 4), (1, 2), (2, 3)], [(0, 1), (2, 3), (0, 3), None, None]),
    ("\ufeff\ufeffab", [(2, 3), (0, 4)], [(0, 1), (0, 2)]),
    ("e\u0301e\u0301 x\u2029y", [(0, 2), (2, 4), (0, 1), (5, 6), (7, 8), (1, 3)],
     [(0, 1), (1, 2), None, (3, 4), (6, 7), None]),
    ("plain", [(1, 3)], [(1, 3)]),
])
def test_offset_map(original: str, spans: list[tuple[int, int]],
                    expected: list[tuple[int, int] | None]) -> None:
    from annotator.core.text import normalize_text

    normalized = normalize_text(original)
    m = OffsetMap(original, normalized)
    got = [m.span(s, e) for s, e in spans]
    assert got == expected
    for (s, e), new in zip(spans, got, strict=True):
        if new is not None:  # a mapped span covers the normalized form of the same text
            assert normalized[new[0]:new[1]] == normalize_text(original[s:e]).lstrip("\ufeff")


def test_offset_map_slow_path_when_units_disagree(monkeypatch: pytest.MonkeyPatch) -> None:
    from annotator.core import text as core_text

    monkeypatch.setattr(core_text, "_unit_edges", lambda o, n: None)
    m = OffsetMap("x\r\ne\u0301!", "x\né!")
    assert [m.span(0, 1), m.span(3, 5), m.span(3, 4), m.span(1, 2)] == [(0, 1), (2, 3), None, None]


def test_brat_pair_dispatched(project: Project, tmp_path: Path,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    txt = write(tmp_path / "doc.txt", EXAMPLE)
    ann = write(tmp_path / "doc.ann", "T1\tGPE 0 6\tRussia\n")
    calls = fake_format(monkeypatch, "brat", lambda p: iter([example_item(text=p.read_text())]))
    report = run(project, txt, ann)  # the .ann given too: imported once, with its .txt
    assert calls == [txt]
    assert len(report.imported) == 1 and report.skipped == []
    assert len(project.spans(report.imported[0][1])) == 3


def test_brat_ann_alone_uses_its_txt(project: Project, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    txt = write(tmp_path / "doc.txt", EXAMPLE)
    ann = write(tmp_path / "doc.ann", "")
    lonely = write(tmp_path / "other.ann", "")
    calls = fake_format(monkeypatch, "brat", lambda p: iter([example_item()]))
    report = run(project, ann, lonely)
    assert calls == [txt]
    assert report.skipped == [(str(lonely), "brat annotation file without its .txt")]


def test_doccano_sniffed(project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rec = {"text": EXAMPLE, "entities": [{"id": 0, "label": "GPE", "start_offset": 0,
                                          "end_offset": 6}], "relations": []}
    older = {"text": "Other.", "label": [[0, 5, "GPE"]]}
    a = write(tmp_path / "a.jsonl", json.dumps(rec) + "\n")
    b = write(tmp_path / "b.jsonl", "not json\n" + json.dumps(older) + "\n")
    calls = fake_format(monkeypatch, "doccano", lambda p: iter([]))
    run(project, a, b)
    assert calls == [a, b]


def test_plain_jsonl_with_explicit_format_ignores_annotations(
        project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = write(tmp_path / "a.jsonl", json.dumps({"text": "T.", "spans": [{"x": 1}]}) + "\n")
    calls = fake_format(monkeypatch, "prodigy", lambda p: iter([]))
    text, meta = only_doc(project, run(project, f, fmt="jsonl"))
    assert calls == [] and meta == {"spans": [{"x": 1}]}


def test_missing_format_module_is_reported(project: Project, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "annotator.io.formats.brat", None)
    f = write(tmp_path / "doc.txt", EXAMPLE)
    write(tmp_path / "doc.ann", "")
    other = write(tmp_path / "ok.txt", "Fine.")
    report = run(project, f, other)
    assert report.skipped == [
        (str(f), "brat import is not available (no module annotator.io.formats.brat)")
    ]
    assert [k for k, _ in report.imported] == [str(other)]


def test_bad_file_rolls_back_and_batch_goes_on(project: Project, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    def read(path: Path) -> Iterator[ImportItem | ItemError]:
        yield ImportItem(name="first", text="Stored only if the file completes.")
        yield ItemError("line 2", "broken")
        raise RuntimeError("reader bug")

    fake_format(monkeypatch, "prodigy", read)
    bad = write(tmp_path / "bad.jsonl", json.dumps({"text": "x", "spans": []}) + "\n")
    good = write(tmp_path / "good.txt", "Good file.")
    report = run(project, bad, good)
    assert report.skipped == [
        (str(bad), "line 2: broken"),
        (str(bad), "unexpected error (RuntimeError: reader bug)"),
    ]
    assert [k for k, _ in report.imported] == [str(good)]
    assert [d.text for d in project.iter_documents()] == ["Good file."]


def test_big_file_commits_in_batches(project: Project, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importer, "BATCH", 3)

    def read(path: Path) -> Iterator[ImportItem]:
        for i in range(7):
            yield ImportItem(name=f"d{i}", text=f"Document number {i}.")
        raise ImportFileError("truncated file")

    fake_format(monkeypatch, "prodigy", read)
    f = write(tmp_path / "big.jsonl", "{}\n")
    report = import_paths(project, [f], fmt="prodigy")
    # Two full batches were committed; the third (document 6) went with the failure.
    assert [project.document(i).name for _, i in report.imported] == [f"d{i}" for i in range(6)]
    assert project.count_documents() == 6
    assert report.skipped == [(str(f), "truncated file")]


def test_unserializable_meta_and_bad_status(project: Project, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    when = datetime.date(2019, 4, 5)
    item = ImportItem(name="m", text="Meta test.", meta={"date": when}, status="finished")
    fake_format(monkeypatch, "prodigy", lambda p: iter([item]))
    report = import_paths(project, [write(tmp_path / "m.jsonl", "{}\n")], fmt="prodigy")
    doc = project.document(report.imported[0][1])
    assert (doc.meta, doc.status) == ({"date": "2019-04-05"}, "todo")
    assert report.dropped == [(f"{tmp_path / 'm.jsonl'}#1",
                               "unknown status 'finished'; stored as todo")]


# ---- the sample project ------------------------------------------------------------------
def test_open_project_seeds_the_sample_once(sample_copy: Path) -> None:
    from annotator.io.projects import open_project

    p = open_project(sample_copy)
    try:
        docs = list(p.iter_documents())
        assert [d.name for d in docs] == sorted(f.name for f in sample_copy.glob("*.txt"))
        # text only at seeding (no spaCy before the window shows); tokens on first use
        assert all(p.tokens(d.id) is None for d in docs)
        assert all(ensure_tokens(p, d.id) == tokenize(d.text or "") == p.tokens(d.id) for d in docs)
        seed4 = next(d for d in docs if d.name.startswith("004_"))
        assert seed4.meta == {"encoding": "utf-8", "stripped_html": True}
        assert "Written by Daria Litvinova, CBS News" in (seed4.text or "")
        assert "<a " not in (seed4.text or "") and "<span" not in (seed4.text or "")
        assert all("stripped_html" not in d.meta for d in docs if d is not seed4)
    finally:
        p.close()
    again = open_project(sample_copy)
    try:
        assert again.count_documents() == 5
        assert len([h for h in again.history() if h["op"] == "import"]) == 1
    finally:
        again.close()
