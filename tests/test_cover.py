"""`psoas-print cover`: the full-wrap print cover, sized from the interior's real page count
and the paper's thickness, checked by its page size and what it prints."""

from __future__ import annotations

import pikepdf
import pytest
from pypdf import PdfReader

from psoas_print.pdf.services import SERVICES
from psoas_print.products.cover import cover_geometry
from tests.conftest import SAMPLE_BOOK, run_cli, shared_build

SAMPLE = str(SAMPLE_BOOK)
COMMANDS = {
    "interior": ["ebook", "--book", SAMPLE, "--print", "--preset", "kdp", "-o", "interior.pdf"],
    "white": ["cover", "--book", SAMPLE, "--preset", "kdp", "-o", "white.pdf"],
    "cream": ["cover", "--book", SAMPLE, "--preset", "kdp", "--paper", "cream",
              "--trim", "5.5x8.5in", "-o", "cream.pdf"],
    "interior-small": ["ebook", "--book", SAMPLE, "--print", "--preset", "kdp",
                       "--trim", "5.5x8.5in", "-o", "interior-small.pdf"],
}  # fmt: skip
KDP = SERVICES["kdp"]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    folder, _ = shared_build(tmp_path_factory, "cover", COMMANDS)
    return folder


def size_in(path) -> tuple[float, float]:
    with pikepdf.open(path) as pdf:
        box = [float(v) for v in pdf.pages[0].mediabox]
    return (box[2] - box[0]) / 72, (box[3] - box[1]) / 72


@pytest.mark.parametrize(
    ("cover", "interior", "trim", "thickness"),
    [("white", "interior", (6, 9), 0.002252), ("cream", "interior-small", (5.5, 8.5), 0.0025)],
)
def test_the_cover_wraps_back_spine_and_front_with_bleed(made, cover, interior, trim, thickness):
    pages = len(PdfReader(made / f"{interior}.pdf").pages)
    width, height = size_in(made / f"{cover}.pdf")
    assert width == pytest.approx(0.125 + trim[0] + pages * thickness + trim[0] + 0.125, abs=0.001)
    assert height == pytest.approx(trim[1] + 0.25, abs=0.001)


def test_the_cover_prints_the_book_and_keeps_the_barcode_area_clear(made):
    reader = PdfReader(made / "white.pdf")
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Release Your Psoas" in text and "PSOAS-PRINT AUTHORS" in text.upper()
    assert "An illustrated guide" in text  # the book's description, on the back


def test_the_spine_takes_text_only_from_80_pages():
    assert not cover_geometry(KDP, "6x9in", "white", 79).spine_text
    wide = cover_geometry(KDP, "6x9in", "white", 80)
    assert wide.spine_text and wide.spine_mm == pytest.approx(80 * 0.002252 * 25.4)


def test_a_service_without_cover_figures_is_one_line(tmp_path):
    result = run_cli("cover", "--preset", "ingramspark", "-o", tmp_path / "c.pdf")
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "IngramSpark makes its cover template itself" in result.stderr
    assert not (tmp_path / "c.pdf").exists()
