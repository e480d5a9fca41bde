"""Class handouts: one page per copy, personalised per student, imposed n-up for copying.

Each copy is laid out at the size it is printed: a whole sheet, half of one (turned a
quarter on the sheet) or a quarter of one, so that four to a sheet still prints text at
7 pt or more. The handout is laid out once; each student's name is laid out with all the
others in a single small render and laid over their copy, so a class of thirty costs
three renders (the ebook for page references, the handout, the names), not thirty.
"""

from __future__ import annotations

import datetime
import functools
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import ClassVar

from fontTools.ttLib import TTFont
from jinja2 import Environment

from psoas_print.book.clinic import accent_shades
from psoas_print.book.glyphs import unprintable
from psoas_print.book.images import ImageProblem, open_image
from psoas_print.book.model import Book, Paper, Routine
from psoas_print.book.sources import Sources
from psoas_print.errors import BookError, Problem
from psoas_print.figures.pictures import figures_for, qr_code
from psoas_print.figures.style import ROBUST, Style
from psoas_print.language.catalogues import words_for
from psoas_print.language.words import Words
from psoas_print.layout.fitting import (
    PX_PER_MM,
    Fitted,
    Measurement,
    TooLong,
    fit_to_one_page,
    measure_once,
)
from psoas_print.layout.geometry import PAPERS
from psoas_print.layout.templates import layout_path, make_environment, render_template
from psoas_print.layout.typesetter import Renderer
from psoas_print.layout.view import Record, common_context, record, routine_view
from psoas_print.output import distinct, file_stem
from psoas_print.pdf.imposition import assemble
from psoas_print.products.cheatsheet import choose_routine
from psoas_print.products.context import BuildContext
from psoas_print.products.parts import folios_of
from psoas_print.products.protocol import (
    BookProduct,
    Inputs,
    Made,
    MadeFile,
    Summary,
)
from psoas_print.products.settings import (
    HandoutOptions,
    HandoutSettings,
    ProductName,
    Student,
)
from psoas_print.products.two_writers import joined

TEMPLATE = "handout.html"
NAMES_TEMPLATE = "handout-names.html"
MIN_TEXT_PT = 7  # nothing on any copy prints smaller, whatever the copy's size
FINE_PT = 8.5  # the smallest scaled text in the layout (captions, page references) at scale 1
SCALES = (MIN_TEXT_PT / FINE_PT, 1.25)  # body text from 8.2 pt to 12.5 pt
NAME_PT = 15  # a name's size when it fits; a longer one shrinks to its line, then takes two
NAME_LEADING = 1.2
LOG_DAYS = 14
TEXT_FONTS = ("Inter-Bold.otf", "Inter-Regular.otf", "GentiumBookPlus-Regular.ttf")


@dataclass(frozen=True)
class Cell:
    """The page one copy is laid out on: the whole sheet, half of it or a quarter.

    Smaller pages get narrower margins, smaller figures and header, and a log whose
    days stack their L and R boxes so that fourteen of them still fit across.
    """

    per_sheet: int
    label: str
    width_mm: float
    height_mm: float
    margin_mm: float
    body_pt: float  # before scaling; never under FINE_PT, so never under 7 pt once scaled
    leading: float
    figure_mm: float  # a card's figure column, before scaling
    badge_mm: float  # the logo and the QR code, before scaling
    title_pt: float  # the class name, before scaling
    ruled_lines: int

    @property
    def usable_mm(self) -> float:
        """How far down the page the layout may reach (the top margin included)."""
        return self.height_mm - self.margin_mm

    @property
    def stacked_log(self) -> bool:
        return self.per_sheet > 1


CELL_LABELS = {
    ("a4", 1): "A4",
    ("a4", 2): "A5 half-sheet",
    ("a4", 4): "A6 quarter-sheet",
    ("letter", 1): "US Letter",
    ("letter", 2): "half-letter",
    ("letter", 4): "quarter-letter",
}


