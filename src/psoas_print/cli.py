"""The command line: options in, one clear line per problem out (exit status 2).

Each command turns its options into jobs for the runner (runner/build.py) and shows what
came back (console.py); nothing here lays out or writes a product itself.
"""

from __future__ import annotations

import datetime
import functools
import os
import re
import time
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

# Typer loads pydantic, which would look through every installed package for plugins; the
# tool uses none, and skipping the search keeps start-up short.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

import typer

from psoas_print.book.clinic import Clinic
from psoas_print.book.labels import LANGUAGE_TAG
from psoas_print.book.model import Book, Exercise, Paper
from psoas_print.check_report import CheckFormat, report
from psoas_print.console import (
    complain,
    file_row,
    print_summary,
    print_warnings,
    say,
    show,
    status,
    table,
)
from psoas_print.errors import BookError, Problem, display_path
from psoas_print.figures.describe import alt_text
from psoas_print.figures.store import FigureStore
from psoas_print.figures.style import Style
from psoas_print.language.catalogues import words_for
from psoas_print.language.phrases import dose_summary
from psoas_print.language.words import Words
from psoas_print.layout.geometry import PdfVariant, Trim
from psoas_print.output import check_outputs, write_text
from psoas_print.pdf.services import SERVICES, Service
from psoas_print.products.settings import (
    CheatsheetSettings,
    CoverSettings,
    EbookSettings,
    EpubSettings,
    HandoutOptions,
    HandoutSettings,
    LicensedSettings,
    PrintSetup,
    ProductName,
    ProgrammeSettings,
    read_buyers,
    read_roster,
)
from psoas_print.runner.jobs import Job
from psoas_print.runner.reading import EditionReader, read_book
from psoas_print.shipped import default_book
from psoas_print.version import __version__

if TYPE_CHECKING:
    from psoas_print.book.programmes import Client
    from psoas_print.pdf.preflight import Finding

