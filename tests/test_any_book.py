"""Any author's book, at every page size: pictures stay in the column, spreads stay spreads,
running heads keep to one line, the contents stay aligned, and the layouts' fixed words
describe no book in particular.

The books here are small and made for the purpose: the sample with very long titles and
names, an exercise with no figure, very wide and very tall pictures and its own fonts.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from PIL import Image
from pypdf import PdfReader

from psoas_print import load_book
from psoas_print.book.sources import Sources
from psoas_print.layout.geometry import TRIMS, page_geometry
from psoas_print.layout.typesetter import Renderer
from psoas_print.products.context import BuildContext
from psoas_print.products.ebook_html import css_string, ebook_html, fit_head
from psoas_print.shipped import shipped
from tests.conftest import ENGLISH, SAMPLE_BOOK, run_cli
from tests.pdfs import embedded_fonts, folio, folio_page, outline, tagged_figures

PT_PER_MM = 72 / 25.4
# Titles of 80-90 characters that wrap, with a last line so full at some trims that a
# contents leader and page number would no longer fit beside it.
LONG_TITLE = (
    "Breathing and stabilisation: recommendations physiotherapists give for everyday movements"
)
LONG_CHAPTER = (
    "Everyday movements and breathing: what physiotherapists recommend, and why it all matters"
)
LONG_NAME = (  # 90 characters
    "Side-Lying Front and Back Leg Swings with a Long Reach and a Slow Return to the Start Pose"
)
TALL_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="100" height="600"
viewBox="0 0 100 600"><rect width="100" height="600" fill="#0e6b66"/></svg>"""
INTER = [
    (400, "normal", "Inter-Regular.otf"),
    (400, "italic", "Inter-Italic.otf"),
    (600, "normal", "Inter-SemiBold.otf"),
    (700, "normal", "Inter-Bold.otf"),
]
GENTIUM = [
    (400, "normal", "GentiumBookPlus-Regular.ttf"),
    (400, "italic", "GentiumBookPlus-Italic.ttf"),
    (700, "normal", "GentiumBookPlus-Bold.ttf"),
    (700, "italic", "GentiumBookPlus-BoldItalic.ttf"),
]


def fonts_css(families: dict[str, list[tuple[int, str, str]]]) -> str:
    """A book's own fonts.css: each family the book names, from font files of its choice."""
    return "\n".join(
        f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: {style}; '
        f"src: url(\"{{{{ font_url('{file}') }}}}\"); }}"
        for family, faces in families.items()
        for weight, style, file in faces
    )


def own_fonts(book: Path, families: dict[str, list[tuple[int, str, str]]]) -> None:
    """Give the book its own fonts.css and tokens.css: serif and sans from ``families``."""
    names = list(families)
    serif, sans = names[0], names[-1]
    (book / "layouts").mkdir(exist_ok=True)
    (book / "layouts/fonts.css").write_text(fonts_css(families), encoding="utf-8")
    tokens = (shipped("layouts") / "tokens.css").read_text(encoding="utf-8")
    tokens = re.sub(r"--serif: [^;]+;", f'--serif: "{serif}";', tokens)
    tokens = re.sub(r"--sans: [^;]+;", f'--sans: "{sans}";', tokens)
    (book / "layouts/tokens.css").write_text(tokens, encoding="utf-8")


