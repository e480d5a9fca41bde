"""Checking any PDF as a print-on-demand service's upload would: the page boxes against
the trim and bleed, the page count, every font embedded, each image's resolution at its
placed size, no text inside the minimum margins, no printer's marks, and, for a black-ink
interior, no colour.

Each page's content is read once (pikepdf's content-stream parser), following the
transformation matrix through saved states and into form XObjects, so that positions and
sizes are those on the page. Line widths and grey levels are not re-derived here: the
figures are drawn to them (figures/drawing.py).
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pikepdf

from psoas_print.errors import BookError
from psoas_print.pdf.overlays import read_finished_pdf
from psoas_print.pdf.services import POINTS_PER_INCH, Service

Ink = Literal["black", "color"]
Matrix = tuple[float, float, float, float, float, float]
Box = tuple[float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
TOLERANCE_PT = 0.5  # how far a box may be off, in points
DESCENDER_EM, CAPITAL_EM = -0.22, 0.72  # how far below and above its baseline text reaches
GREY_SPREAD = 0.02  # how far apart red, green and blue may be in a grey
CHECKS = ("page boxes", "page count", "fonts embedded", "image resolution", "margins",
          "printer's marks", "ink")  # fmt: skip


@dataclass(frozen=True)
class Finding:
    """One thing the upload would reject, on a page (counted from 1) or in the file."""

    check: str
    page: int | None
    message: str


@dataclass
class PageContent:
    """What one page draws, as the checks need it."""

    texts: list[tuple[float, float, float]] = field(default_factory=list)  # x, y, width
    # Each run's outline from its descenders to its capitals, whatever its direction.
    text_boxes: list[Box] = field(default_factory=list)
    images: list[tuple[str, float]] = field(default_factory=list)  # name, ppi
    strokes: list[list[tuple[float, float]]] = field(default_factory=list)  # each path's points
    colours: list[str] = field(default_factory=list)  # operators that set a colour
    colour_images: list[str] = field(default_factory=list)
    fonts: dict[str, bool] = field(default_factory=dict)  # font name: embedded


def read_pdf_safely(path: Path) -> bytes:
    """The bytes of a PDF to check: a regular file within the size limit, that opens."""
    data = read_finished_pdf(path)
    try:
        with pikepdf.open(io.BytesIO(data)):
            pass
    except pikepdf.PdfError as error:
        raise BookError.at(path, None, f"not a PDF that can be read: {error}") from None
    return data


def is_cover(data: bytes) -> bool:
    """Whether a PDF is a full-wrap cover: one page, wider than high."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        if len(pdf.pages) != 1:
            return False
        x0, y0, x1, y1 = (float(v) for v in pdf.pages[0].mediabox)
        return abs(x1 - x0) > abs(y1 - y0)


