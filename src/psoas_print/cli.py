"""The command line: options in, one clear line per problem out (exit status 2)."""

from __future__ import annotations

import datetime
import functools
import io
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

# Typer loads pydantic, which would look through every installed package for plugins; the
# tool uses none, and skipping the search keeps start-up short.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

import typer

from psoas_print import __version__
from psoas_print.errors import BookError, Problem, display_path
from psoas_print.resources import default_book

if TYPE_CHECKING:
    from rich.table import Table

app = typer.Typer(
    name="psoas-print",
    help="Turn a folder of exercise content into a fridge-door cheat sheet and an ebook.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def say(text: str) -> None:
    typer.echo(text)


def complain(text: str) -> None:
    typer.echo(text, err=True)


def show(*tables: Table) -> None:
    """Print tables: drawn by rich on a terminal, plain columns when piped or logged.

    Nothing is ever cut short: on a narrow terminal a long cell wraps inside its column,
    and plain columns are as wide as their longest cell, one row to a line, for grep.
    """
    if not sys.stdout.isatty():
        say("\n\n".join(_plain(shown) for shown in tables))
        return
    from rich.console import Console

    Console(highlight=False).print(*tables)


def table(*columns: str, title: str | None = None) -> Table:
    from rich.table import Table

    shown = Table(title=title, title_justify="left")
    for index, column in enumerate(columns):
        # The first column names the row (an id, a file): kept whole while the others wrap.
        # A word too long for its column folds rather than ending in an ellipsis.
        shown.add_column(column, no_wrap=index == 0, overflow="fold")
    return shown


def _plain(shown: Table) -> str:
    headers = tuple(str(column.header) for column in shown.columns)
    cells = [[str(cell) for cell in column.cells] for column in shown.columns]
    rows = list(zip(*cells, strict=True))
    body = _plain_table(headers, rows)
    return f"{shown.title}\n{body}" if shown.title else body


class PaperChoice(StrEnum):
    a4 = "a4"
    letter = "letter"


BookOption = Annotated[
    Path | None,
    typer.Option(
        "--book",
        help="The book folder. Default: ./book when it exists, else the sample book.",
        show_default=False,
    ),
]
PaperOption = Annotated[
    PaperChoice | None,
    typer.Option(
        "--paper", help="Paper size. Default: the book's own setting.", show_default=False
    ),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Render even outputs that are already up to date.")
]
HtmlOption = Annotated[
    Path | None,
    typer.Option("--html", help="Also write the HTML that was laid out, to debug a layout."),
]

Command = TypeVar("Command", bound=Callable[..., Any])


def reports_book_errors(command: Command) -> Command:
    """Print a BookError as one line per problem and exit with status 2; no traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except BookError as error:
            for problem in error.problems:
                complain(str(problem))
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        say(f"psoas-print {__version__}")
        raise typer.Exit()


@app.callback()
def common_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Turn a folder of exercise content into printable PDFs."""


@app.command("build")
@reports_book_errors
def build_command(
    book: BookOption = None,
    out: Annotated[Path, typer.Option("--out", help="Folder for the outputs.")] = Path("dist"),
    paper: PaperOption = None,
    routine: Annotated[
        str | None,
        typer.Option(
            "--routine",
            help="The cheat sheet's routine (a file in routines/). Default: book.yaml's "
            "'cheatsheet', else 'fridge', else the first by file name.",
            show_default=False,
        ),
    ] = None,
    force: ForceOption = False,
) -> None:
    """Build the cheat sheet, the ebook and its EPUB edition into OUT, side by side.

    A book without routines gets no cheat sheet, and the summary says so.
    """
    from psoas_print.build import Job

    jobs = [
        Job("cheatsheet", out / "cheatsheet.pdf", routine=routine, optional=routine is None),
        Job("ebook", out / "ebook.pdf"),
        Job("epub", out / "ebook.epub"),
    ]
    _run(book, jobs, paper, force)


@app.command("cheatsheet")
@reports_book_errors
def cheatsheet_command(
    book: BookOption = None,
    routine: Annotated[
        str | None,
        typer.Option(
            "--routine",
            help="Routine id (a file in routines/). Default: book.yaml's 'cheatsheet', "
            "else 'fridge', else the first by file name.",
            show_default=False,
        ),
    ] = None,
    paper: PaperOption = None,
    output: Annotated[Path, typer.Option("-o", "--output", help="The PDF to write.")] = Path(
        "dist/cheatsheet.pdf"
    ),
    html: HtmlOption = None,
    pdf_variant: VariantOption = None,
    force: ForceOption = False,
) -> None:
    """Make the one-page routine cheat sheet for the fridge door."""
    from psoas_print.build import Job

    job = Job("cheatsheet", output, html, routine, pdf_variant=_variant(pdf_variant))
    _run(book, [job], paper, force)


VariantOption = Annotated[
    str | None,
    typer.Option(
        "--pdf-variant", help="pdf/ua-1 (accessible) or pdf/a-3b (archival).", show_default=False
    ),
]
PDF_VARIANTS = ("pdf/ua-1", "pdf/a-3b")


@app.command("ebook")
@reports_book_errors
def ebook_command(
    book: BookOption = None,
    paper: PaperOption = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="The PDF to write.", show_default=False)
    ] = None,
    html: HtmlOption = None,
    sample: Annotated[
        bool,
        typer.Option(
            "--sample",
            help="The free sample edition: only chapters and exercises marked 'sample: true'.",
        ),
    ] = False,
    for_print: Annotated[
        bool, typer.Option("--print", help="Print-ready: trim size, bleed, crop marks on request.")
    ] = False,
    trim: Annotated[
        str, typer.Option("--trim", help="With --print: 6x9in, 5.5x8.5in, a5, a4 or letter.")
    ] = "6x9in",
    bleed: Annotated[
        str, typer.Option("--bleed", help="With --print: bleed, in mm or in.")
    ] = "3mm",
    marks: Annotated[bool, typer.Option("--marks", help="With --print: crop marks.")] = False,
    pdf_variant: VariantOption = None,
    parts: Annotated[
        int | None,
        typer.Option(
            "--parts", min=1, help="Lay out in this many parts on every core (default: by length)."
        ),
    ] = None,
    force: ForceOption = False,
) -> None:
    """Make the full illustrated ebook, its sample edition, or its print-ready PDF."""
    from psoas_print.build import Job
    from psoas_print.geometry import TRIMS
    from psoas_print.products.ebook import PrintSetup

    printing = None
    if for_print:
        if trim not in TRIMS:
            raise BookError.at(
                Path("--trim"), None, f"must be one of {', '.join(TRIMS)}, not '{trim}'"
            )
        printing = PrintSetup(bleed_mm=_length_mm("--bleed", bleed), marks=marks)
    name = "ebook-sample" if sample else "ebook-print" if for_print else "ebook"
    target = output or Path("dist") / f"{name}.pdf"
    job = Job(
        "ebook", target, html, sample=sample, trim=trim if for_print else None,
        printing=printing, pdf_variant=_variant(pdf_variant), parts=parts,
    )  # fmt: skip
    _run(book, [job], paper, force)