BUILDS = {  # name: command-line options
    "a5": ("--print", "--trim", "a5"),
    "5.5x8.5in": ("--print", "--trim", "5.5x8.5in"),
    "6x9in": ("--print", "--trim", "6x9in"),
    "letter": ("--paper", "letter"),
}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def make_odd_book(root: Path) -> Path:
    """The sample with long titles and names, a figureless exercise, odd pictures, own fonts."""
    book = Path(shutil.copytree(SAMPLE_BOOK, root / "book"))
    edit(
        book / "chapters/01-meet-your-psoas.md", "title: Meet your psoas", f'title: "{LONG_TITLE}"'
    )
    edit(
        book / "chapters/01-meet-your-psoas.md",
        "## Where it runs\n",
        "## Where it runs\n\n![A wide strip](figures/wide.png)\n\n![A tall photo](figures/tall.jpg)"
        "\n\n![A tall drawing](figures/tall.svg)\n\n",
    )
    edit(
        book / "chapters/04-the-exercises.md",
        "title: The five exercises",
        f'title: "{LONG_CHAPTER}"\nshort_title: The exercises',
    )
    side_kicks = book / "exercises/side-kicks.md"
    named = "name: Pilates Front and Back Side Kicks\nshort_name: Front and Back Side Kicks"
    edit(side_kicks, named, f"name: {LONG_NAME}")
    (book / "figures/side-kicks.yaml").unlink()  # no pose and no image: the placeholder
    Image.new("RGB", (3000, 400), "#c96").save(book / "figures/wide.png")
    Image.new("RGB", (900, 3600), "#69c").save(book / "figures/tall.jpg")
    (book / "figures/tall.svg").write_text(TALL_SVG, encoding="utf-8")
    # Its own names for the fonts: the colophon must name the typefaces, not these.
    own_fonts(book, {"Book Serif": GENTIUM, "Book Sans": INTER})
    return book


@dataclass
class Built:
    path: Path
    stderr: str
    trim: str

    @cached_property
    def reader(self) -> PdfReader:
        return PdfReader(self.path)


@pytest.fixture(scope="module")
def odd_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_odd_book(tmp_path_factory.mktemp("odd"))


@pytest.fixture(scope="module")
def odd_builds(odd_book: Path) -> dict[str, Built]:
    """The odd book's ebook at three trims and on Letter paper, each built once."""
    built = {}
    for name, options in BUILDS.items():
        target = odd_book.parent / f"{name}.pdf"
        result = run_cli("ebook", "--book", odd_book, *options, "-o", target)
        assert result.exit_code == 0, result.stderr
        built[name] = Built(target, result.stderr, options[-1])
    return built


# --- Reading the PDF: where text and pictures are ---------------------------------------


def _multiply(a: tuple[float, ...], b: tuple[float, ...]) -> tuple[float, ...]:
    """The PDF matrix ``a`` followed by ``b``, each as (a, b, c, d, e, f)."""
    return (
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    )


def _cid_widths(font: pikepdf.Dictionary) -> tuple[dict[int, float], float]:
    """Glyph widths (thousandths of the type size) of a WeasyPrint font, by glyph id."""
    descendant = font.DescendantFonts[0]
    widths: dict[int, float] = {}
    spec = list(descendant.get("/W", []))
    index = 0
    while index < len(spec):
        first = int(spec[index])
        if isinstance(spec[index + 1], pikepdf.Array):
            widths |= {first + k: float(w) for k, w in enumerate(spec[index + 1])}
            index += 2
        else:
            last, width = int(spec[index + 1]), float(spec[index + 2])
            widths |= dict.fromkeys(range(first, last + 1), width)
            index += 3
    return widths, float(descendant.get("/DW", 1000))


@dataclass(frozen=True)
class Line:
    """A line of text on a page, in points from the trimmed page's bottom-left corner."""

    baseline: float
    left: float
    right: float


def _shown_width(shown: list, widths: dict[int, float], default: float) -> float:
    """How far a TJ array moves along, in thousandths of the type size."""
    total = 0.0
    for item in shown:
        if isinstance(item, pikepdf.String):
            data = bytes(item)
            total += sum(widths.get(c, default) for c in _cids(data))
        else:
            total -= float(item)  # a positive adjustment moves back
    return total


def _cids(data: bytes) -> list[int]:
    return [data[i] << 8 | data[i + 1] for i in range(0, len(data) - 1, 2)]


def with_ctm(page: pikepdf.Page) -> Iterator[tuple[list[Any], str, tuple[float, ...]]]:
    """Each operator of a page's content stream, with the transformation then in force."""
    ctm: tuple[float, ...] = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    stack: list[tuple[float, ...]] = []
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op == "q":
            stack.append(ctm)
        elif op == "Q":
            ctm = stack.pop()
        elif op == "cm":
            ctm = _multiply(tuple(float(v) for v in operands), ctm)
        yield list(operands), op, ctm