def preflight(data: bytes, service: Service, ink: Ink) -> list[Finding]:
    """Everything in the PDF ``data`` that ``service`` would reject (empty: it passes)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = list(pdf.pages)
        contents = [read_page(page) for page in pages]
        findings = _boxes(pages, service)
        findings += _page_count(len(pages), service)
        findings += font_findings(contents)
        findings += resolution_findings(contents, service)
        findings += _margins(pages, contents, service)
        findings += mark_findings(pages, contents, service)
        if ink == "black":
            findings += _ink(contents)
    return findings


# --- the page boxes ----------------------------------------------------------------------


def _box(page: pikepdf.Page, name: str) -> Box:
    value = page.obj.get(name) or page.mediabox
    x0, y0, x1, y1 = (float(v) for v in value)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def trim_of(page: pikepdf.Page) -> Box:
    return _box(page, "/TrimBox")


def _boxes(pages: list[pikepdf.Page], service: Service) -> list[Finding]:
    findings = []
    sizes = {_size(trim_of(page)) for page in pages}
    if len(sizes) > 1:
        findings.append(Finding("page boxes", None, f"pages of {len(sizes)} trim sizes"))
    bleeding = any(_edges(page, index) != (0, 0, 0, 0) for index, page in enumerate(pages))
    for index, page in enumerate(pages):
        if "/TrimBox" not in page.obj and service.bleed_in is None:
            findings.append(Finding("page boxes", index + 1, "no TrimBox: the trim is unknown"))
        if bleeding and service.bleed_in is not None:
            findings += _bleed(page, index, service)
    return findings


def _size(box: Box) -> tuple[float, float]:
    return round(box[2] - box[0], 1), round(box[3] - box[1], 1)


def _edges(page: pikepdf.Page, index: int) -> tuple[float, float, float, float]:
    """How far the page reaches past its trim: outside, inside, top, bottom (points)."""
    media, trim = _box(page, "/MediaBox"), trim_of(page)
    left, right = trim[0] - media[0], media[2] - trim[2]
    top, bottom = media[3] - trim[3], trim[1] - media[1]
    right_hand = index % 2 == 0  # page 1 is a right-hand page
    outside, inside = (right, left) if right_hand else (left, right)
    return round(outside, 2), round(inside, 2), round(top, 2), round(bottom, 2)


def _bleed(page: pikepdf.Page, index: int, service: Service) -> list[Finding]:
    assert service.bleed_in is not None
    wanted = service.bleed_in * POINTS_PER_INCH
    outside, inside, top, bottom = _edges(page, index)
    problems = []
    for edge, value in (("outside", outside), ("top", top), ("bottom", bottom)):
        if abs(value - wanted) > TOLERANCE_PT:
            problems.append(f"{edge} bleed {inches(value)} (wants {service.bleed_in:g} in)")
    inside_ok = {False: [0.0], True: [wanted], None: [0.0, wanted]}[service.inside_bleed]
    if all(abs(inside - value) > TOLERANCE_PT for value in inside_ok):
        wants = " or ".join(inches(value) for value in inside_ok)
        problems.append(f"inside bleed {inches(inside)} (wants {wants})")
    return [Finding("page boxes", index + 1, "; ".join(problems))] if problems else []


def inches(points: float) -> str:
    """A length in points, as a finding states it."""
    return f"{points / POINTS_PER_INCH:.3f} in"


def _page_count(count: int, service: Service) -> list[Finding]:
    low, high = service.pages
    if low <= count <= high:
        return []
    return [Finding("page count", None, f"{count} pages; {service.name} takes {low} to {high}")]


# --- what the pages draw -------------------------------------------------------------------


def font_findings(contents: list[PageContent]) -> list[Finding]:
    missing: dict[str, int] = {}
    for number, content in enumerate(contents, 1):
        for name, embedded in content.fonts.items():
            if not embedded:
                missing.setdefault(name, number)
    return [
        Finding("fonts embedded", page, f"{name} is not embedded") for name, page in missing.items()
    ]


def resolution_findings(contents: list[PageContent], service: Service) -> list[Finding]:
    return [
        Finding("image resolution", number, f"{name} at {ppi:.0f} ppi (wants {service.min_ppi})")
        for number, content in enumerate(contents, 1)
        for name, ppi in content.images
        if ppi < service.min_ppi - 1
    ]


def _margins(
    pages: list[pikepdf.Page], contents: list[PageContent], service: Service
) -> list[Finding]:
    findings = []
    gutter = service.gutter_in(len(pages)) * POINTS_PER_INCH
    for index, (page, content) in enumerate(zip(pages, contents, strict=True)):
        bleeds = _edges(page, index) != (0, 0, 0, 0)
        margin = (service.margin_in if bleeds else service.margin_no_bleed_in) * POINTS_PER_INCH
        x0, y0, x1, y1 = trim_of(page)
        inside_left = index % 2 == 0  # a right-hand page's inside edge is its left
        left, right = (gutter, margin) if inside_left else (margin, gutter)
        safe = (x0 + left, y0 + margin, x1 - right, y1 - margin)
        outside = [(x, y) for x, y, width in content.texts if not _within(safe, x, y, width)]
        if outside:
            x, y = outside[0]
            spot = where(x, y, (x0, y0))
            least = margin / POINTS_PER_INCH
            findings.append(
                Finding("margins", index + 1, f"text at {spot}, in the {least:g} in margin")
            )
    return findings


def _within(safe: Box, x: float, y: float, width: float) -> bool:
    """Whether a run of text starting at (x, y) keeps inside the safe area."""
    left, bottom, right, top = (
        safe[0] - TOLERANCE_PT, safe[1] - TOLERANCE_PT, safe[2] + TOLERANCE_PT,
        safe[3] + TOLERANCE_PT,
    )  # fmt: skip
    return left <= x and x + width <= right and bottom <= y <= top


def where(x: float, y: float, origin: tuple[float, float]) -> str:
    """A spot in inches from ``origin`` (a trimmed corner), as a finding states it."""
    return f"{(x - origin[0]) / POINTS_PER_INCH:.2f} x {(y - origin[1]) / POINTS_PER_INCH:.2f} in"


def mark_findings(
    pages: list[pikepdf.Page], contents: list[PageContent], service: Service
) -> list[Finding]:
    if service.marks:
        return []
    findings = []
    for index, (page, content) in enumerate(zip(pages, contents, strict=True)):
        x0, y0, x1, y1 = trim_of(page)
        outside = [
            path
            for path in content.strokes
            if path and all(not (x0 - 1 <= x <= x1 + 1 and y0 - 1 <= y <= y1 + 1) for x, y in path)
        ]
        annotations = [
            str(annotation.get("/Subtype"))
            for annotation in page.obj.get("/Annots", [])
            if str(annotation.get("/Subtype")) in ("/PrinterMark", "/TrapNet")
        ]
        if outside or annotations:
            what = f"{len(outside)} lines outside the trim" if outside else "printer's marks"
            findings.append(Finding("printer's marks", index + 1, f"{what} (crop marks?)"))
    return findings


def _ink(contents: list[PageContent]) -> list[Finding]:
    findings = []
    for number, content in enumerate(contents, 1):
        if content.colours:
            findings.append(Finding("ink", number, f"colour ({content.colours[0]}) in black ink"))
        for name in content.colour_images:
            findings.append(Finding("ink", number, f"{name} is a colour image in black ink"))
    return findings


# --- reading a page's content ----------------------------------------------------------------


def read_page(page: pikepdf.Page) -> PageContent:
    content = PageContent()
    _Reader(content).read(page, page.obj.get("/Resources"), IDENTITY, depth=0)
    return content


def _times(first: Matrix, second: Matrix) -> Matrix:
    """``first`` then ``second``, as PDF concatenates matrices."""
    a, b, c, d, e, f = first
    g, h, i, j, k, m = second
    return (a * g + b * i, a * h + b * j, c * g + d * i, c * h + d * j,
            e * g + f * i + k, e * h + f * j + m)  # fmt: skip


def _apply(matrix: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f


class _Reader:
    """Follows one page's content stream: the graphics state, text and paths."""

    MAX_DEPTH = 8  # forms nested deeper than this are not followed

    def __init__(self, content: PageContent) -> None:
        self.content = content

    def read(
        self,
        holder: pikepdf.Page | pikepdf.Object,
        resources: pikepdf.Object | None,
        ctm: Matrix,
        depth: int,
    ) -> None:
        stack: list[Matrix] = []
        text = IDENTITY
        line = IDENTITY
        size, leading, font_name = 12.0, 0.0, ""
        path: list[tuple[float, float]] = []
        for instruction in pikepdf.parse_content_stream(holder):
            if isinstance(instruction, pikepdf.ContentStreamInlineImage):
                continue
            operands, op = list(instruction.operands), str(instruction.operator)
            values = [float(v) if _number(v) else 0.0 for v in operands]
            if op == "q":
                stack.append(ctm)
            elif op == "Q" and stack:
                ctm = stack.pop()
            elif op == "cm":
                ctm = _times(tuple(values[:6]), ctm)  # type: ignore[arg-type]
            elif op == "BT":
                text = line = IDENTITY
            elif op == "Tf":
                font_name, size = str(operands[0]), float(operands[1])
            elif op == "TL":
                leading = values[0]
            elif op in ("Td", "TD"):
                line = _times((1, 0, 0, 1, values[0], values[1]), line)
                text = line
                leading = -values[1] if op == "TD" else leading
            elif op == "Tm":
                text = line = tuple(values[:6])  # type: ignore[assignment]
            elif op == "T*":
                line = _times((1, 0, 0, 1, 0, -leading), line)
                text = line
            elif op in ("Tj", "TJ", "'", '"'):
                self._font(resources, font_name)  # a font counts where it shows text
                self._text(operands, size, text, ctm, resources, font_name)
            elif op in ("m", "l"):
                path.append(_apply(ctm, values[0], values[1]))
            elif op == "c":
                path.append(_apply(ctm, values[4], values[5]))
            elif op in ("v", "y"):
                path.append(_apply(ctm, values[2], values[3]))
            elif op == "re":
                x, y, w, h = values[:4]
                path += [_apply(ctm, x, y), _apply(ctm, x + w, y + h)]
            elif op in ("S", "s"):
                self.content.strokes.append(path)
                path = []
            elif op in ("f", "F", "f*", "B", "B*", "b", "b*", "n"):
                path = []
            elif op in ("rg", "RG") and _coloured(values[:3]):
                self.content.colours.append(f"{op} {' '.join(f'{v:g}' for v in values[:3])}")
            elif op in ("k", "K") and any(v > 0.001 for v in values[:3]):
                self.content.colours.append(f"{op} {' '.join(f'{v:g}' for v in values[:4])}")
            elif op == "Do" and resources is not None:
                self._xobject(resources, str(operands[0]), ctm, depth)

    def _font(self, resources: pikepdf.Object | None, name: str) -> None:
        fonts = resources.get("/Font") if resources is not None else None
        font = fonts.get(name) if fonts is not None else None
        if font is None:
            return
        base = str(font.get("/BaseFont", name))
        if str(font.get("/Subtype")) == "/Type3":
            self.content.fonts[base] = True
            return
        described = font
        if str(font.get("/Subtype")) == "/Type0":
            described = font["/DescendantFonts"][0]
        descriptor = described.get("/FontDescriptor")
        embedded = descriptor is not None and any(
            key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
        )
        self.content.fonts[base] = embedded

    def _text(
        self,
        operands: list[pikepdf.Object],
        size: float,
        text: Matrix,
        ctm: Matrix,
        resources: pikepdf.Object | None,
        font_name: str,
    ) -> None:
        fonts = resources.get("/Font") if resources is not None else None
        font = fonts.get(font_name) if fonts is not None else None
        shown: object = operands[-1] if operands else None
        parts = list(shown) if isinstance(shown, pikepdf.Array) else [shown]
        advance = 0.0  # in text space units, before the text matrix
        for part in parts:
            if isinstance(part, pikepdf.String):
                advance += _advance(font, bytes(part)) * size
            elif isinstance(part, int | float | pikepdf.Object) and _number(part):
                advance -= float(part) / 1000 * size  # TJ's adjustments move the pen back
        matrix = _times(text, ctm)
        x, y = _apply(matrix, 0, 0)
        self.content.texts.append((x, y, advance * math.hypot(matrix[0], matrix[1])))
        corners = [
            _apply(matrix, along, across)
            for along in (0.0, advance)
            for across in (DESCENDER_EM * size, CAPITAL_EM * size)
        ]
        xs, ys = [x for x, _ in corners], [y for _, y in corners]
        self.content.text_boxes.append((min(xs), min(ys), max(xs), max(ys)))

    def _xobject(self, resources: pikepdf.Object, name: str, ctm: Matrix, depth: int) -> None:
        objects = resources.get("/XObject")
        xobject = objects.get(name) if objects is not None else None
        if xobject is None:
            return
        subtype = str(xobject.get("/Subtype"))
        if subtype == "/Image":
            self._image(xobject, name, ctm)
        elif subtype == "/Form" and depth < self.MAX_DEPTH:
            matrix = tuple(float(v) for v in xobject.get("/Matrix", IDENTITY))
            inner = xobject.get("/Resources", resources)
            self.read(xobject, inner, _times(matrix, ctm), depth + 1)  # type: ignore[arg-type]

    def _image(self, image: pikepdf.Object, name: str, ctm: Matrix) -> None:
        width_pt, height_pt = math.hypot(ctm[0], ctm[1]), math.hypot(ctm[2], ctm[3])
        pixels_x, pixels_y = int(image.get("/Width", 0)), int(image.get("/Height", 0))
        if width_pt < 1 or height_pt < 1 or str(image.get("/ImageMask")) == "True":
            return
        ppi = min(pixels_x / (width_pt / 72), pixels_y / (height_pt / 72))
        self.content.images.append((name.lstrip("/"), ppi))
        if _colour_image(image):
            self.content.colour_images.append(name.lstrip("/"))


