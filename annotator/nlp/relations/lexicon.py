"""The shipped, editable lexicon of relation triggers (resources/relations/lexicon.json)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from annotator.core.errors import AnnotatorError
from annotator.core.paths import resource_path


class LexiconError(AnnotatorError):
    """The relation lexicon file cannot be read."""


@dataclass(frozen=True)
class Lexicon:
    verbs: dict[str, str]  # "call on" / "recognize" -> type
    reverse: dict[str, str]  # subject is the child
    nouns: dict[str, str]
    phrases: dict[tuple[str, ...], str]
    phrase_attrs: dict[tuple[str, ...], dict[str, Any]]
    leader_titles: frozenset[str]
    role_titles: frozenset[str]
    location_preps: frozenset[str]
    cues: dict[str, frozenset[str]] = field(default_factory=dict)

    def cue(self, name: str) -> frozenset[str]:
        return self.cues.get(name, frozenset())


def _invert(groups: dict[str, list[str]], where: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for rtype, words in groups.items():
        if not isinstance(words, list):
            raise LexiconError(f"lexicon {where}.{rtype} must be a list of words")
        for w in words:
            out.setdefault(" ".join(str(w).lower().split()), rtype)
    return out


def parse_lexicon(raw: dict[str, Any]) -> Lexicon:
    try:
        phrases = {tuple(k.split()): v for k, v in _invert(raw.get("phrases", {}), "phrases").items()}
        titles = raw.get("titles", {})
        return Lexicon(
            verbs=_invert(raw.get("verbs", {}), "verbs"),
            reverse=_invert(raw.get("reverse_verbs", {}), "reverse_verbs"),
            nouns=_invert(raw.get("nouns", {}), "nouns"),
            phrases=phrases,
            phrase_attrs={tuple(k.lower().split()): dict(v)
                          for k, v in raw.get("phrase_attrs", {}).items()},
            leader_titles=frozenset(w.lower() for w in titles.get("leader", [])),
            role_titles=frozenset(w.lower() for w in titles.get("role", [])),
            location_preps=frozenset(raw.get("location_prepositions", ["in", "at"])),
            cues={k: frozenset(str(w).lower() for w in v) for k, v in raw.get("cues", {}).items()},
        )
    except (AttributeError, TypeError, ValueError) as exc:
        raise LexiconError(f"relation lexicon is malformed: {exc}") from None


def default_lexicon_path() -> Path:
    return resource_path("relations", "lexicon.json")


@lru_cache(maxsize=4)
def load_lexicon(path: Path | None = None) -> Lexicon:
    """The lexicon at ``path`` (default: the shipped one)."""
    f = path or default_lexicon_path()
    try:
        raw = json.loads(f.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise LexiconError(f"cannot read relation lexicon {f}: {exc}") from None
    if not isinstance(raw, dict):
        raise LexiconError(f"relation lexicon {f} must hold a JSON object")
    return parse_lexicon(raw)