ENGLISH_WORDS = Words("en")  # what check and list say, to the author, is in English
app = typer.Typer(
    name="psoas-print",
    help="Turn a folder of exercise content into a fridge-door cheat sheet and an ebook.",
    add_completion=True,  # --install-completion and --show-completion, per shell
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


class PaperChoice(StrEnum):
    a4 = "a4"
    letter = "letter"


class StartingPosition(StrEnum):
    SUPINE = "supine"
    PRONE = "prone"
    SIDE_LYING = "side-lying"
    SEATED = "seated"
    KNEELING = "kneeling"
    ALL_FOURS = "all-fours"
    STANDING = "standing"


class PresetChoice(StrEnum):
    kdp = "kdp"
    ingramspark = "ingramspark"
    generic = "generic"


class InkChoice(StrEnum):
    black = "black"
    color = "color"


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
# What a handout and a client's programme share at their head, and where they go.
LogoOption = Annotated[Path | None, typer.Option("--logo", help="A PNG, JPEG or SVG logo.")]
QrOption = Annotated[str | None, typer.Option("--qr", help="A link to print as a QR code.")]
ClinicOption = Annotated[
    str | None, typer.Option("--clinic", help="The clinic's or class's name.", show_default=False)
]
ClinicFileOption = Annotated[
    Path | None,
    typer.Option(
        "--clinic-file",
        help="clinic.yaml: the clinic's name, logo and accent colour (options override it).",
    ),
]
AccentOption = Annotated[
    str | None,
    typer.Option("--accent", help="Accent colour, #rrggbb, dark enough to read on white."),
]
SplitOutputOption = Annotated[
    Path | None, typer.Option("-o", "--output", help="The PDF, or the folder with --split.")
]


def _branding(
    clinic_file: Path | None, name: str | None, logo: Path | None, accent: str | None
) -> Clinic:
    """The clinic's branding: clinic.yaml's, each option given over it."""
    from psoas_print.book.clinic import checked_accent, read_clinic

    colour = checked_accent(accent, Path("--accent"))
    brand = read_clinic(clinic_file) if clinic_file is not None else Clinic()
    return Clinic(brand.name if name is None else name, logo or brand.logo, colour or brand.accent)


def _language_or_all(tag: str | None) -> str | None:
    return tag if tag == "all" else _language(tag)


def _language(tag: str | None) -> str | None:
    if tag is not None and not LANGUAGE_TAG.match(tag):
        raise typer.BadParameter(f"'{tag}' is not a language tag, such as de or en-GB")
    return tag.replace("_", "-") if tag else None


LangOption = Annotated[
    str | None,
    typer.Option(
        "--lang",
        help="The language of the labels: en, en-GB, de, fr, es, it, nl, pl, pt, or one the "
        "book has a catalogue for in locale/. Default: book.yaml's language.",
        show_default=False,
        callback=_language,
    ),
]
HtmlOption = Annotated[
    Path | None,
    typer.Option("--html", help="Also write the HTML that was laid out, to debug a layout."),
]

Arguments = ParamSpec("Arguments")
Returned = TypeVar("Returned")


def reports_book_errors(command: Callable[Arguments, Returned]) -> Callable[Arguments, Returned]:
    """Print a BookError as one line per problem and exit with status 2; no traceback."""

    @functools.wraps(command)
    def wrapper(*args: Arguments.args, **kwargs: Arguments.kwargs) -> Returned:
        try:
            return command(*args, **kwargs)
        except BookError as error:
            for problem in error.problems:
                complain(str(problem))
            raise typer.Exit(2) from None

    return wrapper


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
    context: typer.Context,
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
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            help="An edition: de writes the German one into OUT/de/ (from translations/de/, "
            "or the book's words with German labels); all writes every language the book "
            "has. Default: the book's own, into OUT.",
            show_default=False,
            callback=_language_or_all,
        ),
    ] = None,
    force: ForceOption = False,
) -> None:
    """Build the cheat sheet, the ebook and its EPUB edition into OUT, side by side.

    A book without routines gets no cheat sheet, and the summary says so.
    """
    from psoas_print.book import translations

    page = _paper(paper)
    folder = book or default_book()
    # Every language: the book's own (read, and handed on to be read once), and each
    # translation's.
    own = read_book(folder) if lang == "all" else None
    editions = [lang] if own is None else translations.editions(folder, own.info.language)
    jobs = []
    for language in editions:
        into = out / language if language else out
        sheet = CheatsheetSettings(routine, page, optional=routine is None, language=language)
        jobs += [
            Job(ProductName.CHEATSHEET, sheet, into / "cheatsheet.pdf"),
            Job(
                ProductName.EBOOK, EbookSettings(paper=page, language=language), into / "ebook.pdf"
            ),
            Job(ProductName.EPUB, EpubSettings(language=language), into / "ebook.epub"),
        ]
    _run(context, folder, jobs, force, own)


VariantOption = Annotated[
    PdfVariant | None,
    typer.Option(
        "--pdf-variant", help="pdf/ua-1 (accessible) or pdf/a-3b (archival).", show_default=False
    ),
]


@app.command("cheatsheet")
@reports_book_errors
def cheatsheet_command(
    context: typer.Context,
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
    lang: LangOption = None,
    force: ForceOption = False,
) -> None:
    """Make the one-page routine cheat sheet for the fridge door."""
    settings = CheatsheetSettings(routine, _paper(paper), pdf_variant, language=lang)
    _run(context, book, [Job(ProductName.CHEATSHEET, settings, output, html)], force)


@app.command("ebook")
@reports_book_errors
def ebook_command(
    context: typer.Context,
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
        Trim, typer.Option("--trim", help="With --print: the trim size.")
    ] = Trim.SIX_BY_NINE,
    bleed: Annotated[
        str, typer.Option("--bleed", help="With --print: bleed, in mm or in.")
    ] = "3mm",
    marks: Annotated[bool, typer.Option("--marks", help="With --print: crop marks.")] = False,
    preset: Annotated[
        PresetChoice | None,
        typer.Option(
            "--preset",
            help="With --print: a print-on-demand service's rules (kdp, ingramspark); the "
            "file is then checked as its upload would check it.",
            show_default=False,
        ),
    ] = None,
    ink: Annotated[
        InkChoice | None,
        typer.Option(
            "--ink",
            help="With --print: black (default with a service's preset) or color.",
            show_default=False,
        ),
    ] = None,
    pdf_variant: VariantOption = None,
    parts: Annotated[
        int | None,
        typer.Option(
            "--parts", min=1, help="Lay out in this many parts on every core (default: by length)."
        ),
    ] = None,
    lang: LangOption = None,
    force: ForceOption = False,
) -> None:
    """Make the full illustrated ebook, its sample edition, or its print-ready PDF."""
    printing = _print_setup(bleed, marks, preset, ink) if for_print else None
    name = "ebook-sample" if sample else "ebook-print" if for_print else "ebook"
    target = output or Path("dist") / f"{name}.pdf"
    settings = EbookSettings(
        _paper(paper), sample, trim if for_print else None, printing, pdf_variant, parts,
        keep_html=html is not None, language=lang,
    )  # fmt: skip
    _run(context, book, [Job(ProductName.EBOOK, settings, target, html)], force)
    if printing is not None and printing.for_service:
        _verdict(target, SERVICES[printing.preset], printing.ink)


