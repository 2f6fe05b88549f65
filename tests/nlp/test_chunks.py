"""Long texts are cut at whitespace into pieces that cover the text exactly."""

from __future__ import annotations

import pytest

from annotator.core.tokens import tokenize
from annotator.nlp.chunks import split_text


@pytest.mark.parametrize(
    "text",
    [
        "word " * 50_000,
        ("A sentence here. " * 3000 + "\n\n") * 10,
        "x" * 25_000 + " tail",
        "",
    ],
)
def test_pieces_cover_the_text_in_order(text: str) -> None:
    pieces = list(split_text(text, size=10_000))
    assert "".join(p for _, p in pieces) == text
    assert all(len(p) <= 10_000 for _, p in pieces)
    assert [off for off, _ in pieces] == [
        sum(len(p) for _, p in pieces[:i]) for i in range(len(pieces))
    ]


def test_cuts_prefer_paragraphs_and_keep_tokens_whole() -> None:
    text = ("Russia sent troops to Venezuela. " * 200 + "\n\n") * 20
    pieces = list(split_text(text, size=10_000))
    assert all(p.endswith("\n\n") for _, p in pieces[:-1])
    shifted = [(s + off, e + off) for off, p in pieces for s, e in tokenize(p)]
    assert shifted == tokenize(text)
