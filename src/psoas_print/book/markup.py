"""What HTML, CSS and SVG make a reader load or follow, and how book text is cleaned.

Markup is read with the parsers the typesetter itself uses (tinyhtml5 for HTML, tinycss2
for CSS), so nothing can hide in markup that a simpler reading would take apart
differently. Cleaning keeps what a book needs and drops what could act on a reader's
machine: a link may lead only to the web (``http``, ``https``), to an e-mail address
(``mailto``) or within the book (``#anchor``); scripts, event handlers, frames and
animations go.

Both parsers are imported on first use: together they cost every command some 10 ms at
start-up, and a book without HTML in its Markdown never needs them.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element

if TYPE_CHECKING:
    from tinycss2.ast import FunctionBlock, Node, StringToken, URLToken

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
MATHML_NS = "http://www.w3.org/1998/Math/MathML"
XLINK_HREF = f"{{{XLINK_NS}}}href"

LINK_SCHEMES = {"http", "https", "mailto"}
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
# A browser ignores tabs and line breaks anywhere in a URL ("java\tscript:" is a scheme).
_URL_NOISE = re.compile(r"[\t\n\r]")
_C0_AND_SPACE = "".join(chr(code) for code in range(0x21))  # stripped from a URL's ends

# Elements that run code, show other documents or change how URLs resolve: never needed in
# a book, so dropped with all they hold.
_DROPPED = {
    "script", "iframe", "frame", "frameset", "applet", "portal", "fencedframe", "base",
    "meta", "noembed", "noframes", "noscript", "plaintext", "xmp", "template",
    "handler", "listener", "set", "animate", "animatemotion", "animatetransform",
    "animatecolor", "discard",
}  # fmt: skip
# Attributes holding a URL that a reader goes to (rather than loads), per element.
_LINK_ATTRIBUTES = {"a": {"href", XLINK_HREF}, "area": {"href"}, "form": {"action"}}
_FORM_ACTIONS = {"formaction"}
# Attributes holding a URL (or, for srcset, URLs) that a reader loads.
_LOADING_ATTRIBUTES = {"src", "srcset", "data", "poster", "background", "lowsrc", "dynsrc"}


def allowed_link(href: str) -> bool:
    """Whether a link may reach an output: to the web, to an e-mail address, or within."""
    href = _URL_NOISE.sub("", href).strip(_C0_AND_SPACE)
    if href.startswith("#"):
        return True
    scheme = _SCHEME.match(href)
    return scheme is not None and scheme[1].lower() in LINK_SCHEMES


def local_name(tag: str) -> str:
    """``{namespace}name`` without its namespace, in lower case."""
    return tag.rpartition("}")[2].lower()


# --- HTML ----------------------------------------------------------------------------


def parse_fragment(html: str) -> Element:
    """The ``body`` element of ``html`` read as the content of a page's body."""
    import tinyhtml5  # imported on first use: see the module's note

    tree: Element = tinyhtml5.parse(f"<body>{html}</body>", namespace_html_elements=False)
    body = tree.find("body")
    assert body is not None  # the parser always makes one
    return body


def parse_document(html: str) -> Element:
    """The ``html`` element of a whole page, read as the typesetter reads it."""
    import tinyhtml5  # imported on first use: see the module's note

    document: Element = tinyhtml5.parse(html, namespace_html_elements=False)
    return document


def clean_fragment(html: str) -> str:
    """``html`` with every link that may not reach an output, and every script, taken out.

    The result is written out from the parsed tree, so every element, attribute and
    comment is closed: what follows it on a page is read as it would be without it.
    """
    body = parse_fragment(html)
    clean_tree(body)
    return serialize(body, inner=True)


def clean_tree(root: Element) -> bool:
    """Drop scripts, frames, animations, event handlers and links that may not reach an
    output from ``root`` and everything in it (HTML or SVG); whether anything went."""
    changed = False
    for parent in list(root.iter()):
        for child in list(parent):
            if isinstance(child.tag, str) and local_name(child.tag) in _DROPPED:
                _remove(parent, child)
                changed = True
        for name, value in list(parent.attrib.items()):
            if _unsafe_attribute(parent, name, value):
                del parent.attrib[name]
                changed = True
    return changed


def _unsafe_attribute(element: Element, name: str, value: str) -> bool:
    if local_name(name).startswith("on"):  # onclick, onload, onerror...
        return True
    return is_link(element, name) and not allowed_link(value)


def _remove(parent: Element, child: Element) -> None:
    """Take ``child`` out of ``parent``, keeping the text that follows it."""
    if child.tail:
        index = list(parent).index(child)
        if index:
            previous = parent[index - 1]
            previous.tail = (previous.tail or "") + child.tail
        else:
            parent.text = (parent.text or "") + child.tail
    parent.remove(child)


