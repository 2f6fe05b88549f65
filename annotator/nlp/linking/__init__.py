"""Entity linking: every entity span suggested an actor, with the reason (see ``linker``)."""

from __future__ import annotations

from annotator.nlp.linking.linker import Linker, LinkSummary, link_project, refresh_from_registry
from annotator.nlp.linking.registry import Entry, Registry, RegistryError, load_registry

__all__ = ["Entry", "LinkSummary", "Linker", "Registry", "RegistryError", "link_project",
           "load_registry", "refresh_from_registry"]