@app.command("epub")
@reports_book_errors
def epub_command(
    book: BookOption = None,
    output: Annotated[Path, typer.Option("-o", "--output", help="The EPUB to write.")] = Path(
        "dist/ebook.epub"
    ),
    force: ForceOption = False,
) -> None:
    """Make the EPUB 3 edition of the ebook, for ebook stores and readers."""
    from psoas_print.build import Job

    _run(book, [Job("epub", output)], None, force)


@app.command("handout")
@reports_book_errors
def handout_command(
    routine: Annotated[str, typer.Option("--routine", help="Routine id (a file in routines/).")],
    book: BookOption = None,
    class_name: Annotated[str, typer.Option("--class-name", help="The class's name.")] = "",
    instructor: Annotated[str, typer.Option("--instructor", help="Who teaches it.")] = "",
    date: Annotated[str | None, typer.Option("--date", help="The class date, YYYY-MM-DD.")] = None,
    logo: Annotated[Path | None, typer.Option("--logo", help="A PNG, JPEG or SVG logo.")] = None,
    qr: Annotated[str | None, typer.Option("--qr", help="A link to print as a QR code.")] = None,
    notes: Annotated[str, typer.Option("--notes", help="Notes printed for everyone.")] = "",
    per_sheet: Annotated[
        int, typer.Option("--per-sheet", help="Copies on one sheet: 1, 2 or 4, with cut marks.")
    ] = 1,
    roster: Annotated[
        Path | None,
        typer.Option("--roster", help="CSV with a 'name' (and optional 'notes') column."),
    ] = None,
    split: Annotated[
        bool, typer.Option("--split", help="With --roster: one file per student in -o DIR.")
    ] = False,
    paper: PaperOption = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="The PDF, or the folder with --split."),
    ] = None,
) -> None:
    """Make a class handout: header, exercises, a two-week log and notes; one per student."""
    from psoas_print.build import HandoutJob, build_handouts
    from psoas_print.products.handout import HandoutOptions

    if per_sheet not in (1, 2, 4):
        raise BookError.at(Path("--per-sheet"), None, f"must be 1, 2 or 4, not {per_sheet}")
    if split and roster is None:
        raise BookError.at(Path("--split"), None, "needs --roster: one file per student")
    options = HandoutOptions(
        routine=routine, class_name=class_name, instructor=instructor, date=_date(date),
        logo=logo, qr=_url(qr), notes=notes,
    )  # fmt: skip
    target = output or Path("dist/handouts" if split else "dist/handout.pdf")
    job = HandoutJob(options, target, per_sheet, roster, split)
    started = time.perf_counter()
    with _status() as progress:
        results, warnings = build_handouts(
            book or default_book(), job, paper.value if paper else None, progress
        )
    _print_warnings(warnings)
    _print_summary(results, started)