def cell_for(paper: Paper, per_sheet: int) -> Cell:
    """The page of one copy when ``per_sheet`` copies share a sheet of ``paper``."""
    sheet = PAPERS[paper]
    label = CELL_LABELS[(paper, per_sheet)]
    if per_sheet == 1:
        return Cell(1, label, sheet.width_mm, sheet.height_mm, 12, 10, 1.3, 30, 20, 22, 3)
    # On part of a sheet, the body text is as small as the fine print may go, and set tighter.
    if per_sheet == 2:  # turned a quarter: the sheet's width is the half sheet's height
        half = (sheet.height_mm / 2, sheet.width_mm)
        return Cell(2, label, *half, 7, FINE_PT, 1.22, 22, 15, 17, 2)
    quarter = (sheet.width_mm / 2, sheet.height_mm / 2)
    return Cell(4, label, *quarter, 5.5, FINE_PT, 1.22, 17, 13, 15, 2)


@dataclass(frozen=True)
class Handout:
    """The laid-out copy and where the name and the student's notes go on it."""

    fitted: Fitted
    cell: Cell
    scale: float
    name_box_mm: tuple[float, float, float, float]  # x, y, width, height from the top left
    notes_box_mm: tuple[float, float, float, float]


@dataclass(frozen=True)
class _Layout:
    """The handout's layout for one routine, ready to be laid out on any cell."""

    renderer: Renderer
    environment: Environment
    context: dict[str, object]  # what every copy's layout is given
    paper: Paper
    routine: Routine

    def html_at(self, cell: Cell) -> Callable[[float, float | None], str]:
        """The handout's HTML on ``cell``, as the fitting loop asks for it."""

        def html(scale: float, page_height_mm: float | None) -> str:
            return render_template(
                self.environment, TEMPLATE, **self.context, cell=cell, scale=scale,
                page_height_mm=page_height_mm or cell.height_mm,
                compact_cards=cell.per_sheet > 1,
            )  # fmt: skip

        return html

    def fit(self, cell: Cell) -> Fitted:
        cards = len(self.routine.items)
        html = self.html_at(cell)
        return fit_to_one_page(html, self.renderer, _ORIGIN, cards, cell.usable_mm, SCALES)

    def measure_smallest(self, cell: Cell) -> Measurement:
        """The layout on ``cell`` at the smallest legible scale: one render."""
        cards = len(self.routine.items)
        return measure_once(self.html_at(cell), self.renderer, _ORIGIN, cards, SCALES[0])


_ORIGIN = layout_path(TEMPLATE)


def build_handout(
    book: Book,
    context: BuildContext,
    paper: Paper,
    words: Words,
    options: HandoutOptions,
    with_notes: bool,
    per_sheet: int = 1,
) -> Handout:
    """The routine's handout fitted to its part of the sheet, with ebook page references.

    Raises a BookError, measured, when the routine cannot fit that part legibly.
    """
    routine = choose_routine(book, options.routine)
    renderer = context.renderer
    check_options(renderer.sources, options)
    exercises = [item.exercise for item in routine.items]
    values = {
        **common_context(book, paper, context.created, words),
        "routine": routine_view(routine, words),
        "handout": _options_view(options),
        "figures": figures_for(
            exercises, thumbnail_style(cell_for(paper, per_sheet)), context.figures, words
        ),
        "ebook_pages": ebook_pages(book, context, options.ebook_paper or book.info.paper, words),
        "logo_url": options.logo.resolve().as_uri() if options.logo else None,
        "accent": accent_shades(options.accent) if options.accent else None,
        "qr_url": qr_code(options.qr) if options.qr else None,
        "class_date": words.date(options.date) if options.date else "",
        "log_days": _log_days(options.date, words),
        "with_student_notes": with_notes,
    }
    layout = _Layout(renderer, make_environment(renderer.sources, words), values, paper, routine)
    cell = cell_for(paper, per_sheet)
    try:
        fitted = layout.fit(cell)
    except TooLong as too_long:
        raise _too_long(layout, cell, too_long.smallest) from None
    anchors = fitted.document.pages[0].anchors
    name_box, notes_box = (_box_mm(_anchor(anchors, name)) for name in SLOTS)
    return Handout(fitted, cell, fitted.scale, name_box, notes_box)


