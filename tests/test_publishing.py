"""Print-ready, tagged and archival PDFs, and builds that repeat to the byte."""

from __future__ import annotations

import re
import statistics
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from psoas_print import load_book
from psoas_print.errors import display_path
from tests.accessibility import ua_problems
from tests.conftest import SAMPLE_BOOK, Made, run_cli, run_guarded
from tests.pdfs import lone_list_markers, outline

SAMPLE = load_book(SAMPLE_BOOK)
PT_PER_MM = 72 / 25.4


@pytest.fixture(scope="module")
def print_ebook(print_edition: Made) -> Path:
    """The sample's print edition at 6 x 9 in with 3 mm of bleed and crop marks (shared)."""
    return print_edition.path


def box_mm(page: pikepdf.Page, key: str) -> list[float]:
    return [round(float(value) / PT_PER_MM, 1) for value in page.obj[key]]


def test_print_pages_have_trim_and_bleed_boxes(print_ebook):
    with pikepdf.open(print_ebook) as pdf:
        assert len(pdf.pages) >= 20
        for page in pdf.pages:
            assert box_mm(page, "/TrimBox") == [0.0, 0.0, 152.4, 228.6]
            assert box_mm(page, "/BleedBox") == [-3.0, -3.0, 155.4, 231.6]
            # The sheet reaches 8 mm beyond the bleed: a slug for the crop marks.
            assert box_mm(page, "/MediaBox") == [-11.0, -11.0, 163.4, 239.6]


def test_crop_marks_sit_in_the_slug_never_in_the_bleed(print_ebook):
    from psoas_print.pdf.preflight import read_page

    bleed = (-3 * PT_PER_MM, -3 * PT_PER_MM, 155.4 * PT_PER_MM, 231.6 * PT_PER_MM)
    with pikepdf.open(print_ebook) as pdf:
        for page in pdf.pages:
            outside = [
                path for path in read_page(page).strokes
                if all(not (-0.5 <= x <= 432.5 and -0.5 <= y <= 648.5) for x, y in path)
            ]  # fmt: skip
            assert len(outside) == 8  # two at each corner
            for path in outside:
                inside_bleed = [
                    (x, y) for x, y in path
                    if bleed[0] < x < bleed[2] and bleed[1] < y < bleed[3]
                ]  # fmt: skip
                assert not inside_bleed, path


def test_the_print_edition_opens_on_its_title_page_not_a_cover(print_ebook):
    """A printer prints the cover apart: page 1 is the title page, on white paper."""
    with pikepdf.open(print_ebook) as pdf:
        pdf.pages[0].contents_coalesce()
        content = pdf.pages[0].Contents.read_bytes()
    painted = re.search(
        rb"([\d.]+) ([\d.]+) ([\d.]+) rg\s+(-[\d.]+) (-[\d.]+) ([\d.]+) ([\d.]+) re", content
    )
    assert painted is None, "page 1 is painted into the bleed, as a cover is"
    first = " ".join(PdfReader(print_ebook).pages[0].extract_text().split())
    assert SAMPLE.info.title in first and SAMPLE.info.byline.lower() in first.lower()


def left_text_edge(reader: PdfReader, index: int) -> float:
    edges = []

    def visit(text, cm, tm, font, size):
        if len(text.strip()) > 20 and "Gentium" in str(font.get("/BaseFont", "")):
            edges.append(tm[4] * cm[0] + cm[4])

    reader.pages[index].extract_text(visitor_text=visit)
    return statistics.median(edges)


def test_left_and_right_pages_mirror_their_margins(print_ebook):
    reader = PdfReader(print_ebook)
    chapter = next(
        page for level, title, page in outline(reader) if title == SAMPLE.chapters[0].title
    )
    right, left = left_text_edge(reader, chapter - 1), left_text_edge(reader, chapter)
    # A right-hand page has the narrow inside margin on its left, a left-hand page the wide
    # outside one: the text column moves out by the difference, 16 % of the spare width.
    measure = 152.4 * 0.72
    shift = (152.4 - measure) * (0.58 - 0.42)
    assert (left - right) / PT_PER_MM == pytest.approx(shift, abs=0.5)


def test_print_chapters_start_on_right_hand_pages(print_ebook):
    for level, title, page in outline(PdfReader(print_ebook)):
        if level == 1:
            assert page % 2 == 1, title


