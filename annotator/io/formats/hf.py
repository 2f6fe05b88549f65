"""Hugging Face token classification: a folder ``datasets.load_dataset(folder)`` loads as is.

``train.jsonl`` (with ``--split``: ``train.jsonl`` and ``validation.jsonl``) holds one
record per sentence, ``{"id": "NAME#k", "tokens": [...], "ner_tags": [ints]}``, and
``README.md`` is the dataset card whose ``dataset_info`` declares ``ner_tags`` as a
sequence of ``ClassLabel`` with the tag names (``O``, then ``B-``/``I-`` per exported
label in schema order), so ids are the same for every export of the project. An output
ending in ``.jsonl`` is written as that file with the card beside it. Like CoNLL: no
overlaps, no relations, a sentence never ends inside an entity.

Import reads such a folder or file (integer tags through the card's names, or string
tags): one document per ``NAME``, sentences joined by newlines, tokens by spaces.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.core.errors import ImportFileError
from annotator.io.formats.common import (
    DocView,
    ExportContext,
    ExportSummary,
    LineWriter,
    dumps,
    jsonl_lines,
    tag_list,
)
from annotator.io.formats.conll import item_from_tokens, tagged
from annotator.io.items import ImportItem, ItemError

FORMAT = "hf"
CARD = "README.md"
DATA = "train.jsonl"


def split_paths(output: Path, part: str) -> Path:
    """folder -> folder/train.jsonl, folder/validation.jsonl; out.jsonl -> out-train.jsonl."""
    name = "validation" if part == "dev" else part
    if output.suffix == ".jsonl":
        return output.with_name(f"{output.stem}-{name}.jsonl")
    return output / f"{name}.jsonl"


class Writer(LineWriter):
    def __init__(self, output: Path, summary: ExportSummary, ctx: ExportContext) -> None:
        if output.suffix != ".jsonl":
            output = output / DATA
        super().__init__(output, summary, ctx)
        self.names = tag_list(ctx.labels)
        self.ids = {t: k for k, t in enumerate(self.names)}

    def write(self, view: DocView) -> None:
        tags, sents = tagged(view, self.summary, where=FORMAT)
        text = view.text
        for k, sent in enumerate(sents):
            record = {"id": f"{view.name}#{k}",
                      "tokens": [text[view.tokens[i][0]:view.tokens[i][1]] for i in sent],
                      "ner_tags": [self.ids[tags[i]] for i in sent]}
            self.f.write(dumps(record) + "\n")

    def close(self) -> list[Path]:
        files = super().close()
        card = self.output.parent / CARD
        card.write_text(dataset_card(self.names), encoding="utf-8", newline="\n")
        return [*files, card]


def dataset_card(names: list[str]) -> str:
    """A dataset card whose YAML ``dataset_info`` gives ``datasets`` the features."""
    lines = ["---", "dataset_info:", "  features:", "  - name: id", "    dtype: string",
             "  - name: tokens", "    sequence: string", "  - name: ner_tags", "    sequence:",
             "      class_label:", "        names:"]
    lines += [f"          '{k}': {name}" for k, name in enumerate(names)]
    lines += ["---", "", "Token classification data exported by Geo Annotator: one record per"
              " sentence, `ner_tags` are IOB2 tag ids (names above).", ""]
    return "\n".join(lines)


def card_names(card: Path) -> list[str] | None:
    """The ner_tags names of a card this exporter wrote (its own simple YAML shape)."""
    if not card.is_file():
        return None
    text = card.read_text(encoding="utf-8")
    found = re.findall(r"^\s+'(\d+)': (\S+)\s*$", text, flags=re.M)
    names = [name for _, name in sorted(found, key=lambda x: int(x[0]))]
    return names if names and [int(k) for k, _ in found] == list(range(len(names))) else None


# ---- import ----------------------------------------------------------------------------------
def read(path: Path) -> Iterator[ImportItem | ItemError]:
    """Documents of an HF token-classification JSONL (records grouped by ``NAME#k`` ids)."""
    names = card_names(path.parent / CARD)
    group: list[list[tuple[str, Any, int]]] = []
    current: str | None = None
    for n, line, why in jsonl_lines(path):
        if line is None:
            yield ItemError(f"line {n}", why)
            continue
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            name, sent = _record(rec, n, names, path)
        except (ValueError, TypeError, KeyError, RecursionError) as exc:
            yield ItemError(f"line {n}", str(exc) if not isinstance(exc, KeyError)
                            else f"missing field {exc.args[0]!r}")
            continue
        if name != current and group:
            yield item_from_tokens(group, name=str(current))
            group = []
        current = name
        group.append(sent)
    if group:
        yield item_from_tokens(group, name=str(current))


def _record(rec: Any, n: int, names: list[str] | None,
            path: Path) -> tuple[str, list[tuple[str, Any, int]]]:
    if not isinstance(rec, dict):
        raise ValueError("a record must be an object")
    tokens, tags = rec["tokens"], rec["ner_tags"]
    if not (isinstance(tokens, list) and isinstance(tags, list) and len(tokens) == len(tags)):
        raise ValueError("tokens and ner_tags must be lists of the same length")
    if any(not isinstance(t, str) or not t or t.split() != [t] for t in tokens):
        raise ValueError("every token must be text without spaces")
    out = []
    for tok, tag in zip(tokens, tags, strict=True):
        if isinstance(tag, int) and not isinstance(tag, bool):
            if names is None or not 0 <= tag < len(names):
                raise ImportFileError(f"integer ner_tags need their names ({CARD} beside"
                                      f" {path.name} with class_label names)")
            tag = names[tag]
        out.append((tok, tag, n))
    ident = str(rec.get("id", f"{path.stem}#{n}"))
    return ident.rsplit("#", 1)[0], out
