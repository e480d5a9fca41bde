"""Licensed copies of a finished ebook: a buyer's line in the foot of every page.

The book is not laid out again, nor are the lines: pdf/stamping.py sets each buyer's line
in the bundled fonts over every page of a copy of the finished PDF, whose links,
bookmarks, tags and metadata stay. A large batch is shared out between the cores.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import ClassVar

from psoas_print.book.glyphs import unprintable
from psoas_print.book.model import Book
from psoas_print.errors import BookError, Problem
from psoas_print.language.catalogues import words_for
from psoas_print.language.words import ENGLISH, Words
from psoas_print.output import distinct, file_stem
from psoas_print.pdf.overlays import page_count, page_size, pdf_language
from psoas_print.pdf.stamping import Stamper
from psoas_print.products.context import BuildContext
from psoas_print.products.protocol import (
    FinishedPdf,
    Inputs,
    Made,
    MadeFile,
    Summary,
)
from psoas_print.products.settings import Buyer, LicensedSettings, ProductName
from psoas_print.workers import WorkerPool, worker_context

FONTS = ("Inter-Regular.otf", "GentiumBookPlus-Regular.ttf")


def licence_line(buyer: Buyer, words: Words) -> str:
    """What a buyer's copy says of its licence, in the language of ``words``."""
    return words.gettext(
        "Licensed to %(name)s · %(email)s · order %(order)s",
        name=buyer.name, email=buyer.email, order=buyer.order,
    )  # fmt: skip


def check_printable(
    buyers: tuple[Buyer, ...], lines: list[str], buyers_file: Path, fonts: list[Path]
) -> None:
    """Every buyer's line prints in the bundled fonts; else one located problem per buyer."""
    problems = [
        Problem(buyers_file, buyer.line, f"no bundled font can print {', '.join(missing)}")
        for buyer, line in zip(buyers, lines, strict=True)
        if (missing := unprintable(line, fonts))
    ]
    if problems:
        raise BookError(problems)


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
        page_size(inputs.data, inputs.path)  # a PDF that cannot be stamped fails here
        buyers = settings.buyers
        words = stamp_words(inputs.data, settings.language)
        fonts = [context.sources.font(name) for name in FONTS]
        lines = [licence_line(buyer, words) for buyer in buyers]
        check_printable(buyers, lines, settings.buyers_file, fonts)
        pages = page_count(inputs.data)
        names = self.file_names(settings)
        files = [
            MadeFile(name, data, pages)
            for name, data in zip(names, stamp_all(inputs.data, fonts, lines), strict=True)
        ]
        seconds = time.perf_counter() - started
        rate = len(buyers) / seconds if seconds else float("inf")
        summary = Summary(copies=len(buyers), copies_per_second=rate)
        return Made(tuple(files), summary, seconds)


def stamp_all(book: bytes, fonts: list[Path], lines: list[str]) -> list[bytes]:
    """A copy of ``book`` per line, made side by side on every core for a large batch.

    Every worker embeds the fonts for the whole batch, so a copy is the same bytes however
    the batch is shared out."""
    workers = min(os.cpu_count() or 1, len(lines) // COPIES_PER_WORKER)
    if workers < 2:
        return _stamp(book, fonts, lines, range(len(lines)))
    shares = [range(start, len(lines), workers) for start in range(workers)]
    with WorkerPool(max_workers=workers, mp_context=worker_context()) as pool:
        done = list(
            pool.map(_stamp, [book] * workers, [fonts] * workers, [lines] * workers, shares)
        )
    copies: list[bytes] = [b""] * len(lines)
    for share, made in zip(shares, done, strict=True):
        for index, data in zip(share, made, strict=True):
            copies[index] = data
    return copies


COPIES_PER_WORKER = 50  # fewer than this in all, and starting a worker costs more than it saves


def _stamp(book: bytes, fonts: list[Path], lines: list[str], which: range) -> list[bytes]:
    stamper = Stamper(book, fonts, lines)
    try:
        return [stamper.copy(lines[index], lines[index]) for index in which]
    finally:
        stamper.close()
