"""Fitting a layout to exactly one page by scaling every size in it together.

The layout is laid out on an endless page; the positions of markers after each card
and at the very end say how tall it is. Each measurement predicts the next scale, so a
fit takes a few renders. Layouts that fit this way place ``<div id="after-card-N">``
after card N and ``<div id="sheet-end">`` after everything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from weasyprint import Document

    from psoas_print.typesetter import Renderer

ENDLESS_PAGE_MM = 5000
TOLERANCE = 0.02  # a fit within 2 % of filling the page is good enough
MAX_MEASURES = 8
PX_PER_MM = 96 / 25.4


@dataclass(frozen=True)
class Measurement:
    """Where the layout ends and where each card ends, in mm from the top of the page."""

    end_mm: float
    card_ends_mm: list[float]

    def cards_that_fit(self, usable_mm: float) -> int:
        """How many cards fit above ``usable_mm`` with whatever follows the last card."""
        after_cards = self.end_mm - self.card_ends_mm[-1]
        return sum(1 for end in self.card_ends_mm if end + after_cards <= usable_mm)


class TooLong(Exception):
    """Even the smallest scale overflows the page; ``smallest`` is measured at that scale."""

    def __init__(self, smallest: Measurement) -> None:
        super().__init__("does not fit")
        self.smallest = smallest


def measure(document: Document, cards: int) -> Measurement:
    page = document.pages[0]
    ends = [page.anchors[f"after-card-{n}"][1] / PX_PER_MM for n in range(1, cards + 1)]
    return Measurement(page.anchors["sheet-end"][1] / PX_PER_MM, ends)


def fit_scale(
    measure_at: Callable[[float], Measurement], usable_mm: float, smallest: float, largest: float
) -> tuple[float, int]:
    """The largest scale (to within TOLERANCE) at which the layout ends above ``usable_mm``.

    Returns the scale and how many measuring renders it took; raises TooLong.
    """
    fits, overflows = None, None
    scale, measures = largest, 0
    while measures < MAX_MEASURES:
        measurement = measure_at(scale)
        measures += 1
        if measurement.end_mm <= usable_mm:
            fits = scale
        else:
            overflows = scale
            if scale <= smallest:
                raise TooLong(measurement)
        if fits == scale and (
            scale >= largest or measurement.end_mm >= usable_mm * (1 - TOLERANCE)
        ):
            break  # as large as allowed, or fills the page to within the tolerance
        if (
            fits is not None
            and overflows is not None
            and (overflows - fits) / overflows < TOLERANCE
        ):
            break  # the best fit is next to the smallest overflow
        guess = scale * usable_mm / measurement.end_mm
        scale = _next_guess(guess, fits, overflows, smallest, largest)
    if fits is None:  # pragma: no cover - the guesses always reach the smallest scale first
        raise TooLong(measure_at(smallest))
    return fits, measures


def _next_guess(
    proportional: float,
    fits: float | None,
    overflows: float | None,
    smallest: float,
    largest: float,
) -> float:
    """The proportional guess, kept strictly inside what is already known."""
    low = fits if fits is not None else smallest
    high = overflows if overflows is not None else largest
    if fits is None and proportional <= smallest:
        return smallest
    if not low < proportional < high:
        return (low + high) / 2
    return proportional


@dataclass(frozen=True)
class Fitted:
    document: Document
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
        return measure(renderer.render(html_at(scale, ENDLESS_PAGE_MM), origin), cards)

    scale, measures = fit_scale(measure_at, usable_mm, *scales)
    html = html_at(scale, None)
    return Fitted(renderer.render(html, origin), html, scale, measures + 1)
