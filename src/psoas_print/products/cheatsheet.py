"""The one-page routine cheat sheet for the fridge door, and the loop that fits it.

The layout multiplies every size by one scale factor. To find it, the sheet is laid
out on an endless page and the position of a marker after its last element says how
tall it is; each measurement predicts the next scale, so a fit takes a few renders.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from psoas_print.errors import BookError
from psoas_print.figures import ROBUST, figures_for
from psoas_print.model import Book, Paper, Routine
from psoas_print.products import PAPERS, Rendered, common_context, layout_path
from psoas_print.render import Renderer, make_environment, render_template

TEMPLATE = "cheatsheet.html"
DEFAULT_ROUTINE = "fridge"

# Base sizes in the layout are 13 pt body and 20 pt names. The smallest legible
# scale keeps them at 9 pt and 14 pt at least; the largest keeps a short routine sane.
BODY_PT, NAME_PT = 13, 20
MIN_BODY_PT, MIN_NAME_PT = 9, 14
MIN_SCALE = max(MIN_BODY_PT / BODY_PT, MIN_NAME_PT / NAME_PT)
MAX_SCALE = 1.3
MARGIN_MM = 12
ENDLESS_PAGE_MM = 5000
TOLERANCE = 0.02  # a fit within 2 % of filling the page is good enough
MAX_MEASURES = 8
PX_PER_MM = 96 / 25.4


@dataclass(frozen=True)
class Measurement:
    """Where the sheet ends and where each card ends, in mm from the top of the page."""

    end_mm: float
    card_ends_mm: list[float]


def choose_routine(book: Book, routine_id: str | None) -> Routine:
    routine_id = routine_id or DEFAULT_ROUTINE
    if routine_id in book.routines:
        return book.routines[routine_id]
    known = ", ".join(sorted(book.routines)) or "none"
    raise BookError.at(
        book.root / "routines",
        None,
        f"no routine '{routine_id}' (routines/ has: {known}); use --routine",
    )


def build_cheatsheet(
    book: Book, renderer: Renderer, paper: Paper, routine_id: str | None
) -> Rendered:
    routine = choose_routine(book, routine_id)
    environment = make_environment(renderer.sources)
    exercises = [item.exercise for item in routine.items]
    context = {
        **common_context(book, paper),
        "routine": routine,
        "margin_mm": MARGIN_MM,
        "figures": figures_for(exercises, ROBUST),
    }
    usable_mm = PAPERS[paper].height_mm - MARGIN_MM

    def html_at(scale: float, measuring: bool) -> str:
        page_height = ENDLESS_PAGE_MM if measuring else PAPERS[paper].height_mm
        return render_template(
            environment,
            TEMPLATE,
            **context,
            scale=scale,
            measuring=measuring,
            page_height_mm=page_height,
        )

    def measure(scale: float) -> Measurement:
        page = renderer.render(html_at(scale, measuring=True), layout_path(TEMPLATE)).pages[0]
        ends = [
            page.anchors[f"after-card-{n}"][1] / PX_PER_MM for n in range(1, len(routine.items) + 1)
        ]
        return Measurement(page.anchors["sheet-end"][1] / PX_PER_MM, ends)

    scale, measures = fit_scale(measure, usable_mm, routine, paper)
    html = html_at(scale, measuring=False)
    document = renderer.render(html, layout_path(TEMPLATE))
    return Rendered(document, html, {"renders": measures + 1, "scale": round(scale, 3)})


def fit_scale(
    measure: Callable[[float], Measurement], usable_mm: float, routine: Routine, paper: Paper
) -> tuple[float, int]:
    """The largest scale (to within TOLERANCE) at which the sheet ends above ``usable_mm``."""
    fits, overflows = None, None
    scale, measures = MAX_SCALE, 0
    while measures < MAX_MEASURES:
        measurement = measure(scale)
        measures += 1
        if measurement.end_mm <= usable_mm:
            fits = scale
        else:
            overflows = scale
            if scale <= MIN_SCALE:
                raise _too_long(routine, paper, measurement, usable_mm)
        if fits == scale and (
            scale >= MAX_SCALE or measurement.end_mm >= usable_mm * (1 - TOLERANCE)
        ):
            break  # as large as allowed, or fills the page to within the tolerance
        if (
            fits is not None
            and overflows is not None
            and (overflows - fits) / overflows < TOLERANCE
        ):
            break  # the best fit is next to the smallest overflow
        scale = _next_guess(scale * usable_mm / measurement.end_mm, fits, overflows)
    if fits is None:  # pragma: no cover - the guesses always reach MIN_SCALE first
        raise _too_long(routine, paper, measure(MIN_SCALE), usable_mm)
    return fits, measures


def _next_guess(proportional: float, fits: float | None, overflows: float | None) -> float:
    """The proportional guess, kept strictly inside what is already known."""
    low = fits if fits is not None else MIN_SCALE
    high = overflows if overflows is not None else MAX_SCALE
    if fits is None and proportional <= MIN_SCALE:
        return MIN_SCALE
    if not low < proportional < high:
        return (low + high) / 2
    return proportional


def _too_long(routine: Routine, paper: Paper, smallest: Measurement, usable_mm: float) -> BookError:
    """How many exercises would fit, measured at the smallest legible size."""
    footer_mm = smallest.end_mm - smallest.card_ends_mm[-1]
    fitting = sum(1 for end in smallest.card_ends_mm if end + footer_mm <= usable_mm)
    return BookError.at(
        routine.source,
        routine.exercises_line,
        f"routine '{routine.id}' has {len(routine.items)} exercises but only {fitting} fit on one "
        f"legible {PAPERS[paper].label} page (text at least {MIN_BODY_PT} pt, names at least "
        f"{MIN_NAME_PT} pt); split it into shorter routines",
    )
