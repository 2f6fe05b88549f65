"""Visible text of HTML pages, and stray tags in plain text."""

from __future__ import annotations

import pytest

from annotator.io.html_text import has_markup, html_to_text, strip_stray_tags

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title> Russia &amp; Venezuela
 </title><style>p { color: red }</style>
<script>var s = "<p>not text</p>";</script></head>
<body>
<nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<header><h1>The Daily Site</h1></header>
<article>
<h1>Russia  sends
  troops</h1>
<p>Two planes arrived in <b>Caracas</b>&nbsp;last week &ndash; officials said.</p>
<p>Caf&eacute; &lt;tag&gt; &#8220;quoted&#8221; &#x2014; done</p>
<ul><li>one</li><li>two</li></ul>
<pre>
  code   kept
    as is
</pre>
<table><tr><td>a</td><td>b</td></tr></table>
<svg><title>icon</title><text>svg text</text></svg>
</article>
<aside>Advertisement</aside><footer>Copyright 2019</footer>
<noscript>Enable JavaScript</noscript><form><label>Search</label><input></form>
<template><p>hidden</p></template>
</body></html>"""


def test_visible_text_paragraphs_and_title() -> None:
    page = html_to_text(PAGE)
    assert page.title == "Russia & Venezuela"
    assert page.text == (
        "Russia sends troops\n\n"
        "Two planes arrived in Caracas\u00a0last week \u2013 officials said.\n\n"
        "Caf\u00e9 <tag> \u201cquoted\u201d \u2014 done\n\n"
        "one\n\ntwo\n\n"
        "  code   kept\n    as is\n\n"
        "a b"
    )


@pytest.mark.parametrize("hidden", [
    "not text", "Home", "World", "The Daily Site", "Advertisement", "Copyright", "JavaScript",
    "Search", "hidden", "svg text", "icon", "color: red",
])
def test_invisible_parts_are_dropped(hidden: str) -> None:
    assert hidden not in html_to_text(PAGE).text


def test_br_and_blocks_break_paragraphs() -> None:
    assert html_to_text("one<br>two<br/>three<div>four</div>five").text == (
        "one\n\ntwo\n\nthree\n\nfour\n\nfive"
    )


def test_inline_elements_do_not_break_words() -> None:
    assert html_to_text("<p>Vene<b>zue</b>la and <i>Rus</i>sia</p>").text == "Venezuela and Russia"


def test_head_without_closing_tag_keeps_body() -> None:
    page = html_to_text("<html><head><title>T</title><body><p>Body text</p>")
    assert (page.text, page.title) == ("Body text", "T")


def test_no_title() -> None:
    assert html_to_text("<p>x</p>").title is None


def test_empty_paragraphs_are_dropped() -> None:
    assert html_to_text("<p>a</p><p>&nbsp;</p><p>  </p><p>b</p>").text == "a\n\nb"


# ---- stray tags in plain text ----------------------------------------------------------------
BYLINE = (
    'Written by <a href="index.php?option=com_comprofiler&task=userProfile&user=50519">'
    '<span class="small">Daria Litvinova, CBS News</span></a>   \nFriday'
)


def test_byline_tags_stripped_layout_kept() -> None:
    assert has_markup(BYLINE)
    assert strip_stray_tags(BYLINE) == "Written by Daria Litvinova, CBS News   \nFriday"


@pytest.mark.parametrize("prose", [
    "a < b and c > d",
    "I <3 Caracas",
    "if x <a and b> then",
    "use <b> for bold",
    "x<y",
    "AT&T and R&D",
])
def test_prose_is_not_markup(prose: str) -> None:
    assert not has_markup(prose)


def test_entities_only_with_semicolon() -> None:
    assert strip_stray_tags("<b>AT&amp;T</b> &copy2019 R&D &#8220;x&#8221;") == (
        "AT&T &copy2019 R&D \u201cx\u201d"
    )


def test_br_becomes_newline_and_unknown_tags_stay() -> None:
    assert strip_stray_tags("one<br>two <custom>x</custom> <i>three</i>") == (
        "one\ntwo <custom>x</custom> three"
    )
