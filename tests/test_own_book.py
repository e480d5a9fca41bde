"""An author's own book: the cheat sheet's routine, nothing silently left out, unique anchors,
standalone HTML with pictures, and rebuilds of only the outputs an edit touches."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
import zipfile

import pytest
from PIL import Image
from pypdf import PdfReader

from tests.conftest import run_cli
from tests.pdfs import outline

SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300" viewBox="0 0 400 300">
<rect x="20" y="20" width="360" height="260" fill="#0e6b66"/></svg>"""


def routine_title(book, routine_id):
    for line in (book / "routines" / f"{routine_id}.yaml").read_text().splitlines():
        if line.startswith("title:"):
            return line.removeprefix("title:").strip()
    raise AssertionError(f"{routine_id} has no title")


def sheet_text(path):
    reader = PdfReader(path)
    assert len(reader.pages) == 1
    return reader.pages[0].extract_text()


def set_in_book_yaml(book, text):
    path = book / "book.yaml"
    path.write_text(path.read_text(encoding="utf-8") + text + "\n", encoding="utf-8")


# --- which routine the cheat sheet shows ---------------------------------------------


def test_a_book_without_routines_builds_the_ebook_and_says_why_there_is_no_sheet(
    without_routines,
):
    out, result = without_routines  # the sample book with its routines taken out
    assert result.exit_code == 0, result.stderr
    assert (out / "ebook.pdf").is_file() and (out / "ebook.epub").is_file()
    assert not (out / "cheatsheet.pdf").exists()
    line = next(line for line in result.stdout.splitlines() if "cheatsheet.pdf" in line)
    assert "skipped" in line and "no routine" in line


def test_book_yaml_names_the_cheat_sheet_routine(book, tmp_path):
    set_in_book_yaml(book, "cheatsheet: quick-standing")
    result = run_cli("cheatsheet", "--book", book, "-o", tmp_path / "sheet.pdf")
    assert result.exit_code == 0, result.stderr
    assert routine_title(book, "quick-standing") in sheet_text(tmp_path / "sheet.pdf")


def test_without_a_fridge_routine_the_first_by_file_name_is_shown(book, tmp_path):
    (book / "routines/fridge.yaml").rename(book / "routines/zz-daily.yaml")
    result = run_cli("cheatsheet", "--book", book, "-o", tmp_path / "sheet.pdf")
    assert result.exit_code == 0, result.stderr
    assert routine_title(book, "quick-standing") in sheet_text(tmp_path / "sheet.pdf")


def test_an_unknown_cheatsheet_routine_in_book_yaml_is_located(book):
    set_in_book_yaml(book, "cheatsheet: evening")
    result = run_cli("check", "--book", book)
    assert result.exit_code == 2
    line_number = len((book / "book.yaml").read_text().splitlines())
    assert f"book.yaml:{line_number}: cheatsheet: no routine 'evening'" in result.stderr
    assert "fridge" in result.stderr  # names the routines there are


def test_an_unknown_routine_fails_before_anything_is_laid_out(book, tmp_path, monkeypatch):
    def must_not_lay_out(*args, **kwargs):
        raise AssertionError("laid out before the routine was checked")

    monkeypatch.setattr("psoas_print.runner.build._make_all", must_not_lay_out)
    out = tmp_path / "out"
    result = run_cli("build", "--book", book, "--out", out, "--routine", "evening")
    assert result.exit_code == 2
    assert "no routine 'evening'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


# --- nothing silently left out -------------------------------------------------------


def test_check_names_content_the_products_would_leave_out(book):
    chapter = book / "chapters/04-the-exercises.md"
    chapter.write_text(chapter.read_text().replace("  - side-kicks\n", ""))
    (book / "figures/bridge-leg-lift.yaml").unlink()
    sample_off = book / "chapters/01-meet-your-psoas.md"
    text = sample_off.read_text()
    if "sample: true" in text:  # an exercise marked sample in a chapter that is not
        sample_off.write_text(text.replace("sample: true\n", ""))
    chapter.write_text(chapter.read_text().replace("sample: true\n", ""))
    result = run_cli("check", "--book", book)
    assert result.exit_code == 0, result.stderr
    warnings = result.stderr.splitlines()
    assert any("exercises/side-kicks.md: warning: in no chapter" in line for line in warnings), (
        warnings
    )
    assert any(
        "exercises/bridge-leg-lift.md: warning: has neither a pose" in line for line in warnings
    )
    dropped = [line for line in warnings if "sample edition leaves it out" in line]
    assert dropped and all("04-the-exercises.md" in line for line in dropped)


# --- anchors --------------------------------------------------------------------------


@pytest.mark.slow  # a whole build for one naming edge
def test_chapters_whose_names_differ_only_in_their_number_both_build(book, tmp_path):
    for number in ("050", "051"):
        (book / f"chapters/{number}-more.md").write_text(
            f"---\ntitle: More, part {number}\n---\nSome more words.\n", encoding="utf-8"
        )
    result = run_cli("ebook", "--book", book, "-o", tmp_path / "ebook.pdf")
    assert result.exit_code == 0, result.stderr
    titles = [title for _, title, _ in outline(PdfReader(tmp_path / "ebook.pdf"))]
    assert "More, part 050" in titles and "More, part 051" in titles


def test_an_id_the_author_gives_twice_is_located(book):
    (book / "chapters/01-meet-your-psoas.md").open("a").write('\n<p id="note">One.</p>\n')
    path = book / "chapters/03-safety.md"
    path.write_text(path.read_text() + '\n\n<div id="note">Two.</div>\n', encoding="utf-8")
    result = run_cli("check", "--book", book)
    assert result.exit_code == 2
    line_number = len(path.read_text().splitlines())
    assert f"03-safety.md:{line_number}: id 'note' is given twice" in result.stderr


