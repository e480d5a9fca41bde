"""A laid-out interior made ready for a print-on-demand service: no bleed on the inside
edge where the service wants none, photos in greys for a black-ink interior, and blank pages
at the end of a book shorter than the service's fewest pages.

WeasyPrint lays out one bleed on all four sides; the inside edge is cut off here by setting
each page's boxes: a right-hand page loses its left bleed, a left-hand page its right.
"""

from __future__ import annotations

import io
import zlib

import pikepdf
from PIL import Image

from psoas_print.pdf.services import Service


def for_service(data: bytes, service: Service, ink: str) -> tuple[bytes, int]:
    """The interior as ``service`` takes it, and how many blank pages were added."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        added = _pad(pdf, service.printed_pages(len(pdf.pages)))  # first: whole boxes
        if service.inside_bleed is not True:  # none there, or the service takes either
            _cut_inside_bleed(pdf)
        if ink == "black":
            _grey_images(pdf)
            _grey_colours(pdf)
        buffer = io.BytesIO()
        pdf.save(buffer, deterministic_id=True)
        return buffer.getvalue(), added


def _cut_inside_bleed(pdf: pikepdf.Pdf) -> None:
    for index, page in enumerate(pdf.pages):
        trim = [float(v) for v in page.obj.get("/TrimBox", page.mediabox)]
        media = [float(v) for v in page.mediabox]
        if index % 2 == 0:  # a right-hand page: its inside edge is the left
            media[0] = trim[0]
        else:
            media[2] = trim[2]
        box = pikepdf.Array(media)
        page.obj["/MediaBox"] = box
        page.obj["/BleedBox"] = box
        if "/CropBox" in page.obj:
            page.obj["/CropBox"] = box


def _grey_images(pdf: pikepdf.Pdf) -> None:
    """Every colour picture replaced by its greys (a picture drawn twice is done once)."""
    done: set[tuple[int, int]] = set()
    for page in pdf.pages:
        for image in _images(page.obj.get("/Resources")):
            if image.objgen in done:
                continue
            done.add(image.objgen)
            space = str(image.get("/ColorSpace", "/DeviceGray"))
            if space == "/DeviceGray":
                continue
            try:
                picture = pikepdf.PdfImage(image).as_pil_image().convert("L")
            except Exception:  # a picture pikepdf cannot decode is left for preflight to name
                continue
            _replace(image, picture)


DARK = 0.45  # a colour darker than this prints as black: text and line art
GREYED = {"rg": "g", "RG": "G", "k": "g", "K": "G"}


def _grey_colours(pdf: pikepdf.Pdf) -> None:
    """Every colour the pages and their forms set (an author's SVG drawing, say) replaced
    by its grey; a dark one by black, so that text and line art print in solid black."""
    done: set[tuple[int, int]] = set()
    for page in pdf.pages:
        page.obj.Contents = pdf.make_stream(_greyed(page.obj))
        for form in _forms(page.obj.get("/Resources")):
            if form.objgen not in done:
                done.add(form.objgen)
                form.write(_greyed(form))


def _greyed(holder: pikepdf.Object) -> bytes:
    instructions = []
    for instruction in pikepdf.parse_content_stream(holder):
        if isinstance(instruction, pikepdf.ContentStreamInstruction):
            operator = str(instruction.operator)
            if operator in GREYED:
                values = [float(v) for v in instruction.operands]
                level = _grey_level(values)
                instruction = pikepdf.ContentStreamInstruction(
                    [level], pikepdf.Operator(GREYED[operator])
                )
        instructions.append(instruction)
    return pikepdf.unparse_content_stream(instructions)


def _grey_level(values: list[float]) -> float:
    """The grey of an RGB or CMYK colour (1 is white), black when dark."""
    if len(values) == 4:
        cyan, magenta, yellow, black = values
        values = [(1 - cyan) * (1 - black), (1 - magenta) * (1 - black), (1 - yellow) * (1 - black)]
    red, green, blue = values[:3]
    light = 0.299 * red + 0.587 * green + 0.114 * blue
    return 0.0 if light < DARK else round(min(light, 1.0 if light >= 0.999 else 0.9), 3)


def _forms(resources: pikepdf.Object | None, depth: int = 0) -> list[pikepdf.Stream]:
    found: list[pikepdf.Stream] = []
    objects = resources.get("/XObject") if resources is not None else None
    for _, xobject in objects.items() if objects is not None else []:
        if isinstance(xobject, pikepdf.Stream) and str(xobject.get("/Subtype")) == "/Form":
            found.append(xobject)
            if depth < 8:
                found += _forms(xobject.get("/Resources"), depth + 1)
    return found


def _images(resources: pikepdf.Object | None, depth: int = 0) -> list[pikepdf.Stream]:
    found: list[pikepdf.Stream] = []
    objects = resources.get("/XObject") if resources is not None else None
    for _, xobject in objects.items() if objects is not None else []:
        if not isinstance(xobject, pikepdf.Stream):
            continue
        if str(xobject.get("/Subtype")) == "/Image":
            found.append(xobject)
        elif str(xobject.get("/Subtype")) == "/Form" and depth < 8:
            found += _images(xobject.get("/Resources"), depth + 1)
    return found


def _replace(image: pikepdf.Stream, picture: Image.Image) -> None:
    image.write(zlib.compress(picture.tobytes()), filter=pikepdf.Name.FlateDecode)
    image.ColorSpace = pikepdf.Name.DeviceGray
    image.BitsPerComponent = 8
    for key in ("/DecodeParms", "/Decode"):
        if key in image:
            del image[key]


def _pad(pdf: pikepdf.Pdf, pages: int) -> int:
    """Blank pages, the size of the last, until the book has ``pages``."""
    added = 0
    while len(pdf.pages) < pages:
        last = pdf.pages[-1]
        blank = pikepdf.Dictionary(
            Type=pikepdf.Name.Page,
            MediaBox=last.mediabox,
            Contents=pdf.make_stream(b""),
            Resources=pikepdf.Dictionary(),
        )
        for key in ("/TrimBox", "/BleedBox"):
            if key in last.obj:
                blank[key] = last.obj[key]
        pdf.pages.append(pikepdf.Page(blank))
        added += 1
    return added
