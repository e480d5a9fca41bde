"""The public API for scripts: a book read in one call, a product made in one call, with
the same checks, up-to-date test and summary as the commands."""

from __future__ import annotations

import shutil
import zipfile

import pytest
from pypdf import PdfReader

import psoas_print
from psoas_print.products.settings import CheatsheetSettings, EpubSettings, ProductName
from psoas_print.runner.build import build
from psoas_print.runner.jobs import Job
from tests.conftest import SAMPLE_BOOK, SECOND_BOOK


def test_load_book_reads_and_checks_any_book():
    for folder in (SAMPLE_BOOK, SECOND_BOOK):
        book = psoas_print.load_book(folder)
        assert book.exercises and book.chapters
        assert all(exercise.name for exercise in book.exercises.values())


def test_load_book_reports_every_problem_with_its_line(tmp_path):
    book = tmp_path / "book"
    shutil.copytree(SECOND_BOOK, book)
    exercise = next((book / "exercises").glob("*.md"))
    exercise.write_text(exercise.read_text().replace("reps:", "reps: [", 1))
    with pytest.raises(psoas_print.BookError) as raised:
        psoas_print.load_book(book)
    problem = raised.value.problems[0]
    assert problem.path.name == exercise.name and problem.line is not None


def test_a_product_is_one_call_and_remembered(tmp_path):
    target = tmp_path / "sheet.pdf"
    made = psoas_print.make_cheatsheet(SECOND_BOOK, target)
    assert len(PdfReader(target).pages) == 1
    [result] = made.results
    assert result.target == target and result.pages == 1 and result.summary.renders >= 1
    again = psoas_print.make_cheatsheet(SECOND_BOOK, target)
    assert again.results[0].summary.up_to_date
    forced = psoas_print.make_cheatsheet(SECOND_BOOK, target, force=True)
    assert not forced.results[0].summary.up_to_date


def test_a_bad_argument_is_a_book_error_and_writes_nothing(tmp_path):
    target = tmp_path / "sheet.pdf"
    with pytest.raises(psoas_print.BookError, match="no routine 'nope'"):
        psoas_print.make_cheatsheet(SECOND_BOOK, target, routine="nope")
    assert not target.exists()


def test_licensed_copies_from_a_script(tmp_path):
    ebook = tmp_path / "ebook.pdf"  # any finished PDF will do: a one-page one is quick
    psoas_print.make_cheatsheet(SAMPLE_BOOK, ebook)
    buyers = tmp_path / "buyers.csv"
    buyers.write_text("name,email,order\nAna Lima,ana@example.com,7\nBo Chen,bo@example.com,8\n")
    made = psoas_print.make_licensed_copies(ebook, buyers, tmp_path / "copies")
    assert [result.target.name for result in made.results] == ["ebook-7.pdf", "ebook-8.pdf"]
    for result, name in zip(made.results, ("Ana Lima", "Bo Chen"), strict=True):
        pages = PdfReader(result.target).pages
        assert all(name in page.extract_text() for page in pages)
    again = psoas_print.make_licensed_copies(ebook, buyers, tmp_path / "copies")
    assert all(result.summary.up_to_date for result in again.results)


@pytest.mark.slow  # two builds side by side in worker processes
def test_a_script_that_sets_the_date_later_gets_it_in_every_product(tmp_path, monkeypatch):
    """Worker processes may have started before SOURCE_DATE_EPOCH was set: the date is
    read by the process that starts the build and sent to them."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    jobs = [
        Job(ProductName.CHEATSHEET, CheatsheetSettings(), tmp_path / "sheet.pdf"),
        Job(ProductName.EPUB, EpubSettings(), tmp_path / "book.epub"),
    ]
    build(SECOND_BOOK, jobs)  # side by side: the workers start now, undated
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    build(SECOND_BOOK, jobs, force=True)
    assert PdfReader(tmp_path / "sheet.pdf").metadata["/CreationDate"].startswith("D:20260101")
    with zipfile.ZipFile(tmp_path / "book.epub") as epub:
        assert {info.date_time[:3] for info in epub.infolist()} == {(2026, 1, 1)}