def text_lines(path: Path, index: int) -> list[Line]:
    """Every line of text on a page, with where it starts and ends, read from the page's
    content stream and its fonts' widths."""
    spans: list[tuple[float, float, float]] = []
    with pikepdf.open(path) as pdf:
        page = pdf.pages[index]
        fonts = {name: _cid_widths(font) for name, font in page.Resources.Font.items()}
        tm: tuple[float, ...] = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        font, size = None, 0.0
        for operands, op, ctm in with_ctm(page):
            if op == "Tm":
                tm = tuple(float(v) for v in operands)
            elif op == "Tf":
                font, size = str(operands[0]), float(operands[1])
            elif op in ("TJ", "Tj") and font is not None:
                shown = list(operands[0]) if op == "TJ" else [operands[0]]
                matrix = _multiply(tm, ctm)
                advance = _shown_width(shown, *fonts[font]) / 1000 * size * matrix[0]
                spans.append((round(matrix[5] * 2) / 2, matrix[4], matrix[4] + advance))
    lines: dict[float, list[tuple[float, float]]] = {}
    for baseline, left, right in spans:
        lines.setdefault(baseline, []).append((left, right))
    return [
        Line(baseline, min(s[0] for s in row), max(s[1] for s in row))
        for baseline, row in sorted(lines.items(), reverse=True)
    ]


def image_boxes(path: Path) -> list[tuple[int, float, float, float, float]]:
    """(page index, left, bottom, right, top) in points of every raster image drawn."""
    boxes = []
    with pikepdf.open(path) as pdf:
        for index, page in enumerate(pdf.pages):
            images = {
                name
                for name, xobject in page.Resources.get("/XObject", {}).items()
                if xobject.get("/Subtype") == "/Image"
            }
            for operands, op, ctm in with_ctm(page):
                if op == "Do" and str(operands[0]) in images:
                    xs = (ctm[4], ctm[4] + ctm[0])
                    ys = (ctm[5], ctm[5] + ctm[3])
                    boxes.append((index, min(xs), min(ys), max(xs), max(ys)))
    return boxes


def text_column_pt(trim: str, page_number: int) -> tuple[float, float]:
    """Left and right edges of the text column on a page (right-hand pages are odd)."""
    paper = TRIMS[trim]
    measure = page_geometry(paper)["measure_mm"]
    spare = paper.width_mm - measure
    left = spare * (0.42 if page_number % 2 else 0.58)
    return left * PT_PER_MM, (left + measure) * PT_PER_MM


def page_of(reader: PdfReader, title: str) -> int:
    return next(page for _, t, page in outline(reader) if t == title)


# --- Pictures in the text --------------------------------------------------------------


@pytest.mark.parametrize("name", ["a5", "6x9in", "letter"])
def test_wide_and_tall_chapter_images_stay_inside_the_text_column(odd_builds, name):
    built = odd_builds[name]
    geometry = page_geometry(TRIMS[built.trim])
    boxes = image_boxes(built.path)
    assert len(boxes) == 2  # the strip and the tall photo; the SVG is drawn, not an image
    for index, left, bottom, right, top in boxes:
        column_left, column_right = text_column_pt(built.trim, folio(built.reader, index))
        assert left >= column_left - 0.5 and right <= column_right + 0.5, (name, left, right)
        height_mm = (top - bottom) / PT_PER_MM
        assert height_mm <= geometry["image_max_height_mm"] + 0.2, (name, height_mm)
        page_top = (TRIMS[built.trim].height_mm - geometry["margin_top_mm"]) * PT_PER_MM
        assert bottom >= geometry["margin_bottom_mm"] * PT_PER_MM - 0.5 and top <= page_top + 0.5
    strip = max(boxes, key=lambda box: box[3] - box[1])
    width_mm = (strip[3] - strip[1]) / PT_PER_MM
    assert width_mm == pytest.approx(geometry["measure_mm"], abs=0.3)  # across the column
    [(_, width, height)] = [f for f in tagged_figures(built.path) if f[0] == "A tall drawing"]
    assert width <= geometry["measure_mm"] + 0.2
    assert height <= geometry["image_max_height_mm"] + 0.2


