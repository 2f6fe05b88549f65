"""Merging model entities with rule matches (model entities set by hand on a blank doc)."""

from __future__ import annotations

from spacy.tokens import Span

from annotator.nlp.gazetteer import RULER_NAME
from annotator.nlp.suggest import suggestions
from tests.nlp.conftest import LABEL_MAP, LABELS


def merged(nlp, text: str, ents: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    doc = nlp.make_doc(text)
    spans = []
    for phrase, label in ents:
        start = text.index(phrase)
        spans.append(doc.char_span(start, start + len(phrase), label=label))
    doc.ents = spans
    doc = nlp.get_pipe(RULER_NAME)(doc)
    return [
        (text[s.start : s.end], s.label, s.source)
        for s in suggestions(doc, label_map=LABEL_MAP, labels=LABELS)
    ]


def test_rule_wins_on_equal_span_with_a_more_specific_label(ruler_nlp) -> None:
    got = merged(ruler_nlp, "The Wagner Group came.", [("Wagner Group", "ORG")])
    assert got == [("Wagner Group", "ARMED_GROUP", "rule")]


def test_leading_the_does_not_make_a_model_span_longer(ruler_nlp) -> None:
    got = merged(
        ruler_nlp,
        "Units of the Russian Ground Forces came.",
        [("the Russian Ground Forces", "ORG")],
    )
    assert got == [("Russian Ground Forces", "MIL_UNIT", "rule")]


def test_longer_model_name_wins_over_a_gazetteer_part(ruler_nlp) -> None:
    got = merged(
        ruler_nlp,
        "He works at the Carnegie Moscow Center now.",
        [("the Carnegie Moscow Center", "ORG")],
    )
    assert got == [("the Carnegie Moscow Center", "ORG", "model")]


def test_unmapped_model_labels_are_dropped_and_hide_nothing(ruler_nlp) -> None:
    got = merged(
        ruler_nlp,
        "An Antonov-124 landed on Saturday.",
        [("Antonov-124", "PRODUCT"), ("Saturday", "DATE")],
    )
    assert got == [("Antonov-124", "WEAPON", "rule")]


def test_model_person_beats_an_ambiguous_place(ruler_nlp) -> None:
    got = merged(ruler_nlp, "Then Jordan spoke.", [("Jordan", "PERSON")])
    assert got == [("Jordan", "PERSON", "model")]


def test_model_only_entities_pass_through(ruler_nlp) -> None:
    got = merged(
        ruler_nlp,
        "Sergei Lavrov met Mike Pompeo.",
        [("Sergei Lavrov", "PERSON"), ("Mike Pompeo", "PERSON")],
    )
    assert [g[0] for g in got] == ["Sergei Lavrov", "Mike Pompeo"]
    assert all(g[1] == "PERSON" for g in got)


def test_suggestions_never_overlap(ruler_nlp) -> None:
    text = "U.S. President Donald Trump and the Russian air force in Caracas."
    doc = ruler_nlp(text)
    got = suggestions(doc, label_map=LABEL_MAP, labels=LABELS)
    for a, b in zip(got, got[1:], strict=False):
        assert a.end <= b.start
    assert isinstance(doc.spans["geo_rules"][0], Span)
