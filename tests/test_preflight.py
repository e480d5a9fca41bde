"""`psoas-print preflight`: a PDF checked as a print-on-demand upload would check it.

A file made to every rule passes; files each broken in one way the services reject (a 3 mm
bleed, an unembedded font, a 100 ppi image, a folio in the margin, crop marks, colour in a
black-ink interior) fail, each with the page named."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from psoas_print.pdf.preflight import preflight
from psoas_print.pdf.services import SERVICES
from psoas_print.shipped import shipped
from tests.conftest import run_cli

INCH = 72.0
TRIM = (6 * INCH, 9 * INCH)
BLEED = 0.125 * INCH
pdfmetrics.registerFont(TTFont("Gentium", str(shipped("fonts") / "GentiumBookPlus-Regular.ttf")))


def interior(
    tmp_path: Path,
    pages: int = 30,
    bleed: float = BLEED,
    inside_bleed: bool = False,
    font: str = "Gentium",
    folio_from_bottom: float = 0.6 * INCH,
    image_ppi: int | None = None,
    marks: bool = False,
    colour: bool = False,
) -> Path:
    """A KDP-style interior at 6 x 9 in, with one thing changed as asked."""
    width = TRIM[0] + bleed * (2 if inside_bleed else 1)
    height = TRIM[1] + 2 * bleed
    data = io.BytesIO()
    drawing = canvas.Canvas(data, pagesize=(width, height))
    for number in range(1, pages + 1):
        right_hand = number % 2 == 1
        left = bleed if inside_bleed or not right_hand else 0.0  # where the trim starts
        trim_x = left
        drawing.setFont(font, 11)
        drawing.setFillColorRGB(0.6, 0.1, 0.1) if colour else drawing.setFillColorRGB(0, 0, 0)
        drawing.drawString(trim_x + 0.9 * INCH, bleed + 4 * INCH, f"Text of page {number}.")
        drawing.setFillColorRGB(0, 0, 0)
        drawing.drawString(trim_x + 2.9 * INCH, bleed + folio_from_bottom, str(number))
        if image_ppi and number == 3:
            picture = Image.new("L", (image_ppi, image_ppi), 128)
            drawing.drawImage(ImageReader(picture), trim_x + 1 * INCH, bleed + 5 * INCH, INCH, INCH)
        if marks:
            drawing.setLineWidth(0.25)
            # A crop mark, in the bleed below the trim.
            drawing.line(trim_x + 10, bleed / 3, trim_x + 30, bleed / 3)
        drawing.showPage()
    drawing.save()
    path = tmp_path / "interior.pdf"
    with pikepdf.open(io.BytesIO(data.getvalue())) as pdf:
        for index, page in enumerate(pdf.pages):
            right_hand = index % 2 == 0
            x0 = bleed if inside_bleed or not right_hand else 0.0
            page.obj["/TrimBox"] = pikepdf.Array([x0, bleed, x0 + TRIM[0], bleed + TRIM[1]])
            page.obj["/BleedBox"] = pikepdf.Array([0, 0, width, height])
        pdf.save(path)
    return path


def findings(path: Path, preset: str = "kdp", ink: str = "black") -> dict[str, set[int | None]]:
    found: dict[str, set[int | None]] = {}
    for finding in preflight(path.read_bytes(), SERVICES[preset], ink):  # type: ignore[arg-type]
        found.setdefault(finding.check, set()).add(finding.page)
    return found


def test_a_file_made_to_the_rules_passes(tmp_path):
    path = interior(tmp_path)
    assert findings(path) == {}
    result = run_cli("preflight", path, "--preset", "kdp")
    assert result.exit_code == 0, result.stdout
    assert "Passes Amazon KDP's checks" in result.stdout


def test_a_3_mm_bleed_on_every_side_is_rejected_on_every_page(tmp_path):
    path = interior(tmp_path, bleed=3 / 25.4 * INCH, inside_bleed=True)
    assert findings(path)["page boxes"] == set(range(1, 31))
    assert "page boxes" not in findings(path, "generic")


def test_an_unembedded_font_is_named(tmp_path):
    path = interior(tmp_path, font="Helvetica")  # one of the 14 that readers are assumed to have
    assert findings(path)["fonts embedded"] == {1}
    result = run_cli("preflight", path, "--preset", "ingramspark")
    assert result.exit_code == 1 and "Helvetica is not embedded" in result.stdout


def test_a_100_ppi_image_is_named_with_its_page(tmp_path):
    found = findings(interior(tmp_path, image_ppi=100))
    assert found == {"image resolution": {3}}
    assert findings(interior(tmp_path, image_ppi=300)) == {}


def test_a_folio_in_the_margin_is_named(tmp_path):
    path = interior(tmp_path, folio_from_bottom=0.3 * INCH)  # KDP wants 0.375 in
    assert findings(path)["margins"] == set(range(1, 31))
    assert "margins" in findings(interior(tmp_path, folio_from_bottom=0.45 * INCH), "ingramspark")


def test_crop_marks_are_rejected_but_a_generic_printer_may_take_them(tmp_path):
    path = interior(tmp_path, marks=True)
    assert findings(path)["printer's marks"] == set(range(1, 31))
    assert "printer's marks" not in findings(path, "generic")


def test_colour_fails_a_black_ink_interior_only(tmp_path):
    path = interior(tmp_path, colour=True)
    assert findings(path)["ink"] == set(range(1, 31))
    assert findings(path, ink="color") == {}


def test_a_book_too_short_for_the_service(tmp_path):
    assert findings(interior(tmp_path, pages=12)) == {"page count": {None}}


@pytest.mark.slow
def test_our_print_edition_is_judged_as_kdp_would(print_edition):
    """The print edition as it stands (a 3 mm bleed on all four sides, crop marks, folios
    near the foot, colour) is named as KDP's checker would name it."""
    found = findings(print_edition.path)
    assert {"page boxes", "margins", "ink"} <= set(found)


