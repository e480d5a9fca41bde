"""The ebook as a reader checks it: pages, contents, outline, fonts, metadata, text."""

from __future__ import annotations

import io
import itertools
import re
import statistics

import pikepdf
import pytest
from pypdf import PdfReader

from psoas_print import load_book
from tests.conftest import SAMPLE_BOOK
from tests.pdfs import (
    bundled_fonts,
    embedded_fonts,
    folio,
    folio_page,
    outline,
    page_size_mm,
    text_runs,
)

SAMPLE = load_book(SAMPLE_BOOK)
TOC_LINE = re.compile(r"^(?P<title>.+?)\s*\.{3,}\s*(?P<page>\d+)$")


def contents_entries(reader: PdfReader) -> dict[str, int]:
    page = next(p for p in reader.pages if p.extract_text().startswith("Contents"))
    lines = page.extract_text().splitlines()
    return {m["title"]: int(m["page"]) for line in lines if (m := TOC_LINE.match(line.strip()))}


@pytest.mark.parametrize(
    ("name", "size"), [("ebook-a4", (210.0, 297.0)), ("ebook-letter", (215.9, 279.4))]
)
def test_every_page_has_the_paper_size(outputs, name, size):
    reader = PdfReader(outputs[name])
    assert len(reader.pages) >= 20
    assert {page_size_mm(reader, i) for i in range(len(reader.pages))} == {size}


def test_outline_has_every_chapter_and_exercise_under_its_chapter(ebook):
    entries = outline(ebook)
    chapters = [title for level, title, _ in entries if level == 1]
    assert chapters == ["Contents", *[chapter.title for chapter in SAMPLE.chapters], "Routines"]
    exercise_chapter = next(c for c in SAMPLE.chapters if c.exercises)
    start = [title for _, title, _ in entries].index(exercise_chapter.title)
    under = itertools.takewhile(lambda entry: entry[0] == 2, entries[start + 1 :])
    nested = [title for _, title, _ in under]
    assert nested == [SAMPLE.exercises[i].name for i in exercise_chapter.exercises]


def test_contents_numbers_are_the_pages_the_headings_are_on(ebook):
    toc = contents_entries(ebook)
    bookmarks = {title: page for _, title, page in outline(ebook)}
    expected = [c.title for c in SAMPLE.chapters] + [e.name for e in SAMPLE.exercises.values()]
    expected.append("Routines")
    assert sorted(toc) == sorted(expected)
    for title, page in toc.items():
        assert bookmarks[title] == page, title
        assert title in " ".join(folio_page(ebook, page).extract_text().split())


def test_contents_entries_link_to_their_pages(ebook):
    toc = contents_entries(ebook)
    contents_page = next(p for p in ebook.pages if p.extract_text().startswith("Contents"))
    destinations = ebook.named_destinations
    targets = set()
    for annotation in contents_page["/Annots"]:
        name = annotation.get_object()["/Dest"]
        targets.add(folio(ebook, ebook.get_destination_page_number(destinations[str(name)])))
    assert targets == set(toc.values())


def test_chapters_start_on_right_hand_pages(ebook):
    for level, title, page in outline(ebook):
        if level == 1:
            assert page % 2 == 1, f"{title} starts on page {page}"


def test_each_exercise_is_a_spread_with_its_facts(ebook):
    for exercise in SAMPLE.exercises.values():
        page = next(p for _, t, p in outline(ebook) if t == exercise.name)
        assert page % 2 == 0, f"{exercise.name} should open on a left-hand page"
        spread = folio_page(ebook, page).extract_text() + folio_page(ebook, page + 1).extract_text()
        flat = " ".join(spread.split()).lower()
        for fact in ("Dose", "Breathing", "Steps", "Caution", str(exercise.dose.reps)):
            assert fact.lower() in flat, (exercise.name, fact)
        assert " ".join(exercise.caution.split()[:6]).lower() in flat