def add_chapter_image(book: Path, name: str, size: tuple[int, int]) -> int:
    """Put an image at the head of the first chapter's text; the Markdown line it is on."""
    Image.new("RGB", size, "#c96").save(book / "figures" / name)
    chapter = book / "chapters/01-meet-your-psoas.md"
    lines = chapter.read_text(encoding="utf-8").splitlines(keepends=True)
    body = lines.index("---\n", 1) + 1
    lines[body:body] = [f"![A picture](figures/{name})\n", "\n"]
    chapter.write_text("".join(lines), encoding="utf-8")
    return body + 1


def test_a_blurred_chapter_image_is_an_error_at_its_line(book, tmp_path, monkeypatch):
    line = add_chapter_image(book, "blurry.png", (300, 200))
    monkeypatch.chdir(tmp_path)
    where = f"book/chapters/01-meet-your-psoas.md:{line}: 'blurry.png' prints at 61 dpi"
    for command in (("check",), ("ebook", "-o", "out.pdf")):
        result = run_cli(*command, "--book", book)
        assert result.exit_code == 2, command
        assert result.stderr.startswith(where), result.stderr
        assert "(under 150 dpi is too blurred)" in result.stderr
    assert not (tmp_path / "out.pdf").exists()


def test_a_soft_chapter_image_is_a_warning(book):
    line = add_chapter_image(book, "soft.png", (1000, 500))
    result = run_cli("check", "--book", book)
    assert result.exit_code == 0, result.stderr
    assert f"01-meet-your-psoas.md:{line}: warning: 'soft.png' prints at 205 dpi" in result.stderr


def test_a_print_edition_refuses_pictures_under_300_dpi(book, tmp_path, monkeypatch):
    # Both are fine on screen (over 150 dpi) but not in print at 6 x 9 in.
    chapter_line = add_chapter_image(book, "strip.png", (1200, 300))
    Image.new("RGB", (1200, 900), "#c96").save(book / "figures/photo.png")
    edit(book / "exercises/crisscross.md", "---\nname:", "---\nimage: figures/photo.png\nname:")

    def no_layout(*args, **kwargs):
        raise AssertionError("laid out a book that cannot be printed")

    monkeypatch.setattr(BuildContext, "typeset", no_layout)
    monkeypatch.setattr(Renderer, "render", no_layout)
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "print.pdf"
    result = run_cli("ebook", "--book", book, "--print", "--trim", "6x9in", "-o", target)
    assert result.exit_code == 2, result.stderr
    errors = [line for line in result.stderr.splitlines() if "warning" not in line]
    assert errors == [
        f"book/chapters/01-meet-your-psoas.md:{chapter_line}: 'strip.png' prints at 278 dpi, "
        "110 mm wide in the print edition at 6 x 9 in; 300 dpi needs 1296 pixels across "
        "(under 300 dpi is too soft for print)",
        "book/exercises/crisscross.md:2: 'photo.png' prints at 291 dpi, 105 mm wide in the "
        "print edition at 6 x 9 in; 300 dpi needs 1238 pixels across "
        "(under 300 dpi is too soft for print)",
    ]
    assert not target.exists()


# --- Exercise spreads ------------------------------------------------------------------


def exercise_pages(reader: PdfReader, anchor: str) -> int:
    return folio(reader, reader.get_destination_page_number(reader.named_destinations[anchor]))


@pytest.mark.parametrize("name", list(BUILDS))
def test_every_exercise_keeps_to_its_spread(odd_builds, odd_book, name):
    built = odd_builds[name]
    assert "run past" not in built.stderr and "runs past" not in built.stderr
    reader = built.reader
    for exercise in load_book(odd_book).exercises.values():
        start = exercise_pages(reader, f"exercise-{exercise.id}")
        assert start % 2 == 0, (name, exercise.id)  # opens on a left-hand page
        assert exercise_pages(reader, f"recto-{exercise.id}") == start + 1, (name, exercise.id)
        assert exercise_pages(reader, f"caution-{exercise.id}") == start + 1, (name, exercise.id)


