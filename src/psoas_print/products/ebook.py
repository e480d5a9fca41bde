"""The full illustrated ebook: on screen, as its free sample, and print-ready.

A long book is laid out in parts on every core (see parts.py); a short one in one render,
by the typesetting process made ready before the command line was parsed, when there is
one.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import ClassVar, TypeVar

from psoas_print.book.model import Book
from psoas_print.errors import Problem
from psoas_print.language.catalogues import words_for
from psoas_print.layout.geometry import TRIMS
from psoas_print.layout.remembered import keep_pages
from psoas_print.layout.templates import layout_path
from psoas_print.pdf.front_page import Cover
from psoas_print.pdf.services import MM_PER_INCH, SERVICES, Service
from psoas_print.products.context import BuildContext
from psoas_print.products.ebook_html import (
    TEMPLATE,
    check_print_sharpness,
    ebook_html,
    sample_edition,
    spilled_exercises,
)
from psoas_print.products.front_cover import CoverFace, cover_alt, cover_page
from psoas_print.products.parts import LONG_BOOK_EXERCISES, make_in_parts
from psoas_print.products.protocol import BookProduct, Inputs, Made, MadeFile
from psoas_print.products.settings import EbookSettings, PrintSetup, ProductName
from psoas_print.products.summary import Summary

Laid = TypeVar("Laid")


class Ebook(BookProduct[EbookSettings]):
    """The full illustrated ebook as a PDF."""

    name: ClassVar[ProductName] = ProductName.EBOOK

    def check(self, book: Book | None, settings: EbookSettings) -> None:
        assert book is not None
        if settings.sample:
            sample_edition(book)
        if settings.printing is not None:
            check_print_sharpness(book, settings.page(book))
        words_for(book, settings.language)  # a language with no labels fails here

    def make(self, inputs: Inputs, settings: EbookSettings, context: BuildContext) -> Made:
        assert isinstance(inputs, Book)
        printing = settings.printing
        if printing is not None and printing.for_service:
            made = with_gutter_for_count(
                printing,
                lambda setup: self._laid_out(inputs, replace(settings, printing=setup), context)[0],
                lambda made: made.files[0].pages,
            )
            return _for_service(made, inputs, SERVICES[printing.preset], printing.ink)
        if printing is not None:
            made, _ = self._laid_out(inputs, settings, context)
            return _with_marks(made) if printing.marks else made
        words = words_for(inputs, settings.language)
        size = TRIMS[settings.page(inputs)]
        face = CoverFace(size.width_mm, size.height_mm)

        def cover() -> Cover:
            data = cover_page(inputs, context, face, words)
            return Cover(data, cover_alt(inputs, words), words.gettext("Cover"))

        if in_parts(settings, inputs):  # laid in front as the parts are joined
            return make_in_parts(inputs, settings, context, cover())
        made, front = self._laid_out(inputs, settings, context, cover)
        assert front is not None
        return _with_cover(made, front)

    def _laid_out(
        self,
        inputs: Book,
        settings: EbookSettings,
        context: BuildContext,
        meanwhile: Callable[[], Cover | None] = lambda: None,
    ) -> tuple[Made, Cover | None]:
        """The interior laid out, and what ``meanwhile`` made here in the meantime (the
        cover page, while the ready process lays out the interior)."""
        if in_parts(settings, inputs):
            return make_in_parts(inputs, settings, context), meanwhile()
        started = time.perf_counter()
        page = settings.page(inputs)
        words = words_for(inputs, settings.language)
        html = ebook_html(inputs, context, page, words, settings.sample, settings.printing)
        laid, made_meanwhile = context.typeset_beside(
            html, layout_path(TEMPLATE), settings.pdf_variant, meanwhile
        )
        if settings.printing is None and not settings.sample:
            keep_pages(html, context.layouts_digest, laid.anchors)  # see ebook_anchor_pages
            context.pages_kept()
        warnings = tuple(spilled_exercises(inputs, laid.anchors, page))
        made = MadeFile("", laid.data, laid.pages, html)
        seconds = time.perf_counter() - started
        return Made((made,), Summary(), seconds, warnings=warnings), made_meanwhile


def with_gutter_for_count(
    printing: PrintSetup, lay_out: Callable[[PrintSetup], Laid], pages_of: Callable[[Laid], int]
) -> Laid:
    """Laid out with the inside margin its real page count needs: the design's for the
    thinnest books, wider by as much as the service's minimum grows. A second layout takes
    the gutter the first one's count asks for; it only moves the text column outward, so
    the count stays (and where it would not, the wider gutter is kept): at most two."""
    laid = lay_out(printing)
    wider = wider_gutter_mm(SERVICES[printing.preset], pages_of(laid))
    if wider <= printing.wider_gutter_mm:
        return laid
    return lay_out(replace(printing, wider_gutter_mm=wider))


def wider_gutter_mm(service: Service, laid_out_pages: int) -> float:
    """How much wider than a thin book's the inside margin of a book of this many pages
    must be, by the service's table, at its count as printed (see Service.printed_pages)."""
    pages = service.printed_pages(laid_out_pages)
    grown = service.gutter_in(pages) - service.gutter_in(service.pages[0])
    return round(grown * MM_PER_INCH, 2)


def _with_cover(made: Made, cover: Cover) -> Made:
    """The screen ebook: its interior with the cover page laid in front (see
    pdf/front_page.py)."""
    from psoas_print.pdf.front_page import put_in_front  # pikepdf: only when joining

    (laid,) = made.files
    data = put_in_front(laid.data, cover)
    return replace(made, files=(replace(laid, data=data, pages=laid.pages + 1),))


def _with_marks(made: Made) -> Made:
    """A generic print edition's crop marks, in a slug beyond the bleed (see pdf/marks.py)."""
    from psoas_print.pdf.marks import with_crop_marks  # pikepdf: only for marks

    (laid,) = made.files
    return replace(made, files=(replace(laid, data=with_crop_marks(laid.data)),))


def _for_service(made: Made, book: Book, service: Service, ink: str) -> Made:
    """The laid-out interior made ready for ``service`` (see pdf/interior.py)."""
    from psoas_print.pdf.interior import for_service  # pikepdf: only for a service's preset

    (laid,) = made.files
    data, added = for_service(laid.data, service, ink)
    warnings = made.warnings
    if added:
        message = (
            f"{added} blank pages added at the end: {service.name} prints a book of "
            f"{service.pages[0]} pages or more, in whole sheets"
        )
        warnings = (*warnings, Problem(book.root, None, message))
    files = (replace(laid, data=data, pages=laid.pages + added),)
    return replace(made, files=files, warnings=warnings)


def in_parts(settings: EbookSettings, book: Book) -> bool:
    """Long books go in parts; a sample edition or a tagged variant is laid out whole."""
    if settings.sample or settings.pdf_variant:
        return False
    if settings.parts is not None:
        return settings.parts > 1
    return len(book.exercises) > LONG_BOOK_EXERCISES
