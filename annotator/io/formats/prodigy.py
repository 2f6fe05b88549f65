"""Prodigy-style JSONL (the default ``jsonl`` export) and its reader.

One task per line with ``tokens`` (so consumers never re-tokenize), ``spans`` with
``token_start``/``token_end`` (inclusive), ``relations`` whose ``head``/``child`` are the
index of the LAST token of each span (as Prodigy's rel.manual writes), stable 32-bit
hashes and ``meta`` (doc, annotator, status). Every span also carries ``source`` and
``state``; span and relation attributes travel as extra keys.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.io.formats.common import (
    RELATION_KEYS,
    SPAN_KEYS,
    DocView,
    LineWriter,
    TokenIndex,
    dumps,
    extra_attrs,
    hash32,
    jsonl_lines,
    task_hash,
)
from annotator.io.items import ImportItem, ItemError

SPLIT_NOTE = "spans not on token boundaries: tokens split at their edges (offsets kept)"


class Writer(LineWriter):
    def write(self, view: DocView) -> None:
        self.f.write(dumps(task(view, self.summary)) + "\n")


def task(view: DocView, summary: Any) -> dict[str, Any]:
    """The Prodigy task of one document."""
    tokens = aligned_tokens(view, summary)
    index = TokenIndex(tokens)
    text = view.text
    places = [index.covering(s.start, s.end) or (0, 0) for s in view.spans]
    spans = []
    for s, (a, b) in zip(view.spans, places, strict=True):
        spans.append({"text": s.text, "start": s.start, "end": s.end, "token_start": a,
                      "token_end": b, "label": s.label, "source": s.source, "state": s.state,
                      **s.provenance(), **extra_attrs(s.attrs, SPAN_KEYS, summary, what="span")})
    relations = []
    for r in view.relations:
        h, c = spans[r.head], spans[r.child]
        relations.append({"head": h["token_end"], "child": c["token_end"], "label": r.label,
                          "head_span": _ref(h), "child_span": _ref(c),
                          **extra_attrs(r.attrs, RELATION_KEYS, summary, what="relation")})
    input_hash = hash32(text)
    return {
        "text": text,
        "tokens": [{"text": text[s:e], "start": s, "end": e, "id": i,
                    "ws": e < len(text) and text[e].isspace()}
                   for i, (s, e) in enumerate(tokens)],
        "spans": spans,
        "relations": relations,
        "answer": "ignore" if view.status == "skipped" else "accept",
        "_input_hash": input_hash,
        "_task_hash": task_hash(input_hash, view),
        "meta": view.meta,
    }


def _ref(span: dict[str, Any]) -> dict[str, Any]:
    return {k: span[k] for k in ("start", "end", "token_start", "token_end", "label")}


def aligned_tokens(view: DocView, summary: Any) -> list[tuple[int, int]]:
    """The project's tokens, split where a span edge falls inside a token.

    Splitting (rather than snapping the span) keeps the annotation exactly as stored,
    so the JSONL round trip is lossless; the summary counts every such span.
    """
    index = TokenIndex(view.tokens)
    cuts: set[int] = set()
    for s in view.spans:
        if index.exact(s.start, s.end) is None:
            summary.note(SPLIT_NOTE, example=f"{view.name} {s.text!r}")
            cuts.update((s.start, s.end))
    if not cuts:
        return view.tokens
    out: list[tuple[int, int]] = []
    for a, b in view.tokens:
        edges = [a, *sorted(c for c in cuts if a < c < b), b]
        out += list(zip(edges, edges[1:], strict=False))
    return out


# ---- import ----------------------------------------------------------------------------------
def read(path: Path) -> Iterator[ImportItem | ItemError]:
    """Tasks of a Prodigy-style JSONL file, with their spans, relations and meta."""
    yield from _tasks(jsonl_lines(path), path)


def _tasks(lines: Iterator[str], path: Path) -> Iterator[ImportItem | ItemError]:
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            yield item_from_task(json.loads(line), default_name=f"{path.stem}-{n}")
        except (ValueError, KeyError, TypeError) as exc:
            yield ItemError(f"line {n}", _reason(exc))


def _reason(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"not valid JSON ({exc.msg})"
    if isinstance(exc, KeyError):
        return f"missing field {exc.args[0]!r}"
    return str(exc)


def item_from_task(task: Any, *, default_name: str) -> ImportItem:
    if not isinstance(task, dict) or not isinstance(task.get("text"), str):
        raise ValueError("a task needs a text field")
    text: str = task["text"]
    spans = [_span(s, text) for s in task.get("spans") or []]
    relations = [_relation(r, spans, task.get("spans") or []) for r in task.get("relations") or []]
    meta = dict(task.get("meta") or {})
    name = str(meta.pop("doc", "") or default_name)
    status = meta.pop("status", None)
    # "annotator" stays in meta: the exporter writes it back from there
    return ImportItem(name=name, text=text, meta=meta, spans=spans, relations=relations,
                      status=status)


def _span(s: dict[str, Any], text: str) -> dict[str, Any]:
    start, end, label = int(s["start"]), int(s["end"]), str(s["label"])
    if not 0 <= start < end <= len(text):
        raise ValueError(f"span {start}-{end} is outside the text")
    if "text" in s and text[start:end] != s["text"]:
        raise ValueError(f"span {start}-{end} says {s['text']!r} but the text has"
                         f" {text[start:end]!r}")
    out: dict[str, Any] = {"start": start, "end": end, "label": label}
    for k in ("source", "state", "annotator"):
        if k in s:
            out[k] = s[k]
    attrs = {k: v for k, v in s.items() if k not in SPAN_KEYS}
    if attrs:
        out["attrs"] = attrs
    return out


def _relation(r: dict[str, Any], spans: list[dict[str, Any]],
              raw: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {"head": _find(r, "head", spans, raw), "child": _find(r, "child", spans,
                                                                                   raw),
                           "label": str(r["label"])}
    attrs = {k: v for k, v in r.items() if k not in RELATION_KEYS}
    if attrs:
        out["attrs"] = attrs
    return out


def _find(r: dict[str, Any], end: str, spans: list[dict[str, Any]],
          raw: list[dict[str, Any]]) -> int:
    """The span a relation end points at: by its span object, else by its last token."""
    ref = r.get(f"{end}_span")
    if isinstance(ref, dict):
        for k, s in enumerate(spans):
            if (s["start"], s["end"]) == (ref.get("start"), ref.get("end")) \
                    and ref.get("label", s["label"]) == s["label"]:
                return k
    for k, s in enumerate(raw):
        if s.get("token_end") == r.get(end):
            return k
    raise ValueError(f"relation {r.get('label')}: its {end} is not one of the task's spans")
