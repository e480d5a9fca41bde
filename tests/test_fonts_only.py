"""Only the bundled fonts and the book's own fonts/ ever print: a character none of them has
is an error at check, at its line, and no font of the machine is ever embedded.

The characters used here are in no bundled font; ☺ and ש are in DejaVu, which Debian
installs with fontconfig, so a font of the system standing in for them would show.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from fontTools import subset
from fontTools.ttLib import TTFont
from weasyprint import HTML

from psoas_print.book import glyphs
from psoas_print.book.sources import Sources
from psoas_print.errors import BookError
from psoas_print.layout import fontconf
from psoas_print.layout.typesetter import Renderer
from psoas_print.shipped import shipped
from tests.conftest import SAMPLE_BOOK, run_cli, run_guarded
from tests.pdfs import bundled_fonts

SYMBOL = "\u263a"  # ☺: in the book's own font below, in no bundled font
OWN_FONT = ("PsoasTestSymbols-Regular", "Version 1.0")
NO_FONT = "no font of the book can print"


def edit(path: Path, old: str, new: str) -> int:
    """Replace ``old`` with ``new`` in a book file; return the 1-based line of the change."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def problem_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if NO_FONT in line]


def pdf_fonts(path: Path | bytes) -> set[tuple[str, str]]:
    """(PostScript name, version) of every font in the PDF, on its pages and in the forms
    laid over them; a font without its program is ("not embedded", its name)."""
    found = set()
    source = io.BytesIO(path) if isinstance(path, bytes) else path
    with pikepdf.open(source) as pdf:
        for thing in pdf.objects:
            if not isinstance(thing, pikepdf.Dictionary) or thing.get("/Type") != "/FontDescriptor":
                continue
            program = next(
                (thing[k] for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in thing), None
            )
            if program is None:
                found.add(("not embedded", str(thing.get("/FontName"))))
                continue
            found.add(_names(TTFont(io.BytesIO(program.read_bytes()))))
    return found


def epub_fonts(path: Path) -> set[tuple[str, str]]:
    with zipfile.ZipFile(path) as epub:
        return {
            _names(TTFont(io.BytesIO(epub.read(name))))
            for name in epub.namelist()
            if name.lower().endswith((".ttf", ".otf", ".woff", ".woff2"))
        }


def _names(font: TTFont) -> tuple[str, str]:
    names = font["name"]
    return str(names.getDebugName(6)), str(names.getDebugName(5))


def make_symbol_font(target: Path) -> None:
    """A font of the book's own: Gentium's "A" cut out, renamed, and mapped to ☺ as well."""
    font = TTFont(shipped("fonts") / "GentiumBookPlus-Regular.ttf")
    options = subset.Options(name_IDs=[1, 2, 3, 4, 5, 6])
    options.drop_tables += ["Silf", "Silt", "Sill", "Glat", "Gloc", "Feat"]  # Graphite
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="A")
    subsetter.subset(font)
    glyph = font.getBestCmap()[ord("A")]
    for table in font["cmap"].tables:
        if table.isUnicode():
            table.cmap[ord(SYMBOL)] = glyph
    names = font["name"]
    names.names = [record for record in names.names if record.nameID not in (1, 3, 4, 6, 16)]
    for name_id, value in (
        (1, "Psoas Test Symbols"),
        (3, "PsoasTestSymbols"),
        (4, "Psoas Test Symbols Regular"),
        (5, OWN_FONT[1]),
        (6, OWN_FONT[0]),
    ):
        names.setName(value, name_id, 3, 1, 0x409)
    target.parent.mkdir(parents=True, exist_ok=True)
    font.save(target)


