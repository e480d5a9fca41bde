"""Reading a book with every stage's checks: the one way the runner, the command line
and scripts read a book."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from psoas_print.book import translations
from psoas_print.book.loading import Checks, SeenPose, load_book
from psoas_print.book.model import Book
from psoas_print.figures.checks import KnownPoses, pose_fault
from psoas_print.language.catalogues import label_warnings
from psoas_print.layout.geometry import default_printed_width_mm

# The figures stage judges each pose, the layout stage how wide each picture prints, the
# language stage what a book's own catalogue of labels changes.
STAGE_CHECKS = Checks(
    pose_fault=pose_fault,
    printed_width_mm=default_printed_width_mm,
    label_warnings=label_warnings,
)


def read_book(
    folder: Path,
    edition: str | None = None,
    pose_seen: Callable[[SeenPose], None] | None = None,
) -> Book:
    """Read and check the book in ``folder`` (with ``edition``, its translation into that
    language), or raise one BookError listing every problem;
    ``pose_seen`` is told of every pose, drawable or not. A pose found to draw before is
    not drawn again to check it (see KnownPoses)."""
    known = KnownPoses()
    checks = replace(STAGE_CHECKS, pose_fault=known.fault, pose_seen=pose_seen)
    try:
        return load_book(folder, checks, edition)
    finally:
        known.keep()


class EditionReader:
    """A book's editions, each read and checked once: in a language, the book's translation
    into it (translations/LANG/) where it has one, else the book as written (its labels
    then in that language, see language/catalogues.py); for None, the book as written
    (``own``, when the caller has read it already)."""

    def __init__(self, folder: Path, own: Book | None = None) -> None:
        self.folder = folder
        self._read: dict[str | None, Book] = {} if own is None else {None: own}

    def __call__(self, language: str | None) -> Book:
        translated = language is not None and translations.has_translation(self.folder, language)
        edition = language if translated else None
        if edition not in self._read:
            self._read[edition] = read_book(self.folder, edition)
        return self._read[edition]
