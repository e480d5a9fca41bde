"""A PDF's ways of moving about it: its bookmarks and named destinations, read with each
page counted and written back, for PDFs put together from others (joining.py, splicing.py).

pikepdf (30 ms to import) is imported by the functions that use it, not at the top.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    import pikepdf

# A bookmark: (level, title, page, top), its page counted in the whole PDF and its top
# the height it jumps to, where the bookmark names one.
Bookmark: TypeAlias = "tuple[int, str, int, pikepdf.Object | None]"


def page_numbers(pdf: pikepdf.Pdf) -> dict[tuple[int, int], int]:
    """The index of each page, by its object."""
    return {page.obj.objgen: index for index, page in enumerate(pdf.pages)}


def named_destinations(pdf: pikepdf.Pdf) -> dict[str, tuple[int, list[pikepdf.Object]]]:
    import pikepdf  # see the module's note

    names = pdf.Root.get("/Names")
    if names is None or "/Dests" not in names:
        return {}
    tree = pikepdf.NameTree(names.Dests)
    found = {}
    indexes = page_numbers(pdf)
    for name, destination in tree.items():
        array = destination if isinstance(destination, pikepdf.Array) else destination.D
        found[name] = (indexes[array[0].objgen], list(array[1:]))
    return found


def set_destinations(pdf: pikepdf.Pdf, destinations: dict[str, pikepdf.Array]) -> None:
    import pikepdf  # see the module's note

    if "/Names" not in pdf.Root:
        pdf.Root.Names = pikepdf.Dictionary()
    tree = pikepdf.NameTree.new(pdf)
    for name in sorted(destinations):
        tree[name] = destinations[name]
    pdf.Root.Names.Dests = tree.obj


def outline_of(pdf: pikepdf.Pdf, offset: int) -> list[Bookmark]:
    """(level, title, page, top) of every bookmark, pages counted in the joined book."""
    import pikepdf  # see the module's note

    items: list[Bookmark] = []
    indexes = page_numbers(pdf)

    def walk(children: list[pikepdf.OutlineItem], level: int) -> None:
        for item in children:
            destination = item.destination
            if isinstance(destination, pikepdf.Array):
                top = destination[3] if len(destination) > 3 else None
                items.append((level, item.title, offset + indexes[destination[0].objgen], top))
            walk(item.children, level + 1)

    with pdf.open_outline() as outline:
        walk(list(outline.root), 1)
    return items


def set_outline(pdf: pikepdf.Pdf, items: list[Bookmark]) -> None:
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
