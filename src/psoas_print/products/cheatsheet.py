"""The one-page routine cheat sheet for the fridge door.

Every size in the layout is multiplied by one scale, chosen by the fitting loop so that
the whole routine fills exactly one page without going under legible sizes.
"""

from __future__ import annotations

from psoas_print.errors import BookError
from psoas_print.figures import ROBUST, figures_for
from psoas_print.geometry import PAPERS
from psoas_print.model import Book, Paper, Routine
from psoas_print.products import Rendered, common_context, layout_path
from psoas_print.products.fitting import Measurement, TooLong, fit_to_one_page
from psoas_print.render import make_environment, render_template
from psoas_print.typesetter import Renderer
from psoas_print.view import routine_view

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


def build_cheatsheet(
    book: Book, renderer: Renderer, paper: Paper, routine_id: str | None
) -> Rendered:
    routine = choose_routine(book, routine_id)
    environment = make_environment(renderer.sources)
    exercises = [item.exercise for item in routine.items]
    context = {
        **common_context(book, paper),
        "routine": routine_view(routine),
        "margin_mm": MARGIN_MM,
        "figures": figures_for(exercises, ROBUST),
        "ebook_pages": {},  # the sheet is for the fridge: no page references
    }
    usable_mm = PAPERS[paper].height_mm - MARGIN_MM

    def html_at(scale: float, page_height_mm: float | None) -> str:
        return render_template(
            environment,
            TEMPLATE,
            **context,
            scale=scale,
            measuring=page_height_mm is not None,
            page_height_mm=page_height_mm or PAPERS[paper].height_mm,
        )

    try:
        fitted = fit_to_one_page(
            html_at, renderer, layout_path(TEMPLATE), len(routine.items), usable_mm,
            (MIN_SCALE, MAX_SCALE),
        )  # fmt: skip
    except TooLong as too_long:
        raise _too_long(routine, paper, too_long.smallest, usable_mm) from None
    notes = {"renders": fitted.renders, "scale": round(fitted.scale, 3)}
    return Rendered(fitted.document, fitted.html, notes)


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