@pytest.fixture(scope="module")
def own_font_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample book with a font of its own that has ☺, and ☺ in a chapter."""
    book = Path(shutil.copytree(SAMPLE_BOOK, tmp_path_factory.mktemp("own") / "book"))
    make_symbol_font(book / "fonts" / "PsoasTestSymbols.ttf")
    edit(book / "chapters/03-safety.md", "Read this chapter", f"{SYMBOL} Read this chapter")
    edit(book / "routines/fridge.yaml", "title: The daily", f"title: {SYMBOL} The daily")
    return book


OWN_FONT_COMMANDS = {
    "cheatsheet": ["cheatsheet", "-o", "cheatsheet.pdf"],
    "ebook": ["ebook", "-o", "ebook.pdf"],
    # Laid out in worker processes, each with the book's fonts.
    "parts": ["ebook", "--parts", "2", "-o", "parts.pdf"],
    "print": ["ebook", "--print", "--trim", "6x9in", "-o", "print.pdf"],
    "handout": ["handout", "--routine", "fridge", "-o", "handout.pdf"],
    "epub": ["epub", "-o", "ebook.epub"],
}


@pytest.fixture(scope="module")
def own_font_products(
    own_font_book: Path, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str], Path]:
    """Each product of the book with its own font, made the first time a test asks for it."""
    out = tmp_path_factory.mktemp("products")
    made: dict[str, Path] = {}

    def product(name: str) -> Path:
        if name not in made:
            *command, target = OWN_FONT_COMMANDS[name]
            # The ebook as the command makes it: laid out by the process forked at its start.
            run = run_guarded if name == "ebook" else run_cli
            result = run(*command, out / target, "--book", own_font_book)
            assert result.exit_code == 0, (name, result.stderr)
            made[name] = out / target
        return made[name]

    return product


def test_a_book_that_brings_its_own_font_builds_with_it(own_font_book, own_font_products):
    assert run_cli("check", "--book", own_font_book).exit_code == 0
    # ☺ is set in the book's font, found in its fonts/ with no layout naming it.
    for product in ("ebook", "cheatsheet"):
        assert OWN_FONT in pdf_fonts(own_font_products(product)), product


@pytest.mark.slow  # the book's own font reaching the worker processes of a book in parts
def test_a_book_in_parts_finds_its_own_font_in_every_worker(own_font_products):
    assert OWN_FONT in pdf_fonts(own_font_products("parts"))


@pytest.mark.parametrize(
    "product",
    [
        "cheatsheet", "ebook", "handout",
        pytest.param("parts", marks=pytest.mark.slow),
        pytest.param("print", marks=pytest.mark.slow),
    ],
)  # fmt: skip
def test_every_product_embeds_only_bundled_or_book_fonts(own_font_products, product):
    used = pdf_fonts(own_font_products(product))
    assert used
    assert used <= bundled_fonts() | {OWN_FONT}, used - bundled_fonts()


def test_the_epub_carries_only_bundled_or_book_fonts(own_font_products):
    carried = epub_fonts(own_font_products("epub"))
    assert carried
    assert carried <= bundled_fonts() | {OWN_FONT}


def test_each_book_sees_its_own_fonts_in_one_process(own_font_book):
    html = f"<p>{SYMBOL}</p>"
    own = Renderer(Sources(own_font_book)).render(html, Path("layouts/x.html"))
    assert OWN_FONT in pdf_fonts(own.write_pdf())
    # The sample book, laid out next in the same process, has no font with ☺.
    with pytest.raises(BookError) as caught:
        Renderer(Sources(SAMPLE_BOOK)).render(html, Path("layouts/x.html"))
    assert f"{NO_FONT} '☺' (U+263A)" in str(caught.value)


def test_a_layouts_own_text_no_font_has_fails_its_render(book, tmp_path):
    """What the check of the book cannot see (a layout's own words) fails the render,
    naming the layout, rather than printing empty boxes."""
    layout = (shipped("layouts") / "cheatsheet.html").read_text(encoding="utf-8")
    assert "Tick a box" in layout
    (book / "layouts").mkdir()
    (book / "layouts/cheatsheet.html").write_text(layout.replace("Tick a box", "毎日 Tick a box"))
    target = tmp_path / "out" / "cheatsheet.pdf"
    result = run_cli("cheatsheet", "--book", book, "-o", target)
    assert result.exit_code == 2
    assert "layouts/cheatsheet.html" in result.stderr
    assert f"{NO_FONT} '毎' (U+6BCE), '日' (U+65E5)" in result.stderr
    assert not target.exists()


def test_no_system_font_stands_in_even_without_the_checks():
    """WeasyPrint on its own, with the configuration the tool gives fontconfig: the missing
    characters print as empty boxes in a bundled font, never in a font of the machine."""
    font_config = fontconf.font_configuration(Sources(book=None).font_dirs)
    gentium = (shipped("fonts") / "GentiumBookPlus-Regular.ttf").as_uri()
    html = (
        f'<style>@font-face {{ font-family: G; src: url("{gentium}") }} p {{ font-family: G }}'
        f"</style><p>Hello 日本語 देवनागरी שלום {SYMBOL}</p>"
    )
    data = HTML(string=html).write_pdf(font_config=font_config)
    assert pdf_fonts(data) == {("GentiumBookPlus", "Version 6.101")}


def test_the_configuration_names_only_the_font_folders(own_font_book):
    path = fontconf.config_file(Sources(own_font_book).font_dirs)
    text = path.read_text(encoding="utf-8")
    folders = [line.strip()[5:-6] for line in text.splitlines() if "<dir>" in line]
    assert folders == [str((own_font_book / "fonts").resolve()), str(shipped("fonts").resolve())]
    assert "<include" not in text and "/etc/fonts" not in text
    assert "<cachedir>" in text
    # What fontconfig then offers a render: the files of those folders, whatever the
    # machine has installed.
    scanned, _ = fontconf._config_fonts(Renderer(Sources(own_font_book)).font_config)
    folders = [Path(folder) for folder in folders]
    assert scanned and all(any(f.is_relative_to(d) for d in folders) for f in scanned)


def test_the_stored_coverage_is_the_fonts_own():
    """The fonts' characters are kept on disk between runs: what is read back is exact."""
    fonts = tuple(glyphs.font_files([shipped("fonts")]))
    direct = frozenset().union(*(glyphs.read_characters(font) for font in fonts))
    for _ in range(2):  # made (or read) once, then read back
        glyphs._covered.cache_clear()
        assert glyphs.covered(fonts) == direct
