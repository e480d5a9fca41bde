"""How deep the HTML of a chapter or an exercise nests, and where it goes too deep.

Raw HTML in Markdown can nest elements thousands of levels deep in a few kilobytes, and
the typesetter lays boxes out recursively: such a book would fail deep inside a render
with no word of where. The HTML made from a Markdown body is measured when the book is
read, and nesting beyond the documented limit is an error at its line.
"""

from __future__ import annotations

from html.parser import HTMLParser

from markdown_it.token import Token

from psoas_print.book import markdown
from psoas_print.limits import MAX_HTML_DEPTH

# Elements that hold no content, so never nest (HTML needs no end tag for them).
_VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip
# Elements that an opening tag of the same kind closes (<li>a<li>b), as browsers read them.
_SELF_CLOSING = {"p", "li", "dt", "dd", "tr", "td", "th", "option"}

TOO_DEEP = (
    f"HTML nested more than {MAX_HTML_DEPTH} elements deep; "
    "close the elements you open, or nest fewer of them"
)


class _DepthGauge(HTMLParser):
    """Follows the open elements; notes the first start tag past the limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(convert_charrefs=True)
        self.limit = limit
        self.open: list[str] = []
        self.too_deep_at: int | None = None  # the line of the HTML fed so far, from 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        if tag in _SELF_CLOSING and self.open and self.open[-1] == tag:
            self.open.pop()
        self.open.append(tag)
        if len(self.open) > self.limit and self.too_deep_at is None:
            self.too_deep_at = self.getpos()[0]

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:  # a stray end tag closes nothing
            while self.open.pop() != tag:
                pass


def deepest_ok(html: str, limit: int = MAX_HTML_DEPTH) -> bool:
    """Whether ``html`` keeps within ``limit`` levels of elements."""
    if html.count("<") <= limit:  # too few tags to nest that deep: most bodies, at once
        return True
    return _gauge(html, limit).too_deep_at is None


def too_deep_line(tokens: list[Token], html: str, limit: int = MAX_HTML_DEPTH) -> int | None:
    """The body line (from 1) where the HTML of ``tokens`` nests past ``limit``, or None.

    ``html`` is what ``tokens`` rendered to, measured whole; only when it is too deep are
    the tokens rendered one block at a time, to find the line of the Markdown source.
    """
    if deepest_ok(html, limit):
        return None
    gauge = _DepthGauge(limit)
    fed_lines = 0  # lines of HTML fed before the current block
    line = 1
    for token in tokens:
        line = token.map[0] + 1 if token.map else line
        piece = markdown.to_html([token])
        gauge.feed(piece)
        if gauge.too_deep_at is not None:
            return line + gauge.too_deep_at - fed_lines - 1
        fed_lines += piece.count("\n")
    return line  # where the whole measured deeper than the pieces: the last block


def _gauge(html: str, limit: int) -> _DepthGauge:
    gauge = _DepthGauge(limit)
    gauge.feed(html)
    gauge.close()
    return gauge
