"""Each exporter on the running example of formats.md, and what each one reports leaving out."""

from __future__ import annotations

import json
from pathlib import Path

from test_export_common import EXAMPLE, add_doc, example_project, rich_project

from annotator.core import ops
from annotator.core.store import Project
from annotator.io.export import ExportOptions, export_project
from annotator.io.formats import brat, hf, spacy_docbin

TAGS = ["B-GPE", "O", "O", "O", "B-GPE", "O", "O", "B-PERSON", "I-PERSON", "O"]
WORDS = ["Russia", "sent", "troops", "to", "Venezuela", "to", "support", "Nicolas", "Maduro", "."]


def test_conll_tags_and_docstart(tmp_path: Path) -> None:
    p = example_project(tmp_path)
    add_doc(p, "two.txt", "Cuba helps. Peru waits!\nChile too.", [(0, 4, "GPE"), (12, 16, "GPE")])
    s = export_project(p, "conll", tmp_path / "o.conll", ExportOptions(variant="tsv"))
    text = (tmp_path / "o.conll").read_text(encoding="utf-8")
    first = "\n".join(f"{w}\t{t}" for w, t in zip(WORDS, TAGS, strict=True))
    assert text == (f"-DOCSTART-\tO\n\n{first}\n\n-DOCSTART-\tO\n\n"
                    "Cuba\tB-GPE\nhelps\tO\n.\tO\n\nPeru\tB-GPE\nwaits\tO\n!\tO\n\n"
                    "Chile\tO\ntoo\tO\n.\tO\n\n")
    assert "2 relations left out (conll cannot hold relations)" in s.text()
    export_project(p, "conll", tmp_path / "c.conll", ExportOptions())  # CoNLL-2003 columns
    lines = (tmp_path / "c.conll").read_text(encoding="utf-8").splitlines()
    assert lines[:3] == ["-DOCSTART- -X- -X- O", "", "Russia -X- -X- B-GPE"]


def test_hf_records_and_labels_json(tmp_path: Path) -> None:
    p = example_project(tmp_path)
    s = export_project(p, "hf", tmp_path / "hf" / "train.jsonl", ExportOptions())
    [rec] = [json.loads(x) for x in (tmp_path / "hf" / "train.jsonl").read_text().splitlines()]
    labels = hf.card_names(tmp_path / "hf" / "README.md")
    assert labels is not None and labels[:5] == ["O", "B-GPE", "I-GPE", "B-PERSON", "I-PERSON"]
    assert rec == {"id": "example.txt#0", "tokens": WORDS,
                   "ner_tags": [labels.index(t) for t in TAGS]}
    assert len(labels) == 1 + 2 * len(p.schema.labels)
    assert "relations left out (hf cannot hold relations)" in s.text()


def test_overlaps_reported_for_conll_hf_and_doc_ents(tmp_path: Path) -> None:
    p = rich_project(tmp_path)
    for fmt, where in (("conll", "conll"), ("hf", "hf"), ("spacy", "doc.ents")):
        s = export_project(p, fmt, tmp_path / f"o.{fmt}", ExportOptions())
        assert f"2 overlapping spans left out of {where}" in s.text(), s.text()


def test_snapped_spans_are_counted_and_tags_cover_whole_tokens(tmp_path: Path) -> None:
    p = Project.init(tmp_path / "p")
    add_doc(p, "x.txt", EXAMPLE, [(22, 27, "GPE")])  # "Venez" inside "Venezuela"
    s = export_project(p, "conll", tmp_path / "o.conll", ExportOptions())
    assert "Venezuela -X- -X- B-GPE" in (tmp_path / "o.conll").read_text(encoding="utf-8")
    assert "1 spans not on token boundaries snapped to whole tokens" in s.text()


def test_doccano_ids_and_relations(tmp_path: Path) -> None:
    p = example_project(tmp_path)
    export_project(p, "doccano", tmp_path / "d.jsonl", ExportOptions())
    assert (tmp_path / "d.jsonl").read_bytes().startswith(b"\xef\xbb\xbf{")  # BOM: auto-detect
    rec = json.loads((tmp_path / "d.jsonl").read_text(encoding="utf-8-sig"))
    assert [(e["id"], e["label"], e["start_offset"], e["end_offset"]) for e in rec["entities"]] == [
        (0, "GPE", 0, 6), (1, "GPE", 22, 31), (2, "PERSON", 43, 57)]
    assert rec["relations"] == [{"id": 0, "from_id": 0, "to_id": 1, "type": "AID"},
                                {"id": 1, "from_id": 0, "to_id": 2, "type": "SUPPORT"}]
    assert all(EXAMPLE[e["start_offset"]:e["end_offset"]] for e in rec["entities"])