def test_a_figureless_exercise_with_a_long_name_keeps_to_two_pages_at_a5(odd_builds):
    reader = odd_builds["a5"].reader
    entries = outline(reader)
    start = page_of(reader, LONG_NAME)
    following = entries[[title for _, title, _ in entries].index(LONG_NAME) + 1][2]
    assert following >= start + 2 and following - start <= 3  # two pages, maybe a blank
    verso = " ".join(folio_page(reader, start).extract_text().split())
    assert "LYING ON ONE SIDE" in verso and "DOSE" in verso  # placeholder and dose box
    assert "BREATHING" in folio_page(reader, start + 1).extract_text()


def test_a_left_hand_page_too_long_is_named_as_the_cause(book, tmp_path):
    purpose = "Works the psoas as a stabiliser and a hip flexor while the obliques twist. " * 9
    exercise = book / "exercises/crisscross.md"
    edit(exercise, "purpose: >-\n", f"purpose: >-\n  {purpose.strip()}\n")
    result = run_cli("ebook", "--book", book, "--print", "--trim", "a5", "-o", tmp_path / "x.pdf")
    assert result.exit_code == 0, result.stderr
    [warning] = [line for line in result.stderr.splitlines() if "crisscross.md" in line]
    assert "at A5 its left-hand page (name, purpose, figure and dose) runs past one page" in warning
    assert "instructions" not in warning


# --- Running heads ---------------------------------------------------------------------


def running_head(built: Built, page_number: int) -> tuple[str, list[Line]]:
    """The text in a page's top margin, and its lines."""
    paper = TRIMS[built.trim]
    floor = (paper.height_mm - page_geometry(paper)["margin_top_mm"]) * PT_PER_MM
    lines = [line for line in text_lines(built.path, page_number - 1) if line.baseline > floor]
    runs = []

    def visit(text: str, cm: list, tm: list, font: dict | None, size: float) -> None:
        if text.strip() and tm[4] * cm[1] + tm[5] * cm[3] + cm[5] > floor:
            runs.append(text)

    folio_page(built.reader, page_number).extract_text(visitor_text=visit)
    return "".join(runs).strip(), lines


def assert_cut(head: str, label: str) -> None:
    assert head.endswith("…"), head
    assert label.upper().startswith(head[:-1].rstrip()), (head, label)
    assert len(head) > len(label) // 3, head


@pytest.mark.parametrize("name", ["a5", "6x9in"])
def test_running_heads_use_short_names_and_keep_to_one_line(odd_builds, name):
    built = odd_builds[name]
    reader = built.reader
    # The chapter with no short title: cut with an ellipsis on its left-hand pages.
    first = page_of(reader, LONG_TITLE)
    assert_cut(running_head(built, first + 1)[0], LONG_TITLE)
    # The chapter's short title on the left, the exercise's short name on the right.
    crisscross = page_of(reader, "Pilates Crisscross")
    assert running_head(built, crisscross)[0] == "THE EXERCISES"
    assert running_head(built, crisscross + 1)[0] == "CRISSCROSS"
    # A long name with no short one is cut.
    assert_cut(running_head(built, page_of(reader, LONG_NAME) + 1)[0], LONG_NAME)
    # Every head is one line inside the text column.
    for number in range(first, len(reader.pages) + 1):
        lines = running_head(built, number)[1]
        assert len(lines) <= 1, (name, number, lines)
        left, right = text_column_pt(built.trim, number)
        assert all(left - 0.5 <= line.left and line.right <= right + 0.5 for line in lines)


