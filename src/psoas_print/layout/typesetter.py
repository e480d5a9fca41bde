"""HTML to PDF: the one way into WeasyPrint.

Every render is confined: the fetcher serves only files from the book, the layouts and the
fonts (and data: URLs), and anything WeasyPrint warns about fails the build.

WeasyPrint is imported where it is used, not at the top: the import costs about 0.4 s,
which ``check``, ``list`` and an up-to-date build never pay (see also ready.py).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from psoas_print.book import glyphs, markup, svg
from psoas_print.book.resolver import Refused, Resolver
from psoas_print.book.sources import Sources
from psoas_print.errors import BookError, Problem
from psoas_print.layout import drawn_once, fontconf, pdf_metadata, pdf_structure


class LaidOutPage(Protocol):
    """What the build reads of a page WeasyPrint laid out (WeasyPrint has no type hints)."""

    anchors: dict[str, tuple[float, float, float, float]]  # id: border box, in CSS pixels
    links: list[tuple[str, object, object, object]]  # (kind, target, rectangle, box)


class LaidOutDocument(Protocol):
    """What the build uses of a WeasyPrint ``Document``."""

    pages: list[LaidOutPage]

    def write_pdf(
        self, *, pdf_tags: bool = False, pdf_variant: str | None = None,
        keep_fonts_whole: bool = False,
    ) -> bytes:  # fmt: skip
        """The document as a PDF; ``keep_fonts_whole``: see ``whole_font_programs``."""
        ...

    def with_pages(self, pages: list[LaidOutPage]) -> LaidOutDocument:
        """A document of these pages (of this document or of others laid out with the
        same renderer), with this one's metadata: a part of it, or several joined."""
        ...


def _fetcher_class() -> type:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    # WeasyPrint has no type hints, so to mypy its URLFetcher is Any.
    class ConfinedFetcher(URLFetcher):  # type: ignore[misc]
        """Serves data: URLs and the files the build's resolver allows; refuses the rest.

        The resolver is the one that also decided what the book's text may name, so the
        render can never read a file that checking the book would have refused. SVG
        pictures are served without their scripts, as every other output has them.
        """

        def __init__(self, resolver: Resolver) -> None:
            super().__init__(fail_on_errors=True)
            self.resolver = resolver

        def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            try:
                path = self.resolver.url(url)
                data = self.resolver.read_bytes(path)
            except Refused as refused:
                error = FileNotFoundError if refused.reason == "missing" else PermissionError
                raise error(str(refused)) from None
            if path.suffix.lower() == ".svg" or svg.looks_like_svg(data):
                try:
                    data = svg.clean(data)
                except svg.SvgProblem as problem:
                    raise PermissionError(f"{path} {problem}") from None
            return URLFetcherResponse(url, data)

    return ConfinedFetcher


class _WarningCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage().splitlines()[0])


@contextmanager
def _warnings_as_errors(origin: Path) -> Iterator[None]:
    """WeasyPrint only logs failed images, fonts and bad CSS; make them fail the build."""
    logger = logging.getLogger("weasyprint")
    collector = _WarningCollector()
    logger.addHandler(collector)
    propagate, logger.propagate = logger.propagate, False
    try:
        yield
    finally:
        logger.removeHandler(collector)
        logger.propagate = propagate
    if collector.messages:
        raise BookError(
            [Problem(origin, None, message) for message in dict.fromkeys(collector.messages)]
        )


class Renderer:
    """One font configuration and one confined fetcher for all renders of a build."""

    def __init__(self, sources: Sources) -> None:
        self.sources = sources
        # Only the bundled fonts and the book's own: no system font may stand in for them.
        self.font_config = fontconf.font_configuration(sources.font_dirs)
        self.fetcher = _fetcher_class()(sources.resolver)

    def render(self, html: str, origin: Path) -> LaidOutDocument:
        """Lay out ``html``; ``origin`` names the layout in any error message."""
        from weasyprint import HTML
        from weasyprint.urls import FatalURLFetchingError

        try:
            with _warnings_as_errors(origin):
                document: Any = HTML(
                    string=html,
                    base_url=self.sources.base_url,
                    url_fetcher=self.fetcher,
                ).render(font_config=self.font_config, cache=drawn_once.image_cache())
        except FatalURLFetchingError as error:
            reason = error.__cause__ or error
            raise BookError.at(origin, None, str(reason)) from None
        # The check of the book names the line of such a character; this catches one that
        # came another way (a layout's own text, say) before it prints as an empty box.
        if missing := fontconf.unprintable(document, self.font_config):
            raise BookError.at(origin, None, glyphs.no_font_message(missing))
        _keep_safe_links(document)
        _one_link_per_element(document)
        pdf_metadata.date_it(document.metadata)
        return Dated(document)


