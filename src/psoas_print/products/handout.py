"""Class handouts: one page per copy, personalised per student, imposed n-up for copying.

The handout is laid out once; each student's name is laid out with all the others in a
single small render and laid over their copy, so a class of thirty costs three renders
(the ebook for page references, the handout, the names), not thirty.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from psoas_print.errors import BookError, Problem
from psoas_print.figures import ROBUST, figures_for, qr_code
from psoas_print.glyphs import unprintable
from psoas_print.model import Book, Paper
from psoas_print.products import PAPERS, Rendered, common_context, layout_path
from psoas_print.products.cheatsheet import choose_routine
from psoas_print.products.ebook import build_ebook
from psoas_print.products.fitting import PX_PER_MM, TooLong, fit_to_one_page
from psoas_print.render import make_environment, render_template
from psoas_print.typesetter import Renderer, anchor_pages

TEMPLATE = "handout.html"
NAMES_TEMPLATE = "handout-names.html"
MARGIN_MM = 12
SCALES = (0.8, 1.25)  # body text from 8 pt to 12.5 pt
NAME_WIDTH_MM = 110  # the name line, before scaling
NAME_PT = 15  # a name's size when it fits; a longer one shrinks to its line
NOTES_HEIGHT_MM = 9
LOG_DAYS = 14
TEXT_FONTS = ("Inter-Bold.otf", "Inter-Regular.otf", "GentiumBookPlus-Regular.ttf")


@dataclass(frozen=True)
class HandoutOptions:
    routine: str
    class_name: str = ""
    instructor: str = ""
    date: datetime.date | None = None
    logo: Path | None = None
    qr: str | None = None
    notes: str = ""


@dataclass(frozen=True)
class Student:
    name: str
    notes: str
    source: Path
    line: int


@dataclass(frozen=True)
class Handout:
    """The laid-out handout and where the name and the student's notes go on it."""

    rendered: Rendered
    name_box_mm: tuple[float, float, float, float]  # x, y, width, height from the top left
    notes_box_mm: tuple[float, float, float, float]


def build_handout(
    book: Book, renderer: Renderer, paper: Paper, options: HandoutOptions, with_notes: bool
) -> Handout:
    routine = choose_routine(book, options.routine)
    _check_printable(renderer, options)
    environment = make_environment(renderer.sources)
    context = {
        **common_context(book, paper),
        "routine": routine,
        "handout": options,
        "margin_mm": MARGIN_MM,
        "figures": figures_for([item.exercise for item in routine.items], ROBUST),
        "ebook_pages": ebook_pages(book, renderer, paper),
        "logo_url": options.logo.resolve().as_uri() if options.logo else None,
        "qr_url": qr_code(options.qr) if options.qr else None,
        "class_date": _long_date(options.date),
        "log_days": _log_days(options.date),
        "name_width_mm": NAME_WIDTH_MM,
        "student_notes_height_mm": NOTES_HEIGHT_MM if with_notes else 0,
    }

    def html_at(scale: float, page_height_mm: float | None) -> str:
        height = page_height_mm or PAPERS[paper].height_mm
        return render_template(environment, TEMPLATE, **context, scale=scale, page_height_mm=height)

    usable_mm = PAPERS[paper].height_mm - MARGIN_MM
    origin = layout_path(TEMPLATE)
    try:
        fitted = fit_to_one_page(html_at, renderer, origin, len(routine.items), usable_mm, SCALES)
    except TooLong:
        raise BookError.at(
            routine.source, routine.exercises_line,
            f"routine '{routine.id}' has {len(routine.items)} exercises, too many for one legible "
            "handout page; split it into shorter routines",
        ) from None  # fmt: skip
    anchors = fitted.document.pages[0].anchors
    scale = fitted.scale
    name_box = (*_mm(anchors["student-name"]), NAME_WIDTH_MM * scale, 7 * scale)
    notes_box = (*_mm(anchors["student-notes"]), NAME_WIDTH_MM * scale, NOTES_HEIGHT_MM * scale)
    notes = {"renders": fitted.renders, "scale": round(scale, 3)}
    return Handout(Rendered(fitted.document, fitted.html, notes), name_box, notes_box)


def ebook_pages(book: Book, renderer: Renderer, paper: Paper) -> dict[str, int]:
    """The page of each exercise in the ebook, read off its real layout."""
    pages = anchor_pages(build_ebook(book, renderer, paper).document)
    return {
        name.removeprefix("exercise-"): page
        for name, page in pages.items()
        if name.startswith("exercise-")
    }


def render_names(
    book: Book, renderer: Renderer, paper: Paper, handout: Handout, students: list[Student]
) -> Rendered:
    """One page per student, blank but for the name (and notes) where the handout has room."""
    _check_students(renderer, students)
    width = handout.name_box_mm[2]
    names = [(student, _fitting_size(renderer, student.name, width)) for student in students]
    html = render_template(
        make_environment(renderer.sources),
        NAMES_TEMPLATE,
        **common_context(book, paper),
        students=names,
        name_box=handout.name_box_mm,
        notes_box=handout.notes_box_mm,
    )
    return Rendered(renderer.render(html, layout_path(NAMES_TEMPLATE)), html)


def _fitting_size(renderer: Renderer, name: str, width_mm: float) -> float:
    """The name's size in points: NAME_PT, or smaller so that it fits on its line."""
    from fontTools.ttLib import TTFont

    font = TTFont(renderer.sources.font("Inter-Bold.otf"), lazy=True)
    cmap, metrics = font.getBestCmap(), font["hmtx"].metrics
    units = sum(metrics[cmap.get(ord(c), ".notdef")][0] for c in name) / font["head"].unitsPerEm
    natural_mm = units * NAME_PT * 25.4 / 72
    return round(min(NAME_PT, NAME_PT * width_mm * 0.96 / natural_mm), 2) if natural_mm else NAME_PT


def _check_printable(renderer: Renderer, options: HandoutOptions) -> None:
    fonts = [renderer.sources.font(name) for name in TEXT_FONTS]
    for option, text in (
        ("--class-name", options.class_name),
        ("--instructor", options.instructor),
        ("--notes", options.notes),
    ):
        if missing := unprintable(text, fonts):
            raise BookError.at(
                Path(option), None, f"no bundled font can print {', '.join(missing)}"
            )


def _check_students(renderer: Renderer, students: list[Student]) -> None:
    fonts = [renderer.sources.font(name) for name in TEXT_FONTS]
    problems = []
    for student in students:
        if missing := unprintable(student.name + student.notes, fonts):
            message = f"no bundled font can print {', '.join(missing)} in '{student.name}'"
            problems.append(Problem(student.source, student.line, message))
    if problems:
        raise BookError(problems)


def _mm(point: tuple[float, float]) -> tuple[float, float]:
    return point[0] / PX_PER_MM, point[1] / PX_PER_MM


def _long_date(date: datetime.date | None) -> str:
    return f"{date.day} {date:%B %Y}" if date else ""


def _log_days(start: datetime.date | None) -> list[str]:
    """Column heads for the log: dates from the class date, else day numbers."""
    if start is None:
        return [str(day) for day in range(1, LOG_DAYS + 1)]
    days = [start + datetime.timedelta(days=offset) for offset in range(LOG_DAYS)]
    return [f"{day:%a}"[:2] + f" {day.day}" for day in days]