def test_running_heads_name_the_chapter_and_pages_are_numbered(ebook):
    entries = outline(ebook)
    exercise_chapter = next(c for c in SAMPLE.chapters if c.exercises)
    first_exercise = next(p for level, _, p in entries if level == 2)
    left_page = folio_page(ebook, first_exercise + 2)  # the next left-hand page
    # Margin boxes are drawn after the page body: the head and folio come last.
    lines = [line.strip() for line in left_page.extract_text().splitlines()]
    assert set(lines[-2:]) == {exercise_chapter.title.upper(), str(first_exercise + 2)}


def test_front_matter_pages(ebook):
    text = [page.extract_text() for page in ebook.pages[:6]]
    assert SAMPLE.info.title in text[0]
    assert SAMPLE.info.author.lower() in text[0].lower()
    copyright_page = next(t for t in text if "Made with psoas-print" in t)
    assert SAMPLE.info.edition in copyright_page
    assert "not medical advice" in " ".join(copyright_page.split())


def test_fonts_are_the_bundled_ones_and_embedded(outputs):
    bundled = bundled_fonts()
    for name in ("ebook-a4", "cheatsheet-a4", "cheatsheet-letter"):
        used = embedded_fonts(PdfReader(outputs[name]))
        assert used, name
        assert used <= bundled, (name, used - bundled)


def test_metadata(ebook):
    metadata = ebook.metadata
    assert metadata.title == SAMPLE.info.title
    assert metadata.author == SAMPLE.info.author
    assert metadata.subject == SAMPLE.info.description
    assert "psoas" in metadata["/Keywords"]
    assert ebook.trailer["/Root"]["/Lang"] == "en"


def test_body_text_is_readable_size_and_line_length(ebook):
    chapter_page = next(p for level, _, p in outline(ebook) if level == 1 and p > 6)
    runs = text_runs(ebook, chapter_page - 1)
    body_sizes = [size for _, size, font in runs if "Gentium" in font]
    assert 10 <= statistics.median(body_sizes) <= 12
    lines = [
        line for line in ebook.pages[chapter_page].extract_text().splitlines() if len(line) > 30
    ]
    assert 50 <= statistics.median(len(line) for line in lines) <= 75


@pytest.mark.slow
def test_html_is_written_on_request_and_stands_on_its_own(outputs):
    from weasyprint import HTML

    path = outputs["ebook-letter-html"]
    html = path.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "Pilates Crisscross" in html
    assert "file://" not in html and "<base" not in html
    assert (path.parent / "ebook_files").is_dir()
    # The plain WeasyPrint renders it to the same pages, fonts found beside it.
    plain = PdfReader(io.BytesIO(HTML(filename=str(path)).write_pdf()))
    ours = PdfReader(outputs["ebook-letter"])
    # It is the interior: the cover is laid in front of it afterwards.
    interior = ours.pages[1:]
    assert len(plain.pages) == len(interior)
    assert [p.extract_text() for p in plain.pages] == [p.extract_text() for p in interior]
    assert embedded_fonts(plain) <= bundled_fonts()


def test_sample_edition(outputs):
    reader = PdfReader(outputs["sample-edition"])
    titles = [title for _, title, _ in outline(reader)]
    sample_chapters = [c.title for c in SAMPLE.chapters if c.sample]
    sample_exercises = [e.name for e in SAMPLE.exercises.values() if e.sample]
    assert set(sample_chapters) < {c.title for c in SAMPLE.chapters}
    assert [t for t in titles if t in {c.title for c in SAMPLE.chapters}] == sample_chapters
    assert sorted(t for t in titles if t in {e.name for e in SAMPLE.exercises.values()}) == sorted(
        sample_exercises
    )
    for page in reader.pages[1:]:  # every page with text; a blank page stays blank
        text = page.extract_text()
        assert "SAMPLE" in text or not text.strip()
    closing = " ".join(reader.pages[-1].extract_text().split())
    assert SAMPLE.info.store_url in closing
    assert len(contents_entries(reader)) == len(sample_chapters) + len(sample_exercises)


