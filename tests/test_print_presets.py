"""`ebook --print --preset kdp|ingramspark`: interiors a print-on-demand service accepts,
for the sample and the second test book, checked by their boxes, their first page, their
ink and the preflight the command runs itself."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from psoas_print.pdf.preflight import preflight
from psoas_print.pdf.services import SERVICES
from tests.conftest import SAMPLE_BOOK, SECOND_BOOK, run_cli, shared_build

BLEED = 0.125 * 72
MM = 72 / 25.4
TRIMS = {"6x9in": (432.0, 648.0), "5.5x8.5in": (396.0, 612.0), "a5": (148 * MM, 210 * MM),
         "a4": (210 * MM, 297 * MM), "letter": (612.0, 792.0)}  # fmt: skip


def _short_book(folder: Path) -> None:
    """The sample with one chapter of its five: shorter than any service's fewest pages."""
    book = Path(shutil.copytree(SAMPLE_BOOK, folder / "short"))
    for chapter in sorted((book / "chapters").glob("*.md"))[1:]:
        chapter.unlink()


COMMANDS = {
    "kdp": ["ebook", "--book", str(SAMPLE_BOOK), "--print", "--preset", "kdp", "-o", "kdp.pdf"],
    "ingramspark": ["ebook", "--book", str(SAMPLE_BOOK), "--print", "--preset", "ingramspark",
                    "--trim", "5.5x8.5in", "-o", "ingramspark.pdf"],
    "second": ["ebook", "--book", str(SECOND_BOOK), "--print", "--preset", "kdp",
               "-o", "second.pdf"],
    "short": ["ebook", "--book", "short", "--print", "--preset", "kdp", "-o", "short.pdf"],
    # Every other trim, each with one of the two services and one of the two books.
    "kdp-a5": ["ebook", "--book", str(SECOND_BOOK), "--print", "--preset", "kdp",
               "--trim", "a5", "-o", "kdp-a5.pdf"],
    "ingramspark-6x9": ["ebook", "--book", str(SECOND_BOOK), "--print",
                        "--preset", "ingramspark", "-o", "ingramspark-6x9.pdf"],
    "kdp-letter": ["ebook", "--book", str(SAMPLE_BOOK), "--print", "--preset", "kdp",
                   "--trim", "letter", "-o", "kdp-letter.pdf"],
    "ingramspark-a4": ["ebook", "--book", str(SAMPLE_BOOK), "--print",
                       "--preset", "ingramspark", "--trim", "a4", "-o", "ingramspark-a4.pdf"],
    "screen": ["ebook", "--book", str(SAMPLE_BOOK), "--print", "--trim", "6x9in",
               "-o", "generic.pdf"],
}  # fmt: skip


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory):
    return shared_build(tmp_path_factory, "presets", COMMANDS, _short_book)


pytestmark = pytest.mark.slow


@pytest.mark.parametrize(("name", "trim"), [("kdp", "6x9in"), ("ingramspark", "5.5x8.5in"),
                                            ("second", "6x9in"), ("kdp-a5", "a5"),
                                            ("ingramspark-6x9", "6x9in"),
                                            ("kdp-letter", "letter"),
                                            ("ingramspark-a4", "a4")])  # fmt: skip
def test_each_page_bleeds_on_its_top_bottom_and_outside_edge_only(made, name, trim):
    folder, _ = made
    width, height = TRIMS[trim]
    with pikepdf.open(folder / f"{name}.pdf") as pdf:
        for index, page in enumerate(pdf.pages):
            media = [float(v) for v in page.mediabox]
            box = [float(v) for v in page.obj.TrimBox]
            assert box[2] - box[0] == pytest.approx(width) and box[3] - box[1] == pytest.approx(
                height
            )
            assert [float(v) for v in page.obj.BleedBox] == media
            assert box[1] - media[1] == pytest.approx(BLEED)  # bottom
            assert media[3] - box[3] == pytest.approx(BLEED)  # top
            left, right = box[0] - media[0], media[2] - box[2]
            if index % 2 == 0:  # right-hand pages: the inside edge is the left
                assert (left, right) == pytest.approx((0, BLEED)), index + 1
            else:
                assert (left, right) == pytest.approx((BLEED, 0)), index + 1


