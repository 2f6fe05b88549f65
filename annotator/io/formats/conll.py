"""CoNLL-2003 (``token POS chunk NER``) or 2-column TSV, IOB2 tags, and the reader of both.

``--variant conll2003`` (default) is the layout the common readers expect: space
separated, ``-DOCSTART- -X- -X- O`` and a blank line before each document, a blank line
after each sentence, ``-X-`` where there is no POS or chunk tag. ``--variant spacy``: the
same with spaCy's document line ``-DOCSTART- -X- O O`` (``spacy convert -c ner`` matches
that exact line; the CoNLL-2003 one becomes a document of its own there).
``--variant tsv``: ``token<TAB>tag`` with ``-DOCSTART-<TAB>O``. Holds only non-overlapping entities on whole
tokens and no relations: overlaps, snapped spans and relations are counted in the
summary. A sentence never ends inside an entity (a span across a newline keeps its
I- tags in one sentence), so strict IOB2 readers find no invalid sequence.

Import reads either layout (first column token, last column tag; IOB1 ``I-`` starts
are read as starts and noted): a document per ``-DOCSTART-``, its text the tokens joined
by spaces and the sentences by newlines, its tokens the file's own; stored as done.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.core.errors import ImportFileError
from annotator.io.formats.common import (
    DocView,
    ExportSummary,
    LineWriter,
    TokenIndex,
    TokSpan,
    iob_tags,
    sentences,
    token_spans,
    without_overlaps,
)
from annotator.io.items import ImportItem, ItemError

FORMAT = "conll"
DOCSTART = "-DOCSTART-"
NO_TAG = "-X-"
DOC_LINES = {"conll2003": f"{DOCSTART} {NO_TAG} {NO_TAG} O", "spacy": f"{DOCSTART} {NO_TAG} O O",
             "tsv": f"{DOCSTART}\tO"}


def placed(view: DocView, summary: ExportSummary, *, where: str) -> list[TokSpan]:
    """The document's entities on whole tokens, without overlaps; reports what it cannot hold."""
    spans = token_spans(view, TokenIndex(view.tokens), summary)
    spans = without_overlaps(spans, view, summary, where=where)
    summary.note(f"relations left out ({where} cannot hold relations)", len(view.relations))
    return spans


def tagged(view: DocView, summary: ExportSummary, *, where: str) -> tuple[list[str], list[range]]:
    """IOB2 tags of the document's tokens and its sentences (never cut inside an entity)."""
    spans = placed(view, summary, where=where)
    return iob_tags(len(view.tokens), spans), sentences(view, spans)


class Writer(LineWriter):
    def write(self, view: DocView) -> None:
        tags, sents = tagged(view, self.summary, where=FORMAT)
        text = view.text
        tsv = self.ctx.variant == "tsv"
        lines = [DOC_LINES[self.ctx.variant or "conll2003"], ""]
        for sent in sents:
            for i in sent:
                token = text[view.tokens[i][0]:view.tokens[i][1]]
                lines.append(f"{token}\t{tags[i]}" if tsv
                             else f"{token} {NO_TAG} {NO_TAG} {tags[i]}")
            lines.append("")
        self.f.write("\n".join(lines) + "\n")


# ---- import ----------------------------------------------------------------------------------
def read(path: Path) -> Iterator[ImportItem | ItemError]:
    """Documents of a CoNLL / IOB file (CoNLL-2003 columns or token<TAB>tag)."""
    try:
        source = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise ImportFileError(f"cannot read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise ImportFileError("not UTF-8 text") from None
    doc: list[list[tuple[str, str, int]]] = [[]]  # sentences of (token, tag, line)
    k = 0
    errors: list[ItemError] = []
    for n, line in enumerate(source.splitlines(), 1):
        cols = line.split()
        if cols and cols[0] == DOCSTART:
            if any(doc):
                k += 1
                yield from errors
                yield from _document(doc, f"{path.stem}-{k}")
            doc, errors = [[]], []
        elif not cols:
            if doc[-1]:
                doc.append([])
        elif len(cols) < 2:
            errors.append(ItemError(f"line {n}", "a token line needs a tag column"))
        else:
            doc[-1].append((cols[0], cols[-1], n))
    if any(doc):
        yield from errors
        yield from _document(doc, f"{path.stem}-{k + 1}")
    else:
        yield from errors


def _document(sents: list[list[tuple[str, str, int]]], name: str) -> Iterator[ImportItem]:
    yield item_from_tokens([sent for sent in sents if sent], name=name)


def item_from_tokens(sents: list[list[tuple[str, Any, int]]], *, name: str,
                     meta: dict[str, Any] | None = None) -> ImportItem:
    """A document from sentences of (token, IOB tag, line): text, tokens and spans."""
    parts: list[str] = []
    tokens: list[tuple[int, int]] = []
    tags: list[tuple[str, int]] = []
    pos = 0
    for k, sent in enumerate(sents):
        if k:
            parts.append("\n")
            pos += 1
        for j, (tok, tag, n) in enumerate(sent):
            if j:
                parts.append(" ")
                pos += 1
            parts.append(tok)
            tokens.append((pos, pos + len(tok)))
            pos += len(tok)
            tags.append((str(tag), n))
    spans, dropped, notes = _spans(tags, tokens)
    return ImportItem(name=name, text="".join(parts), meta=dict(meta or {}), spans=spans,
                      status="done", tokens=tokens, dropped=dropped, notes=notes)


def _spans(tags: list[tuple[str, int]], tokens: list[tuple[int, int]],
           ) -> tuple[list[dict[str, Any]], list[str], list[str]]:
    spans: list[dict[str, Any]] = []
    dropped: list[str] = []
    notes: list[str] = []
    current: dict[str, Any] | None = None
    for (tag, n), (start, end) in zip(tags, tokens, strict=True):
        prefix, _, label = tag.partition("-")
        if tag == "O":
            current = None
            continue
        if prefix not in ("B", "I") or not label:
            dropped.append(f"line {n}: tag {tag!r} is not IOB (O, B-X, I-X)")
            current = None
            continue
        if prefix == "I" and current is not None and current["label"] == label:
            current["end"] = end
            continue
        if prefix == "I":
            notes.append(f"line {n}: {tag} after {'O' if current is None else current['label']}"
                         " read as the start of an entity (IOB1)")
        current = {"start": start, "end": end, "label": label}
        spans.append(current)
    return spans, dropped, notes
