"""A cover laid in front of an interior that was laid out without it.

The interior's pages, spreads and contents numbers never depend on the cover: it is laid
out alone and put in front here. The page labels make a viewer's page numbers the printed
folios (the cover is "Cover", the interior's first page 1), and in a tagged interior the
cover becomes the first element of the structure: a figure with its alternative text.

pikepdf (30 ms to import) is imported by the functions that use it, not at the top.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from psoas_print.pdf.font_sharing import name_subsets_apart

if TYPE_CHECKING:
    import pikepdf


@dataclass(frozen=True)
class Cover:
    """A cover page as a PDF, what it shows (for a screen reader) and its page label."""

    data: bytes
    alt: str
    label: str


def put_in_front(interior: bytes, cover: Cover) -> bytes:
    """``interior`` with the first page of ``cover`` before its first page."""
    import pikepdf  # see the module's note

    with pikepdf.open(io.BytesIO(interior)) as pdf:
        lay_in_front(pdf, cover)
        name_subsets_apart(pdf)  # the cover's subsets and the interior's share font names
        buffer = io.BytesIO()
        pdf.save(buffer, deterministic_id=True)
        return buffer.getvalue()


def lay_in_front(pdf: pikepdf.Pdf, cover: Cover) -> None:
    """The first page of ``cover`` before the first page of ``pdf``, tagged as a figure
    when ``pdf`` is tagged, the pages labelled."""
    import pikepdf  # see the module's note

    with pikepdf.open(io.BytesIO(cover.data)) as front:
        pdf.pages.insert(0, front.pages[0])
    page = pdf.pages[0]
    tree = pdf.Root.get("/StructTreeRoot")
    if tree is not None and "/Nums" in tree.get("/ParentTree", {}):
        _tag_as_figure(pdf, page, cover.alt)
    _label_pages(pdf, cover.label)


def _label_pages(pdf: pikepdf.Pdf, cover_label: str) -> None:
    """The cover is named; the interior is numbered from 1, as its folios are."""
    import pikepdf  # see the module's note

    pdf.Root.PageLabels = pikepdf.Dictionary(
        Nums=pikepdf.Array(
            [
                0, pikepdf.Dictionary(P=pikepdf.String(cover_label)),
                1, pikepdf.Dictionary(S=pikepdf.Name.D, St=1),
            ]
        )
    )  # fmt: skip


def _tag_as_figure(pdf: pikepdf.Pdf, page: pikepdf.Page, alt: str) -> None:
    """The cover page's content as one marked figure, first in the document's structure."""
    import pikepdf  # see the module's note

    contents = page.obj.Contents
    parts = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
    content = b"\n".join(part.read_bytes() for part in parts)
    page.obj.Contents = pdf.make_stream(b"/Figure <</MCID 0>> BDC\n" + content + b"\nEMC\n")
    tree = pdf.Root.StructTreeRoot
    document = tree.K[0] if isinstance(tree.K, pikepdf.Array) else tree.K
    figure = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.StructElem, S=pikepdf.Name.Figure, P=document,
            Pg=page.obj, K=pikepdf.Array([0]), Alt=pikepdf.String(alt),
            A=pikepdf.Dictionary(O=pikepdf.Name.Layout, BBox=page.mediabox),
        )
    )  # fmt: skip
    kids = document.K if isinstance(document.K, pikepdf.Array) else pikepdf.Array([document.K])
    kids.insert(0, figure)
    document.K = kids
    numbers = tree.ParentTree.Nums
    key = max((int(numbers[i]) for i in range(0, len(numbers), 2)), default=-1) + 1
    numbers.append(key)
    numbers.append(pikepdf.Array([figure]))
    page.obj.StructParents = key
    if "/ParentTreeNextKey" in tree:
        tree.ParentTreeNextKey = key + 1
