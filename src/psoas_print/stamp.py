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

from psoas_print.csvfile import read_csv
from psoas_print.errors import BookError, Problem
from psoas_print.glyphs import unprintable
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


def read_buyers(path: Path) -> list[Buyer]:
    rows = read_csv(path, required=("name", "email", "order"))
    buyers = [Buyer(row["name"], row["email"], row["order"], row.line) for row in rows]
    problems = []
    for buyer in buyers:
        if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", buyer.email):
            problems.append(Problem(path, buyer.line, f"'{buyer.email}' is not an email address"))
    if problems:
        raise BookError(problems)
    return buyers


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


def page_size(book: bytes, path: Path) -> tuple[float, float]:
    try:
        with pikepdf.open(io.BytesIO(book)) as pdf:
            sizes = {tuple(float(v) for v in page.mediabox[2:]) for page in pdf.pages}
    except pikepdf.PdfError as error:
        raise BookError.at(path, None, f"not a readable PDF: {error}") from None
    if len(sizes) != 1:
        raise BookError.at(path, None, "its pages differ in size; stamp one edition at a time")
    return sizes.pop()  # type: ignore[return-value]


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
