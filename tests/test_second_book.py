"""Every product of a second book, unlike the sample in every way that matters: US Letter,
en-GB, co-authors, long names, photos and drawings in exercises and chapters, positions
from lying to kneeling, no routine called fridge, an exercise in no chapter, and two
chapters whose file names share their slug. Checked as a reader would check them."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ElementTree
import zipfile

import pytest
from pypdf import PdfReader

from psoas_print import load_book
from psoas_print.book.model import Book
from tests.conftest import SECOND_BOOK, run_cli
from tests.pdfs import bundled_fonts, embedded_fonts, folio_page, outline, page_size_mm
from tests.test_epub import ace_violations, epubcheck_command

SECOND = load_book(SECOND_BOOK)
LETTER_MM = (215.9, 279.4)
A4_MM = (210.0, 297.0)
LEADER_ENTRY = re.compile(r"(?P<title>[^.]+?)\s*\.{3,}\s*(?P<page>\d+)")


@pytest.fixture(scope="session")
def second(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The second book's products at its own paper (Letter) and at A4, and a class's handout."""
    out = tmp_path_factory.mktemp("second")
    built = run_cli("build", "--book", SECOND_BOOK, "--out", out / "letter")
    assert built.exit_code == 0, built.stderr
    a4 = out / "a4"
    for product in ("cheatsheet", "ebook"):
        made = run_cli(product, "--book", SECOND_BOOK, "--paper", "a4", "-o", a4 / f"{product}.pdf")
        assert made.exit_code == 0, made.stderr
    roster = out / "roster.csv"
    roster.write_text("name,notes\nAoife Ní Bhriain,\nJean-Baptiste Lefèvre-Durand,\n")
    routine = next(iter(SECOND.routines))
    handout = run_cli(
        "handout", "--book", SECOND_BOOK, "--routine", routine, "--roster", roster,
        "-o", out / "handout.pdf", "--class-name", "Tuesday mobility", "--paper", "a4",
    )  # fmt: skip
    assert handout.exit_code == 0, handout.stderr
    return {
        "letter": out / "letter",
        "a4": a4,
        "handout": out / "handout.pdf",
        "build-stderr": built.stderr,
        "build-stdout": built.stdout,
    }


def chaptered(book: Book) -> list[str]:
    return [exercise_id for chapter in book.chapters for exercise_id in chapter.exercises]


def flat(text: str) -> str:
    return " ".join(text.replace("\u00ad", "").split())


def contents_entries(reader: PdfReader) -> dict[str, int]:
    """Title and page of every contents entry, titles that wrap joined again."""
    text = ""
    for page in reader.pages[:8]:
        page_text = page.extract_text()
        if page_text.strip().startswith("Contents") or (text and LEADER_ENTRY.search(page_text)):
            text += "\n" + page_text.split("\n", 1)[1] if not text else "\n" + page_text
        elif text:
            break
    return {flat(m["title"]): int(m["page"]) for m in LEADER_ENTRY.finditer(flat(text))}


# --- the ebook ---------------------------------------------------------------------------


