"""What the build summary says about a product besides its pages, size and time."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Summary:
    """What the build summary says about a product besides its pages, size and time."""

    renders: int = 0  # layouts laid out to fit it (a cheat sheet, a handout)
    scale: float | None = None  # the scale the cheat sheet was fitted at
    parts: int = 0  # an ebook laid out in this many parts
    relaid: int = 0  # of which only this many spreads were laid out again (kept_layout.py)
    epub: bool = False  # an EPUB, whose "pages" are its documents
    copies: int = 0  # handout copies in the file
    per_sheet: int = 0  # handout copies to a sheet
    copies_per_second: float | None = None  # licensed copies stamped a second
    up_to_date: bool = False  # not made: the output already there is current
    skipped: str | None = None  # not made, and why