class Dated:
    """A laid-out WeasyPrint document whose every PDF carries its dates and XMP metadata
    (see pdf_metadata.py) and, tagged, its table headers' scope (pdf_structure.py)."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.pages: list[LaidOutPage] = document.pages

    def write_pdf(
        self, *, pdf_tags: bool = False, pdf_variant: str | None = None,
        keep_fonts_whole: bool = False,
    ) -> bytes:  # fmt: skip
        with whole_font_programs(keep_fonts_whole):
            data: bytes = self.document.write_pdf(
                pdf_tags=pdf_tags, pdf_variant=pdf_variant, finisher=_finish
            )
        return data

    def with_pages(self, pages: list[LaidOutPage]) -> Dated:
        return Dated(self.document.copy(pages))


@contextmanager
def whole_font_programs(whole: bool) -> Iterator[None]:
    """While ``whole``, WeasyPrint embeds each font's whole program instead of a subset.

    A portion of a long book keeps its programs whole so that the joined book holds each
    font once, subset to the glyphs of the whole book (pdf/font_sharing.py). Its widths and
    Unicode maps still list just the glyphs it shows, ligatures included, which WeasyPrint's
    own ``full_fonts`` option (a map of the font's character table) would lose.
    """
    if not whole:
        yield
        return
    from weasyprint.pdf.fonts import Font

    subset = Font.subset
    Font.subset = lambda self, to_unicode, hinting: None
    try:
        yield
    finally:
        Font.subset = subset


def _finish(document: Any, pdf: Any) -> None:
    """WeasyPrint's last step before writing: metadata, the table headers' scope, the
    description lists' labels and the links' descriptions."""
    pdf_metadata.add_xmp(document, pdf)
    pdf_structure.mend_elements(pdf)
    pdf_structure.describe_links(document, pdf, anchor_pages(document))


# A long ebook is laid out in portions whose links to each other name this scheme until
# the portions are joined, when they become jumps inside the book (see products/parts.py);
# the book's own text cannot make such a link, its links are cleaned when it is read.
PORTION_SCHEME = "portion:"


def _keep_safe_links(document: LaidOutDocument) -> None:
    """Only the links the book's text may keep (markup.allowed_link) and jumps inside the
    document reach a PDF: a layout's ``javascript:`` or ``file:`` link and any attachment
    are dropped, their text kept."""
    for page in document.pages:
        page.links = [
            link
            for link in page.links
            if link[0] == "internal" or (link[0] == "external" and _allowed(str(link[1])))
        ]


def _one_link_per_element(document: LaidOutDocument) -> None:
    """One link annotation, tagged as one Link, for each link element.

    WeasyPrint gives the boxes inside a link annotations of their own: a link's ::before and
    ::after (a contents entry's leader and page number), an image it holds. Each is tagged
    apart, so a screen reader meets three overlapping links on one contents entry, or a
    link outside any Link element. The link element's own annotation covers them; its
    pseudo-elements become spans inside its Link.
    """
    for page in document.pages:
        own = [(target, rect) for _, target, rect, box in page.links if _is_link(box)]
        kept = []
        for link in page.links:
            _, target, rect, box = link
            if _is_link(box) or not any(t == target and _inside(rect, r) for t, r in own):
                kept.append(link)
            elif _pseudo(box):
                box.element_tag = "span"  # type: ignore[attr-defined]
        page.links = kept


def _is_link(box: object) -> bool:
    return getattr(box, "element_tag", None) == "a"


def _pseudo(box: object) -> bool:
    return "::" in str(getattr(box, "element_tag", ""))


def _inside(inner: Any, outer: Any, slack: float = 1.0) -> bool:
    """Whether rectangle ``inner`` (x0, y0, x1, y1) lies within ``outer``, give or take."""
    x0, y0, x1, y1 = (float(value) for value in inner)
    a0, b0, a1, b1 = (float(value) for value in outer)
    return x0 >= a0 - slack and y0 >= b0 - slack and x1 <= a1 + slack and y1 <= b1 + slack


def _allowed(target: str) -> bool:
    return markup.allowed_link(target) or target.startswith(PORTION_SCHEME)


Request = tuple[str, Sources, Path, "str | None"]  # html, sources, origin, pdf variant


@dataclass(frozen=True)
class Typeset:
    """A laid-out document: its tagged PDF, and where its parts landed."""

    data: bytes
    pages: int
    anchors: dict[str, int]  # the first page of every element with an id, counted from 1


def typeset_here(request: Request) -> Typeset:
    """Lay ``request`` out in this process: its tagged PDF and where its parts landed."""
    html, sources, origin, pdf_variant = request
    document = Renderer(sources).render(html, origin)
    data = tagged_pdf(document, pdf_variant)
    return Typeset(data, len(document.pages), anchor_pages(document))


def tagged_pdf(document: LaidOutDocument, pdf_variant: str | None) -> bytes:
    """The PDF of a laid-out product, tagged: headings, lists and figures with their alt
    text reach screen readers."""
    return document.write_pdf(pdf_tags=True, pdf_variant=pdf_variant)


def anchor_pages(document: LaidOutDocument, first: int = 1) -> dict[str, int]:
    """The page each element with an id starts on, the first page counted as ``first``."""
    pages: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=first):
        for name in page.anchors:
            pages.setdefault(name, number)
    return pages