def _print_setup(
    bleed: str, marks: bool, preset: PresetChoice | None, ink: InkChoice | None
) -> PrintSetup:
    """The print edition's setup: a service's preset sets its bleed and takes no marks."""
    if preset is None or preset is PresetChoice.generic:
        chosen = ink.value if ink is not None else "color"
        return PrintSetup(_length_mm("--bleed", bleed), marks, "generic", chosen)
    service = SERVICES[preset.value]
    if marks:
        raise BookError.at(Path("--marks"), None, f"{service.name} takes no printer's marks")
    return PrintSetup.for_preset(preset.value, ink.value if ink is not None else "black")


def _verdict(target: Path, service: Service, ink: str) -> None:
    """Check the file just written as the service's upload would; exit 1 if it fails."""
    from psoas_print.pdf.preflight import preflight

    findings = preflight(target.read_bytes(), service, "black" if ink == "black" else "color")
    _say_verdict(target, service, findings)


def _cover_verdict(target: Path, service: Service, stock: str) -> None:
    """Check the cover just written as the service's upload would; exit 1 if it fails."""
    from psoas_print.pdf.cover_preflight import preflight_cover

    findings, _ = preflight_cover(target.read_bytes(), service, stock)
    _say_verdict(target, service, findings)


def _say_verdict(target: Path, service: Service, findings: Sequence[Finding]) -> None:
    if not findings:
        say(f"{display_path(target)} passes {service.name}'s checks.")
        return
    for finding in findings:
        page = f" page {finding.page}:" if finding.page is not None else ""
        complain(f"{display_path(target)}:{page} {finding.check}: {finding.message}")
    say(f"{_problems(len(findings))}: {service.name} would reject {display_path(target)}.")
    raise typer.Exit(1)


def _problems(count: int) -> str:
    return f"{count} problem" if count == 1 else f"{count} problems"


class StockChoice(StrEnum):
    white = "white"
    cream = "cream"
    color = "color"


@app.command("cover")
@reports_book_errors
def cover_command(
    context: typer.Context,
    book: BookOption = None,
    preset: Annotated[
        PresetChoice, typer.Option("--preset", help="The print-on-demand service.")
    ] = PresetChoice.kdp,
    stock: Annotated[
        StockChoice,
        typer.Option("--paper", help="The interior's paper: its thickness sets the spine."),
    ] = StockChoice.white,
    trim: Annotated[Trim, typer.Option("--trim", help="The trim size.")] = Trim.SIX_BY_NINE,
    output: Annotated[Path, typer.Option("-o", "--output", help="The PDF to write.")] = Path(
        "dist/cover.pdf"
    ),
    picture: Annotated[
        Path, typer.Option("--picture", help="The shops' cover picture to write (JPEG).")
    ] = Path("dist/cover.jpg"),
    lang: LangOption = None,
    force: ForceOption = False,
) -> None:
    """Make the full-wrap print cover (back, spine, front) sized from the interior's pages,
    and the ebook shops' cover picture (1600 x 2560 px)."""
    settings = CoverSettings(preset.value, stock.value, trim, language=lang)
    jobs = [
        Job(ProductName.COVER, settings, output),
        Job(ProductName.COVER_PICTURE, settings, picture),
    ]
    _run(context, book, jobs, force)
    _cover_verdict(output, SERVICES[preset.value], stock.value)


