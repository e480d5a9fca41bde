"""What every PDF says about itself, as a library, a shop or a screen reader reads it: its
title, authors and language in the Info dictionary and in XMP, its dates (those of
SOURCE_DATE_EPOCH when it is set), and a viewer told to show the title."""

from __future__ import annotations

import pikepdf
import pytest

from psoas_print import load_book
from tests.conftest import PDF_PRODUCTS, SAMPLE_BOOK

SAMPLE = load_book(SAMPLE_BOOK)
SHARED_DATE = "D:20260101000000Z"  # tests/conftest.py's EPOCH
XMP_DATE = "2026-01-01T00:00:00Z"
DC = "{http://purl.org/dc/elements/1.1/}"
XMP = "{http://ns.adobe.com/xap/1.0/}"


@pytest.mark.parametrize("name", PDF_PRODUCTS)
def test_every_pdf_carries_its_title_authors_language_and_dates(pdf_products, name):
    with pikepdf.open(pdf_products[name]) as pdf:
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