def test_the_ebook_is_tagged_for_screen_readers(outputs):
    with pikepdf.open(outputs["ebook-a4"]) as pdf:
        assert pdf.Root.MarkInfo.Marked
        kinds, alts = [], []
        stack = [pdf.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Dictionary):
                if "/S" in node:
                    kinds.append(str(node.S))
                if "/Alt" in node:
                    alts.append(str(node.Alt))
                kids = node.get("/K")
                stack.extend(
                    kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
                )
    for kind in ("/H1", "/H2", "/H3", "/P", "/L", "/LI", "/Figure", "/Table"):
        assert kind in kinds, kind
    assert any(alt.startswith("Pilates Bridge with Leg Lift, seen from the side") for alt in alts)


@pytest.mark.parametrize(
    ("variant", "key", "value"),
    [("pdf/ua-1", "pdfuaid:part", "1"), ("pdf/a-3b", "pdfaid:part", "3")],
)
def test_variants_report_their_conformance(tmp_path, variant, key, value):
    target = tmp_path / "variant.pdf"
    result = run_cli("cheatsheet", "--book", SAMPLE_BOOK, "--pdf-variant", variant, "-o", target)
    assert result.exit_code == 0, result.stderr
    with pikepdf.open(target) as pdf:
        assert ua_problems(pdf, variant) == []
        metadata = pdf.open_metadata()
        assert metadata.get(key) == value
        if variant == "pdf/a-3b":
            assert metadata.get("pdfaid:conformance") == "B"


def test_an_unknown_variant_is_refused(tmp_path):
    """As the real command says it (the console script): one line naming the option and
    the variants there are, status 2, nothing written."""
    result = run_guarded("ebook", "--pdf-variant", "pdf/x-9", "-o", tmp_path / "x.pdf")
    assert result.exit_code == 2, result.stderr
    assert result.stderr.strip().splitlines() == [
        "--pdf-variant: 'pdf/x-9' is not one of 'pdf/ua-1', 'pdf/a-3b'."
    ]
    assert not (tmp_path / "x.pdf").exists()


def exercise_pages(reader: PdfReader) -> dict[str, tuple[int, int]]:
    """Each exercise's first page and the page of its last box (its caution), from 1."""
    destinations = reader.named_destinations
    pages = {}
    for exercise in SAMPLE.exercises.values():
        start = reader.get_destination_page_number(destinations[f"exercise-{exercise.id}"])
        end = reader.get_destination_page_number(destinations[f"caution-{exercise.id}"])
        pages[exercise.id] = (start + 1, end + 1)
    return pages


# A5, the smallest page, in the quick run; the others with the slow tests.
SLOW = pytest.mark.slow


@pytest.mark.parametrize(
    "trim", [pytest.param("6x9in", marks=SLOW), pytest.param("5.5x8.5in", marks=SLOW), "a5"]
)
def test_every_exercise_keeps_to_one_spread_at_every_trim(print_edition, tmp_path, trim):
    if trim == "6x9in":  # the shared print edition: bleed and marks change no page
        target, stderr = print_edition.path, print_edition.stderr
    else:
        target = tmp_path / f"{trim}.pdf"
        result = run_cli("ebook", "--book", SAMPLE_BOOK, "--print", "--trim", trim, "-o", target)
        assert result.exit_code == 0, result.stderr
        stderr = result.stderr
    assert "warning" not in stderr
    pages = exercise_pages(PdfReader(target))
    assert len(pages) == 5
    for start, end in pages.values():
        assert start % 2 == 0 and end == start + 1  # a left-hand page, then the facing one


@pytest.mark.slow  # the quick run names the cause in tests/test_any_book.py
def test_an_exercise_too_long_for_its_spread_is_named_in_a_warning(book, tmp_path):
    exercise = book / "exercises" / "crisscross.md"
    tips = "".join(f"- Tip {n}: keep the movement slow, steady and even.\n" for n in range(12))
    exercise.write_text(exercise.read_text().replace("## Tips\n", f"## Tips\n\n{tips}", 1))
    target = tmp_path / "a5.pdf"
    result = run_cli("ebook", "--book", book, "--print", "--trim", "a5", "-o", target)
    assert result.exit_code == 0
    [warning] = result.stderr.strip().splitlines()
    where = display_path(exercise)  # as the user would type it, from the working folder
    assert warning.startswith(f"{where}: warning: at A5 its instructions run past")
    start, end = exercise_pages(PdfReader(target))["crisscross"]
    assert end > start + 1


@pytest.mark.slow
def test_no_list_marker_is_left_alone_at_the_foot_of_a_page(print_edition, outputs):
    """At 6 x 9 in, the sample's lists break across pages: each dash goes with its item."""
    for path in (print_edition.path, outputs["ebook-a4"], outputs["ebook-letter"]):
        assert lone_list_markers(PdfReader(path)) == [], path