def test_sample_edition_needs_a_store(book, tmp_path):
    from tests.conftest import run_cli

    text = (book / "book.yaml").read_text(encoding="utf-8")
    (book / "book.yaml").write_text(text.replace("store_url:", "# store_url:"), encoding="utf-8")
    result = run_cli("ebook", "--book", book, "--sample", "-o", tmp_path / "sample.pdf")
    assert result.exit_code == 2
    assert "book.yaml: a sample edition needs store_url" in result.stderr
    assert not (tmp_path / "sample.pdf").exists()


@pytest.mark.slow
def test_a_long_book_in_parts_matches_a_single_render(tmp_path, monkeypatch):
    from bench.generate import generate
    from tests.accessibility import second_opinion, structure_text, ua_problems
    from tests.conftest import EPOCH, run_cli

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    book = generate(12, tmp_path / "book", per_chapter=3)
    single, joined = tmp_path / "single.pdf", tmp_path / "joined.pdf"
    assert run_cli("ebook", "--book", book, "--parts", "1", "-o", single).exit_code == 0
    result = run_cli("ebook", "--book", book, "--parts", "3", "-o", joined)
    assert result.exit_code == 0, result.stderr
    assert "laid out in 3 parts" in result.stdout
    # Tagged as the single render is: every element on the page that shows its text, in
    # the same reading order; each font once, within 10% of the single render's size.
    with pikepdf.open(single) as one_pdf, pikepdf.open(joined) as parts_pdf:
        assert ua_problems(parts_pdf) == []
        assert structure_text(parts_pdf) == structure_text(one_pdf)
    assert second_opinion(joined) == []
    assert joined.stat().st_size <= 1.1 * single.stat().st_size
    # The same bytes from build to build.
    again = tmp_path / "again.pdf"
    assert run_cli("ebook", "--book", book, "--parts", "3", "-o", again).exit_code == 0
    assert again.read_bytes() == joined.read_bytes()
    one, parts = PdfReader(single), PdfReader(joined)
    assert len(parts.pages) == len(one.pages)
    assert contents_entries(parts) == contents_entries(one)
    assert outline(parts) == outline(one)
    # Running heads, page numbers and every word on every page, as in the single render.
    assert [p.extract_text() for p in parts.pages] == [p.extract_text() for p in one.pages]
    # The contents' links jump to the pages their numbers name.
    contents_page = next(p for p in parts.pages if p.extract_text().startswith("Contents"))
    destinations = parts.named_destinations
    targets = {
        folio(parts, parts.get_destination_page_number(destinations[str(a.get_object()["/Dest"])]))
        for a in contents_page["/Annots"]
    }
    assert targets == set(contents_entries(parts).values())


@pytest.mark.parametrize("name", ["ebook-a4", "sample-edition"])
def test_the_cover_is_laid_in_front_and_labelled_not_numbered(outputs, name):
    """The interior is laid out without its cover: the viewer's page numbers are the
    printed folios, and a screen reader meets the cover as a described figure."""
    import pikepdf

    reader = PdfReader(outputs[name])
    labels = reader.page_labels
    assert labels[0] == "Cover"
    assert labels[1:] == [str(number) for number in range(1, len(reader.pages))]
    cover = " ".join(reader.pages[0].extract_text().split())
    assert SAMPLE.info.title in cover and SAMPLE.info.subtitle in cover
    assert page_size_mm(reader, 0) == page_size_mm(reader, 1)
    # Folio 1 is the title page, a right-hand page: no blank page behind the cover.
    assert SAMPLE.info.title in folio_page(reader, 1).extract_text()
    assert folio_page(reader, 1).extract_text().strip() != ""
    with pikepdf.open(outputs[name]) as pdf:
        document = pdf.Root.StructTreeRoot.K[0]
        first = document.K[0]
        assert first.S == "/Figure" and first.Pg.objgen == pdf.pages[0].objgen
        assert SAMPLE.info.title in str(first.Alt) and SAMPLE.info.byline in str(first.Alt)
        assert b"/Figure" in pdf.pages[0].Contents.read_bytes()


