"""Hugging Face token classification: JSONL ``{"id", "tokens", "ner_tags"}`` per sentence.

Tags are IOB2 strings; ``labels.json`` beside the output lists the ordered tag set
(``O`` first, then ``B-``/``I-`` per exported label in schema order), so tag ids are
the same for every export of the project. Like CoNLL: no overlaps, no relations.
"""

from __future__ import annotations

import json
from pathlib import Path

from annotator.io.formats.common import DocView, LineWriter, dumps, sentences, tag_list
from annotator.io.formats.conll import tagged

FORMAT = "hf"


class Writer(LineWriter):
    def write(self, view: DocView) -> None:
        tags = tagged(view, self.summary, where=FORMAT)
        text = view.text
        for k, sent in enumerate(sentences(view)):
            record = {"id": f"{view.name}#{k}",
                      "tokens": [text[view.tokens[i][0]:view.tokens[i][1]] for i in sent],
                      "ner_tags": [tags[i] for i in sent]}
            self.f.write(dumps(record) + "\n")

    def close(self) -> list[Path]:
        files = super().close()
        labels = self.output.parent / "labels.json"
        labels.write_text(json.dumps(tag_list(self.ctx.labels), indent=1) + "\n",
                          encoding="utf-8")
        return [*files, labels]
