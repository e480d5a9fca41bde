"""Licensed copies of a finished ebook: a buyer's line in the foot of every page.

The book is not laid out again. All buyers' lines are laid out in one render (one page
each, the size of the book's pages, with the bundled fonts), and each line is laid over
every page of a copy of the finished PDF, whose links, bookmarks and metadata stay.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import ClassVar

from psoas_print.book.glyphs import unprintable
from psoas_print.book.model import Book
from psoas_print.errors import BookError, Problem
from psoas_print.language.catalogues import words_for
from psoas_print.language.words import ENGLISH, Words
from psoas_print.layout.templates import layout_path, make_environment, render_template
from psoas_print.layout.typesetter import Renderer
from psoas_print.layout.view import record
from psoas_print.output import distinct, file_stem
from psoas_print.pdf.overlays import page_count, page_size, pdf_language, stamped_copies
from psoas_print.products.context import BuildContext
from psoas_print.products.protocol import (
    FinishedPdf,
    Inputs,
    Made,
    MadeFile,
    Summary,
)
from psoas_print.products.settings import Buyer, LicensedSettings, ProductName

TEMPLATE = "stamp.html"
FONTS = ("Inter-Regular.otf", "GentiumBookPlus-Regular.ttf")
MM_PER_PT = 25.4 / 72


def licence_line(buyer: Buyer, words: Words) -> str:
    """What a buyer's copy says of its licence, in the language of ``words``."""
    return words.gettext(
        "Licensed to %(name)s · %(email)s · order %(order)s",
        name=buyer.name, email=buyer.email, order=buyer.order,
    )  # fmt: skip


def stamp_lines(
    renderer: Renderer,
    buyers: tuple[Buyer, ...],
    buyers_file: Path,
    page_size_pt: tuple[float, float],
    words: Words,
) -> bytes:
    """One page per buyer with their licence line in the foot, as a PDF."""
    fonts = [renderer.sources.font(name) for name in FONTS]
    lines = [licence_line(buyer, words) for buyer in buyers]
    problems = [
        Problem(buyers_file, buyer.line, f"no bundled font can print {', '.join(missing)}")
        for buyer, line in zip(buyers, lines, strict=True)
        if (missing := unprintable(line, fonts))
    ]
    if problems:
        raise BookError(problems)
    width, height = (size * MM_PER_PT for size in page_size_pt)
    shown = [record(buyer, licence=line) for buyer, line in zip(buyers, lines, strict=True)]
    html = render_template(
        make_environment(renderer.sources, words), TEMPLATE,
        buyers=shown, width_mm=width, height_mm=height, language=words.language,
    )  # fmt: skip
    return renderer.render(html, layout_path(TEMPLATE)).write_pdf()


def stamp_words(ebook: bytes, language: str | None) -> Words:
    """The words of ``language``, else of the language the finished ebook is tagged with."""
    return words_for(None, language or pdf_language(ebook) or ENGLISH)


def copy_names(path: Path, buyers: tuple[Buyer, ...]) -> list[str]:
    """File names for the copies: the book's name and the order, made distinct."""
    stems = [f"{path.stem}-{file_stem(buyer.order, 'copy')}" for buyer in buyers]
    return [f"{stem}.pdf" for stem in distinct(stems)]


class LicensedCopies:
    """One copy of a finished ebook per buyer, their licence line on every page."""

    name: ClassVar[ProductName] = ProductName.LICENSED
    reads_book: ClassVar[bool] = False
    replaces_outputs: ClassVar[bool] = False  # a copy already there needs --force

    def check(self, book: Book | None, settings: LicensedSettings) -> None:
        if settings.language is not None:
            words_for(None, settings.language)  # a language with no labels fails here

    def skipped(self, book: Book | None, settings: LicensedSettings) -> str | None:
        return None

    def source(self, settings: LicensedSettings) -> Path | None:
        return settings.ebook

    def extra_inputs(self, settings: LicensedSettings) -> tuple[Path, ...]:
        return (settings.ebook, settings.buyers_file)

    def book_files(self, book: Book, settings: LicensedSettings) -> list[str]:
        return []

    def file_names(self, settings: LicensedSettings) -> list[str]:
        return copy_names(settings.ebook, settings.buyers)

    def make(self, inputs: Inputs, settings: LicensedSettings, context: BuildContext) -> Made:
        assert isinstance(inputs, FinishedPdf)
        started = time.perf_counter()
        size = page_size(inputs.data, inputs.path)  # a PDF that cannot be stamped fails here
        buyers = settings.buyers
        context.progress(f"Laying out {len(buyers)} licence lines")
        words = stamp_words(inputs.data, settings.language)
        lines = stamp_lines(context.renderer, buyers, settings.buyers_file, size, words)
        copies_started = time.perf_counter()
        files = []
        pages = page_count(inputs.data)
        names = self.file_names(settings)
        licences = [licence_line(buyer, words) for buyer in buyers]
        for name, data in zip(names, stamped_copies(inputs.data, lines, licences), strict=True):
            context.progress(f"Stamping {name}")
            files.append(MadeFile(name, data, pages))
        copies_seconds = time.perf_counter() - copies_started
        rate = len(buyers) / copies_seconds if copies_seconds else float("inf")
        summary = Summary(copies=len(buyers), copies_per_second=rate)
        return Made(tuple(files), summary, time.perf_counter() - started)
