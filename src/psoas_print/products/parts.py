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

import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from psoas_print.book.model import Book, Chapter, Paper
from psoas_print.book.sources import Sources
from psoas_print.figures.store import FigureStore
from psoas_print.language.catalogues import words_for
from psoas_print.language.words import Words
from psoas_print.layout.remembered import keep_pages
from psoas_print.layout.templates import layout_path, make_environment, render_template
from psoas_print.layout.typesetter import PORTION_SCHEME, LaidOutDocument, anchor_pages
from psoas_print.layout.view import common_context
from psoas_print.pdf.font_sharing import SubsetCache
from psoas_print.pdf.front_page import Cover, lay_in_front
from psoas_print.pdf.joining import blank_pages, join, numbered
from psoas_print.pdf.splicing import CannotSplice, splice
from psoas_print.products.context import BuildContext
from psoas_print.products.ebook_html import (
    TEMPLATE,
    Portion,
    ebook_anchor_pages,
    ebook_geometry,
    ebook_html,
    spilled_exercises,
)
from psoas_print.products.kept_layout import (
    KeptLayout,
    Laid,
    Spread,
    edition_key,
    keep,
    read_kept,
    shown,
    spreads_in,
)
from psoas_print.products.protocol import Made, MadeFile, Summary
from psoas_print.products.settings import EbookSettings, PrintSetup
from psoas_print.workers import WorkerPool, worker_context

EXERCISES_PER_PORTION = 45  # about a hundred pages
LONG_BOOK_EXERCISES = 60  # beyond this, an ebook is laid out in parts on every core
ROUTINES_ANCHOR = "routines"  # the routines' heading, first in the back matter
MAX_SPREADS_RELAID = 12  # beyond, laying the book out again on every core is as quick


@dataclass(frozen=True)
class Settings:
    """What every portion is laid out with; sent to each worker with its task."""

    book: Book
    paper: str
    sample: bool
    printing: PrintSetup | None
    drawings: Path | None  # the folder of figures drawn by earlier builds
    created: str | None  # the build's date (see BuildContext)
    language: str | None  # of the labels; None: the book's own

    def words(self) -> Words:
        return words_for(self.book, self.language)

    def context(self) -> BuildContext:
        """A worker's own context: the book's sources, the figures kept before, the date."""
        return BuildContext(
            Sources(self.book.root), FigureStore(self.drawings), created=self.created
        )


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


def make_in_parts(
    book: Book, ebook: EbookSettings, context: BuildContext, cover: Cover | None = None
) -> Made:
    """The whole ebook as one PDF, laid out in portions on every core (after an edit to
    some exercises only, only their spreads: see kept_layout.py), ``cover`` laid in front."""
    started = time.perf_counter()
    page = ebook.page(book)
    settings = Settings(
        book, page, ebook.sample, ebook.printing, context.figures.folder, context.created,
        ebook.language,
    )  # fmt: skip
    # The HTML a single render would lay out: what the layout shows, for the kept layout to
    # compare; for the plain weasyprint command to compare with; and the key under which
    # the screen edition's pages are kept for the products that cite them (a handout's page
    # references, the EPUB's page list). A sample edition is laid out whole each time.
    html = None
    if not ebook.sample or ebook.keep_html:
        html = ebook_html(book, context, page, settings.words(), ebook.sample, ebook.printing)
    key = edition_key(context.layouts_digest, (page, ebook.sample, ebook.printing, ebook.language))
    now = None
    if html is not None and not ebook.sample and context.kept is not None:
        now = shown(html, book, context.sources.resolver)
    layout = _relaid(context, settings, key, now) if now is not None else None
    if layout is None:
        layout = _laid_out(context, settings, ebook.parts, now)
    starts, toc_pages = _numbering(layout.front.pages, layout.parts)
    if ebook.printing is None and not ebook.sample:  # known before the join: kept now
        keep_pages(html or "", context.layouts_digest, toc_pages)
        context.pages_kept()
    data = _joined(context, layout, starts, cover)
    if now is not None and context.kept is not None:
        keep(context.kept, key, layout)
    pages = starts[-1] + layout.parts[-1].pages - 1 + (cover is not None)
    drawn = {name: svg for part in layout.parts for name, svg in part.drawn.items()}
    warnings = tuple(spilled_exercises(book, toc_pages, page))
    made = MadeFile("", data, pages, html if ebook.keep_html else None)
    seconds = time.perf_counter() - started
    return Made(
        (made,), Summary(parts=layout.portions, relaid=layout.relaid), seconds, drawn, warnings
    )


def _joined(
    context: BuildContext, layout: KeptLayout, starts: list[int], cover: Cover | None
) -> bytes:
    """The parts joined, ``cover`` laid in front; the layout learns the font subsets the
    join used, to keep for the next one."""
    subsets = SubsetCache(layout.subsets)
    in_front = partial(lay_in_front, cover=cover) if cover is not None else None
    data = join(
        layout.front.data, [part.data for part in layout.parts], starts, PORTION_SCHEME,
        subsets, context.created, in_front,
    )  # fmt: skip
    layout.subsets = subsets.used
    return data


