"""The ebook's HTML, whole or a portion of it: what the layout is filled with (figures,
running heads, the sample edition's selection), and what its laid-out pages say about it
(the exercises that outgrew their spread)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from psoas_print.book.loading import book_images
from psoas_print.book.model import Book, Chapter, Paper
from psoas_print.errors import BookError, Problem
from psoas_print.figures.pictures import figures_for, qr_code
from psoas_print.figures.style import Style
from psoas_print.language.words import Words
from psoas_print.layout.geometry import (
    HEAD_PT,
    HEAD_TRACKING_EM,
    TRIMS,
    page_geometry,
    printed_width_mm,
)
from psoas_print.layout.remembered import remembered_pages
from psoas_print.layout.templates import layout_path, make_environment, render_template
from psoas_print.layout.typefaces import TextMeasure, font_faces, head_font, used_typefaces
from psoas_print.layout.view import book_view, chapter_view, common_context, record, vetted
from psoas_print.pdf.services import MM_PER_INCH, SERVICES
from psoas_print.products.context import BuildContext
from psoas_print.products.settings import PrintSetup

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
    spread: str | None = None  # only this exercise's spread, after its chapter's opening


def ebook_html(
    book: Book,
    context: BuildContext,
    paper: Paper | str,
    words: Words,
    sample: bool = False,
    printing: PrintSetup | None = None,
    portion: Portion = Portion(),
) -> str:
    """The whole book, or with ``sample`` the free edition of the parts marked as sample;
    its labels in the language of ``words``."""
    full_book = book
    store_qr = None
    if sample:
        book = sample_edition(book)
        store_qr = qr_code(str(book.info.store_url))
    environment = make_environment(context.sources, words)
    chapters = book.chapters if portion.chapters is None else portion.chapters
    shown = [exercise for chapter in chapters for exercise in book.chapter_exercises(chapter)]
    geometry = ebook_geometry(paper, printing)
    common = common_context(book, paper, context.created, words)
    values = {
        **common,
        "chapters": common["book"].chapters,
        "full_book": book_view(full_book, words) if sample else common["book"],
        "figures": figures_for(
            shown, Style(ink=printing.ink if printing else "color"), context.figures, words
        ),
        "videos": {e.id: qr_code(e.video) for e in shown if e.video},
        "sample": sample,
        "store_qr": store_qr,
        "printing": printing,
        "portion": record(portion, chapters=[chapter_view(chapter) for chapter in chapters]),
        **geometry,
    }
    fonts_css = render_template(environment, "fonts.css", **values)
    faces = font_faces(fonts_css, context.sources.resolver)
    tokens = render_template(environment, "tokens.css", **values)
    values["running_heads"] = running_heads(book, geometry, head_font(faces, tokens))
    values["css_string"] = css_string
    style = tokens + render_template(environment, "ebook.css", **values)
    values["typefaces"] = words.listing(used_typefaces(faces, style))
    return render_template(environment, TEMPLATE, **values)


def ebook_geometry(paper: Paper | str, printing: PrintSetup | None) -> dict[str, float]:
    """The pages' geometry; for a service, with a thick book's wider inside margin, the
    outside one kept a quarter inch wider than the service's least."""
    if printing is None or not printing.wider_gutter_mm:
        return page_geometry(TRIMS[paper])
    least_outside = (SERVICES[printing.preset].margin_in + 0.25) * MM_PER_INCH
    return page_geometry(TRIMS[paper], printing.wider_gutter_mm, least_outside)


def ebook_anchor_pages(
    book: Book,
    context: BuildContext,
    paper: Paper | str,
    words: Words,
    lay_out: Callable[[], dict[str, int]] | None = None,
) -> dict[str, int]:
    """The folio of every chapter, exercise and other anchor of the ebook at ``paper`` in
    the language of ``words``: remembered from the last time this very ebook was laid out
    (see layout/remembered.py), else read off its real layout: ``lay_out()`` (a long book's
    portions, see parts.py), or one render. The interior's first page is folio 1: the cover
    is laid in front of it, labelled, not numbered."""
    html = ebook_html(book, context, paper, words)

    def one_render() -> dict[str, int]:
        return context.anchors(html, layout_path(TEMPLATE))

    return remembered_pages(html, context.layouts_digest, lay_out or one_render)


