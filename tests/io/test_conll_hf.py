"""CoNLL and Hugging Face exports against their real consumers: seqeval in strict IOB2 mode,
``datasets.load_dataset(folder)`` offline, ``spacy convert -c ner``; and their import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_export_common import add_doc, rich_project

from annotator.core.store import Project
from annotator.io.export import ExportOptions, export_project
from annotator.io.formats import conll, hf
from annotator.io.importer import collect_files, import_paths

MULTILINE = "The Bolivarian\nRepublic of Venezuela. Cuba\nagreed.\n\nPeru too."


def _project(tmp: Path) -> Project:
    p = rich_project(tmp)
    add_doc(p, "lines.txt", MULTILINE, [(4, 36, "GPE"), (38, 49, "GPE"), (52, 56, "GPE")])
    return p


def _conll_sentences(path: Path) -> list[list[str]]:
    out: list[list[str]] = [[]]
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = line.split()
        if not cols:
            if out[-1]:
                out.append([])
        elif cols[0] != "-DOCSTART-":
            out[-1].append(cols[-1])
    return [s for s in out if s]


def _strict_entities(sents: list[list[str]]) -> int:
    from seqeval.metrics import classification_report
    from seqeval.scheme import IOB2, Entities

    entities = Entities(sents, IOB2).entities  # strict: an I- that starts nothing is no entity
    covered = sum(e.end - e.start for sent in entities for e in sent)
    assert covered == sum(t != "O" for s in sents for t in s), "a tag outside every entity"
    report = classification_report(sents, sents, mode="strict", scheme=IOB2, output_dict=True)
    assert report["micro avg"]["f1-score"] == 1.0
    return sum(len(s) for s in entities)


def test_conll_2003_layout_and_seqeval_strict(tmp_path: Path) -> None:
    p = _project(tmp_path)
    out = tmp_path / "o.conll"
    summary = export_project(p, "conll", out, ExportOptions())
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines.count("-DOCSTART- -X- -X- O") == 3
    assert all(len(x.split(" ")) == 4 for x in lines if x)  # token POS chunk NER
    sents = _conll_sentences(out)
    # the entity across a newline keeps its I- tags in one sentence
    assert ["O", "B-GPE", "I-GPE", "I-GPE", "I-GPE", "O"] in sents and ["B-GPE", "I-GPE", "O"] in sents
    assert all(not s[0].startswith("I-") for s in sents)
    assert _strict_entities(sents) == summary.spans - 2  # all but the two overlapping spans


def test_hf_tags_are_valid_iob2_too(tmp_path: Path) -> None:
    export_project(_project(tmp_path), "hf", tmp_path / "hf", ExportOptions())
    names = hf.card_names(tmp_path / "hf" / "README.md")
    assert names is not None
    recs = [json.loads(x) for x in (tmp_path / "hf" / "train.jsonl").read_text().splitlines()]
    _strict_entities([[names[t] for t in r["ner_tags"]] for r in recs])


def test_hf_folder_loads_with_datasets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "cache"))
    import datasets

    p = _project(tmp_path)
    folder = tmp_path / "hf"
    export_project(p, "hf", folder, ExportOptions(split=0.5, seed=1))
    assert sorted(f.name for f in folder.iterdir()) == ["README.md", "train.jsonl",
                                                        "validation.jsonl"]
    ds = datasets.load_dataset(str(folder), cache_dir=str(tmp_path / "cache"))
    assert set(ds) == {"train", "validation"}
    feature = ds["train"].features["ner_tags"].feature
    assert isinstance(feature, datasets.ClassLabel)
    assert feature.names[:3] == ["O", "B-GPE", "I-GPE"]
    assert feature.names == hf.card_names(folder / "README.md")
    rows = [r for split in ds.values() for r in split]
    assert sum(len(r["tokens"]) for r in rows) == sum(
        len(json.loads(x)["tokens"]) for f in ("train.jsonl", "validation.jsonl")
        for x in (folder / f).read_text().splitlines())


@pytest.mark.slow
def test_spacy_convert_reads_the_spacy_variant(tmp_path: Path) -> None:
    import spacy
    from spacy.tokens import DocBin

    p = _project(tmp_path)
    out = tmp_path / "o.conll"
    export_project(p, "conll", out, ExportOptions(variant="spacy"))
    done = subprocess.run([sys.executable, "-m", "spacy", "convert", str(out), str(tmp_path),
                           "-c", "ner"], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "NO_COLOR": "1"})
    assert done.returncode == 0, done.stderr
    docs = list(DocBin().from_disk(tmp_path / "o.spacy").get_docs(spacy.blank("xx").vocab))
    assert len(docs) == 3 and "-DOCSTART-" not in [t.text for d in docs for t in d]
    assert [e.text for e in docs[2].ents] == ["Bolivarian Republic of Venezuela", "Cuba agreed",
                                              "Peru"]


def test_conll_and_hf_import(tmp_path: Path) -> None:
    src = tmp_path / "in.conll"
    src.write_text("-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\n"
                   "German JJ B-NP B-NORP\ncall NN I-NP O\n\nPeter NNP B-NP I-PERSON\n"
                   "Blackburn NNP I-NP I-PERSON\nodd X X X-Y\n\n-DOCSTART- -X- -X- O\n\n"
                   "Cuba\tB-GPE\n", encoding="utf-8")
    items = list(conll.read(src))
    assert [i.text for i in items] == ["EU rejects German call\nPeter Blackburn odd", "Cuba"]
    first = items[0]
    assert [(first.text[s["start"]:s["end"]], s["label"]) for s in first.spans] == [
        ("EU", "ORG"), ("German", "NORP"), ("Peter Blackburn", "PERSON")]
    assert first.status == "done" and first.tokens is not None and len(first.tokens) == 7
    assert "read as the start of an entity (IOB1)" in first.notes[0]
    assert first.dropped == ["line 10: tag 'X-Y' is not IOB (O, B-X, I-X)"]
    p = Project.init(tmp_path / "p")
    report = import_paths(p, [src])  # .conll is recognised
    assert len(report.imported) == 2
    export_project(p, "hf", tmp_path / "hf", ExportOptions())
    again = Project.init(tmp_path / "again")
    report = import_paths(again, collect_files([tmp_path / "hf"]))  # README.md is the card
    assert len(report.imported) == 2 and not report.skipped
    doc = next(again.iter_documents())
    assert [(again.text(doc.id)[s.start:s.end], s.label) for s in again.spans(doc.id)] == [
        ("EU", "ORG"), ("German", "NORP"), ("Peter Blackburn", "PERSON")]
    assert again.tokens(doc.id) == first.tokens  # the file's tokens, not re-tokenized


def test_hf_integer_tags_need_the_card(tmp_path: Path) -> None:
    f = tmp_path / "d.jsonl"
    f.write_text('{"id": "a#0", "tokens": ["Cuba"], "ner_tags": [1]}\n', encoding="utf-8")
    report = import_paths(Project.init(tmp_path / "p"), [f])
    assert "integer ner_tags need their names" in report.skipped[0][1]