@pytest.mark.parametrize(("paper", "size"), [("letter", LETTER_MM), ("a4", A4_MM)])
def test_ebook_pages_are_the_paper_asked_for(second, paper, size):
    reader = PdfReader(second[paper] / "ebook.pdf")
    assert {page_size_mm(reader, i) for i in range(len(reader.pages))} == {size}


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_outline_holds_every_chapter_and_exercise_in_a_chapter(second, paper):
    entries = outline(PdfReader(second[paper] / "ebook.pdf"))
    level_one = [title for level, title, _ in entries if level == 1]
    assert [c.title for c in SECOND.chapters] == [
        t for t in level_one if t not in ("Contents", "Routines")
    ]
    chapters_part = entries[: [title for _, title, _ in entries].index("Routines")]
    exercise_titles = [title for level, title, _ in chapters_part if level == 2]
    assert exercise_titles == [SECOND.exercises[i].name for i in chaptered(SECOND)]
    left_out = set(SECOND.exercises) - set(chaptered(SECOND))
    assert left_out, "the second book keeps an exercise out of every chapter"
    assert not {SECOND.exercises[i].name for i in left_out} & {t for _, t, _ in entries}


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_contents_numbers_are_the_folios_of_the_pages_they_name(second, paper):
    reader = PdfReader(second[paper] / "ebook.pdf")
    toc = contents_entries(reader)
    bookmarks = {flat(title): page for _, title, page in outline(reader)}
    expected = [c.title for c in SECOND.chapters] + [
        SECOND.exercises[i].name for i in chaptered(SECOND)
    ]
    assert {flat(title) for title in expected} <= set(toc)
    for title, page in toc.items():
        assert bookmarks[title] == page, title
        last_lines = folio_page(reader, page).extract_text().strip().splitlines()[-2:]
        if page % 2 == 0 or title not in {c.title for c in SECOND.chapters}:
            assert str(page) in [line.strip() for line in last_lines], (title, last_lines)


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_each_exercise_keeps_to_its_spread(second, paper):
    reader = PdfReader(second[paper] / "ebook.pdf")
    pages = {flat(title): page for _, title, page in outline(reader)}
    for exercise_id in chaptered(SECOND):
        exercise = SECOND.exercises[exercise_id]
        page = pages[flat(exercise.name)]
        assert page % 2 == 0, f"{exercise.id} opens on page {page}"
        left, right = (flat(folio_page(reader, n).extract_text()).lower() for n in (page, page + 1))
        assert "dose" in left, exercise.id
        assert flat(exercise.caution).lower()[:40] in right, exercise.id


def test_chapters_open_on_right_hand_pages(second):
    for level, title, page in outline(PdfReader(second["letter"] / "ebook.pdf")):
        if level == 1:
            assert page % 2 == 1, title


def test_only_the_bundled_fonts_are_embedded(second):
    bundled = bundled_fonts()
    for path in (second["letter"] / "ebook.pdf", second["letter"] / "cheatsheet.pdf"):
        used = embedded_fonts(PdfReader(path))
        assert used and used <= bundled, path


def test_metadata_names_the_co_authors_and_the_language(second):
    reader = PdfReader(second["letter"] / "ebook.pdf")
    assert reader.metadata.author == SECOND.info.byline
    assert len(SECOND.info.author_names) > 1
    assert reader.trailer["/Root"]["/Lang"] == SECOND.info.language == "en-GB"


def test_every_picture_is_printed(second):
    """Photos (JPEG and PNG) appear in exercises and chapters; the placeholder stands in for
    an exercise with neither pose nor image."""
    reader = PdfReader(second["letter"] / "ebook.pdf")
    pages = {flat(title): page for _, title, page in outline(reader)}
    for exercise in SECOND.exercises.values():
        if exercise.id not in chaptered(SECOND) or exercise.image_path is None:
            continue
        if exercise.image_path.suffix.lower() in (".png", ".jpg", ".jpeg"):
            assert folio_page(reader, pages[flat(exercise.name)]).images, exercise.id
    raster_chapters = [c for c in SECOND.chapters if re.search(r"\.(png|jpe?g)\"", c.body_html)]
    assert raster_chapters
    for chapter in raster_chapters:
        start = pages[flat(chapter.title)]
        assert any(reader.pages[i].images for i in range(start - 1, start + 3)), chapter.title


# --- warnings -------------------------------------------------------------------------------


def test_the_build_names_what_it_leaves_out(second):
    warnings = second["build-stderr"].splitlines()
    for exercise_id in set(SECOND.exercises) - set(chaptered(SECOND)):
        assert any(f"{exercise_id}.md: warning: in no chapter" in w for w in warnings), warnings
    for exercise in SECOND.exercises.values():
        if exercise.pose is None and exercise.image_path is None:
            assert any(f"{exercise.id}.md: warning: has neither" in w for w in warnings)
    assert any("sample edition leaves it out" in w for w in warnings)


# --- the cheat sheet and the handout ----------------------------------------------------


@pytest.mark.parametrize(("paper", "size"), [("letter", LETTER_MM), ("a4", A4_MM)])
def test_cheat_sheet_is_one_page_of_the_first_routine(second, paper, size):
    assert "fridge" not in SECOND.routines
    routine = SECOND.routines[sorted(SECOND.routines)[0]]
    reader = PdfReader(second[paper] / "cheatsheet.pdf")
    assert len(reader.pages) == 1 and page_size_mm(reader) == size
    text = flat(reader.pages[0].extract_text())
    assert flat(routine.title) in text
    for item in routine.items:
        assert flat(item.exercise.label)[:30] in text, item.exercise.id


