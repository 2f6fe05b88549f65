"""Inter-annotator agreement between layers: span F1, token kappa, relation F1.

The metrics are pure functions over plain tuples (spans ``(start, end, label)``,
relations ``((start, end, label), (start, end, label), type)``, tokens ``(start, end)``),
so tests can feed hand-made data; ``project_agreement`` reads them from a Project.

Definitions (docs/volunteers.md explains them for coordinators):
- span F1, exact: a span of A matches a span of B with the same start, end and label.
- span F1, overlap: same label and overlapping offsets, matched one-to-one, greedily by
  largest overlap (ties: earliest starts), so one long span cannot match two short ones.
  F1 = 2 * matches / (n_A + n_B), symmetric in A and B.
- token kappa: each token gets the label of the span covering it ("O" if none; with
  overlapping spans the one covering most of the token, then the earliest, then by
  name); Cohen's kappa over all tokens of the shared documents, and per label as a
  binary task (label / not label). Undefined (None) when chance agreement is 1.
- relation F1: both ends match exactly and the type matches; symmetric types match
  in either direction.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from annotator.core.store import Project

SpanT = tuple[int, int, str]
RelT = tuple[SpanT, SpanT, str]
TokenT = tuple[int, int]
OUTSIDE = "O"


# ---- counts --------------------------------------------------------------------------------
@dataclass
class Counts:
    """Matches between A and B and how many items each had."""

    matched: int = 0
    n_a: int = 0
    n_b: int = 0

    def add(self, other: Counts) -> None:
        self.matched += other.matched
        self.n_a += other.n_a
        self.n_b += other.n_b

    @property
    def f1(self) -> float | None:
        total = self.n_a + self.n_b
        return 2 * self.matched / total if total else None

    def to_dict(self) -> dict[str, Any]:
        return {"matched": self.matched, "n_a": self.n_a, "n_b": self.n_b, "f1": _r(self.f1)}


def total(counts: dict[str, Counts]) -> Counts:
    """Micro-average: the sum over labels."""
    out = Counts()
    for c in counts.values():
        out.add(c)
    return out


# ---- spans ---------------------------------------------------------------------------------
def span_counts(
    a: Sequence[SpanT], b: Sequence[SpanT], *, overlap: bool = False
) -> dict[str, Counts]:
    """Per-label matches of two span lists (exact, or one-to-one overlap)."""
    out: dict[str, Counts] = {}
    for label in sorted({s[2] for s in a} | {s[2] for s in b}):
        la = [s for s in a if s[2] == label]
        lb = [s for s in b if s[2] == label]
        matched = _overlap_matches(la, lb) if overlap else _exact_matches(la, lb)
        out[label] = Counts(matched, len(la), len(lb))
    return out


def _exact_matches(a: Sequence[Any], b: Sequence[Any]) -> int:
    return sum((Counter(a) & Counter(b)).values())


def _overlap_matches(a: Sequence[SpanT], b: Sequence[SpanT]) -> int:
    pairs = sorted(
        (-(min(x[1], y[1]) - max(x[0], y[0])), x[0], y[0], i, j)
        for i, x in enumerate(a)
        for j, y in enumerate(b)
        if x[0] < y[1] and y[0] < x[1]
    )
    used_a: set[int] = set()
    used_b: set[int] = set()
    for *_, i, j in pairs:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
    return len(used_a)


# ---- tokens --------------------------------------------------------------------------------
def token_labels(tokens: Sequence[TokenT], spans: Iterable[SpanT]) -> list[str]:
    """The label of each token: the span covering most of it, else "O"."""
    starts = [t[0] for t in tokens]
    ends = [t[1] for t in tokens]
    best: list[tuple[int, int, str] | None] = [None] * len(tokens)
    for start, end, label in spans:
        for i in range(bisect_right(ends, start), bisect_left(starts, end)):
            cover = min(end, ends[i]) - max(start, starts[i])
            cand = (-cover, start, label)
            if best[i] is None or cand < best[i]:  # type: ignore[operator]
                best[i] = cand
    return [b[2] if b else OUTSIDE for b in best]


def cohen_kappa(x: Sequence[Any], y: Sequence[Any]) -> float | None:
    """Cohen's kappa of two label sequences; None when chance agreement is 1 (undefined)."""
    if len(x) != len(y):
        raise ValueError("kappa needs two sequences of the same length")
    n = len(x)
    if not n:
        return None
    observed = sum(a == b for a, b in zip(x, y, strict=True)) / n
    ca, cb = Counter(x), Counter(y)
    expected = sum(ca[k] * cb[k] for k in ca) / (n * n)
    if expected >= 1:
        return None
    return (observed - expected) / (1 - expected)