# --- the HTML export ----------------------------------------------------------------


@pytest.mark.slow
def test_exported_html_with_photos_renders_to_the_same_pages(book, tmp_path):
    Image.new("RGB", (1800, 1200), "#c96").save(book / "figures/photo one.png")
    Image.new("RGB", (1800, 1200), "#69c").save(book / "figures/chapter.jpg")
    (book / "figures/drawing.svg").write_text(SVG, encoding="utf-8")
    exercise = book / "exercises/crisscross.md"
    exercise.write_text(
        exercise.read_text().replace("---\n", "---\nimage: figures/photo%20one.png\n", 1)
    )
    chapter = book / "chapters/01-meet-your-psoas.md"
    chapter.open("a").write(
        "\n![A photo](figures/chapter.jpg)\n\n![A drawing](figures/drawing.svg)\n"
    )

    made = run_cli(
        "ebook", "--book", book, "-o", tmp_path / "ebook.pdf", "--html", tmp_path / "ebook.html"
    )
    assert made.exit_code == 0, made.stderr
    copied = {path.suffix for path in (tmp_path / "ebook_files").iterdir()}
    assert {".png", ".jpg", ".svg", ".otf", ".ttf"} <= copied
    assert "file:" not in (tmp_path / "ebook.html").read_text()
    subprocess.run(
        [sys.executable, "-m", "weasyprint", tmp_path / "ebook.html", tmp_path / "plain.pdf"],
        check=True, cwd=tmp_path,
    )  # fmt: skip
    ours, plain = PdfReader(tmp_path / "ebook.pdf"), PdfReader(tmp_path / "plain.pdf")
    interior = ours.pages[1:]  # the HTML is the interior: the cover is laid in front after
    assert len(interior) == len(plain.pages)
    for mine, theirs in zip(interior, plain.pages, strict=True):
        assert mine.extract_text() == theirs.extract_text()
        assert len(mine.images) == len(theirs.images)


# --- co-authors -------------------------------------------------------------------------


def test_co_authors_are_credited_in_the_pdf_and_the_epub(book, tmp_path):
    path = book / "book.yaml"
    text = "\n".join(
        line for line in path.read_text().splitlines() if not line.startswith("author:")
    )
    path.write_text(text + "\nauthors: [Ana Ruiz, Ben Okafor, Chloé Martin]\n", encoding="utf-8")
    for command, target in (("ebook", "ebook.pdf"), ("epub", "ebook.epub")):
        made = run_cli(command, "--book", book, "-o", tmp_path / target)
        assert made.exit_code == 0, made.stderr
    ebook = PdfReader(tmp_path / "ebook.pdf")
    # Listed as the book's language lists names (CLDR's English: with the serial comma).
    byline = "Ana Ruiz, Ben Okafor, and Chloé Martin"
    assert ebook.metadata.author == byline
    front = " ".join(page.extract_text() for page in ebook.pages[:4])
    assert byline.upper() in " ".join(front.upper().split())
    with zipfile.ZipFile(tmp_path / "ebook.epub") as epub:
        package = ElementTree.fromstring(epub.read("EPUB/package.opf"))
    creators = [e.text for e in package.iter("{http://purl.org/dc/elements/1.1/}creator")]
    assert creators == ["Ana Ruiz", "Ben Okafor", "Chloé Martin"]


def test_a_book_must_name_its_author_one_way(book):
    path = book / "book.yaml"
    path.write_text(path.read_text() + "authors: [Someone Else]\n", encoding="utf-8")
    result = run_cli("check", "--book", book)
    assert result.exit_code == 2
    assert "either 'author' or 'authors'" in result.stderr


# --- rebuilds per product -------------------------------------------------------------


@pytest.mark.slow
def test_build_routine_overrides_the_book_and_an_edit_remakes_only_what_it_touches(book, tmp_path):
    out = tmp_path / "out"
    jobs = ("build", "--book", book, "--out", out, "--routine", "quick-standing")
    made = run_cli(*jobs)
    assert made.exit_code == 0, made.stderr
    assert routine_title(book, "quick-standing") in sheet_text(out / "cheatsheet.pdf")
    exercise = book / "exercises/crisscross.md"  # not in the quick-standing routine
    exercise.write_text(exercise.read_text() + "\nOne more line.\n", encoding="utf-8")
    again = run_cli(*jobs)
    assert again.exit_code == 0, again.stderr
    rows = {row.split()[0].rsplit("/", 1)[-1]: row for row in again.stdout.splitlines()[1:-1]}
    assert "up to date" in rows["cheatsheet.pdf"]
    assert "up to date" not in rows["ebook.pdf"] and "up to date" not in rows["ebook.epub"]
    records = json.loads((out / ".psoas-print/records.json").read_text())
    assert "exercises/squat-arm-raise.md" in records["cheatsheet.pdf"]["inputs"]
    assert "exercises/crisscross.md" not in records["cheatsheet.pdf"]["inputs"]

    squat = book / "exercises/squat-arm-raise.md"  # in the routine
    squat.write_text(squat.read_text() + "\nOne more line.\n", encoding="utf-8")
    rows = {
        row.split()[0].rsplit("/", 1)[-1]: row for row in run_cli(*jobs).stdout.splitlines()[1:-1]
    }
    assert "up to date" not in rows["cheatsheet.pdf"]
