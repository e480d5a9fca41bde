"""One embedded program per font, each subset under a name of its own.

ISO 32000 (9.6.4) gives every subset of a font a tag of its own: six capital letters before
the font's name. WeasyPrint tags a subset after the font alone, so PDFs laid out apart and
then put together (a cover laid in front, a long book joined from portions, a handout's
copies with their names) hold different subsets under one name, and a book joined from
portions would carry each font once per portion. Here:

- ``name_subsets_apart`` tags each subset after its own program (a digest of it): the same
  subset has the same name in every build, and two different ones never share a name.
- ``share_fonts`` merges the font programs a joined PDF holds more than once and subsets
  each once, to every glyph the whole document shows. The portions of a long book are laid
  out with whole programs for this (see layout/typesetter.py ``keep_fonts_whole``), their
  widths and Unicode maps still listing just the glyphs they show.

pikepdf (30 ms to import) and fontTools are imported by the functions that use them: a
build that never opens a finished PDF does without them.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pikepdf

FONT_FILES = ("/FontFile2", "/FontFile3")  # TrueType; OpenType (CFF), as WeasyPrint embeds
_GLYPH_TEXT = re.compile(rb"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]*)>")


def name_subsets_apart(pdf: pikepdf.Pdf) -> None:
    """Tag every embedded subset after a digest of its program."""
    for font in _fonts(pdf):
        name = str(font.BaseFont).lstrip("/")
        if "+" not in name:  # a whole font, not a subset: it keeps its name
            continue
        _rename(font, subset_tag(_program_bytes(font)) + "+" + name.split("+", 1)[1])


def share_fonts(pdf: pikepdf.Pdf, subsets: SubsetCache | None = None, whole: bool = False) -> None:
    """Each font program once, subset to the glyphs of every font dictionary that embeds
    it, the resources of every page and form pointing at the one merged font.

    ``subsets`` holds programs subset before: a book joined again after an edit mostly
    shows the same glyphs. With ``whole``, each program
    is kept whole (a portion kept for the next join, see products/kept_layout.py)."""
    groups: dict[bytes, list[pikepdf.Object]] = {}
    for font in _fonts(pdf):
        groups.setdefault(_program_digest(font), []).append(font)
    merged: dict[tuple[int, int], pikepdf.Object] = {}
    for key in sorted(groups):
        fonts = groups[key]
        if not all(_mergeable(font) for font in fonts):
            continue
        one = _merge(pdf, fonts, None if whole else (key, subsets or SubsetCache()))
        merged.update({font.objgen: one for font in fonts})
    for resources in _resources(pdf):
        named = resources.get("/Font")
        if named is None:
            continue
        for name in list(named.keys()):
            font = named[name]
            if font.objgen in merged:
                named[name] = merged[font.objgen]
    if not whole:
        name_subsets_apart(pdf)


class SubsetCache:
    """Subsets made by an earlier join (``known``), and those this one used (``used``), by
    a digest of the program they were cut from and of the glyphs they keep."""

    def __init__(self, known: dict[str, bytes] | None = None) -> None:
        self.known = known or {}
        self.used: dict[str, bytes] = {}

    def subset(self, font: pikepdf.Object, digest: bytes, glyphs: list[int]) -> bytes:
        """``font``'s program (of ``digest``, see _program_digest) cut down to ``glyphs``."""
        key = hashlib.sha256(digest + repr(glyphs).encode()).hexdigest()
        made = self.known.get(key) or subset_program(_program_bytes(font), glyphs)
        self.used[key] = made
        return made


def _fonts(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Object]:
    """Every composite font with an embedded program that a page or form draws with, once."""
    import pikepdf  # see the module's note

    seen: set[tuple[int, int]] = set()
    for resources in _resources(pdf):
        for font in resources.get("/Font", pikepdf.Dictionary()).values():
            if font.objgen in seen or font.get("/Subtype") != "/Type0":
                continue
            seen.add(font.objgen)
            descendants = font.get("/DescendantFonts")
            if not isinstance(descendants, pikepdf.Array) or not len(descendants):
                continue
            descriptor = descendants[0].get("/FontDescriptor")
            if isinstance(descriptor, pikepdf.Dictionary) and _file_key(descriptor):
                yield font


