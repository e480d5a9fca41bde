"""Every PDF the tool writes is tagged and passes the machine-checkable PDF/UA-1 rules that
matter most (tests/accessibility.py), with the ``pdfua`` checker from PyPI as a second
opinion: the cheat sheet, the ebook and its sample edition, the print edition, handouts
(one, two and four to a sheet, named), licensed copies and the PDF/UA variant. The book
laid out in parts is checked in tests/test_ebook.py, against the single render."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest

from psoas_print import load_book
from tests.accessibility import element_text, structure_text, ua_problems
from tests.conftest import SAMPLE_BOOK, run_cli
from tests.pdfs import structure_elements

SAMPLE = load_book(SAMPLE_BOOK)


def second_opinion(path: Path) -> list[str]:
    """What ``pdfua`` finds wrong (errors; its warning that no PDF/UA conformance is
    declared is true of every file but the PDF/UA variant)."""
    from pdfua import Severity, validate

    report = validate(str(path))
    return [
        f"{finding.rule_id}: {finding.message}"
        for finding in report.findings
        if finding.severity == Severity.ERROR
    ]


@pytest.fixture(scope="module")
def products(outputs, print_edition, sample_handout) -> dict[str, Path]:
    return {
        "cheat sheet": outputs["cheatsheet-a4"],
        "ebook": outputs["ebook-a4"],
        "sample edition": outputs["sample-edition"],
        "print edition": print_edition.path,
        "handout": sample_handout,
    }


@pytest.mark.parametrize(
    "name", ["cheat sheet", "ebook", "sample edition", "print edition", "handout"]
)
def test_every_product_passes_the_structural_pdfua_checks(products, name):
    with pikepdf.open(products[name]) as pdf:
        assert ua_problems(pdf) == [], name
        # What a screen reader reads: the product's words, in its structure.
        read = " ".join(text for _, _, text in structure_text(pdf))
    titles = [SAMPLE.info.title, *(routine.title for routine in SAMPLE.routines.values())]
    assert any(title in read for title in titles)
    assert second_opinion(products[name]) == []


def test_the_pdfua_variant_declares_what_it_passes(tmp_path):
    target = tmp_path / "ua.pdf"
    result = run_cli("cheatsheet", "--book", SAMPLE_BOOK, "--pdf-variant", "pdf/ua-1", "-o", target)
    assert result.exit_code == 0, result.stderr
    with pikepdf.open(target) as pdf:
        assert ua_problems(pdf, "pdf/ua-1") == []
    assert second_opinion(target) == []


def test_the_ebook_title_is_one_heading(outputs):
    """The cover is a described figure; the title page holds the one H1 with the title."""
    with pikepdf.open(outputs["ebook-a4"]) as pdf:
        headings = [
            element_text(pdf, element)
            for element in structure_elements(pdf)
            if element.get("/S") == "/H1"
        ]
    assert [text for text in headings if SAMPLE.info.title in text] == [SAMPLE.info.title]


def test_licensed_copies_keep_the_ebooks_tags(outputs, tmp_path):
    buyers = tmp_path / "buyers.csv"
    buyers.write_text("name,email,order\nAda Lovelace,ada@example.org,A-1\n", encoding="utf-8")
    out = tmp_path / "copies"
    result = run_cli("stamp", outputs["ebook-a4"], "--buyers", buyers, "--out", out)
    assert result.exit_code == 0, result.stderr
    (copy,) = out.glob("*.pdf")
    with pikepdf.open(copy) as pdf:
        assert ua_problems(pdf) == []
    assert second_opinion(copy) == []


def test_named_handouts_are_tagged_one_copy_a_sheet(tmp_path):
    """Two to a sheet: the first copy on each sheet is read, its student's name first;
    the second is an artifact, there for the scissors."""
    roster = tmp_path / "class.csv"
    names = ["Ada Lovelace", "Grace Hopper", "Katherine Johnson"]
    roster.write_text("name\n" + "\n".join(names) + "\n", encoding="utf-8")
    target = tmp_path / "handouts.pdf"
    result = run_cli(
        "handout", "--book", SAMPLE_BOOK, "--routine", "fridge", "--roster", roster,
        "--per-sheet", "2", "--qr", "https://example.org/class", "-o", target,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    with pikepdf.open(target) as pdf:
        assert len(pdf.pages) == 2
        assert ua_problems(pdf) == []
        read = structure_text(pdf)
        # Each sheet's reading starts with the name of the student whose copy is read.
        firsts = [next(t for _, page, t in read if page == number) for number in (1, 2)]
        assert firsts == [names[0], names[2]]
        assert not any(names[1] in text for _, _, text in read)  # the artifact copy
        # The QR code is a live link, described, on the read copy only.
        links = [a for page in pdf.pages for a in page.obj.get("/Annots", [])]
        assert [str(a.A.URI) for a in links] == ["https://example.org/class"] * 2
    assert second_opinion(target) == []


def test_link_descriptions_are_words_not_anchor_names(outputs):
    with pikepdf.open(outputs["ebook-a4"]) as pdf:
        described = [
            str(annotation.Contents)
            for page in pdf.pages
            for annotation in page.obj.get("/Annots", [])
        ]
    assert described
    assert not [d for d in described if re.fullmatch(r"[a-z0-9-]+", d)]
