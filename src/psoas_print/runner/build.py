"""Building products: read the inputs once, lay out every product asked for, then write.

Every product goes through here the same way (see products/protocol.py): its outputs are
checked before a file of the book is read, an output whose inputs have not changed is
left as it is (unless forced), the book is read once, each product is checked before any
render, all are laid out (side by side on the cores when there are several), and only then
is anything written. A problem anywhere leaves every existing output as it was.
"""

from __future__ import annotations

import dataclasses
import os
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from psoas_print.book.model import Book
from psoas_print.book.sources import Sources
from psoas_print.errors import BookError, Problem
from psoas_print.figures.store import KEPT, FigureStore, keep_drawings
from psoas_print.layout.ready import ReadyTypesetter
from psoas_print.output import STATE, KeptFiles, check_outputs, refuse_existing, write_bytes
from psoas_print.pdf.overlays import read_finished_pdf
from psoas_print.products.context import BuildContext, Progress, quiet
from psoas_print.products.parts import LONG_BOOK_EXERCISES
from psoas_print.products.protocol import FinishedPdf, Inputs, Made, Product, ProductName
from psoas_print.products.registry import PRODUCTS
from psoas_print.products.summary import Summary
from psoas_print.runner import cache
from psoas_print.runner.export import prepare_export, write_export
from psoas_print.runner.jobs import Job, Result
from psoas_print.runner.reading import EditionReader
from psoas_print.workers import (
    SharedFlag,
    WorkerPool,
    shared_flag,
    start_workers_early,
    worker_context,
)


def maker(job: Job) -> Product[Any]:
    """The job's product, which takes the job's settings (see products/registry.py)."""
    return PRODUCTS[job.product]


def files_of(job: Job) -> list[Path]:
    """Every file the job writes."""
    names = maker(job).file_names(job.settings)
    return [job.target / name if name else job.target for name in names]


def folder_of(job: Job) -> Path:
    """Where its files go, and the tool's own folder beside them."""
    return job.target if maker(job).file_names(job.settings) != [""] else job.target.parent


def kept_folder(job: Job) -> Path:
    """Where a job keeps what the next build can reuse (see products/kept_layout.py)."""
    return folder_of(job) / STATE / "kept" / job.target.name


@dataclass(frozen=True)
class Built:
    """What a build did: a result per file, and the warnings to show."""

    results: list[Result]
    warnings: tuple[Problem, ...]


def build(
    book_dir: Path | None,
    jobs: list[Job],
    progress: Progress = quiet,
    force: bool = False,
    ready: ReadyTypesetter | None = None,
    book: Book | None = None,
) -> Built:
    """Make every job whose inputs changed (all with ``force``). ``book_dir`` is the book
    the jobs are made from (and must not be written into); ``ready`` a typesetting process
    started beforehand (see layout/ready.py); ``book`` the book as just read from
    ``book_dir``, when the caller has read it already."""
    _check_outputs(book_dir, jobs)  # before a file of the book is even read
    reads_book = any(maker(job).reads_book for job in jobs)
    book_root = book_dir.resolve() if book_dir is not None and reads_book else None
    extra = tuple(path for job in jobs for path in maker(job).extra_inputs(job.settings))
    sources = Sources(book_root, extra)
    outputs = {folder_of(job).resolve() for job in jobs}
    looks = cache.layouts_and_fonts(sources, outputs)  # what every product is laid out with
    shared = looks + cache.named_files(sources, outputs)
    prints = {job: cache.fingerprint(shared, _settings(job)) for job in jobs}
    digests = cache.BookDigests(book_root, outputs)
    fresh = {} if force else {job: _recorded(job, prints[job], digests) for job in jobs}
    stale = [job for job in jobs if fresh.get(job) is None]
    if len(stale) > 1 and _long(book_root):
        # Laid out side by side by workers, whose server imports what they need while this
        # process reads the book: worth it where reading takes a while, and only there (a
        # build that stops at a problem in a short book would wait for those imports).
        start_workers_early()
    reader = EditionReader(book_dir, own=book) if book_dir is not None else None
    context = BuildContext(
        sources, ready=ready, progress=progress, layouts_digest=looks, relay=not force,
        read_edition=reader,
    )  # fmt: skip
    if not stale:
        context.dismiss_ready()
        return Built([row for job in jobs for row in _up_to_date(job, fresh[job])], ())
    books = _read(reader, stale, progress)
    skipped = {job: why for job in stale if (why := maker(job).skipped(books[job], job.settings))}
    stale = [job for job in stale if job not in skipped]
    _check_before_rendering(books, stale, force)
    made = _make_all(books, stale, context) if stale else {}
    for job in stale:  # written only once everything has been laid out
        _write(job, made[job], sources, progress)
        read = books[job]
        inputs = digests.of(maker(job).book_files(read, job.settings) if read else [])
        _remember(job, made[job], prints[job], inputs)
    read_warnings = (w for each in books.values() if each for w in each.warnings)
    warnings = tuple(dict.fromkeys(read_warnings)) + tuple(
        warning for job in stale for warning in made[job].warnings
    )
    return Built(_results(jobs, made, skipped, fresh), warnings)


