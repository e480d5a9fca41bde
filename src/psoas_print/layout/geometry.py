"""Page sizes and the geometry of the ebook's pages: its text column, type size and how
large pictures print. The ebook's layout sizes its pages by it; the runner hands its
picture widths to the reading stage, which judges each picture's sharpness by them (see
book/loading.py, ``Checks``)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from psoas_print.book.model import ImageKind


@dataclass(frozen=True)
class PaperSize:
    name: str
    label: str
    width_mm: float
    height_mm: float


class Trim(StrEnum):
    """The trim sizes a print-on-demand service takes for the print-ready ebook."""

    SIX_BY_NINE = "6x9in"
    DIGEST = "5.5x8.5in"
    A5 = "a5"
    A4 = "a4"
    LETTER = "letter"


class PdfVariant(StrEnum):
    """The PDF standards a product may be written to."""

    UA1 = "pdf/ua-1"  # accessible
    A3B = "pdf/a-3b"  # archival


PAPERS: dict[str, PaperSize] = {
    "a4": PaperSize("a4", "A4", 210, 297),
    "letter": PaperSize("letter", "US Letter", 215.9, 279.4),
}
# Trim sizes a print-on-demand service takes for the print-ready ebook.
TRIMS: dict[str, PaperSize] = {
    **PAPERS,
    "a5": PaperSize("a5", "A5", 148, 210),
    "6x9in": PaperSize("6x9in", "6 x 9 in", 152.4, 228.6),
    "5.5x8.5in": PaperSize("5.5x8.5in", "5.5 x 8.5 in", 139.7, 215.9),
}


# The ebook prints figures across its text column, no taller than FIGURE_MAX_HEIGHT_MM.
TEXT_MEASURE_MM = 124
FIGURE_MAX_HEIGHT_MM = 118


EXERCISE_FACTS_MM = 100  # an exercise's left-hand page but its figure: heading and dose box
SHORT_PAGE_MM = 220  # pages shorter than this set their exercises a little tighter
IMAGE_SHARE = 0.5  # a picture in a chapter's text is at most this share of the text's height
FIGURE_MIN_SHARE = 0.17  # an exercise's figure keeps this share however long its name
INSIDE_SHARE = 0.42  # of the width the column leaves, the inside margin's: the rest is outside
HEAD_PT, HEAD_TRACKING_EM = 8.5, 0.04  # running heads: type size and letter spacing

# A picture prints across the text column, no taller than its kind allows: an exercise's
# own figure (or photo) on its left-hand page, or an image in the text of a chapter or
# of an exercise's instructions.


def page_geometry(
    paper: PaperSize, wider_gutter_mm: float = 0.0, least_outside_mm: float = 0.0
) -> dict[str, float]:
    """Text column, margins, type size and picture heights that suit the page size.

    The figure's height is a cap: an exercise's left-hand page gives its figure what the
    name, purpose and dose box leave (down to ``figure_min_height_mm``), so the dose box
    always stays on that page. A thick printed book needs a wider inside margin, where the
    pages curve into the binding: ``wider_gutter_mm`` moves the column that far outward,
    as long as the outside margin keeps ``least_outside_mm``; beyond that the column
    narrows.
    """
    measure = min(TEXT_MEASURE_MM, paper.width_mm * 0.72)
    spare = paper.width_mm - measure
    inside, outside = spare * INSIDE_SHARE + wider_gutter_mm, spare * (1 - INSIDE_SHARE)
    outside -= wider_gutter_mm
    if outside < least_outside_mm:
        measure -= least_outside_mm - outside
        outside = least_outside_mm
    top, bottom = (22, 26) if paper.height_mm >= 270 else (17, 20)  # trade paperbacks: less
    text_height = paper.height_mm - top - bottom
    # A narrower column wraps the heading and the dose box onto more lines.
    facts = EXERCISE_FACTS_MM * TEXT_MEASURE_MM / measure
    room = text_height - facts
    # A5 and 5.5 x 8.5 in: a little less space between the parts of an exercise's right-hand
    # page, so that its instructions stay on that one page.
    short = paper.height_mm < SHORT_PAGE_MM
    body_pt = 11.5 if measure >= 120 else 10.5 if measure >= 105 and not short else 10
    return {
        "measure_mm": round(measure, 1),
        "margin_inside_mm": round(inside, 1),
        "margin_outside_mm": round(outside, 1),
        "margin_top_mm": top,
        "margin_bottom_mm": bottom,
        "text_height_mm": round(text_height, 1),
        "body_pt": body_pt,
        "head_pt": HEAD_PT,
        "head_tracking_em": HEAD_TRACKING_EM,
        "short_page": short,
        "figure_max_height_mm": round(min(FIGURE_MAX_HEIGHT_MM, room), 1),
        "figure_min_height_mm": round(text_height * FIGURE_MIN_SHARE, 1),
        "image_max_height_mm": round(min(FIGURE_MAX_HEIGHT_MM, text_height * IMAGE_SHARE), 1),
    }


def printed_width_mm(aspect: float, geometry: dict[str, float], kind: ImageKind) -> float:
    """How wide a picture of this width-to-height ratio prints: across the text column,
    unless that would make it taller than its kind may be."""
    cap = geometry["figure_max_height_mm" if kind == "figure" else "image_max_height_mm"]
    return min(geometry["measure_mm"], cap * aspect)


def default_printed_width_mm(aspect: float, kind: ImageKind) -> float:
    """How wide a picture prints in the ebook: the wider of its sizes on A4 and US Letter;
    the cover's art fills the whole page."""
    if kind == "cover":
        return max(paper.width_mm for paper in PAPERS.values())
    return max(printed_width_mm(aspect, page_geometry(p), kind) for p in PAPERS.values())
