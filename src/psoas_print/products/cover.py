"""The full-wrap cover for a print-on-demand service: back, spine and front on one page,
with the service's bleed all round, sized from the interior's real page count and the
paper's thickness per page.

The interior is laid out (not written) to count its pages as the service will print them:
without a cover, padded to the service's fewest pages and to whole sheets.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import ClassVar

from psoas_print.book.loading import cover_image
from psoas_print.book.model import Book
from psoas_print.errors import BookError, Problem
from psoas_print.language.catalogues import words_for
from psoas_print.language.words import Words
from psoas_print.layout.geometry import TRIMS
from psoas_print.layout.templates import layout_path, make_environment, render_template
from psoas_print.layout.typesetter import tagged_pdf
from psoas_print.layout.view import common_context
from psoas_print.pdf.services import MM_PER_INCH, SERVICES, Service
from psoas_print.products.context import BuildContext
from psoas_print.products.ebook import with_gutter_for_count
from psoas_print.products.ebook_html import ebook_html
from psoas_print.products.front_cover import CoverFace, face_values, store_picture
from psoas_print.products.protocol import BookProduct, Inputs, Made, MadeFile, Summary
from psoas_print.products.settings import CoverSettings, PrintSetup, ProductName

TEMPLATE = "cover.html"
MM_PER_POINT = MM_PER_INCH / 72
SPINE_FOLD_MM = 1.5875  # text at least 1/16 in from each of the spine's folds
SPINE_TEXT_MIN_PT, SPINE_TEXT_MAX_PT = 6.0, 12.0  # smaller is unreadable on a shelf


@dataclass(frozen=True)
class CoverGeometry:
    """Where the panels of a full-wrap cover are, in mm from its top left corner."""

    width_mm: float
    height_mm: float
    bleed_mm: float
    panel_mm: float  # the back's and the front's width: the trim's
    trim_height_mm: float
    spine_mm: float
    spine_text: bool
    spine_text_pt: float  # the spine's type size: its line fits between the folds' margins
    barcode_mm: tuple[float, float]
    pages: int

    @property
    def spine_left_mm(self) -> float:
        return self.bleed_mm + self.panel_mm

    @property
    def front_left_mm(self) -> float:
        return self.spine_left_mm + self.spine_mm


def cover_geometry(service: Service, trim: str, stock: str, pages: int) -> CoverGeometry:
    """The cover's size and panels: 0.125 in bleed + back + spine + front + 0.125 in bleed
    across, the trim's height and the bleed above and below; the spine is the pages times
    the paper's thickness, and takes text only from the service's fewest pages for it, and
    only where 6 pt type fits between its folds' margins."""
    thickness = dict(service.paper_in)[stock]
    bleed = service.bleed_mm
    size = TRIMS[trim]
    spine = pages * thickness * MM_PER_INCH
    # Capitals to descenders take 0.94 em of Inter; the spine keeps 1/16 in from each fold.
    text_pt = (spine - 2 * SPINE_FOLD_MM - 0.4) / (0.94 * MM_PER_POINT)
    barcode = (service.barcode_in[0] * MM_PER_INCH, service.barcode_in[1] * MM_PER_INCH)
    return CoverGeometry(
        width_mm=2 * bleed + 2 * size.width_mm + spine,
        height_mm=size.height_mm + 2 * bleed,
        bleed_mm=bleed,
        panel_mm=size.width_mm,
        trim_height_mm=size.height_mm,
        spine_mm=spine,
        spine_text=pages >= service.spine_text_pages and text_pt >= SPINE_TEXT_MIN_PT,
        spine_text_pt=round(min(max(text_pt, SPINE_TEXT_MIN_PT), SPINE_TEXT_MAX_PT), 1),
        barcode_mm=barcode,
        pages=pages,
    )


def _check_art_sharpness(book: Book, service: Service, trim: str) -> None:
    """The cover's own art fills the front panel and its bleed: 300 ppi across it."""
    art = cover_image(book)
    if art is None:
        return
    printed_mm = TRIMS[trim].width_mm + service.bleed_mm
    where = f"on the front of the {TRIMS[trim].label} cover, with its bleed"
    if (problem := art.too_soft_for_print(printed_mm, where)) is not None:
        raise BookError([problem])


def printed_pages(book: Book, context: BuildContext, settings: CoverSettings, words: Words) -> int:
    """How many pages the service prints of the interior: laid out as ``ebook --print``
    lays it out for the preset (a thick book a second time, with its wider gutter), then
    padded as the interior is."""
    printing = PrintSetup.for_preset(settings.preset, "black")
    pages = with_gutter_for_count(
        printing,
        lambda setup: _laid_out_pages(book, context, settings.trim, setup, words),
        lambda count: count,
    )
    return SERVICES[settings.preset].printed_pages(pages)


def _laid_out_pages(
    book: Book, context: BuildContext, trim: str, printing: PrintSetup, words: Words
) -> int:
    html = ebook_html(book, context, trim, words, printing=printing)
    return len(context.renderer.render(html, layout_path("ebook.html")).pages)


def wrap_html(
    book: Book, context: BuildContext, settings: CoverSettings, words: Words, pages: int
) -> str:
    """The full-wrap cover of a book of ``pages`` printed pages, as HTML."""
    service = SERVICES[settings.preset]
    geometry = cover_geometry(service, settings.trim, settings.stock, pages)
    face = CoverFace(geometry.panel_mm, geometry.trim_height_mm, geometry.bleed_mm)
    return render_template(
        make_environment(context.sources, words), TEMPLATE,
        **common_context(book, settings.trim, context.created, words),
        **face_values(book, face), cover=geometry,
    )  # fmt: skip


class Cover(BookProduct[CoverSettings]):
    """The full-wrap print cover."""

    name: ClassVar[ProductName] = ProductName.COVER

    def check(self, book: Book | None, settings: CoverSettings) -> None:
        assert book is not None
        words_for(book, settings.language)
        service = SERVICES[settings.preset]
        if not service.paper_in:
            message = f"{service.name} makes its cover template itself, from the page count"
            raise BookError([Problem(book.root, None, f"--preset {settings.preset}: {message}")])
        if settings.stock not in dict(service.paper_in):
            papers = ", ".join(name for name, _ in service.paper_in)
            message = f"--paper {settings.stock}: {service.name} prints on {papers}"
            raise BookError([Problem(book.root, None, message)])
        _check_art_sharpness(book, service, settings.trim)

    def make(self, inputs: Inputs, settings: CoverSettings, context: BuildContext) -> Made:
        assert isinstance(inputs, Book)
        started = time.perf_counter()
        words = words_for(inputs, settings.language)
        pages = printed_pages(inputs, context, settings, words)
        html = wrap_html(inputs, context, settings, words, pages)
        document = context.renderer.render(html, layout_path(TEMPLATE))
        made = MadeFile("", tagged_pdf(document, None), len(document.pages), html)
        return Made((made,), Summary(), time.perf_counter() - started)


class CoverPicture(BookProduct[CoverSettings]):
    """The shops' cover picture, which the EPUB shows too (see front_cover.py)."""

    name: ClassVar[ProductName] = ProductName.COVER_PICTURE

    def check(self, book: Book | None, settings: CoverSettings) -> None:
        assert book is not None
        words_for(book, settings.language)

    def make(self, inputs: Inputs, settings: CoverSettings, context: BuildContext) -> Made:
        assert isinstance(inputs, Book)
        started = time.perf_counter()
        picture = store_picture(inputs, context, words_for(inputs, settings.language))
        return Made((MadeFile("", picture, 1),), Summary(), time.perf_counter() - started)
