"""An exercise that names its own image shows it on every product."""

from __future__ import annotations

from PIL import Image
from pypdf import PdfReader

from tests.conftest import run_cli
from tests.pdfs import outline

SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300" viewBox="0 0 400 300">
<rect x="20" y="20" width="360" height="260" fill="#0e6b66"/></svg>"""


def test_photo_and_svg_figures_replace_the_placeholder(book, tmp_path):
    Image.new("RGB", (1200, 900), "#c96").save(book / "figures/crisscross.png")
    (book / "figures/twist.svg").write_text(SVG, encoding="utf-8")
    for name, image in (("crisscross", "crisscross.png"), ("standing-spine-twist", "twist.svg")):
        path = book / f"exercises/{name}.md"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("---\nname:", f"---\nimage: figures/{image}\nname:", 1))

    result = run_cli("build", "--book", book, "--out", tmp_path)
    assert result.exit_code == 0, result.stderr

    sheet = PdfReader(tmp_path / "cheatsheet.pdf")
    assert len(sheet.pages) == 1
    assert len(sheet.pages[0].images) == 1  # the PNG; the SVG stays vector
    ebook = PdfReader(tmp_path / "ebook.pdf")
    page = next(p for _, title, p in outline(ebook) if title == "Pilates Crisscross")
    assert len(ebook.pages[page - 1].images) == 1
    twist = next(p for _, title, p in outline(ebook) if title.startswith("Pilates Spine Twist"))
    assert "STANDING TALL" not in ebook.pages[twist - 1].extract_text()  # no placeholder


def test_same_inputs_give_the_same_bytes(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    for folder in ("one", "two"):
        assert run_cli("cheatsheet", "-o", tmp_path / folder / "sheet.pdf").exit_code == 0
    first = (tmp_path / "one/sheet.pdf").read_bytes()
    assert first == (tmp_path / "two/sheet.pdf").read_bytes()
    assert PdfReader(tmp_path / "one/sheet.pdf").metadata["/CreationDate"] == "D:20260101000000Z"
