"""An edit to some exercises of a long book lays out only their spreads again (see
products/kept_layout.py), and the book that comes out is the one a full build makes: the
same pages with the same words, contents numbers, outline, links and tags."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from tests.accessibility import structure_text, ua_problems
from tests.conftest import EPOCH, run_cli
from tests.pdfs import outline
from tests.test_ebook import contents_entries

pytestmark = pytest.mark.slow

PARTS = ("--parts", "3")  # a short book, laid out in parts as a long one is


@pytest.fixture
def book(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from bench.generate import generate

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return generate(12, tmp_path / "book", per_chapter=3)


def build(book: Path, target: Path) -> str:
    result = run_cli("ebook", "--book", book, *PARTS, "-o", target)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def edit_steps(book: Path, index: int, words: str) -> Path:
    """The ``index``-th exercise (by file name) with ``words`` opening its first step."""
    path = sorted((book / "exercises").glob("*.md"))[index]
    text = path.read_text(encoding="utf-8")
    edited = re.sub(r"^1\. ", f"1. {words} ", text, count=1, flags=re.MULTILINE)
    assert edited != text
    path.write_text(edited, encoding="utf-8")
    return path


def assert_same_book(made: Path, full: Path) -> None:
    """What a reader checks: pages and their words, contents, outline, links, tags."""
    ours, theirs = PdfReader(made), PdfReader(full)
    assert len(ours.pages) == len(theirs.pages)
    assert [page.extract_text() for page in ours.pages] == [
        page.extract_text() for page in theirs.pages
    ]
    assert contents_entries(ours) == contents_entries(theirs)
    assert outline(ours) == outline(theirs)
    assert destinations(ours) == destinations(theirs)
    assert links(ours) == links(theirs)
    with pikepdf.open(made) as ours_pdf, pikepdf.open(full) as theirs_pdf:
        assert ua_problems(ours_pdf) == []
        assert structure_text(ours_pdf) == structure_text(theirs_pdf)


def destinations(reader: PdfReader) -> dict[str, int]:
    return {
        name: reader.get_destination_page_number(destination)
        for name, destination in reader.named_destinations.items()
    }


def links(reader: PdfReader) -> list[list[tuple[tuple[int, ...], str]]]:
    """Each page's links: where each sits and what it jumps to."""
    found = []
    for page in reader.pages:
        annotations = [annotation.get_object() for annotation in page.get("/Annots", [])]
        found.append(
            [
                (
                    tuple(round(float(value)) for value in annotation["/Rect"]),
                    str(annotation.get("/Dest") or annotation.get("/A", {}).get("/URI")),
                )
                for annotation in annotations
                if annotation.get("/Subtype") == "/Link"
            ]
        )
    return found


def test_an_edited_exercise_is_laid_out_alone_and_makes_the_full_builds_book(
    book: Path, tmp_path: Path
) -> None:
    made = tmp_path / "out" / "ebook.pdf"
    assert "laid out in 3 parts" in build(book, made)
    edit_steps(book, 4, "Slowly and with care,")
    edit_steps(book, 9, "Keep breathing,")

    assert "2 spreads laid out again, the rest of 3 parts kept" in build(book, made)
    full = tmp_path / "full" / "ebook.pdf"
    assert "laid out again" not in build(book, full)
    assert_same_book(made, full)
    text = "".join(page.extract_text() for page in PdfReader(made).pages)
    assert "Slowly and with care," in text and "Keep breathing," in text


def test_a_spread_that_grows_or_kept_files_that_changed_lay_the_book_out_again(
    book: Path, tmp_path: Path
) -> None:
    made = tmp_path / "out" / "ebook.pdf"
    build(book, made)
    before = len(PdfReader(made).pages)
    # A first step long enough to push the exercise past its spread: its pages change,
    # so do the pages after it, and the whole book is laid out.
    edit_steps(book, 2, "Take your time over this one. " * 60)
    assert "laid out in 3 parts" in build(book, made)
    assert len(PdfReader(made).pages) > before
    full = tmp_path / "full" / "ebook.pdf"
    build(book, full)
    assert_same_book(made, full)
    # A kept part that is not what was kept (cut short, or changed by anything else) is
    # not used: the book is laid out whole.
    kept = max((made.parent / ".psoas-print").rglob("*.pdf"), key=lambda p: p.stat().st_size)
    kept.write_bytes(kept.read_bytes()[:-100])
    edit_steps(book, 5, "Gently,")
    assert "laid out in 3 parts" in build(book, made)
    edit_steps(book, 5, "Gently again,")
    assert "1 spread laid out again" in build(book, made)
