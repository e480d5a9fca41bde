"""Building products: read the whole book, lay out every product asked for, then write.

Nothing is written until everything has been laid out, so a problem anywhere leaves
every existing output as it was.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from psoas_print.errors import BookError, Problem
from psoas_print.output import check_outputs, write_atomically
from psoas_print.resources import Sources

if TYPE_CHECKING:
    from psoas_print.model import Paper

ProductName = Literal["cheatsheet", "ebook", "epub"]


@dataclass(frozen=True)
class Job:
    """One product to make and where to put it."""

    product: ProductName
    target: Path
    html_target: Path | None = None
    routine: str | None = None
    sample: bool = False
    trim: str | None = None  # a print-ready ebook at this trim size
    printing: Any = None  # products.ebook.PrintSetup
    pdf_variant: str | None = None  # pdf/ua-1, pdf/a-3b
    parts: int | None = None  # lay a long ebook out in this many parts; None: by its length
    optional: bool = False  # a cheat sheet that a book without routines simply goes without


@dataclass(frozen=True)
class Made:
    """A product laid out and turned into bytes, ready to be written."""

    data: bytes
    pages: int
    html: str | None = None
    notes: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0
    drawn: dict[str, str] = field(default_factory=dict)  # figures drawn, to keep for next time
    warnings: tuple[Problem, ...] = ()  # found while laying out, such as a spread overrun


@dataclass
class Result:
    target: Path
    pages: int
    size: int
    seconds: float
    notes: dict[str, Any] = field(default_factory=dict)


Progress = Callable[[str], None]


def build(
    book_dir: Path,
    jobs: list[Job],
    paper: Paper | None,
    progress: Progress,
    force: bool = False,
) -> tuple[list[Result], tuple[Problem, ...]]:
    """Make every job whose inputs changed (all with ``force``), side by side on the cores.

    Returns a result per job (made, up to date or skipped) and the book's warnings.
    """
    from psoas_print import cache

    check_outputs(_job_outputs(jobs), book_dir)  # before a file of the book is even read
    _check_targets(jobs)
    book_root = book_dir.resolve()
    sources = Sources(book_root)
    outputs = {job.target.parent.resolve() for job in jobs}
    shared = cache.layouts_and_fonts(sources, outputs)
    prints = {job: cache.fingerprint(shared, _settings(job, paper)) for job in jobs}
    digests = cache.BookDigests(book_root, outputs)
    fresh = {} if force else {
        job: cache.recorded(job.target, prints[job], digests) for job in jobs
    }  # fmt: skip
    stale = [job for job in jobs if not fresh.get(job)]
    warnings: tuple[Problem, ...] = ()
    made: dict[Job, Made] = {}
    skipped: dict[Job, str] = {}
    if stale:
        from psoas_print.content import load_book  # only when something is to be made
        from psoas_print.figures import KEPT, keep_drawings

        progress("Reading the book")
        book = load_book(book_dir)  # every content problem, before any render starts
        warnings = book.warnings
        skipped = _skipped(book, stale)
        stale = [job for job in stale if job not in skipped]
        _check_before_rendering(book, stale)
        if stale:
            progress(f"Laying out {', '.join(job.target.name for job in stale)}")
            made = _make_all(book_dir, stale, paper or book.info.paper, book)
        warnings += tuple(warning for job in stale for warning in made[job].warnings)
        for job in stale:  # written only once everything has been laid out
            progress(f"Writing {job.target.name}")
            _write(job, made[job], book.root)
            inputs = digests.of(_inputs(book, job))
            cache.remember(job.target, prints[job], inputs, made[job].pages, made[job].notes)
            keep_drawings(job.target.parent / KEPT, made[job].drawn)
    return [_result(job, made, fresh, skipped) for job in jobs], warnings


def _result(
    job: Job, made: dict[Job, Made], fresh: dict[Job, Any], skipped: dict[Job, str]
) -> Result:
    if job in skipped:
        return Result(job.target, 0, 0, 0.0, {"skipped": skipped[job]})
    if job in made:
        item = made[job]
        return Result(job.target, item.pages, len(item.data), item.seconds, item.notes)
    record = fresh[job] or {}
    notes = {**record.get("notes", {}), "up_to_date": True}
    return Result(job.target, record["pages"], record["size"], 0.0, notes)


def _skipped(book: Any, jobs: list[Job]) -> dict[Job, str]:
    """Optional cheat sheets of a book without routines: made by no one, and said so."""
    from psoas_print.products.cheatsheet import NO_ROUTINE

    if book.routines:
        return {}
    return {job: NO_ROUTINE for job in jobs if job.product == "cheatsheet" and job.optional}


def _check_before_rendering(book: Any, jobs: list[Job]) -> None:
    """What the book alone shows to be wrong with a job fails it before any render starts."""
    from psoas_print.products.cheatsheet import choose_routine

    for job in jobs:
        if job.product == "cheatsheet":
            choose_routine(book, job.routine)


def _inputs(book: Any, job: Job) -> list[str]:
    """The book files an output is made from, relative to the book folder.

    A cheat sheet shows one routine: its file, its exercises' files and pictures, book.yaml
    and the names in routines/ (which choose the routine). Other products show everything.
    """
    from psoas_print.cache import WHOLE_BOOK
    from psoas_print.products.cheatsheet import choose_routine

    if job.product != "cheatsheet":
        return [WHOLE_BOOK]
    routine = choose_routine(book, job.routine)
    files = [book.root / "book.yaml", routine.source]
    for item in routine.items:
        exercise = item.exercise
        files += [exercise.source, book.root / "figures" / f"{exercise.id}.yaml"]
        files += [exercise.image_path] if exercise.image_path else []
    relative = [path.relative_to(book.root).as_posix() for path in files]
    return ["routines/", *dict.fromkeys(relative)]


def _settings(job: Job, paper: Paper | None) -> dict[str, Any]:
    settings = {
        key: value for key, value in vars(job).items() if key not in ("target", "html_target")
    }
    return {**settings, "paper": paper, "html": job.html_target is not None}


def _make_all(book_dir: Path, jobs: list[Job], paper: Paper, book: Any) -> dict[Job, Made]:
    """Lay every job out; several at once in worker processes, one per core."""
    if len(jobs) == 1:
        return {jobs[0]: make(book_dir, jobs[0], paper, book)}
    from psoas_print import typesetter
    from psoas_print.products.parts import worker_context
    from psoas_print.workers import WorkerPool

    typesetter.dismiss()  # the workers need both cores
    workers = min(len(jobs), os.cpu_count() or 1)
    with WorkerPool(max_workers=workers, mp_context=worker_context()) as pool:
        futures = {job: pool.submit(make, book_dir, job, paper) for job in jobs}
        return {job: future.result() for job, future in futures.items()}


def make(book_dir: Path, job: Job, paper: Paper, book: Any = None) -> Made:
    """Lay out one product; a worker process reads the book for itself.

    Figures drawn by earlier builds into the same folder are read back, even when forced:
    each is named by a digest of everything that makes it, so it is never stale.
    """
    from psoas_print import figures

    drawings = job.target.parent / figures.KEPT
    figures.read_drawings_from(drawings)
    made = _make(book_dir, job, paper, book, drawings)
    return replace(made, drawn={**made.drawn, **figures.new_drawings()})


def _make(book_dir: Path, job: Job, paper: Paper, book: Any, drawings: Path | None) -> Made:
    from psoas_print.content import load_book

    started = time.perf_counter()
    book = book or load_book(book_dir)
    sources = Sources(book.root)
    if job.product == "epub":
        from psoas_print.products.epub import build_epub

        epub = build_epub(book, sources)
        return Made(epub.data, epub.documents, None, {"epub": True}, time.perf_counter() - started)
    if job.product == "ebook" and _in_parts(job, book):
        return _make_in_parts(book_dir, book, job, paper, sources, drawings, started)
    if job.product == "ebook":
        return _make_ebook(book, job, paper, sources, started)
    from psoas_print.products.cheatsheet import build_cheatsheet
    from psoas_print.typesetter import Renderer, tagged_pdf

    rendered = build_cheatsheet(book, Renderer(sources), paper, job.routine)
    data = tagged_pdf(rendered.document, job.pdf_variant)
    pages = len(rendered.document.pages)
    return Made(data, pages, rendered.html, rendered.notes, time.perf_counter() - started)


def _make_ebook(book: Any, job: Job, paper: Paper, sources: Sources, started: float) -> Made:
    """The ebook in one render: its HTML made here, laid out by the typesetter."""
    from psoas_print.products import layout_path
    from psoas_print.products.ebook import TEMPLATE, ebook_html, spilled_exercises
    from psoas_print.typesetter import typeset

    trim = job.trim or paper
    html = ebook_html(book, sources, trim, sample=job.sample, printing=job.printing)
    laid = typeset(html, sources, layout_path(TEMPLATE), job.pdf_variant)
    warnings = tuple(spilled_exercises(book, laid.anchors, trim))
    seconds = time.perf_counter() - started
    return Made(laid.data, laid.pages, html, {}, seconds, warnings=warnings)


LONG_BOOK_EXERCISES = 60  # beyond this, an ebook is laid out in parts on every core


def _in_parts(job: Job, book: Any) -> bool:
    """Long books go in parts; a sample edition or a tagged variant is laid out whole."""
    if job.sample or job.pdf_variant:
        return False
    if job.parts is not None:
        return job.parts > 1
    return len(book.exercises) > LONG_BOOK_EXERCISES


def _make_in_parts(
    book_dir: Path,
    book: Any,
    job: Job,
    paper: Paper,
    sources: Sources,
    drawings: Path | None,
    started: float,
) -> Made:
    from psoas_print import typesetter
    from psoas_print.products.ebook import ebook_html, spilled_exercises
    from psoas_print.products.parts import Settings, build_in_portions

    typesetter.dismiss()  # the portions' workers need both cores
    trim = job.trim or paper
    settings = Settings(book_dir.resolve(), trim, job.sample, job.printing, drawings)
    joined = build_in_portions(book, settings, job.parts)
    # The HTML a single render would lay out, for the plain weasyprint command to compare.
    html = ebook_html(book, sources, trim, printing=job.printing) if job.html_target else None
    seconds = time.perf_counter() - started
    warnings = tuple(spilled_exercises(book, joined.anchors, trim))
    notes = {"parts": joined.portions}
    return Made(joined.data, joined.pages, html, notes, seconds, joined.drawn, warnings)


def _write(job: Job, made: Made, book_root: Path) -> None:
    from psoas_print.htmlexport import prepare_export, write_export

    # The export is worked out in full first: a file it cannot use fails the job unwritten.
    export = None
    if job.html_target is not None and made.html is not None:
        export = prepare_export(made.html, job.html_target, Sources(book_root))
    write_atomically(job.target, lambda stream: stream.write(made.data))
    if export is not None:
        write_export(export)


def _job_outputs(jobs: list[Job]) -> list[Path]:
    """Every file and folder the jobs write: the products, any exported HTML with its
    NAME_files folder, and the tool's own folder beside them."""
    from psoas_print.cache import STATE

    outputs = []
    for job in jobs:
        outputs += [job.target, job.target.parent / STATE]
        if job.html_target is not None:
            html = job.html_target
            outputs += [html, html.with_name(f"{html.stem}_files")]
    return outputs


