"""Building products: read the whole book, lay out every product asked for, then write.

Nothing is written until everything has been laid out, so a problem anywhere leaves
every existing output as it was.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from psoas_print.content import load_book
from psoas_print.errors import BookError, Problem
from psoas_print.model import Book, Paper
from psoas_print.output import write_atomically, write_text
from psoas_print.products import Rendered

ProductName = Literal["cheatsheet", "ebook"]


@dataclass(frozen=True)
class Job:
    """One product to make and where to put it."""

    product: ProductName
    target: Path
    html_target: Path | None = None
    routine: str | None = None
    sample: bool = False


@dataclass
class Result:
    target: Path
    pages: int
    size: int
    seconds: float
    notes: dict[str, Any] = field(default_factory=dict)


Progress = Callable[[str], None]


def build(
    book_dir: Path, jobs: list[Job], paper: Paper | None, progress: Progress
) -> tuple[list[Result], tuple[Problem, ...]]:
    """Make every job's product; return what was written and the book's warnings."""
    progress("Reading the book")
    book = load_book(book_dir)
    _check_targets(jobs)
    from psoas_print.render import Renderer, Sources  # WeasyPrint loads only when rendering

    renderer = Renderer(Sources(book.root))
    laid_out = []
    for job in jobs:
        progress(f"Laying out {job.target.name}")
        started = time.perf_counter()
        rendered = _render(job, book, renderer, paper or book.info.paper)
        laid_out.append((job, rendered, time.perf_counter() - started))
    results = []
    for job, rendered, seconds in laid_out:
        progress(f"Writing {job.target.name}")
        started = time.perf_counter()
        _write(job, rendered)
        seconds += time.perf_counter() - started
        size = job.target.stat().st_size
        results.append(
            Result(job.target, len(rendered.document.pages), size, seconds, rendered.notes)
        )
    return results, book.warnings


def _render(job: Job, book: Book, renderer: Any, paper: Paper) -> Rendered:
    if job.product == "cheatsheet":
        from psoas_print.products.cheatsheet import build_cheatsheet

        return build_cheatsheet(book, renderer, paper, job.routine)
    from psoas_print.products.ebook import build_ebook

    return build_ebook(book, renderer, paper, sample=job.sample)


def _write(job: Job, rendered: Rendered) -> None:
    # Tagged PDF: headings, lists and figures with their alt text reach screen readers.
    write_atomically(job.target, lambda stream: rendered.document.write_pdf(stream, pdf_tags=True))
    if job.html_target is not None:
        write_text(job.html_target, rendered.html)


def _check_targets(jobs: list[Job]) -> None:
    for job in jobs:
        for target in (job.target, job.html_target):
            if target is not None and target.is_dir():
                raise BookError.at(target, None, "is a folder; give a file name for the output")