def label_kappas(
    x: Sequence[str], y: Sequence[str], labels: Iterable[str]
) -> dict[str, float | None]:
    """Per-label kappa: each label as a yes/no task over the same tokens."""
    return {lab: cohen_kappa([v == lab for v in x], [v == lab for v in y]) for lab in labels}


# ---- relations -----------------------------------------------------------------------------
def relation_counts(
    a: Sequence[RelT], b: Sequence[RelT], *, symmetric: Collection[str] = ()
) -> dict[str, Counts]:
    """Per-type matches of relations; for symmetric types the direction is ignored."""
    na = [_canonical(r, symmetric) for r in a]
    nb = [_canonical(r, symmetric) for r in b]
    out: dict[str, Counts] = {}
    for label in sorted({r[2] for r in na} | {r[2] for r in nb}):
        la = [r for r in na if r[2] == label]
        lb = [r for r in nb if r[2] == label]
        out[label] = Counts(_exact_matches(la, lb), len(la), len(lb))
    return out


def _canonical(r: RelT, symmetric: Collection[str]) -> RelT:
    head, child, label = r
    return (min(head, child), max(head, child), label) if label in symmetric else r


# ---- one pair over many documents ----------------------------------------------------------
@dataclass
class DocAnnotations:
    """One document as two annotators saw it."""

    tokens: Sequence[TokenT]
    spans_a: Sequence[SpanT]
    spans_b: Sequence[SpanT]
    relations_a: Sequence[RelT] = ()
    relations_b: Sequence[RelT] = ()


@dataclass
class PairReport:
    a: str
    b: str
    documents: int = 0
    tokens: int = 0
    exact: dict[str, Counts] = field(default_factory=dict)
    overlap: dict[str, Counts] = field(default_factory=dict)
    relations: dict[str, Counts] = field(default_factory=dict)
    kappa: float | None = None
    label_kappa: dict[str, float | None] = field(default_factory=dict)

    @property
    def labels(self) -> list[str]:
        return sorted(set(self.exact) | set(self.label_kappa))

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "documents": self.documents,
            "tokens": self.tokens,
            "span_f1_exact": _r(total(self.exact).f1),
            "span_f1_overlap": _r(total(self.overlap).f1),
            "token_kappa": _r(self.kappa),
            "relation_f1": _r(total(self.relations).f1),
            "labels": {
                lab: {
                    "exact": self.exact.get(lab, Counts()).to_dict(),
                    "overlap": self.overlap.get(lab, Counts()).to_dict(),
                    "kappa": _r(self.label_kappa.get(lab)),
                }
                for lab in self.labels
            },
            "relation_types": {lab: c.to_dict() for lab, c in self.relations.items()},
        }


def pair_agreement(
    a: str, b: str, docs: Iterable[DocAnnotations], *, symmetric: Collection[str] = ()
) -> PairReport:
    """Sum the counts of every shared document; kappa over all their tokens together."""
    rep = PairReport(a, b)
    xs: list[str] = []
    ys: list[str] = []
    for doc in docs:
        rep.documents += 1
        _merge(rep.exact, span_counts(doc.spans_a, doc.spans_b))
        _merge(rep.overlap, span_counts(doc.spans_a, doc.spans_b, overlap=True))
        _merge(
            rep.relations, relation_counts(doc.relations_a, doc.relations_b, symmetric=symmetric)
        )
        xs += token_labels(doc.tokens, doc.spans_a)
        ys += token_labels(doc.tokens, doc.spans_b)
    rep.tokens = len(xs)
    rep.kappa = cohen_kappa(xs, ys)
    used = sorted((set(xs) | set(ys) | set(rep.exact)) - {OUTSIDE})
    rep.label_kappa = label_kappas(xs, ys, used) if xs else dict.fromkeys(used)
    return rep