def _check_targets(jobs: list[Job]) -> None:
    for job in jobs:
        for target in (job.target, job.html_target):
            if target is not None and target.is_dir():
                raise BookError.at(target, None, "is a folder; give a file name for the output")


@dataclass(frozen=True)
class HandoutJob:
    """Handouts to make: one file, or with ``split`` one file per student in ``target``."""

    options: Any  # products.handout.HandoutOptions
    target: Path
    per_sheet: int = 1
    roster: Path | None = None
    split: bool = False


def build_handouts(
    book_dir: Path, job: HandoutJob, paper: Paper | None, progress: Progress
) -> tuple[list[Result], tuple[Problem, ...]]:
    """Lay the handout out once, personalise it per student, impose and write it."""
    from psoas_print import figures
    from psoas_print.content import load_book
    from psoas_print.imposition import assemble
    from psoas_print.products.handout import build_handout, check_students, render_names
    from psoas_print.typesetter import Renderer

    _check_handout_targets(job, book_dir)
    progress("Reading the book")
    book = load_book(book_dir)
    sources = Sources(book.root, (job.options.logo,) if job.options.logo else ())
    students = _read_roster(job.roster) if job.roster else []
    check_students(sources, students)  # a name the fonts lack fails before any render
    drawings = (job.target if job.split else job.target.parent) / figures.KEPT
    figures.read_drawings_from(drawings)
    paper = paper or book.info.paper
    renderer = Renderer(sources)
    started = time.perf_counter()
    progress("Laying out the handout")
    with_notes = any(student.notes for student in students)
    handout = build_handout(book, renderer, paper, job.options, with_notes, job.per_sheet)
    base = handout.rendered.document.write_pdf()
    names = None
    if students:
        progress(f"Laying out {len(students)} names")
        names = render_names(book, renderer, paper, handout, students).document.write_pdf()
    # The ebook (for page references), the fitting renders and the page of names.
    renders = 1 + handout.rendered.notes["renders"] + (1 if students else 0)
    made = [
        (target, copies, assemble(base, names, copies, job.per_sheet))
        for target, copies in _handout_outputs(job, students)
    ]
    results = []
    for target, copies, data in made:  # written only once every file is made
        progress(f"Writing {target.name}")
        write_atomically(target, lambda stream, data=data: stream.write(data))
        sheets = -(-len(copies) // job.per_sheet)
        notes = {"renders": renders, "copies": len(copies), "per_sheet": job.per_sheet}
        results.append(Result(target, sheets, len(data), 0.0, notes))
    figures.keep_drawings(drawings, figures.new_drawings())
    seconds = time.perf_counter() - started
    for result in results:
        result.seconds = seconds / len(results)
    return results, book.warnings


def _handout_outputs(job: HandoutJob, students: list[Any]) -> list[tuple[Path, list[int | None]]]:
    """Which copies go into which file."""
    if not students:
        return [(job.target, [None] * job.per_sheet)]
    if not job.split:
        return [(job.target, list(range(len(students))))]
    names = _file_names([student.name for student in students])
    return [
        (job.target / f"handout-{name}.pdf", [index] * job.per_sheet)
        for index, name in enumerate(names)
    ]


def _file_names(names: list[str]) -> list[str]:
    """A safe, distinct file name stem for each student: their name, lower case, with hyphens."""
    import re
    import unicodedata

    stems: list[str] = []
    for name in names:
        letters = unicodedata.normalize("NFC", name).lower()
        stem = re.sub(r"[\W_]+", "-", letters).strip("-") or "student"
        candidate, number = stem, 2
        while candidate in stems:
            candidate, number = f"{stem}-{number}", number + 1
        stems.append(candidate)
    return stems


def _read_roster(path: Path) -> list[Any]:
    from psoas_print.csvfile import Limit, read_csv
    from psoas_print.limits import MAX_ROSTER_ROWS
    from psoas_print.products.handout import Student

    limit = Limit(MAX_ROSTER_ROWS, "students", "make the handouts of each class separately")
    rows = read_csv(path, required=("name",), optional=("notes",), limit=limit)
    return [Student(row["name"], row["notes"], path, row.line) for row in rows]


def _check_handout_targets(job: HandoutJob, book: Path) -> None:
    from psoas_print.cache import STATE

    folder = job.target if job.split else job.target.parent
    inputs = [path for path in (job.roster, job.options.logo) if path is not None]
    check_outputs([job.target, folder / STATE], book, inputs)
    if job.split and job.target.exists() and not job.target.is_dir():
        raise BookError.at(job.target, None, "with --split, -o names a folder for the files")
    if not job.split and job.target.is_dir():
        raise BookError.at(job.target, None, "is a folder; give a file name for the output")
    logo = job.options.logo
    if logo is not None and not logo.is_file():
        raise BookError.at(logo, None, "logo file not found")
    if logo is not None and logo.suffix.lower() not in (".png", ".jpg", ".jpeg", ".svg"):
        raise BookError.at(logo, None, "the logo must be a PNG, JPEG or SVG image")
    if logo is not None and logo.suffix.lower() != ".svg":
        _check_picture(logo)


def _check_picture(path: Path) -> None:
    """A raster picture named on the command line decodes in full, within the pixel limit."""
    from psoas_print.images import ImageProblem, open_image

    try:
        open_image(path)
    except ImageProblem as problem:
        raise BookError.at(path, None, str(problem)) from None
