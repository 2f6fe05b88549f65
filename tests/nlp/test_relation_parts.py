"""Relation suggestion parts without a model: a hand-made parse, the lexicon file, memory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core.schema import load_schema
from annotator.nlp.relations import Ent, Relater
from annotator.nlp.relations.base import Candidate
from annotator.nlp.relations.lexicon import LexiconError, load_lexicon
from annotator.nlp.relations.memory import RelationMemory
from annotator.nlp.relations.parsed import Parsed, Tok

TEXT = "Russia backs Maduro. Maduro thanked Russia."


def _parsed() -> Parsed:
    rows = [  # i, text, lemma, pos, dep, head
        (0, "Russia", "russia", "PROPN", "nsubj", 1), (1, "backs", "back", "VERB", "ROOT", 1),
        (2, "Maduro", "maduro", "PROPN", "dobj", 1), (3, ".", ".", "PUNCT", "punct", 1),
        (4, "Maduro", "maduro", "PROPN", "nsubj", 5), (5, "thanked", "thank", "VERB", "ROOT", 5),
        (6, "Russia", "russia", "PROPN", "dobj", 5), (7, ".", ".", "PUNCT", "punct", 5)]
    toks, pos = [], 0
    for i, text, lemma, tag, dep, head in rows:
        start = TEXT.index(text, pos)
        pos = start + len(text)
        toks.append(Tok(i, start, pos, text.lower(), lemma, tag, "", dep, head))
    return Parsed(toks, [(0, 4), (4, 8)])


def _ents(*labels: str) -> list[Ent]:
    out, pos = [], 0
    for word, label in zip(("Russia", "Maduro", "Maduro", "Russia"), labels, strict=True):
        start = TEXT.index(word, pos)
        pos = start + len(word)
        out.append(Ent(start, pos, label))
    return out


def test_lexicon_verb_gives_a_typed_suggestion_with_its_why() -> None:
    (s,) = Relater(load_schema()).suggest(_parsed(), _ents("GPE", "PERSON", "PERSON", "GPE"),
                                         TEXT)
    assert (TEXT[s.head.start:s.head.end], s.label, TEXT[s.child.start:s.child.end]) == (
        "Russia", "SUPPORT", "Maduro")
    assert s.attrs == {"trigger": "back", "why": "verb 'back'"} and s.kind == "verb"


def test_schema_constraints_are_never_violated() -> None:
    # SUPPORT needs an actor head: a FAC cannot support anyone
    assert Relater(load_schema()).suggest(_parsed(), _ents("FAC", "PERSON", "PERSON", "GPE"),
                                          TEXT) == []


def test_memory_types_an_unknown_verb_and_rejections_stop_a_pattern() -> None:
    mem = RelationMemory()
    mem.learn("Maduro", "thank", "Russia", "SUPPORT", {"modality": "reported-claim"})
    mem.reject("Russia", "back", "Maduro", "SUPPORT")
    got = Relater(load_schema(), memory=mem).suggest(
        _parsed(), _ents("GPE", "PERSON", "PERSON", "GPE"), TEXT)
    assert [(s.label, s.source, s.attrs.get("modality")) for s in got] == [
        ("SUPPORT", "memory", "reported-claim")]
    assert got[0].attrs["why"].startswith("memory: 1 decision")


def test_trigger_rejected_for_two_pairs_stops_that_type() -> None:
    mem = RelationMemory()
    c = Candidate(Ent(0, 6, "GPE"), Ent(13, 19, "PERSON"), "SUPPORT", "rule", "back", "verb")
    mem.reject("Iran", "back", "Assad", "SUPPORT")
    assert mem.apply(c, "Russia", "Maduro") is c
    mem.reject("Iran", "back", "Assad", "SUPPORT")  # the same pair again counts once
    assert mem.apply(c, "Russia", "Maduro") is c
    mem.reject("Cuba", "back", "Ortega", "SUPPORT")
    assert mem.apply(c, "Russia", "Maduro") is None


def test_lexicon_file_errors_are_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "lexicon.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(LexiconError, match="cannot read relation lexicon"):
        load_lexicon(bad)
    bad.write_text(json.dumps({"verbs": {"SUPPORT": "back"}}), encoding="utf-8")
    with pytest.raises(LexiconError, match="must be a list"):
        load_lexicon(bad)


def test_shipped_lexicon_types_exist_in_the_default_schema() -> None:
    lex, schema = load_lexicon(), load_schema()
    names = {r.name for r in schema.relations}
    used = {*lex.verbs.values(), *lex.reverse.values(), *lex.nouns.values(),
            *lex.phrases.values()}
    assert used <= names, used - names
