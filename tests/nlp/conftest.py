"""Fixtures for the NLP tests: a blank English pipeline with the gazetteer (no model, fast)."""

from __future__ import annotations

import pytest

LABELS = (
    "GPE",
    "PERSON",
    "ORG",
    "NORP",
    "MIL_UNIT",
    "ARMED_GROUP",
    "LOC",
    "FAC",
    "WEAPON",
    "EVENT",
)
LABEL_MAP = {
    "GPE": "GPE",
    "PERSON": "PERSON",
    "ORG": "ORG",
    "NORP": "NORP",
    "LOC": "LOC",
    "FAC": "FAC",
    "EVENT": "EVENT",
    "LAW": "EVENT",
}


@pytest.fixture(scope="session")
def ruler_nlp():
    """spacy.blank("en") + the gazetteer ruler (built once: patterns take ~0.1 s)."""
    import spacy

    from annotator.nlp.gazetteer import add_ruler

    nlp = spacy.blank("en")
    add_ruler(nlp, labels=LABELS)
    return nlp
