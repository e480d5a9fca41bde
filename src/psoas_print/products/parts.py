"""Long ebooks in portions: groups of chapters laid out side by side, then joined.

WeasyPrint holds a whole document in memory and slows down as it grows, so a long book is
laid out in portions of about a hundred pages, in worker processes. Each portion starts
with a chapter, on a right-hand page, so its length does not depend on where it ends up.
The front matter is laid out last, with the contents' page numbers now known, and so is
the back matter (the routines, and a sample's closing page), whose routines give the page
of each exercise; the page numbers are laid over each portion in one small render of its
own; and the portions are joined with their links, named destinations and bookmarks, which
makes the same pages, contents numbers, routine pages and outline that a single render
gives.
"""

from __future__ import annotations

import io
import multiprocessing
import multiprocessing.context
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf

from psoas_print.model import Book, Chapter
from psoas_print.products.ebook import Portion, PrintSetup, build_ebook
from psoas_print.render import make_environment, render_template
from psoas_print.resources import Sources
from psoas_print.typesetter import PORTION_SCHEME, Renderer, anchor_pages
from psoas_print.workers import WorkerPool

EXERCISES_PER_PORTION = 45  # about a hundred pages
ROUTINES_ANCHOR = "routines"  # the routines' heading, first in the back matter

# The book as read once per process: a worker reads it once for all the portions it lays out.
_BOOKS: dict[Path, Book] = {}


def worker_context() -> multiprocessing.context.BaseContext:
    """Workers start from a clean server process, never forked from one that runs threads
    (a progress display, say): a fork taken while another thread holds a lock deadlocks."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _book(settings: Settings) -> Book:
    if settings.book_dir not in _BOOKS:
        from psoas_print.content import load_book

        _BOOKS[settings.book_dir] = load_book(settings.book_dir)
    return _BOOKS[settings.book_dir]


@dataclass(frozen=True)
class Settings:
    """What every portion is laid out with."""

    book_dir: Path
    paper: str
    sample: bool
    printing: PrintSetup | None
    drawings: Path | None = None  # figures drawn by earlier builds


@dataclass(frozen=True)
class Laid:
    """A portion as a PDF, with its blank pages and the local page of each anchor."""

    data: bytes
    pages: int
    blanks: tuple[bool, ...]
    anchors: dict[str, int]
    drawn: dict[str, str] = field(default_factory=dict)  # figures drawn, by file name


def portions_for(book: Book, count: int | None) -> list[tuple[Chapter, ...]]:
    """Consecutive groups of chapters of about the same weight (a page per exercise side)."""
    weights = [1 + 2 * len(chapter.exercises) for chapter in book.chapters]
    if count is None:
        count = max(1, round(sum(weights) / (2 * EXERCISES_PER_PORTION)))
    count = max(1, min(count, len(book.chapters)))
    target = sum(weights) / count
    groups: list[list[Chapter]] = [[]]
    load = 0.0
    for chapter, weight in zip(book.chapters, weights, strict=True):
        if groups[-1] and load + weight / 2 > target * len(groups) and len(groups) < count:
            groups.append([])
        groups[-1].append(chapter)
        load += weight
    return [tuple(group) for group in groups]


@dataclass(frozen=True)
class Joined:
    """The whole ebook, joined from its portions."""

    data: bytes
    pages: int
    portions: int
    anchors: dict[str, int]  # the page of every element with an id, counted from 1
    drawn: dict[str, str]  # the figures the portions drew, by file name


def build_in_portions(book: Book, settings: Settings, count: int | None) -> Joined:
    """The whole ebook as one PDF, laid out in portions on every core."""
    groups = portions_for(book, count)
    _BOOKS[settings.book_dir] = book
    renderer = Renderer(Sources(book.root))
    workers = min(len(groups), os.cpu_count() or 1)
    with WorkerPool(max_workers=workers, mp_context=worker_context()) as pool:
        futures = [
            pool.submit(lay_out_portion, settings, _portion(book, groups, index))
            for index in range(len(groups))
        ]
        front = _front(book, renderer, settings, None)
        laid = [future.result() for future in futures]
        measured = front.pages
        front, whole = _front_and_back(book, renderer, settings, pool, measured, laid)
        if _numbering(front.pages, laid)[0] != _numbering(measured, laid)[0]:  # pragma: no cover
            # A contents page more than the placeholder numbers made: every page moves on.
            front, whole = _front_and_back(book, renderer, settings, pool, front.pages, laid)
        starts, toc_pages = _numbering(front.pages, whole)
        folios = list(
            pool.map(lay_out_folios, [settings] * len(whole), starts, [p.blanks for p in whole])
        )
    data = join(front, whole, folios, starts)
    drawn = {name: svg for portion in laid for name, svg in portion.drawn.items()}
    return Joined(data, starts[-1] + whole[-1].pages - 1, len(groups), toc_pages, drawn)


def _front_and_back(
    book: Book,
    renderer: Renderer,
    settings: Settings,
    pool: ProcessPoolExecutor,
    front_pages: int,
    laid: list[Laid],
) -> tuple[Laid, list[Laid]]:
    """The front matter and, side by side with it, the back matter (in a worker), laid out
    with the page numbers the portions give when the front matter has ``front_pages``.

    Returns the front matter and the portions followed by the back matter, if it has any.
    """
    starts, pages = _numbering(front_pages, laid)
    # The back matter starts on the right-hand page after the last portion, with its heading.
    pages[ROUTINES_ANCHOR] = _right_hand(starts[-1] + laid[-1].pages)
    back = None
    if settings.sample or book.routines:
        back = pool.submit(lay_out_portion, settings, _back_portion(pages))
    front = _front(book, renderer, settings, pages)
    if back is None:
        return front, laid
    # Nothing to show (the sample keeps no routine, say) lays out one empty page: left out.
    back_matter = back.result()
    return front, [*laid, back_matter] if back_matter.anchors else laid


def _back_portion(pages: dict[str, int]) -> Portion:
    """What follows the chapters; its routines give each exercise's page, from ``pages``."""
    return Portion(front=False, chapters=(), last=True, folios=False, toc_pages=pages)


