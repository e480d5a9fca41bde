"""Markdown to HTML (markdown-it-py), and the file references a Markdown text makes.

A book's Markdown may hold raw HTML, and a shared book is untrusted: its HTML is cleaned
(markup.py) before it reaches any output, and what it loads is found in the cleaned HTML
as the typesetter will read it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from xml.etree.ElementTree import Element

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from psoas_print.book import markup, typography

_RAW_HTML = ("html_block", "html_inline")


@dataclass(frozen=True)
class Reference:
    """A file or URL the rendered HTML would load, and the body line it is on."""

    line: int
    url: str


@functools.cache
def _parser(language: str) -> MarkdownIt:
    """A parser that sets the quotation marks of ``language`` and, for French, its spaces."""
    options = {"typographer": True, "quotes": list(typography.quotes(language))}
    parser = MarkdownIt("commonmark", options).enable(["table", "replacements", "smartquotes"])
    if typography.is_french(language):
        parser.core.ruler.push("french_spacing", _french_spacing)
    return parser


def _french_spacing(state: StateCore) -> None:
    """The no-break spaces before ``: ; ! ?`` in the text itself, never in code or HTML."""
    for token in state.tokens:
        for child in token.children or ():
            if child.type == "text":
                child.content = typography.french_spacing(child.content)


_MARKDOWN = _parser("en")  # renders tokens of any language: the typography is in the tokens


def parse(text: str, language: str = "en") -> list[Token]:
    """The tokens of ``text``, written in ``language`` (a BCP 47 tag, for its typography)."""
    return _parser(language).parse(text)


def to_html(tokens: list[Token], heading_shift: int = 0) -> str:
    """Render tokens, moving headings ``heading_shift`` levels down (## to h3 for 1)."""
    if heading_shift:
        for token in _walk(tokens):
            if token.type in ("heading_open", "heading_close"):
                level = min(int(token.tag[1]) + heading_shift, 6)
                token.tag = f"h{level}"
    # markdown-it-py's renderer protocol returns Any; its HTML renderer, the one used, a str.
    html: str = _MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {})
    return html


def safe_html(tokens: list[Token], heading_shift: int = 0) -> str:
    """The HTML of a book's text as it may reach an output: a link leads only to the web,
    to an e-mail address or within the book (else it keeps its text and loses its href);
    no scripts, event handlers or frames."""
    unlink_unsafe(tokens)
    return clean_raw_html(tokens, to_html(tokens, heading_shift))


def unlink_unsafe(tokens: list[Token]) -> None:
    """Take the href off every Markdown link that may not reach an output; its text stays."""
    for token in _walk(tokens):
        if token.type == "link_open" and not markup.allowed_link(str(token.attrGet("href") or "")):
            token.attrs.pop("href", None)


def clean_raw_html(tokens: list[Token], html: str) -> str:
    """``html`` (rendered from ``tokens``) with its raw HTML cleaned.

    Markdown alone makes no markup but its own, so only a text with raw HTML is parsed
    again: once, as the typesetter will parse it.
    """
    return markup.clean_fragment(html) if _has_raw_html(tokens) else html


def references(tokens: list[Token], html: str | None = None) -> list[Reference]:
    """Every URL the HTML of ``tokens`` would load (images, raw HTML attributes and CSS),
    each with the body line that names it.

    With ``html`` (what ``safe_html`` made of the tokens), the URLs are those of that HTML
    as the typesetter reads it: nothing that raw HTML hides from a simpler reading, and
    nothing that cleaning took out.
    """
    written = list(_written_references(tokens))
    if html is None or not _has_raw_html(tokens):
        return written
    lines: dict[str, list[int]] = {}
    for reference in written:
        lines.setdefault(reference.url, []).append(reference.line)
    first_raw = next(line for token, line in _walk_lines(tokens) if token.type in _RAW_HTML)
    return [
        Reference(_next_line(lines.get(url), first_raw), url)
        for url in markup.loaded_urls(markup.parse_fragment(html))
    ]


def _next_line(lines: list[int] | None, fallback: int) -> int:
    """The next line a URL was written on; the last one stays for any further use of it.
    A URL that only the whole HTML shows is placed on the first line of raw HTML."""
    if not lines:
        return fallback
    return lines.pop(0) if len(lines) > 1 else lines[0]


def _has_raw_html(tokens: list[Token]) -> bool:
    return any(token.type in _RAW_HTML for token in _walk(tokens))


def _written_references(tokens: list[Token]) -> Iterator[Reference]:
    """The URLs of images and of raw HTML, read token by token for their lines."""
    for token, line in _walk_lines(tokens):
        if token.type == "image":
            yield Reference(line, str(token.attrGet("src") or ""))
        elif token.type in _RAW_HTML:
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
    """The URLs in one piece of raw HTML, read only to find the line each is on."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_style = tag == "style"
        element = Element(tag, {name: value for name, value in attrs if value is not None})
        for name in markup.loading_attributes(element):
            self.urls.extend(markup.attribute_urls(name, element.attrib[name]))

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.urls.extend(markup.css_urls(data))


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
