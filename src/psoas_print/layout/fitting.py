"""Fitting a layout to exactly one page by scaling every size in it together.

The layout is laid out once on an endless page; the positions of markers after each card
and at the very end say how tall it is, and predict the scale that fills the page. Each
later render is on the real page and is kept if it fits: two renders in the usual case,
at most four. Layouts that fit this way place ``<div id="after-card-N">``
after card N and ``<div id="sheet-end">`` after everything. Every other element with an
id is measured too, so that a layout too long for its page can say what takes the room
without being laid out again.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from psoas_print.errors import BookError

if TYPE_CHECKING:
    from pathlib import Path

    from psoas_print.layout.typesetter import LaidOutDocument, Renderer

ENDLESS_PAGE_MM = 5000
TOLERANCE = 0.04  # a fit within 4 % of filling the page is good enough
AIM = 0.98  # of the page, where a prediction aims the layout's end: clear of the edge
HEIGHT_EXPONENT = 1.3  # how a layout's height grows with its scale, before it is measured
MAX_RENDERS = 4
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
    """Lay out ``html_at(scale, page_height_mm)`` on one page at the largest scale that
    fills it (to within TOLERANCE), in at most MAX_RENDERS renders, two in the usual case.

    The first render measures the layout at the largest scale on an endless page
    (``html_at`` is given its height); each later one is a candidate: the real page
    (``html_at`` is given None) at the scale the measurements so far predict, which says
    itself whether it fits and how full it is. Raises TooLong when even the smallest of
    ``scales`` overflows.
    """
    smallest, largest = scales
    first = measure_once(html_at, renderer, origin, cards, largest)
    known = [(largest, first.end_mm)]  # (scale, where the layout ends), as measured
    best: Fitted | None = None
    scale: float | None = largest if first.end_mm <= usable_mm else _predict(known, usable_mm)
    renders = 1
    while scale is not None and renders < MAX_RENDERS:
        scale = min(largest, max(smallest, scale))
        html = html_at(scale, None)
        document = renderer.render(html, origin)
        renders += 1
        fits, end_mm = measure_candidate(document, cards, origin, usable_mm)
        if fits and (best is None or scale > best.scale):
            best = Fitted(document, html, scale, renders)
        if fits and (scale >= largest or end_mm >= usable_mm * (1 - TOLERANCE)):
            break  # as large as allowed, or full enough
        known.append((scale, end_mm))
        scale = _next_scale(known, best, usable_mm, smallest, renders)
    if best is None:
        raise TooLong(measure_once(html_at, renderer, origin, cards, smallest))
    return Fitted(best.document, best.html, best.scale, renders)


def _next_scale(
    known: list[tuple[float, float]],
    best: Fitted | None,
    usable_mm: float,
    smallest: float,
    renders: int,
) -> float | None:
    """The scale of the next candidate; None when none would do better than ``best``."""
    if renders == MAX_RENDERS - 1 and best is None:
        return smallest  # the last render: the one scale sure to fit, unless none does
    guess = _predict(known, usable_mm)
    fitting = [scale for scale, end in known if end <= usable_mm]
    overflowing = [scale for scale, end in known if end > usable_mm]
    low = max(fitting, default=smallest)
    high = min(overflowing, default=float("inf"))
    if not low <= guess < high:  # the prediction left what is known: halve the gap
        guess = (low + high) / 2 if high != float("inf") else low
    if best is not None and guess <= best.scale:
        return None
    return guess


def _predict(known: list[tuple[float, float]], usable_mm: float) -> float:
    """The scale expected to end the layout at AIM of the page.

    A layout grows faster than its scale (lines break into more lines as the type grows,
    while the page's width stays), close to a power of it: HEIGHT_EXPONENT alone from one
    measurement, else the power through the two measurements nearest the aim.
    """
    target = usable_mm * AIM
    nearest = sorted(known, key=lambda point: abs(point[1] - target))[:2]
    exponent = HEIGHT_EXPONENT
    if len(nearest) == 2 and nearest[0][0] != nearest[1][0] and nearest[0][1] != nearest[1][1]:
        (s1, e1), (s2, e2) = nearest
        fitted = math.log(e1 / e2) / math.log(s1 / s2)
        if 0.5 < fitted < 3:
            exponent = fitted
    scale, end = nearest[0]
    return float(scale * (target / end) ** (1 / exponent))


def measure_candidate(
    document: LaidOutDocument, cards: int, origin: Path, usable_mm: float
) -> tuple[bool, float]:
    """Whether a render on the real page fits it, and where its layout ends, in mm from the
    page's top, as a measuring render would put it (over-estimated when it runs on).

    A layout may pin a footer to the foot of the real page (``id="sheet-foot"``): then the
    layout ends where its last card ends, plus the footer.
    """
    if len(document.pages) > 1:
        pages = len(document.pages)
        return False, usable_mm * pages  # ran onto another page: about this long, or less
    measured = measure(document, cards, origin)
    foot = measured.height("sheet-foot")
    end_mm = measured.card_ends_mm[-1] + foot if foot else measured.end_mm
    return end_mm <= usable_mm, end_mm
