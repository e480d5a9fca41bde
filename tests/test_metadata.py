"""What every PDF says about itself, as a library, a shop or a screen reader reads it: its
title, authors and language in the Info dictionary and in XMP, its dates (those of
SOURCE_DATE_EPOCH when it is set), and a viewer told to show the title."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from psoas_print import load_book
from tests.conftest import SAMPLE_BOOK

SAMPLE = load_book(SAMPLE_BOOK)
SHARED_DATE = "D:20260101000000Z"  # tests/conftest.py's EPOCH
XMP_DATE = "2026-01-01T00:00:00Z"
DC = "{http://purl.org/dc/elements/1.1/}"
XMP = "{http://ns.adobe.com/xap/1.0/}"


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
def test_every_pdf_carries_its_title_authors_language_and_dates(products, name):
    with pikepdf.open(products[name]) as pdf:
        info = {str(key): str(value) for key, value in pdf.docinfo.items()}
        assert SAMPLE.info.title in info["/Title"], name
        assert info["/Author"] == SAMPLE.info.byline
        assert info["/CreationDate"] == SHARED_DATE and info["/ModDate"] == SHARED_DATE
        assert str(pdf.Root.Lang) == SAMPLE.info.language
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True
        assert pdf.pdf_version >= "1.7"
        with pdf.open_metadata() as xmp:
            assert SAMPLE.info.title in xmp[f"{DC}title"]
            assert list(xmp[f"{DC}creator"]) == SAMPLE.info.author_names
            assert set(xmp[f"{DC}language"]) == {SAMPLE.info.language}
            assert xmp[f"{XMP}CreateDate"] == XMP_DATE and xmp[f"{XMP}ModifyDate"] == XMP_DATE
