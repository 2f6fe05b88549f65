"""What an edit is: the ``Op`` protocol (apply -> change + inverse), its registry for the
edit log, and the ``Change`` record every view refreshes from.

Concrete operations live in ``ops`` (spans, relations, status), ``adjudicate`` and other
modules; each subclass with a ``name`` registers itself here so the log can be read back.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import TYPE_CHECKING, Any, ClassVar

from annotator.core.errors import EditError
from annotator.core.models import Relation, Span

if TYPE_CHECKING:
    from annotator.core.store import Project

_REGISTRY: dict[str, type[Op]] = {}


EVERY_DOCUMENT = -1  # in ``Change.documents``: bulk work whose documents were not listed


@dataclass
class Change:
    """What one edit changed, for views to refresh without re-reading everything."""

    doc_id: int | None = None
    spans_added: list[Span] = field(default_factory=list)
    spans_removed: list[Span] = field(default_factory=list)
    spans_updated: list[Span] = field(default_factory=list)
    relations_added: list[Relation] = field(default_factory=list)
    relations_removed: list[Relation] = field(default_factory=list)
    relations_updated: list[Relation] = field(default_factory=list)
    status: str | None = None  # new document status, if it changed
    documents: frozenset[int] = frozenset()  # bulk work: these documents changed wholesale

    def extend(self, other: Change) -> Change:
        self.doc_id = self.doc_id if self.doc_id is not None else other.doc_id
        for f in fields(self):
            if f.name.startswith(("spans_", "relations_")):
                getattr(self, f.name).extend(getattr(other, f.name))
        self.status = other.status or self.status
        self.documents = self.documents | other.documents
        return self

    @property
    def bulk(self) -> bool:
        """True when views must re-read (a run, an undo of one, an import)."""
        return bool(self.documents)


@dataclass
class EditResult:
    change: Change
    inverse: Op
    log_id: int | None = None


class Op:
    """Base class; subclasses are dataclasses registered by ``name``."""

    name: ClassVar[str] = ""

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        if cls.name:
            _REGISTRY[cls.name] = cls

    def apply(self, p: Project) -> tuple[Change, Op]:  # pragma: no cover - abstract
        raise NotImplementedError

    def to_dict(self) -> dict[str, Any]:
        return {"op": self.name, **asdict(self)}  # type: ignore[call-overload]

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Op:
        """The fields of ``to_dict`` without ``op``; an op holding ops overrides this."""
        return cls(**d)


def op_from_dict(d: dict[str, Any]) -> Op:
    """Rebuild an operation from its edit-log JSON."""
    d = dict(d)
    name = d.pop("op", "")
    cls = _REGISTRY.get(name)
    if cls is None:  # the name only: the row's JSON would fill the terminal
        raise EditError(f"unknown operation {name!r} in the edit log (a newer annotator's?)")
    return cls.from_dict(d)