def _long(book_root: Path | None) -> bool:
    """A book long enough to be laid out in parts, by its exercise files alone."""
    if book_root is None:
        return False
    with suppress(OSError), os.scandir(book_root / "exercises") as entries:
        return sum(1 for entry in entries if entry.name.endswith(".md")) > LONG_BOOK_EXERCISES
    return False


def _remember(job: Job, made: Made, print_: str, inputs: dict[str, str | None]) -> None:
    """Record what the job's files were made from, and keep the figures it drew."""
    written = [(path, file.pages) for path, file in zip(files_of(job), made.files, strict=True)]
    cache.remember(written, print_, inputs, _notes(made.summary))
    keep_drawings(folder_of(job) / KEPT, made.drawn)
    if made.kept is not None:
        made.kept.write()


def _results(
    jobs: list[Job],
    made: dict[Job, Made],
    skipped: dict[Job, str],
    fresh: dict[Job, list[cache.Record] | None],
) -> list[Result]:
    """A row per file of every job, in the order the jobs were given."""
    rows: list[Result] = []
    for job in jobs:
        if job in made:
            rows += _made(job, made[job])
        elif job in skipped:
            rows += _skipped(job, skipped[job])
        else:
            rows += _up_to_date(job, fresh[job])
    return rows


def _check_outputs(book_dir: Path | None, jobs: list[Job]) -> None:
    """No output may replace what builds read, or be a folder where a file is meant."""
    targets = [target for job in jobs for target in _job_outputs(job)]
    inputs = [path for job in jobs for path in maker(job).extra_inputs(job.settings)]
    check_outputs(targets, book_dir, inputs)
    for job in jobs:
        if folder_of(job) == job.target and job.target.exists() and not job.target.is_dir():
            raise BookError.at(job.target, None, "names a file; give a folder for the files")
        single = [job.target] if folder_of(job) != job.target else []
        for target in [*single, job.html_target]:
            if target is not None and target.is_dir():
                raise BookError.at(target, None, "is a folder; give a file name for the output")


def _job_outputs(job: Job) -> list[Path]:
    """Every file and folder a job writes: the products, any exported HTML with its
    NAME_files folder, and the tool's own folder beside them."""
    outputs = [job.target, *files_of(job), folder_of(job) / STATE]
    if job.html_target is not None:
        html = job.html_target
        outputs += [html, html.with_name(f"{html.stem}_files")]
    return outputs


def _settings(job: Job) -> dict[str, object]:
    """What a product is made with, besides its input files, as its record keeps it."""
    return {
        "product": job.product,
        "settings": dataclasses.asdict(job.settings),
        "html": job.html_target is not None,
    }


def _recorded(job: Job, print_: str, digests: cache.BookDigests) -> list[cache.Record] | None:
    """The records of every file of the job, when all of them are up to date."""
    return cache.recorded(files_of(job), print_, digests)


def _read(
    reader: EditionReader | None, jobs: list[Job], progress: Progress
) -> dict[Job, Book | None]:
    """The book each job is made from: the edition in the language it asks for (see
    EditionReader), each read and checked once, before any render starts."""
    reading = [job for job in jobs if maker(job).reads_book]
    if reader is None or not reading:
        return dict.fromkeys(jobs)
    progress("Reading the book")
    books = {job: reader(getattr(job.settings, "language", None)) for job in reading}
    return {job: books.get(job) for job in jobs}


def _check_before_rendering(books: dict[Job, Book | None], jobs: list[Job], force: bool) -> None:
    """What the inputs alone show to be wrong with a job fails it before any render."""
    for job in jobs:
        maker(job).check(books[job], job.settings)
        if not maker(job).replaces_outputs and not force:
            refuse_existing(files_of(job))


def _inputs(job: Job, book: Book | None) -> Inputs:
    source = maker(job).source(job.settings)
    if source is not None:
        return FinishedPdf(source, read_finished_pdf(source))
    assert book is not None
    return book


