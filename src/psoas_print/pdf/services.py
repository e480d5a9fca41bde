"""What print-on-demand services ask of an interior PDF, as their published file guides
state it (the README's "Printing with KDP / IngramSpark" cites them).

KDP: bleed of 0.125 in on the top, bottom and outside edge only; text at least 0.375 in
from the trimmed top, bottom and outside edge when the book bleeds (0.25 in when it does
not); an inside margin that grows with the page count; 24 to 828 pages; no printer's marks;
every font embedded; images at 300 ppi. IngramSpark: bleed of 0.125 in (its guides differ on
the inside edge, so it is accepted with or without); text at least 0.5 in from every edge;
no printer's marks; every font embedded; images at 300 ppi.
"""

from __future__ import annotations

from dataclasses import dataclass

POINTS_PER_INCH = 72.0
MM_PER_INCH = 25.4


@dataclass(frozen=True)
class Service:
    """One service's rules for an interior file."""

    name: str
    bleed_in: float | None  # on top, bottom and outside; None: any bleed is accepted
    inside_bleed: bool | None  # whether the inside edge bleeds too; None: either way
    margin_in: float  # text from the trimmed top, bottom and outside edge, with bleed
    margin_no_bleed_in: float  # the same, for a book that does not bleed
    pages: tuple[int, int]  # the fewest and the most pages
    gutters: tuple[tuple[int, float], ...]  # (up to this many pages, inside margin in inches)
    marks: bool  # whether printer's marks may be in the file
    min_ppi: int = 300
    # The cover: each paper's thickness per page (inches), and the fewest pages that take
    # text on the spine; a service absent here makes its cover template itself.
    paper_in: tuple[tuple[str, float], ...] = ()
    spine_text_pages: int = 80
    barcode_in: tuple[float, float] = (2.0, 1.2)  # kept clear at the back's lower right

    @property
    def bleed_mm(self) -> float:
        """The bleed its presets lay out with (a service that takes any has none of its own)."""
        assert self.bleed_in is not None
        return self.bleed_in * MM_PER_INCH

    def printed_pages(self, laid_out: int) -> int:
        """How many pages it prints of an interior of ``laid_out`` pages: at least its
        fewest, in whole sheets (blank pages are added at the end)."""
        pages = max(laid_out, self.pages[0])
        return pages + pages % 2

    def gutter_in(self, pages: int) -> float:
        """The inside margin a book of ``pages`` pages needs."""
        for most, inches in self.gutters:
            if pages <= most:
                return inches
        return self.gutters[-1][1]


SERVICES = {
    "kdp": Service(
        name="Amazon KDP",
        bleed_in=0.125,
        inside_bleed=False,
        margin_in=0.375,
        margin_no_bleed_in=0.25,
        pages=(24, 828),
        gutters=((150, 0.375), (300, 0.5), (500, 0.625), (700, 0.75), (828, 0.875)),
        marks=False,
        paper_in=(("white", 0.002252), ("cream", 0.0025), ("color", 0.002347)),
    ),
    "ingramspark": Service(
        name="IngramSpark",
        bleed_in=0.125,
        inside_bleed=None,
        margin_in=0.5,
        margin_no_bleed_in=0.5,
        pages=(18, 1200),
        gutters=((1200, 0.5),),
        marks=False,
    ),
    "generic": Service(
        name="generic print",
        bleed_in=None,
        inside_bleed=None,
        margin_in=0.25,
        margin_no_bleed_in=0.25,
        pages=(1, 100_000),
        gutters=((100_000, 0.25),),
        marks=True,
    ),
}