def test_brat_lines(tmp_path: Path) -> None:
    p = Project.init(tmp_path / "p")
    add_doc(p, "example.txt", EXAMPLE, [(0, 6, "GPE"), (22, 31, "GPE"), (43, 57, "PERSON")],
            [(0, 1, "AID", {"negated": True}), (0, 1, "ALLIED_WITH", {})])
    p.apply(ops.set_span_attrs(1, {"note": "check"}))
    export_project(p, "brat", tmp_path / "b", ExportOptions())
    assert (tmp_path / "b" / "example.txt").read_bytes() == EXAMPLE.encode("utf-8")
    lines = (tmp_path / "b" / "example.ann").read_text(encoding="utf-8").splitlines()
    assert lines[:5] == ["T1\tGPE 0 6\tRussia", "T2\tGPE 22 31\tVenezuela",
                         "T3\tPERSON 43 57\tNicolas Maduro", "R1\tAID Arg1:T1 Arg2:T2",
                         "R2\tALLIED_WITH Arg1:T1 Arg2:T2"]  # symmetric: written once
    assert "A1\tNegated R1" in lines  # no Source/State lines for human/accepted spans
    assert not any("\tSource " in x or "\tState " in x for x in lines)
    assert lines[-1] == "#1\tAnnotatorNotes T1\tcheck"
    for line in lines:
        if line.startswith("T"):
            _, mid, text = line.split("\t")
            s, e = map(int, mid.split()[1:])
            assert EXAMPLE[s:e] == text


def test_brat_multiline_span_becomes_fragments(tmp_path: Path) -> None:
    text = "The Bolivarian\nRepublic of Venezuela."
    assert brat.fragments(text, 4, 36) == [(4, 14), (15, 36)]
    p = Project.init(tmp_path / "p")
    add_doc(p, "m.txt", text, [(4, 36, "GPE")])
    export_project(p, "brat", tmp_path / "b", ExportOptions())
    first = (tmp_path / "b" / "m.ann").read_text(encoding="utf-8").splitlines()[0]
    assert first == "T1\tGPE 4 14;15 36\tBolivarian Republic of Venezuela"


def test_spacy_docbin_ents_spans_and_relations(tmp_path: Path) -> None:
    import spacy
    from spacy.tokens import DocBin

    p = rich_project(tmp_path)
    export_project(p, "spacy", tmp_path / "o.spacy", ExportOptions())
    spacy_docbin.ensure_rel_extension()
    docs = list(DocBin().from_disk(tmp_path / "o.spacy").get_docs(spacy.blank("en").vocab))
    ex, emoji = docs
    assert ex.text == EXAMPLE
    assert [(e.text, e.label_) for e in ex.ents] == [
        ("Russia", "GPE"), ("Venezuela", "GPE"), ("Nicolas Maduro", "PERSON")]
    assert [s.text for s in ex.spans["sc"]] == ["Russia", "Venezuela", "Nicolas Maduro", "Maduro"]
    assert ex._.rel == {(0, 7): {"SUPPORT": 1.0}}  # AID is negated: never a positive label
    assert emoji.text.startswith("😀 🇻🇪 Russia")
    russia, cuba = (t.i for t in emoji if t.text in ("Russia", "Cuba"))
    assert emoji._.rel[(russia, cuba)] == emoji._.rel[(cuba, russia)] == {"ALLIED_WITH": 1.0}


def test_spacy_words_rebuild_the_text_like_spacy(tmp_path: Path) -> None:
    from annotator.core.tokens import tokenize, tokenizer_nlp

    for text in ["  Lead  spaces\n\nand\ttabs \n end ", "😀 🇻🇪 x", "", "a"]:
        words, spaces, _ = spacy_docbin.words_and_spaces(text, tokenize(text))
        ref = tokenizer_nlp().tokenizer(text)
        assert words == [t.text for t in ref] and spaces == [bool(t.whitespace_) for t in ref]


def test_spacy_large_export_is_a_folder_of_parts(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(spacy_docbin, "CHUNK", 2)
    p = rich_project(tmp_path)
    s = export_project(p, "spacy", tmp_path / "big.spacy", ExportOptions(status="all"))
    parts = sorted(f.name for f in (tmp_path / "big.spacy").iterdir())
    assert parts == ["part-00000.spacy", "part-00001.spacy"] and s.documents == 3