def test_handout_has_a_copy_per_student_with_their_name(second):
    reader = PdfReader(second["handout"])
    assert len(reader.pages) == 2
    assert page_size_mm(reader) == A4_MM  # printed on A4, the book being on Letter
    names = ["Aoife Ní Bhriain", "Jean-Baptiste Lefèvre-Durand"]
    for page, name in zip(reader.pages, names, strict=True):
        assert name in flat(page.extract_text())


def test_a_handout_cites_the_pages_of_the_ebook_at_the_books_own_paper(second):
    """Printed on A4, it cites the Letter ebook that `build` made, the students' edition."""
    routine = SECOND.routines[next(iter(SECOND.routines))]
    pages = {
        flat(title): page for _, title, page in outline(PdfReader(second["letter"] / "ebook.pdf"))
    }
    text = flat(PdfReader(second["handout"]).pages[0].extract_text())
    cited = [int(n) for n in re.findall(r"page (\d+)", text)]
    # (An exercise kept out of every chapter has no page to cite.)
    names = [flat(item.exercise.name) for item in routine.items]
    assert cited == [pages[name] for name in names if name in pages]


# --- the EPUB -----------------------------------------------------------------------------


def test_epub_has_every_chapter_and_exercise_in_its_navigation(second):
    with zipfile.ZipFile(second["letter"] / "ebook.epub") as epub:
        nav = ElementTree.fromstring(epub.read("EPUB/nav.xhtml"))
    labels = {flat("".join(a.itertext())) for a in nav.iter("{http://www.w3.org/1999/xhtml}a")}
    for chapter in SECOND.chapters:
        assert flat(chapter.title) in labels
    for exercise_id in chaptered(SECOND):
        assert flat(SECOND.exercises[exercise_id].name) in labels


@pytest.mark.slow
def test_epub_passes_epubcheck(second):
    command = epubcheck_command()
    assert command is not None, "epubcheck is not installed"
    result = subprocess.run(
        [*command, str(second["letter"] / "ebook.epub")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr


@pytest.mark.slow
def test_epub_passes_ace(second, tmp_path):
    assert ace_violations(second["letter"] / "ebook.epub", tmp_path / "ace") == []


# --- print editions ----------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("trim", ["6x9in", "a5"])
def test_print_editions_keep_every_exercise_to_its_spread(tmp_path, trim):
    target = tmp_path / f"{trim}.pdf"
    result = run_cli("ebook", "--book", SECOND_BOOK, "--print", "--trim", trim, "-o", target)
    assert result.exit_code == 0, result.stderr
    assert "runs past" not in result.stderr and "run past" not in result.stderr
    reader = PdfReader(target)
    pages = {flat(title): page for _, title, page in outline(reader)}
    for exercise_id in chaptered(SECOND):
        exercise = SECOND.exercises[exercise_id]
        page = pages[flat(exercise.name)]
        assert page % 2 == 0, (trim, exercise.id)
        right = flat(folio_page(reader, page + 1).extract_text()).lower()
        assert flat(exercise.caution).lower()[:40] in right, (trim, exercise.id)
    toc = contents_entries(reader)
    for title, page in toc.items():
        assert pages[title] == page, (trim, title)
    routine_pages_keep_whole(reader)


def routine_pages_keep_whole(reader: PdfReader) -> None:
    """Each routine of the closing section sits on one page, every exercise on it."""
    start = next(page for level, title, page in outline(reader) if title == "Routines")
    for routine in SECOND.routines.values():
        pages = [
            index
            for index in range(reader.page_labels.index(str(start)), len(reader.pages))
            if flat(routine.title) in flat(reader.pages[index].extract_text())
        ]
        assert pages, routine.id
        text = flat(reader.pages[pages[0]].extract_text())
        for item in routine.items:
            assert flat(item.exercise.name)[:40] in text, (routine.id, item.exercise.id)


def test_each_routine_keeps_to_one_page(second):
    routine_pages_keep_whole(PdfReader(second["letter"] / "ebook.pdf"))
