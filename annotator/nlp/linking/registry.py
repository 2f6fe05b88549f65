"""What the linker knows before it reads the corpus: countries and the actor registry.

Countries come from pycountry (ISO 3166 alpha-3 is the actor's country code) plus the
curated names, capitals and demonyms of ``resources/gazetteer/countries.json``; people,
organisations, armed forces and companies from ``resources/actors/registry.json``,
extended (same ids replaced) by a project's own ``actors.json``. Every name is indexed
folded (``annotator.core.actors.fold``), so accents, case and dots do not matter.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from annotator.core.actors import check_country, fold
from annotator.core.errors import AnnotatorError, EditError
from annotator.core.paths import resource_path

PROJECT_REGISTRY = "actors.json"
_PAREN = re.compile(r"\s*\(.*?\)")


class RegistryError(AnnotatorError):
    """A registry file cannot be read."""


@dataclass(frozen=True)
class Entry:
    """A known actor: a registry entry or a country (id ``country:ISO3``)."""

    id: str
    name: str
    label: str
    country: str = ""
    kb_id: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass
class Registry:
    entries: dict[str, Entry] = field(default_factory=dict)
    names: dict[str, list[Entry]] = field(default_factory=dict)  # folded name -> entries
    countries: dict[str, str] = field(default_factory=dict)  # folded country name -> ISO3
    demonyms: dict[str, str] = field(default_factory=dict)
    capitals: dict[str, str] = field(default_factory=dict)
    country_names: dict[str, str] = field(default_factory=dict)  # ISO3 -> display name
    country_qids: dict[str, str] = field(default_factory=dict)

    def add(self, e: Entry) -> None:
        old = self.entries.get(e.id)
        if old is not None:  # a project entry replaces the shipped one with the same id
            for n in {fold(x) for x in (old.name, *old.aliases)}:
                self.names[n] = [x for x in self.names.get(n, []) if x.id != e.id]
        self.entries[e.id] = e
        for n in {fold(x) for x in (e.name, *e.aliases)}:
            if n:
                self.names.setdefault(n, []).append(e)

    def country(self, iso3: str) -> Entry:
        return Entry(f"country:{iso3}", self.country_names.get(iso3, iso3), "GPE", iso3,
                     self.country_qids.get(iso3))

    def lookup(self, text: str, label: str) -> Entry | None:
        """A registry entry for the mention; PERSON entries only for PERSON spans."""
        person = label == "PERSON"
        for e in self.names.get(fold(text), []):
            if (e.label == "PERSON") == person:
                return e
        return None


def load_registry(project_dir: Path | None = None) -> Registry:
    """The shipped registry with countries, plus the project's ``actors.json`` if any."""
    reg = Registry()
    base = _shipped()
    reg.entries, reg.names = dict(base.entries), {k: list(v) for k, v in base.names.items()}
    reg.countries, reg.demonyms, reg.capitals = base.countries, base.demonyms, base.capitals
    reg.country_names, reg.country_qids = base.country_names, dict(base.country_qids)
    if project_dir is not None and (project_dir / PROJECT_REGISTRY).is_file():
        _extend(reg, _read(project_dir / PROJECT_REGISTRY))
    return reg


@cache
def _shipped() -> Registry:
    reg = Registry()
    _countries(reg)
    _extend(reg, _read(resource_path("actors", "registry.json")))
    return reg


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RegistryError(f"cannot read the actor registry {path}: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("actors", []), list):
        raise RegistryError(f"{path}: expected an object with an 'actors' list")
    data["_path"] = str(path)
    return data


def _extend(reg: Registry, data: dict[str, Any]) -> None:
    for iso3, qid in (data.get("countries") or {}).items():
        reg.country_qids[str(iso3).upper()] = str(qid)
    for n, raw in enumerate(data.get("actors") or [], 1):
        try:
            reg.add(_entry(raw))
        except (KeyError, TypeError, ValueError, EditError) as exc:
            raise RegistryError(f"{data['_path']}: actor {n} is not valid ({exc})") from None


def _entry(raw: dict[str, Any]) -> Entry:
    aliases = raw.get("aliases") or []
    if not isinstance(aliases, list):
        raise ValueError("aliases must be a list")
    return Entry(id=str(raw["id"]), name=str(raw["name"]).strip(), label=str(raw["label"]),
                 country=check_country(str(raw.get("country") or "")),
                 kb_id=(str(raw["kb_id"]).strip() or None) if raw.get("kb_id") else None,
                 aliases=tuple(str(a) for a in aliases))


def _countries(reg: Registry) -> None:
    import pycountry

    data = json.loads(resource_path("gazetteer", "countries.json").read_text(encoding="utf-8"))
    heads: dict[str, set[str]] = {}  # "Korea" from "Korea, Republic of": kept only if unique
    for c in pycountry.countries:
        a2, a3 = c.alpha_2, c.alpha_3
        aliases = data["aliases"].get(a2, [])
        names, head = _readable_names(c)
        if head:
            heads.setdefault(fold(head), set()).add(a3)
        reg.country_names[a3] = aliases[0] if aliases else (names[0] if names else head or c.name)
        for name in [*names, *aliases, a3]:
            reg.countries.setdefault(fold(name), a3)
        for name in data["demonyms"].get(a2, []):
            reg.demonyms.setdefault(fold(name), a3)
        for name in data["capitals"].get(a2, []):
            reg.capitals.setdefault(fold(name), a3)
    for name, codes in heads.items():
        if len(codes) == 1:
            reg.countries.setdefault(name, codes.pop())
    for a2, a3 in (("XK", "XKX"),):  # not (yet) in ISO 3166, but in the news
        aliases = data["aliases"].get(a2, [])
        if aliases:
            reg.country_names[a3] = aliases[0]
            for name in aliases:
                reg.countries.setdefault(fold(name), a3)


def _readable_names(c: Any) -> tuple[list[str], str]:
    """Names without commas, and the head of an inverted ISO name ("Venezuela" from
    "Venezuela, Bolivarian Republic of") when there is one."""
    out, head = [], ""
    for raw in (getattr(c, "common_name", None), c.name, getattr(c, "official_name", None)):
        if not raw:
            continue
        name = _PAREN.sub("", raw).strip()
        first, _, tail = name.partition(",")
        if tail:
            head = first.strip()
            out.append(f"{tail.strip()} {head}")
        else:
            out.append(name.removeprefix("the ").removeprefix("The "))
    return out, head
