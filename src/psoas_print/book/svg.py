"""SVG pictures of a book: read safely, checked to stand alone, cleaned of scripts.

An SVG file is XML that can name other files and URLs (``<image href>``, ``<use href>``,
``url()`` in its CSS, ``<?xml-stylesheet?>``) and carry scripts. A book's SVG picture
must stand alone: it may use its own parts (``#id``) and ``data:`` URLs, nothing else, so
that it shows the same in the PDF, the EPUB and the exported HTML and reads nothing of
the machine it is built on. Scripts, event handlers and links other than to the web are
taken out of every copy that reaches an output.

The XML is read without a DOCTYPE: entity declarations can make a few bytes expand to
gigabytes, and no SVG needs them.
"""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from urllib.parse import unquote_to_bytes
from xml.etree.ElementTree import Element
from xml.parsers import expat

from psoas_print.book import markup
from psoas_print.limits import MAX_SVG_DEPTH

# No real picture nests groups this deep; deeper nesting would only exhaust the recursion
# of the code that draws it.
# data: URLs inside data: URLs are followed this far (a picture in a picture in a picture).
_MAX_NESTED = 3


class SvgProblem(Exception):
    """Why an SVG picture cannot be used, without its name (the caller gives it)."""


@dataclass
class Parsed:
    """An SVG file read: its root element and the stylesheets its XML prolog names."""

    root: Element
    stylesheets: list[str] = field(default_factory=list)