def _resources(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Object]:
    """The resources of every page, and of the forms and patterns they hold, once each."""
    import pikepdf  # see the module's note

    seen: set[tuple[int, int]] = set()  # indirect resources and forms, against loops
    waiting = [page.obj.get("/Resources") for page in pdf.pages]
    while waiting:
        resources = waiting.pop()
        if not isinstance(resources, pikepdf.Dictionary):
            continue
        if resources.is_indirect:
            if resources.objgen in seen:
                continue
            seen.add(resources.objgen)
        yield resources
        for kind in ("/XObject", "/Pattern"):
            for item in resources.get(kind, pikepdf.Dictionary()).values():
                if item.is_indirect and item.objgen not in seen:
                    seen.add(item.objgen)
                    waiting.append(item.get("/Resources"))


def _file_key(descriptor: pikepdf.Object) -> str | None:
    """Where a font descriptor keeps its embedded program, if it has one."""
    return next((key for key in FONT_FILES if key in descriptor), None)


def _program_digest(font: pikepdf.Object) -> bytes:
    """A digest of a font's embedded program as stored (compressed the same way by every
    render, so the same program gives the same bytes): nothing to decompress."""
    descriptor = font.DescendantFonts[0].FontDescriptor
    stored = descriptor[_file_key(descriptor) or FONT_FILES[0]]
    filters = repr(stored.get("/Filter")).encode()
    return hashlib.sha256(filters + b"\0" + stored.read_raw_bytes()).digest()


def _program_bytes(font: pikepdf.Object) -> bytes:
    descriptor = font.DescendantFonts[0].FontDescriptor
    data: bytes = descriptor[_file_key(descriptor) or FONT_FILES[0]].read_bytes()
    return data


def _mergeable(font: pikepdf.Object) -> bool:
    """Only what WeasyPrint writes: an Identity mapping of glyphs, a plain Unicode map."""
    import pikepdf  # see the module's note

    descendant = font.DescendantFonts[0]
    unicode_map = font.get("/ToUnicode")
    return (
        str(font.get("/Encoding")) == "/Identity-H"
        and str(descendant.get("/CIDToGIDMap", "/Identity")) == "/Identity"
        and isinstance(descendant.get("/W"), pikepdf.Array)
        and isinstance(unicode_map, pikepdf.Stream)
        and b"beginbfrange" not in unicode_map.read_bytes()
    )


def _merge(
    pdf: pikepdf.Pdf, fonts: list[pikepdf.Object], subsets: tuple[bytes, SubsetCache] | None
) -> pikepdf.Object:
    """The first of ``fonts``, now showing the glyphs of them all: from one subset (of
    the program of that digest, from that cache), or from the whole program when no
    ``subsets`` are asked for."""
    import pikepdf  # see the module's note

    widths: dict[int, float] = {}
    texts: dict[int, bytes] = {}
    for font in fonts:
        widths.update(_widths(font.DescendantFonts[0].W))
        texts.update(_texts(font.ToUnicode.read_bytes()))
    first = fonts[0]
    descendant = first.DescendantFonts[0]
    descriptor = descendant.FontDescriptor
    key = _file_key(descriptor) or FONT_FILES[0]
    if subsets is not None:
        digest, cache = subsets
        program = cache.subset(first, digest, sorted(widths))
        stream = pikepdf.Stream(pdf, program)
        if key == "/FontFile2":
            stream.Length1 = len(program)
        else:
            stream.Subtype = pikepdf.Name.OpenType
        descriptor[key] = pdf.make_indirect(stream)
    if "/CIDSet" in descriptor:  # optional, and would list one portion's glyphs only
        del descriptor["/CIDSet"]
    descendant.W = width_array(widths)
    first.ToUnicode = pdf.make_stream(unicode_map(texts))
    return first