@app.command("epub")
@reports_book_errors
def epub_command(
    context: typer.Context,
    book: BookOption = None,
    output: Annotated[Path, typer.Option("-o", "--output", help="The EPUB to write.")] = Path(
        "dist/ebook.epub"
    ),
    lang: LangOption = None,
    force: ForceOption = False,
) -> None:
    """Make the EPUB 3 edition of the ebook, for ebook stores and readers."""
    _run(context, book, [Job(ProductName.EPUB, EpubSettings(language=lang), output)], force)


@app.command("handout")
@reports_book_errors
def handout_command(
    context: typer.Context,
    routine: Annotated[str, typer.Option("--routine", help="Routine id (a file in routines/).")],
    book: BookOption = None,
    class_name: Annotated[str, typer.Option("--class-name", help="The class's name.")] = "",
    instructor: Annotated[str, typer.Option("--instructor", help="Who teaches it.")] = "",
    date: Annotated[str | None, typer.Option("--date", help="The class date, YYYY-MM-DD.")] = None,
    clinic_file: ClinicFileOption = None,
    clinic: ClinicOption = None,
    logo: LogoOption = None,
    accent: AccentOption = None,
    qr: QrOption = None,
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
    ebook_paper: Annotated[
        PaperChoice | None,
        typer.Option(
            "--ebook-paper",
            help="The paper of the ebook whose pages the handout cites. Default: the book's own.",
            show_default=False,
        ),
    ] = None,
    output: SplitOutputOption = None,
    lang: LangOption = None,
    force: ForceOption = False,
) -> None:
    """Make a class handout: header, exercises, a two-week log and notes; one per student."""
    if per_sheet not in (1, 2, 4):
        raise BookError.at(Path("--per-sheet"), None, f"must be 1, 2 or 4, not {per_sheet}")
    if split and roster is None:
        raise BookError.at(Path("--split"), None, "needs --roster: one file per student")
    brand = _branding(clinic_file, clinic, logo, accent)
    options = HandoutOptions(
        routine=routine, class_name=class_name, instructor=instructor, clinic=brand.name,
        accent=brand.accent, date=_date(date), logo=brand.logo, qr=_url(qr), notes=notes,
        ebook_paper=_paper(ebook_paper),
    )  # fmt: skip
    students = read_roster(roster) if roster is not None else ()
    settings = HandoutSettings(
        options, per_sheet, roster, students, split, _paper(paper), language=lang
    )
    target = output or Path("dist/handouts" if split else "dist/handout.pdf")
    _run(context, book, [Job(ProductName.HANDOUT, settings, target)], force)


@app.command("programme")
@reports_book_errors
def programme_command(
    context: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Programme files: YAML (one client or many) or CSV.", show_default=False
        ),
    ],
    book: BookOption = None,
    week: Annotated[
        int | None,
        typer.Option("--week", help="Print this week of every programme (from 1).", min=1),
    ] = None,
    on: Annotated[
        str | None,
        typer.Option(
            "--on", help="Print the week each client is in on this day, YYYY-MM-DD. Default: today."
        ),
    ] = None,
    clinic_file: ClinicFileOption = None,
    clinic: ClinicOption = None,
    clinician: Annotated[str, typer.Option("--clinician", help="Who prescribes.")] = "",
    logo: LogoOption = None,
    accent: AccentOption = None,
    qr: QrOption = None,
    per_sheet: Annotated[
        int, typer.Option("--per-sheet", help="2: two half sheets on each sheet, to cut apart.")
    ] = 1,
    split: Annotated[
        bool, typer.Option("--split", help="One file per client in -o DIR, named by client id.")
    ] = False,
    names_in_files: Annotated[
        bool, typer.Option("--names-in-files", help="With --split: name files by name and id.")
    ] = False,
    paper: PaperOption = None,
    output: SplitOutputOption = None,
    force: ForceOption = False,
) -> None:
    """Make each client's programme handout for the week they are in: their exercises and
    doses, the whole progression with this stage marked, and a log of the stage's days."""
    from psoas_print.book.programmes import read_programmes

    if week is not None and on is not None:
        raise BookError.at(Path("--on"), None, "give --week or --on, not both")
    if per_sheet not in (1, 2):
        raise BookError.at(Path("--per-sheet"), None, f"must be 1 or 2, not {per_sheet}")
    if names_in_files and not split:
        raise BookError.at(Path("--names-in-files"), None, "needs --split: one file per client")
    # The day is part of what the handouts are made with: tomorrow's may be another week.
    day = _date(on) or (datetime.date.today() if week is None else None)
    brand = _branding(clinic_file, clinic, logo, accent)
    settings = ProgrammeSettings(
        tuple(files), tuple(read_programmes(files)), week, day, split, names_in_files,
        brand.name, clinician, brand.logo, _url(qr), _paper(paper), brand.accent, per_sheet,
    )  # fmt: skip
    target = output or Path("dist/programmes" if split else "dist/programmes.pdf")
    _run(context, book, [Job(ProductName.PROGRAMME, settings, target)], force)


