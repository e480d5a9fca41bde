"""What the preview lays out, and when: every product it shows, again after each change
to the book, the view being looked at first.

Each product is built as `build` builds it (runner/build.py), into a working folder
outside the book: an unchanged product is left as it is, and an ebook edited in one
exercise has that spread alone laid out again (products/kept_layout.py). The book is read
here once per change, for the figures view and for every product.

The layouts run in two worker processes, which stay warm between changes: one lays out
the product in view, the other the rest, one after another. A save is then laid out at
once, even while another product is still being laid out for the save before; and this
process, free of layouts, answers the page's requests without waiting.
"""

from __future__ import annotations

import hashlib
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import CancelledError, Future, wait
from concurrent.futures.process import BrokenProcessPool
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
from psoas_print.workers import WorkerPool, worker_context

PRODUCTS = ("ebook", "cheatsheet", "handout")
VIEWS = (*PRODUCTS, "figures")
NO_ROUTINE = "this book has no routine to show (add one to routines/)"

Say = Callable[[str], None]


@dataclass
class Shown:
    """A product as last laid out: its pages, and a version that changes with them."""

    pdf: LaidOutPdf | None = None
    version: int = 0
    note: str = ""  # why there are no pages, when there are none
    problems: tuple[Problem, ...] = ()  # why the last layout failed, if it did
    warnings: tuple[Problem, ...] = ()


@dataclass
class PreviewState:
    """What the page shows, shared by the rebuilding thread, the workers' reports and the
    server's requests; changed under ``changed``'s lock, each change published."""

    shown: dict[str, Shown] = field(default_factory=lambda: {name: Shown() for name in PRODUCTS})
    reading: tuple[Problem, ...] = ()  # what reading the book found wrong
    book_warnings: tuple[Problem, ...] = ()
    figures: list[FigureEntry] = field(default_factory=list)
    drawings: FiguresView = field(default_factory=FiguresView)  # what the figures show
    building: list[str] = field(default_factory=list)  # what is being laid out
    generation: int = 0  # raised at every change the page should show
    first_view: str = "ebook"  # the view last opened, laid out first
    changed: threading.Condition = field(default_factory=threading.Condition)

    @property
    def problems(self) -> list[Problem]:
        """What stops a product, each once (a problem several products share, once)."""
        found = [*self.reading, *(p for shown in self.shown.values() for p in shown.problems)]
        return list(dict.fromkeys(found))

    @property
    def warnings(self) -> list[Problem]:
        found = [*self.book_warnings, *(w for shown in self.shown.values() for w in shown.warnings)]
        return list(dict.fromkeys(found))

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


@dataclass(frozen=True)
class LaidOut:
    """What a worker reports of one product's layout."""

    pages: int = 0
    up_to_date: bool = False
    seconds: float = 0.0
    warnings: tuple[Problem, ...] = ()
    problems: tuple[Problem, ...] = ()  # why it could not be laid out


def lay_out(book_dir: Path, job: Job, book: Book) -> LaidOut:
    """Build one product in a worker, as `build` would (its problems returned, not raised)."""
    started = time.perf_counter()
    try:
        built = build(book_dir, [job], book=book)
    except BookError as error:
        return LaidOut(problems=tuple(error.problems))
    result = built.results[0]
    seconds = time.perf_counter() - started
    return LaidOut(result.pages, result.summary.up_to_date, seconds, built.warnings)


def working_folder(book_dir: Path) -> Path:
    """Where the preview of this book lays its products out: in the user's own state
    folder, never in the book, and the same each time so later runs start from its
    kept layout."""
    digest = hashlib.blake2b(str(book_dir.resolve()).encode(), digest_size=8).hexdigest()
    return state_folder() / "preview" / digest