def test_the_sample_links_its_store_and_marks_no_blank_page(outputs):
    reader = PdfReader(outputs["sample-edition"])
    store = str(SAMPLE.info.store_url)
    links = [
        annotation.get_object().get("/A", {}).get("/URI")
        for annotation in reader.pages[-1].get("/Annots", [])
    ]
    assert store in links  # the address and its QR code both open the shop
    marked = [i for i, page in enumerate(reader.pages) if "SAMPLE" in page.extract_text()]
    assert marked  # the text pages say what they are
    blanks = [i for i, page in enumerate(reader.pages) if not page.get("/Contents")
              or page.extract_text().strip() == "SAMPLE"]  # fmt: skip
    assert not blanks, f"pages {blanks} carry nothing but the sample mark"


@pytest.mark.slow
def test_a_long_books_pages_are_kept_for_its_handouts(tmp_path, monkeypatch):
    """An ebook laid out in parts records its pages as a single render does: a handout of
    the unchanged book reads them back instead of laying the ebook out again."""
    from bench.generate import generate
    from psoas_print.products.context import BuildContext
    from tests.conftest import run_cli

    book = generate(12, tmp_path / "book", per_chapter=3)
    result = run_cli("ebook", "--book", book, "--parts", "3", "-o", tmp_path / "ebook.pdf")
    assert result.exit_code == 0, result.stderr

    def no_layout(*args: object) -> None:
        raise AssertionError("the ebook was laid out again")

    monkeypatch.setattr(BuildContext, "anchors", no_layout)
    routine = next((book / "routines").glob("*.yaml")).stem
    target = tmp_path / "handout.pdf"
    result = run_cli("handout", "--book", book, "--routine", routine, "-o", target)
    assert result.exit_code == 0, result.stderr
    pages = {title: page for _, title, page in outline(PdfReader(tmp_path / "ebook.pdf"))}
    cited = re.findall(
        r"Full steps: page (\d+)", " ".join(PdfReader(target).pages[0].extract_text().split())
    )
    assert cited and all(int(page) in pages.values() for page in cited)


@pytest.mark.slow
def test_a_long_books_pages_are_found_in_portions_when_none_are_kept(tmp_path, monkeypatch):
    """With no pages kept, the EPUB of a long book lays the ebook out in portions, as
    `ebook` does, not in one render; its page list gives the pages `ebook` prints."""
    import zipfile

    from bench.generate import generate
    from psoas_print.layout import remembered
    from psoas_print.products import parts
    from psoas_print.products.context import BuildContext
    from tests.conftest import run_cli

    book = generate(12, tmp_path / "book", per_chapter=3)
    monkeypatch.setattr(parts, "LONG_BOOK_EXERCISES", 6)  # twelve exercises count as long
    monkeypatch.setattr(remembered, "_read", lambda path: None)  # nothing kept

    def one_render(*args: object) -> None:
        raise AssertionError("the long book was laid out in one render")

    monkeypatch.setattr(BuildContext, "anchors", one_render)
    result = run_cli("epub", "--book", book, "-o", tmp_path / "book.epub")
    assert result.exit_code == 0, result.stderr
    monkeypatch.undo()
    result = run_cli("ebook", "--book", book, "--parts", "3", "-o", tmp_path / "ebook.pdf")
    assert result.exit_code == 0, result.stderr
    with zipfile.ZipFile(tmp_path / "book.epub") as epub:
        nav = epub.read("EPUB/nav.xhtml").decode("utf-8")
    page_list = nav[nav.index('epub:type="page-list"') :]
    listed = dict(re.findall(r'href="exercise-([^"]+)\.xhtml">(\d+)</a>', page_list))
    printed = {title: page for _, title, page in outline(PdfReader(tmp_path / "ebook.pdf"))}
    exercises = load_book(book).exercises
    assert listed  # every exercise in a chapter is listed, at the page `ebook` prints
    assert {exercises[name].name: int(page) for name, page in listed.items()} == {
        exercises[name].name: printed[exercises[name].name] for name in listed
    }
