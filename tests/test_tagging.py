"""The tagged PDFs as a screen reader and a PDF/UA checker read their structure."""

from __future__ import annotations

from collections.abc import Iterator

import pikepdf
import pytest


def elements(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    """Every structure element, in reading order."""
    stack = [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        if not isinstance(node, pikepdf.Dictionary):
            continue
        if node.get("/Type") == "/StructElem":
            yield node
        kids = node.get("/K")
        if isinstance(kids, pikepdf.Array):
            stack.extend(reversed(list(kids)))
        elif isinstance(kids, pikepdf.Dictionary):
            stack.append(kids)


@pytest.mark.parametrize("name", ["ebook-a4", "ebook-letter"])
def test_every_table_header_cell_has_its_scope(outputs, name):
    with pikepdf.open(outputs[name]) as pdf:
        headers = [element for element in elements(pdf) if element.S == "/TH"]
        assert headers  # the sample's weekly plan is a table
        for header in headers:
            assert str(header.A.Scope) in ("/Column", "/Row")