def _widths(array: pikepdf.Object) -> dict[int, float]:
    """A /W array (``c [w1 w2 …]`` and ``c_first c_last w``) as glyph: width."""
    import pikepdf  # see the module's note

    widths: dict[int, float] = {}
    items = list(array)
    index = 0
    while index < len(items):
        start = int(items[index])
        if isinstance(items[index + 1], pikepdf.Array):
            for offset, width in enumerate(items[index + 1]):
                widths[start + offset] = float(width)
            index += 2
        else:
            for glyph in range(start, int(items[index + 1]) + 1):
                widths[glyph] = float(items[index + 2])
            index += 3
    return widths


def width_array(widths: dict[int, float]) -> pikepdf.Array:
    """glyph: width as a /W array of runs of consecutive glyphs."""
    import pikepdf  # see the module's note

    array: list[int | pikepdf.Array] = []
    for glyph in sorted(widths):
        if glyph - 1 not in widths:
            array += [glyph, pikepdf.Array()]
        run = array[-1]
        assert isinstance(run, pikepdf.Array)
        run.append(_number(widths[glyph]))
    return pikepdf.Array(array)


def _number(value: float) -> int | float:
    return int(value) if value == int(value) else round(value, 3)


def _texts(unicode_map: bytes) -> dict[int, bytes]:
    """glyph: its text as UTF-16BE hex, from a ToUnicode CMap's bfchar entries."""
    return {int(glyph, 16): text for glyph, text in _GLYPH_TEXT.findall(unicode_map)}


def unicode_map(texts: dict[int, bytes]) -> bytes:
    """A ToUnicode CMap of ``texts``, as WeasyPrint writes one."""
    lines = [
        b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap",
        b"/CIDSystemInfo", b"<< /Registry (Adobe)", b"/Ordering (UCS)", b"/Supplement 0",
        b">> def", b"/CMapName /Adobe-Identity-UCS def", b"/CMapType 2 def",
        b"1 begincodespacerange", b"<0000> <ffff>", b"endcodespacerange",
    ]  # fmt: skip
    glyphs = sorted(texts)
    for start in range(0, len(glyphs), 100):  # at most 100 entries a section
        batch = glyphs[start : start + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        lines += [b"<%04x> <%s>" % (glyph, texts[glyph]) for glyph in batch]
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)


def subset_program(program: bytes, glyphs: list[int]) -> bytes:
    """``program`` with only ``glyphs`` drawn, each keeping its number (the PDF's text
    names glyphs by number), with WeasyPrint's own subsetting options."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options(
        retain_gids=True, ignore_missing_glyphs=True,
        hinting=False, desubroutinize=True, notdef_outline=True,
    )  # fmt: skip
    dropped = ["GSUB", "GPOS", "SVG "]  # the PDF's text is shaped already
    options.drop_tables += dropped
    subsetter = subset.Subsetter(options)
    subsetter.populate(gids=glyphs)
    font = TTFont(io.BytesIO(program), recalcTimestamp=False)  # the same bytes each build
    for tag in dropped:  # before subsetting, which would read them first (most of its time)
        if tag in font.reader:
            del font[tag]
    log = logging.getLogger("fontTools.subset")
    level = log.level
    log.setLevel(logging.ERROR)  # it notes each table it cannot subset, and drops it: fine
    try:
        subsetter.subset(font)
    finally:
        log.setLevel(level)
    buffer = io.BytesIO()
    font.save(buffer, reorderTables=False)
    return buffer.getvalue()


def subset_tag(program: bytes) -> str:
    """Six capital letters from a digest of the program: the subset's own tag."""
    return "".join(chr(65 + byte % 26) for byte in hashlib.sha256(program).digest()[:6])


def _rename(font: pikepdf.Object, name: str) -> None:
    import pikepdf  # see the module's note

    descendant = font.DescendantFonts[0]
    font.BaseFont = descendant.BaseFont = pikepdf.Name("/" + name)
    descendant.FontDescriptor.FontName = pikepdf.Name("/" + name)