@app.command("stamp")
@reports_book_errors
def stamp_command(
    ebook: Annotated[Path, typer.Argument(help="The finished ebook PDF.", show_default=False)],
    buyers: Annotated[
        Path, typer.Option("--buyers", help="CSV with name, email and order columns.")
    ],
    out: Annotated[Path, typer.Option("--out", help="Folder for the copies.")] = Path(
        "dist/licensed"
    ),
    force: Annotated[
        bool, typer.Option("--force", help="Replace copies already in the --out folder.")
    ] = False,
) -> None:
    """Make one licensed copy of a finished ebook per buyer, stamped on every page.

    A copy already in the --out folder is an error unless --force replaces it.
    """
    import pikepdf

    from psoas_print import stamp
    from psoas_print.output import check_outputs, write_bytes

    book = stamp.read_book(ebook)
    people = stamp.read_buyers(buyers)
    targets = [out / name for name in stamp.copy_names(ebook, people)]
    check_outputs([out, *targets], default_book(), inputs=[ebook, buyers])
    if not force:
        stamp.refuse_existing(targets)
    size = stamp.page_size(book, ebook)  # a PDF that cannot be stamped fails here
    started = time.perf_counter()
    with _status() as progress:
        progress(f"Laying out {len(people)} licence lines")
        lines = stamp.stamp_lines(people, buyers, size)
        copies_started = time.perf_counter()
        with pikepdf.open(io.BytesIO(lines)) as line_pages:
            for index, (buyer, target) in enumerate(zip(people, targets, strict=True)):
                progress(f"Stamping {target.name}")
                data = stamp.stamped_copy(book, line_pages, index, buyer.licence)
                write_bytes(target, data)
    copies_seconds = time.perf_counter() - copies_started
    rate = len(people) / copies_seconds if copies_seconds else float("inf")
    say(
        f"{len(people)} licensed copies in {display_path(out)}: {rate:.0f} copies a second "
        f"({time.perf_counter() - started:.1f} s with the licence lines)."
    )


@app.command("figures")
@reports_book_errors
def figures_command(
    book: BookOption = None,
    out: Annotated[Path, typer.Option("--out", help="Folder for the SVG files.")] = Path(
        "dist/figures"
    ),
) -> None:
    """Write every exercise's generated figure as a standalone SVG, for review or reuse."""
    from psoas_print.content import load_book
    from psoas_print.figures import alt_text, svg_for
    from psoas_print.output import check_outputs, write_text

    check_outputs([out], book or default_book())
    loaded = load_book(book or default_book())
    _print_warnings(loaded.warnings)
    shown = table("file", "size", "shows")
    for exercise in loaded.exercises.values():
        if exercise.pose is None:
            shown.add_row("", "", f"{exercise.id}: no pose description")
            continue
        target = out / f"{exercise.id}.svg"
        write_text(target, svg_for(exercise))
        shown.add_row(display_path(target), _size(target.stat().st_size), alt_text(exercise))
    show(shown)


@app.command("check")
@reports_book_errors
def check_command(book: BookOption = None) -> None:
    """Check the book's content and report every problem found."""
    from psoas_print.content import load_book

    loaded = load_book(book or default_book())
    _print_warnings(loaded.warnings)
    say(
        f"{display_path(loaded.root)}: {len(loaded.chapters)} chapters, "
        f"{len(loaded.exercises)} exercises, {len(loaded.routines)} routines; no problems found"
    )
    routine = loaded.cheatsheet_routine()
    if routine is None:
        say("No routine, so 'build' makes no cheat sheet: add one to routines/.")
    else:
        say(f"The cheat sheet shows the routine '{routine.id}' ({display_path(routine.source)}).")