SLOTS = ("student-name", "student-notes")  # ids of where each copy's name and notes go


def _anchor(
    anchors: dict[str, tuple[float, float, float, float]], name: str
) -> tuple[float, float, float, float]:
    """Where the element with id ``name`` is; a book's own layout may have left it out."""
    if name not in anchors:
        message = (
            f"the layout has no element with id '{name}' (where each copy's name and notes go)"
        )
        raise BookError.at(_ORIGIN, None, message)
    return anchors[name]


def _options_view(options: HandoutOptions) -> Record:
    """The handout's options as a layout sees them: the logo as ``logo_url``, not a path."""
    date = options.date.isoformat() if options.date else None
    return record(options, omit=["logo"], date=date)


def ebook_pages(book: Book, context: BuildContext, paper: Paper, words: Words) -> dict[str, int]:
    """The page of each exercise in the ebook in the same language (see
    parts.folios_of)."""
    pages = folios_of(book, context, paper, words)
    return {
        name.removeprefix("exercise-"): page
        for name, page in pages.items()
        if name.startswith("exercise-")
    }


def _too_long(layout: _Layout, cell: Cell, smallest: Measurement) -> BookError:
    """Why the routine does not fit ``cell``, measured, and what would fit instead."""
    routine = layout.routine
    if cell.per_sheet == 1:
        return _too_long_for_a_page(routine, cell, smallest)
    larger, measured = _larger_cell(layout, cell)
    if measured.end_mm > larger.usable_mm:
        return _too_long_for_a_page(routine, larger, measured)
    advice = (
        "the most per sheet that stays legible is 2: use --per-sheet 2"
        if larger.per_sheet == 2
        else "only one per sheet stays legible: use --per-sheet 1"
    )
    fitting = _fit(exercises_that_fit(smallest, cell.usable_mm))
    return BookError.at(
        routine.source, routine.exercises_line,
        f"routine '{routine.id}' has {len(routine.items)} exercises but {fitting} on a legible "
        f"{cell.label} copy (text at least {MIN_TEXT_PT} pt); {advice}",
    )  # fmt: skip


def _larger_cell(layout: _Layout, cell: Cell) -> tuple[Cell, Measurement]:
    """The next larger cell that holds the routine at the smallest legible size, measured
    in one render each; the whole page, measured, when none does."""
    larger = cell_for(layout.paper, 2 if cell.per_sheet == 4 else 1)
    measured = layout.measure_smallest(larger)
    if larger.per_sheet == 1 or measured.end_mm <= larger.usable_mm:
        return larger, measured
    return _larger_cell(layout, larger)


def _too_long_for_a_page(routine: Routine, cell: Cell, smallest: Measurement) -> BookError:
    """How many exercises fit a whole page, what else takes its room, and how many would fit
    without it: all read off the measuring render at the smallest legible size."""
    fitting = exercises_that_fit(smallest, cell.usable_mm)
    notes = smallest.end_mm - smallest.boxes["notes"][0]
    space = [f"the header takes {smallest.height('head'):.0f} mm"]
    space += [f"{part} {smallest.height(name):.0f} mm" for name, part in _badges(smallest)]
    space += [f"the notes {notes:.0f} mm"]
    gains = []
    for part, saved in [("the notes", notes), *_badge_savings(smallest)]:
        more = exercises_that_fit(smallest, cell.usable_mm, saved)
        gains.append(f"without {part} {'' if more > fitting else 'still '}{more}")
    gains[0] += " would fit"
    return BookError.at(
        routine.source, routine.exercises_line,
        f"routine '{routine.id}' has {len(routine.items)} exercises but {_fit(fitting)} on one "
        f"legible {cell.label} handout (text at least {MIN_TEXT_PT} pt); {', '.join(space)}: "
        f"{', '.join(gains)}; split it into shorter routines",
    )  # fmt: skip


def _fit(count: int) -> str:
    if count == 0:
        return "not even one fits"
    return f"only {count} {'fits' if count == 1 else 'fit'}"


