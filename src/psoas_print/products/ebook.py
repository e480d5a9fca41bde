"""The full illustrated ebook."""

from __future__ import annotations

from dataclasses import dataclass, replace

from psoas_print.errors import BookError, Problem
from psoas_print.figures import Style, figures_for, qr_code
from psoas_print.model import Book, Chapter, Paper
from psoas_print.products import (
    FIGURE_MAX_HEIGHT_MM,
    TEXT_MEASURE_MM,
    TRIMS,
    PaperSize,
    Rendered,
    common_context,
    layout_path,
)
from psoas_print.render import make_environment, render_template
from psoas_print.resources import Sources
from psoas_print.typesetter import Renderer

TEMPLATE = "ebook.html"


@dataclass(frozen=True)
class Portion:
    """Which part of the book one render lays out: all of it unless the book is long."""

    front: bool = True  # cover, title, copyright and contents
    chapters: tuple[Chapter, ...] | None = None  # None: every chapter
    chapters_before: int = 0
    exercises_before: int = 0
    last: bool = True
    folios: bool = True  # page numbers; laid over afterwards when the book is in portions
    toc_pages: dict[str, int] | None = None  # the contents' page numbers, when given


@dataclass(frozen=True)
class PrintSetup:
    """For a print-on-demand service: bleed around each trimmed page, and crop marks."""

    bleed_mm: float = 3.0
    marks: bool = False


EXERCISE_FACTS_MM = 100  # an exercise's left-hand page but its figure: heading and dose box
SHORT_PAGE_MM = 220  # pages shorter than this set their exercises a little tighter


def page_geometry(paper: PaperSize) -> dict[str, float]:
    """Text column, type size and figure height that suit the page size.

    The figure takes what an exercise's left-hand page has left, so the page never overflows
    and every exercise stays one spread.
    """
    measure = min(TEXT_MEASURE_MM, paper.width_mm * 0.72)
    top, bottom = (22, 26) if paper.height_mm >= 270 else (17, 20)  # trade paperbacks: less
    # A narrower column wraps the heading and the dose box onto more lines.
    facts = EXERCISE_FACTS_MM * TEXT_MEASURE_MM / measure
    room = paper.height_mm - top - bottom - facts
    # A5 and 5.5 x 8.5 in: a little less space between the parts of an exercise's right-hand
    # page, so that its instructions stay on that one page.
    short = paper.height_mm < SHORT_PAGE_MM
    body_pt = 11.5 if measure >= 120 else 10.5 if measure >= 105 and not short else 10
    return {
        "measure_mm": round(measure, 1),
        "margin_top_mm": top,
        "margin_bottom_mm": bottom,
        "body_pt": body_pt,
        "short_page": short,
        "figure_max_height_mm": round(min(FIGURE_MAX_HEIGHT_MM, room), 1),
    }


def build_ebook(
    book: Book,
    renderer: Renderer,
    paper: Paper | str,
    sample: bool = False,
    printing: PrintSetup | None = None,
    portion: Portion = Portion(),
) -> Rendered:
    """Lay the ebook out (or one portion of it)."""
    html = ebook_html(book, renderer.sources, paper, sample, printing, portion)
    return Rendered(renderer.render(html, layout_path(TEMPLATE)), html)


def ebook_html(
    book: Book,
    sources: Sources,
    paper: Paper | str,
    sample: bool = False,
    printing: PrintSetup | None = None,
    portion: Portion = Portion(),
) -> str:
    """The whole book, or with ``sample`` the free edition of the parts marked as sample."""
    store_qr = None
    if sample:
        if book.info.store_url is None:
            raise BookError.at(
                book.root / "book.yaml", None,
                "a sample edition needs store_url in book.yaml, to say where the full book is sold",
            )  # fmt: skip
        store_qr = qr_code(book.info.store_url)
        full_book, book = book, book.sample_edition()
        if not book.chapters:
            raise BookError.at(
                full_book.root / "chapters", None,
                "no chapter is marked 'sample: true', so the sample edition would be empty",
            )  # fmt: skip
    environment = make_environment(sources)
    chapters = book.chapters if portion.chapters is None else portion.chapters
    shown = [exercise for chapter in chapters for exercise in book.chapter_exercises(chapter)]
    figures = figures_for(shown, Style())
    videos = {e.id: qr_code(e.video) for e in shown if e.video}
    return render_template(
        environment,
        TEMPLATE,
        **common_context(book, paper),
        chapters=book.chapters,
        figures=figures,
        videos=videos,
        sample=sample,
        store_qr=store_qr,
        printing=printing,
        portion=replace(portion, chapters=chapters),
        **page_geometry(TRIMS[paper]),
    )


def spilled_exercises(book: Book, anchors: dict[str, int], paper: Paper | str) -> list[Problem]:
    """A warning for each exercise whose instructions ran past its right-hand page.

    ``anchors`` holds the page of every element with an id; an exercise's last box (its
    caution, or its video code) should sit on the page after the one it starts on.
    """
    message = (
        f"at {TRIMS[paper].label} its instructions run past the right-hand page onto another"
        " spread; shorten its steps or tips, or choose a larger page"
    )
    warnings = []
    for exercise in book.exercises.values():
        start = anchors.get(f"exercise-{exercise.id}")
        end = anchors.get(f"video-{exercise.id}", anchors.get(f"caution-{exercise.id}"))
        if start is not None and end is not None and end - start > 1:
            warnings.append(Problem(exercise.source, None, message))
    return warnings
