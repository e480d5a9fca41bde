"""The one shape of every product, in the manner of Sphinx's builders.

A product has a name, typed settings, and one ``make(inputs, settings, context)`` that
returns a ``Made``: one or more named files and a typed summary. The runner knows the
products by the registry (``products/registry.py``) and gives every one of them the same
up-to-date check, ``--force``, progress line and summary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Generic, Protocol, TypeVar

from psoas_print.book.model import Book
from psoas_print.errors import Problem
from psoas_print.output import KeptFiles
from psoas_print.products.context import BuildContext
from psoas_print.products.settings import ProductName as ProductName  # the products' names
from psoas_print.products.summary import Summary as Summary  # re-exported: part of a Made


@dataclass(frozen=True)
class FinishedPdf:
    """A PDF made before, which a product starts from instead of the book."""

    path: Path
    data: bytes


Inputs = Book | FinishedPdf
WHOLE_BOOK = "*"  # a book-file entry standing for every file in the book folder


@dataclass(frozen=True)
class MadeFile:
    """One file a product made, ready to be written."""

    name: str  # "" for the job's own target; else a file name in the target folder
    data: bytes
    pages: int  # pages; an EPUB's documents; a handout's sheets
    html: str | None = None  # the HTML that was laid out, for ``--html``


@dataclass(frozen=True)
class Made:
    """A product laid out and turned into bytes: its files, ready to be written."""

    files: tuple[MadeFile, ...]
    summary: Summary = field(default_factory=Summary)
    seconds: float = 0.0
    drawn: dict[str, str] = field(default_factory=dict)  # figures drawn, to keep for next time
    warnings: tuple[Problem, ...] = ()  # found while laying out, such as a spread overrun
    kept: KeptFiles | None = None  # to write beside the outputs once all are written


Settings = TypeVar("Settings", contravariant=True)


class Product(Protocol[Settings]):
    """What the runner needs of a product."""

    name: ClassVar[ProductName]
    reads_book: ClassVar[bool]  # False: it starts from a finished PDF (see ``source``)
    replaces_outputs: ClassVar[bool]  # False: a file already there is replaced only by --force

    def check(self, book: Book | None, settings: Settings) -> None:
        """Fail, with a BookError, what the inputs alone show to be wrong, before any render."""

    def skipped(self, book: Book | None, settings: Settings) -> str | None:
        """Why this product is not made for this book at all (said in the summary), or None."""

    def source(self, settings: Settings) -> Path | None:
        """The finished PDF the product starts from; None for one made from the book."""

    def extra_inputs(self, settings: Settings) -> tuple[Path, ...]:
        """Files named on the command line that the product reads (a logo, a roster)."""

    def book_files(self, book: Book, settings: Settings) -> list[str]:
        """The book files it shows, relative to the book folder (see runner/cache.py)."""

    def file_names(self, settings: Settings) -> list[str]:
        """The files it writes: [""] for the job's target itself, else file names in the
        target folder (one per student or buyer), as ``MadeFile.name`` gives them."""

    def make(self, inputs: Inputs, settings: Settings, context: BuildContext) -> Made:
        """Lay the product out and return its files; nothing is written here."""


BookSettings = TypeVar("BookSettings")


class BookProduct(Generic[BookSettings]):
    """What most products share: made from the whole book, one file, nothing else read.
    A product overrides what differs (a cheat sheet shows one routine's files, say)."""

    reads_book: ClassVar[bool] = True
    replaces_outputs: ClassVar[bool] = True

    def check(self, book: Book | None, settings: BookSettings) -> None:
        return None

    def skipped(self, book: Book | None, settings: BookSettings) -> str | None:
        return None

    def source(self, settings: BookSettings) -> Path | None:
        return None

    def extra_inputs(self, settings: BookSettings) -> tuple[Path, ...]:
        return ()

    def book_files(self, book: Book, settings: BookSettings) -> list[str]:
        return [WHOLE_BOOK]

    def file_names(self, settings: BookSettings) -> list[str]:
        return [""]
