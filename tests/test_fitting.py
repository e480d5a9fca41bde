"""Fitting a layout to one page (layout/fitting.py), on layouts whose height is a known
function of their scale: at most four renders ever, two when the layout grows as the
prediction expects, and always the page filled, or the largest scale, or a clear refusal."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from psoas_print.layout.fitting import (
    MAX_RENDERS,
    PX_PER_MM,
    TOLERANCE,
    TooLong,
    fit_to_one_page,
)

USABLE_MM = 285.0
SCALES = (0.7, 1.3)
CARDS = 3


@dataclass
class Page:
    anchors: dict[str, tuple[float, float, float, float]]
    links: list[tuple[str, object, object, object]] = field(default_factory=list)


@dataclass
class Document:
    pages: list[Page]

    def write_pdf(self, **options: object) -> bytes:
        return b""


@dataclass
class Layout:
    """A layout ``base_mm * scale ** exponent`` tall; counts its renders."""

    base_mm: float
    exponent: float
    renders: int = 0

    def height(self, scale: float) -> float:
        return self.base_mm * scale**self.exponent

    def html_at(self, scale: float, page_height_mm: float | None) -> str:
        return f"{scale}|{page_height_mm}"

    def render(self, html: str, origin: Path) -> Document:
        self.renders += 1
        scale_text, endless = html.split("|")
        end = self.height(float(scale_text))
        cards = {f"after-card-{n}": end * n / (CARDS + 1) for n in range(1, CARDS + 1)}
        marks = {**cards, "sheet-end": end}
        boxes = {name: (0.0, mm * PX_PER_MM, 100.0, mm * PX_PER_MM) for name, mm in marks.items()}
        if endless != "None" or end <= USABLE_MM:
            return Document([Page(boxes)])
        return Document([Page({}), Page(boxes)])  # the real page overflows onto another


def fit(layout: Layout) -> tuple[float, int]:
    fitted = fit_to_one_page(
        layout.html_at,
        layout,
        Path("sheet.html"),
        CARDS,
        USABLE_MM,
        SCALES,  # type: ignore[arg-type]
    )
    assert fitted.renders == layout.renders
    return fitted.scale, fitted.renders


@settings(max_examples=200, deadline=None)
@given(
    base=st.floats(min_value=150, max_value=600),
    exponent=st.floats(min_value=0.8, max_value=2.2),
)
def test_a_fit_takes_at_most_four_renders_and_fits(base, exponent):
    layout = Layout(base, exponent)
    if layout.height(SCALES[0]) > USABLE_MM:
        with pytest.raises(TooLong):
            fit(layout)
        return
    scale, renders = fit(layout)
    assert renders <= MAX_RENDERS
    assert layout.height(scale) <= USABLE_MM  # one page, never more
    if layout.height(SCALES[1]) <= USABLE_MM:
        assert (scale, renders) == (SCALES[1], 2)  # the largest scale, measured then laid out


@pytest.mark.parametrize("base", [250.0, 330.0, 420.0])
def test_a_layout_growing_as_expected_is_fitted_in_two_renders(base):
    """Grown as the prediction's exponent says: one measure, one page that is kept."""
    layout = Layout(base, 1.3)
    scale, renders = fit(layout)
    assert renders == 2
    assert layout.height(scale) >= USABLE_MM * (1 - TOLERANCE)
