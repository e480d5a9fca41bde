"""Pages of one tagged PDF put in place of as many pages of another: an exercise's spread,
laid out again after an edit, in the portion of a long book that holds it (see
products/kept_layout.py).

What moves with the pages: their drawing and resources, their links, their structure
elements with their keys in the parent tree, the named destinations and the bookmarks on
them. WeasyPrint gives each page structure elements of its own under the document element
(an element running over several pages is one element a page), so the elements of the
pages replaced are a run of the document element's kids, and so are the new ones.

pikepdf (30 ms to import) is imported by the functions that use it, not at the top.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from psoas_print.pdf.folios import draw_in
from psoas_print.pdf.font_sharing import share_fonts
from psoas_print.pdf.navigation import (
    named_destinations,
    outline_of,
    set_destinations,
    set_outline,
)
from psoas_print.pdf.structure import Objgen, document_element, parent_entries, set_parent_tree

if TYPE_CHECKING:
    import pikepdf


MAX_DEPTH = 100  # of a structure tree: deeper is taken for a loop


class CannotSplice(Exception):
    """The pages' structure is not theirs alone: the whole document is laid out again."""


def splice(
    base: bytes, at: int, spread: bytes, first: int, count: int, folios: bytes | None = None
) -> bytes:
    """``base`` with its pages ``at`` to ``at + count - 1`` replaced by ``spread``'s pages
    ``first`` to ``first + count - 1``, with the page numbers ``folios`` drew over the old
    ones drawn over them. Both are tagged and keep their fonts' programs whole; the
    spread's fonts are merged into the base's, one program each."""
    import pikepdf  # see the module's note

    out = pikepdf.open(io.BytesIO(base))
    with pikepdf.open(io.BytesIO(spread)) as new:
        outline = _outline(out, at, new, first, count)
        destinations = _destinations(out, at, new, first, count)
        old_kids = _kids_on(out, range(at, at + count))
        copies, orphans = _swap_pages(out, at, new, first, count)
    _place_elements(out, old_kids, copies, orphans)
    set_destinations(out, {name: pikepdf.Array([out.pages[page].obj, *rest])
                           for name, (page, rest) in destinations.items()})  # fmt: skip
    set_outline(out, outline)
    if folios is not None:
        with pikepdf.open(io.BytesIO(folios)) as numbers:
            draw_in(out, list(out.pages[at : at + count]), numbers, at)
    share_fonts(out, whole=True)  # the spread's copies of the fonts merged with the base's
    buffer = io.BytesIO()
    out.save(buffer, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    out.close()
    return buffer.getvalue()


def _swap_pages(
    out: pikepdf.Pdf, at: int, new: pikepdf.Pdf, first: int, count: int
) -> tuple[list[pikepdf.Object], list[pikepdf.Object]]:
    """``new``'s pages in place of ``out``'s, their keys in the parent tree moved past the
    rest: copies of the elements of the new pages that are kids of the document element,
    and of those that only name it as their parent (see _orphans)."""
    tree = out.Root.StructTreeRoot
    entries = parent_entries(tree)
    for page in out.pages[at : at + count]:
        for key in _keys_of(page):
            entries.pop(key, None)
        del out.pages[at]
    for offset in range(count):  # copied before the elements: the elements name the copies
        out.pages.insert(at + offset, new.pages[first + offset])
    new_kids = _kids_on(new, range(first, first + count))
    theirs = parent_entries(new.Root.StructTreeRoot)
    held = [theirs[key] for page in new.pages[first : first + count] for key in _keys_of(page)]
    orphans = _orphans(new, held, _subtree_objects(new_kids.elements), new_kids.pages)
    copies = _copy_elements(out, new_kids.elements), _copy_elements(out, orphans)
    for page in out.pages[at : at + count]:
        _rekey(out, page, theirs, entries)
    set_parent_tree(out, tree, entries)
    return copies


def _place_elements(
    out: pikepdf.Pdf, old_kids: _Run, copies: list[pikepdf.Object], orphans: list[pikepdf.Object]
) -> None:
    """The copied elements under the document element, the kids in place of the old ones;
    the orphans naming it as their parent without being its kids, as WeasyPrint leaves them."""
    import pikepdf  # see the module's note

    document = document_element(out.Root.StructTreeRoot)
    for copy in [*copies, *orphans]:
        copy.P = document
    kids = list(document.K)
    document.K = pikepdf.Array(kids[: old_kids.start] + copies + kids[old_kids.stop :])


class _Run:
    """A run of the document element's kids: ``elements``, from ``start`` to ``stop``,
    with content on ``pages`` (no other)."""

    def __init__(
        self, elements: list[pikepdf.Object], start: int, stop: int, pages: set[Objgen]
    ) -> None:
        self.elements, self.start, self.stop, self.pages = elements, start, stop, pages


def _kids_on(pdf: pikepdf.Pdf, pages: range) -> _Run:
    """The document element's kids with content on ``pages``: a run of kids with content
    on no other page, or CannotSplice."""
    on = {pdf.pages[index].obj.objgen for index in pages}
    kids = list(document_element(pdf.Root.StructTreeRoot).K)
    touching = []
    for position, kid in enumerate(kids):
        where = _pages_of(kid, None)
        if where & on:
            if not where <= on:
                raise CannotSplice("an element runs past the pages")
            touching.append(position)
    if not touching or touching != list(range(touching[0], touching[-1] + 1)):
        raise CannotSplice("the pages' elements are not one run")
    return _Run([kids[i] for i in touching], touching[0], touching[-1] + 1, on)


def _pages_of(element: pikepdf.Object, inherited: Objgen | None) -> set[Objgen]:
    """The pages an element and what it holds have content on."""
    import pikepdf  # see the module's note

    if not isinstance(element, pikepdf.Dictionary):  # a marked-content id, on ``inherited``
        return {inherited} if inherited is not None else set()
    page = element.Pg.objgen if "/Pg" in element else inherited
    found = {page} if page is not None and ("/Pg" in element or "/S" not in element) else set()
    kids = element.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
        found |= _pages_of(kid, page)
    return found


def _subtree_objects(elements: list[pikepdf.Object]) -> set[Objgen]:
    """Every structure element in ``elements`` and under them."""
    import pikepdf  # see the module's note

    found: set[Objgen] = set()
    waiting: list[pikepdf.Object | None] = list(elements)
    while waiting:
        element = waiting.pop()
        if not isinstance(element, pikepdf.Dictionary) or "/S" not in element:
            continue
        found.add(element.objgen)
        kids = element.get("/K")
        waiting += list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    return found


def _copy_elements(out: pikepdf.Pdf, elements: list[pikepdf.Object]) -> list[pikepdf.Object]:
    """Copies of ``elements`` and their subtrees in ``out``, without their parent (it would
    bring the whole foreign tree along)."""
    copies = []
    for element in elements:
        parent = element.get("/P")
        del element["/P"]
        copies.append(out.copy_foreign(element))
        if parent is not None:
            element.P = parent
    return copies


def _keys_of(page: pikepdf.Page) -> list[int]:
    """A page's key in the parent tree and its annotations' keys."""
    keys = [int(page.obj.StructParents)] if "/StructParents" in page.obj else []
    return keys + [
        int(annotation.StructParent)
        for annotation in page.obj.get("/Annots", [])
        if "/StructParent" in annotation
    ]


def _orphans(
    pdf: pikepdf.Pdf, held: list[pikepdf.Object], owned: set[Objgen], pages: set[Objgen]
) -> list[pikepdf.Object]:
    """The elements that own content of the pages (``held`` by their keys in the parent
    tree) outside the run of kids (``owned``): those WeasyPrint gives the document element
    as their parent without listing them among its kids (a running head's text, say).
    Any other owner (a kid of other pages) is CannotSplice."""
    import pikepdf  # see the module's note

    document = document_element(pdf.Root.StructTreeRoot)
    listed = {kid.objgen for kid in document.K if isinstance(kid, pikepdf.Dictionary)}
    tops: dict[Objgen, pikepdf.Object] = {}
    for value in held:
        for item in list(value) if isinstance(value, pikepdf.Array) else [value]:
            if not isinstance(item, pikepdf.Dictionary) or item.objgen in owned:
                continue
            top = item
            for _ in range(MAX_DEPTH):
                parent = top.get("/P")
                if not isinstance(parent, pikepdf.Dictionary) or parent.objgen == document.objgen:
                    break
                top = parent
            if top.get("/P") is None or top.objgen in listed or not _pages_of(top, None) <= pages:
                raise CannotSplice("the pages' content belongs to an element of other pages")
            tops[top.objgen] = top
    return list(tops.values())


def _rekey(
    out: pikepdf.Pdf, page: pikepdf.Page, theirs: dict[int, pikepdf.Object],
    entries: dict[int, pikepdf.Object],
) -> None:  # fmt: skip
    """A copied page's key and its annotations' keys, moved past ``entries``' own, their
    values (the foreign elements, copied already) copied."""
    import pikepdf  # see the module's note

    def moved(key: int) -> int:
        value = theirs[key]
        held = list(value) if isinstance(value, pikepdf.Array) else [value]
        new_key = max(entries, default=-1) + 1
        copies = [out.copy_foreign(item) if item.is_indirect else item for item in held]
        entries[new_key] = pikepdf.Array(copies) if isinstance(value, pikepdf.Array) else copies[0]
        return new_key

    if "/StructParents" in page.obj:
        page.obj.StructParents = moved(int(page.obj.StructParents))
    for annotation in page.obj.get("/Annots", []):
        if "/StructParent" in annotation:
            annotation.StructParent = moved(int(annotation.StructParent))


def _outline(
    out: pikepdf.Pdf, at: int, new: pikepdf.Pdf, first: int, count: int
) -> list[tuple[int, str, int, pikepdf.Object | None]]:
    """The base's bookmarks, those on the replaced pages swapped for the spread's."""
    kept = [item for item in outline_of(out, 0) if not at <= item[2] < at + count]
    brought = [
        (level, title, page - first + at, top)
        for level, title, page, top in outline_of(new, 0)
        if first <= page < first + count
    ]
    return sorted(kept + brought, key=lambda item: item[2])  # stable: a page's in order


def _destinations(
    out: pikepdf.Pdf, at: int, new: pikepdf.Pdf, first: int, count: int
) -> dict[str, tuple[int, list[pikepdf.Object]]]:
    """The base's named destinations, those on the replaced pages swapped for the
    spread's (pages counted in the base)."""
    kept = {
        name: (page, rest)
        for name, (page, rest) in named_destinations(out).items()
        if not at <= page < at + count
    }
    for name, (page, rest) in named_destinations(new).items():
        if first <= page < first + count:
            kept[name] = (page - first + at, rest)
    return kept
