"""The full illustrated ebook."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from urllib.parse import unquote, urlsplit

from psoas_print.errors import BookError, Problem
from psoas_print.figures import Style, figures_for, qr_code
from psoas_print.model import Book, Chapter, Paper
from psoas_print.products import (
    FIGURE_MAX_HEIGHT_MM,
    PAPERS,
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

if TYPE_CHECKING:
    import uharfbuzz

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
IMAGE_SHARE = 0.5  # a picture in a chapter's text is at most this share of the text's height
FIGURE_MIN_SHARE = 0.17  # an exercise's figure keeps this share however long its name
HEAD_PT, HEAD_TRACKING_EM = 8.5, 0.04  # running heads: type size and letter spacing

# A picture prints across the text column, no taller than its kind allows: an exercise's
# own figure (or photo) on its left-hand page, or an image in the text of a chapter or
# of an exercise's instructions.
ImageKind = Literal["figure", "inline"]


def page_geometry(paper: PaperSize) -> dict[str, float]:
    """Text column, type size and picture heights that suit the page size.

    The figure's height is a cap: an exercise's left-hand page gives its figure what the
    name, purpose and dose box leave (down to ``figure_min_height_mm``), so the dose box
    always stays on that page.
    """
    measure = min(TEXT_MEASURE_MM, paper.width_mm * 0.72)
    top, bottom = (22, 26) if paper.height_mm >= 270 else (17, 20)  # trade paperbacks: less
    text_height = paper.height_mm - top - bottom
    # A narrower column wraps the heading and the dose box onto more lines.
    facts = EXERCISE_FACTS_MM * TEXT_MEASURE_MM / measure
    room = text_height - facts
    # A5 and 5.5 x 8.5 in: a little less space between the parts of an exercise's right-hand
    # page, so that its instructions stay on that one page.
    short = paper.height_mm < SHORT_PAGE_MM
    body_pt = 11.5 if measure >= 120 else 10.5 if measure >= 105 and not short else 10
    return {
        "measure_mm": round(measure, 1),
        "margin_top_mm": top,
        "margin_bottom_mm": bottom,
        "text_height_mm": round(text_height, 1),
        "body_pt": body_pt,
        "head_pt": HEAD_PT,
        "head_tracking_em": HEAD_TRACKING_EM,
        "short_page": short,
        "figure_max_height_mm": round(min(FIGURE_MAX_HEIGHT_MM, room), 1),
        "figure_min_height_mm": round(text_height * FIGURE_MIN_SHARE, 1),
        "image_max_height_mm": round(min(FIGURE_MAX_HEIGHT_MM, text_height * IMAGE_SHARE), 1),
    }


def printed_width_mm(aspect: float, geometry: dict[str, float], kind: ImageKind) -> float:
    """How wide a picture of this width-to-height ratio prints: across the text column,
    unless that would make it taller than its kind may be."""
    cap = geometry["figure_max_height_mm" if kind == "figure" else "image_max_height_mm"]
    return min(geometry["measure_mm"], cap * aspect)


def default_printed_width_mm(aspect: float, kind: ImageKind) -> float:
    """How wide a picture prints in the ebook: the wider of its sizes on A4 and US Letter."""
    return max(printed_width_mm(aspect, page_geometry(p), kind) for p in PAPERS.values())


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
    full_book = book
    store_qr = None
    if sample:
        book = _sample_edition(book)
        store_qr = qr_code(str(book.info.store_url))
    if printing is not None:
        check_print_sharpness(book, paper)  # before anything is laid out
    environment = make_environment(sources)
    chapters = book.chapters if portion.chapters is None else portion.chapters
    shown = [exercise for chapter in chapters for exercise in book.chapter_exercises(chapter)]
    geometry = page_geometry(TRIMS[paper])
    context = {
        **common_context(book, paper),
        "chapters": book.chapters,
        "full_book": full_book,
        "figures": figures_for(shown, Style()),
        "videos": {e.id: qr_code(e.video) for e in shown if e.video},
        "sample": sample,
        "store_qr": store_qr,
        "printing": printing,
        "portion": replace(portion, chapters=chapters),
        **geometry,
    }
    faces = font_faces(render_template(environment, "fonts.css", **context), book.root)
    tokens = render_template(environment, "tokens.css", **context)
    context["running_heads"] = running_heads(book, geometry, _head_font(faces, tokens))
    context["css_string"] = css_string
    style = tokens + render_template(environment, "ebook.css", **context)
    context["typefaces"] = spoken_list(used_typefaces(faces, style))
    return render_template(environment, TEMPLATE, **context)


def _sample_edition(book: Book) -> Book:
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
    from psoas_print.content import PRINT_DPI, book_images, sharpness_message

    geometry = page_geometry(TRIMS[paper])
    where = f"in the print edition at {TRIMS[paper].label}"
    problems = []
    for image in book_images(book):
        width, height = image.pixels
        printed_mm = printed_width_mm(width / height, geometry, image.kind)
        if width * 25.4 / printed_mm < PRINT_DPI:
            message = sharpness_message(image.path, width, printed_mm, where)
            problems.append(
                Problem(
                    image.source,
                    image.line,
                    f"{message} (under {PRINT_DPI} dpi is too soft for print)",
                )
            )
    if problems:
        raise BookError(problems)


# --- Fonts: what the layouts really set the book in ----------------------------------------


@dataclass(frozen=True)
class FontFace:
    """One @font-face rule of the layouts: the family as CSS names it, and its font file."""

    family: str
    weight: int
    italic: bool
    file: Path | None  # None for a font given as a data: URL


_FONT_FACE = re.compile(r"@font-face\s*\{([^}]*)\}", re.IGNORECASE)
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_DECLARATION = re.compile(r"(font-family|font-weight|font-style|src)\s*:\s*([^;]+)", re.I)
_URL = re.compile(r"""url\(\s*['"]?([^'")]+)""", re.IGNORECASE)
_FAMILY_VALUE = re.compile(r"(?:font-family|font|--[\w-]+)\s*:\s*([^;{}]+)", re.IGNORECASE)


def font_faces(css: str, base: Path) -> list[FontFace]:
    """The @font-face rules in ``css``; a relative font URL is read from ``base``."""
    faces = []
    for rule in _FONT_FACE.findall(_COMMENT.sub("", css)):
        values = {name.lower(): value.strip() for name, value in _DECLARATION.findall(rule)}
        family = _unquote(values.get("font-family", ""))
        if not family:
            continue
        weight = values.get("font-weight", "400").lower()
        url = _URL.search(values.get("src", ""))
        faces.append(
            FontFace(
                family=family,
                weight=700 if weight == "bold" else int(weight) if weight.isdigit() else 400,
                italic=values.get("font-style", "normal").lower() in ("italic", "oblique"),
                file=_font_file(url[1], base) if url else None,
            )
        )
    return faces


def _font_file(url: str, base: Path) -> Path | None:
    if url.startswith("data:"):
        return None
    parts = urlsplit(url)
    if parts.scheme == "file":
        from urllib.request import url2pathname

        return Path(url2pathname(parts.path))
    return base / unquote(parts.path) if not parts.scheme else None


def _unquote(text: str) -> str:
    return text.strip().strip("'\"").strip()


@cache
def _font(path: Path) -> uharfbuzz.Face | None:
    """The font file as HarfBuzz reads it, or None if it is no font."""
    import uharfbuzz as harfbuzz

    try:
        face = harfbuzz.Face(harfbuzz.Blob.from_file_path(str(path)))
    except harfbuzz.HarfBuzzError:
        return None
    return face if face.glyph_count else None


def typeface_name(path: Path) -> str | None:
    """The typeface's family name as its maker gave it, read from inside the font file."""
    import uharfbuzz as harfbuzz

    face = _font(path)
    if face is None:
        return None
    names = harfbuzz.OTNameIdPredefined
    # The typographic family ("Inter"); the plain family may name a weight ("Inter Semi Bold").
    return face.get_name(names.TYPOGRAPHIC_FAMILY) or face.get_name(names.FONT_FAMILY)


def used_typefaces(faces: list[FontFace], style: str) -> list[str]:
    """The typefaces of the @font-face rules that ``style`` (the layouts' CSS) names."""
    named = {
        _unquote(family).lower()
        for value in _FAMILY_VALUE.findall(_COMMENT.sub("", style))
        for family in value.split(",")
    }
    names = [
        (face.file and typeface_name(face.file)) or face.family
        for face in faces
        if face.family.lower() in named
    ]
    return list(dict.fromkeys(names))


def spoken_list(names: list[str]) -> str:
    """Names as a sentence lists them: "A", "A and B", "A, B and C"."""
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


# --- Running heads -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Measure:
    """Sets a line of text in one font, as WeasyPrint would, to learn its width."""

    path: Path

    def width_em(self, text: str) -> float:
        import uharfbuzz as harfbuzz

        face = _font(self.path)
        buffer = harfbuzz.Buffer()
        buffer.add_str(text)
        buffer.guess_segment_properties()
        harfbuzz.shape(harfbuzz.Font(face), buffer, {})
        return sum(position.x_advance for position in buffer.glyph_positions) / face.upem


def _head_font(faces: list[FontFace], tokens: str) -> _Measure | None:
    """The regular face of the family the margin boxes use (``var(--sans)``, see ebook.css)."""
    declared = re.search(r"--sans\s*:\s*([^;]+);", _COMMENT.sub("", tokens))
    family = _unquote(declared[1].split(",")[0]).lower() if declared else ""
    candidates = [f for f in faces if f.family.lower() == family and not f.italic and f.file]
    if not candidates:
        return None
    regular = min(candidates, key=lambda face: abs(face.weight - 400))
    return _Measure(regular.file) if regular.file and _font(regular.file) else None


def running_heads(book: Book, geometry: dict[str, float], font: _Measure | None) -> dict[str, str]:
    """The running head of every chapter and exercise, by its anchor: its short title or
    name where it has one, cut with an ellipsis where even that is too long for one line."""
    width_mm = geometry["measure_mm"]
    heads = {f"chapter-{c.id}": c.label for c in book.chapters}
    heads |= {f"exercise-{e.id}": e.label for e in book.exercises.values()}
    return {anchor: fit_head(label, width_mm, font) for anchor, label in heads.items()}


def fit_head(text: str, width_mm: float, font: _Measure | None) -> str:
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


def _head_width_mm(text: str, font: _Measure | None) -> float:
    upper = text.upper()  # the heads are set in capitals
    em = font.width_em(upper) if font else 0.72 * len(upper)
    return (em + HEAD_TRACKING_EM * len(upper)) * HEAD_PT * 25.4 / 72


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
