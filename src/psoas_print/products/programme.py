"""Personal programmes: a handout for each client, for the stage of their programme they
are in, with the book's figures, the client's own doses, the whole progression and a log.

All clients of one language are laid out in one render (the ebook laid out once more for
its page references); each client's pages are found by the id their section starts with,
and written as a file of their own with --split, or all together.
"""

from __future__ import annotations

import dataclasses
import datetime
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from psoas_print.book.clinic import accent_shades
from psoas_print.book.glyphs import unprintable
from psoas_print.book.model import Book, Paper
from psoas_print.book.programmes import Client, Stage
from psoas_print.book.sources import Sources
from psoas_print.errors import BookError, Problem
from psoas_print.figures.pictures import figures_for, qr_code
from psoas_print.language import phrases
from psoas_print.language.catalogues import words_for
from psoas_print.language.words import Words
from psoas_print.layout.templates import layout_path, make_environment, render_template
from psoas_print.layout.typesetter import LaidOutDocument, LaidOutPage, Renderer, anchor_pages
from psoas_print.layout.view import (
    RoutineItemView,
    RoutineView,
    common_context,
    dose_view,
    exercise_view,
)
from psoas_print.output import distinct, file_stem
from psoas_print.products.context import BuildContext
from psoas_print.products.handout import (
    cell_for,
    check_logo,
    ebook_pages,
    text_fonts,
    thumbnail_style,
)
from psoas_print.products.protocol import BookProduct, Inputs, Made, MadeFile, Summary
from psoas_print.products.settings import ProductName, ProgrammeSettings
from psoas_print.products.two_writers import Piece, halves, write_files
from psoas_print.workers import WorkerPool, start_workers_early, worker_context

TEMPLATE = "programme.html"
OPEN_STAGE_WEEKS = 2  # the log of a stage without end covers this many weeks


@dataclass(frozen=True)
class Printed:
    """A client's handout: the week printed and the stage it is in."""

    client: Client
    week: int
    stage: Stage


