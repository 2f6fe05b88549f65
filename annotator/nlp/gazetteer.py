"""The geopolitical gazetteer and project memory as a spaCy SpanRuler.

Countries come from pycountry (a pinned, maintained ISO 3166 source); capitals, cities,
demonyms, organisations, armed groups, military units, facilities, people and weapons
from the curated files in ``resources/gazetteer/``. Matching is case-sensitive on the
exact token text (ORTH), so "US" never matches the pronoun "us".

Each pattern's ``id`` records where it came from, read back by ``parse_pattern_id``:
``g`` gazetteer, ``a`` ambiguous gazetteer entry (also a common person name or word,
e.g. "Chad", "Jordan": kept only in a place-like context), ``m`` project memory; plus
``:ISO3`` when the entry belongs to a country (stored as the span's ``country``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from annotator.core.memory import best_labels
from annotator.core.paths import resource_path

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.pipeline import SpanRuler

    from annotator.core.store import Project

RULER_NAME = "geo_ruler"
SPANS_KEY = "geo_rules"
GAZETTEER = "g"
AMBIGUOUS = "a"
MEMORY = "m"
_PAREN = re.compile(r"\s*\(.*?\)")


@dataclass(frozen=True)
class Entry:
    """One phrase the ruler looks for."""

    text: str
    label: str
    kind: str = GAZETTEER
    country: str = ""  # ISO 3166 alpha-3, when the phrase names or belongs to a country

    @property
    def pattern_id(self) -> str:
        return f"{self.kind}:{self.country}" if self.country else self.kind


def parse_pattern_id(pattern_id: str) -> tuple[str, str]:
    """(kind, country alpha-3 or "") from a pattern id."""
    kind, _, country = pattern_id.partition(":")
    return kind or GAZETTEER, country


# ---- building entries ----------------------------------------------------------------------
@cache
def _curated(name: str) -> dict[str, Any]:
    return json.loads(resource_path("gazetteer", name).read_text(encoding="utf-8"))


def gazetteer_entries() -> list[Entry]:
    """Every gazetteer phrase (countries, places, demonyms, named actors); later wins per text."""
    ambiguous = set(_curated("entities.json").get("ambiguous", []))
    entries = [*_country_entries(), *_named_entries()]
    return [
        Entry(e.text, e.label, AMBIGUOUS, e.country) if e.text in ambiguous else e for e in entries
    ]


def _country_entries() -> Iterable[Entry]:
    import pycountry

    data = _curated("countries.json")
    for c in pycountry.countries:
        a2, a3 = c.alpha_2, c.alpha_3
        for name in _pycountry_names(c):
            yield Entry(name, "GPE", country=a3)
        for name in data["aliases"].get(a2, []):
            yield Entry(name, "GPE", country=a3)
        for name in data["capitals"].get(a2, []) + data["cities"].get(a2, []):
            yield Entry(name, "GPE", country=a3)
        for name in data["demonyms"].get(a2, []):
            yield Entry(name, "NORP", country=a3)
    for a2 in ("XK",):  # not (yet) in ISO 3166 but in the news
        for name in data["aliases"].get(a2, []) + data["capitals"].get(a2, []):
            yield Entry(name, "GPE", country="XKX")


def _pycountry_names(c: Any) -> list[str]:
    """ISO names made readable: "Venezuela, Bolivarian Republic of" -> "Bolivarian Republic of
    Venezuela"; parenthesised notes dropped; a leading "the"/"The" dropped."""
    out = []
    for raw in (c.name, getattr(c, "official_name", None), getattr(c, "common_name", None)):
        if not raw:
            continue
        name = _PAREN.sub("", raw).strip()
        if "," in name:
            head, _, tail = name.partition(",")
            if not tail.strip().endswith(("of", "of the")):
                continue
            name = f"{tail.strip()} {head.strip()}"
        for article in ("the ", "The "):
            name = name.removeprefix(article)
        out.append(name)
    return out


def _named_entries() -> Iterable[Entry]:
    for label, names in _curated("entities.json").items():
        if label.isupper() and isinstance(names, list):
            for name in names:
                yield Entry(name, label)


def memory_entries(project: Project) -> list[Entry]:
    """Project memory (``annotator.core.memory``): each text the gold spans decide, with its
    label as they decide it now; nothing when memory is off for the project."""
    return [Entry(text, label, MEMORY) for text, label in best_labels(project).items()]


def token_patterns(labels: Collection[str]) -> list[dict[str, Any]]:
    """Patterns for open classes: "<nationality> air force" (MIL_UNIT), "Tu-160s" (WEAPON)."""
    cfg = _curated("entities.json")
    patterns: list[dict[str, Any]] = []
    if "MIL_UNIT" in labels:
        rule = cfg["mil_unit_rule"]
        demonyms = [d for ds in _curated("countries.json")["demonyms"].values() for d in ds]
        prefix = {"ORTH": {"IN": sorted(set(demonyms) | set(rule["prefixes"]))}}
        for words in rule["services"]:
            service = [{"LOWER": w} for w in words]
            patterns.append({"label": "MIL_UNIT", "pattern": [prefix, *service], "id": GAZETTEER})
    if "WEAPON" in labels:
        patterns.append({"label": "WEAPON", "id": GAZETTEER,
                         "pattern": [{"TEXT": {"REGEX": cfg["weapon_regex"]}}]})
    return patterns


# ---- the ruler -----------------------------------------------------------------------------
def phrase_patterns(entries: Iterable[Entry], labels: Collection[str]) -> list[dict[str, Any]]:
    """One pattern per text: a later entry replaces an earlier one (memory after gazetteer,
    so a project's own decisions win). Labels the schema lacks are skipped."""
    by_text: dict[str, Entry] = {}
    for e in entries:
        text = e.text.strip()
        if text and e.label in labels:
            by_text[text] = e
    return [{"label": e.label, "pattern": t, "id": e.pattern_id} for t, e in by_text.items()]


def add_ruler(nlp: Language, *, labels: Collection[str], memory: Iterable[Entry] = ()) -> SpanRuler:
    """Append the gazetteer + memory ruler. It writes to ``doc.spans[SPANS_KEY]`` and leaves
    ``doc.ents`` to the model: rule and model suggestions are merged afterwards
    (``annotator.nlp.suggest``), where the source of each span is still known."""
    ruler = nlp.add_pipe(
        "span_ruler", name=RULER_NAME, last=True,
        config={"spans_key": SPANS_KEY, "annotate_ents": False, "overwrite": True,
                "phrase_matcher_attr": "ORTH", "validate": False},
    )
    entries = [*gazetteer_entries(), *memory]
    ruler.add_patterns([*phrase_patterns(entries, labels), *token_patterns(labels)])
    return ruler


def known_texts() -> frozenset[str]:
    """Every gazetteer phrase (used to tell acronyms from shouted headline words)."""
    return frozenset(e.text for e in gazetteer_entries())
