"""Crop marks in a slug around the bleed, for a printer that asks for them.

CSS draws its marks inside the bleed, where they would print over a picture or a colour
that runs off the page. Here each page grows a slug beyond its BleedBox, and the marks are
drawn in it, in line with the trimmed edges: the page itself, bleed included, is untouched.
"""

from __future__ import annotations

import io

import pikepdf

from psoas_print.pdf.overlays import draw_over

POINTS_PER_MM = 72 / 25.4
SLUG_MM = 8.0  # how far the sheet reaches beyond the bleed
GAP_MM, MARK_MM = 1.0, 6.0  # each mark starts this far from the bleed, and is this long
MARK_WIDTH_PT = 0.25


def with_crop_marks(data: bytes) -> bytes:
    """Every page of ``data`` on a sheet a slug larger than its bleed, with crop marks."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            _add_marks(pdf, page)
        buffer = io.BytesIO()
        pdf.save(buffer, deterministic_id=True)
        return buffer.getvalue()


def _add_marks(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
    bleed = [float(v) for v in page.obj.get("/BleedBox", page.mediabox)]
    trim = [float(v) for v in page.obj.get("/TrimBox", page.mediabox)]
    slug = SLUG_MM * POINTS_PER_MM
    sheet = pikepdf.Array([bleed[0] - slug, bleed[1] - slug, bleed[2] + slug, bleed[3] + slug])
    page.obj.MediaBox = sheet
    if "/CropBox" in page.obj:
        page.obj.CropBox = sheet
    page.obj.BleedBox = pikepdf.Array(bleed)
    draw_over(pdf, page, _marks(bleed, trim))


def _marks(bleed: list[float], trim: list[float]) -> bytes:
    """Two short lines at each corner, in line with the trim's edges, outside the bleed."""
    gap, length = GAP_MM * POINTS_PER_MM, MARK_MM * POINTS_PER_MM
    left, bottom, right, top = bleed
    lines = []
    for x in (trim[0], trim[2]):
        lines += [
            (x, bottom - gap, x, bottom - gap - length),
            (x, top + gap, x, top + gap + length),
        ]
    for y in (trim[1], trim[3]):
        lines += [
            (left - gap, y, left - gap - length, y),
            (right + gap, y, right + gap + length, y),
        ]
    drawn = "".join(f"{x0:.3f} {y0:.3f} m {x1:.3f} {y1:.3f} l S\n" for x0, y0, x1, y1 in lines)
    # Printer's marks are no part of the book: an artifact, to a screen reader.
    return f"/Artifact <</Type /Layout>> BDC q {MARK_WIDTH_PT} w 0 G\n{drawn}Q EMC\n".encode()
