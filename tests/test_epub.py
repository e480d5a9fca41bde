"""The EPUB 3 edition: epubcheck-clean, with every chapter and exercise in its navigation."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
import zipfile
from pathlib import Path

import pytest

from psoas_print import load_book
from psoas_print.figures.describe import alt_text
from tests.conftest import ENGLISH, SAMPLE_BOOK, run_cli
from tests.pdfs import bundled_fonts

SAMPLE = load_book(SAMPLE_BOOK)
NS = {
    "x": "http://www.w3.org/1999/xhtml",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "epub": "http://www.idpf.org/2007/ops",
}
EPUBCHECK_JAR = Path("/usr/share/java/epubcheck.jar")


@pytest.fixture(scope="module")
def epub(outputs) -> zipfile.ZipFile:
    with zipfile.ZipFile(outputs["ebook-a4"].with_suffix(".epub")) as archive:
        yield archive


def xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    return ElementTree.fromstring(archive.read(name))


def epubcheck_command() -> list[str] | None:
    if EPUBCHECK_JAR.is_file() and shutil.which("java"):
        return ["java", "-jar", str(EPUBCHECK_JAR)]
    if shutil.which("epubcheck"):
        return ["epubcheck"]
    return None


@pytest.mark.slow
def test_epub_passes_epubcheck_without_warnings(outputs):
    command = epubcheck_command()
    if command is None:
        assert os.environ.get("CI") != "true", "CI must install epubcheck"
        pytest.skip("epubcheck is not installed here")
    result = subprocess.run(
        [*command, str(outputs["ebook-a4"].with_suffix(".epub"))],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert "No errors or warnings detected" in report, report


def ace_violations(epub_path: Path, report: Path) -> list[str]:
    """What DAISY's Ace (run with Debian's Chromium) finds wrong in an EPUB, one line each;
    with the accessibility metadata it finds missing beside its rule checks."""
    import json

    installed = Path(__file__).parents[1] / ".ci" / "ace" / "node_modules" / ".bin"  # .ci/run
    ace = shutil.which("ace-puppeteer") or shutil.which("ace-puppeteer", path=str(installed))
    chromium = shutil.which("chromium")
    if ace is None or chromium is None:
        assert os.environ.get("CI") != "true", "CI must install Ace (npm) and chromium"
        pytest.skip("DAISY Ace or chromium is not installed here")
    environment = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": chromium}
    result = subprocess.run(
        [ace, "--silent", "-o", str(report), "-f", str(epub_path)],
        capture_output=True, text=True, timeout=300, env=environment,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    found = json.loads((report / "report.json").read_text(encoding="utf-8"))
    problems = [
        f"{document['earl:testSubject']['url']}: {check['earl:test']['dct:title']}"
        for document in found["assertions"]
        for check in document.get("assertions", [])
    ]
    missing = found.get("a11y-metadata", {}).get("missing", [])
    return problems + [f"missing {name}" for name in missing if not name.startswith("a11y:")]


@pytest.mark.slow
def test_ace_finds_nothing_wrong(outputs, tmp_path):
    """DAISY's Ace: no WCAG violation in any document, the accessibility metadata whole
    (its certifier fields aside: no one has certified the book)."""
    assert ace_violations(outputs["ebook-a4"].with_suffix(".epub"), tmp_path / "ace") == []


def test_the_zip_starts_with_an_uncompressed_mimetype(epub):
    first = epub.infolist()[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    assert epub.read("mimetype") == b"application/epub+zip"


def test_navigation_lists_every_chapter_and_exercise(epub):
    nav = xml(epub, "EPUB/nav.xhtml")
    toc = nav.find(".//x:nav[@epub:type='toc']", NS)
    titles = ["".join(a.itertext()) for a in toc.iter(f"{{{NS['x']}}}a")]
    expected = []
    for chapter in SAMPLE.chapters:
        expected += [chapter.title, *(e.name for e in SAMPLE.chapter_exercises(chapter))]
    expected += ["Routines", *(routine.title for routine in SAMPLE.routines.values())]
    assert titles == expected
    landmarks = nav.find(".//x:nav[@epub:type='landmarks']", NS)
    kinds = [a.get(f"{{{NS['epub']}}}type") for a in landmarks.iter(f"{{{NS['x']}}}a")]
    assert kinds == ["cover", "toc", "bodymatter"]


def test_package_metadata(epub):
    package = xml(epub, "EPUB/package.opf")
    metadata = package.find("opf:metadata", NS)
    assert metadata.findtext("dc:title", namespaces=NS) == SAMPLE.info.title
    assert metadata.findtext("dc:language", namespaces=NS) == SAMPLE.info.language
    assert re.fullmatch(
        r"urn:uuid:[0-9a-f-]{36}", metadata.findtext("dc:identifier", namespaces=NS)
    )
    modified = metadata.find("opf:meta[@property='dcterms:modified']", NS).text
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", modified)
    items = {i.get("href"): i for i in package.iter(f"{{{NS['opf']}}}item")}
    assert items["images/cover.jpg"].get("properties") == "cover-image"
    assert items["nav.xhtml"].get("properties") == "nav"


def test_fonts_are_the_bundled_ones(epub):
    from io import BytesIO

    from fontTools.ttLib import TTFont

    fonts = [name for name in epub.namelist() if name.startswith("EPUB/fonts/")]
    assert len(fonts) >= 6
    css = epub.read("EPUB/css/book.css").decode()
    for name in fonts:
        assert f'url("../{name.removeprefix("EPUB/")}")' in css
        table = TTFont(BytesIO(epub.read(name)))["name"]
        assert (str(table.getDebugName(6)), str(table.getDebugName(5))) in bundled_fonts()


def test_the_cut_down_fonts_still_have_every_character_of_the_text(epub):
    from io import BytesIO

    from fontTools.ttLib import TTFont

    pages = [n for n in epub.namelist() if n.endswith(".xhtml")]
    text = "".join("".join(xml(epub, name).itertext()) for name in pages)
    used = {ord(c) for c in text if not c.isspace()} | {ord(" ")}
    assert ord("\N{EN DASH}") in used  # "5\N{EN DASH}7 reps": the text is not only ASCII
    for name in ("GentiumBookPlus-Regular.ttf", "GentiumBookPlus-Bold.ttf", "Inter-Bold.otf"):
        font = TTFont(BytesIO(epub.read(f"EPUB/fonts/{name}")))
        assert used <= set(font.getBestCmap()), name
        assert font["maxp"].numGlyphs < 600  # cut down: the full fonts hold thousands


def test_figures_are_svg_with_alt_text(epub):
    for exercise in SAMPLE.exercises.values():
        page = xml(epub, f"EPUB/exercise-{exercise.id}.xhtml")
        image = page.find(".//x:figure/x:img", NS)
        assert image.get("src") == f"figures/{exercise.id}.svg"
        assert image.get("alt") == alt_text(exercise, ENGLISH)
        svg = xml(epub, f"EPUB/figures/{exercise.id}.svg")
        assert svg.tag == "{http://www.w3.org/2000/svg}svg"


@pytest.mark.slow  # several builds in a row
def test_the_identifier_is_stable_and_an_isbn_wins(book, tmp_path):
    def identifier(target: Path) -> str:
        assert run_cli("epub", "--book", book, "-o", target).exit_code == 0
        with zipfile.ZipFile(target) as archive:
            return xml(archive, "EPUB/package.opf").findtext(".//dc:identifier", namespaces=NS)

    first = identifier(tmp_path / "one.epub")
    assert identifier(tmp_path / "two.epub") == first
    with (book / "book.yaml").open("a", encoding="utf-8") as stream:
        stream.write("isbn: 978-0-00-000000-2\n")
    assert identifier(tmp_path / "isbn.epub") == "urn:isbn:9780000000002"


def test_the_package_states_its_accessibility(epub):
    metadata = xml(epub, "EPUB/package.opf").find("opf:metadata", NS)
    stated: dict[str, list[str]] = {}
    for meta in metadata.findall("opf:meta[@property]", NS):
        stated.setdefault(meta.get("property"), []).append((meta.text or "").strip())
    assert set(stated["schema:accessMode"]) == {"textual", "visual"}
    assert stated["schema:accessibilityHazard"] == ["none"]
    features = set(stated["schema:accessibilityFeature"])
    assert {"alternativeText", "tableOfContents", "structuralNavigation"} <= features
    assert "pageNavigation" in features and stated["source-of"] == ["pagination"]
    (summary,) = stated["schema:accessibilitySummary"]
    assert len(summary.split()) > 10
    # "textual" is sufficient only if every picture says in words what it shows.
    assert stated["schema:accessModeSufficient"] == ["textual"]
    for name in epub.namelist():
        if name.endswith(".xhtml"):
            for image in xml(epub, name).iter(f"{{{NS['x']}}}img"):
                assert (image.get("alt") or "").strip(), (name, image.get("src"))


def test_the_page_list_gives_the_pdf_ebooks_folios(epub, outputs):
    """Each chapter and exercise in the page list opens on the page the PDF ebook at the
    book's own paper (A4, made by the same build) gives it."""
    from pypdf import PdfReader

    from tests.pdfs import outline

    bookmarks = {title: page for _, title, page in outline(PdfReader(outputs["ebook-a4"]))}
    nav = xml(epub, "EPUB/nav.xhtml")
    (page_list,) = [n for n in nav.iter(f"{{{NS['x']}}}nav")
                    if n.get(f"{{{NS['epub']}}}type") == "page-list"]  # fmt: skip
    entries = [(int(a.text), a.get("href")) for a in page_list.iter(f"{{{NS['x']}}}a")]
    assert [folio for folio, _ in entries] == sorted({folio for folio, _ in entries})
    titles = {f"chapter-{c.id}.xhtml": c.title for c in SAMPLE.chapters}
    titles |= {f"exercise-{e.id}.xhtml": e.name for e in SAMPLE.exercises.values()}
    assert len(entries) == len(SAMPLE.chapters) + sum(len(c.exercises) for c in SAMPLE.chapters)
    for folio, href in entries:
        assert bookmarks[titles[href]] == folio, href


def test_figures_carry_the_font_of_their_labels(epub):
    """A reading system shows an SVG picture without the book's fonts: each figure holds
    the face its labels ask for, with every letter they use."""
    import base64
    import io

    from fontTools.ttLib import TTFont

    figures = [name for name in epub.namelist() if name.startswith("EPUB/figures/")]
    assert figures
    for name in figures:
        svg = epub.read(name).decode("utf-8")
        letters = set("".join(re.findall(r"<text\b[^>]*>([^<]*)</text>", svg))) - {" "}
        if not letters:
            continue
        face = re.search(r'url\("data:font/otf;base64,([A-Za-z0-9+/=]+)"\)', svg)
        assert face is not None, name
        cmap = TTFont(io.BytesIO(base64.b64decode(face[1]))).getBestCmap()
        assert {ord(letter) for letter in letters} <= set(cmap), name