def _advance(font: pikepdf.Object | None, data: bytes) -> float:
    """How far ``data`` moves the pen in a font of size 1, from the font's own widths."""
    if font is None:
        return 0.5 * len(data)
    if str(font.get("/Subtype")) == "/Type0":
        widths = _cid_widths(font["/DescendantFonts"][0])
        default = float(font["/DescendantFonts"][0].get("/DW", 1000))
        codes = [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data) - 1, 2)]
        return sum(widths.get(code, default) for code in codes) / 1000
    first = int(font.get("/FirstChar", 0))
    table = [float(w) for w in font.get("/Widths", [])]
    return sum(table[c - first] if 0 <= c - first < len(table) else 500.0 for c in data) / 1000


def _cid_widths(font: pikepdf.Object) -> dict[int, float]:
    """A CID font's /W array as widths by glyph id."""
    widths: dict[int, float] = {}
    entries = list(font.get("/W", []))
    index = 0
    while index < len(entries):
        start = int(entries[index])
        following = entries[index + 1] if index + 1 < len(entries) else None
        if isinstance(following, pikepdf.Array):
            for offset, width in enumerate(following):
                widths[start + offset] = float(width)
            index += 2
        elif index + 2 < len(entries):
            for code in range(start, int(entries[index + 1]) + 1):
                widths[code] = float(entries[index + 2])
            index += 3
        else:
            break
    return widths


def _number(value: object) -> bool:
    try:
        float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return True


def _coloured(rgb: list[float]) -> bool:
    return len(rgb) == 3 and max(rgb) - min(rgb) > GREY_SPREAD


def _colour_image(image: pikepdf.Object) -> bool:
    """Whether an image holds colour: an RGB or CMYK one whose pixels are not all grey."""
    space = image.get("/ColorSpace")
    if space is None or str(space) == "/DeviceGray":
        return False
    if not isinstance(image, pikepdf.Stream):
        return False
    try:
        picture = pikepdf.PdfImage(image).as_pil_image().convert("RGB")
    except Exception:  # an image pikepdf cannot decode is judged by its colour space
        return str(space) != "/DeviceGray"
    picture.thumbnail((64, 64))
    data = picture.tobytes()
    return any(max(data[i : i + 3]) - min(data[i : i + 3]) > 8 for i in range(0, len(data), 3))