def _badges(measured: Measurement) -> list[tuple[str, str]]:
    """The header's logo and QR code, those it has: (id, what the reader calls it)."""
    return [
        (name, part)
        for name, part in (("head-logo", "the logo"), ("head-qr", "the QR code"))
        if name in measured.boxes
    ]


def _badge_savings(measured: Measurement) -> list[tuple[str, float]]:
    """What leaving out the logo and QR code would save: the header is as tall as the
    tallest of its text, logo and QR code, side by side."""
    badges = _badges(measured)
    if not badges:
        return []
    tallest = max(measured.height(name) for name in ("head-text", *(n for n, _ in badges)))
    named = " and ".join(part.removeprefix("the ") for _, part in badges)
    return [(f"the {named}", tallest - measured.height("head-text"))]


def exercises_that_fit(measured: Measurement, usable_mm: float, saved_mm: float = 0.0) -> int:
    """How many of the routine's first exercises fit above ``usable_mm``, with their log rows,
    when ``saved_mm`` of the rest is left out."""
    count = len(measured.card_ends_mm)
    return max(
        (k for k in range(count + 1) if _height_with(measured, k) - saved_mm <= usable_mm),
        default=0,
    )


def _height_with(measured: Measurement, kept: int) -> float:
    """The layout's height with only its first ``kept`` exercises: later cards and rows go."""
    count = len(measured.card_ends_mm)
    if kept == count:
        return measured.end_mm
    kept_end = measured.card_ends_mm[kept - 1] if kept else measured.boxes["cards"][0]
    cards = measured.card_ends_mm[-1] - kept_end
    rows = measured.boxes[f"log-row-{count}"][1] - measured.boxes[f"log-row-{kept + 1}"][0]
    return measured.end_mm - cards - rows


def render_names(
    book: Book,
    context: BuildContext,
    paper: Paper,
    words: Words,
    handout: Handout,
    students: list[Student],
) -> bytes:
    """One page per student, the size of a copy, blank but for the name (and notes) where
    the copy leaves room for them."""
    renderer = context.renderer
    _, _, width, height = handout.name_box_mm
    names = [
        (record(student, omit=["source"]), *_name_size(renderer, student.name, width, height))
        for student in students
    ]
    html = render_template(
        make_environment(renderer.sources, words),
        NAMES_TEMPLATE,
        **common_context(book, paper, context.created, words),
        cell=handout.cell,
        students=names,
        name_box=handout.name_box_mm,
        notes_box=handout.notes_box_mm,
        notes_pt=max(MIN_TEXT_PT, round(9 * handout.scale, 2)),
    )
    return renderer.render(html, layout_path(NAMES_TEMPLATE)).write_pdf()


def _name_size(
    renderer: Renderer, name: str, width_mm: float, height_mm: float
) -> tuple[float, float]:
    """The name's size and line height in points: on one line at NAME_PT or smaller to fit
    it; a name that would print under MIN_TEXT_PT that way takes two lines instead."""
    box_pt = height_mm * 72 / 25.4
    largest = min(NAME_PT, box_pt / NAME_LEADING)
    natural_mm = _width_mm(renderer, name, 1)
    one_line = min(largest, width_mm * 0.96 / natural_mm) if natural_mm else largest
    if one_line >= MIN_TEXT_PT:
        return round(one_line, 2), round(box_pt, 2)
    # Two lines, with room to spare for where the words happen to break.
    two_lines = min(box_pt / 2 / NAME_LEADING, 2 * width_mm * 0.85 / natural_mm)
    size = max(MIN_TEXT_PT, two_lines)
    return round(size, 2), round(size * NAME_LEADING, 2)


def _width_mm(renderer: Renderer, text: str, size_pt: float) -> float:
    """How wide ``text`` sets in the bold face of the names, at ``size_pt``."""
    units = _advance_em(renderer.sources.font("Inter-Bold.otf"), text)
    return units * size_pt * 25.4 / 72


def _advance_em(font_path: Path, text: str) -> float:
    """The advance of ``text`` in ems, by the font's own widths (no kerning)."""
    widths, default = _advances(font_path)
    return sum(widths.get(ord(character), default) for character in text)


