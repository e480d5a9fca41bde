"""Page numbers drawn into the pages of a book joined from portions (see joining.py).

The numbers are laid out apart, on pages of their own (layouts/ebook-folios.html), once
the portions' places in the book are known. Each number page's drawing goes into its
book page's own content, after it, as a pagination artifact, with the number page's
resources renamed beside the page's: no form per page, so the joined book is no larger
than a single render's for its page numbers.

pikepdf (30 ms to import) is imported by the functions that use it, not at the top: a build
that never opens a finished PDF does without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from psoas_print.pdf.content import page_content

if TYPE_CHECKING:
    import pikepdf

PREFIX = "Folio"  # before each resource name of the number pages
PAGINATION = b"/Artifact <</Type /Pagination>> BDC\n"
# The resource each operator names, and which of its operands names it.
NAMED = {
    "Tf": ("/Font", 0), "Do": ("/XObject", 0), "gs": ("/ExtGState", 0), "sh": ("/Shading", 0),
    "cs": ("/ColorSpace", 0), "CS": ("/ColorSpace", 0), "scn": ("/Pattern", -1),
    "SCN": ("/Pattern", -1), "BDC": ("/Properties", 1), "DP": ("/Properties", 1),
}  # fmt: skip


def draw_in(
    pdf: pikepdf.Pdf, pages: list[pikepdf.Page], numbers: pikepdf.Pdf, first: int = 0
) -> None:
    """Page ``first + i`` of ``numbers`` drawn over ``pages[i]``, as part of its content."""
    import pikepdf  # see the module's note

    merged: dict[tuple[tuple[int, int], tuple[int, int]], pikepdf.Object] = {}
    for page, number_page in zip(pages, numbers.pages[first:], strict=False):
        theirs = number_page.obj.get("/Resources", pikepdf.Dictionary())
        drawing = _renamed(number_page, theirs)
        own = page.obj.get("/Resources", pikepdf.Dictionary())
        # Pages share their resources (WeasyPrint writes one dictionary): merge once each.
        key = (own.objgen, theirs.objgen) if own.is_indirect and theirs.is_indirect else None
        resources = merged.get(key) if key else None
        if resources is None:
            resources = _merge(pdf, numbers, own, theirs)
            if key:
                merged[key] = resources
        page.obj.Resources = resources
        content = b"q\n" + page_content(page) + b"\nQ\n" + PAGINATION + drawing + b"\nEMC\n"
        page.obj.Contents = pdf.make_stream(content)


def _renamed(page: pikepdf.Page, resources: pikepdf.Object) -> bytes:
    """The page's drawing with each resource it names renamed with PREFIX."""
    import pikepdf  # see the module's note

    drawing = []
    for instruction in pikepdf.parse_content_stream(page):
        operator = str(instruction.operator)
        if operator in NAMED and isinstance(instruction, pikepdf.ContentStreamInstruction):
            category, position = NAMED[operator]
            operands = list(instruction.operands)
            name = operands[position] if operands else None
            if isinstance(name, pikepdf.Name) and name in resources.get(category, {}):
                operands[position] = pikepdf.Name("/" + PREFIX + str(name)[1:])
                instruction = pikepdf.ContentStreamInstruction(operands, instruction.operator)
        drawing.append(instruction)
    return pikepdf.unparse_content_stream(drawing)


def _merge(
    pdf: pikepdf.Pdf, numbers: pikepdf.Pdf, own: pikepdf.Object, theirs: pikepdf.Object
) -> pikepdf.Object:
    """The page's resources and the number page's, renamed, in one dictionary of ``pdf``."""
    import pikepdf  # see the module's note

    copied = pdf.copy_foreign(numbers.make_indirect(theirs))
    merged = pikepdf.Dictionary(dict(own.items()))
    for category, named in copied.items():
        if not isinstance(named, pikepdf.Dictionary):
            continue  # /ProcSet: the page's own does
        into = pikepdf.Dictionary(dict(own.get(category, pikepdf.Dictionary()).items()))
        for name, value in named.items():
            into["/" + PREFIX + name[1:]] = value
        merged[category] = into
    return pdf.make_indirect(merged)
