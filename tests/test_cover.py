"""`psoas-print cover`: the full-wrap print cover, sized from the interior's real page count
and the paper's thickness, checked by its page size and what it prints."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from psoas_print.pdf.services import SERVICES
from psoas_print.products.cover import cover_geometry
from tests.conftest import SAMPLE_BOOK, run_cli, shared_build

SAMPLE = str(SAMPLE_BOOK)
COMMANDS = {
    "interior": ["ebook", "--book", SAMPLE, "--print", "--preset", "kdp", "-o", "interior.pdf"],
    "white": ["cover", "--book", SAMPLE, "--preset", "kdp", "-o", "white.pdf",
              "--picture", "store.jpg"],
    "cream": ["cover", "--book", SAMPLE, "--preset", "kdp", "--paper", "cream",
              "--trim", "5.5x8.5in", "-o", "cream.pdf", "--picture", "cream.jpg"],
    "interior-small": ["ebook", "--book", SAMPLE, "--print", "--preset", "kdp",
                       "--trim", "5.5x8.5in", "-o", "interior-small.pdf"],
}  # fmt: skip
KDP = SERVICES["kdp"]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    folder, _ = shared_build(tmp_path_factory, "cover", COMMANDS)
    return folder


@pytest.mark.parametrize("name", ["white", "interior"])
def test_the_cover_and_the_kdp_interior_are_tagged(made, name):
    """Print files too: the wrap's words and the interior's structure reach a screen
    reader, and whatever KDP's preset changes (boxes, ink, pages added) keeps the tags."""
    from tests.accessibility import ua_problems

    with pikepdf.open(made / f"{name}.pdf") as pdf:
        assert ua_problems(pdf) == []


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


@pytest.mark.parametrize("trim", ["6x9in", "5.5x8.5in", "a5", "a4", "letter"])
@pytest.mark.parametrize(("stock", "thickness"), [("white", 0.002252), ("cream", 0.0025),
                                                  ("color", 0.002347)])  # fmt: skip
def test_the_wrap_is_bleed_back_spine_front_bleed_at_every_trim(trim, stock, thickness):
    """KDP's cover calculator: (bleed + trim width) x 2 + pages x paper thickness across,
    the trim's height + 2 bleeds high."""
    from psoas_print.layout.geometry import TRIMS

    size = TRIMS[trim]
    for pages in (24, 151, 828):
        wrap = cover_geometry(KDP, trim, stock, pages)
        spine_in = pages * thickness
        width_in = 2 * (0.125 + size.width_mm / 25.4) + spine_in
        assert wrap.width_mm / 25.4 == pytest.approx(width_in, abs=1e-6)
        assert wrap.height_mm / 25.4 == pytest.approx(size.height_mm / 25.4 + 0.25, abs=1e-6)
        assert wrap.front_left_mm - wrap.spine_left_mm == pytest.approx(spine_in * 25.4)
        assert wrap.spine_left_mm == pytest.approx(0.125 * 25.4 + size.width_mm)


def test_the_spine_takes_text_only_from_80_pages_and_where_6_pt_type_fits():
    assert not cover_geometry(KDP, "6x9in", "white", 79).spine_text
    assert cover_geometry(KDP, "6x9in", "white", 80).spine_mm == pytest.approx(80 * 0.002252 * 25.4)
    # 80 pages make a 4.6 mm spine: with 1/16 in kept from each fold, too narrow for 6 pt.
    assert not cover_geometry(KDP, "6x9in", "white", 80).spine_text
    wide = cover_geometry(KDP, "6x9in", "white", 100)
    assert wide.spine_text and 6 <= wide.spine_text_pt <= 12


def test_a_service_without_cover_figures_is_one_line(tmp_path):
    result = run_cli("cover", "--preset", "ingramspark", "-o", tmp_path / "c.pdf")
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "IngramSpark makes its cover template itself" in result.stderr
    assert not (tmp_path / "c.pdf").exists()


