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
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pikepdf


MM = 72 / 25.4
CUT_MARK = 6 * MM
PER_SHEET = (1, 2, 4)


def assemble(
    base: bytes, names: bytes | None, copies: Sequence[int | None], per_sheet: int
) -> bytes:
    """Sheets of ``per_sheet`` copies; a copy is the base page with names page ``i``, or alone."""
    import pikepdf  # see the module's note

    if per_sheet not in PER_SHEET:
        raise ValueError(f"per_sheet must be one of {PER_SHEET}")
    out = pikepdf.Pdf.new()
    with pikepdf.Pdf.open(io.BytesIO(base)) as base_pdf:
        base_page = base_pdf.pages[0]
        cell = tuple(float(v) for v in base_page.mediabox[2:])
        base_form = out.copy_foreign(base_page.as_form_xobject())
        _copy_info(base_pdf, out)
    name_forms: dict[int, pikepdf.Object] = {}
    if names is not None:
        with pikepdf.Pdf.open(io.BytesIO(names)) as names_pdf:
            # Only the names these copies carry: one student's file needs one page, not all.
            wanted = sorted({copy for copy in copies if copy is not None})
            name_forms = {i: out.copy_foreign(names_pdf.pages[i].as_form_xobject()) for i in wanted}
    for start in range(0, len(copies), per_sheet):
        sheet = copies[start : start + per_sheet]
        _add_sheet(out, sheet, per_sheet, (cell[0], cell[1]), base_form, name_forms)
    buffer = io.BytesIO()
    out.save(buffer, deterministic_id=True, min_version="1.7")
    return buffer.getvalue()


def sheet_size(per_sheet: int, cell: tuple[float, float]) -> tuple[float, float]:
    """The sheet that ``per_sheet`` copies of size ``cell`` (width, height) tile exactly."""
    width, height = cell
    if per_sheet == 1:
        return width, height
    if per_sheet == 2:  # turned a quarter, one above the other
        return height, 2 * width
    return 2 * width, 2 * height


def _add_sheet(
    out: pikepdf.Pdf, sheet: Sequence[int | None], per_sheet: int, cell: tuple[float, float],
    base_form: pikepdf.Object, name_forms: dict[int, pikepdf.Object],
) -> None:  # fmt: skip
    import pikepdf  # see the module's note

    width, height = sheet_size(per_sheet, cell)
    xobjects = pikepdf.Dictionary(Base=base_form)
    content = []
    for slot, copy in enumerate(sheet):
        matrix = " ".join(f"{v:.4f}" for v in placement(slot, per_sheet, cell))
        drawing = "/Base Do"
        if copy is not None:
            xobjects[f"/Name{slot}"] = name_forms[copy]
            drawing += f" /Name{slot} Do"
        content.append(f"q {matrix} cm {drawing} Q")
    content.append(_cut_marks(per_sheet, width, height))
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=[0, 0, width, height],
        Resources=pikepdf.Dictionary(XObject=xobjects),
        Contents=out.make_stream("\n".join(content).encode("ascii")),
    )
    out.pages.append(pikepdf.Page(page))


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


def _cut_marks(per_sheet: int, width: float, height: float) -> str:
    """Short marks at the sheet's edges where the copies are to be cut apart."""
    lines = []
    if per_sheet >= 2:
        middle = height / 2
        lines += [(0, middle, CUT_MARK, middle), (width - CUT_MARK, middle, width, middle)]
    if per_sheet == 4:
        centre = width / 2
        lines += [(centre, 0, centre, CUT_MARK), (centre, height - CUT_MARK, centre, height)]
    strokes = " ".join(f"{x0:.2f} {y0:.2f} m {x1:.2f} {y1:.2f} l S" for x0, y0, x1, y1 in lines)
    return f"q 0.5 w 0.35 0.39 0.42 RG {strokes} Q" if lines else ""


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
