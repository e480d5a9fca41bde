"""Licensed copies of a finished ebook: a buyer's line in the foot of every page.

The book is not laid out again. All buyers' lines are laid out in one render (one page
each, the size of the book's pages, with the bundled fonts), and each line is laid over
every page of a copy of the finished PDF, whose links, bookmarks and metadata stay.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from psoas_print.csvfile import Limit, Row, read_csv
from psoas_print.errors import BookError, Problem
from psoas_print.files import Unreadable, read_limited
from psoas_print.glyphs import unprintable
from psoas_print.limits import MAX_BUYERS, MAX_EBOOK_BYTES
from psoas_print.render import make_environment, render_template
from psoas_print.resources import Sources
from psoas_print.typesetter import Renderer

TEMPLATE = "stamp.html"
FONTS = ("Inter-Regular.otf", "GentiumBookPlus-Regular.ttf")
MM_PER_PT = 25.4 / 72


@dataclass(frozen=True)
class Buyer:
    name: str
    email: str
    order: str
    line: int

    @property
    def licence(self) -> str:
        return f"Licensed to {self.name} · {self.email} · order {self.order}"


BUYERS_LIMIT = Limit(MAX_BUYERS, "buyers", "stamp them in several batches")


def read_buyers(path: Path) -> list[Buyer]:
    """Every buyer of the file; else one BookError naming every bad row."""
    rows = read_csv(path, ("name", "email", "order"), limit=BUYERS_LIMIT, check=_email_problem)
    return [Buyer(row["name"], row["email"], row["order"], row.line) for row in rows]


def _email_problem(row: Row) -> list[str]:
    email = row["email"]
    if not email or re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        return []  # a blank one is reported as blank
    return [f"'{email}' is not an email address"]


def stamp_lines(buyers: list[Buyer], buyers_file: Path, page_size_pt: tuple[float, float]) -> bytes:
    """One page per buyer with their licence line in the foot, as a PDF."""
    renderer = Renderer(Sources(book=None))
    fonts = [renderer.sources.font(name) for name in FONTS]
    problems = [
        Problem(buyers_file, buyer.line, f"no bundled font can print {', '.join(missing)}")
        for buyer in buyers
        if (missing := unprintable(buyer.licence, fonts))
    ]
    if problems:
        raise BookError(problems)
    width, height = (size * MM_PER_PT for size in page_size_pt)
    html = render_template(
        make_environment(renderer.sources), TEMPLATE,
        buyers=buyers, width_mm=width, height_mm=height,
    )  # fmt: skip
    return renderer.render(html, Path("layouts") / TEMPLATE).write_pdf()


def stamped_copy(book: bytes, lines: pikepdf.Pdf, index: int, licence: str) -> bytes:
    """The book with page ``index`` of ``lines`` laid over each of its pages."""
    with pikepdf.open(io.BytesIO(book)) as copy:
        form = copy.copy_foreign(lines.pages[index].as_form_xobject())
        for page in copy.pages:
            page.add_overlay(form, pikepdf.Rectangle(*page.mediabox))
        copy.docinfo["/LicensedTo"] = licence
        buffer = io.BytesIO()
        copy.save(buffer, deterministic_id=True)
        return buffer.getvalue()


def read_book(path: Path) -> bytes:
    """The finished ebook's bytes: a regular file, within the documented limit."""
    try:
        return read_limited(path, MAX_EBOOK_BYTES, what="an ebook to stamp")
    except Unreadable as error:
        raise BookError.at(path, None, str(error)) from None


def page_size(book: bytes, path: Path) -> tuple[float, float]:
    """The size of the book's pages; a PDF that cannot be stamped is an error."""
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
    return sizes.pop()  # type: ignore[return-value]


ENCRYPTED = "is encrypted"


def _first_line(error: Exception) -> str:
    return (str(error).splitlines() or [type(error).__name__])[0]


def refuse_existing(targets: list[Path]) -> None:
    """A copy never silently replaces a file: the first that exists is named, with a count
    of the others (a second run into the same folder would name every copy)."""
    existing = [target for target in targets if target.exists() or target.is_symlink()]
    if not existing:
        return
    others = f" (and {len(existing) - 1} more copies)" if len(existing) > 1 else ""
    message = f"already exists{others}; remove it, choose another --out, or add --force"
    raise BookError.at(existing[0], None, message)


def copy_names(path: Path, buyers: list[Buyer]) -> list[str]:
    """File names for the copies: the book's name and the order, made distinct."""
    names: list[str] = []
    for buyer in buyers:
        order = re.sub(r"[^\w.-]+", "-", buyer.order).strip("-") or "copy"
        name, number = f"{path.stem}-{order}.pdf", 2
        while name in names:
            name, number = f"{path.stem}-{order}-{number}.pdf", number + 1
        names.append(name)
    return names
