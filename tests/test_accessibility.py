"""Every PDF the tool writes is tagged and passes the machine-checkable PDF/UA-1 rules that
matter most (tests/accessibility.py), with the ``pdfua`` checker from PyPI as a second
opinion: the cheat sheet, the ebook and its sample edition, the print edition and a
handout here; named handouts two and four to a sheet (tests/test_handout_cells.py),
licensed copies (tests/test_stamp.py), the PDF/UA variant (tests/test_publishing.py), the
print presets (tests/test_print_presets.py) and the book laid out in parts, against the
single render (tests/test_ebook.py), where those are made."""

from __future__ import annotations

import re

import pikepdf
import pytest

from psoas_print import load_book
from tests.accessibility import element_text, second_opinion, structure_text, ua_problems
from tests.conftest import PDF_PRODUCTS, SAMPLE_BOOK
from tests.pdfs import structure_elements

SAMPLE = load_book(SAMPLE_BOOK)


@pytest.mark.parametrize("name", PDF_PRODUCTS)
def test_every_product_passes_the_structural_pdfua_checks(pdf_products, name):
    with pikepdf.open(pdf_products[name]) as pdf:
        assert ua_problems(pdf) == [], name
        # What a screen reader reads: the product's words, in its structure.
        read = " ".join(text for _, _, text in structure_text(pdf))
    titles = [SAMPLE.info.title, *(routine.title for routine in SAMPLE.routines.values())]
    assert any(title in read for title in titles)
    assert second_opinion(pdf_products[name]) == []


def test_the_ebook_title_is_one_heading(outputs):
    """The cover is a described figure; the title page holds the one H1 with the title."""
    with pikepdf.open(outputs["ebook-a4"]) as pdf:
        headings = [
            element_text(pdf, element)
            for element in structure_elements(pdf)
            if element.get("/S") == "/H1"
        ]
    assert [text for text in headings if SAMPLE.info.title in text] == [SAMPLE.info.title]


def test_link_descriptions_are_words_not_anchor_names(outputs):
    with pikepdf.open(outputs["ebook-a4"]) as pdf:
        described = [
            str(annotation.Contents)
            for page in pdf.pages
            for annotation in page.obj.get("/Annots", [])
        ]
    assert described
    assert not [d for d in described if re.fullmatch(r"[a-z0-9-]+", d)]
