"""Pre-annotation of one partition: a pure function of (texts, schema, gazetteer, memory, model).

The same ``Preannotator`` and the same per-document results as ``annotator preannotate``
(``Preannotator.build``/``tag`` in ``annotator.nlp.preannotate``), so a document gets the
same suggestions on a cluster, in one process or with ``--n-process``. The pipeline is
built once per process (``pipeline``) and kept: a worker loads the model once, not per task.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from annotator.nlp.chunks import CHUNK_CHARS
from annotator.nlp.gazetteer import Entry
from annotator.nlp.preannotate import Preannotator
from annotator.nlp.suggest import Suggestion

BATCH_SIZE = 64


@dataclass(frozen=True)
class Context:
    """Everything besides the texts that decides the suggestions (plain data: it travels)."""

    model: str | None
    labels: tuple[str, ...]
    label_map: tuple[tuple[str, str], ...]
    memory: tuple[Entry, ...] = ()
    batch_size: int = BATCH_SIZE
    chunk_chars: int = CHUNK_CHARS

    def digest(self) -> str:
        raw = json.dumps(asdict(self), sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()

    def memory_digest(self) -> str:
        raw = json.dumps([asdict(e) for e in self.memory], ensure_ascii=False)
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@dataclass
class Doc:
    """One input document: normalized text, its name, where it came from, the reader's meta."""

    name: str
    source: str  # "path" or "path#line 7"
    text: str
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class Partition:
    """A run of consecutive input documents: one Dask task, one shard."""

    index: int
    docs: list[Doc]
    _digest: str | None = field(default=None, compare=False, repr=False)

    @property
    def name(self) -> str:
        return shard_name(self.index)

    def digest(self) -> str:
        """Over everything a shard is made from, so a rerun can tell the same partition."""
        if self._digest is None:
            h = hashlib.sha256()
            for d in self.docs:
                h.update(json.dumps([d.name, d.source, d.text, d.meta], ensure_ascii=False,
                                    default=str).encode("utf-8"))
            self._digest = h.hexdigest()
        return self._digest

    def where(self) -> str:
        first, last = self.docs[0].source, self.docs[-1].source
        return first if first == last else f"{first} .. {last}"


@dataclass
class ShardData:
    """What a task returns: the shard's bytes and counts, and the model that made them."""

    name: str
    data: bytes
    documents: int
    suggestions: int
    model: str


def shard_name(index: int) -> str:
    return f"shard-{index:05d}.jsonl"


_PIPELINES: dict[str, Preannotator] = {}
builds = 0  # pipelines built by this process (tests check: one per worker)


def pipeline(context: Context) -> Preannotator:
    """The pipeline for ``context``, built on first use in this process and then kept."""
    key = context.digest()
    pre = _PIPELINES.get(key)
    if pre is None:
        global builds
        builds += 1
        pre = Preannotator.build(context.model, labels=list(context.labels),
                                 label_map=dict(context.label_map), memory=context.memory)
        _PIPELINES.clear()  # one run per process: a stale pipeline would only hold memory
        _PIPELINES[key] = pre
    return pre


def annotate_partition(pre: Preannotator, partition: Partition, context: Context) -> ShardData:
    """The shard of one partition: one Prodigy-style task per document, in input order."""
    docs = partition.docs
    results = {r.doc_id: r for r in pre.tag([d.text for d in docs], batch_size=context.batch_size,
                                            chunk_chars=context.chunk_chars)}
    lines, total = [], 0
    for i, d in enumerate(docs):
        res = results[i]
        if pre.same_tokenizer:
            flat = _flat_tokens(b"".join(res.token_blobs))
        else:  # the project's tokenizer decides stored tokens, never the model's
            from annotator.core.tokens import tokenize

            flat = [x for pair in tokenize(d.text) for x in pair]
        lines.append(json.dumps(task(d, res.suggestions, flat), ensure_ascii=False, default=str))
        total += len(res.suggestions)
    data = ("\n".join(lines) + "\n").encode("utf-8")
    return ShardData(partition.name, data, len(docs), total, pre.choice.describe())


def task(doc: Doc, suggestions: Sequence[Suggestion], tokens: list[int]) -> dict[str, Any]:
    """A Prodigy-style task whose spans are suggestions (state "suggested", with source).

    ``_tokens`` holds the project's token offsets flat (start, end, start, end, ...): the
    import stores them as they are instead of tokenizing again, and Prodigy ignores the
    key (it tokenizes itself). ``_source`` is the input file (and line) the text came
    from. Span attributes travel as extra keys, as in the export.
    """
    from annotator.io.formats.common import SPAN_KEYS, hash32

    text = doc.text
    spans = [{"text": text[s.start:s.end], "start": s.start, "end": s.end, "label": s.label,
              "source": s.source, "state": "suggested",
              **{k: v for k, v in s.attrs.items() if k not in SPAN_KEYS}} for s in suggestions]
    input_hash = hash32(text)
    task_hash = hash32(json.dumps([input_hash, [(s.start, s.end, s.label) for s in suggestions],
                                   []], separators=(",", ":")))
    return {"text": text, "spans": spans, "_input_hash": input_hash, "_task_hash": task_hash,
            "meta": {**doc.meta, "doc": doc.name}, "_source": doc.source, "_tokens": tokens}


def _flat_tokens(blob: bytes) -> list[int]:
    import numpy as np

    return np.frombuffer(blob, dtype=np.int32).tolist() if blob else []