@app.command("stamp")
@reports_book_errors
def stamp_command(
    context: typer.Context,
    ebook: Annotated[Path, typer.Argument(help="The finished ebook PDF.", show_default=False)],
    buyers: Annotated[
        Path, typer.Option("--buyers", help="CSV with name, email and order columns.")
    ],
    out: Annotated[Path, typer.Option("--out", help="Folder for the copies.")] = Path(
        "dist/licensed"
    ),
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            help="The language of the licence line. Default: the language the ebook is "
            "tagged with.",
            show_default=False,
            callback=_language,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace copies already in the --out folder.")
    ] = False,
) -> None:
    """Make one licensed copy of a finished ebook per buyer, stamped on every page.

    A copy already in the --out folder is an error unless --force replaces it.
    """
    settings = LicensedSettings(ebook, buyers, tuple(read_buyers(buyers)), language=lang)
    job = Job(ProductName.LICENSED, settings, out)
    _run(context, default_book(), [job], force)


@app.command("figures")
@reports_book_errors
def figures_command(
    book: BookOption = None,
    out: Annotated[Path, typer.Option("--out", help="Folder for the SVG files.")] = Path(
        "dist/figures"
    ),
    only: Annotated[
        str | None,
        typer.Option(
            "--only",
            help="Draw just this exercise's figure (its id), to adjust a pose.",
            show_default=False,
        ),
    ] = None,
    lang: LangOption = None,
) -> None:
    """Write every exercise's generated figure as a standalone SVG, for review or reuse."""
    folder = book or default_book()
    check_outputs([out], folder)
    # The book in ``lang`` (its translation, where it has one): the figures' alt text.
    loaded = EditionReader(folder)(lang)
    print_warnings(loaded.warnings)
    words = words_for(loaded, lang)
    exercises = list(loaded.exercises.values())
    if only is not None:
        exercises = [_posed_exercise(loaded, only)]
    store = FigureStore()
    shown = table("file", "size", "shows")
    for exercise in exercises:
        if exercise.pose is None:
            shown.add_row("", "", f"{exercise.id}: no pose description")
            continue
        target = out / f"{exercise.id}.svg"
        write_text(target, store.svg(exercise, Style(), words))
        shown.add_row(*file_row(target, alt_text(exercise, words)))
    show(shown)


def _posed_exercise(book: Book, exercise_id: str) -> Exercise:
    """The exercise ``--only`` names, which must have a pose to draw."""
    exercise = book.exercises.get(exercise_id)
    if exercise is None:
        known = ", ".join(sorted(book.exercises)) or "none"
        raise BookError.at(
            book.root / "exercises", None, f"no exercise '{exercise_id}' (exercises: {known})"
        )
    if exercise.pose is None:
        raise BookError.at(exercise.source, None, "this exercise has no pose to draw")
    return exercise