def test_the_store_picture_is_a_1600_by_2560_srgb_jpeg_of_the_front(made):
    import io

    from PIL import Image, ImageCms

    picture = Image.open(made / "store.jpg")
    assert picture.format == "JPEG" and picture.size == (1600, 2560) and picture.mode == "RGB"
    profile = ImageCms.ImageCmsProfile(io.BytesIO(picture.info["icc_profile"]))
    assert "sRGB" in ImageCms.getProfileDescription(profile)
    # The front's design: the cover colour, with light type on it.
    colours = picture.convert("L").getcolors(1600 * 2560)
    assert colours is not None and max(colours)[1] < 100  # mostly the dark cover colour
    assert any(level > 200 for _, level in colours)  # and light type on it


def art(path, size):
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", size, "#c9a24b")
    ImageDraw.Draw(picture).ellipse(
        (size[0] // 4, size[1] // 4, size[0] // 2, size[1] // 2), fill="#223355"
    )
    path.parent.mkdir(exist_ok=True)
    picture.save(path, dpi=(300, 300))


def with_cover_art(tmp_path, size):
    book = Path(shutil.copytree(SAMPLE_BOOK, tmp_path / "book"))
    art(book / "images" / "front.jpg", size)
    info = book / "book.yaml"
    info.write_text(
        info.read_text(encoding="utf-8") + "cover: images/front.jpg\n", encoding="utf-8"
    )
    return book, len(info.read_text(encoding="utf-8").splitlines())


def test_a_book_gives_its_own_cover_art_to_every_cover(tmp_path):
    book, _ = with_cover_art(tmp_path, (1900, 2800))
    out = tmp_path / "out"
    result = run_cli("cover", "--book", book, "-o", out / "cover.pdf", "--picture", out / "c.jpg")
    assert result.exit_code == 0, result.stderr
    assert run_cli("ebook", "--book", book, "-o", out / "ebook.pdf").exit_code == 0
    with pikepdf.open(out / "cover.pdf") as pdf:
        (image,) = [pikepdf.PdfImage(x) for x in pdf.pages[0].get_images().values()]
        assert image.width == 1900
    assert len(PdfReader(out / "ebook.pdf").pages[0].images) == 1  # the ebook's cover page
    from PIL import Image

    picture = Image.open(out / "c.jpg").convert("RGB")
    assert picture.getpixel((40, 40)) == pytest.approx((0xC9, 0xA2, 0x4B), abs=6)  # the art's


def test_cover_art_too_soft_for_print_is_one_line_at_its_line(tmp_path):
    book, line = with_cover_art(tmp_path, (1500, 2250))  # sharp enough on screen
    result = run_cli("cover", "--book", book, "-o", tmp_path / "cover.pdf")
    assert result.exit_code == 2
    (message,) = result.stderr.strip().splitlines()
    # path:line: what is wrong (the path as the command shows it, from where it runs)
    assert f"book/book.yaml:{line}: 'front.jpg' prints at " in message
    assert "1838 pixels across" in message  # 6.125 in at 300 ppi
    assert not (tmp_path / "cover.pdf").exists()


@pytest.mark.parametrize(
    ("cover", "interior", "stock"),
    [("white", "interior", "white"), ("cream", "interior-small", "cream")],
)
def test_our_covers_pass_preflight_with_their_interiors_page_count(made, cover, interior, stock):
    from psoas_print.pdf.cover_preflight import preflight_cover

    pages = len(PdfReader(made / f"{interior}.pdf").pages)
    found, _ = preflight_cover((made / f"{cover}.pdf").read_bytes(), KDP, stock, pages)
    assert found == []


@pytest.mark.parametrize("pages", [100, 240, 828])
def test_a_thick_books_spine_text_keeps_clear_of_the_folds(pages):
    """The wrap of a book of ``pages`` pages (the sample's design, at that thickness)."""
    from psoas_print import load_book
    from psoas_print.book.sources import Sources
    from psoas_print.language.catalogues import words_for
    from psoas_print.layout.templates import layout_path
    from psoas_print.pdf.cover_preflight import preflight_cover
    from psoas_print.products.context import BuildContext
    from psoas_print.products.cover import TEMPLATE, wrap_html
    from psoas_print.products.settings import CoverSettings

    book = load_book(SAMPLE_BOOK)
    context = BuildContext(Sources(book.root))
    html = wrap_html(book, context, CoverSettings(), words_for(book, None), pages)
    data = context.renderer.render(html, layout_path(TEMPLATE)).write_pdf()
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert text.count("Release Your Psoas") == 2  # the front, and the spine
    assert preflight_cover(data, KDP, "white", pages) == ([], pages)
