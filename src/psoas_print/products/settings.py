"""What each product is made with: its typed settings, and the files named on the command
line that fill them (a roster, a list of buyers). The command line and the public API build
these; the products read them. Nothing here lays anything out, so ``check`` and ``--help``
start without the products' libraries."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from psoas_print.book.csvfile import Limit, Row, read_csv
from psoas_print.book.labels import LANGUAGE_TAG
from psoas_print.book.model import Book, Paper
from psoas_print.book.programmes import Client
from psoas_print.layout.geometry import PdfVariant, Trim
from psoas_print.limits import MAX_BUYERS, MAX_ROSTER_ROWS


class ProductName(StrEnum):
    CHEATSHEET = "cheatsheet"
    EBOOK = "ebook"
    EPUB = "epub"
    HANDOUT = "handout"
    LICENSED = "licensed"
    COVER = "cover"
    COVER_PICTURE = "cover-picture"
    PROGRAMME = "programme"


@dataclass(frozen=True)
class CheatsheetSettings:
    routine: str | None = None  # None: the book's cheat-sheet routine
    paper: Paper | None = None  # None: the book's own paper
    pdf_variant: PdfVariant | None = None
    optional: bool = False  # a book without routines simply goes without one
    language: str | None = None  # of the labels; None: the book's own


@dataclass(frozen=True)
class PrintSetup:
    """For a print-on-demand service: bleed around each trimmed page, and crop marks; with
    a service's preset, its rules (see pdf/services.py)."""

    bleed_mm: float = 3.0
    marks: bool = False
    preset: str = "generic"  # kdp, ingramspark or generic
    ink: str = "color"  # black: text, lines and pictures in black and greys only
    wider_gutter_mm: float = 0.0  # a thick book's extra inside margin (see products/ebook.py)

    @classmethod
    def for_preset(cls, preset: str, ink: str) -> PrintSetup:
        """A service's preset: its own bleed, and no marks (see pdf/services.py)."""
        from psoas_print.pdf.services import SERVICES  # plain data, no library

        return cls(SERVICES[preset].bleed_mm, False, preset, ink)

    @property
    def for_service(self) -> bool:
        """Whether a service's rules apply: an interior without the cover, no bleed on the
        inside edge, running heads and folios clear of its margins."""
        return self.preset != "generic"


@dataclass(frozen=True)
class EbookSettings:
    paper: Paper | None = None  # None: the book's own paper
    sample: bool = False  # the free sample edition
    trim: Trim | None = None  # a print-ready ebook at this trim size
    printing: PrintSetup | None = None  # with ``trim``: bleed and crop marks
    pdf_variant: PdfVariant | None = None
    parts: int | None = None  # lay a long ebook out in this many parts; None: by its length
    keep_html: bool = False  # also give the HTML a single render would lay out
    language: str | None = None  # of the labels; None: the book's own

    def page(self, book: Book) -> str:
        """The page size it is laid out at: the trim, else the paper, else the book's."""
        return self.trim or self.paper or book.info.paper


@dataclass(frozen=True)
class EpubSettings:
    """Reading systems choose the EPUB's page and type size: only its language is set."""

    language: str | None = None  # of the labels; None: the book's own


@dataclass(frozen=True)
class HandoutOptions:
    routine: str
    class_name: str = ""
    instructor: str = ""
    date: datetime.date | None = None
    logo: Path | None = None
    qr: str | None = None
    notes: str = ""
    # The paper of the ebook edition whose pages the handout cites; None: the book's own,
    # the edition `build` and `ebook` make by default.
    ebook_paper: Paper | None = None
    clinic: str = ""  # the clinic or studio, at the head (clinic.yaml or --clinic)
    accent: str | None = None  # "#rrggbb", read on white (book/clinic.py); None: the layout's


@dataclass(frozen=True)
class Student:
    name: str
    notes: str
    source: Path
    line: int
    language: str = ""  # of the student's copy; "": the handout's


