"""Putting finished pages together without laying them out again (pikepdf).

A copy is the handout page with, optionally, one page of names laid over it, both the
size of the copy's part of the sheet: the whole sheet, half of it (turned a quarter) or a
quarter of it. Copies are placed at their own size, never scaled, with cut marks between.

pikepdf (30 ms to import) is imported by the functions that use it, not at the top: a build
that never opens a finished PDF (a single-render ebook, a cheat sheet, an up-to-date
check) does without it.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from psoas_print.pdf.content import page_content
from psoas_print.pdf.font_sharing import name_subsets_apart
from psoas_print.pdf.structure import TaggedCopies, parent_entries

if TYPE_CHECKING:
    import pikepdf


MM = 72 / 25.4
CUT_MARK = 6 * MM
PER_SHEET = (1, 2, 4)


def assemble(
    base: bytes, names: bytes | None, copies: Sequence[int | None], per_sheet: int
) -> bytes:
    """Sheets of ``per_sheet`` copies; a copy is the base page with names page ``i``, or alone.

    The first copy on each sheet is the sheet's real content: the base page's drawing
    copied into the sheet, tagged with a copy of the base's structure (its name read first)
    and its links. Any other copy on the sheet repeats it for the scissors, as an artifact.
    """
    import pikepdf  # see the module's note

    if per_sheet not in PER_SHEET:
        raise ValueError(f"per_sheet must be one of {PER_SHEET}")
    out = pikepdf.Pdf.new()
    with pikepdf.Pdf.open(io.BytesIO(base)) as base_pdf:
        _copy_info(base_pdf, out)
        handout = Handout.read(out, base_pdf)
    name_forms: dict[int, pikepdf.Object] = {}
    if names is not None:
        with pikepdf.Pdf.open(io.BytesIO(names)) as names_pdf:
            # Only the names these copies carry: one student's file needs one page, not all.
            wanted = sorted({copy for copy in copies if copy is not None})
            name_forms = {i: out.copy_foreign(names_pdf.pages[i].as_form_xobject()) for i in wanted}
    copied = TaggedCopies(out, handout.structure, handout.name_mcid)
    for start in range(0, len(copies), per_sheet):
        sheet = copies[start : start + per_sheet]
        page = _add_sheet(out, sheet, per_sheet, handout, name_forms)
        named = sheet[0] is not None
        copied.add(page, handout.annotations(out, page, placement(0, per_sheet, handout.cell)),
                   named=named)  # fmt: skip
    copied.finish()
    name_subsets_apart(out)  # the names' subsets and the handout's share font names
    buffer = io.BytesIO()
    out.save(buffer, deterministic_id=True, min_version="1.7")
    return buffer.getvalue()


@dataclass(frozen=True)
class Handout:
    """The laid-out handout page, ready to be copied onto sheets of ``out``."""

    cell: tuple[float, float]  # its width and height
    content: bytes  # its drawing, with its marked content
    unmarked: pikepdf.Object  # its drawing as a form, unmarked: for the artifact copies
    resources: pikepdf.Object
    links: list[pikepdf.Object]  # its link annotations, in ``out``
    structure: pikepdf.Object | None  # its structure tree, in ``out``; None untagged
    name_mcid: int  # the marked-content id of a name on it: the first its drawing leaves

    @classmethod
    def read(cls, out: pikepdf.Pdf, base: pikepdf.Pdf) -> Handout:
        import pikepdf  # see the module's note

        page = base.pages[0]
        cell = (float(page.mediabox[2]), float(page.mediabox[3]))
        content = page_content(page)
        resources = out.copy_foreign(page.obj.get("/Resources", pikepdf.Dictionary()))
        unmarked = out.make_stream(unmark(page))
        unmarked.Type, unmarked.Subtype = pikepdf.Name.XObject, pikepdf.Name.Form
        unmarked.BBox = [0, 0, *cell]
        unmarked.Resources = resources
        links = [out.copy_foreign(annotation) for annotation in page.obj.get("/Annots", [])]
        tree = base.Root.get("/StructTreeRoot")
        # Copied after the links: pikepdf maps each of base's objects to one copy, so the
        # structure's link elements name the copied annotations.
        structure = out.copy_foreign(tree) if tree is not None else None
        own = parent_entries(tree).get(int(page.obj.get("/StructParents", -1))) if tree else None
        name_mcid = len(own) if isinstance(own, pikepdf.Array) else 0
        return cls(cell, content, unmarked, resources, links, structure, name_mcid)

    def annotations(
        self, out: pikepdf.Pdf, page: pikepdf.Page, matrix: tuple[float, ...]
    ) -> dict[tuple[int, int], pikepdf.Object]:
        """The handout's links on ``page``, moved by ``matrix``: each original's copy."""
        import pikepdf  # see the module's note

        copies: dict[tuple[int, int], pikepdf.Object] = {}
        for link in self.links:
            copy = out.make_indirect(pikepdf.Dictionary(dict(link.items())))
            x0, y0, x1, y1 = (float(v) for v in link.Rect)
            xs, ys = zip(*(_apply(matrix, x, y) for x in (x0, x1) for y in (y0, y1)), strict=True)
            copy.Rect = [min(xs), min(ys), max(xs), max(ys)]
            copy.P = page.obj
            page.obj.Annots = page.obj.get("/Annots", pikepdf.Array())
            page.obj.Annots.append(copy)
            copies[link.objgen] = copy
        if copies:
            page.obj.Tabs = pikepdf.Name.S  # links in the order of the structure
        return copies


def unmark(page: pikepdf.Page) -> bytes:
    """A page's drawing without its marked-content operators: a copy that is an artifact
    as a whole holds no content claimed by the structure."""
    import pikepdf  # see the module's note

    kept = [
        instruction
        for instruction in pikepdf.parse_content_stream(page)
        if str(instruction.operator) not in ("BMC", "BDC", "EMC")
    ]
    return pikepdf.unparse_content_stream(kept)


def _apply(matrix: tuple[float, ...], x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f


def sheet_size(per_sheet: int, cell: tuple[float, float]) -> tuple[float, float]:
    """The sheet that ``per_sheet`` copies of size ``cell`` (width, height) tile exactly."""
    width, height = cell
    if per_sheet == 1:
        return width, height
    if per_sheet == 2:  # turned a quarter, one above the other
        return height, 2 * width
    return 2 * width, 2 * height


def _add_sheet(
    out: pikepdf.Pdf, sheet: Sequence[int | None], per_sheet: int, handout: Handout,
    name_forms: dict[int, pikepdf.Object],
) -> pikepdf.Page:  # fmt: skip
    import pikepdf  # see the module's note

    width, height = sheet_size(per_sheet, handout.cell)
    resources = pikepdf.Dictionary(dict(handout.resources.items()))
    xobjects = pikepdf.Dictionary(dict(resources.get("/XObject", pikepdf.Dictionary()).items()))
    if per_sheet > 1:  # the copies after the first
        xobjects.PsoasPrintCopy = handout.unmarked
    content = []
    for slot, copy in enumerate(sheet):
        matrix = " ".join(f"{v:.4f}" for v in placement(slot, per_sheet, handout.cell))
        if slot == 0:  # the sheet's real content, tagged
            drawing = b"q\n" + handout.content + b"\nQ"
        else:
            drawing = b"/Artifact <</Type /Layout>> BDC /PsoasPrintCopy Do EMC"
        if copy is not None:
            xobjects[f"/PsoasPrintName{slot}"] = name_forms[copy]
            name = f"/PsoasPrintName{slot} Do".encode()
            drawing += b"\n" + (_marked_name(name, handout) if slot == 0 else
                                 b"/Artifact <</Type /Layout>> BDC " + name + b" EMC")  # fmt: skip
        content.append(f"q {matrix} cm\n".encode() + drawing + b"\nQ")
    content.append(_cut_marks(per_sheet, width, height))
    resources.XObject = xobjects
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=[0, 0, width, height],
        Resources=resources,
        Contents=out.make_stream(b"\n".join(content)),
    )
    out.pages.append(pikepdf.Page(page))
    return out.pages[-1]


def _marked_name(drawing: bytes, handout: Handout) -> bytes:
    """The student's name on the tagged copy: marked content of its own, read first."""
    if handout.structure is None:
        return drawing
    return f"/P <</MCID {handout.name_mcid}>> BDC ".encode() + drawing + b" EMC"


