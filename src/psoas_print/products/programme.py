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
from psoas_print.limits import CLIENTS_PER_RENDER
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
from psoas_print.products.two_writers import cut_in_two, joined, write_pieces
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
        languages = _by_language(printed, inputs)
        batches = [
            (self._html(context.edition(inputs, language), settings, context, paper, language,
                        [printed[i] for i in chunk]), chunk)
            for language, positions in languages.items()
            for chunk in _chunks(positions, CLIENTS_PER_RENDER)
        ]  # fmt: skip
        with WorkerPool(max_workers=1, mp_context=worker_context()) as pool:
            future = pool.submit(
                lay_out_and_write, context.sources, batches, settings.split, context.created
            )
            written = future.result()
        files = self._files(settings, printed, written)
        renders = len(batches) + len(languages)  # and the ebook once per language
        summary = Summary(renders=renders, copies=len(printed), per_sheet=settings.per_sheet)
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


Written = tuple[bytes, int]  # a PDF and its page count
# The HTML of one render, and the clients it lays out: their places in the order given.
Batch = tuple[str, tuple[int, ...]]


def lay_out_and_write(
    sources: Sources, batches: list[Batch], split: bool, created: str | None
) -> list[Written]:
    """In a worker: each batch of clients (of one language) in one render, its pages then
    written on both cores (see two_writers.py) and let go before the next. Returns each
    client's file in the order given, or with ``split`` false the one file of them all."""
    renderer = Renderer(sources)
    each: dict[int, Written] = {}  # by the client's place
    pieces: dict[int, Written] = {}  # by the place of the piece's first client
    for html, positions in batches:
        document = renderer.render(html, layout_path(TEMPLATE))
        runs = _client_pages(document, len(positions))
        if split:
            pdfs = write_pieces([(document, run) for run in runs])
            each.update(
                (place, (pdf, len(run)))
                for place, pdf, run in zip(positions, pdfs, runs, strict=True)
            )
            continue
        spans = _spans(positions, runs)
        pdfs = write_pieces([(document, [p for i in span for p in runs[i]]) for span in spans])
        for span, pdf in zip(spans, pdfs, strict=True):
            pieces[positions[span[0]]] = (pdf, sum(len(runs[i]) for i in span))
    if split:
        return [each[place] for place in sorted(each)]
    ordered = [pieces[place] for place in sorted(pieces)]
    pages = [count for _, count in ordered]
    return [(joined([pdf for pdf, _ in ordered], pages, created), sum(pages))]


def _spans(positions: tuple[int, ...], runs: list[list[LaidOutPage]]) -> list[list[int]]:
    """The batch's clients (by index) in spans that follow each other in the order given;
    a batch that is one span is cut in two, for the two cores."""
    spans: list[list[int]] = []
    for index, place in enumerate(positions):
        if spans and positions[spans[-1][-1]] == place - 1:
            spans[-1].append(index)
        else:
            spans.append([index])
    if len(spans) == 1 and len(positions) > 1:
        cut = cut_in_two([len(run) for run in runs])
        spans = [spans[0][:cut], spans[0][cut:]]
    return spans


def _chunks(positions: list[int], size: int) -> list[tuple[int, ...]]:
    return [tuple(positions[start : start + size]) for start in range(0, len(positions), size)]


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


def _by_language(printed: list[Printed], book: Book) -> dict[str, list[int]]:
    """The clients' places in ``printed``, by the language of their handouts."""
    groups: dict[str, list[int]] = {}
    for place, each in enumerate(printed):
        groups.setdefault(each.client.language or book.info.language, []).append(place)
    return groups


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