def looks_like_svg(data: bytes) -> bool:
    """Whether ``data`` is XML with an ``<svg`` near its start (as a renderer would guess)."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<") and b"<svg" in head


def parse(data: bytes) -> Parsed:
    """The SVG in ``data``, read with no DOCTYPE, entity or nesting beyond the limit."""
    reader = _Reader()
    try:
        reader.parser.Parse(data, True)
    except expat.ExpatError as error:
        raise SvgProblem(f"is not well-formed XML ({error})") from None
    root = reader.builder.close()
    if markup.local_name(root.tag) != "svg":
        raise SvgProblem(f"is not an SVG picture: its outermost element is <{root.tag}>")
    return Parsed(root, reader.stylesheets)


class _Reader:
    """An XML parser that builds an ElementTree and refuses what an SVG never needs."""

    def __init__(self) -> None:
        self.builder = ElementTree.TreeBuilder()
        self.stylesheets: list[str] = []
        self.depth = 0
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.buffer_text = True
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self.builder.data
        self.parser.ProcessingInstructionHandler = self._instruction
        self.parser.StartDoctypeDeclHandler = _refuse_doctype
        self.parser.EntityDeclHandler = _refuse_doctype

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        self.depth += 1
        if self.depth > MAX_SVG_DEPTH:
            raise SvgProblem(f"nests elements more than {MAX_SVG_DEPTH} deep")
        qualified = {_qualified(key): value for key, value in attributes.items()}
        self.builder.start(_qualified(name), qualified)

    def _end(self, name: str) -> None:
        self.depth -= 1
        self.builder.end(_qualified(name))

    def _instruction(self, target: str, data: str) -> None:
        if target.lower() == "xml-stylesheet":
            found = re.search(r"""href\s*=\s*["']([^"']*)["']""", data)
            self.stylesheets.append(found[1] if found else data)


def _refuse_doctype(*_: object) -> None:
    raise SvgProblem(
        "declares a DOCTYPE: an SVG picture may not (its entities could make it huge); "
        "remove the <!DOCTYPE …> from the file"
    )


def _qualified(name: str) -> str:
    """expat's ``namespace name`` as ElementTree's ``{namespace}name``."""
    namespace, _, local = name.rpartition(" ")
    return f"{{{namespace}}}{local}" if namespace else local


# --- what a picture refers to -------------------------------------------------------


def problems(data: bytes, nested: int = 0) -> list[str]:
    """What is wrong with the SVG picture in ``data``, each without the picture's name:
    it cannot be read, or (cleaned of scripts) it refers to other files or URLs."""
    try:
        parsed = parse(data)
    except SvgProblem as problem:
        return [str(problem)]
    markup.clean_tree(parsed.root)
    found = []
    for url in [*parsed.stylesheets, *references(parsed.root)]:
        inner = data_url(url)
        if inner is not None and nested < _MAX_NESTED and looks_like_svg(inner):
            inside = problems(inner, nested + 1)
            found += [f"holds a picture (a data: URL) that {problem}" for problem in inside]
        elif not _its_own(url):
            found.append(
                f"refers to '{url}': an SVG picture may use only its own parts (#id) and "
                "data: URLs, never another file or the network"
            )
    return found


def references(root: Element) -> list[str]:
    """Every URL the picture loads: hrefs (but not links), url() in attributes and CSS."""
    urls = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            if markup.is_link(element, name):
                continue
            if markup.local_name(name) in ("href", "src", "data"):
                urls.append(value.strip())
            elif "url(" in value.lower() or markup.local_name(name) == "style":
                urls += markup.css_urls(value)
        if markup.local_name(element.tag) == "style" and element.text:
            urls += markup.css_urls(element.text)
    return urls


def _its_own(url: str) -> bool:
    """A reference to a part of the picture itself, or to data written inside it."""
    url = url.strip()
    return url.startswith("#") or url[:5].lower() == "data:"


def data_url(url: str) -> bytes | None:
    """The bytes a ``data:`` URL holds, or None if ``url`` is none (or is broken)."""
    url = url.strip()
    if url[:5].lower() != "data:" or "," not in url:
        return None
    header, _, payload = url[5:].partition(",")
    try:
        if header.lower().endswith(";base64"):
            return base64.b64decode(unquote_to_bytes(payload), validate=False)
        return unquote_to_bytes(payload)
    except ValueError:
        return None


# --- cleaning ------------------------------------------------------------------------


def clean(data: bytes) -> bytes:
    """The picture without scripts, event handlers, stylesheets named in its prolog and
    links other than to the web; the very bytes given when there is nothing to take out.

    Raises SvgProblem when it cannot be read safely.
    """
    parsed = parse(data)
    if not markup.clean_tree(parsed.root) and not parsed.stylesheets:
        return data
    return _xml(parsed.root)


def _xml(root: Element) -> bytes:
    """The picture written as XML: SVG the default namespace, known prefixes kept."""
    prefixes = _prefixes(root)
    declarations = "".join(
        f' xmlns{":" + prefix if prefix else ""}="{_attribute(uri)}"'
        for uri, prefix in prefixes.items()
        if uri != _XML_NS
    )
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n']
    _write(root, prefixes, out, declarations)
    return "".join(out).encode()


_XML_NS = "http://www.w3.org/XML/1998/namespace"
_KNOWN_PREFIXES = {
    markup.SVG_NS: "svg",
    markup.XLINK_NS: "xlink",
    _XML_NS: "xml",
    "http://www.inkscape.org/namespaces/inkscape": "inkscape",
    "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd": "sodipodi",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://creativecommons.org/ns#": "cc",
}


def _prefixes(root: Element) -> dict[str, str]:
    """A prefix for every namespace the picture uses; SVG's is the default one when
    every element has a namespace (an element without one could not be written then)."""
    elements = list(root.iter())
    tags = [element.tag for element in elements]
    names = [*tags, *(name for element in elements for name in element.attrib)]
    uris = dict.fromkeys(name[1:].partition("}")[0] for name in names if name.startswith("{"))
    svg_default = all(tag.startswith("{") for tag in tags)
    return {
        uri: "" if uri == markup.SVG_NS and svg_default else _KNOWN_PREFIXES.get(uri, f"ns{n}")
        for n, uri in enumerate(uris)
    }


def _write(element: Element, prefixes: dict[str, str], out: list[str], extra: str = "") -> None:
    """One element and all it holds (nesting is limited when the picture is read)."""
    tag = _name(element.tag, prefixes)
    attributes = "".join(
        f' {_name(name, prefixes)}="{_attribute(value)}"' for name, value in element.attrib.items()
    )
    out.append(f"<{tag}{extra}{attributes}>{_cdata(element.text or '')}")
    for child in element:
        _write(child, prefixes, out)
    out.append(f"</{tag}>{_cdata(element.tail or '')}")


def _name(name: str, prefixes: dict[str, str]) -> str:
    if not name.startswith("{"):
        return name
    uri, _, local = name[1:].partition("}")
    return f"{prefixes[uri]}:{local}" if prefixes[uri] else local


def _cdata(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attribute(text: str) -> str:
    escaped = _cdata(text).replace('"', "&quot;")
    return escaped.replace("\n", "&#10;").replace("\t", "&#9;").replace("\r", "&#13;")