def sample_edition(book: Book) -> Book:
    """The parts of the book marked as sample; the full book must say where it is sold."""
    if book.info.store_url is None:
        raise BookError.at(
            book.root / "book.yaml", None,
            "a sample edition needs store_url in book.yaml, to say where the full book is sold",
        )  # fmt: skip
    sample = book.sample_edition()
    if not sample.chapters:
        raise BookError.at(
            book.root / "chapters", None,
            "no chapter is marked 'sample: true', so the sample edition would be empty",
        )  # fmt: skip
    return sample


# --- Sharpness in print ------------------------------------------------------------------


def check_print_sharpness(book: Book, paper: Paper | str) -> None:
    """A print edition needs every raster picture at 300 dpi at the size this trim prints it.

    That follows from the book and the trim alone, so a blurred picture fails the build
    before anything is laid out.
    """
    geometry = page_geometry(TRIMS[paper])
    where = f"in the print edition at {TRIMS[paper].label}"
    problems = []
    for image in book_images(book):
        width, height = image.pixels
        printed_mm = printed_width_mm(width / height, geometry, image.kind)
        if (problem := image.too_soft_for_print(printed_mm, where)) is not None:
            problems.append(problem)
    if problems:
        raise BookError(problems)


# --- Running heads -----------------------------------------------------------------------


def running_heads(
    book: Book, geometry: dict[str, float], font: TextMeasure | None
) -> dict[str, str]:
    """The running head of every chapter and exercise, by its anchor: its short title or
    name where it has one, cut with an ellipsis where even that is too long for one line."""
    width_mm = geometry["measure_mm"]
    heads = {f"chapter-{c.id}": c.label for c in book.chapters}
    heads |= {f"exercise-{e.id}": e.label for e in book.exercises.values()}
    return {anchor: fit_head(label, width_mm, font) for anchor, label in heads.items()}


def fit_head(text: str, width_mm: float, font: TextMeasure | None) -> str:
    """``text`` as it fits one line of a running head, cut at a word with "…" if need be.

    The margin box would only hide what overflows, which leaves it in the PDF's text.
    """
    text = " ".join(text.split())
    if _head_width_mm(text, font) <= width_mm:
        return text
    words = text.split(" ")
    while len(words) > 1:
        words.pop()
        cut = " ".join(words).rstrip(",;:.-\u2013\u2014 ") + "…"
        if _head_width_mm(cut, font) <= width_mm:
            return cut
    word = words[0]  # one word longer than the line: cut it between letters
    while word and _head_width_mm(word + "…", font) > width_mm:
        word = word[:-1]
    return word + "…"


def _head_width_mm(text: str, font: TextMeasure | None) -> float:
    upper = text.upper()  # the heads are set in capitals
    em = font.width_em(upper) if font else 0.72 * len(upper)
    return (em + HEAD_TRACKING_EM * len(upper)) * HEAD_PT * 25.4 / 72


@vetted  # a pure function of a string: safe in a layout's hands
def css_string(text: str) -> str:
    """``text`` as a quoted CSS string, safe inside a <style> element."""
    escaped = "".join(
        f"\\{ord(c):x} " if c in '\\"<>&' or ord(c) < 32 or ord(c) == 127 else c for c in text
    )
    return f'"{escaped}"'


# --- Exercises that outgrow their spread -------------------------------------------------


def spilled_exercises(book: Book, anchors: dict[str, int], paper: Paper | str) -> list[Problem]:
    """A warning for each exercise that ran past its spread, naming the page that is too long.

    ``anchors`` holds the page of every element with an id. The left-hand page holds the
    name, purpose, figure and dose; its facing page (``recto-ID``) the instructions, whose
    last box (the caution, or the video code) should sit on that same page.
    """
    label = TRIMS[paper].label
    left = (
        f"at {label} its left-hand page (name, purpose, figure and dose) runs past one page;"
        " shorten its name or purpose, or choose a larger page"
    )
    right = (
        f"at {label} its instructions run past the right-hand page onto another spread;"
        " shorten its steps or tips, or choose a larger page"
    )
    warnings = []
    for exercise in book.exercises.values():
        start = anchors.get(f"exercise-{exercise.id}")
        end = anchors.get(f"video-{exercise.id}", anchors.get(f"caution-{exercise.id}"))
        if start is None or end is None:
            continue
        recto = anchors.get(f"recto-{exercise.id}", start + 1)
        if recto - start > 1:
            warnings.append(Problem(exercise.source, None, left))
        if end > recto:
            warnings.append(Problem(exercise.source, None, right))
    return warnings