def placement(slot: int, per_sheet: int, cell: tuple[float, float]) -> tuple[float, ...]:
    """The matrix that puts a copy into its part of the sheet, at its own size.

    Slots fill the sheet from the top: two copies one above the other, four in reading order.
    """
    width, height = cell
    sheet_height = sheet_size(per_sheet, cell)[1]
    if per_sheet == 1:
        return (1, 0, 0, 1, 0, 0)
    if per_sheet == 4:
        column, row = slot % 2, slot // 2
        return (1, 0, 0, 1, column * width, sheet_height - (row + 1) * height)
    # Two per sheet: each copy turned a quarter to the left, its top at the sheet's left edge.
    return (0, 1, -1, 0, height, sheet_height - (slot + 1) * width)


def _cut_marks(per_sheet: int, width: float, height: float) -> bytes:
    """Short marks at the sheet's edges where the copies are to be cut apart."""
    lines = []
    if per_sheet >= 2:
        middle = height / 2
        lines += [(0, middle, CUT_MARK, middle), (width - CUT_MARK, middle, width, middle)]
    if per_sheet == 4:
        centre = width / 2
        lines += [(centre, 0, centre, CUT_MARK), (centre, height - CUT_MARK, centre, height)]
    strokes = " ".join(f"{x0:.2f} {y0:.2f} m {x1:.2f} {y1:.2f} l S" for x0, y0, x1, y1 in lines)
    marks = f"/Artifact <</Type /Layout>> BDC q 0.5 w 0.35 0.39 0.42 RG {strokes} Q EMC"
    return marks.encode() if lines else b""


def _copy_info(source: pikepdf.Pdf, target: pikepdf.Pdf) -> None:
    """What the laid-out handout says about itself: its Info, language, XMP metadata and
    the viewer's preference to show its title."""
    for key in ("/Title", "/Author", "/Subject", "/Keywords", "/Creator", "/Producer",
                "/CreationDate", "/ModDate"):  # fmt: skip
        if key in source.docinfo:
            target.docinfo[key] = source.docinfo[key]
    import pikepdf  # see the module's note

    if "/Lang" in source.Root:
        target.Root.Lang = pikepdf.String(str(source.Root.Lang))
    if "/Metadata" in source.Root:
        target.Root.Metadata = target.copy_foreign(source.Root.Metadata)
    target.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
