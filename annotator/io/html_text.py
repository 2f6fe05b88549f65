"""Visible text of HTML pages, and stray tags in plain-text files (stdlib only).

Pages: drop what a reader never sees as article text (scripts, styles, navigation,
headers, footers, forms), decode entities, keep paragraphs as blank-line separated
blocks, and keep ``<pre>`` as it is.

Plain text scraped from a CMS sometimes carries a few inline tags (a byline link,
a ``<span>``). Those are stripped conservatively: only a known tag set, and only when
the file shows real markup, so "a < b" or "<3" in prose stays.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

SKIP = frozenset({
    "script", "style", "nav", "header", "footer", "aside", "noscript", "template", "svg",
    "form", "iframe", "object", "canvas", "math", "select", "button",
})
BLOCK = frozenset({
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
    "br", "hr", "tr", "table", "thead", "tbody", "tfoot", "caption", "section", "article",
    "main", "blockquote", "pre", "figure", "figcaption", "address", "details", "summary",
    "fieldset", "legend", "center", "body", "html", "title",
})
CELL = frozenset({"td", "th"})
VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
})
_ASCII_WS = re.compile(r"[ \t\n\r\f]+")
_BLANKISH = " \t\n\r\f\u00a0"


@dataclass
class HtmlText:
    text: str
    title: str | None = None


@dataclass
class _Block:
    parts: list[str] = field(default_factory=list)
    pre: bool = False


class _Extractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[_Block] = [_Block()]
        self.skip_depth = 0  # inside SKIP elements (nested ones counted)
        self.pre_depth = 0
        self.title_parts: list[str] | None = None
        self.title: str | None = None

    # -- parser callbacks --
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title" and self.title is None and not self.skip_depth:
            self.title_parts = []
            return
        if tag in SKIP and tag not in VOID:
            self.skip_depth += 1
            return
        if self.skip_depth:
            return
        if tag in BLOCK:
            self._break(pre=tag == "pre")
            self.pre_depth += tag == "pre"
        elif tag in CELL:
            self.blocks[-1].parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <br/>, <div/>: no content, so only the break matters; never enter SKIP.
        if not self.skip_depth and tag in BLOCK:
            self._break(pre=False)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self.title_parts is not None:
            self.title = _ASCII_WS.sub(" ", "".join(self.title_parts)).strip() or None
            self.title_parts = None
            return
        if tag in SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        if self.skip_depth:
            return
        if tag in BLOCK:
            if tag == "pre" and self.pre_depth:
                self.pre_depth -= 1
            self._break(pre=self.pre_depth > 0)

    def handle_data(self, data: str) -> None:
        if self.title_parts is not None:
            self.title_parts.append(data)
        elif not self.skip_depth:
            self.blocks[-1].parts.append(data)

    # -- helpers --
    def _break(self, *, pre: bool) -> None:
        if self.blocks[-1].parts:
            self.blocks.append(_Block(pre=pre))
        else:
            self.blocks[-1].pre = pre


def _render(block: _Block) -> str:
    raw = "".join(block.parts)
    if block.pre:
        # HTML ignores one newline right after <pre>; trailing blank lines are layout.
        raw = raw[1:] if raw.startswith("\n") else raw
        raw = raw.replace("\r\n", "\n").rstrip(_BLANKISH)
        return raw if raw.strip(_BLANKISH) else ""
    text = _ASCII_WS.sub(" ", raw).strip(" ")
    return text if text.strip(_BLANKISH) else ""


def html_to_text(markup: str) -> HtmlText:
    """Visible text of an HTML document: paragraphs separated by one blank line."""
    parser = _Extractor()
    parser.feed(markup)
    parser.close()
    if parser.title_parts is not None:  # <title> never closed
        parser.handle_endtag("title")
    paragraphs = [p for p in (_render(b) for b in parser.blocks) if p]
    return HtmlText(text="\n\n".join(paragraphs), title=parser.title)


# ---- stray tags in plain text ----------------------------------------------------------------
INLINE_TAGS = (
    "a|abbr|b|big|blockquote|br|center|cite|code|div|em|font|h[1-6]|hr|i|img|li|ol|p|s|small"
    "|span|strike|strong|sub|sup|table|tbody|td|th|thead|tr|u|ul"
)
_ATTR = r"""\s+[A-Za-z_:][\w:.-]*(?:\s*=\s*(?:"[^"<>]*"|'[^'<>]*'|[^\s"'<>=`]+))?"""
_TAG = re.compile(rf"<(/?)({INLINE_TAGS})((?:{_ATTR})*)\s*(/?)>", re.IGNORECASE)
# Evidence that a file holds real markup, not prose with "<": a closing tag, a tag
# with a quoted attribute, or a line break tag.
_EVIDENCE = re.compile(
    rf"</(?:{INLINE_TAGS})>|<(?:{INLINE_TAGS})\s[^<>]*=\s*[\"'][^<>]*>|<br\s*/?>",
    re.IGNORECASE,
)
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def has_markup(text: str) -> bool:
    """Whether plain text carries recognisable HTML tags (prose with "<" does not)."""
    return _EVIDENCE.search(text) is not None


def strip_stray_tags(text: str) -> str:
    """Remove known tags (``<br>`` becomes a newline) and decode entities; layout stays."""
    stripped = _TAG.sub(lambda m: "\n" if m.group(2).lower() == "br" else "", text)
    # Only entities ending in ";" so "AT&T" or "&copy2019" in prose stay as written.
    return _ENTITY.sub(lambda m: html.unescape(m.group(0)), stripped)
