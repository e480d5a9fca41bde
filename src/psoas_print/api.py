"""The public API, for scripts: read a book, and make each product with one call.

    import psoas_print

    book = psoas_print.load_book("book")
    psoas_print.make_cheatsheet("book", "dist/cheatsheet.pdf", routine="fridge")
    psoas_print.make_ebook("book", "dist/ebook.pdf")
    psoas_print.make_handouts("book", "dist/handout.pdf", "fridge", language="fr")

Each call does what its command does, through the same runner: the same checks, the same
up-to-date test (``force=True`` makes it anyway), the same outputs written whole or not at
all. A problem raises ``BookError``, whose ``problems`` each name a file and line.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from psoas_print.book.clinic import checked_accent
from psoas_print.book.model import Book, Paper
from psoas_print.layout.geometry import PdfVariant, Trim
from psoas_print.products.settings import (
    CheatsheetSettings,
    EbookSettings,
    EpubSettings,
    HandoutOptions,
    HandoutSettings,
    LicensedSettings,
    PrintSetup,
    ProductName,
    read_buyers,
    read_roster,
)
from psoas_print.runner.build import Built, build
from psoas_print.runner.jobs import Job
from psoas_print.runner.reading import read_book

PathLike = str | Path


def load_book(folder: PathLike, edition: str | None = None) -> Book:
    """The book in ``folder``, read and checked as ``psoas-print check`` does; with
    ``edition``, its translation into that language (translations/LANG/)."""
    return read_book(Path(folder), edition)


def make_cheatsheet(
    book: PathLike,
    target: PathLike,
    *,
    routine: str | None = None,
    paper: Paper | None = None,
    pdf_variant: PdfVariant | None = None,
    language: str | None = None,
    force: bool = False,
) -> Built:
    """The one-page cheat sheet of ``routine`` (default: the book's cheat-sheet routine),
    its labels in ``language`` (default: the book's)."""
    settings = CheatsheetSettings(routine, paper, pdf_variant, language=language)
    return _make(book, Job(ProductName.CHEATSHEET, settings, Path(target)), force)


def make_ebook(
    book: PathLike,
    target: PathLike,
    *,
    paper: Paper | None = None,
    sample: bool = False,
    trim: Trim | None = None,
    bleed_mm: float = 3.0,
    marks: bool = False,
    pdf_variant: PdfVariant | None = None,
    parts: int | None = None,
    language: str | None = None,
    force: bool = False,
) -> Built:
    """The ebook; with ``trim``, the print-ready edition at that trim size."""
    printing = PrintSetup(bleed_mm, marks) if trim is not None else None
    settings = EbookSettings(paper, sample, trim, printing, pdf_variant, parts, language=language)
    return _make(book, Job(ProductName.EBOOK, settings, Path(target)), force)


def make_epub(
    book: PathLike, target: PathLike, *, language: str | None = None, force: bool = False
) -> Built:
    """The EPUB 3 edition."""
    settings = EpubSettings(language)
    return _make(book, Job(ProductName.EPUB, settings, Path(target)), force)


def make_handouts(
    book: PathLike,
    target: PathLike,
    routine: str,
    *,
    class_name: str = "",
    instructor: str = "",
    date: datetime.date | None = None,
    logo: PathLike | None = None,
    qr: str | None = None,
    notes: str = "",
    per_sheet: int = 1,
    roster: PathLike | None = None,
    split: bool = False,
    paper: Paper | None = None,
    ebook_paper: Paper | None = None,
    language: str | None = None,
    clinic: str = "",
    accent: str | None = None,
    force: bool = False,
) -> Built:
    """A class handout; with ``roster``, a copy per student (with ``split``, a file each
    in the folder ``target``). Its page references cite the ebook at ``ebook_paper``, by
    default the book's own paper. ``clinic`` and ``accent`` ("#rrggbb", dark enough to
    read on white) brand it, as clinic.yaml does (book/clinic.py)."""
    options = HandoutOptions(
        routine, class_name, instructor, date, Path(logo) if logo else None, qr, notes,
        ebook_paper, clinic, checked_accent(accent, Path("accent")),
    )  # fmt: skip
    roster_path = Path(roster) if roster is not None else None
    students = read_roster(roster_path) if roster_path is not None else ()
    settings = HandoutSettings(
        options, per_sheet, roster_path, students, split, paper, language=language
    )
    return _make(book, Job(ProductName.HANDOUT, settings, Path(target)), force)


def make_licensed_copies(
    ebook: PathLike,
    buyers: PathLike,
    folder: PathLike,
    *,
    language: str | None = None,
    force: bool = False,
) -> Built:
    """One copy of the finished ``ebook`` per buyer in the CSV file ``buyers``, in ``folder``;
    a copy already there is replaced only with ``force``. The licence line is in
    ``language``, else in the language the ebook is tagged with."""
    bought = tuple(read_buyers(Path(buyers)))
    settings = LicensedSettings(Path(ebook), Path(buyers), bought, language=language)
    return build(None, [Job(ProductName.LICENSED, settings, Path(folder))], force=force)


def _make(book: PathLike, job: Job, force: bool) -> Built:
    return build(Path(book), [job], force=force)