@pytest.mark.parametrize("argument", ["missing.pdf", "README.md"])
def test_a_file_that_is_no_pdf_is_one_line(argument, tmp_path):
    target = (
        Path(__file__).resolve().parents[1] / argument
        if argument == "README.md"
        else (tmp_path / argument)
    )
    result = run_cli("preflight", target)
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1


# --- Full-wrap covers ----------------------------------------------------------------------

WHITE = 0.002252 * INCH  # KDP's white paper, per page


def cover(
    tmp_path: Path,
    pages: int = 120,
    bleed: float = BLEED,
    spine_text: bool = True,
    text_at: tuple[float, float] | None = None,
    image_ppi: int | None = None,
) -> Path:
    """A KDP-style cover at 6 x 9 in for ``pages`` pages on white paper, with its title on
    the front and the spine, or with one thing changed as asked; ``text_at`` puts a word at
    that spot (inches from the back's trimmed lower left corner)."""
    spine = pages * WHITE
    width, height = 2 * bleed + 2 * TRIM[0] + spine, TRIM[1] + 2 * bleed
    data = io.BytesIO()
    drawing = canvas.Canvas(data, pagesize=(width, height))
    drawing.setFont("Gentium", 24)
    front = bleed + TRIM[0] + spine
    drawing.drawString(front + 1 * INCH, bleed + 6 * INCH, "A Title")
    if spine_text:
        drawing.saveState()
        drawing.translate(bleed + TRIM[0] + spine / 2 - 3, bleed + 7 * INCH)
        drawing.rotate(-90)
        drawing.setFont("Gentium", 8)
        drawing.drawString(0, 0, "A Title · An Author")
        drawing.restoreState()
    if text_at is not None:
        drawing.setFont("Gentium", 10)
        drawing.drawString(bleed + text_at[0] * INCH, bleed + text_at[1] * INCH, "Word")
    if image_ppi:
        picture = Image.new("RGB", (image_ppi * 2, image_ppi * 2), "#336699")
        drawing.drawImage(ImageReader(picture), front + INCH, bleed + INCH, 2 * INCH, 2 * INCH)
    drawing.showPage()
    drawing.save()
    path = tmp_path / "cover.pdf"
    path.write_bytes(data.getvalue())
    return path


def cover_findings(path: Path, pages: int | None = None) -> dict[str, str]:
    from psoas_print.pdf.cover_preflight import preflight_cover

    found, _ = preflight_cover(path.read_bytes(), SERVICES["kdp"], "white", pages)
    return {finding.check: finding.message for finding in found}


def test_a_cover_made_to_the_rules_passes_and_its_page_count_is_read_off_its_spine(tmp_path):
    path = cover(tmp_path)
    assert cover_findings(path) == {} and cover_findings(path, 120) == {}
    result = run_cli("preflight", path, "--preset", "kdp")
    assert result.exit_code == 0, result.stdout
    assert "a full-wrap cover for 120 pages on white paper" in " ".join(result.stdout.split())


def test_a_cover_with_a_3_mm_bleed_fits_no_trim(tmp_path):
    found = cover_findings(cover(tmp_path, bleed=3 / 25.4 * INCH))
    assert "fits no trim" in found["cover size"]


def test_a_spine_too_narrow_for_the_interior_is_named(tmp_path):
    path = cover(tmp_path, pages=120)
    assert "200 pages make 0.450 in" in cover_findings(path, 200)["spine"]
    result = run_cli("preflight", path, "--pages", "200")
    assert result.exit_code == 1 and "1 problem: Amazon KDP would reject" in result.stdout


def test_text_on_the_spine_of_a_thin_book_is_rejected(tmp_path):
    found = cover_findings(cover(tmp_path, pages=60))
    assert "a 60-page book takes none" in found["text clear of edges"]
    assert cover_findings(cover(tmp_path, pages=60, spine_text=False)) == {}


def test_text_near_the_trim_or_in_the_barcode_area_is_named(tmp_path):
    near_trim = cover_findings(cover(tmp_path, text_at=(0.05, 4.0)))
    assert "within 0.125 in" in near_trim["text clear of edges"]
    barcode = cover_findings(cover(tmp_path, text_at=(4.5, 0.5)))  # the back's lower right
    assert set(barcode) == {"barcode area"}


def test_a_100_ppi_picture_on_a_cover_is_named(tmp_path):
    assert "100 ppi" in cover_findings(cover(tmp_path, image_ppi=100))["image resolution"]
    assert cover_findings(cover(tmp_path, image_ppi=300)) == {}
