"""Agreement metrics on hand-made data, with the figures worked out by hand."""

from __future__ import annotations

import pytest

from annotator.core.agreement import (
    DocAnnotations,
    cohen_kappa,
    label_kappas,
    pair_agreement,
    relation_counts,
    span_counts,
    token_labels,
    total,
)

# "Russia sent troops to Venezuela to support Nicolas Maduro."
TOKENS = [
    (0, 6),
    (7, 11),
    (12, 18),
    (19, 21),
    (22, 31),
    (32, 34),
    (35, 42),
    (43, 50),
    (51, 57),
    (57, 58),
]
A = [(0, 6, "GPE"), (22, 31, "GPE"), (43, 57, "PERSON")]
B = [(0, 6, "GPE"), (22, 31, "ORG"), (51, 57, "PERSON")]


def test_exact_span_f1_by_hand() -> None:
    # GPE: A has 2, B has 1, 1 exact match -> F1 = 2*1/(2+1) = 0.667
    # ORG: 0 of (0, 1) -> 0; PERSON: 43-57 vs 51-57 differ -> 0
    # all labels: 1 match of (3, 3) -> 2/6 = 0.333
    c = span_counts(A, B)
    assert c["GPE"].f1 == pytest.approx(2 / 3)
    assert c["ORG"].f1 == 0 and c["PERSON"].f1 == 0
    assert total(c).f1 == pytest.approx(1 / 3)


def test_overlap_span_f1_by_hand() -> None:
    # as exact, but PERSON 43-57 overlaps 51-57 -> PERSON F1 1.0; all: 2 of (3, 3) -> 0.667
    c = span_counts(A, B, overlap=True)
    assert c["PERSON"].f1 == 1.0
    assert total(c).f1 == pytest.approx(2 / 3)


def test_overlap_matching_is_one_to_one_and_greedy_by_overlap() -> None:
    # one long span cannot match both halves: 1 match of (1, 2) -> 2/3
    assert span_counts([(0, 10, "L")], [(0, 4, "L"), (5, 10, "L")], overlap=True)["L"].matched == 1
    # B 5-12 overlaps A 0-10 by 5 and A 8-20 by 4: it goes to 0-10, 8-20 stays unmatched
    c = span_counts([(0, 10, "L"), (8, 20, "L")], [(5, 12, "L")], overlap=True)["L"]
    assert (c.matched, c.n_a, c.n_b) == (1, 2, 1)


def test_token_labels_and_kappa_by_hand() -> None:
    # A: GPE O O O GPE O O PERSON PERSON O      B: GPE O O O ORG O O O PERSON O
    ta, tb = token_labels(TOKENS, A), token_labels(TOKENS, B)
    assert ta == ["GPE", "O", "O", "O", "GPE", "O", "O", "PERSON", "PERSON", "O"]
    assert tb == ["GPE", "O", "O", "O", "ORG", "O", "O", "O", "PERSON", "O"]
    # observed 8/10 = 0.8; A: GPE 2, O 6, PERSON 2; B: GPE 1, O 7, ORG 1, PERSON 1
    # expected (2*1 + 6*7 + 2*1) / 100 = 0.46; kappa = (0.8 - 0.46) / 0.54 = 0.6296
    assert cohen_kappa(ta, tb) == pytest.approx(0.34 / 0.54)
    # GPE as yes/no: observed 0.9, expected (2*1 + 8*9)/100 = 0.74 -> 0.16/0.26 = 0.6154
    # ORG: observed 0.9, expected (0*1 + 10*9)/100 = 0.9 -> 0.0
    k = label_kappas(ta, tb, ["GPE", "ORG", "PERSON"])
    assert k["GPE"] == pytest.approx(0.16 / 0.26)
    assert k["PERSON"] == pytest.approx(0.16 / 0.26)
    assert k["ORG"] == pytest.approx(0.0)


def test_kappa_undefined_when_chance_agreement_is_total() -> None:
    assert cohen_kappa(["O", "O"], ["O", "O"]) is None
    assert cohen_kappa([], []) is None


def test_token_covered_by_two_spans_takes_the_one_covering_most() -> None:
    toks = [(0, 4), (5, 9)]
    assert token_labels(toks, [(0, 9, "ORG"), (5, 9, "GPE"), (6, 9, "LOC")]) == ["ORG", "ORG"]
    assert token_labels(toks, [(2, 4, "GPE")]) == ["GPE", "O"]  # partial cover still counts


def test_relation_f1_symmetric_types_match_in_either_direction() -> None:
    x, y, z = (0, 4, "GPE"), (9, 18, "GPE"), (20, 25, "PERSON")
    a = [(x, y, "ALLIED_WITH"), (x, z, "SUPPORT")]
    b = [(y, x, "ALLIED_WITH"), (z, x, "SUPPORT")]
    # ALLIED_WITH is symmetric: 1 match of (1, 1); SUPPORT is directed: 0 of (1, 1)
    # all: 1 match of (2, 2) -> 2/4 = 0.5
    c = relation_counts(a, b, symmetric={"ALLIED_WITH"})
    assert c["ALLIED_WITH"].f1 == 1.0 and c["SUPPORT"].f1 == 0
    assert total(c).f1 == 0.5


def test_pair_sums_documents_and_pools_tokens() -> None:
    doc2 = DocAnnotations([(0, 4), (5, 9)], [(0, 4, "GPE")], [(0, 4, "GPE")])
    rep = pair_agreement("a", "b", [DocAnnotations(TOKENS, A, B), doc2])
    assert (rep.documents, rep.tokens) == (2, 12)
    assert total(rep.exact).f1 == pytest.approx(2 * 2 / 8)  # 2 matches of (4, 4)
    d = rep.to_dict()
    assert d["labels"]["GPE"]["exact"]["matched"] == 2
    assert set(d) >= {"span_f1_exact", "span_f1_overlap", "token_kappa", "relation_f1"}
