"""What the preview lays out, and when: every product it shows, again after each change
to the book, the view being looked at first.

Each product is built as `build` builds it (runner/build.py), into a working folder
outside the book: an unchanged product is left as it is, and an ebook edited in one
exercise has that spread alone laid out again (products/kept_layout.py). The book is read
once per change, for the figures view and for every product.
"""

from __future__ import annotations

import hashlib
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from psoas_print.book.loading import SeenPose
from psoas_print.book.model import Book
from psoas_print.errors import BookError, Problem
from psoas_print.files import state_folder
from psoas_print.language.catalogues import words_for
from psoas_print.preview.figures_view import FigureEntry, FiguresView
from psoas_print.preview.pages import LaidOutPdf
from psoas_print.products.parts import LONG_BOOK_EXERCISES
from psoas_print.products.settings import (
    CheatsheetSettings,
    EbookSettings,
    HandoutOptions,
    HandoutSettings,
    ProductName,
)
from psoas_print.runner.build import build
from psoas_print.runner.jobs import Job
from psoas_print.runner.reading import read_book

PRODUCTS = ("ebook", "cheatsheet", "handout")
VIEWS = (*PRODUCTS, "figures")
NO_ROUTINE = "this book has no routine to show (add one to routines/)"


@dataclass
class Shown:
    """A product as last laid out: its pages, and a version that changes with them."""

    pdf: LaidOutPdf | None = None
    version: int = 0
    note: str = ""  # why there are no pages, when there are none
    seconds: float = 0.0  # the last layout's time


@dataclass
class PreviewState:
    """What the page shows, shared by the rebuilding thread and the server's requests."""

    shown: dict[str, Shown] = field(default_factory=lambda: {name: Shown() for name in PRODUCTS})
    problems: list[Problem] = field(default_factory=list)  # what stops a product
    warnings: list[Problem] = field(default_factory=list)  # what the author may want to fix
    figures: list[FigureEntry] = field(default_factory=list)
    drawings: FiguresView = field(default_factory=FiguresView)  # what the figures show
    building: str = ""  # what is being laid out now
    generation: int = 0  # raised at every change the page should show
    first_view: str = "ebook"  # the view last opened, laid out first
    changed: threading.Condition = field(default_factory=threading.Condition)

    def publish(self) -> None:
        with self.changed:
            self.generation += 1
            self.changed.notify_all()

    def figure_svg(self, name: str) -> str | None:
        return self.drawings.svg(name)

    def wait_newer(self, generation: int, timeout: float) -> int:
        """The generation, once newer than ``generation`` (or after ``timeout`` seconds)."""
        with self.changed:
            self.changed.wait_for(lambda: self.generation != generation, timeout)
            return self.generation


def working_folder(book_dir: Path) -> Path:
    """Where the preview of this book lays its products out: in the user's own state
    folder, never in the book, and the same each time so later runs start from its
    kept layout."""
    digest = hashlib.blake2b(str(book_dir.resolve()).encode(), digest_size=8).hexdigest()
    return state_folder() / "preview" / digest


class Rebuilder:
    """Lays the book's products out again whenever ``book_changed`` is set."""

    def __init__(
        self, book_dir: Path, state: PreviewState, folder: Path, say: Callable[[str], None]
    ) -> None:
        self.book_dir = book_dir
        self.say = say  # what was laid out, and the problems, for the terminal
        self.state = state
        self.folder = folder
        self.book_changed = threading.Event()
        self.stopping = threading.Event()
        self.words = words_for(None)  # the figures' words until the book is read
        self.book_changed.set()  # the first layout

    def run(self) -> None:
        """Rebuild until stopped: each change waits for the layout under way to end."""
        while not self.stopping.is_set():
            if not self.book_changed.wait(timeout=0.2):
                continue
            self.book_changed.clear()
            try:
                self.rebuild()
            except Exception as error:  # a bug in the tool: shown, and the preview goes on
                traceback.print_exc()
                message = f"internal error ({type(error).__name__}: {error}); please report it"
                self._finish([Problem(self.book_dir, None, message)], [])

    def rebuild(self) -> None:
        """Read the book once, show its poses, then lay out each product in turn."""
        seen: list[SeenPose] = []
        self._set_building("the book")
        try:
            book = read_book(self.book_dir, seen.append)
        except BookError as error:
            self._show_figures(seen, None)
            self._finish(list(error.problems), [])
            return
        self._show_figures(seen, book)
        problems: list[Problem] = []
        warnings = list(book.warnings)
        for name in self._order():
            if self.book_changed.is_set() or self.stopping.is_set():
                return  # started again with the newer book
            try:
                warnings += self._lay_out(name, book)
            except BookError as error:
                problems += error.problems
        self._finish(problems, warnings)

    def _order(self) -> list[str]:
        first = self.state.first_view
        return (
            [first, *(name for name in PRODUCTS if name != first)]
            if first in PRODUCTS
            else list(PRODUCTS)
        )

    def _lay_out(self, name: str, book: Book) -> list[Problem]:
        """Lay one product out and show it, with its warnings; BookError if it cannot be."""
        shown = self.state.shown[name]
        job = self._job(name, book)
        if job is None:
            shown.pdf, shown.note = None, NO_ROUTINE
            self.state.publish()
            return []
        self._set_building(name)
        started = time.perf_counter()
        built = build(self.book_dir, [job], book=book)
        shown.seconds = time.perf_counter() - started
        result = built.results[0]
        if not result.summary.up_to_date or shown.pdf is None:
            self._show_pdf(shown, job.target.read_bytes())
            pages = f"{result.pages} page" + ("" if result.pages == 1 else "s")
            self.say(f"{name}: {pages} in {shown.seconds:.1f} s")
        return list(built.warnings)

    def _job(self, name: str, book: Book) -> Job | None:
        """The product as the preview lays it out; None when the book has nothing to show."""
        target = self.folder / f"{name}.pdf"
        if name == "ebook":
            # In parts even when short: an edited exercise is then laid out alone.
            parts = None if len(book.exercises) > LONG_BOOK_EXERCISES else 2
            return Job(ProductName.EBOOK, EbookSettings(parts=parts), target)
        routine = book.cheatsheet_routine()
        if routine is None:
            return None
        if name == "cheatsheet":
            return Job(ProductName.CHEATSHEET, CheatsheetSettings(routine.id), target)
        return Job(ProductName.HANDOUT, HandoutSettings(HandoutOptions(routine.id)), target)

    def _show_pdf(self, shown: Shown, data: bytes) -> None:
        old, shown.pdf = shown.pdf, LaidOutPdf(data)
        shown.version += 1
        shown.note = ""
        if old is not None:
            old.close()
        self.state.publish()

    def _show_figures(self, seen: list[SeenPose], book: Book | None) -> None:
        if book is not None:
            self.words = words_for(book)
        self.state.figures = self.state.drawings.entries(seen, self.words)
        self.state.publish()

    def _set_building(self, what: str) -> None:
        self.state.building = what
        self.state.publish()

    def _finish(self, problems: list[Problem], warnings: list[Problem]) -> None:
        problems = list(dict.fromkeys(problems))  # a problem several products share, once
        warnings = list(dict.fromkeys(warnings))
        if (problems, warnings) != (self.state.problems, self.state.warnings):
            for problem in problems:
                self.say(str(problem))
            for warning in warnings:  # as the other commands show them
                where, _, message = str(warning).partition(": ")
                self.say(f"{where}: warning: {message}")
        self.state.problems, self.state.warnings = problems, warnings
        self.state.building = ""
        self.state.publish()