def _make_all(
    books: dict[Job, Book | None], jobs: list[Job], context: BuildContext
) -> dict[Job, Made]:
    """Lay every job out; several at once in worker processes, one per core."""
    context.progress(f"Laying out {', '.join(job.target.name for job in jobs)}")
    if len(jobs) == 1:
        job = jobs[0]
        context.figures = FigureStore(folder_of(job) / KEPT)
        context.kept = KeptFiles(kept_folder(job))
        made = maker(job).make(_inputs(job, books[job]), job.settings, context)
        context.dismiss_ready()
        drawn = {**made.drawn, **context.figures.take_new()}
        return {job: dataclasses.replace(made, drawn=drawn, kept=context.kept)}
    context.dismiss_ready()  # the workers need both cores
    workers = min(len(jobs), os.cpu_count() or 1)
    # The EPUB's page list gives the ebook's folios, which the ebook keeps as soon as it
    # knows them: an EPUB made beside an ebook waits for them (a flag the workers share,
    # raised by the ebook, or here once it is done whatever became of it) and reads them.
    ebooks = [job for job in jobs if job.product is ProductName.EBOOK]
    context_ = worker_context()
    flag = SharedFlag(context_) if ebooks else None
    with WorkerPool(max_workers=workers, mp_context=context_, flag=flag) as pool:
        # The ebooks first: a waiting EPUB never holds the worker an ebook needs.
        ebooks_first = sorted(jobs, key=lambda job: job not in ebooks)
        futures = {
            job: pool.submit(
                make_in_worker, job, _inputs(job, books[job]), context.sources, context.created,
                context.layouts_digest, context.relay,
            )
            for job in ebooks_first
        }  # fmt: skip
        for job in ebooks:
            futures[job].add_done_callback(lambda _: flag.set() if flag is not None else None)
        return {job: futures[job].result() for job in jobs}


def make_in_worker(
    job: Job, inputs: Inputs, sources: Sources, created: str | None, layouts_digest: str,
    relay: bool = True,
) -> Made:  # fmt: skip
    """Lay one job out in a worker process, with a context of its own (and the parent's
    date: a worker may have started before SOURCE_DATE_EPOCH was set).

    Figures drawn by earlier builds into the same folder are read back, even when forced:
    each is named by a digest of everything that makes it, so it is never stale.
    """
    figures = FigureStore(folder_of(job) / KEPT)
    context = BuildContext(
        sources, figures, created=created, layouts_digest=layouts_digest,
        kept=KeptFiles(kept_folder(job)), relay=relay, ebook_pages=shared_flag(),
        read_edition=EditionReader(sources.book) if sources.book is not None else None,
    )  # fmt: skip
    made = maker(job).make(inputs, job.settings, context)
    drawn = {**made.drawn, **context.figures.take_new()}
    return dataclasses.replace(made, drawn=drawn, kept=context.kept)


def _write(job: Job, made: Made, sources: Sources, progress: Progress) -> None:
    """Write the job's files, each whole or not at all; an HTML export last."""
    export = None
    html = made.files[0].html if len(made.files) == 1 else None
    if job.html_target is not None and html is not None:
        # Worked out in full first: a file it cannot use fails the job unwritten.
        export = prepare_export(html, job.html_target, sources)
    for path, file in zip(files_of(job), made.files, strict=True):
        progress(f"Writing {path.name}")
        write_bytes(path, file.data)
    if export is not None:
        write_export(export)


def _notes(summary: Summary) -> dict[str, object]:
    """A summary as an output's record keeps it: only what differs from no summary."""
    empty = Summary()
    return {
        key: value for key, value in dataclasses.asdict(summary).items()
        if value != getattr(empty, key)
    }  # fmt: skip


def _made(job: Job, made: Made) -> list[Result]:
    seconds = made.seconds / len(made.files)
    return [
        Result(job.product, path, file.pages, len(file.data), seconds, made.summary)
        for path, file in zip(files_of(job), made.files, strict=True)
    ]


def _skipped(job: Job, why: str) -> list[Result]:
    return [Result(job.product, job.target, 0, 0, 0.0, Summary(skipped=why))]


def _up_to_date(job: Job, records: list[cache.Record] | None) -> list[Result]:
    assert records is not None
    return [
        Result(
            job.product, path, record["pages"], record["size"], 0.0,
            Summary(**record.get("notes", {}), up_to_date=True),
        )
        for path, record in zip(files_of(job), records, strict=True)
    ]  # fmt: skip