@app.command("preflight")
@reports_book_errors
def preflight_command(
    pdf: Annotated[
        Path, typer.Argument(help="The interior or cover PDF to check.", show_default=False)
    ],
    preset: Annotated[
        PresetChoice, typer.Option("--preset", help="The print-on-demand service's rules.")
    ] = PresetChoice.kdp,
    ink: Annotated[
        InkChoice, typer.Option("--ink", help="black: a black-and-white interior; color.")
    ] = InkChoice.black,
    stock: Annotated[
        StockChoice, typer.Option("--paper", help="A cover's: the interior's paper.")
    ] = StockChoice.white,
    pages: Annotated[
        int | None,
        typer.Option(
            "--pages", min=1, help="A cover's: the interior's page count.", show_default=False
        ),
    ] = None,
) -> None:
    """Check a PDF as a print-on-demand upload would; exit 1 when it would be rejected.
    A one-page PDF wider than high is checked as a full-wrap cover."""
    from psoas_print.pdf import cover_preflight
    from psoas_print.pdf.preflight import CHECKS, is_cover, preflight, read_pdf_safely

    service = SERVICES[preset.value]
    data = read_pdf_safely(pdf)
    title = f"{display_path(pdf)} for {service.name}"
    if is_cover(data):
        if not service.paper_in:
            raise BookError.at(pdf, None, f"{service.name}'s covers are made from its own template")
        findings, counted = cover_preflight.preflight_cover(data, service, stock.value, pages)
        title += f": a full-wrap cover for {counted} pages on {stock.value} paper"
        checks = cover_preflight.CHECKS
    else:
        findings, checks = preflight(data, service, ink.value), CHECKS
    _show_findings(title, checks, findings)
    if findings:
        say(f"{_problems(len(findings))}: {service.name} would reject this file.")
        raise typer.Exit(1)
    say(f"Passes {service.name}'s checks.")


def _show_findings(title: str, checks: Sequence[str], findings: Sequence[Finding]) -> None:
    shown = table("check", "result", "what", title=title)
    for check in checks:
        found = [finding for finding in findings if finding.check == check]
        if not found:
            shown.add_row(check, "passes", "")
        for finding in found:
            page = f"page {finding.page}: " if finding.page is not None else ""
            shown.add_row(check, "fails", page + finding.message)
    show(shown)


