"""An exercise that names its own image shows it on every product."""

from __future__ import annotations

from PIL import Image
from pypdf import PdfReader

from tests.conftest import run_cli
from tests.pdfs import folio_page, outline

SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300" viewBox="0 0 400 300">
<rect x="20" y="20" width="360" height="260" fill="#0e6b66"/></svg>"""


def test_photo_and_svg_figures_replace_the_placeholder(book, tmp_path):
    Image.new("RGB", (1200, 900), "#c96").save(book / "figures/crisscross.png")
    (book / "figures/twist.svg").write_text(SVG, encoding="utf-8")
    for name, image in (("crisscross", "crisscross.png"), ("standing-spine-twist", "twist.svg")):
        path = book / f"exercises/{name}.md"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("---\nname:", f"---\nimage: figures/{image}\nname:", 1))

    for product in ("cheatsheet", "ebook"):  # the two that print figures
        result = run_cli(product, "--book", book, "-o", tmp_path / f"{product}.pdf")
        assert result.exit_code == 0, result.stderr

    sheet = PdfReader(tmp_path / "cheatsheet.pdf")
    assert len(sheet.pages) == 1
    assert len(sheet.pages[0].images) == 1  # the PNG; the SVG stays vector
    ebook = PdfReader(tmp_path / "ebook.pdf")
    page = next(p for _, title, p in outline(ebook) if title == "Pilates Crisscross")
    assert len(folio_page(ebook, page).images) == 1
    twist = next(p for _, title, p in outline(ebook) if title.startswith("Pilates Spine Twist"))
    assert "STANDING TALL" not in folio_page(ebook, twist).extract_text()  # no placeholder


def add_image(book, exercise: str, name: str, width: int) -> int:
    Image.new("RGB", (width, width * 3 // 4), "#c96").save(book / "figures" / name)
    path = book / f"exercises/{exercise}.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("---\nname:", f"---\nimage: figures/{name}\nname:", 1))
    return 2  # the line the image key is on


def test_a_blurred_photo_fails_with_its_dpi(book, tmp_path, monkeypatch):
    line = add_image(book, "crisscross", "small.png", 500)
    monkeypatch.chdir(tmp_path)
    result = run_cli("ebook", "--book", book, "-o", "out.pdf")
    assert result.exit_code == 2
    message = result.stderr.strip()
    assert message.startswith(f"book/exercises/crisscross.md:{line}: 'small.png' prints at 102 dpi")
    assert "(under 150 dpi is too blurred)" in message
    assert not (tmp_path / "out.pdf").exists()


def test_a_soft_photo_builds_with_a_warning(book, tmp_path):
    line = add_image(book, "crisscross", "medium.png", 1000)
    result = run_cli("ebook", "--book", book, "-o", tmp_path / "out.pdf")
    assert result.exit_code == 0, result.stderr
    assert f"crisscross.md:{line}: warning: 'medium.png' prints at 205 dpi" in result.stderr
    assert "1465 pixels across" in result.stderr
    assert (tmp_path / "out.pdf").exists()


def test_a_video_link_becomes_a_vector_qr_code(book, tmp_path):
    path = book / "exercises/side-kicks.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("---\nname:", "---\nvideo: https://example.org/side-kicks\nname:", 1)
    )
    result = run_cli("ebook", "--book", book, "-o", tmp_path / "out.pdf")
    assert result.exit_code == 0, result.stderr
    ebook = PdfReader(tmp_path / "out.pdf")
    page = next(p for _, title, p in outline(ebook) if title == "Pilates Front and Back Side Kicks")
    facing = " ".join(folio_page(ebook, page + 1).extract_text().split())  # the instructions page
    assert "Watch it move" in facing and "https://example.org/side-kicks" in facing
    assert not folio_page(ebook, page + 1).images  # the code is drawn, not a picture
    before = folio_page(ebook, page - 2).extract_text()
    assert "Pilates Crisscross" in before  # still one spread each
