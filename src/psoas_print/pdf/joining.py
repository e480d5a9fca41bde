"""Joining PDFs laid out in portions into one book, with its links, destinations and
bookmarks (see products/parts.py for why a long book is laid out in portions).

pikepdf (30 ms to import) is imported by the functions that use it, not at the top: a build
that never opens a finished PDF (a single-render ebook, a cheat sheet, an up-to-date
check) does without it.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING

from psoas_print.pdf.content import page_content
from psoas_print.pdf.dates import redate
from psoas_print.pdf.folios import draw_in
from psoas_print.pdf.font_sharing import SubsetCache, share_fonts
from psoas_print.pdf.navigation import (
    Bookmark,
    named_destinations,
    outline_of,
    set_destinations,
    set_outline,
)
from psoas_print.pdf.structure import adopt_structure, parent_entries, set_parent_tree

if TYPE_CHECKING:
    import pikepdf


def blank_pages(data: bytes) -> tuple[bool, ...]:
    """Pages with no text at all: the blank left-hand pages before a chapter."""
    import pikepdf  # see the module's note

    with pikepdf.open(io.BytesIO(data)) as pdf:
        return tuple(b"BT" not in page_content(page) for page in pdf.pages)


def numbered(portion: bytes, folios: bytes) -> bytes:
    """``portion`` with its page numbers (``folios``, alone on otherwise empty pages)
    drawn over each page."""
    import pikepdf  # see the module's note

    with pikepdf.open(io.BytesIO(portion)) as part, pikepdf.open(io.BytesIO(folios)) as numbers:
        draw_in(part, list(part.pages), numbers)
        buffer = io.BytesIO()
        part.save(buffer, deterministic_id=True)
        return buffer.getvalue()


def join(
    front: bytes, portions: list[bytes], starts: list[int], scheme: str,
    subsets: SubsetCache | None = None, dated: str | None = None,
    finish: Callable[[pikepdf.Pdf], None] | None = None,
) -> bytes:  # fmt: skip
    """One PDF: the front matter, blank pages where a portion needs to start on page
    ``starts[i]``, the portions (numbered already, see numbered()), and their named
    destinations, bookmarks and structure. Links to ``scheme:NAME`` become jumps to
    NAME. Each font program the parts share is embedded once (pdf/font_sharing.py), its
    subset taken from ``subsets`` when an earlier join made it. The book is ``dated`` (see
    pdf/dates.py), whenever its front matter was laid out; ``finish`` is its last touch
    before it is written (a cover laid in front)."""
    import pikepdf  # see the module's note

    out = pikepdf.open(io.BytesIO(front))
    outline: list[Bookmark] = outline_of(out, 0)
    tree = out.Root.get("/StructTreeRoot")
    entries = parent_entries(tree) if tree is not None else {}
    destinations: dict[str, pikepdf.Array] = {}
    for portion, start in zip(portions, starts, strict=True):
        while len(out.pages) < start - 1:
            _add_blank(out)
        offset = len(out.pages)
        with pikepdf.open(io.BytesIO(portion)) as part:
            outline += outline_of(part, offset)
            named = named_destinations(part)
            out.pages.extend(part.pages)
            adopt_structure(out, part, offset, entries)
            for name, (local, rest) in named.items():
                destinations[name] = pikepdf.Array([out.pages[offset + local].obj, *rest])
    if tree is not None:
        set_parent_tree(out, tree, entries)
    set_destinations(out, destinations)
    _link_portions(out, scheme)
    set_outline(out, outline)
    if finish is not None:
        finish(out)
    share_fonts(out, subsets)
    redate(out, dated)
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
