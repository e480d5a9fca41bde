"""Drawing over the pages of a finished PDF, as artifacts (a licence line, crop marks),
and reading what stamping needs of a finished ebook: its size, pages and language.

pikepdf (30 ms to import) is imported by the functions that use it, not at the top: a build
that never opens a finished PDF (a single-render ebook, a cheat sheet, an up-to-date
check) does without it.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from psoas_print.errors import BookError
from psoas_print.files import Unreadable, read_limited
from psoas_print.limits import MAX_EBOOK_BYTES

if TYPE_CHECKING:
    import pikepdf


def lay_over(
    pdf: pikepdf.Pdf, page: pikepdf.Page, form: pikepdf.Object, name: str, artifact: bytes
) -> None:
    """``form`` drawn over ``page`` as an artifact whose properties are ``artifact`` (page
    numbers, a watermark), so that a tagged book stays tagged: every content item is either
    in the structure or an artifact. ``name``: the form's resource name on the page, fixed
    so that the same book twice is the same bytes (WeasyPrint's own names never clash)."""
    import pikepdf  # see the module's note

    # The page's own resources: WeasyPrint shares one dictionary between all pages, and a
    # form named in it would be drawn on every page (one page's number on them all).
    resources = pikepdf.Dictionary(dict(page.obj.get("/Resources", pikepdf.Dictionary()).items()))
    xobjects = pikepdf.Dictionary(dict(resources.get("/XObject", pikepdf.Dictionary()).items()))
    xobjects[name] = form
    resources.XObject = xobjects
    page.obj.Resources = resources
    placed = page.calc_form_xobject_placement(
        form, pikepdf.Name(name), pikepdf.Rectangle(*page.mediabox)
    )
    draw_over(pdf, page, b"/Artifact " + artifact + b" BDC\n" + placed + b"\nEMC\n")


LICENCE = "/PsoasPrintLicence"
WATERMARK = b"<</Type /Pagination /Subtype /Watermark>>"


def draw_over(pdf: pikepdf.Pdf, page: pikepdf.Page, content: bytes) -> None:
    """``content`` drawn after the page's own drawing, in the page's own coordinates: the
    page's drawing is kept in a saved graphics state, which it may leave changed."""
    page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
    page.contents_add(pdf.make_stream(b"\nQ\n" + content))


def pdf_language(data: bytes) -> str | None:
    """The language a PDF's catalogue is tagged with (``/Lang``), if any."""
    import pikepdf  # see the module's note

    with pikepdf.open(io.BytesIO(data)) as pdf:
        language = pdf.Root.get("/Lang")
        return str(language) if language is not None and str(language).strip() else None


def page_count(data: bytes) -> int:
    import pikepdf  # see the module's note

    with pikepdf.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


def read_finished_pdf(path: Path) -> bytes:
    """A finished PDF's bytes: a regular file, within the documented limit."""
    try:
        return read_limited(path, MAX_EBOOK_BYTES, what="an ebook to stamp")
    except Unreadable as error:
        raise BookError.at(path, None, str(error)) from None


def page_size(book: bytes, path: Path) -> tuple[float, float]:
    """The size of the book's pages; a PDF that cannot be stamped is an error."""
    import pikepdf  # see the module's note

    try:
        with pikepdf.open(io.BytesIO(book)) as pdf:
            encrypted = pdf.is_encrypted
            sizes = {tuple(float(v) for v in page.mediabox[2:]) for page in pdf.pages}
    except pikepdf.PasswordError:
        raise BookError.at(path, None, f"{ENCRYPTED} and needs a password to open") from None
    except pikepdf.PikepdfError as error:
        raise BookError.at(path, None, f"not a readable PDF: {_first_line(error)}") from None
    if encrypted:  # copies would lose its protection: stamp the one psoas-print made
        raise BookError.at(path, None, f"{ENCRYPTED}; stamp the ebook as psoas-print made it")
    if not sizes:
        raise BookError.at(path, None, "has no pages")
    if len(sizes) != 1:
        raise BookError.at(path, None, "its pages differ in size; stamp one edition at a time")
    width, height = sizes.pop()
    return width, height


ENCRYPTED = "is encrypted"


def _first_line(error: Exception) -> str:
    return (str(error).splitlines() or [type(error).__name__])[0]
