"""Line-based files decode and validate per line: one bad line costs that line, nothing else."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from annotator.core.store import Project
from annotator.io import decode
from annotator.io.importer import import_paths

GOOD = "Venezuela\u2019s army said Maduro will stay."


def _texts(p: Project) -> list[str]:
    return [p.text(r[0]) for r in p.conn.execute("SELECT id FROM documents ORDER BY id")]


def _reasons(report) -> list[str]:  # noqa: ANN001
    return [reason for _path, reason in report.skipped]


def test_one_bad_byte_costs_one_jsonl_line_not_the_file(project: Project, tmp_path: Path) -> None:
    f = tmp_path / "a.jsonl"
    lines = [json.dumps({"text": f"{GOOD} ({i})"}, ensure_ascii=False).encode() for i in range(5)]
    lines[2] = b'{"text": "caf\xe9 in Caracas"}'  # one latin-1 byte on line 3
    f.write_bytes(b"\n".join(lines) + b"\n")
    report = import_paths(project, [f])
    assert _texts(project) == [f"{GOOD} ({i})" for i in (0, 1, 3, 4)]  # no mojibake
    [reason] = _reasons(report)
    assert reason.startswith("line 3: not UTF-8")


def test_one_bad_byte_costs_one_csv_row(project: Project, tmp_path: Path) -> None:
    f = tmp_path / "a.csv"
    f.write_bytes(("id,text\n1," + GOOD + "\n").encode() + b"2,caf\xe9\n" + b"3,Cuba helps.\n")
    report = import_paths(project, [f])
    assert _texts(project) == [GOOD, "Cuba helps."]
    assert _reasons(report)[0].startswith("line 3: not UTF-8")


def test_a_wholly_legacy_file_says_which_codec(project: Project, tmp_path: Path) -> None:
    f = tmp_path / "old.jsonl"
    f.write_bytes("\n".join(json.dumps({"text": f"{GOOD} {i}"}, ensure_ascii=False)
                            for i in range(3)).encode("cp1252"))
    report = import_paths(project, [f])
    assert _texts(project) == [f"{GOOD} {i}" for i in range(3)]
    assert "read as cp1252" in report.summary()
    assert project.document(1).meta["encoding"] == "cp1252"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_read_not_refused_as_binary(codec: str) -> None:
    d = decode.decode_bytes(f"{GOOD}\nCaracas \u2014 Moscú.\n".encode(codec))
    assert d.text == f"{GOOD}\nCaracas \u2014 Moscú.\n" and d.encoding == codec


def test_utf16_jsonl_without_bom(project: Project, tmp_path: Path) -> None:
    f = tmp_path / "w.jsonl"
    f.write_bytes((json.dumps({"text": GOOD}, ensure_ascii=False) + "\n").encode("utf-16-le"))
    import_paths(project, [f])
    assert _texts(project) == [GOOD]


def test_nul_characters_are_never_stored(project: Project, tmp_path: Path) -> None:
    f = tmp_path / "n.jsonl"
    f.write_text(json.dumps({"text": "Russia\u0000 and Cuba"}) + "\n", encoding="utf-8")
    import_paths(project, [f])
    assert _texts(project) == ["Russia and Cuba"]
    doc = project.add_document("x.txt", "Peru\x00\x00 waits")
    assert project.text(doc) == "Peru waits"


def test_a_jsonl_over_the_file_limit_is_streamed_not_refused(
        project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(decode, "MAX_BYTES", 20_000)  # stands for 50 MiB
    f = tmp_path / "big.jsonl"
    with f.open("w", encoding="utf-8") as out:
        for i in range(2000):
            out.write(json.dumps({"text": f"Report {i}: troops landed in Caracas."}) + "\n")
    assert f.stat().st_size > 4 * decode.MAX_BYTES
    report = import_paths(project, [f], with_tokens=False)
    assert len(report.imported) == 2000 and not report.skipped


@pytest.mark.parametrize("bad, why", [
    ('{"text": "lone \\ud800 surrogate"}', "surrogate"),
    ('{"text": "deep", "meta": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested"),
    ('["not", "an", "object"]', "not a JSON object"),
    ('{"text": "deep ok", "meta": ' + "[" * 900 + "]" * 900 + "}", "nested"),
], ids=["surrogate", "past-recursion-limit", "not-object", "deep"])
def test_a_bad_record_costs_its_line_and_nothing_earlier(
        project: Project, tmp_path: Path, bad: str, why: str) -> None:
    f = tmp_path / "r.jsonl"
    good = [json.dumps({"text": f"Document {i} about Cuba."}) for i in range(4)]
    f.write_text("\n".join(good[:2] + [bad] + good[2:]) + "\n", encoding="utf-8")
    report = import_paths(project, [f])
    assert _texts(project) == [f"Document {i} about Cuba." for i in range(4)]
    [reason] = _reasons(report)
    assert reason.startswith("line 3:") and why in reason


def test_a_csv_with_an_unclosed_quote_reports_it_and_reads_on(
        project: Project, tmp_path: Path) -> None:
    f = tmp_path / "q.csv"
    f.write_text('id,text\n1,Cuba helps.\n2,"Peru waits\n3,Chile too.\n4,"Quoted, fine."\n',
                 encoding="utf-8")
    report = import_paths(project, [f])
    assert _texts(project) == ["Cuba helps.", "Chile too.", "Quoted, fine."]
    [reason] = _reasons(report)
    assert reason.startswith("line 3:") and "quote" in reason


def test_utf8_bom_jsonl_still_reads(project: Project, tmp_path: Path) -> None:
    f = tmp_path / "b.jsonl"
    f.write_bytes(codecs.BOM_UTF8 + json.dumps({"text": GOOD}).encode() + b"\n")
    import_paths(project, [f])
    assert _texts(project) == [GOOD]
