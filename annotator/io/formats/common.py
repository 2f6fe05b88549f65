"""The per-document view every exporter writes from, and the export summary.

A ``DocView`` is one document after filtering (status, layer, labels): its text, the
project's own tokens, the spans and relations to write. Exporters never read the
store themselves, so every format sees the same selection and the same counts.
"""

from __future__ import annotations

import hashlib
import json
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.core.errors import AnnotatorError
from annotator.core.schema import Schema
from annotator.io import lines

Tokens = Sequence[tuple[int, int]]

# Keys a span / relation object already uses in the JSON formats; attributes with these
# names cannot travel as extra keys.
SPAN_KEYS = frozenset({"text", "start", "end", "token_start", "token_end", "label",
                       "source", "state", "id", "start_offset", "end_offset", "annotator",
                       "reviewed"})
RELATION_KEYS = frozenset({"head", "child", "label", "head_span", "child_span", "id",
                           "from_id", "to_id", "type"})
META_KEYS = ("doc", "annotator", "status")


class ExportError(AnnotatorError):
    """An export cannot run (bad format, options or output path)."""


@dataclass(slots=True)
class SpanView:
    id: int
    start: int
    end: int
    label: str
    text: str
    source: str
    state: str
    attrs: dict[str, Any]
    annotator: str = ""
    reviewed: bool = True  # False: accepted unseen when its document was finished

    def provenance(self) -> dict[str, Any]:
        """Who decided the span, and whether anyone looked at it (JSON formats carry both)."""
        out: dict[str, Any] = {"annotator": self.annotator} if self.annotator else {}
        if not self.reviewed:
            out["reviewed"] = False
        return out


@dataclass(slots=True)
class RelView:
    head: int  # index into DocView.spans
    child: int
    label: str
    attrs: dict[str, Any]


@dataclass(slots=True)
class DocView:
    id: int
    name: str
    text: str
    status: str
    meta: dict[str, Any]  # what is written as the document's meta (doc, annotator, status, ...)
    tokens: list[tuple[int, int]]
    spans: list[SpanView]
    relations: list[RelView]


@dataclass
class ExportSummary:
    """What an export wrote, and everything it left out or changed, with the reason."""

    fmt: str = ""
    documents: int = 0
    spans: int = 0
    relations: int = 0
    skipped_documents: int = 0
    files: list[Path] = field(default_factory=list)
    notes: Counter[str] = field(default_factory=Counter)  # reason -> how many
    examples: dict[str, list[str]] = field(default_factory=dict)  # reason -> a few cases

    def note(self, reason: str, n: int = 1, *, example: str | None = None) -> None:
        """Count something left out or changed; keep up to three examples per reason."""
        if n <= 0:
            return
        self.notes[reason] += n
        if example is not None:
            ex = self.examples.setdefault(reason, [])
            if len(ex) < 3:
                ex.append(example)

    def text(self) -> str:
        lines = [
            f"exported {self.documents} documents, {self.spans} spans, {self.relations} relations"
            f" as {self.fmt}",
        ]
        if self.skipped_documents:
            lines.append(f"  {self.skipped_documents} documents had nothing in the exported"
                         " layer and were left out")
        lines += [f"  wrote {f}" for f in self.files]
        if self.notes:
            lines.append("left out or changed:")
        for reason, n in sorted(self.notes.items()):
            ex = self.examples.get(reason)
            lines.append(f"  {n} {reason}" + (f" (e.g. {'; '.join(ex)})" if ex else ""))
        if not self.notes:
            lines.append("nothing left out or changed")
        return "\n".join(lines)


# ---- hashes ----------------------------------------------------------------------------------
def hash32(value: str) -> int:
    """A stable signed 32-bit int (like Prodigy's murmur hashes), the same on every machine."""
    digest = hashlib.blake2b(value.encode("utf-8"), digest_size=4).digest()
    return int.from_bytes(digest, "big", signed=True)


def task_hash(input_hash: int, view: DocView) -> int:
    """Over the text (via its hash) plus spans and relations, so equal annotations group."""
    spans = [(s.start, s.end, s.label) for s in view.spans]
    rels = [(spans[r.head], spans[r.child], r.label) for r in view.relations]
    return hash32(json.dumps([input_hash, spans, rels], separators=(",", ":")))


# ---- tokens ----------------------------------------------------------------------------------
class TokenIndex:
    """Token offsets with start/end arrays for bisecting (one per document)."""

    def __init__(self, tokens: Tokens) -> None:
        self.tokens = list(tokens)
        self.starts = [s for s, _ in tokens]
        self.ends = [e for _, e in tokens]

    def exact(self, start: int, end: int) -> tuple[int, int] | None:
        """(first, last inclusive) token indices when the span sits on token edges."""
        i = bisect_left(self.starts, start)
        j = bisect_left(self.ends, end)
        if i < len(self.starts) and j < len(self.ends) and self.starts[i] == start \
                and self.ends[j] == end and i <= j:
            return i, j
        return None

    def covering(self, start: int, end: int) -> tuple[int, int] | None:
        """Indices of the tokens overlapping [start, end); None when only spaces are covered."""
        i = bisect_right(self.ends, start)  # first token ending after start
        j = bisect_left(self.starts, end) - 1  # last token starting before end
        return (i, j) if i <= j else None