def _laid_out(
    context: BuildContext, settings: Settings, count: int | None,
    shown_now: tuple[str, dict[str, str]] | None,
) -> KeptLayout:  # fmt: skip
    """The whole book laid out in portions on every core, with its front and back matter
    and each part's page numbers."""
    book = settings.book
    groups = portions_for(book, count)
    with _pool_for(groups, context) as pool:
        measured, laid = _portions_beside_front(pool, book, groups, settings, context)
        front, whole = _front_and_back(context, settings, pool, measured, laid)
        if _numbering(front.pages, laid)[0] != _numbering(measured, laid)[0]:  # pragma: no cover
            # A contents page more than the placeholder numbers made: every page moves on.
            front, whole = _front_and_back(context, settings, pool, front.pages, laid)
        starts = _numbering(front.pages, whole)[0]
        folios = list(
            pool.map(lay_out_folios, [settings] * len(whole), starts, [p.blanks for p in whole])
        )
        numbered_parts = pool.map(numbered, [part.data for part in whole], folios)
        whole = [replace(part, data=data) for part, data in zip(whole, numbered_parts, strict=True)]
    frame, spreads = shown_now or ("", {})
    return KeptLayout(frame, spreads, front, whole, folios, len(groups))


def _relaid(
    context: BuildContext, settings: Settings, key: str, shown_now: tuple[str, dict[str, str]]
) -> KeptLayout | None:
    """The kept layout with the spreads that changed since laid out again and put in
    place; None when nothing is kept for this edition, something besides spreads changed,
    too many spreads did, or one of them now takes another number of pages."""
    frame, spreads = shown_now
    kept = read_kept(context.kept, key) if context.kept is not None and context.relay else None
    if kept is None or kept.frame != frame or set(kept.spreads) != set(spreads):
        return None
    changed = [exercise for exercise, digest in spreads.items() if kept.spreads[exercise] != digest]
    if len(changed) > MAX_SPREADS_RELAID:
        return None
    where = spreads_in(settings.book, kept.parts)
    parts = list(kept.parts)
    for exercise in changed:
        spot = where.get(exercise)
        if spot is None:
            return None
        folios = kept.folios[spot.part]
        relaid = _spread_in(context, settings, exercise, parts[spot.part], folios, spot)
        if relaid is None:
            return None
        parts[spot.part] = relaid
    return replace(kept, spreads=spreads, parts=parts, relaid=len(changed))


def _spread_in(
    context: BuildContext, settings: Settings, exercise: str, part: Laid, folios: bytes,
    spot: Spread,
) -> Laid | None:  # fmt: skip
    """``part``, which holds ``exercise``'s spread at ``spot``, with the spread laid out
    again (after its chapter's opening, which gives its running head and the side it starts
    on) put in place and numbered with the part's ``folios``; None when it now takes
    another number of pages."""
    book = settings.book
    chapter = next(chapter for chapter in book.chapters if exercise in chapter.exercises)
    document = _render(context, settings, _portion(book, (chapter,), spread=exercise))
    anchors = anchor_pages(document, first=0)
    first = anchors[f"exercise-{exercise}"]
    if len(document.pages) - first != spot.pages:
        return None
    spread = document.write_pdf(pdf_tags=True, keep_fonts_whole=True)
    try:
        data = splice(part.data, spot.page, spread, first, spot.pages, folios)
    except CannotSplice:
        return None
    on_spread = range(spot.page, spot.page + spot.pages)
    moved = {name: page for name, page in part.anchors.items() if page not in on_spread}
    moved |= {name: page - first + spot.page for name, page in anchors.items() if page >= first}
    return Laid(data, part.pages, part.blanks, moved, part.drawn)


def folios_of(
    book: Book, context: BuildContext, paper: Paper | str, words: Words
) -> dict[str, int]:
    """The folio of every anchor of the screen ebook at ``paper`` (see ebook_anchor_pages),
    for the products that cite its pages: a long book, when its pages are not remembered,
    is laid out in portions on every core as `ebook` lays it out, not in one render."""
    if len(book.exercises) <= LONG_BOOK_EXERCISES:
        return ebook_anchor_pages(book, context, paper, words)

    def in_portions() -> dict[str, int]:
        settings = Settings(
            book, str(paper), False, None, context.figures.folder, context.created,
            words.language,
        )  # fmt: skip
        return _portion_pages(book, settings, context)

    return ebook_anchor_pages(book, context, paper, words, in_portions)


def _portion_pages(book: Book, settings: Settings, context: BuildContext) -> dict[str, int]:
    """Where each anchor of the portions falls in the whole book: the portions and the
    front matter laid out, nothing joined."""
    groups = portions_for(book, None)
    with _pool_for(groups, context) as pool:
        measured, laid = _portions_beside_front(pool, book, groups, settings, context)
    # The front matter with the real numbers, as make_in_parts lays it out at the end.
    front = _front(context, settings, _with_routines(measured, laid))
    return _with_routines(front.pages, laid)


