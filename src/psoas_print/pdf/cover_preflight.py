"""Checking a full-wrap cover PDF as a print-on-demand service's upload would: one page of
back, spine and front with the bleed all round, its spine as wide as the interior's pages
make it on the chosen paper, every font embedded, images at the service's resolution, text
clear of the trimmed edges, of the spine's folds and of the barcode's area, and no marks.

The trim is read off the page's height; the interior's page count, when it is not given,
off the spine's width, and reported.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pikepdf

from psoas_print.layout.geometry import TRIMS
from psoas_print.pdf.preflight import (
    TOLERANCE_PT,
    Box,
    Finding,
    font_findings,
    inches,
    mark_findings,
    read_page,
    resolution_findings,
    where,
)
from psoas_print.pdf.services import MM_PER_INCH, POINTS_PER_INCH, Service

CHECKS = ("cover size", "spine", "fonts embedded", "image resolution", "text clear of edges",
          "barcode area", "printer's marks")  # fmt: skip
EDGE_IN = 0.125  # text at least this far inside the trimmed edges
FOLD_IN = 0.0625  # spine text at least this far from each fold
BARCODE_EDGE_IN = 0.25  # the barcode's area sits this far in from the back's corner
SPINE_TOLERANCE_PT = 0.25  # a cover rounded to the thousandth of an inch passes


@dataclass(frozen=True)
class CoverPanels:
    """Where a cover's trim, spine and back are on its page (points, from the lower left)."""

    trim: str
    bleed: float
    panel_width: float
    trim_height: float
    spine: float

    @property
    def spine_left(self) -> float:
        return self.bleed + self.panel_width

    @property
    def spine_right(self) -> float:
        return self.spine_left + self.spine


def preflight_cover(
    data: bytes, service: Service, stock: str, pages: int | None = None
) -> tuple[list[Finding], int | None]:
    """What ``service`` would reject in the cover ``data`` for an interior on ``stock``
    paper, and the interior's page count (given, or read off the spine)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        if len(pdf.pages) != 1:
            count = len(pdf.pages)
            return [Finding("cover size", None, f"{count} pages; a cover is one page")], pages
        page = pdf.pages[0]
        content = read_page(page)
        findings = font_findings([content]) + resolution_findings([content], service)
        findings += mark_findings([page], [content], service)
        panels, problem = _panels(page, service)
        if panels is None:
            return [Finding("cover size", 1, problem), *findings], pages
        thickness = dict(service.paper_in)[stock] * POINTS_PER_INCH
        implied = round(panels.spine / thickness)
        findings += _spine_width(panels, thickness, pages, service)
        shown = pages if pages is not None else implied
        findings += _clear_text(content.text_boxes, panels, shown, service)
        return findings, shown


def _panels(page: pikepdf.Page, service: Service) -> tuple[CoverPanels | None, str]:
    """The cover's panels, or why its size fits none of the trims."""
    assert service.bleed_in is not None
    x0, y0, x1, y1 = (float(v) for v in page.mediabox)
    width, height, bleed = x1 - x0, y1 - y0, service.bleed_in * POINTS_PER_INCH
    for name, size in TRIMS.items():
        trim_width, trim_height = _points(size.width_mm), _points(size.height_mm)
        if abs(height - trim_height - 2 * bleed) <= TOLERANCE_PT:
            spine = width - 2 * trim_width - 2 * bleed
            if spine < -TOLERANCE_PT:
                return (
                    None,
                    f"{inches(width)} wide: narrower than two {size.label} panels and bleed",
                )
            return CoverPanels(name, bleed, trim_width, trim_height, max(spine, 0.0)), ""
    heights = ", ".join(
        f"{size.label}: {inches(_points(size.height_mm) + 2 * bleed)}" for size in TRIMS.values()
    )
    return (
        None,
        f"{inches(height)} high fits no trim with {service.bleed_in:g} in bleed ({heights})",
    )


def _points(mm: float) -> float:
    return mm / MM_PER_INCH * POINTS_PER_INCH


def _spine_width(
    panels: CoverPanels, thickness: float, pages: int | None, service: Service
) -> list[Finding]:
    if pages is not None:
        wanted = pages * thickness
        if abs(panels.spine - wanted) > SPINE_TOLERANCE_PT:
            message = f"spine {inches(panels.spine)}; {pages} pages make {inches(wanted)}"
            return [Finding("spine", 1, message)]
        return []
    implied = panels.spine / thickness
    low, high = service.pages
    if not low <= round(implied) <= high:
        takes = f"{service.name} takes {low} to {high}"
        message = f"spine {inches(panels.spine)}: {implied:.0f} pages; {takes}"
        return [Finding("spine", 1, message)]
    return []


def _clear_text(
    boxes: list[Box], panels: CoverPanels, pages: int | None, service: Service
) -> list[Finding]:
    """The first run of text with each problem: on the spine of a book too thin for it,
    near a fold, near the trimmed edge, in the barcode's area."""
    first: dict[str, Finding] = {}
    for box in boxes:
        for check, message in _text_problems(box, panels, pages, service):
            first.setdefault(message.split(" at ")[0], Finding(check, 1, message))
    return list(first.values())


def _text_problems(
    box: Box, panels: CoverPanels, pages: int | None, service: Service
) -> list[tuple[str, str]]:
    edge, fold, slack = EDGE_IN * POINTS_PER_INCH, FOLD_IN * POINTS_PER_INCH, TOLERANCE_PT
    x0, y0, x1, y1 = box
    at = spot(box, panels)
    problems = []
    if x1 > panels.spine_left + slack and x0 < panels.spine_right - slack:
        if pages is not None and pages < service.spine_text_pages:
            message = f"spine text at {at}: a {pages}-page book takes none"
            problems.append(("text clear of edges", message))
        elif x0 < panels.spine_left + fold - slack or x1 > panels.spine_right - fold + slack:
            problems.append(("text clear of edges", f"fold: text at {at}, within {FOLD_IN:g} in"))
    right, top = panels.spine_right + panels.panel_width, panels.bleed + panels.trim_height
    if (x0 < panels.bleed + edge - slack or x1 > right - edge + slack
            or y0 < panels.bleed + edge - slack or y1 > top - edge + slack):  # fmt: skip
        problems.append(("text clear of edges", f"trim: text at {at}, within {EDGE_IN:g} in"))
    barcode = _barcode_box(panels, service)
    if x1 > barcode[0] and x0 < barcode[2] and y1 > barcode[1] and y0 < barcode[3]:
        problems.append(("barcode area", f"barcode: text at {at}, in its area"))
    return problems


def _barcode_box(panels: CoverPanels, service: Service) -> Box:
    """The back's lower right corner, kept for the service's barcode."""
    width, height = (value * POINTS_PER_INCH for value in service.barcode_in)
    inset = BARCODE_EDGE_IN * POINTS_PER_INCH
    right, bottom = panels.spine_left - inset, panels.bleed + inset
    return right - width, bottom, right, bottom + height


def spot(box: Box, panels: CoverPanels) -> str:
    """Where a run of text starts, from the back's trimmed lower left corner."""
    return where(box[0], box[1], (panels.bleed, panels.bleed))
