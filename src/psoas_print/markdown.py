"""Markdown to HTML (markdown-it-py), and the file references a Markdown text makes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

from markdown_it import MarkdownIt
from markdown_it.token import Token

# Attributes through which HTML makes a renderer load a file.
_LOADING_ATTRIBUTES = {"src", "srcset", "data", "poster", "background"}
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class Reference:
    """A file or URL the rendered HTML would load, and the body line it is on."""

    line: int
    url: str


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"typographer": True}).enable(
        ["table", "replacements", "smartquotes"]
    )


_MARKDOWN = _parser()


def parse(text: str) -> list[Token]:
    return _MARKDOWN.parse(text)


def to_html(tokens: list[Token], heading_shift: int = 0) -> str:
    """Render tokens, moving headings ``heading_shift`` levels down (## to h3 for 1)."""
    if heading_shift:
        for token in _walk(tokens):
            if token.type in ("heading_open", "heading_close"):
                level = min(int(token.tag[1]) + heading_shift, 6)
                token.tag = f"h{level}"
    return _MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {})


def references(tokens: list[Token]) -> Iterator[Reference]:
    """Every URL the HTML of ``tokens`` would fetch: images and raw HTML attributes."""
    for token, line in _walk_lines(tokens):
        if token.type == "image":
            yield Reference(line, str(token.attrGet("src") or ""))
        elif token.type in ("html_block", "html_inline"):
            for url in _html_references(token.content):
                yield Reference(line, url)


def _walk(tokens: list[Token]) -> Iterator[Token]:
    for token, _line in _walk_lines(tokens):
        yield token


def _walk_lines(tokens: list[Token]) -> Iterator[tuple[Token, int]]:
    """Block tokens and the inline tokens inside them, each with its 1-based line.

    Inline tokens carry no line of their own: count the line breaks before them.
    """
    for token in tokens:
        line = token.map[0] + 1 if token.map else 1
        yield token, line
        for child in token.children or []:
            yield child, line
            if child.type in ("softbreak", "hardbreak"):
                line += 1


class _ReferenceCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_style = tag == "style"
        for name, value in attrs:
            if value is None:
                continue
            if name in _LOADING_ATTRIBUTES or (tag == "link" and name == "href"):
                self.urls.extend(part.split()[0] for part in value.split(",") if part.strip())
            elif name == "style":
                self.urls.extend(_CSS_URL.findall(value))

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.urls.extend(_CSS_URL.findall(data))
            self.urls.extend(re.findall(r"""@import\s+['"]([^'"]+)""", data))


def _html_references(html: str) -> list[str]:
    collector = _ReferenceCollector()
    collector.feed(html)
    collector.close()
    return collector.urls


class _IdCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids.extend(value for name, value in attrs if name == "id" and value)


def element_ids(html: str) -> list[str]:
    """Every ``id`` attribute in ``html``, in order: the anchors an author wrote."""
    collector = _IdCollector()
    collector.feed(html)
    collector.close()
    return collector.ids