def _pool_for(groups: list[tuple[Chapter, ...]], context: BuildContext) -> WorkerPool:
    """Workers for the portions, one a core (the ready process is let go: they need both)."""
    context.dismiss_ready()
    return WorkerPool(
        max_workers=min(len(groups), os.cpu_count() or 1), mp_context=worker_context()
    )


def _portions_beside_front(
    pool: ProcessPoolExecutor, book: Book, groups: list[tuple[Chapter, ...]],
    settings: Settings, context: BuildContext,
) -> tuple[int, list[Laid]]:  # fmt: skip
    """The portions laid out in ``pool`` and, meanwhile here, the front matter with
    placeholder numbers: how many pages the front matter takes, and the portions."""
    futures = [pool.submit(lay_out_portion, settings, _portion(book, group)) for group in groups]
    measured = _front(context, settings, None).pages
    laid = [future.result() for future in futures]
    # Drawn in the workers: not drawn again here (the single render's HTML, say).
    context.figures.new.update({name: svg for part in laid for name, svg in part.drawn.items()})
    return measured, laid


def _with_routines(front_pages: int, laid: list[Laid]) -> dict[str, int]:
    """Each anchor's page, the back matter's heading's included: the right-hand page after
    the last portion."""
    starts, pages = _numbering(front_pages, laid)
    pages[ROUTINES_ANCHOR] = _right_hand(starts[-1] + laid[-1].pages)
    return pages


def _front_and_back(
    context: BuildContext,
    settings: Settings,
    pool: ProcessPoolExecutor,
    front_pages: int,
    laid: list[Laid],
) -> tuple[Laid, list[Laid]]:
    """The front matter and, side by side with it, the back matter (in a worker), laid out
    with the page numbers the portions give when the front matter has ``front_pages``.

    Returns the front matter and the portions followed by the back matter, if it has any.
    """
    pages = _with_routines(front_pages, laid)
    back = None
    if settings.sample or settings.book.routines:
        back = pool.submit(lay_out_portion, settings, _back_portion(pages))
    front = _front(context, settings, pages)
    if back is None:
        return front, laid
    # Nothing to show (the sample keeps no routine, say) lays out one empty page: left out.
    back_matter = back.result()
    return front, [*laid, back_matter] if back_matter.anchors else laid


def _back_portion(pages: dict[str, int]) -> Portion:
    """What follows the chapters; its routines give each exercise's page, from ``pages``."""
    return Portion(front=False, chapters=(), last=True, folios=False, toc_pages=pages)


def _portion(book: Book, chapters: tuple[Chapter, ...], spread: str | None = None) -> Portion:
    """Consecutive ``chapters`` of the book, numbered as in the whole book; with ``spread``,
    only that exercise's spread after its chapter's opening."""
    before = book.chapters[: book.chapters.index(chapters[0])]
    return Portion(
        front=False, chapters=chapters, chapters_before=len(before),
        exercises_before=sum(len(chapter.exercises) for chapter in before),
        last=False, folios=False,  # the back matter comes after them all
        spread=spread,
    )  # fmt: skip


def lay_out_portion(settings: Settings, portion: Portion) -> Laid:
    """Lay out one group of chapters (in a worker process)."""
    context = settings.context()
    document = _render(context, settings, portion)
    anchors = anchor_pages(document, first=0)
    # Tagged, its structure joined to the book's; whole fonts, subset once when joined.
    data = document.write_pdf(pdf_tags=True, keep_fonts_whole=True)
    drawn = context.figures.take_new()
    return Laid(data, len(document.pages), blank_pages(data), anchors, drawn)


def _render(context: BuildContext, settings: Settings, portion: Portion) -> LaidOutDocument:
    html = ebook_html(
        settings.book, context, settings.paper, settings.words(), settings.sample,
        settings.printing, portion,
    )  # fmt: skip
    return context.renderer.render(html, layout_path(TEMPLATE))


def _front(context: BuildContext, settings: Settings, toc_pages: dict[str, int] | None) -> Laid:
    pages = toc_pages or _placeholder_pages(settings.book)
    portion = Portion(front=True, chapters=(), last=False, folios=False, toc_pages=pages)
    document = _render(context, settings, portion)
    data = document.write_pdf(pdf_tags=True, keep_fonts_whole=True)  # as the portions are
    return Laid(data, len(document.pages), (), {})


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
    renderer = settings.context().renderer
    words = settings.words()
    common = common_context(settings.book, settings.paper, settings.created, words)
    html = render_template(
        make_environment(renderer.sources, words), "ebook-folios.html",
        **common, **ebook_geometry(settings.paper, settings.printing),
        sample=False, printing=settings.printing, store_qr=None, chapters=common["book"].chapters,
        portion=Portion(front=False, chapters=(), folios=True), first_page=first_page,
        blanks=blanks, figures={}, videos={},
    )  # fmt: skip
    document = renderer.render(html, layout_path("ebook-folios.html"))
    return document.write_pdf(keep_fonts_whole=True)  # laid over as artifacts: untagged