class Rebuilder:
    """Lays the book's products out again whenever ``book_changed`` is set."""

    def __init__(self, book_dir: Path, state: PreviewState, folder: Path, say: Say) -> None:
        self.book_dir = book_dir
        self.say = say  # what was laid out, and the problems, for the terminal
        self.state = state
        self.folder = folder
        self.book_changed = threading.Event()
        self.stopping = threading.Event()
        self.words = words_for(None)  # the figures' words until the book is read
        self.front = _pool()  # the product in view
        self.back = _pool()  # the others, in turn
        self.queued: dict[str, Future[LaidOut]] = {}  # the others, by product
        self.said: tuple[list[Problem], list[Problem]] = ([], [])
        self.book_changed.set()  # the first layout

    def run(self) -> None:
        """Rebuild until stopped, each change as soon as the product in view is free."""
        while not self.stopping.is_set():
            if not self.book_changed.wait(timeout=0.2):
                continue
            self.book_changed.clear()
            try:
                self.rebuild()
            except Exception as error:  # a bug in the tool: shown, and the preview goes on
                if self.stopping.is_set():
                    return
                self._internal_error(error)
                if isinstance(error, BrokenProcessPool):  # a worker died: start afresh
                    self.front, self.back = _pool(), _pool()

    def stop(self) -> None:
        """Stop at once: the workers end whatever they lay out (every output is written
        whole or not at all, so nothing is left half-made)."""
        self.stopping.set()
        self.front.stop()
        self.back.stop()

    def rebuild(self) -> None:
        """Read the book once, show its poses, then lay out each product."""
        seen: list[SeenPose] = []
        try:
            book = read_book(self.book_dir, pose_seen=seen.append)
        except BookError as error:
            self._show_figures(seen, None)
            with self.state.changed:
                self.state.reading, self.state.book_warnings = tuple(error.problems), ()
            self._published()
            return
        self._show_figures(seen, book)
        with self.state.changed:
            self.state.reading, self.state.book_warnings = (), book.warnings
        for future in self.queued.values():  # laid out for an older book
            future.cancel()
        first, *others = self._order()
        self._wait_for(first, book)
        queued = {name: self._queue(name, book) for name in others}
        self.queued = {name: future for name, future in queued.items() if future is not None}

    def _order(self) -> list[str]:
        first = self.state.first_view
        if first not in PRODUCTS:
            return list(PRODUCTS)
        return [first, *(name for name in PRODUCTS if name != first)]

    def _wait_for(self, name: str, book: Book) -> None:
        """Lay out the product in view, now: once the other worker, if it is laying out
        the same product for an earlier save (the view just changed), is done with it, so
        that the older layout never lands after the newer."""
        job = self._job(name, book)
        if job is None:
            return
        earlier = self.queued.pop(name, None)
        if earlier is not None and not earlier.cancel():
            wait([earlier])
        future = self._submit(self.front, name, job, book)
        try:
            laid_out = future.result()
        except BaseException:
            self._done(name)
            raise
        self._show(name, job, laid_out)

    def _queue(self, name: str, book: Book) -> Future[LaidOut] | None:
        job = self._job(name, book)
        if job is None:
            return None
        future = self._submit(self.back, name, job, book)
        future.add_done_callback(lambda done: self._shown_from_back(name, job, done))
        return future

    def _submit(self, pool: WorkerPool, name: str, job: Job, book: Book) -> Future[LaidOut]:
        with self.state.changed:
            self.state.building.append(name)
        self.state.publish()
        return pool.submit(lay_out, self.book_dir, job, book)

    def _shown_from_back(self, name: str, job: Job, future: Future[LaidOut]) -> None:
        try:
            self._show(name, job, future.result())
        except CancelledError:
            self._done(name)
        except Exception as error:  # a bug in the tool, or the workers stopped
            self._done(name)
            if not self.stopping.is_set():
                self._internal_error(error)

    def _job(self, name: str, book: Book) -> Job | None:
        """The product as the preview lays it out; None when the book has nothing to show."""
        target = self.folder / f"{name}.pdf"
        if name == "ebook":
            # In parts even when short: an edited exercise is then laid out alone.
            parts = None if len(book.exercises) > LONG_BOOK_EXERCISES else 2
            return Job(ProductName.EBOOK, EbookSettings(parts=parts), target)
        routine = book.cheatsheet_routine()
        if routine is None:
            with self.state.changed:
                shown = self.state.shown[name]
                shown.pdf, shown.note, shown.problems, shown.warnings = None, NO_ROUTINE, (), ()
            return None
        if name == "cheatsheet":
            return Job(ProductName.CHEATSHEET, CheatsheetSettings(routine.id), target)
        return Job(ProductName.HANDOUT, HandoutSettings(HandoutOptions(routine.id)), target)

    def _show(self, name: str, job: Job, laid_out: LaidOut) -> None:
        """A worker's layout on the page: its pages when they changed, its problems."""
        with self.state.changed:
            shown = self.state.shown[name]
            shown.problems, shown.warnings = laid_out.problems, laid_out.warnings
            if not laid_out.problems and (not laid_out.up_to_date or shown.pdf is None):
                old, shown.pdf = shown.pdf, LaidOutPdf(job.target.read_bytes())
                shown.version += 1
                shown.note = ""
                if old is not None:
                    old.close()
                pages = f"{laid_out.pages} page" + ("" if laid_out.pages == 1 else "s")
                self.say(f"{name}: {pages} in {laid_out.seconds:.1f} s")
        self._done(name)

    def _done(self, name: str) -> None:
        with self.state.changed:
            if name in self.state.building:
                self.state.building.remove(name)
        self._published()

    def _published(self) -> None:
        """Publish the change, and say on the terminal what is newly wrong."""
        with self.state.changed:
            now = (self.state.problems, self.state.warnings)
            if now != self.said and not self.state.building:
                self.said = now
                for problem in now[0]:
                    self.say(str(problem))
                for warning in now[1]:  # as the other commands show them
                    where, _, message = str(warning).partition(": ")
                    self.say(f"{where}: warning: {message}")
        self.state.publish()

    def _show_figures(self, seen: list[SeenPose], book: Book | None) -> None:
        if book is not None:
            self.words = words_for(book)
        self.state.figures = self.state.drawings.entries(seen, self.words)
        self.state.publish()

    def _internal_error(self, error: Exception) -> None:
        traceback.print_exception(error)
        message = f"internal error ({type(error).__name__}: {error}); please report it"
        with self.state.changed:
            self.state.reading = (Problem(self.book_dir, None, message),)
        self._published()


def _pool() -> WorkerPool:
    """One worker, kept warm between changes (its imports and fonts loaded once)."""
    return WorkerPool(1, worker_context())
