"""Reading what a reader would check in a finished PDF."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from fontTools.ttLib import TTFont
from pypdf import PageObject, PdfReader
from pypdf.generic import Destination

from psoas_print.shipped import shipped

if TYPE_CHECKING:
    import pikepdf

MM_PER_PT = 25.4 / 72


def page_size_mm(reader: PdfReader, index: int = 0) -> tuple[float, float]:
    box = reader.pages[index].mediabox
    return round(float(box.width) * MM_PER_PT, 1), round(float(box.height) * MM_PER_PT, 1)


def folio(reader: PdfReader, index: int) -> int:
    """The page number a viewer shows for the page at ``index`` (its page label): the printed
    folio, since a cover put in front of the interior is labelled, not counted."""
    label = reader.page_labels[index]
    assert label.isdigit(), f"page {index + 1} is labelled {label!r}, not numbered"
    return int(label)


def folio_page(reader: PdfReader, number: int) -> PageObject:
    """The page whose page label is ``number``."""
    return reader.pages[reader.page_labels.index(str(number))]


def outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(level, title, folio) for every bookmark, in order: the page as a viewer numbers it."""
    entries: list[tuple[int, str, int]] = []

    def walk(items: list, level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                assert isinstance(item, Destination)
                index = reader.get_destination_page_number(item)
                entries.append((level, item.title, folio(reader, index)))

    walk(reader.outline, 1)
    return entries


def text_runs(reader: PdfReader, index: int) -> list[tuple[str, float, str]]:
    """(text, size in pt, font name) of every run of text on a page."""
    runs: list[tuple[str, float, str]] = []

    def visit(text: str, cm: list, tm: list, font: dict | None, size: float) -> None:
        if text.strip():
            name = str(font.get("/BaseFont")) if font else ""
            runs.append((text, round(size * tm[3] * cm[3], 2), name))

    reader.pages[index].extract_text(visitor_text=visit)
    return runs


def embedded_fonts(reader: PdfReader) -> set[tuple[str, str]]:
    """(PostScript name, version) read from inside every font program embedded in the PDF.

    A font that is not embedded has no program and shows up as ("not embedded", name).
    """
    fonts: set[tuple[str, str]] = set()
    for page in reader.pages:
        for font in page["/Resources"].get_object().get("/Font", {}).values():
            font = font.get_object()
            descendant = (
                font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            )
            descriptor = descendant["/FontDescriptor"].get_object()
            program = next(
                (
                    descriptor[key]
                    for key in ("/FontFile", "/FontFile2", "/FontFile3")
                    if key in descriptor
                ),
                None,
            )
            if program is None:
                fonts.add(("not embedded", str(font["/BaseFont"])))
                continue
            names = TTFont(io.BytesIO(program.get_object().get_data()))["name"]
            fonts.add((str(names.getDebugName(6)), str(names.getDebugName(5))))
    return fonts


def bundled_fonts() -> set[tuple[str, str]]:
    """(PostScript name, version) of every font file that ships in fonts/."""
    fonts = set()
    for path in Path(shipped("fonts")).glob("*.[ot]tf"):
        names = TTFont(path)["name"]
        fonts.add((str(names.getDebugName(6)), str(names.getDebugName(5))))
    return fonts


def structure_elements(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    """Every element of a tagged PDF's structure tree, in reading order."""
    import pikepdf

    stack = [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        if not isinstance(node, pikepdf.Dictionary):
            continue
        if node.get("/Type") == "/StructElem":
            yield node
        kids = node.get("/K")
        if isinstance(kids, pikepdf.Array):
            stack.extend(reversed(list(kids)))
        elif isinstance(kids, pikepdf.Dictionary):
            stack.append(kids)


def tagged_figures(path: Path) -> list[tuple[str, float, float]]:
    """(alt text, box width mm, box height mm) of every Figure in the PDF's structure tree.

    WeasyPrint writes each figure's layout box in CSS pixels (96 to the inch).
    """
    import pikepdf

    figures = []
    with pikepdf.open(path) as pdf:
        for element in structure_elements(pdf):
            if element.get("/S") == "/Figure":
                x0, y0, x1, y1 = (float(v) for v in element.A.BBox)
                width, height = (x1 - x0) * 25.4 / 96, (y1 - y0) * 25.4 / 96
                figures.append((str(element.get("/Alt", "")), width, height))
    return figures


def lone_list_markers(reader: PdfReader, marker: str = "\u2013") -> list[int]:
    """The pages (from 1) where a list's dash stands on a line with no text after it: a
    marker left at the foot of a page when its item moved on."""
    pages = []
    for number, page in enumerate(reader.pages, 1):
        runs: list[tuple[str, float, float]] = []

        def visit(text, cm, tm, font, size, runs=runs):
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                runs.append((text.strip(), x, y))

        page.extract_text(visitor_text=visit)
        for text, x, y in runs:
            if text == marker and not any(
                abs(other_y - y) < 2 and other_x > x and other != marker
                for other, other_x, other_y in runs
            ):
                pages.append(number)
                break
    return pages
