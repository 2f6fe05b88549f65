"""Reading a brat ``.ann`` file: two passes, so order of lines never matters.

Pass one reads the text-bound annotations (T), pass two relations (R), pass three what
points at either: attributes (A, M), normalizations (N, into the span's ``kb_id``) and
notes (#: ``AnnotatorNotes`` into ``note``, another note type ``X`` into ``note_X``).
An equivalence (``*\tEquiv T1 T2 T3``) becomes a chain of relations of its type (T1-T2,
T2-T3; a symmetric type in the schema holds it both ways), noted. What the project cannot
hold is named, never silently merged: events (E) are reported, and so is a discontinuous
span whose fragments are separated by more than whitespace (fragments split only at
whitespace, as our export writes a span across a newline, are joined into one span).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

WIKIDATA = re.compile(r"Q\d+")
KB_RID = "kb"  # brat's resource id for a kb_id that names no resource of its own


@dataclass
class Ann:
    spans: list[dict[str, Any]] = field(default_factory=list)
    relations: list[dict[str, Any]] = field(default_factory=list)
    ids: dict[str, tuple[str, int]] = field(default_factory=dict)  # T1 -> ("span", 0)
    dropped: list[str] = field(default_factory=list)  # "line 3: reason"
    notes: list[str] = field(default_factory=list)


def kb_to_brat(kb_id: str) -> str:
    """A kb_id as the RID:EID of an N line (Q717 -> Wikidata:Q717; kept when it has a RID)."""
    if WIKIDATA.fullmatch(kb_id):
        return f"Wikidata:{kb_id}"
    return kb_id if ":" in kb_id else f"{KB_RID}:{kb_id}"


def kb_from_brat(ref: str) -> str:
    rid, _, eid = ref.partition(":")
    if (rid == "Wikidata" and WIKIDATA.fullmatch(eid)) or rid == KB_RID:
        return eid
    return ref


def parse_ann(source: str, text: str) -> Ann:
    ann = Ann()
    lines = [(n, line) for n, line in enumerate(source.split("\n"), 1) if line.strip()]
    passes = (("T", _entity), ("R", _relation), ("*", _equivalence), ("AM", _attribute),
              ("N", _normalization), ("#", _note))
    for kinds, handler in passes:
        for n, line in lines:
            if line[0] in kinds:
                try:
                    handler(ann, line, text)
                except (ValueError, KeyError, IndexError) as exc:
                    ann.dropped.append(f"line {n}: {_msg(exc)}")
    known = {k for kinds, _ in passes for k in kinds}
    for n, line in lines:
        if line[0] not in known:
            ann.dropped.append(f"line {n}: {_kind_name(line[0])} {line.split(chr(9))[0]}"
                               " cannot be held (annotations are spans and relations)")
    return ann


def _msg(exc: Exception) -> str:
    return f"unknown annotation id {exc.args[0]}" if isinstance(exc, KeyError) else str(exc)


def _kind_name(kind: str) -> str:
    return {"E": "event"}.get(kind, f"{kind!r} line")


def _entity(ann: Ann, line: str, text: str) -> None:
    ident, mid, span_text = line.split("\t", 2)
    label, offsets = mid.split(" ", 1)
    frags = [tuple(int(x) for x in part.split()) for part in offsets.split(";")]
    if any(len(f) != 2 for f in frags):
        raise ValueError(f"{ident}: bad offsets {offsets!r}")
    start, end = min(f[0] for f in frags), max(f[1] for f in frags)
    if not 0 <= start < end <= len(text):
        raise ValueError(f"{ident}: offsets {start}-{end} are outside the text")
    if " ".join(text[a:b] for a, b in frags) != span_text:
        raise ValueError(f"{ident}: {span_text!r} is not the text at {offsets}")
    ordered = sorted(frags)
    gaps = [text[b:a] for (_, b), (a, _) in zip(ordered, ordered[1:], strict=False)]
    if any(g.strip() for g in gaps):
        raise ValueError(f"{ident}: discontinuous span ({offsets}) cannot be held: the project's"
                         " spans are contiguous")
    if any(g.strip("\n") for g in gaps):
        ann.notes.append(f"{ident}: fragments {offsets} joined into one span {start}-{end}")
    ann.ids[ident] = ("span", len(ann.spans))
    ann.spans.append({"start": start, "end": end, "label": label})


def _relation(ann: Ann, line: str, text: str) -> None:
    ident, mid = line.split("\t")[:2]
    label, *args = mid.split()
    roles = dict(a.split(":", 1) for a in args)
    ends = []
    for role in ("Arg1", "Arg2"):
        kind, k = ann.ids[roles[role]]
        if kind != "span":
            raise ValueError(f"{ident}: {role} is not a text-bound annotation")
        ends.append(k)
    ann.ids[ident] = ("relation", len(ann.relations))
    ann.relations.append({"head": ends[0], "child": ends[1], "label": label})


def _equivalence(ann: Ann, line: str, text: str) -> None:
    label, *members = line.split("\t")[1].split()
    ends = []
    for m in members:
        kind, k = ann.ids[m]
        if kind != "span":
            raise ValueError(f"equivalence {label}: {m} is not a text-bound annotation")
        ends.append(k)
    for a, b in zip(ends, ends[1:], strict=False):
        ann.relations.append({"head": a, "child": b, "label": label})
    ann.notes.append(f"equivalence {label} {' '.join(members)} kept as"
                     f" {max(len(ends) - 1, 0)} {label} relation(s)")


def _target(ann: Ann, ident: str) -> dict[str, Any]:
    kind, k = ann.ids[ident]
    return ann.spans[k] if kind == "span" else ann.relations[k]


def _attribute(ann: Ann, line: str, text: str) -> None:
    parts = line.split("\t")[1].split()
    name, target = parts[0][:1].lower() + parts[0][1:], _target(ann, parts[1])
    value: Any = parts[2] if len(parts) > 2 else True
    is_span = "start" in target
    if is_span and name in ("source", "state"):
        target[name] = value
    else:
        target.setdefault("attrs", {})[name] = value


def _normalization(ann: Ann, line: str, text: str) -> None:
    ident, mid = line.split("\t")[:2]
    _, target_id, ref = mid.split()
    target = _target(ann, target_id)
    attrs = target.setdefault("attrs", {})
    if "kb_id" in attrs:
        raise ValueError(f"{ident}: a second normalization of {target_id} ({ref}); only one"
                         " kb_id is kept")
    attrs["kb_id"] = kb_from_brat(ref)


def _note(ann: Ann, line: str, text: str) -> None:
    _, mid, note = line.split("\t", 2)
    kind, target_id = mid.split()[:2]
    key = "note" if kind == "AnnotatorNotes" else f"note_{kind}"
    _target(ann, target_id).setdefault("attrs", {})[key] = note