def spacy_tokens(text: str, tokens: Tokens) -> tuple[list[tuple[int, int, bool]], list[int]]:
    """spaCy's view of ``text`` given its non-space tokens: every token including spaCy's
    whitespace tokens as (start, end, trailing space), and each given token's index.

    The gap after a token gives it its one trailing " "; the rest of the gap is a token of
    its own, as spaCy's tokenizer makes it, so ``Doc(words, spaces).text == text``.
    """
    out: list[tuple[int, int, bool]] = []
    index: list[int] = []
    first = tokens[0][0] if tokens else len(text)
    if first > 0:
        out.append((0, first, False))
    for k, (s, e) in enumerate(tokens):
        index.append(len(out))
        nxt = tokens[k + 1][0] if k + 1 < len(tokens) else len(text)
        space = text.startswith(" ", e) and e < nxt
        out.append((s, e, space))
        gap = e + 1 if space else e
        if gap < nxt:
            out.append((gap, nxt, False))
    return out, index


def check_offset(value: Any, what: str) -> int:
    """An offset as given: a non-negative int; 0.9, "6" or true are refused, never coerced."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{what} must be a whole number, not {value!r}")
    return value


def annotation_key(spans: Sequence[tuple[int, int, str]],
                   relations: Sequence[tuple[int, int, str]]) -> int:
    """An order-free fingerprint of spans and relations (indices into ``spans``): tells a
    re-export whether the annotations are still the ones a kept ``_task_hash`` was made for."""
    rels = sorted([*spans[h], *spans[c], lab] for h, c, lab in relations)
    return hash32(json.dumps([sorted(spans), rels], separators=(",", ":")))


@dataclass(slots=True)
class TokSpan:
    """A span placed on tokens (first, last inclusive) for the token-based formats."""

    first: int
    last: int
    label: str
    index: int  # into DocView.spans


def token_spans(view: DocView, index: TokenIndex, summary: ExportSummary) -> list[TokSpan]:
    """Every span on whole tokens: misaligned spans are snapped (widened) and counted."""
    out: list[TokSpan] = []
    for k, s in enumerate(view.spans):
        hit = index.exact(s.start, s.end)
        if hit is None:
            hit = index.covering(s.start, s.end)
            if hit is None:
                summary.note("spans covering only whitespace dropped (no token to place them on)",
                             example=f"{view.name} {s.start}-{s.end}")
                continue
            a, b = index.tokens[hit[0]][0], index.tokens[hit[1]][1]
            summary.note("spans not on token boundaries snapped to whole tokens",
                         example=f"{view.name} {s.text!r} -> {view.text[a:b]!r}")
        out.append(TokSpan(hit[0], hit[1], s.label, k))
    return out


def without_overlaps(spans: list[TokSpan], view: DocView, summary: ExportSummary,
                     *, where: str, prefer: frozenset[int] = frozenset()) -> list[TokSpan]:
    """Keep the longest spans first (spaCy's filter_spans rule), spans in ``prefer`` (view
    span indices, e.g. relation ends) before all others; report the rest."""
    taken: set[int] = set()
    kept: list[TokSpan] = []
    for s in sorted(spans, key=lambda t: (t.index not in prefer, -(t.last - t.first), t.first)):
        cells = range(s.first, s.last + 1)
        if any(c in taken for c in cells):
            sv = view.spans[s.index]
            summary.note(f"overlapping spans left out of {where}",
                         example=f"{view.name} {sv.text!r} {sv.label}")
            continue
        taken.update(cells)
        kept.append(s)
    kept.sort(key=lambda t: t.first)
    return kept


def resolve_overlaps(view: DocView, summary: ExportSummary, *, where: str) -> DocView:
    """The view with no two spans overlapping: ends of relations first, then the longest,
    then the earliest; dropped spans and the relations on them are counted."""
    order = sorted(range(len(view.spans)), key=lambda k: (
        not any(k in (r.head, r.child) for r in view.relations),
        -(view.spans[k].end - view.spans[k].start), view.spans[k].start, k))
    kept: list[int] = []
    for k in order:
        s = view.spans[k]
        if any(view.spans[j].start < s.end and s.start < view.spans[j].end for j in kept):
            summary.note(f"overlapping spans left out of {where}",
                         example=f"{view.name} {s.text!r} {s.label}")
        else:
            kept.append(k)
    if len(kept) == len(view.spans):
        return view
    kept.sort()
    new = {old: i for i, old in enumerate(kept)}
    relations = []
    for r in view.relations:
        if r.head in new and r.child in new:
            relations.append(RelView(new[r.head], new[r.child], r.label, r.attrs))
        else:
            summary.note(f"relations left out of {where} because an end overlapped another span",
                         example=f"{view.name} {r.label}")
    return DocView(id=view.id, name=view.name, text=view.text, status=view.status,
                   meta=view.meta, tokens=view.tokens, spans=[view.spans[k] for k in kept],
                   relations=relations)


def iob_tags(n_tokens: int, spans: list[TokSpan]) -> list[str]:
    tags = ["O"] * n_tokens
    for s in spans:
        tags[s.first] = f"B-{s.label}"
        for i in range(s.first + 1, s.last + 1):
            tags[i] = f"I-{s.label}"
    return tags


def tag_list(labels: Sequence[str]) -> list[str]:
    """The ordered IOB2 tag set for ``labels`` (O first), as labels.json lists it."""
    return ["O"] + [f"{p}-{lab}" for lab in labels for p in ("B", "I")]


SENTENCE_END = frozenset({".", "!", "?", "...", "…"})


def sentences(view: DocView, spans: Sequence[TokSpan] = ()) -> list[range]:
    """Token ranges of sentences: a break after . ! ? before a capital, and at newlines,
    but never inside one of ``spans`` (an entity across a newline stays in one sentence, so
    no I- tag follows a blank line).

    No parser is loaded for exports, so this simple rule over the stored tokens stands in.
    """
    toks, text = view.tokens, view.text
    inside = set()
    for sp in spans:
        inside.update(range(sp.first, sp.last))  # no break after these tokens
    out: list[range] = []
    first = 0
    for i in range(len(toks) - 1):
        if i in inside:
            continue
        gap = text[toks[i][1]:toks[i + 1][0]]
        nxt = text[toks[i + 1][0]]
        if "\n" in gap or (text[toks[i][0]:toks[i][1]] in SENTENCE_END
                           and (nxt.isupper() or nxt.isdigit() or nxt in "\"'“‘(")):
            out.append(range(first, i + 1))
            first = i + 1
    if toks:
        out.append(range(first, len(toks)))
    return out


def split_output(output: Path, part: str, *, folder: bool) -> Path:
    """out.jsonl -> out-train.jsonl; a folder output -> folder/train (brat) ."""
    if folder:
        return output / part
    if output.suffix:
        return output.with_name(f"{output.stem}-{part}{output.suffix}")
    return output.with_name(f"{output.name}-{part}")


@dataclass(frozen=True)
class ExportContext:
    """What writers need beyond one document: the label set and relation types."""

    labels: tuple[str, ...]  # exported labels in schema order
    symmetric: frozenset[str]  # relation types that hold both ways
    total: int  # upper bound of documents (chunking decisions)
    schema: Schema | None = None  # for formats that describe the label set (brat's conf)
    variant: str = ""  # the format's layout, one of Format.variants (validated by the exporter)
    project: Any = None  # the open Project, for formats that read more (actors: events, graph)
    layer: str = ""  # the exported layer ("" gold)


class Writer:
    """Base writer: ``write`` one document at a time, ``close`` returns the files written."""

    def __init__(self, output: Path, summary: ExportSummary, ctx: ExportContext) -> None:
        self.output = output
        self.summary = summary
        self.ctx = ctx

    def write(self, view: DocView) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def close(self) -> list[Path]:  # pragma: no cover - abstract
        raise NotImplementedError


class LineWriter(Writer):
    """A text file written line by line (JSONL, CoNLL)."""

    encoding = "utf-8"  # "utf-8-sig" writes a BOM (doccano's encoding auto-detection)

    def __init__(self, output: Path, summary: ExportSummary, ctx: ExportContext) -> None:
        super().__init__(output, summary, ctx)
        output.parent.mkdir(parents=True, exist_ok=True)
        # newline="\n": the same bytes on every platform, so round trips compare equal
        self.f = open(output, "w", encoding=self.encoding, newline="\n")  # noqa: SIM115

    def close(self) -> list[Path]:
        self.f.close()
        return [self.output]


def dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False)


def extra_attrs(attrs: dict[str, Any], reserved: frozenset[str], summary: ExportSummary,
                *, what: str) -> dict[str, Any]:
    """Attributes that travel as extra keys; a name the format already uses is reported."""
    out = {}
    for k, v in attrs.items():
        if k in reserved:
            summary.note(f"{what} attributes named like a format field left out", example=k)
        else:
            out[k] = v
    return out


def jsonl_lines(path: Path) -> Iterator[tuple[int, str | None, str]]:
    """``(line number, text, "")`` per line of a JSONL file, or ``(n, None, reason)`` for a
    line that cannot be decoded: the plain JSONL reader's per-line decoding (``io.lines``),
    so one bad byte costs its own record, not the file."""
    yield from lines.lines(lines.open_lines(path))