@functools.cache
def _advances(font_path: Path) -> tuple[dict[int, float], float]:
    """Each character's advance in ems, read once per font: a roster of a thousand names
    measures each of them, some twice."""
    font = TTFont(font_path, lazy=True)
    em = font["head"].unitsPerEm
    metrics = font["hmtx"].metrics
    widths = {code: metrics[glyph][0] / em for code, glyph in font.getBestCmap().items()}
    return widths, metrics[".notdef"][0] / em


def text_fonts(sources: Sources) -> list[Path]:
    """The fonts a handout's own texts (names, notes, its header) are set in."""
    return [sources.font(name) for name in TEXT_FONTS]


def check_options(sources: Sources, options: HandoutOptions) -> None:
    """The header's texts must print in the bundled fonts."""
    fonts = text_fonts(sources)
    for option, text in (
        ("--class-name", options.class_name),
        ("--clinic", options.clinic),
        ("--instructor", options.instructor),
        ("--notes", options.notes),
    ):
        if missing := unprintable(text, fonts):
            raise BookError.at(
                Path(option), None, f"no bundled font can print {', '.join(missing)}"
            )


def check_students(sources: Sources, students: list[Student]) -> None:
    """Every name and note must print in the bundled fonts: checked before anything is laid
    out, so a bad roster line fails at once."""
    fonts = text_fonts(sources)
    problems = []
    for student in students:
        if missing := unprintable(student.name + student.notes, fonts):
            message = f"no bundled font can print {', '.join(missing)} in '{student.name}'"
            problems.append(Problem(student.source, student.line, message))
    if problems:
        raise BookError(problems)