def test_a_head_too_long_is_cut_at_a_word():
    assert fit_head("Short", 100, None) == "Short"
    cut = fit_head(LONG_NAME, 60, None)
    assert cut.endswith("…") and LONG_NAME.startswith(cut[:-1])
    assert cut[:-1].split()[-1] in LONG_NAME.split()
    assert fit_head("Supercalifragilisticexpialidocious", 20, None).endswith("…")


def test_css_strings_cannot_break_out_of_the_style_element():
    assert css_string('Say "hi" </style> \\') == '"Say \\22 hi\\22  \\3c /style\\3e  \\5c "'


# --- Contents ---------------------------------------------------------------------------

TOC_END = re.compile(r"^(?P<title>\w.*?)\s*\.+\s*(?P<page>\d+)$")  # however short the leader


@pytest.mark.parametrize("name", list(BUILDS))
def test_contents_numbers_stay_on_the_last_line_of_a_wrapped_title(odd_builds, name):
    built = odd_builds[name]
    reader = built.reader
    index = next(i for i, p in enumerate(reader.pages) if p.extract_text().startswith("Contents"))
    words = reader.pages[index].extract_text().splitlines()[1:]  # after "Contents"
    placed = text_lines(built.path, index)[1:]  # the same lines, top to bottom
    assert len(words) == len(placed)
    right = text_column_pt(built.trim, folio(reader, index))[1]
    entries, pending = {}, []
    for line, where in zip(words, placed, strict=True):
        match = TOC_END.match(line.strip())
        if match is None:  # a title that wraps: its number comes with its last line
            pending.append(line.strip())
            continue
        entries[" ".join([*pending, match["title"]])] = int(match["page"])
        pending = []
        # The number ends at the column's right edge, as on every other entry.
        assert where.right == pytest.approx(right, abs=0.3), (name, line)
    assert not pending, pending
    assert LONG_TITLE in entries and LONG_CHAPTER in entries and LONG_NAME in entries
    bookmarks = {title: page for _, title, page in outline(reader)}
    for title, page in entries.items():
        assert bookmarks[title] == page, (name, title)


# --- Fixed words in the layouts --------------------------------------------------------


def test_the_colophon_names_the_fonts_embedded(odd_builds):
    built = odd_builds["6x9in"]
    text = " ".join(" ".join(page.extract_text() for page in built.reader.pages[:4]).split())
    [named] = re.findall(r"Set in (.+?)\. Made with", text)
    # The book calls them Book Serif and Book Sans; the colophon names the typefaces.
    assert named == "Gentium Book Plus and Inter"
    # PostScript names inside the embedded fonts: "GentiumBookPlus-Bold", "Inter-SemiBold".
    embedded = {name.split("-")[0] for name, _ in embedded_fonts(built.reader)}
    assert embedded == {family.replace(" ", "") for family in named.split(" and ")}


def colophon(book_dir: Path) -> str:
    book = load_book(book_dir)
    html = ebook_html(book, BuildContext(Sources(book.root)), "a4", ENGLISH)
    return re.findall(r'<p class="colophon">(.*?)</p>', html)[0]


def test_the_colophon_follows_the_fonts_a_book_chooses(book):
    assert colophon(book).startswith("Set in Gentium Book Plus and Inter. Made with")
    own_fonts(book, {"Plain": INTER})
    assert colophon(book).startswith("Set in Inter. Made with")


def test_the_sample_edition_closes_with_words_true_of_any_book(odd_book):
    book = load_book(odd_book)
    html = ebook_html(book, BuildContext(Sources(book.root)), "a4", ENGLISH, sample=True)
    closing = " ".join(html[html.index('class="sample-end"') :].split())
    chapters = len(book.chapters)
    exercises = sum(len(chapter.exercises) for chapter in book.chapters)
    assert f"The full book has {chapters} chapters and {exercises} exercises." in closing
    assert book.info.store_url in closing and book.info.byline in closing


def test_no_shipped_layout_names_a_font_or_the_sample_books_contents():
    for path in shipped("layouts").glob("*.html"):
        text = path.read_text(encoding="utf-8")
        for words in ("Gentium", "Inter.", "weekly plan", "illustrated spread"):
            assert words not in text, (path.name, words)