def _portion(book: Book, groups: list[tuple[Chapter, ...]], index: int) -> Portion:
    before = [chapter for group in groups[:index] for chapter in group]
    return Portion(
        front=False, chapters=groups[index], chapters_before=len(before),
        exercises_before=sum(len(chapter.exercises) for chapter in before),
        last=False, folios=False,  # the back matter comes after them all
    )  # fmt: skip


def lay_out_portion(settings: Settings, portion: Portion) -> Laid:
    """Lay out one group of chapters (in a worker process)."""
    from psoas_print import figures

    figures.read_drawings_from(settings.drawings)
    book = _book(settings)
    renderer = Renderer(Sources(book.root))
    rendered = build_ebook(
        book, renderer, settings.paper, sample=settings.sample, printing=settings.printing,
        portion=portion,
    )  # fmt: skip
    anchors = anchor_pages(rendered.document, first=0)
    data = rendered.document.write_pdf()
    drawn = figures.new_drawings()
    return Laid(data, len(rendered.document.pages), _blank_pages(data), anchors, drawn)


def _blank_pages(data: bytes) -> tuple[bool, ...]:
    """Pages with no text at all: the blank left-hand pages before a chapter."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return tuple(b"BT" not in _content(page) for page in pdf.pages)


def _content(page: pikepdf.Page) -> bytes:
    contents = page.obj.get("/Contents")
    if isinstance(contents, pikepdf.Array):
        return b"".join(stream.read_bytes() for stream in contents)
    return contents.read_bytes() if contents is not None else b""


def _front(
    book: Book, renderer: Renderer, settings: Settings, toc_pages: dict[str, int] | None
) -> Laid:
    pages = toc_pages or _placeholder_pages(book)
    portion = Portion(front=True, chapters=(), last=False, folios=False, toc_pages=pages)
    rendered = build_ebook(
        book, renderer, settings.paper, sample=settings.sample, printing=settings.printing,
        portion=portion,
    )  # fmt: skip
    data = rendered.document.write_pdf()
    return Laid(data, len(rendered.document.pages), (), {})


def _placeholder_pages(book: Book) -> dict[str, int]:
    """Page numbers as wide as the real ones will be, to measure the front matter with."""
    widest = 10 ** len(str(8 * len(book.exercises) + 4 * len(book.chapters) + 20)) - 1
    anchors = [f"chapter-{c.id}" for c in book.chapters] + [f"exercise-{e}" for e in book.exercises]
    return dict.fromkeys([*anchors, ROUTINES_ANCHOR], widest)


def _numbering(front_pages: int, laid: list[Laid]) -> tuple[list[int], dict[str, int]]:
    """Where each portion starts (always a right-hand, odd page) and each anchor's page."""
    starts, next_page = [], front_pages + 1
    toc_pages = {}
    for portion in laid:
        next_page = _right_hand(next_page)
        starts.append(next_page)
        for name, local in portion.anchors.items():
            toc_pages[name] = next_page + local
        next_page += portion.pages
    return starts, toc_pages


def _right_hand(page: int) -> int:
    """The first right-hand (odd) page from ``page`` on: a blank left-hand page comes first."""
    return page + (page % 2 == 0)


def lay_out_folios(settings: Settings, first_page: int, blanks: tuple[bool, ...]) -> bytes:
    """The page numbers of one portion, alone on otherwise empty pages (in a worker)."""
    from psoas_print.geometry import TRIMS, page_geometry
    from psoas_print.products import common_context

    book = _book(settings)
    renderer = Renderer(Sources(book.root))
    common = common_context(book, settings.paper)
    html = render_template(
        make_environment(renderer.sources), "ebook-folios.html",
        **common, **page_geometry(TRIMS[settings.paper]),
        sample=False, printing=settings.printing, store_qr=None, chapters=common["book"].chapters,
        portion=Portion(front=False, chapters=(), folios=True), first_page=first_page,
        blanks=blanks, figures={}, videos={},
    )  # fmt: skip
    return renderer.render(html, Path("layouts/ebook-folios.html")).write_pdf()


