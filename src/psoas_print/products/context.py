"""What one build shares among its products, passed to each explicitly.

A build's context holds the sources it may read, the store of figures drawn before and
since, the typesetting process made ready before the command line was parsed (if any),
and where progress is reported. Nothing of it lives in a global: a worker process gets
its own context, and what it drew comes back in its ``Made``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TypeVar

from psoas_print.book.model import Book
from psoas_print.book.sources import Sources
from psoas_print.figures.store import FigureStore
from psoas_print.layout.ready import ReadyTypesetter
from psoas_print.layout.typesetter import Renderer, Typeset, anchor_pages, typeset_here
from psoas_print.layout.view import build_date
from psoas_print.output import KeptFiles
from psoas_print.workers import SharedFlag

Progress = Callable[[str], None]
T = TypeVar("T")


def quiet(message: str) -> None:
    """Progress reported nowhere: for worker processes and scripts."""


@dataclass
class BuildContext:
    """The shared state of one build (or of one worker process of it)."""

    sources: Sources
    figures: FigureStore = field(default_factory=FigureStore)
    ready: ReadyTypesetter | None = None  # WeasyPrint imported in a waiting process
    progress: Progress = quiet
    # The date stamped into every output (None: the time of writing), read once by the
    # process that starts the build and sent to its workers: a worker process may have been
    # started before SOURCE_DATE_EPOCH was set.
    created: str | None = field(default_factory=build_date)
    # A digest of the layouts and fonts renders may load (see runner/cache.py), for what is
    # remembered between builds; empty: nothing is remembered.
    layouts_digest: str = ""
    # What the product keeps beside its outputs for the next build to reuse (its layout,
    # see products/kept_layout.py; its cover's render), and reads back; None: nothing.
    kept: KeptFiles | None = None
    relay: bool = True  # False (a forced build): the kept layout is not read, only replaced
    # Raised once an ebook laid out beside this product has kept its pages (see
    # runner/build.py): an EPUB's page list waits for it. None: no ebook is beside it.
    ebook_pages: SharedFlag | None = None
    # The book in a language: its translation into it (see book/translations.py) where it
    # has one, else the book as written; each read once. Set by the runner, which reads books.
    read_edition: Callable[[str | None], Book] | None = None

    def edition(self, book: Book, language: str | None) -> Book:
        """The book whose edition ``book`` is, in ``language``: its translation into it,
        else the book as written (with the labels in that language)."""
        if language is None or self.read_edition is None or language == book.info.language:
            return book
        return self.read_edition(language)

    def pages_kept(self) -> None:
        """Tell the products beside this one that the ebook's pages are kept."""
        if self.ebook_pages is not None:
            self.ebook_pages.set()

    def wait_for_ebook_pages(self) -> None:
        """Wait until the ebook laid out beside this product, if any, has kept its pages
        (or is done)."""
        if self.ebook_pages is not None:
            self.ebook_pages.wait()

    @cached_property
    def renderer(self) -> Renderer:
        """One font configuration and one confined fetcher for every render in this process."""
        return Renderer(self.sources)

    def typeset(self, html: str, origin: Path, pdf_variant: str | None) -> Typeset:
        """The tagged PDF of ``html``: laid out by the ready process when there is one (it
        serves one request), else here."""
        if self.ready is not None:
            ready, self.ready = self.ready, None
            return ready.typeset((html, self.sources, origin, pdf_variant))
        return typeset_here((html, self.sources, origin, pdf_variant))

    def anchors(self, html: str, origin: Path) -> dict[str, int]:
        """The page each element with an id of ``html`` starts on: by the ready process
        when there is one (WeasyPrint is imported there), else laid out here, where no PDF
        needs writing for it."""
        if self.ready is not None:
            return self.typeset(html, origin, None).anchors
        return anchor_pages(self.renderer.render(html, origin))

    def typeset_beside(
        self, html: str, origin: Path, pdf_variant: str | None, meanwhile: Callable[[], T]
    ) -> tuple[Typeset, T]:
        """``typeset``, with ``meanwhile`` run in this process while the ready process
        lays ``html`` out, on the other core."""
        if self.ready is None:
            return self.typeset(html, origin, pdf_variant), meanwhile()
        ready, self.ready = self.ready, None
        request = (html, self.sources, origin, pdf_variant)
        if not ready.send(request):
            return typeset_here(request), meanwhile()
        try:
            alongside = meanwhile()
        except BaseException:
            ready.stop()
            raise
        return ready.receive(request), alongside

    def dismiss_ready(self) -> None:
        """Stop the ready process when this build will not use it, freeing its core."""
        if self.ready is not None:
            ready, self.ready = self.ready, None
            ready.stop()
