"""Prodigy-style JSONL (the default ``jsonl`` export) and its reader.

One task per line with ``tokens`` exactly as spaCy tokenizes the text, whitespace
tokens (``"\n"``) included, each with ``ws``, so ``Doc(words, spaces)`` rebuilds the text
(Prodigy's own files and the rel_component tutorial's reader rely on that). ``spans``
carry ``token_start``/``token_end`` (inclusive) into that list, ``relations`` point at
the LAST token of each span (as rel.manual writes). ``answer`` is accept, reject (kept
from an imported rejected task) or ignore (a skipped document). Hashes imported with a
task are written back while its annotations are unchanged, so a re-export dedupes
against the source dataset; other task fields (``_view_id``, token flags such as
``disabled``) travel in the document's ``meta["_prodigy"]`` and are restored.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.core.models import BULK
from annotator.io.formats.common import (
    RELATION_KEYS,
    SPAN_KEYS,
    DocView,
    LineWriter,
    TokenIndex,
    annotation_key,
    check_offset,
    dumps,
    extra_attrs,
    hash32,
    jsonl_lines,
    spacy_tokens,
    task_hash,
)
from annotator.io.items import ImportItem, ItemError

SPLIT_NOTE = "spans not on token boundaries: tokens split at their edges (offsets kept)"


class Writer(LineWriter):
    def write(self, view: DocView) -> None:
        self.f.write(dumps(task(view, self.summary)) + "\n")


PRIVATE = "_prodigy"  # meta key holding the task fields the project has no place for
TASK_KEYS = frozenset({"text", "tokens", "spans", "relations", "answer", "meta"})
TOKEN_KEYS = frozenset({"text", "start", "end", "id", "ws"})


def task(view: DocView, summary: Any) -> dict[str, Any]:
    """The Prodigy task of one document."""
    text = view.text
    aligned = aligned_tokens(view, summary)
    full, at = spacy_tokens(text, aligned)  # at[k]: index in ``full`` of aligned token k
    index = TokenIndex(aligned)
    spans = []
    for s in view.spans:
        a, b = index.covering(s.start, s.end) or (0, 0)
        a, b = at[a], at[b]
        spans.append({"text": s.text, "start": s.start, "end": s.end, "token_start": a,
                      "token_end": b, "label": s.label, "source": s.source, "state": s.state,
                      **s.provenance(), **extra_attrs(s.attrs, SPAN_KEYS, summary, what="span")})
    relations = []
    for r in view.relations:
        h, c = spans[r.head], spans[r.child]
        relations.append({"head": h["token_end"], "child": c["token_end"], "label": r.label,
                          "head_span": _ref(h), "child_span": _ref(c),
                          **extra_attrs(r.attrs, RELATION_KEYS, summary, what="relation")})
    meta = dict(view.meta)
    kept = meta.pop(PRIVATE, None)
    kept = dict(kept) if isinstance(kept, dict) else {}
    tokens = [{"text": text[a:b], "start": a, "end": b, "id": k, "ws": ws}
              for k, (a, b, ws) in enumerate(full)]
    for key, values in (kept.pop("token_fields", None) or {}).items():
        if isinstance(values, list) and len(values) == len(tokens):
            for tok, value in zip(tokens, values, strict=True):
                tok[key] = value
        else:
            summary.note("token fields of an imported task left out (its tokens changed)",
                         example=f"{view.name} {key}")
    # hashes that came with an imported task go back out while its annotations are unchanged
    fingerprint = kept.pop("annotations", None)
    unchanged = fingerprint is not None and fingerprint == view_key(view)
    stored_input, stored_task = kept.pop("_input_hash", None), kept.pop("_task_hash", None)
    input_hash = stored_input if isinstance(stored_input, int) else hash32(text)
    task_h = stored_task if unchanged and stored_task is not None else task_hash(input_hash, view)
    rejected = kept.pop("answer", None) == "reject" and view.status != "done"
    answer = "ignore" if view.status == "skipped" else "reject" if rejected else "accept"
    return {
        "text": text,
        "tokens": tokens,
        "spans": spans,
        "relations": relations,
        "answer": answer,
        "_input_hash": input_hash,
        "_task_hash": task_h,
        **{k: v for k, v in kept.items() if k not in TASK_KEYS},
        "meta": meta,
    }


def view_key(view: DocView) -> int:
    """``annotation_key`` of what a view exports."""
    spans = [(s.start, s.end, s.label) for s in view.spans]
    return annotation_key(spans, [(r.head, r.child, r.label) for r in view.relations])


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
    """Tasks of a Prodigy-style JSONL file, with their spans, relations, answer and tokens."""
    yield from _tasks(jsonl_lines(path), path)


def _tasks(lines: Iterator[tuple[int, str | None, str]], path: Path
           ) -> Iterator[ImportItem | ItemError]:
    for n, line, why in lines:
        if line is None:
            yield ItemError(f"line {n}", why)
            continue
        if not line.strip():
            continue
        try:
            yield item_from_task(json.loads(line), default_name=f"{path.stem}-{n}")
        except (ValueError, KeyError, TypeError, RecursionError) as exc:
            yield ItemError(f"line {n}", _reason(exc))


def _reason(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"not valid JSON ({exc.msg})"
    if isinstance(exc, KeyError):
        return f"missing field {exc.args[0]!r}"
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return str(exc)


def item_from_task(task: Any, *, default_name: str) -> ImportItem:
    """One document from a task; a bad span or relation is dropped and named, the rest kept."""
    if not isinstance(task, dict) or not isinstance(task.get("text"), str):
        raise ValueError("a task needs a text field")
    text: str = task["text"]
    dropped: list[str] = []
    raw = task.get("spans") or []
    if not isinstance(raw, list):
        raise ValueError("spans must be a list")
    spans: list[dict[str, Any]] = []
    where: dict[int, int] = {}  # raw span index -> kept span index
    for k, s in enumerate(raw):
        try:
            span = _span(s, text)
        except (ValueError, KeyError, TypeError) as exc:
            dropped.append(f"span {_name(s)}: {_reason(exc)}")
            continue
        where[k] = len(spans)
        spans.append(span)
    relations = []
    for r in task.get("relations") or []:
        try:
            relations.append(_relation(r, spans, raw, where))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            label = r.get("label") if isinstance(r, dict) else r
            dropped.append(f"relation {label}: {_reason(exc)}")
    meta = dict(task["meta"]) if isinstance(task.get("meta"), dict) else {}
    name = str(meta.pop("doc", "") or default_name)
    status = meta.pop("status", None)
    kept, notes = _private(task, spans, relations)
    status = _answer_status(kept.get("answer"), status, notes)
    if kept:
        meta[PRIVATE] = kept
    # "annotator" stays in meta: the exporter writes it back from there
    return ImportItem(name=name, text=text, meta=meta, spans=spans, relations=relations,
                      status=status, tokens=_tokens(task.get("tokens"), text), dropped=dropped,
                      notes=notes)


def _private(task: dict[str, Any], spans: list[dict[str, Any]],
             relations: list[dict[str, Any]]) -> tuple[dict[str, Any], list[str]]:
    """Task fields the project has no column for, kept for the re-export."""
    kept = {k: v for k, v in task.items() if k not in TASK_KEYS}
    notes: list[str] = []
    answer = task.get("answer")
    if answer in ("reject", "ignore"):
        kept["answer"] = answer
    elif answer not in (None, "accept"):
        notes.append(f"unknown answer {answer!r} read as accept")
    if "_task_hash" in kept:
        key_spans = [(s["start"], s["end"], s["label"]) for s in spans]
        kept["annotations"] = annotation_key(
            key_spans, [(r["head"], r["child"], r["label"]) for r in relations])
    tokens = task.get("tokens")
    if isinstance(tokens, list) and all(isinstance(t, dict) for t in tokens):
        extra = sorted({k for t in tokens for k in t if k not in TOKEN_KEYS})
        if extra:
            kept["token_fields"] = {k: [t.get(k) for t in tokens] for k in extra}
    return kept, notes


def _answer_status(answer: Any, status: Any, notes: list[str]) -> Any:
    if answer == "reject":
        notes.append("rejected task: kept as not gold (status todo unless it says otherwise,"
                     " exported back as reject)")
        return status if status not in (None, "done") else "todo"
    if answer == "ignore":
        notes.append("ignored task: stored as skipped (exported back as ignore)")
        return "skipped"
    return status


def _tokens(tokens: Any, text: str) -> list[tuple[int, int]] | None:
    """The task's own non-space tokens, when they are the text's (else None: re-tokenized)."""
    if not isinstance(tokens, list) or not tokens:
        return None
    out = []
    for t in tokens:
        if not isinstance(t, dict):
            return None
        a, b = t.get("start"), t.get("end")
        if not (isinstance(a, int) and isinstance(b, int) and 0 <= a < b <= len(text)) \
                or text[a:b] != t.get("text", text[a:b]):
            return None
        if text[a:b].strip():
            out.append((a, b))
    return out or None


def _name(s: Any) -> str:
    return f"{s.get('start')}-{s.get('end')} {s.get('label')}" if isinstance(s, dict) else repr(s)


def _span(s: Any, text: str) -> dict[str, Any]:
    if not isinstance(s, dict):
        raise ValueError("a span must be an object")
    start, end = check_offset(s["start"], "start"), check_offset(s["end"], "end")
    label = s["label"]
    if not isinstance(label, str) or not label:
        raise ValueError(f"label must be text, not {label!r}")
    if not 0 <= start < end <= len(text):
        raise ValueError(f"span {start}-{end} is outside the text")
    if "text" in s and text[start:end] != s["text"]:
        raise ValueError(f"span {start}-{end} says {s['text']!r} but the text has"
                         f" {text[start:end]!r}")
    out: dict[str, Any] = {"start": start, "end": end, "label": label}
    for k in ("source", "state", "annotator"):
        if k in s:
            out[k] = s[k]
    if s.get("reviewed") is False:  # accepted unseen when its document was finished
        out["review"] = BULK
    attrs = {k: v for k, v in s.items() if k not in SPAN_KEYS}
    if attrs:
        out["attrs"] = attrs
    return out


def _relation(r: Any, spans: list[dict[str, Any]], raw: list[Any],
              where: dict[int, int]) -> dict[str, Any]:
    if not isinstance(r, dict):
        raise ValueError("a relation must be an object")
    out: dict[str, Any] = {"head": _find(r, "head", spans, raw, where),
                           "child": _find(r, "child", spans, raw, where),
                           "label": str(r["label"])}
    attrs = {k: v for k, v in r.items() if k not in RELATION_KEYS}
    if attrs:
        out["attrs"] = attrs
    return out


def _find(r: dict[str, Any], end: str, spans: list[dict[str, Any]], raw: list[Any],
          where: dict[int, int]) -> int:
    """The span a relation end points at: by its span object, else by its last token."""
    ref = r.get(f"{end}_span")
    if isinstance(ref, dict):
        for k, s in enumerate(spans):
            if (s["start"], s["end"]) == (ref.get("start"), ref.get("end")) \
                    and ref.get("label", s["label"]) == s["label"]:
                return k
    for k, s in enumerate(raw):
        if isinstance(s, dict) and s.get("token_end") == r.get(end) and k in where:
            return where[k]
    raise ValueError(f"its {end} is not one of the task's spans")