def is_link(element: Element, name: str) -> bool:
    """Whether the attribute ``name`` of ``element`` is a URL to go to, not to load."""
    if not isinstance(element.tag, str):
        return False
    linking = _LINK_ATTRIBUTES.get(local_name(element.tag), set()) | _FORM_ACTIONS
    if element.tag.startswith(f"{{{MATHML_NS}}}"):  # MathML makes a link of any href
        linking = linking | {"href", XLINK_HREF}
    return name in linking


def loading_attributes(element: Element) -> Iterator[str]:
    """The attributes of ``element`` that make a reader load a file (or, for ``style``,
    that hold CSS that may)."""
    for name in element.attrib:
        attribute = local_name(name)
        if attribute in _LOADING_ATTRIBUTES or attribute == "style":
            yield name
        elif attribute == "href" and not is_link(element, name):
            yield name  # a stylesheet link, an SVG image or use
        elif element.tag.startswith(f"{{{SVG_NS}}}") and "url(" in element.attrib[name].lower():
            yield name  # a presentation attribute: fill="url(...)"


def loaded_urls(root: Element) -> Iterator[str]:
    """Every URL that ``root`` and everything in it make a reader load."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name in loading_attributes(element):
            yield from attribute_urls(name, element.attrib[name])
        if local_name(element.tag) == "style" and element.text:
            yield from css_urls(element.text)


def attribute_urls(name: str, value: str) -> list[str]:
    """The URLs one loading attribute names: itself, the list of a srcset, or the url()s
    of CSS (a style attribute, an SVG presentation attribute)."""
    attribute = local_name(name)
    if attribute == "srcset":
        return [part.split()[0] for part in value.split(",") if part.strip()]
    if attribute in _LOADING_ATTRIBUTES or attribute == "href":
        return [value.strip()]
    return css_urls(value)


# --- CSS -----------------------------------------------------------------------------


def css_urls(css: str) -> list[str]:
    """Every URL that CSS loads: ``url()``, and ``@import`` of a plain string."""
    import tinycss2  # imported on first use: see the module's note

    urls: list[str] = []

    def collect(url: str) -> None:
        urls.append(url)

    _each_css_url_in(tinycss2.parse_component_value_list(css), collect)
    return urls


def rewrite_css_urls(css: str, replace: Callable[[str], str | None]) -> str:
    """``css`` with each URL it loads replaced by ``replace(url)`` (unless that is None).

    Written out again only when something changed, so other CSS stays as it was written.
    """
    import tinycss2  # imported on first use: see the module's note

    tokens = tinycss2.parse_component_value_list(css, skip_comments=False)
    if not _each_css_url_in(tokens, replace):
        return css
    serialized: str = tinycss2.serialize(tokens)
    return serialized


def _each_css_url_in(tokens: list[Node], visit: Callable[[str], str | None]) -> bool:
    """Call ``visit`` on every URL in the tokens, walked without recursion (CSS may nest
    deep); where it returns a new URL, put that in. Whether anything was replaced."""
    changed = False
    pending = deque([tokens])  # first in, first out: the URLs come in the order written
    while pending:
        for token in _url_tokens(pending.popleft(), pending):
            if (new := visit(token.value)) is not None:
                _replace_url(token, new)
                changed = True
    return changed


def _url_tokens(
    sequence: list[Node], pending: deque[list[Node]]
) -> Iterator[URLToken | StringToken]:
    """The tokens of one level of CSS that hold a URL to load (a url token, or the string
    of ``url("...")`` or ``@import "..."``); the levels inside it go to ``pending``."""
    from tinycss2.ast import (
        AtKeywordToken,
        CurlyBracketsBlock,
        FunctionBlock,
        LiteralToken,
        ParenthesesBlock,
        SquareBracketsBlock,
        URLToken,
    )

    after_namespace = False  # @namespace names a namespace with url(), and loads nothing
    for index, token in enumerate(sequence):
        if isinstance(token, AtKeywordToken):
            after_namespace = token.lower_value == "namespace"
            if token.lower_value == "import" and (string := _import_string(sequence, index)):
                yield string
        elif isinstance(token, URLToken) or (
            isinstance(token, FunctionBlock) and token.lower_name == "url"
        ):
            argument = token if isinstance(token, URLToken) else _string_argument(token)
            if argument is not None and not after_namespace:
                yield argument
            after_namespace = False
        elif isinstance(token, FunctionBlock):
            pending.append(token.arguments)
        elif isinstance(token, ParenthesesBlock | SquareBracketsBlock | CurlyBracketsBlock):
            pending.append(token.content)  # the blocks: the only tokens with content
        elif isinstance(token, LiteralToken) and token.value == ";":
            after_namespace = False


def _string_argument(function: FunctionBlock) -> StringToken | None:
    from tinycss2.ast import StringToken

    return next((token for token in function.arguments if isinstance(token, StringToken)), None)


def _replace_url(token: URLToken | StringToken, new: str) -> None:
    from tinycss2.serializer import serialize_string_value, serialize_url

    token.value = new
    if token.type == "url":
        token.representation = f"url({serialize_url(new)})"
    else:
        token.representation = f'"{serialize_string_value(new)}"'


def _import_string(sequence: list[Node], index: int) -> StringToken | None:
    """The string right after ``@import`` (``@import "a.css"``), if that is its form."""
    from tinycss2.ast import StringToken

    for token in sequence[index + 1 :]:
        if token.type in ("whitespace", "comment"):
            continue
        return token if isinstance(token, StringToken) else None
    return None


# --- writing HTML --------------------------------------------------------------------

_VOID = {
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img",
    "input", "keygen", "link", "meta", "param", "source", "track", "wbr",
}  # fmt: skip
_RAW_TEXT = {"style", "script"}  # written as they are: the parser reads no markup in them
_ESCAPABLE_RAW_TEXT = {"textarea", "title"}
_LEADING_NEWLINE_DROPPED = {"pre", "textarea", "listing"}
_PREFIXES = {
    XLINK_NS: "xlink",
    "http://www.w3.org/XML/1998/namespace": "xml",
    "http://www.w3.org/2000/xmlns/": "xmlns",
}
_NAME = re.compile(r"^[A-Za-z][^\s/>\x00\"'<=]*$")
_ATTRIBUTE_NAME = re.compile(r"^[^\s/>\x00\"'<=]+$")


def serialize(root: Element, inner: bool = False) -> str:
    """``root`` as HTML (only what it holds with ``inner``), written without recursion, as
    a parser reads HTML: void elements without end tags, the text of ``style`` as it is.

    Comments are left out, and elements or attributes whose names HTML cannot write
    are dropped, so that the result reads back as the same tree.
    """
    out: list[str] = []
    stack: list[tuple[Element, bool]] = []
    if inner:
        out.append(_text(root, root.text))
        stack.extend((child, False) for child in reversed(root))
    else:
        stack.append((root, False))
    while stack:
        element, closing = stack.pop()
        tail = _escape(element.tail or "") if element is not root else ""
        if closing:
            out.append(f"</{_tag(element)}>{tail}")
            continue
        if not isinstance(element.tag, str) or not _NAME.match(_tag(element)):
            out.append(tail)  # a comment, or a name that cannot be written
            continue
        out.append(f"<{_tag(element)}{_attributes(element)}>")
        if _tag(element) in _VOID and _is_html(element):
            out.append(tail)
            continue
        text = element.text or ""
        if _tag(element) in _LEADING_NEWLINE_DROPPED and text.startswith("\n"):
            text = "\n" + text  # the parser drops one newline right after the start tag
        out.append(_text(element, text))
        stack.append((element, True))
        stack.extend((child, False) for child in reversed(element))
    return "".join(out)


def _tag(element: Element) -> str:
    return element.tag.rpartition("}")[2]


def _is_html(element: Element) -> bool:
    return not element.tag.startswith("{")


def _text(element: Element, text: str | None) -> str:
    if not text:
        return ""
    name = _tag(element).lower() if isinstance(element.tag, str) else ""
    if _is_html(element) and name in _RAW_TEXT:
        return text
    if _is_html(element) and name in _ESCAPABLE_RAW_TEXT:
        return text.replace("&", "&amp;").replace("<", "&lt;")
    return _escape(text)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attributes(element: Element) -> str:
    parts = []
    for name, value in element.attrib.items():
        written = _attribute_name(name)
        if written is None:
            continue
        escaped = value.replace("&", "&amp;").replace('"', "&quot;")
        parts.append(f' {written}="{escaped.replace("<", "&lt;").replace(">", "&gt;")}"')
    return "".join(parts)


def _attribute_name(name: str) -> str | None:
    """How HTML writes an attribute (``xlink:href``), or None when it cannot."""
    if name.startswith("{"):
        namespace, _, local = name[1:].partition("}")
        prefix = _PREFIXES.get(namespace)
        if prefix is None:
            return None
        name = "xmlns" if (prefix, local) == ("xmlns", "xmlns") else f"{prefix}:{local}"
    return name if _ATTRIBUTE_NAME.match(name) else None
