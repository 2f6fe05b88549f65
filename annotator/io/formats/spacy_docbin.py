"""spaCy DocBin (``.spacy``) for ``spacy train``.

Docs are built from the project's own tokens with ``Doc(vocab, words, spaces)``; the
whitespace between tokens becomes spaCy's own whitespace tokens, so ``doc.text`` is
the stored text and the tokens are what spaCy's tokenizer makes of it (0 misaligned
tokens in ``spacy debug data``). Non-overlapping spans go to ``doc.ents`` (ends of
relations first, then the longest), all spans to ``doc.spans["sc"]``, both with
``kb_id_`` from the span's ``kb_id`` attribute. Relations go to
``doc._.rel[(head.start, child.start)] = {label: 1.0}`` (symmetric types both ways) as the
rel_component tutorial reads them: for pairs of ``doc.ents``, so a relation is written only
when both its spans are entities (a start token alone would re-attach a nested span's
relation to its enclosing entity); others, and negated relations (a positive label would
teach the opposite), are left out and counted. ``doc.user_data["annotator"]`` holds the
document's meta and, aligned with ``doc.spans["sc"]``, each span's source, state and
attributes. Large exports are written as a folder of .spacy files (spaCy reads a folder
as one corpus), so memory stays flat.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from annotator.io.formats.common import (
    DocView,
    ExportContext,
    ExportError,
    ExportSummary,
    TokenIndex,
    TokSpan,
    spacy_tokens,
    token_spans,
    without_overlaps,
)
from annotator.io.formats.common import (
    Writer as BaseWriter,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, DocBin

CHUNK = 5000  # documents per .spacy file when an export is split into parts
SPANS_KEY = "sc"
USER_DATA = "annotator"  # doc.user_data key: meta, and source/state/attrs per doc.spans["sc"]


def split_paths(output: Path, part: str) -> Path:
    """out.spacy -> out-train.spacy; a folder -> folder/train.spacy."""
    if output.suffix == ".spacy":
        return output.with_name(f"{output.stem}-{part}.spacy")
    return output / f"{part}.spacy"


class Writer(BaseWriter):
    def __init__(self, output: Path, summary: ExportSummary, ctx: ExportContext) -> None:
        super().__init__(output, summary, ctx)
        from annotator.core.tokens import tokenizer_nlp

        self.vocab = tokenizer_nlp().vocab
        ensure_rel_extension()
        # many documents: a folder of parts; few: the one file asked for
        self.chunked = ctx.total > CHUNK
        target = output if self.chunked else output.parent
        target.mkdir(parents=True, exist_ok=True)
        self.bin = _new_bin()
        self.parts: list[Path] = []

    def write(self, view: DocView) -> None:
        self.bin.add(build_doc(view, self.vocab, self.summary, self.ctx))
        if self.chunked and len(self.bin) >= CHUNK:
            self._flush()

    def close(self) -> list[Path]:
        if not self.chunked:
            self.bin.to_disk(self.output)
            return [self.output]
        if len(self.bin) or not self.parts:
            self._flush()
        return [self.output]

    def _flush(self) -> None:
        path = self.output / f"part-{len(self.parts):05d}.spacy"
        self.bin.to_disk(path)
        self.parts.append(path)
        self.bin = _new_bin()


def _new_bin() -> DocBin:
    from spacy.tokens import DocBin

    return DocBin(store_user_data=True)


def ensure_rel_extension() -> None:
    from spacy.tokens import Doc

    if not Doc.has_extension("rel"):
        Doc.set_extension("rel", default={})


def words_and_spaces(text: str, tokens: list[tuple[int, int]]) -> tuple[list[str], list[bool],
                                                                         list[int]]:
    """Words, trailing-space flags and each project token's word index (``spacy_tokens``)."""
    full, index = spacy_tokens(text, tokens)
    return [text[s:e] for s, e, _ in full], [ws for _, _, ws in full], index


def build_doc(view: DocView, vocab: object, summary: ExportSummary, ctx: ExportContext) -> Doc:
    from spacy.tokens import Doc, Span

    words, spaces, index = words_and_spaces(view.text, view.tokens)
    doc = Doc(vocab, words=words, spaces=spaces)  # type: ignore[arg-type]
    if doc.text != view.text:  # cannot happen with tokens from the text; never write a shifted doc
        raise ExportError(f"{view.name}: stored tokens do not match the text (re-tokenize)")
    placed = token_spans(view, TokenIndex(view.tokens), summary)

    def span(t: TokSpan) -> Span:
        kb = view.spans[t.index].attrs.get("kb_id")
        return Span(doc, index[t.first], index[t.last] + 1,
                    label=t.label, kb_id=kb if isinstance(kb, str) else "")

    doc.spans[SPANS_KEY] = [span(t) for t in placed]
    ends = frozenset(k for r in view.relations if not _negated(r.attrs) for k in (r.head, r.child))
    ents = without_overlaps(placed, view, summary, where="doc.ents", prefer=ends)
    doc.ents = [span(t) for t in ents]
    doc._.rel = relations(view, ents, index, ctx, summary)
    doc.user_data[USER_DATA] = {
        "meta": view.meta,
        "spans": [{"source": view.spans[t.index].source, "state": view.spans[t.index].state,
                   "attrs": view.spans[t.index].attrs, **view.spans[t.index].provenance()}
                  for t in placed],  # provenance: the annotator, and reviewed=False if unseen
    }
    return doc


def _negated(attrs: dict[str, object]) -> bool:
    return attrs.get("negated") is True


def relations(view: DocView, ents: list[TokSpan], index: list[int], ctx: ExportContext,
              summary: ExportSummary) -> dict[tuple[int, int], dict[str, float]]:
    """``{(head start, child start): {label: 1.0}}`` between ``doc.ents``, a fresh dict per doc."""
    start = {t.index: index[t.first] for t in ents}
    rel: dict[tuple[int, int], dict[str, float]] = {}
    for r in view.relations:
        if _negated(r.attrs):
            summary.note("negated relations left out of doc._.rel (it has no negative labels)",
                         example=f"{view.name} {r.label}")
            continue
        if r.head not in start or r.child not in start:
            summary.note("relations left out of doc._.rel because an end is not in doc.ents"
                         " (overlapping, nested or not on tokens)",
                         example=f"{view.name} {view.spans[r.head].text!r} {r.label}"
                                 f" {view.spans[r.child].text!r}")
            continue
        pairs = [(start[r.head], start[r.child])]
        if r.label in ctx.symmetric:
            pairs.append((start[r.child], start[r.head]))
        for key in pairs:
            rel.setdefault(key, {})[r.label] = 1.0
    return rel