@pytest.mark.parametrize("name", ["kdp", "ingramspark", "second", "short", "kdp-a5",
                                  "ingramspark-6x9", "kdp-letter", "ingramspark-a4"])  # fmt: skip
def test_the_interior_passes_its_services_checks(made, name):
    folder, runs = made
    preset = "ingramspark" if name.startswith("ingramspark") else "kdp"
    assert "passes" in runs[name].stdout, runs[name].stdout + runs[name].stderr
    assert preflight((folder / f"{name}.pdf").read_bytes(), SERVICES[preset], "black") == []


def test_the_interior_has_no_cover_and_keeps_its_right_hand_pages(made):
    folder, _ = made
    chapters = []
    for name in ("kdp", "generic"):
        interior = PdfReader(folder / f"{name}.pdf")
        first = " ".join(interior.pages[0].extract_text().split())
        assert "Release Your Psoas" in first and not re.search(r"\bChapter\b", first, re.I)
        chapters.append([i + 1 for i, page in enumerate(interior.pages)
                         if re.match(r"\s*CHAPTER \d", page.extract_text())])  # fmt: skip
    # The same right-hand pages, whatever the service.
    assert chapters[0] and chapters[0] == chapters[1]
    assert all(page % 2 == 1 for page in chapters[0])


def test_black_ink_turns_photos_grey(made):
    folder, _ = made
    with pikepdf.open(folder / "second.pdf") as pdf:
        spaces = {
            str(image.get("/ColorSpace"))
            for page in pdf.pages
            for _, image in (page.obj.Resources.get("/XObject") or {}).items()
            if str(image.get("/Subtype")) == "/Image"
        }
    assert spaces == {"/DeviceGray"}


def test_a_short_book_is_padded_to_the_services_fewest_pages(made):
    folder, runs = made
    assert len(PdfReader(folder / "short.pdf").pages) == 24
    assert "blank pages added at the end" in runs["short"].stderr


def test_a_service_takes_no_marks(tmp_path):
    result = run_cli("ebook", "--print", "--preset", "kdp", "--marks", "-o", tmp_path / "x.pdf")
    assert result.exit_code == 2
    assert result.stderr.strip() == "--marks: Amazon KDP takes no printer's marks"
    assert not (tmp_path / "x.pdf").exists()


def _inside_margins(path: Path) -> list[float]:
    """Where the text starts on each right-hand page with text, from the trimmed left edge."""
    from psoas_print.pdf.preflight import read_page, trim_of

    margins = []
    with pikepdf.open(path) as pdf:
        for index in range(0, len(pdf.pages), 2):
            texts = read_page(pdf.pages[index]).texts
            if texts:
                margins.append(min(x for x, _, _ in texts) - trim_of(pdf.pages[index])[0])
    return margins


def test_a_thick_book_gets_the_wider_gutter_its_page_count_needs(tmp_path, monkeypatch):
    """As if the sample were a thick book: a service that takes books of 2 pages on and
    widens its gutter from 10 pages on."""
    from dataclasses import replace

    thin = SERVICES["kdp"]
    thick = replace(thin, pages=(2, 828), gutters=((10, 0.375), (828, 0.5)))
    assert (
        run_cli("ebook", "--print", "--preset", "kdp", "-o", tmp_path / "thin.pdf").exit_code == 0
    )
    monkeypatch.setitem(SERVICES, "kdp", thick)
    result = run_cli("ebook", "--print", "--preset", "kdp", "-o", tmp_path / "thick.pdf")
    assert result.exit_code == 0, result.stderr
    assert len(PdfReader(tmp_path / "thick.pdf").pages) == len(
        PdfReader(tmp_path / "thin.pdf").pages
    )
    # Every right-hand page's text starts 0.125 in further in: the gutter grew by as much as
    # the service's minimum, and the text moved outward rather than onto more pages.
    before, after = _inside_margins(tmp_path / "thin.pdf"), _inside_margins(tmp_path / "thick.pdf")
    wider = [b - a for a, b in zip(before, after, strict=True)]
    assert wider and all(abs(shift - 0.125 * 72) < 0.6 for shift in wider), wider
    assert preflight((tmp_path / "thick.pdf").read_bytes(), thick, "black") == []
