"""The tagged PDFs as a screen reader and a PDF/UA checker read their structure."""

from __future__ import annotations

import pikepdf
import pytest

from tests.pdfs import structure_elements


@pytest.mark.parametrize("name", ["ebook-a4", "ebook-letter"])
def test_every_table_header_cell_has_its_scope(outputs, name):
    with pikepdf.open(outputs[name]) as pdf:
        headers = [element for element in structure_elements(pdf) if element.S == "/TH"]
        assert headers  # the sample's weekly plan is a table
        for header in headers:
            assert str(header.A.Scope) in ("/Column", "/Row")


def test_each_contents_link_says_in_words_where_it_leads(outputs):
    """Not the anchor's name: the entry's title and the page its number gives."""
    import re

    from pypdf import PdfReader

    from tests.test_ebook import contents_entries

    reader = PdfReader(outputs["ebook-a4"])
    entries = contents_entries(reader)
    contents = [
        i for i, page in enumerate(reader.pages) if page.extract_text().startswith("Contents")
    ]
    described: list[str] = []
    with pikepdf.open(outputs["ebook-a4"]) as pdf:
        for index in contents:
            for annotation in pdf.pages[index].get("/Annots", []):
                if "/Dest" in annotation:
                    described.append(str(annotation.Contents))
    for title, page in entries.items():
        # One link an entry (not one for its leader and one for its number besides).
        assert described.count(f"{title}, page {page}") == 1, title
    assert not [text for text in described if re.fullmatch(r"[a-z0-9-]+", text)]  # no slugs


def test_a_doses_facts_are_list_items_of_a_label_and_a_body(outputs):
    """The dose box's description list: each fact one LI holding an Lbl (what) and an
    LBody (how much); nothing but items directly in any list."""
    from psoas_print import load_book
    from tests.conftest import SAMPLE_BOOK

    shown = sum(len(chapter.exercises) for chapter in load_book(SAMPLE_BOOK).chapters)
    with pikepdf.open(outputs["ebook-a4"]) as pdf:
        lists = [element for element in structure_elements(pdf) if element.S == "/L"]
        items = [kid for lst in lists for kid in lst.K if isinstance(kid, pikepdf.Dictionary)]
        assert {str(item.S) for item in items} == {"/LI"}
        roles = [[str(kid.S) for kid in item.K if isinstance(kid, pikepdf.Dictionary)]
                 for item in items]  # fmt: skip
        # Four facts to a dose: repetitions, hold, start, what you need.
        assert roles.count(["/Lbl", "/LBody"]) >= 4 * shown
