"""Fitting a layout to exactly one page by scaling every size in it together.

The layout is laid out on an endless page; the positions of markers after each card
and at the very end say how tall it is. Each measurement predicts the next scale, so a
fit takes a few renders. Layouts that fit this way place ``<div id="after-card-N">``
after card N and ``<div id="sheet-end">`` after everything. Every other element with an
id is measured too, so that a layout too long for its page can say what takes the room
without being laid out again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from psoas_print.errors import BookError

if TYPE_CHECKING:
    from pathlib import Path

    from psoas_print.layout.typesetter import LaidOutDocument, Renderer

ENDLESS_PAGE_MM = 5000
TOLERANCE = 0.02  # a fit within 2 % of filling the page is good enough
MAX_MEASURES = 8
PX_PER_MM = 96 / 25.4


@dataclass(frozen=True)
class Measurement:
    """Where the layout ends and where each card ends, in mm from the top of the page.

    ``boxes`` holds the top and bottom of every element with an id, in mm.
    """

    end_mm: float
    card_ends_mm: list[float]
    boxes: dict[str, tuple[float, float]] = field(default_factory=dict)

    def height(self, name: str) -> float:
        """How tall the element with this id is, in mm; 0 when the layout has none."""
        top, bottom = self.boxes.get(name, (0.0, 0.0))
        return bottom - top

    def cards_that_fit(self, usable_mm: float) -> int:
        """How many cards fit above ``usable_mm`` with whatever follows the last card."""
        after_cards = self.end_mm - self.card_ends_mm[-1]
        return sum(1 for end in self.card_ends_mm if end + after_cards <= usable_mm)


class TooLong(Exception):
    """Even the smallest scale overflows the page; ``smallest`` is measured at that scale."""

    def __init__(self, smallest: Measurement) -> None:
        super().__init__("does not fit")
        self.smallest = smallest


def measure(document: LaidOutDocument, cards: int, origin: Path) -> Measurement:
    page = document.pages[0]
    # WeasyPrint gives each id's border box as (left, top, right, bottom) in CSS pixels.
    boxes = {name: (box[1] / PX_PER_MM, box[3] / PX_PER_MM) for name, box in page.anchors.items()}
    markers = [f"after-card-{n}" for n in range(1, cards + 1)] + ["sheet-end"]
    # A book's own layout may leave a marker out: its mistake, told as such.
    if missing := [name for name in markers if name not in boxes]:
        raise BookError.at(
            origin, None,
            f"the layout has no element with id '{missing[0]}'; a layout fitted to one page "
            "marks the end of card N with id 'after-card-N' and its own end with 'sheet-end'",
        )  # fmt: skip
    ends = [boxes[name][0] for name in markers[:-1]]
    return Measurement(boxes["sheet-end"][0], ends, boxes)


def fit_scale(
    measure_at: Callable[[float], Measurement], usable_mm: float, smallest: float, largest: float
) -> tuple[float, int]:
    """The largest scale (to within TOLERANCE) at which the layout ends above ``usable_mm``.

    Returns the scale and how many measuring renders it took; raises TooLong.
    """
    fits: tuple[float, float] | None = None  # (scale, end) of the largest scale that fits
    overflows: tuple[float, float] | None = None  # and of the smallest that overflows
    scale, measures = largest, 0
    while measures < MAX_MEASURES:
        measurement = measure_at(scale)
        measures += 1
        if measurement.end_mm <= usable_mm:
            fits = (scale, measurement.end_mm)
        else:
            overflows = (scale, measurement.end_mm)
            if scale <= smallest:
                raise TooLong(measurement)
        if (
            fits is not None
            and fits[0] == scale
            and (scale >= largest or measurement.end_mm >= usable_mm * (1 - TOLERANCE))
        ):
            break  # as large as allowed, or fills the page to within the tolerance
        if (
            fits is not None
            and overflows is not None
            and (overflows[0] - fits[0]) / overflows[0] < TOLERANCE
        ):
            break  # the best fit is next to the smallest overflow
        scale = _next_guess(fits, overflows, usable_mm * (1 - TOLERANCE / 2), smallest, largest)
    if fits is None:  # pragma: no cover - the guesses always reach the smallest scale first
        raise TooLong(measure_at(smallest))
    return fits[0], measures


def _next_guess(
    fits: tuple[float, float] | None,
    overflows: tuple[float, float] | None,
    target_mm: float,
    smallest: float,
    largest: float,
) -> float:
    """The scale expected to end the layout at ``target_mm``, kept inside what is known.

    Between a fit and an overflow the height is close to a straight line in the scale
    (margins and the pen-sized log do not scale, so a proportional guess would not do).
    """
    if fits is not None and overflows is not None:
        (low, low_end), (high, high_end) = fits, overflows
        guess = low + (target_mm - low_end) * (high - low) / (high_end - low_end)
        return guess if low < guess < high else (low + high) / 2
    known = overflows or fits
    assert known is not None
    guess = known[0] * target_mm / known[1]
    if fits is None:
        return max(smallest, min(guess, known[0] - 1e-3))
    return min(largest, max(guess, known[0] + 1e-3))


def measure_once(
    html_at: Callable[[float, float | None], str],
    renderer: Renderer,
    origin: Path,
    cards: int,
    scale: float,
) -> Measurement:
    """One measuring render of ``html_at`` at ``scale``, on an endless page."""
    return measure(renderer.render(html_at(scale, ENDLESS_PAGE_MM), origin), cards, origin)


@dataclass(frozen=True)
class Fitted:
    document: LaidOutDocument
    html: str
    scale: float
    renders: int


def fit_to_one_page(
    html_at: Callable[[float, float | None], str],
    renderer: Renderer,
    origin: Path,
    cards: int,
    usable_mm: float,
    scales: tuple[float, float],
) -> Fitted:
    """Lay out ``html_at(scale, page_height_mm)`` on one page at the largest scale that fits.

    ``html_at`` is called with an endless page height while measuring and with None for the
    real page. Raises TooLong when even the smallest of ``scales`` overflows.
    """

    def measure_at(scale: float) -> Measurement:
        return measure_once(html_at, renderer, origin, cards, scale)

    scale, measures = fit_scale(measure_at, usable_mm, *scales)
    html = html_at(scale, None)
    return Fitted(renderer.render(html, origin), html, scale, measures + 1)