def _merge(into: dict[str, Counts], new: dict[str, Counts]) -> None:
    for label, c in new.items():
        into.setdefault(label, Counts()).add(c)


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


# ---- from a project ------------------------------------------------------------------------
@dataclass
class AgreementReport:
    status: str
    layers: list[str]
    pairs: list[PairReport]

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "layers": self.layers,
            "pairs": [p.to_dict() for p in self.pairs],
        }


def project_agreement(
    project: Project,
    *,
    status: str = "done",
    tokenizer: Callable[[str], list[TokenT]] | None = None,
) -> AgreementReport:
    """Every pair of volunteer layers over the documents both covered (both marked done,
    or all with ``status="all"``). Reads only; tokens missing from the store are computed
    with the project's tokenizer but not written back."""
    docs = _layer_documents(project, status=status)
    symmetric = {r.name for r in project.schema.relations if r.symmetric}
    pairs = []
    for a, b in combinations(sorted(docs), 2):
        shared = sorted(docs[a] & docs[b])
        items = (_doc_annotations(project, d, a, b, tokenizer) for d in shared)
        pairs.append(pair_agreement(a, b, items, symmetric=symmetric))
    return AgreementReport(status, sorted(docs), pairs)


def _layer_documents(project: Project, *, status: str) -> dict[str, set[int]]:
    from annotator.core.adjudicate import layer_status

    recorded = layer_status(project)
    out = {
        lay: {d for d, s in docs.items() if status == "all" or s == "done"}
        for lay, docs in recorded.items()
    }
    if status == "all":  # layers made by other means than a merge: their documents with spans
        rows = project.conn.execute("SELECT DISTINCT layer, doc_id FROM spans WHERE layer != ''")
        for layer, doc_id in rows:
            out.setdefault(layer, set()).add(doc_id)
    return out


def _doc_annotations(
    project: Project,
    doc_id: int,
    a: str,
    b: str,
    tokenizer: Callable[[str], list[TokenT]] | None,
) -> DocAnnotations:
    from annotator.core.adjudicate import relation_keys, span_key

    tokens = project.tokens(doc_id)
    if tokens is None:
        tokens = (tokenizer or _project_tokenizer())(project.text(doc_id))
    sa, sb = project.spans(doc_id, layer=a), project.spans(doc_id, layer=b)
    return DocAnnotations(
        tokens,
        [span_key(s) for s in sa],
        [span_key(s) for s in sb],
        relation_keys(sa, project.relations(doc_id, layer=a)),
        relation_keys(sb, project.relations(doc_id, layer=b)),
    )


def _project_tokenizer() -> Callable[[str], list[TokenT]]:
    # imported late: the tokenizer loads spaCy, which pure-metric callers never need
    from annotator.core.tokens import tokenize

    return tokenize


# ---- text ----------------------------------------------------------------------------------
def format_report(report: AgreementReport) -> str:
    """A plain-text table per pair (the CLI's output)."""
    if not report.pairs:
        return (
            f"no pair of layers shares a document (status {report.status});"
            f" layers: {', '.join(report.layers) or 'none'}"
        )
    lines: list[str] = []
    for p in report.pairs:
        lines += [
            f"{p.a} vs {p.b}: {p.documents} documents, {p.tokens} tokens",
            f"  span F1 exact {_f(total(p.exact).f1)}  overlap {_f(total(p.overlap).f1)}"
            f"  token kappa {_f(p.kappa)}  relation F1 {_f(total(p.relations).f1)}",
            f"  {'label':<16} {'exact':>6} {'overlap':>8} {'kappa':>6} {'n_a':>5} {'n_b':>5}",
        ]
        for lab in p.labels:
            ex, ov = p.exact.get(lab, Counts()), p.overlap.get(lab, Counts())
            lines.append(
                f"  {lab:<16} {_f(ex.f1):>6} {_f(ov.f1):>8} "
                f"{_f(p.label_kappa.get(lab)):>6} {ex.n_a:>5} {ex.n_b:>5}"
            )
        for lab, c in p.relations.items():
            name = f"rel:{lab}"
            lines.append(f"  {name:<16} {_f(c.f1):>6} {'':>8} {'':>6} {c.n_a:>5} {c.n_b:>5}")
    return "\n".join(lines)


def _f(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"
