"""The gazetteer ruler on a blank pipeline, merged as pre-annotation merges it."""

from __future__ import annotations

import pytest

from annotator.nlp.suggest import suggestions
from tests.nlp.conftest import LABEL_MAP, LABELS


def found(nlp, text: str) -> dict[str, str]:
    doc = nlp(text)
    return {
        text[s.start : s.end]: s.label for s in suggestions(doc, label_map=LABEL_MAP, labels=LABELS)
    }


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Venezuela", "GPE"),
        ("Bolivarian Republic of Venezuela", "GPE"),
        ("Russia", "GPE"),
        ("the United States", "GPE"),
        ("U.S.", "GPE"),
        ("US", "GPE"),
        ("Caracas", "GPE"),
        ("Moscow", "GPE"),
        ("Russian", "NORP"),
        ("Venezuelans", "NORP"),
        ("NATO", "ORG"),
        ("OPEC", "ORG"),
        ("the Lima Group", "ORG"),
        ("Rosneft", "ORG"),
        ("Reuters", "ORG"),
        ("Kremlin", "ORG"),
        ("Pentagon", "ORG"),
        ("Wagner Group", "ARMED_GROUP"),
        ("Russian air force", "MIL_UNIT"),
        ("U.S. Navy", "MIL_UNIT"),
        ("S-300", "WEAPON"),
        ("Tu-160s", "WEAPON"),
        ("Antonov-124", "WEAPON"),
        ("Latin America", "LOC"),
    ],
)
def test_gazetteer_knows(ruler_nlp, text: str, label: str) -> None:
    got = found(ruler_nlp, f"They mentioned {text} yesterday.")
    key = text.removeprefix("the ")
    assert got.get(key) == label, got


def test_country_spans_carry_their_iso_code(ruler_nlp) -> None:
    doc = ruler_nlp("Flights from Caracas to Moscow.")
    sugg = suggestions(doc, label_map=LABEL_MAP, labels=LABELS)
    assert [s.attrs.get("country") for s in sugg] == ["VEN", "RUS"]
    assert all(s.source == "rule" for s in sugg)


def test_pronoun_us_is_not_the_united_states(ruler_nlp) -> None:
    assert found(ruler_nlp, "Let us go. He told us so.") == {}
    assert found(ruler_nlp, "The US said so.") == {"US": "GPE"}


def test_shouted_headline_acronyms_are_dropped(ruler_nlp) -> None:
    assert "US" not in found(ruler_nlp, "TRUMP TELLS US TO WAIT")


@pytest.mark.parametrize(
    "text", ["Chad Smith said so.", "said Michael Jordan today.", "as Georgia Miller wrote."]
)
def test_country_names_used_as_person_names_are_not_places(ruler_nlp, text: str) -> None:
    assert not any(v == "GPE" for v in found(ruler_nlp, text).values())


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Troops left Chad on Monday.", "Chad"),
        ("In Jordan, the king spoke.", "Jordan"),
        ("Jordan's king spoke.", "Jordan"),
    ],
)
def test_ambiguous_country_names_in_place_context_are_places(
    ruler_nlp, text: str, name: str
) -> None:
    assert found(ruler_nlp, text).get(name) == "GPE"


def test_longer_rule_wins_over_a_part(ruler_nlp) -> None:
    got = found(ruler_nlp, "Two Russian air force planes and the Wagner Group.")
    assert got == {"Russian air force": "MIL_UNIT", "Wagner Group": "ARMED_GROUP"}


def test_labels_missing_from_the_schema_are_skipped() -> None:
    import spacy

    from annotator.nlp.gazetteer import add_ruler

    nlp = spacy.blank("en")
    add_ruler(nlp, labels=["GPE"])
    doc = nlp("Russian planes with S-300 and the Wagner Group flew to Caracas.")
    got = suggestions(doc, label_map={}, labels={"GPE"})
    assert [(doc.text[s.start : s.end], s.label) for s in got] == [("Caracas", "GPE")]


def test_memory_overrides_the_gazetteer_label() -> None:
    import spacy

    from annotator.nlp.gazetteer import MEMORY, Entry, add_ruler

    nlp = spacy.blank("en")
    add_ruler(
        nlp,
        labels=LABELS,
        memory=[Entry("Kremlin", "FAC", MEMORY), Entry("Padrino Lopez", "PERSON", MEMORY)],
    )
    doc = nlp("The Kremlin said Padrino Lopez agreed.")
    got = suggestions(doc, label_map=LABEL_MAP, labels=LABELS)
    assert [(doc.text[s.start : s.end], s.label, s.memory) for s in got] == [
        ("Kremlin", "FAC", True),
        ("Padrino Lopez", "PERSON", True),
    ]