def week_of(client: Client, settings: ProgrammeSettings, today: datetime.date) -> int:
    """The week to print: --week, else the week of --on (or today) from the client's
    start (week 1 before the start, and when no start is given)."""
    if settings.week is not None:
        return settings.week
    day = settings.on or today
    start = client.start or day
    return max(1, (day - start).days // 7 + 1)


def printed_clients(
    settings: ProgrammeSettings, today: datetime.date
) -> tuple[list[Printed], list[Problem]]:
    """Each client with a stage in the week printed; a warning for each whose programme
    has ended by then."""
    printed, ended = [], []
    for client in settings.clients:
        week = week_of(client, settings, today)
        stage = client.stage_at(week)
        if stage is None:
            last = client.stages[-1].last_week
            message = f"the programme ended after week {last}: no handout for week {week}"
            ended.append(Problem(client.source, client.line, message))
        else:
            printed.append(Printed(client, week, stage))
    return printed, ended


def _client_view(book: Book, printed: Printed, words: Words) -> dict[str, object]:
    """What the layout shows of one client: the stage printed is one of the progression's."""
    client, stage = printed.client, printed.stage
    routines = [_stage_routine(book, client, each, words) for each in client.stages]
    return {
        "id": client.id,
        "name": client.name,
        "notes": client.notes,
        "week": words.number(printed.week),
        "stage": phrases.weeks(stage.first_week, stage.last_week, words),
        "routine": routines[client.stages.index(stage)],
        "progression": [
            {
                "weeks": phrases.weeks(each.first_week, each.last_week, words),
                "current": each is stage,
                "doses": routine.items,
            }
            for each, routine in zip(client.stages, routines, strict=True)
        ],
        "log_weeks": _log_weeks(stage),
    }


def _stage_routine(book: Book, client: Client, stage: Stage, words: Words) -> RoutineView:
    """A stage as a routine the cards show: each exercise with the client's dose, and how
    often, over the book's."""
    items = []
    for prescribed in stage.exercises:
        exercise = book.exercises[prescribed.exercise]
        dose = dose_view(prescribed.dose.apply(exercise.dose), words)
        often = phrases.frequency(prescribed.per_day, prescribed.per_week, words)
        if often:
            dose = dataclasses.replace(dose, summary=f"{dose.summary} · {often}")
        items.append(RoutineItemView(exercise_view(exercise, words), dose))
    return RoutineView(client.id, client.name, "", tuple(items))


def _log_weeks(stage: Stage) -> list[int]:
    """The weeks the log has a table for: the stage's, or two for a stage without end."""
    last = stage.last_week or stage.first_week + OPEN_STAGE_WEEKS - 1
    return list(range(stage.first_week, last + 1))


class Programmes(BookProduct[ProgrammeSettings]):
    """A handout per client, for the week printed; one PDF, or one per client."""

    name: ClassVar[ProductName] = ProductName.PROGRAMME

    def check(self, book: Book | None, settings: ProgrammeSettings) -> None:
        assert book is not None
        if settings.logo is not None:
            check_logo(settings.logo)
        for language in {client.language for client in settings.clients}:
            words_for(book, language)  # a language with no labels fails here
        sources = Sources(book.root, self.extra_inputs(settings))
        _check_printable(sources, settings)
        if settings.week is not None and settings.week < 1:
            raise BookError.at(Path("--week"), None, "weeks are counted from 1")

    def extra_inputs(self, settings: ProgrammeSettings) -> tuple[Path, ...]:
        logo = (settings.logo,) if settings.logo else ()
        return (*settings.files, *logo)

    def file_names(self, settings: ProgrammeSettings) -> list[str]:
        if not settings.split:
            return [""]
        stems = distinct([_stem(client, settings) for client in settings.clients])
        return [f"programme-{stem}.pdf" for stem in stems]

    def make(self, inputs: Inputs, settings: ProgrammeSettings, context: BuildContext) -> Made:
        assert isinstance(inputs, Book)
        started = time.perf_counter()
        # The worker that lays the handouts out starts importing WeasyPrint meanwhile.
        start_workers_early()
        printed, ended = printed_clients(settings, datetime.date.today())
        if not printed:
            raise BookError(ended or [Problem(settings.files[0], None, "no clients")])
        paper = settings.paper or inputs.info.paper
        groups = list(_by_language(printed, inputs))
        htmls = [
            self._html(inputs, settings, context, paper, language, group)
            for language, group in groups
        ]
        order = _file_order(printed, groups, settings.split)
        with WorkerPool(max_workers=1, mp_context=worker_context()) as pool:
            future = pool.submit(
                lay_out_and_write, context.sources, htmls, [len(g) for _, g in groups], order,
                context.created,
            )  # fmt: skip
            written = future.result()
        files = self._files(settings, printed, written)
        summary = Summary(
            renders=2 * len(groups), copies=len(printed), per_sheet=settings.per_sheet
        )
        return Made(files, summary, time.perf_counter() - started, warnings=tuple(ended))

    def _html(
        self, book: Book, settings: ProgrammeSettings, context: BuildContext, paper: Paper,
        language: str, group: list[Printed],
    ) -> str:  # fmt: skip
        """Every client of one language, as the HTML of one render."""
        words = words_for(book, language)
        cell = cell_for(paper, settings.per_sheet)
        shown = [book.exercises[exercise_id] for exercise_id in sorted(_exercises_of(group))]
        return render_template(
            make_environment(context.sources, words), TEMPLATE,
            **common_context(book, paper, context.created, words),
            cell=cell, scale=1.0, page_height_mm=cell.height_mm, compact_cards=cell.per_sheet > 1,
            clients=[_client_view(book, each, words) for each in group],
            figures=figures_for(shown, thumbnail_style(cell), context.figures, words),
            ebook_pages=ebook_pages(book, context, book.info.paper, words),
            clinic=settings.clinic, clinician=settings.clinician,
            accent=accent_shades(settings.accent) if settings.accent else None,
            logo_url=settings.logo.resolve().as_uri() if settings.logo else None,
            qr_url=qr_code(settings.qr) if settings.qr else None, qr=settings.qr,
            made_on=words.date(settings.on or datetime.date.today()),
        )  # fmt: skip

    def _files(
        self, settings: ProgrammeSettings, printed: list[Printed], written: list[Written]
    ) -> tuple[MadeFile, ...]:
        if not settings.split:
            return (MadeFile("", *written[0]),)
        ids = [client.id for client in settings.clients]
        names = dict(zip(ids, self.file_names(settings), strict=True))
        return tuple(
            MadeFile(names[each.client.id], *pdf)
            for each, pdf in zip(printed, written, strict=True)
        )


# A client as the worker finds them: which render (by language), which client of it.
ClientRef = tuple[int, int]
Written = tuple[bytes, int]  # a PDF and its page count


def _file_order(
    printed: list[Printed], groups: list[tuple[str, list[Printed]]], split: bool
) -> list[list[ClientRef]]:
    """The clients of each file to write, in the order they were given: one file of them
    all, or one each."""
    where = {
        id(each): (render, index)
        for render, (_, group) in enumerate(groups)
        for index, each in enumerate(group)
    }
    refs = [where[id(each)] for each in printed]
    return [[ref] for ref in refs] if split else [refs]


def lay_out_and_write(
    sources: Sources, htmls: list[str], counts: list[int], order: list[list[ClientRef]],
    created: str | None,
) -> list[Written]:  # fmt: skip
    """In a worker: each language's clients in one render, then the files written on both
    cores (see two_writers.py); a single file of many clients in two halves, joined."""
    renderer = Renderer(sources)
    documents = [renderer.render(html, layout_path(TEMPLATE)) for html in htmls]
    runs = [_client_pages(d, count) for d, count in zip(documents, counts, strict=True)]
    files: list[list[Piece]] = []
    for refs in order:
        pages = [runs[render][index] for render, index in refs]
        first = documents[refs[0][0]]
        if len(order) == 1:
            files.append(halves(first, pages))
        else:
            files.append([(first, [page for run in pages for page in run])])
    written = write_files(files, created)
    return [
        (pdf, sum(len(pages) for _, pages in file))
        for pdf, file in zip(written, files, strict=True)
    ]


def _exercises_of(group: list[Printed]) -> set[str]:
    """Every exercise the group's programmes name, in any stage (the progression shows all)."""
    return {
        prescribed.exercise
        for each in group
        for stage in each.client.stages
        for prescribed in stage.exercises
    }


def _stem(client: Client, settings: ProgrammeSettings) -> str:
    """A client's file name: by id, or by name and id with --names-in-files."""
    if settings.names_in_files:
        return file_stem(f"{client.name}-{client.id}", "client", lower=True)
    return file_stem(client.id, "client")


def _by_language(printed: list[Printed], book: Book) -> Iterable[tuple[str, list[Printed]]]:
    groups: dict[str, list[Printed]] = {}
    for each in printed:
        groups.setdefault(each.client.language or book.info.language, []).append(each)
    return groups.items()


def _client_pages(document: LaidOutDocument, count: int) -> list[list[LaidOutPage]]:
    """Each client's pages: from the page their section starts on to the next one's."""
    first_pages = anchor_pages(document, first=0)
    starts = []
    for index in range(count):
        anchor = f"client-{index + 1}"
        if anchor not in first_pages:  # a book's own layout may have left it out
            message = f"the layout has no element with id '{anchor}' (where a client's pages start)"
            raise BookError.at(layout_path(TEMPLATE), None, message)
        starts.append(first_pages[anchor])
    ends = [*starts[1:], len(document.pages)]
    return [document.pages[start:end] for start, end in zip(starts, ends, strict=True)]


def _check_printable(sources: Sources, settings: ProgrammeSettings) -> None:
    """Every client's name and notes, and the header's texts, print in the bundled fonts."""
    fonts = text_fonts(sources)
    problems = []
    for client in settings.clients:
        if unprintable(client.name + client.notes, fonts):
            message = "no bundled font can print the client's name or notes"
            problems.append(Problem(client.source, client.line, message))
    for option, text in (("--clinic", settings.clinic), ("--clinician", settings.clinician)):
        if missing := unprintable(text, fonts):
            message = f"no bundled font can print {', '.join(missing)}"
            problems.append(Problem(Path(option), None, message))
    if problems:
        raise BookError(problems)
