"""Writing the HTML of a product so that it stands on its own: the plain ``weasyprint``
command renders it to the same pages, its fonts and pictures found beside it.

Every file the render loads (an element's ``src`` or ``data``, a stylesheet or an SVG
``href``, a ``url()`` in CSS) is copied into a ``NAME_files`` folder next to it, through
the build's resolver, and its reference becomes a relative URL; links and text are never
followed. The HTML is read as the typesetter reads it and written out again from that
reading, so a reference cannot hide in markup, and nothing else is copied.

An export is worked out in full (``prepare_export``, which raises BookError) before the
product it belongs to is written, and written only after (``write_export``).
"""

from __future__ import annotations

import functools
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import quote
from xml.etree.ElementTree import Element

from psoas_print.book import markup, svg
from psoas_print.book.resolver import Refused, Resolver
from psoas_print.book.sources import Sources
from psoas_print.errors import BookError
from psoas_print.output import write_atomically, write_text

# The attributes through which the typesetter itself loads a file, and those of the other
# loading attributes that it leaves alone (browsers use them; they are never copied).
_LOADED_BY_RENDER = {"src", "data", "href"}
_NOT_LOADED_BY_RENDER = {"srcset", "poster", "background", "lowsrc", "dynsrc"}


@dataclass(frozen=True)
class HtmlExport:
    """An exported page, ready to write: its HTML and the files to put beside it."""

    target: Path
    html: str
    files: dict[str, Path | bytes]  # name in the folder: the file to copy, or what to write
    resolver: Resolver

    @property
    def folder(self) -> Path:
        return files_folder(self.target)


def files_folder(target: Path) -> Path:
    return target.with_name(f"{target.stem}_files")


def prepare_export(html: str, target: Path, sources: Sources) -> HtmlExport:
    """The export of ``html`` to ``target``: every file it needs found and checked, and
    every reference rewritten; a file that cannot be used raises BookError."""
    collector = _Collector(target, sources.resolver)
    page = markup.parse_document(html)
    for element in list(page.iter()):
        if isinstance(element.tag, str) and markup.local_name(element.tag) == "base":
            _drop(page, element)  # the book folder's address would tie the file to this machine
    for element in page.iter():
        if isinstance(element.tag, str):
            _rewrite_element(element, collector)
    text = f"<!DOCTYPE html>\n{markup.serialize(page)}\n"
    return HtmlExport(target, text, collector.files, sources.resolver)


def write_export(export: HtmlExport) -> None:
    """Write an export worked out before: the files beside it first, then the page."""
    for name, source in export.files.items():
        destination = export.folder / name
        if isinstance(source, bytes):
            write_atomically(destination, functools.partial(_write_bytes, data=source))
        else:
            _copy(export, source, destination)
    write_text(export.target, export.html)


class _Collector:
    """The files an export copies, each under a numbered name, and their new URLs."""

    def __init__(self, target: Path, resolver: Resolver) -> None:
        self.target = target
        self.resolver = resolver
        self.files: dict[str, Path | bytes] = {}
        self.urls: dict[Path, str] = {}

    def relative(self, url: str) -> str | None:
        """The URL of the copy of the file ``url`` names; None for a data: URL or #part."""
        stripped = url.strip()
        if not stripped or stripped.startswith("#") or stripped[:5].lower() == "data:":
            return None
        try:
            path = self.resolver.url(stripped)
        except Refused as refused:
            raise BookError.at(self.target, None, f"cannot export the HTML: {refused}") from None
        if path not in self.urls:
            name = f"{len(self.urls):03d}-{path.name}"
            self.files[name] = self._content(path)
            self.urls[path] = quote(f"{files_folder(self.target).name}/{name}")
        fragment = stripped.partition("#")[2]  # a part of an SVG picture, say
        return self.urls[path] + (f"#{fragment}" if fragment else "")

    def _content(self, path: Path) -> Path | bytes:
        """An SVG picture is written cleaned of scripts; any other file is copied."""
        if path.suffix.lower() != ".svg":
            return path
        try:
            return svg.clean(self.resolver.read_bytes(path))
        except (Refused, svg.SvgProblem) as problem:
            raise BookError.at(path, None, f"the exported HTML cannot use it: {problem}") from None


def _rewrite_element(element: Element, collector: _Collector) -> None:
    for name in list(markup.loading_attributes(element)):
        value, attribute = element.attrib[name], markup.local_name(name)
        if attribute in _LOADED_BY_RENDER:
            new = collector.relative(value)
            if new is not None:
                element.attrib[name] = new
        elif attribute not in _NOT_LOADED_BY_RENDER:  # CSS: a style or an SVG fill="url()"
            element.attrib[name] = markup.rewrite_css_urls(value, collector.relative)
    if markup.local_name(element.tag) == "style" and element.text:
        element.text = markup.rewrite_css_urls(element.text, collector.relative)


def _drop(page: Element, element: Element) -> None:
    for parent in page.iter():
        if element in list(parent):
            parent.remove(element)
            return


def _copy(export: HtmlExport, source: Path, destination: Path) -> None:
    """Copy a file through the resolver once more: it is opened only if still allowed."""
    try:
        stream = export.resolver.open(source)
    except Refused as refused:
        raise BookError.at(source, None, f"the exported HTML cannot use it: {refused}") from None
    with stream:
        write_atomically(destination, lambda out: shutil.copyfileobj(stream, out))


def _write_bytes(stream: IO[bytes], data: bytes) -> None:
    stream.write(data)
