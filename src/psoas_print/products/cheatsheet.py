"""The one-page routine cheat sheet for the fridge door.

Every size in the layout is multiplied by one scale, chosen by the fitting loop so that
the whole routine fills exactly one page without going under legible sizes.
"""

from __future__ import annotations

import time
from typing import ClassVar

from psoas_print.book.model import Book, Paper, Routine
from psoas_print.errors import BookError
from psoas_print.figures.pictures import figures_for
from psoas_print.figures.style import ROBUST
from psoas_print.language.catalogues import catalogue_files, words_for
from psoas_print.language.words import Words
from psoas_print.layout.fitting import Fitted, Measurement, TooLong, fit_to_one_page
from psoas_print.layout.geometry import PAPERS
from psoas_print.layout.templates import layout_path, make_environment, render_template
from psoas_print.layout.typesetter import tagged_pdf
from psoas_print.layout.view import common_context, routine_view
from psoas_print.products.context import BuildContext
from psoas_print.products.protocol import BookProduct, Inputs, Made, MadeFile, Summary
from psoas_print.products.settings import CheatsheetSettings, ProductName

TEMPLATE = "cheatsheet.html"

# Base sizes in the layout are 13 pt body and 20 pt names. The smallest legible
# scale keeps them at 9 pt and 14 pt at least; the largest keeps a short routine sane.
BODY_PT, NAME_PT = 13, 20
MIN_BODY_PT, MIN_NAME_PT = 9, 14
MIN_SCALE = max(MIN_BODY_PT / BODY_PT, MIN_NAME_PT / NAME_PT)
MAX_SCALE = 1.3
MARGIN_MM = 12


def choose_routine(book: Book, routine_id: str | None) -> Routine:
    """The routine asked for, else the book's cheat-sheet routine (see Book.cheatsheet_routine)."""
    if routine_id is None:
        routine = book.cheatsheet_routine()
        if routine is None:
            raise BookError.at(book.root / "routines", None, NO_ROUTINE)
        return routine
    if routine_id in book.routines:
        return book.routines[routine_id]
    known = ", ".join(sorted(book.routines)) or "none"
    raise BookError.at(
        book.root / "routines", None, f"no routine '{routine_id}' (routines/ has: {known})"
    )


NO_ROUTINE = "the book has no routine: add one to routines/ (a YAML file listing exercises)"


class Cheatsheet(BookProduct[CheatsheetSettings]):
    """The one-page routine sheet for the fridge door."""

    name: ClassVar[ProductName] = ProductName.CHEATSHEET

    def check(self, book: Book | None, settings: CheatsheetSettings) -> None:
        assert book is not None
        choose_routine(book, settings.routine)
        words_for(book, settings.language)  # a language with no labels fails here

    def skipped(self, book: Book | None, settings: CheatsheetSettings) -> str | None:
        """Why an optional cheat sheet is not made: the book has no routine."""
        assert book is not None
        return NO_ROUTINE if settings.optional and not book.routines else None

    def book_files(self, book: Book, settings: CheatsheetSettings) -> list[str]:
        """Its routine's file, its exercises' files and pictures, book.yaml, and the names
        in routines/ (which choose the routine): editing another exercise leaves it be."""
        routine = choose_routine(book, settings.routine)
        files = [book.root / "book.yaml", routine.source]
        for item in routine.items:
            exercise = item.exercise
            files += [exercise.source, book.root / "figures" / f"{exercise.id}.yaml"]
            files += [exercise.image_path] if exercise.image_path else []
        relative = [path.relative_to(book.root).as_posix() for path in files]
        labels = catalogue_files(book.info.language, settings.language)
        return ["routines/", *dict.fromkeys(relative), *labels]

    def make(self, inputs: Inputs, settings: CheatsheetSettings, context: BuildContext) -> Made:
        assert isinstance(inputs, Book)
        started = time.perf_counter()
        paper = settings.paper or inputs.info.paper
        words = words_for(inputs, settings.language)
        fitted = fit_cheatsheet(inputs, context, paper, settings.routine, words)
        data = tagged_pdf(fitted.document, settings.pdf_variant)
        made = MadeFile("", data, len(fitted.document.pages), fitted.html)
        summary = Summary(renders=fitted.renders, scale=round(fitted.scale, 3))
        return Made((made,), summary, time.perf_counter() - started)


def fit_cheatsheet(
    book: Book, context: BuildContext, paper: Paper, routine_id: str | None, words: Words
) -> Fitted:
    """The routine's sheet, laid out at the largest scale that fills exactly one page."""
    routine = choose_routine(book, routine_id)
    renderer = context.renderer
    environment = make_environment(renderer.sources, words)
    exercises = [item.exercise for item in routine.items]
    values = {
        **common_context(book, paper, context.created, words),
        "routine": routine_view(routine, words),
        "weekdays": words.weekdays(),
        "margin_mm": MARGIN_MM,
        "figures": figures_for(exercises, ROBUST, context.figures, words),
        "ebook_pages": {},  # the sheet is for the fridge: no page references
    }
    usable_mm = PAPERS[paper].height_mm - MARGIN_MM

    def html_at(scale: float, page_height_mm: float | None) -> str:
        return render_template(
            environment,
            TEMPLATE,
            **values,
            scale=scale,
            measuring=page_height_mm is not None,
            page_height_mm=page_height_mm or PAPERS[paper].height_mm,
        )

    try:
        return fit_to_one_page(
            html_at, renderer, layout_path(TEMPLATE), len(routine.items), usable_mm,
            (MIN_SCALE, MAX_SCALE),
        )  # fmt: skip
    except TooLong as too_long:
        raise _too_long(routine, paper, too_long.smallest, usable_mm) from None


def _too_long(routine: Routine, paper: Paper, smallest: Measurement, usable_mm: float) -> BookError:
    """How many exercises would fit, measured at the smallest legible size."""
    fitting = smallest.cards_that_fit(usable_mm)
    return BookError.at(
        routine.source,
        routine.exercises_line,
        f"routine '{routine.id}' has {len(routine.items)} exercises but only {fitting} fit on one "
        f"legible {PAPERS[paper].label} page (text at least {MIN_BODY_PT} pt, names at least "
        f"{MIN_NAME_PT} pt); split it into shorter routines",
    )
