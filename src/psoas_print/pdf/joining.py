"""Joining PDFs laid out in portions into one book, with its links, destinations and
bookmarks (see products/parts.py for why a long book is laid out in portions).

pikepdf (30 ms to import) is imported by the functions that use it, not at the top: a build
that never opens a finished PDF (a single-render ebook, a cheat sheet, an up-to-date
check) does without it.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, TypeAlias

from psoas_print.pdf.content import page_content
from psoas_print.pdf.folios import draw_in
from psoas_print.pdf.font_sharing import share_fonts
from psoas_print.pdf.structure import adopt_structure

if TYPE_CHECKING:
    import pikepdf


# A bookmark: (level, title, page, top), its page counted in the joined book and its top
# the height it jumps to, where the bookmark names one.
Bookmark: TypeAlias = "tuple[int, str, int, pikepdf.Object | None]"


def blank_pages(data: bytes) -> tuple[bool, ...]:
    """Pages with no text at all: the blank left-hand pages before a chapter."""
    import pikepdf  # see the module's note

    with pikepdf.open(io.BytesIO(data)) as pdf:
        return tuple(b"BT" not in page_content(page) for page in pdf.pages)


def join(
    front: bytes, portions: list[bytes], folios: list[bytes], starts: list[int], scheme: str
) -> bytes:
    """One PDF: the front matter, blank pages where a portion needs to start on page
    ``starts[i]``, the portions with their page numbers (``folios``) laid over, and their
    named destinations, bookmarks and structure. Links to ``scheme:NAME`` become jumps to
    NAME. Each font program the parts share is embedded once (pdf/font_sharing.py)."""
    import pikepdf  # see the module's note

    out = pikepdf.open(io.BytesIO(front))
    outline: list[Bookmark] = _outline_of(out, 0)
    destinations: dict[str, pikepdf.Array] = {}
    for portion, folio_data, start in zip(portions, folios, starts, strict=True):
        while len(out.pages) < start - 1:
            _add_blank(out)
        offset = len(out.pages)
        with (
            pikepdf.open(io.BytesIO(portion)) as part,
            pikepdf.open(io.BytesIO(folio_data)) as numbers,
        ):
            outline += _outline_of(part, offset)
            named = _named_destinations(part)
            out.pages.extend(part.pages)
            adopt_structure(out, part, offset)
            draw_in(out, list(out.pages[offset:]), numbers)
            for name, (local, rest) in named.items():
                destinations[name] = pikepdf.Array([out.pages[offset + local].obj, *rest])
    _set_destinations(out, destinations)
    _link_portions(out, scheme)
    _set_outline(out, outline)
    share_fonts(out)
    buffer = io.BytesIO()
    # Object streams: the structure's many small dictionaries compressed, as WeasyPrint does.
    out.save(buffer, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    out.close()
    return buffer.getvalue()


def _add_blank(pdf: pikepdf.Pdf) -> None:
    import pikepdf  # see the module's note

    previous = pdf.pages[-1]
    boxes = {
        key: previous.obj[key]
        for key in ("/MediaBox", "/TrimBox", "/BleedBox")
        if key in previous.obj
    }
    pdf.pages.append(pikepdf.Page(pikepdf.Dictionary({"/Type": pikepdf.Name.Page, **boxes})))


def _page_index(pdf: pikepdf.Pdf, page_object: pikepdf.Object) -> int:
    return next(i for i, page in enumerate(pdf.pages) if page.obj.objgen == page_object.objgen)


def _named_destinations(pdf: pikepdf.Pdf) -> dict[str, tuple[int, list[pikepdf.Object]]]:
    import pikepdf  # see the module's note

    names = pdf.Root.get("/Names")
    if names is None or "/Dests" not in names:
        return {}
    tree = pikepdf.NameTree(names.Dests)
    found = {}
    for name, destination in tree.items():
        array = destination if isinstance(destination, pikepdf.Array) else destination.D
        found[name] = (_page_index(pdf, array[0]), list(array[1:]))
    return found


def _set_destinations(pdf: pikepdf.Pdf, destinations: dict[str, pikepdf.Array]) -> None:
    import pikepdf  # see the module's note

    if "/Names" not in pdf.Root:
        pdf.Root.Names = pikepdf.Dictionary()
    tree = pikepdf.NameTree.new(pdf)
    for name in sorted(destinations):
        tree[name] = destinations[name]
    pdf.Root.Names.Dests = tree.obj


def _link_portions(pdf: pikepdf.Pdf, scheme: str) -> None:
    """The contents' and the routines' links name anchors in other portions: make them
    jumps inside the book."""
    import pikepdf  # see the module's note

    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", []):
            action = annotation.get("/A")
            uri = str(action.get("/URI", "")) if action is not None else ""
            if uri.startswith(scheme):
                del annotation["/A"]
                annotation.Dest = pikepdf.String(uri.removeprefix(scheme))


def _outline_of(pdf: pikepdf.Pdf, offset: int) -> list[Bookmark]:
    """(level, title, page, top) of every bookmark, pages counted in the joined book."""
    import pikepdf  # see the module's note

    items: list[Bookmark] = []

    def walk(children: list[pikepdf.OutlineItem], level: int) -> None:
        for item in children:
            destination = item.destination
            if isinstance(destination, pikepdf.Array):
                top = destination[3] if len(destination) > 3 else None
                items.append((level, item.title, offset + _page_index(pdf, destination[0]), top))
            walk(item.children, level + 1)

    with pdf.open_outline() as outline:
        walk(list(outline.root), 1)
    return items


def _set_outline(pdf: pikepdf.Pdf, items: list[Bookmark]) -> None:
    import pikepdf  # see the module's note

    with pdf.open_outline() as outline:
        outline.root.clear()
        parents: list[list[pikepdf.OutlineItem]] = [outline.root]
        for level, title, page, top in items:
            item = pikepdf.OutlineItem(
                title, page, pikepdf.PageLocation.XYZ, top=float(top) if top is not None else None
            )
            del parents[level:]
            parents[level - 1].append(item)
            parents.append(item.children)
