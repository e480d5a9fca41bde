"""One module per printed product: what it selects from the book and which layout it fills."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from psoas_print import __version__
from psoas_print.model import Book, Paper

if TYPE_CHECKING:
    from weasyprint import Document


@dataclass(frozen=True)
class PaperSize:
    name: str
    label: str
    width_mm: float
    height_mm: float


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


def printed_figure_width_mm(aspect: float) -> float:
    """How wide the ebook prints a figure of this width-to-height ratio."""
    return min(TEXT_MEASURE_MM, FIGURE_MAX_HEIGHT_MM * aspect)


@dataclass
class Rendered:
    """A laid-out product, ready to be written; ``notes`` feed the build summary."""

    document: Document
    html: str
    notes: dict[str, Any] = field(default_factory=dict)


def common_context(book: Book, paper: Paper | str) -> dict[str, Any]:
    """What every layout may use."""
    return {
        "book": book,
        "info": book.info,
        "paper": TRIMS[paper],
        "version": __version__,
        "book_url": book.root.resolve().as_uri() + "/",
        "created": build_date(),
    }


def build_date() -> str | None:
    """The ISO date to stamp into a PDF, taken from SOURCE_DATE_EPOCH when set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None or not epoch.strip().isdigit():
        return None
    return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def layout_path(name: str) -> Path:
    """How a layout is named in error messages."""
    return Path("layouts") / name