@app.command("list")
@reports_book_errors
def list_command(book: BookOption = None) -> None:
    """List the book's exercises and routines."""
    from psoas_print.content import load_book

    loaded = load_book(book or default_book())
    exercises = table("id", "name", "level", "dose", title="Exercises")
    for exercise in loaded.exercises.values():
        exercises.add_row(exercise.id, exercise.name, exercise.level, exercise.dose.summary())
    routines = table("id", "title", "exercises", title="Routines")
    for routine in loaded.routines.values():
        routines.add_row(routine.id, routine.title, ", ".join(i.exercise.id for i in routine.items))
    show(exercises, routines)


def _run(book: Path | None, jobs: list[Any], paper: PaperChoice | None, force: bool) -> None:
    from psoas_print.build import build

    started = time.perf_counter()
    with _status() as progress:
        results, warnings = build(
            book or default_book(), jobs, paper.value if paper else None, progress, force
        )
    _print_warnings(warnings)
    _print_summary(results, started)


def _print_summary(results: list[Any], started: float) -> None:
    columns = ("file", "pages", "size", "seconds", "notes")
    rows = [_summary_row(result) for result in results]
    if sys.stdout.isatty():
        summary = table(*columns)
        for row in rows:
            summary.add_row(*row)
        show(summary)
    else:  # a log or a pipe: plain columns, and rich is not even loaded
        say(_plain_table(columns, rows))
    say(f"Done in {time.perf_counter() - started:.1f} s.")


def _summary_row(result: Any) -> tuple[str, ...]:
    notes = ""
    if "copies" in result.notes:
        copies = result.notes["copies"]
        notes = (
            f"{copies} {'copy' if copies == 1 else 'copies'}, "
            f"{result.notes['per_sheet']} per sheet, {result.notes['renders']} renders"
        )
    elif "skipped" in result.notes:
        return (display_path(result.target), "-", "-", "-", f"skipped: {result.notes['skipped']}")
    elif "parts" in result.notes:
        notes = f"laid out in {result.notes['parts']} parts"
    elif result.notes.get("up_to_date"):
        notes = "up to date"
    elif "epub" in result.notes:
        notes = f"EPUB 3, {result.pages} documents"
    elif "renders" in result.notes:
        notes = f"fitted in {result.notes['renders']} renders at scale {result.notes['scale']}"
    return (
        display_path(result.target),
        str(result.pages),
        _size(result.size),
        f"{result.seconds:.1f}",
        notes,
    )


def _plain_table(columns: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(line[i]) for line in (columns, *rows)) for i in range(len(columns))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True))
        for line in (columns, *rows)
    ]
    return "\n".join(line.rstrip() for line in lines)


@contextmanager
def _status() -> Iterator[Callable[[str], None]]:
    """A live progress line on a terminal; silent (and rich not even loaded) when piped."""
    if not sys.stderr.isatty():
        yield lambda message: None
        return
    from rich.console import Console

    with Console(stderr=True).status("Starting") as status:
        yield lambda message: status.update(f"{message}…")


def _date(text: str | None) -> datetime.date | None:
    if text is None:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise BookError.at(Path("--date"), None, f"expected YYYY-MM-DD, got '{text}'") from None


def _variant(text: str | None) -> str | None:
    if text is not None and text not in PDF_VARIANTS:
        raise BookError.at(
            Path("--pdf-variant"), None, f"must be {' or '.join(PDF_VARIANTS)}, not '{text}'"
        )
    return text


def _length_mm(option: str, text: str) -> float:
    """A length such as 3mm, 0.125in or 3 (millimetres)."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(mm|in)?\s*", text)
    if not match or float(match[1]) > 25:
        raise BookError.at(
            Path(option), None, f"expected a length such as 3mm or 0.125in, got '{text}'"
        )
    return float(match[1]) * (25.4 if match[2] == "in" else 1)


def _url(text: str | None) -> str | None:
    if text is not None and not re.match(r"^https?://\S+$", text):
        raise BookError.at(
            Path("--qr"), None, f"expected a link starting http:// or https://, got '{text}'"
        )
    return text


def _print_warnings(warnings: tuple[Problem, ...]) -> None:
    for warning in warnings:
        where, _, message = str(warning).partition(": ")
        complain(f"{where}: warning: {message}")


def _size(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"