def join(front: Laid, laid: list[Laid], folios: list[bytes], starts: list[int]) -> bytes:
    """One PDF: the front matter, blank pages where a portion needs a right-hand start, the
    portions with their page numbers laid over, their named destinations and bookmarks."""
    out = pikepdf.open(io.BytesIO(front.data))
    outline: list[tuple[int, str, int, Any]] = _outline_of(out, 0)
    destinations: dict[str, pikepdf.Array] = {}
    for portion, folio_data, start in zip(laid, folios, starts, strict=True):
        while len(out.pages) < start - 1:
            _add_blank(out)
        offset = len(out.pages)
        with (
            pikepdf.open(io.BytesIO(portion.data)) as part,
            pikepdf.open(io.BytesIO(folio_data)) as numbers,
        ):
            outline += _outline_of(part, offset)
            named = _named_destinations(part)
            out.pages.extend(part.pages)
            for index, number_page in enumerate(numbers.pages):
                form = out.copy_foreign(number_page.as_form_xobject())
                page = out.pages[offset + index]
                page.add_overlay(form, pikepdf.Rectangle(*page.mediabox))
            for name, (local, rest) in named.items():
                destinations[name] = pikepdf.Array([out.pages[offset + local].obj, *rest])
    _set_destinations(out, destinations)
    _link_portions(out)
    _set_outline(out, outline)
    buffer = io.BytesIO()
    out.save(buffer, deterministic_id=True)
    out.close()
    return buffer.getvalue()


def _add_blank(pdf: pikepdf.Pdf) -> None:
    previous = pdf.pages[-1]
    boxes = {
        key: previous.obj[key]
        for key in ("/MediaBox", "/TrimBox", "/BleedBox")
        if key in previous.obj
    }
    pdf.pages.append(
        pikepdf.Page(
            pikepdf.Dictionary(Type=pikepdf.Name.Page, **{k[1:]: v for k, v in boxes.items()})
        )
    )


def _page_index(pdf: pikepdf.Pdf, page_object: pikepdf.Object) -> int:
    return next(i for i, page in enumerate(pdf.pages) if page.obj.objgen == page_object.objgen)


def _named_destinations(pdf: pikepdf.Pdf) -> dict[str, tuple[int, list[Any]]]:
    names = pdf.Root.get("/Names")
    if names is None or "/Dests" not in names:
        return {}
    tree = pikepdf.NameTree(names.Dests)
    found = {}
    for name, destination in tree.items():
        array = destination if isinstance(destination, pikepdf.Array) else destination.D
        found[name] = (_page_index(pdf, array[0]), list(array[1:]))
    return found


def _set_destinations(pdf: pikepdf.Pdf, destinations: dict[str, pikepdf.Array]) -> None:
    if "/Names" not in pdf.Root:
        pdf.Root.Names = pikepdf.Dictionary()
    tree = pikepdf.NameTree.new(pdf)
    for name in sorted(destinations):
        tree[name] = destinations[name]
    pdf.Root.Names.Dests = tree.obj


def _link_portions(pdf: pikepdf.Pdf) -> None:
    """The contents' and the routines' links name anchors in other portions: make them
    jumps inside the book."""
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", []):
            action = annotation.get("/A")
            uri = str(action.get("/URI", "")) if action is not None else ""
            if uri.startswith(PORTION_SCHEME):
                del annotation["/A"]
                annotation.Dest = pikepdf.String(uri.removeprefix(PORTION_SCHEME))


def _outline_of(pdf: pikepdf.Pdf, offset: int) -> list[tuple[int, str, int, Any]]:
    """(level, title, page, top) of every bookmark, pages counted in the joined book."""
    items: list[tuple[int, str, int, Any]] = []

    def walk(children: list[pikepdf.OutlineItem], level: int) -> None:
        for item in children:
            destination = item.destination
            if isinstance(destination, pikepdf.Array):
                top = destination[3] if len(destination) > 3 else None
                items.append((level, item.title, offset + _page_index(pdf, destination[0]), top))
            walk(item.children, level + 1)

    with pdf.open_outline() as outline:
        walk(list(outline.root), 1)
    return items


def _set_outline(pdf: pikepdf.Pdf, items: list[tuple[int, str, int, Any]]) -> None:
    with pdf.open_outline() as outline:
        outline.root.clear()
        parents: list[list[pikepdf.OutlineItem]] = [outline.root]
        for level, title, page, top in items:
            item = pikepdf.OutlineItem(
                title, page, pikepdf.PageLocation.XYZ, top=float(top) if top is not None else None
            )
            del parents[level:]
            parents[level - 1].append(item)
            parents.append(item.children)
