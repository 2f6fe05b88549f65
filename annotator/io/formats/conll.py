"""CoNLL / IOB2: ``token<TAB>tag``, a blank line between sentences, ``-DOCSTART-`` per document.

Holds only non-overlapping entities on whole tokens and no relations: overlaps,
snapped spans and relations are counted in the summary instead of vanishing.
"""

from __future__ import annotations

from annotator.io.formats.common import (
    DocView,
    ExportSummary,
    LineWriter,
    TokenIndex,
    iob_tags,
    sentences,
    token_spans,
    without_overlaps,
)

FORMAT = "conll"


def tagged(view: DocView, summary: ExportSummary, *, where: str) -> list[str]:
    """IOB2 tags of the document's tokens; reports what the tag sequence cannot hold."""
    spans = token_spans(view, TokenIndex(view.tokens), summary)
    spans = without_overlaps(spans, view, summary, where=where)
    summary.note(f"relations left out ({where} cannot hold relations)", len(view.relations))
    return iob_tags(len(view.tokens), spans)


class Writer(LineWriter):
    def write(self, view: DocView) -> None:
        tags = tagged(view, self.summary, where=FORMAT)
        text = view.text
        lines = ["-DOCSTART-\tO", ""]
        for sent in sentences(view):
            lines += [f"{text[view.tokens[i][0]:view.tokens[i][1]]}\t{tags[i]}" for i in sent]
            lines.append("")
        self.f.write("\n".join(lines) + "\n")