@dataclass(frozen=True)
class HandoutSettings:
    options: HandoutOptions
    per_sheet: int = 1  # copies to a sheet: 1, 2 or 4
    roster: Path | None = None  # a CSV of students: one copy each
    students: tuple[Student, ...] = ()  # the roster's students, as read_roster read them
    split: bool = False  # with a roster: one file per student, in the target folder
    paper: Paper | None = None  # None: the book's own paper
    language: str | None = None  # of the labels; None: the book's own


ROSTER_LIMIT = Limit(MAX_ROSTER_ROWS, "students", "make the handouts of each class separately")


def read_roster(path: Path) -> tuple[Student, ...]:
    """The students of a roster file, in its order; else one BookError naming every bad row."""
    rows = read_csv(
        path, required=("name",), optional=("notes", "language"), limit=ROSTER_LIMIT,
        check=_language_tag,
    )  # fmt: skip
    return tuple(
        Student(row["name"], row["notes"], path, row.line, row["language"].replace("_", "-"))
        for row in rows
    )


def _language_tag(row: Row) -> list[str]:
    """What is wrong with a roster row's language: not a language tag."""
    tag = row["language"]
    if tag and not LANGUAGE_TAG.match(tag):
        return [f"language '{tag}' is not a language tag, such as de or en-GB"]
    return []


@dataclass(frozen=True)
class Buyer:
    name: str
    email: str
    order: str
    line: int


BUYERS_LIMIT = Limit(MAX_BUYERS, "buyers", "stamp them in several batches")


def read_buyers(path: Path) -> list[Buyer]:
    """Every buyer of the file; else one BookError naming every bad row."""
    rows = read_csv(path, ("name", "email", "order"), limit=BUYERS_LIMIT, check=_email_problem)
    return [Buyer(row["name"], row["email"], row["order"], row.line) for row in rows]


def _email_problem(row: Row) -> list[str]:
    email = row["email"]
    if not email or re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        return []  # a blank one is reported as blank
    return [f"'{email}' is not an email address"]


@dataclass(frozen=True)
class LicensedSettings:
    ebook: Path  # the finished ebook PDF
    buyers_file: Path  # the CSV the buyers were read from
    buyers: tuple[Buyer, ...]  # as read_buyers read them
    language: str | None = None  # of the licence line; None: the ebook's own


@dataclass(frozen=True)
class CoverSettings:
    """A full-wrap cover for a print-on-demand service: back, spine and front."""

    preset: str = "kdp"
    stock: str = "white"  # the interior's paper, which sets the spine's width
    trim: Trim = Trim.SIX_BY_NINE
    language: str | None = None  # None: the book's own


@dataclass(frozen=True)
class ProgrammeSettings:
    """Clients' personal programmes: a handout each, for the stage they are in."""

    files: tuple[Path, ...]  # the programme files (YAML or CSV)
    clients: tuple[Client, ...]  # as read_programmes read them
    week: int | None = None  # the week to print (from 1); None: by ``on``
    on: datetime.date | None = None  # the day to print for; None: today
    split: bool = False  # one file per client, in the target folder
    names_in_files: bool = False  # name each client's file by name and id, not id alone
    clinic: str = ""  # the clinic or class, at the head of each handout
    clinician: str = ""
    logo: Path | None = None
    qr: str | None = None
    paper: Paper | None = None  # None: the book's own paper
    accent: str | None = None  # "#rrggbb", read on white (book/clinic.py); None: the layout's
    per_sheet: int = 1  # 2: two half sheets side by side on each sheet, to cut apart


# The settings of any one product: a job carries its product's own (see runner/jobs.py).
ProductSettings = (
    CheatsheetSettings
    | EbookSettings
    | EpubSettings
    | HandoutSettings
    | LicensedSettings
    | CoverSettings
    | ProgrammeSettings
)