def _box_mm(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """An anchor's (left, top, right, bottom) in CSS pixels as (x, y, width, height) in mm."""
    left, top, right, bottom = (value / PX_PER_MM for value in box)
    return left, top, right - left, bottom - top


def thumbnail_style(cell: Cell) -> Style:
    """The thumbnails' style on this cell: its lines hold at the figure's smallest size
    (its box's height at the smallest scale the fitting may choose)."""
    return replace(ROBUST, min_print_mm=cell.figure_mm * 0.8 * SCALES[0])


def _log_days(start: datetime.date | None, words: Words) -> list[str]:
    """Column heads for the log: weekdays and dates from the class date, else day numbers."""
    if start is None:
        return [words.number(day) for day in range(1, LOG_DAYS + 1)]
    days = [start + datetime.timedelta(days=offset) for offset in range(LOG_DAYS)]
    return [words.day_of_week(day) for day in days]


# --- The product -------------------------------------------------------------------------


class Handouts(BookProduct[HandoutSettings]):
    """Class handouts: laid out once, personalised per student, imposed for copying."""

    name: ClassVar[ProductName] = ProductName.HANDOUT

    def check(self, book: Book | None, settings: HandoutSettings) -> None:
        assert book is not None
        choose_routine(book, settings.options.routine)
        if settings.options.logo is not None:
            check_logo(settings.options.logo)
        sources = Sources(book.root, self.extra_inputs(settings))
        check_options(sources, settings.options)
        check_students(sources, list(settings.students))  # a name the fonts lack fails now
        words_for(book, settings.language)  # a language with no labels fails here
        checked = set()
        for student in settings.students:  # each language once, at its first row
            if student.language and student.language not in checked:
                checked.add(student.language)
                try:
                    words_for(book, student.language)
                except BookError as error:
                    reason = error.problems[0].message.split(": ", 1)[-1]
                    raise BookError.at(student.source, student.line, reason) from None

    def extra_inputs(self, settings: HandoutSettings) -> tuple[Path, ...]:
        return tuple(path for path in (settings.options.logo, settings.roster) if path)

    def file_names(self, settings: HandoutSettings) -> list[str]:
        if not settings.split:
            return [""]
        stems = [file_stem(student.name, "student", lower=True) for student in settings.students]
        return [f"handout-{stem}.pdf" for stem in distinct(stems)]

    def make(self, inputs: Inputs, settings: HandoutSettings, context: BuildContext) -> Made:
        assert isinstance(inputs, Book)
        started = time.perf_counter()
        students = list(settings.students)
        groups = _by_language(students, settings.language)
        made = [
            self._group(inputs, settings, context, language, members)
            for language, members in groups
        ]
        files = self._files(settings, students, groups, made, context.created)
        renders = sum(group.renders for group in made)
        copies = len(students) if students and not settings.split else settings.per_sheet
        summary = Summary(renders=renders, copies=copies, per_sheet=settings.per_sheet)
        return Made(files, summary, time.perf_counter() - started)

    def _group(
        self, book: Book, settings: HandoutSettings, context: BuildContext,
        language: str | None, students: list[Student],
    ) -> _Group:  # fmt: skip
        """The handout in one language (from the book's translation into it, if it has
        one), and its students' names laid out in one render."""
        edition = context.edition(book, language)
        paper = settings.paper or book.info.paper
        with_notes = any(student.notes for student in students)
        options, per_sheet = settings.options, settings.per_sheet
        words = words_for(edition, language)
        handout = build_handout(edition, context, paper, words, options, with_notes, per_sheet)
        base = handout.fitted.document.write_pdf(pdf_tags=True)  # copies keep its tags
        names = None
        if students:
            context.progress(f"Laying out {len(students)} names")
            names = render_names(edition, context, paper, words, handout, students)
        # The ebook (for page references), the fitting renders and the page of names.
        renders = 1 + handout.fitted.renders + (1 if students else 0)
        return _Group(base, names, renders)

    def _files(
        self, settings: HandoutSettings, students: list[Student],
        groups: list[tuple[str | None, list[Student]]], made: list[_Group], dated: str | None,
    ) -> tuple[MadeFile, ...]:  # fmt: skip
        """One file of every copy (the students of each language together, the languages
        in the order they first come in the roster), or one file per student."""
        per_sheet = settings.per_sheet
        if not students:
            return (MadeFile("", made[0].copies([None] * per_sheet, per_sheet), 1),)
        if settings.split:  # in the roster's order, as file_names names them
            copies = {
                id(student): group.copies([index] * per_sheet, per_sheet)
                for (_, members), group in zip(groups, made, strict=True)
                for index, student in enumerate(members)
            }
            names = self.file_names(settings)
            return tuple(
                MadeFile(name, copies[id(student)], 1)
                for name, student in zip(names, students, strict=True)
            )
        parts = [
            group.copies(list(range(len(members))), per_sheet)
            for (_, members), group in zip(groups, made, strict=True)
        ]
        sheets = [-(-len(members) // per_sheet) for _, members in groups]
        return (MadeFile("", joined(parts, sheets, dated), sum(sheets)),)


@dataclass(frozen=True)
class _Group:
    """The handout laid out in one language: its page, and its students' names."""

    base: bytes
    names: bytes | None
    renders: int

    def copies(self, which: list[int | None], per_sheet: int) -> bytes:
        """Sheets of these copies: each a student's index in the group, or None unnamed."""
        return assemble(self.base, self.names, which, per_sheet)


def _by_language(
    students: list[Student], language: str | None
) -> list[tuple[str | None, list[Student]]]:
    """The students by the language of their copy (``language``, the handout's, where
    the roster gives none), the languages in the order they first come."""
    groups: dict[str | None, list[Student]] = {}
    for student in students:
        groups.setdefault(student.language or language, []).append(student)
    return list(groups.items()) or [(language, [])]


LOGO_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg")


def check_logo(logo: Path) -> None:
    """The logo is a PNG, JPEG or SVG file; a raster one decodes in full, within the limit."""
    if not logo.is_file():
        raise BookError.at(logo, None, "logo file not found")
    if logo.suffix.lower() not in LOGO_SUFFIXES:
        raise BookError.at(logo, None, "the logo must be a PNG, JPEG or SVG image")
    if logo.suffix.lower() == ".svg":
        return
    try:
        open_image(logo)
    except ImageProblem as problem:
        raise BookError.at(logo, None, str(problem)) from None