@app.command("check")
@reports_book_errors
def check_command(
    book: BookOption = None,
    form: Annotated[
        CheckFormat,
        typer.Option(
            "--format",
            help="text: a line per problem; json: for editors and scripts; github: "
            "annotations on the files in a GitHub workflow.",
        ),
    ] = CheckFormat.TEXT,
    programmes: Annotated[
        list[Path] | None,
        typer.Option(
            "--programme",
            help="Also check a file of clients' programmes (YAML or CSV) against the book; "
            "give it once per file.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Check the book's content and report every problem found (exit status 2 if any)."""
    folder = book or default_book()
    try:
        loaded = read_book(folder)
        gaps = _translation_gaps(folder, loaded)
        clients = _checked_programmes(loaded, programmes or [])
    except BookError as error:
        if form is CheckFormat.TEXT:
            raise
        say("\n".join(report(error.problems, (), None, form)))
        raise typer.Exit(2) from None
    warnings = loaded.warnings + tuple(gap for each in gaps.values() for gap in each)
    if form is not CheckFormat.TEXT:
        say("\n".join(report([], warnings, loaded, form)))
        return
    print_warnings(warnings)
    say(
        f"{display_path(loaded.root)}: {len(loaded.chapters)} chapters, "
        f"{len(loaded.exercises)} exercises, {len(loaded.routines)} routines; no problems found"
    )
    routine = loaded.cheatsheet_routine()
    if routine is None:
        say("No routine, so 'build' makes no cheat sheet: add one to routines/.")
    else:
        say(f"The cheat sheet shows the routine '{routine.id}' ({display_path(routine.source)}).")
    for language, missing in gaps.items():
        say(f"Translation into '{language}': " + (
            f"{len(missing)} untranslated (listed above)" if missing else "complete"
        ))  # fmt: skip
    if programmes:
        files = ", ".join(display_path(path) for path in programmes)
        count = (
            "1 client's programme" if len(clients) == 1 else f"{len(clients)} clients' programmes"
        )
        say(f"{files}: {count}; no problems found")


def _translation_gaps(folder: Path, own: Book) -> dict[str, list[Problem]]:
    """Each translation's problems (raised, all languages' together) and what it leaves
    untranslated: its warnings that the book's own edition does not have."""
    from psoas_print.book import translations

    gaps: dict[str, list[Problem]] = {}
    problems: list[Problem] = []
    for language in translations.languages(folder):
        try:
            edition = read_book(folder, language)
        except BookError as error:
            problems += error.problems
            continue
        gaps[language] = [w for w in edition.warnings if w not in own.warnings]
    if problems:
        raise BookError(problems)
    return gaps


def _checked_programmes(book: Book, paths: list[Path]) -> list[Client]:
    """The clients of the programme files, each exercise found in the book."""
    from psoas_print.book.programmes import read_programmes

    return read_programmes(paths, book)


@app.command("preview")
@reports_book_errors
def preview_command(
    book: BookOption = None,
    port: Annotated[
        int,
        typer.Option("--port", help="The port on 127.0.0.1 (0: any free one).", min=0, max=65535),
    ] = 8000,
    open_page: Annotated[
        bool, typer.Option("--open", help="Open the preview in the web browser.")
    ] = False,
) -> None:
    """Show the book's pages as they will print, in a web page on this machine, laid out
    again each time a file of the book is saved. Ctrl-C stops it."""
    from psoas_print.preview.live import run_preview

    run_preview(book or default_book(), port, open_page, say)


new_app = typer.Typer(
    help="Start a book, or an exercise in one.", no_args_is_help=True, add_completion=False
)
app.add_typer(new_app, name="new")


@new_app.command("book")
@reports_book_errors
def new_book_command(
    folder: Annotated[Path, typer.Argument(help="The new book's folder: new, or empty.")],
) -> None:
    """Write a small book that builds as it is: book.yaml with every key explained, a
    chapter, two exercises with their poses, a routine, and the JSON Schemas for editors."""
    from psoas_print.runner.starting import new_book

    written = new_book(folder)
    say(f"Wrote {len(written)} files into {display_path(folder)}.")
    say(f"Next: psoas-print preview --book {display_path(folder)} --open")


@new_app.command("exercise")
@reports_book_errors
def new_exercise_command(
    exercise: Annotated[str, typer.Argument(help="Its id: the file name, such as side-plank.")],
    book: BookOption = None,
    position: Annotated[
        StartingPosition, typer.Option("--position", help="The position its pose starts from.")
    ] = StartingPosition.SUPINE,
) -> None:
    """Add exercises/ID.md, its facts to fill in, and figures/ID.yaml, a starting pose for
    its position; never writes over a file."""
    from psoas_print.runner.starting import new_exercise

    folder = book or Path("book")
    for path in new_exercise(folder, exercise, position.value):
        say(f"Wrote {display_path(path)}")
    say(f"List '{exercise}' under 'exercises:' in a chapter to put it in the ebook.")


@app.command("schema")
@reports_book_errors
def schema_command(
    out: Annotated[Path, typer.Option("--out", help="Folder for the schemas.")] = Path("schemas"),
) -> None:
    """Write JSON Schemas of book.yaml, exercise and chapter front matter, routines and
    poses, for editors that check and complete YAML as you type."""
    from psoas_print.runner.schemas import write_schemas

    for path in write_schemas(out):
        say(f"Wrote {display_path(path)}")


@app.command("list")
@reports_book_errors
def list_command(book: BookOption = None) -> None:
    """List the book's exercises and routines."""
    loaded = read_book(book or default_book())
    exercises = table("id", "name", "level", "dose", title="Exercises")
    for exercise in loaded.exercises.values():
        dose = dose_summary(exercise.dose, ENGLISH_WORDS)  # ``list`` speaks to the author
        exercises.add_row(exercise.id, exercise.name, exercise.level, dose)
    routines = table("id", "title", "exercises", title="Routines")
    for routine in loaded.routines.values():
        routines.add_row(routine.id, routine.title, ", ".join(i.exercise.id for i in routine.items))
    show(exercises, routines)


def _run(
    context: typer.Context, book: Path | None, jobs: list[Job], force: bool,
    read: Book | None = None,
) -> None:  # fmt: skip
    """Make the jobs and show the summary (``read``: the book, when it has been read
    already). The context's object is the typesetting process ``__main__`` made ready
    before the command line was parsed, if it did."""
    # The runner brings every product and the libraries they lay out with (Jinja2, segno,
    # fontTools: some 150 ms), which ``check``, ``list`` and ``--help`` do without.
    from psoas_print.runner.build import build

    ready = context.obj  # a layout.ready.ReadyTypesetter, or None
    started = time.perf_counter()
    with status() as progress:
        built = build(book or default_book(), jobs, progress, force, ready, read)
    print_warnings(built.warnings)
    print_summary(built.results, started)


def _paper(choice: PaperChoice | None) -> Paper | None:
    return choice.value if choice is not None else None


def _date(text: str | None) -> datetime.date | None:
    if text is None:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise BookError.at(Path("--date"), None, f"expected YYYY-MM-DD, got '{text}'") from None


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
