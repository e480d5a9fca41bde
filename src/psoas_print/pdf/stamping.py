"""Licensed copies of a finished ebook: each buyer's licence line in the foot of every page.

The book is opened once. One form is laid over each of its pages as a watermark artifact
(overlays.lay_over), so a tagged book stays tagged; a copy is the book saved with that
form drawing one buyer's line, and the line in its metadata. Nothing is laid out: the
line is set here, each character in the first bundled font that has it, at its advance
width, centred; each font is embedded once, cut down to the glyphs of every line of the
batch, so that a copy's bytes depend on its buyer and the batch alone.

pikepdf (30 ms to import) and fontTools are imported by the functions that use them.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from psoas_print.pdf.font_sharing import subset_program, subset_tag, unicode_map, width_array
from psoas_print.pdf.overlays import LICENCE, WATERMARK, lay_over

if TYPE_CHECKING:
    import pikepdf

LINE_PT = 7
FOOT_PT = 8 * 72 / 25.4 + 2  # the baseline: 8 mm above the page's foot, and a descent
TRACKING_EM = 0.02  # a little letter spacing, as small type wants
GREY = "0.337 0.388 0.416"  # the layouts' muted ink (#56636a)


@dataclass(frozen=True)
class Face:
    """A bundled font, read for setting lines: its glyphs and their advance widths."""

    path: Path
    font: Any  # fontTools' TTFont (untyped)
    glyphs: dict[int, int]  # character: glyph number
    advances: list[int]  # by glyph number, in font units
    units: int  # font units to the em

    @classmethod
    def read(cls, path: Path) -> Face:
        from fontTools.ttLib import TTFont

        font = TTFont(path, lazy=True)
        order = font.getGlyphOrder()
        numbers = {name: number for number, name in enumerate(order)}
        glyphs = {code: numbers[name] for code, name in font.getBestCmap().items()}
        metrics = font["hmtx"].metrics
        advances = [metrics[name][0] for name in order]
        return cls(path, font, glyphs, advances, font["head"].unitsPerEm)


def set_line(line: str, faces: list[Face]) -> list[tuple[int, list[tuple[int, str]]]]:
    """The line as runs of (face, [(glyph, character)]): each character in the first face
    that has it (the caller has checked that one does)."""
    runs: list[tuple[int, list[tuple[int, str]]]] = []
    for character in unicodedata.normalize("NFC", line):
        index = next((i for i, face in enumerate(faces) if ord(character) in face.glyphs), 0)
        glyph = faces[index].glyphs.get(ord(character), 0)
        if runs and runs[-1][0] == index:
            runs[-1][1].append((glyph, character))
        else:
            runs.append((index, [(glyph, character)]))
    return runs


class Stamper:
    """The book, ready to be saved once per licence line of ``lines``."""

    def __init__(self, book: bytes, fonts: list[Path], lines: list[str]) -> None:
        import pikepdf  # see the module's note

        self.pdf = pikepdf.open(io.BytesIO(book))
        self.faces = [Face.read(path) for path in fonts]
        used: dict[int, dict[int, str]] = {}
        for line in lines:
            for index, glyphs in set_line(line, self.faces):
                used.setdefault(index, {}).update(glyphs)
        self.names = {index: f"/L{index}" for index in sorted(used)}
        resources = pikepdf.Dictionary(
            Font=pikepdf.Dictionary(
                {self.names[i]: embed_font(self.pdf, self.faces[i], used[i]) for i in used}
            )
        )
        page = self.pdf.pages[0]
        self.box = [float(value) for value in page.mediabox]
        self.form = self.pdf.make_stream(
            b"", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form,
            BBox=self.box, Resources=resources,
        )  # fmt: skip
        for page in self.pdf.pages:
            lay_over(self.pdf, page, self.form, LICENCE, WATERMARK)

    def copy(self, line: str, licence: str) -> bytes:
        """The book with ``line`` in the foot of every page and ``licence`` in its metadata."""
        self.form.write(self.drawing(line))
        self.pdf.docinfo["/LicensedTo"] = licence
        buffer = io.BytesIO()
        self.pdf.save(buffer, deterministic_id=True)
        return buffer.getvalue()

    def drawing(self, line: str) -> bytes:
        """The line, centred in the page's foot, in grey."""
        runs = set_line(line, self.faces)
        tracking = TRACKING_EM * LINE_PT
        width = sum(
            self.faces[index].advances[glyph] * LINE_PT / self.faces[index].units + tracking
            for index, glyphs in runs
            for glyph, _ in glyphs
        )
        left, bottom, right, _ = self.box
        x = left + (right - left - width) / 2
        shown = " ".join(
            f"{self.names[index]} {LINE_PT} Tf <{''.join(f'{g:04x}' for g, _ in glyphs)}> Tj"
            for index, glyphs in runs
        )
        return (
            f"q {GREY} rg BT {tracking:.2f} Tc {x:.2f} {bottom + FOOT_PT:.2f} Td {shown} ET Q"
        ).encode("ascii")

    def close(self) -> None:
        self.pdf.close()


def embed_font(pdf: pikepdf.Pdf, face: Face, glyphs: dict[int, str]) -> pikepdf.Object:
    """``face`` as a composite font of ``pdf`` showing ``glyphs`` (number: character): its
    program cut down to them, their widths and their text for copying and reading aloud."""
    import pikepdf  # see the module's note

    font = face.font
    program = subset_program(face.path.read_bytes(), sorted(glyphs))
    opentype = "CFF " in font
    name = subset_tag(program) + "+" + str(font["name"].getDebugName(6))
    stream = pdf.make_stream(program)
    if opentype:
        stream.Subtype = pikepdf.Name.OpenType
    else:
        stream.Length1 = len(program)
    head, hhea = font["head"], font["hhea"]
    scale = 1000 / face.units
    descriptor = pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor, FontName=pikepdf.Name("/" + name), Flags=32,
        FontBBox=[round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)],
        ItalicAngle=float(font["post"].italicAngle), Ascent=round(hhea.ascent * scale),
        Descent=round(hhea.descent * scale), CapHeight=round(hhea.ascent * scale), StemV=80,
    )  # fmt: skip
    descriptor["/FontFile3" if opentype else "/FontFile2"] = stream
    kind = "/CIDFontType0" if opentype else "/CIDFontType2"
    descendant = pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name(kind),
        BaseFont=pikepdf.Name("/" + name), FontDescriptor=pdf.make_indirect(descriptor),
        CIDSystemInfo=pikepdf.Dictionary(
            Registry=pikepdf.String("Adobe"), Ordering=pikepdf.String("Identity"), Supplement=0
        ),
        W=width_array({g: face.advances[g] * scale for g in glyphs}),
    )  # fmt: skip
    if not opentype:
        descendant.CIDToGIDMap = pikepdf.Name.Identity
    texts = {glyph: text.encode("utf-16-be").hex().encode() for glyph, text in glyphs.items()}
    return pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0, BaseFont=pikepdf.Name("/" + name),
            Encoding=pikepdf.Name("/Identity-H"),
            DescendantFonts=[pdf.make_indirect(descendant)],
            ToUnicode=pdf.make_stream(unicode_map(texts)),
        )
    )  # fmt: skip
