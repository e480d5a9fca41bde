"""The typefaces a layout sets a book in, read from the @font-face rules of its CSS and
from inside the font files: for a colophon that names them truly, and to measure text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import uharfbuzz as harfbuzz

from psoas_print.book.resolver import Refused, Resolver


@dataclass(frozen=True)
class FontFace:
    """One @font-face rule of the layouts: the family as CSS names it, and its font file."""

    family: str
    weight: int
    italic: bool
    file: Path | None  # None for a data: URL, or a file the render may not read


_FONT_FACE = re.compile(r"@font-face\s*\{([^}]*)\}", re.IGNORECASE)
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_DECLARATION = re.compile(r"(font-family|font-weight|font-style|src)\s*:\s*([^;]+)", re.I)
_URL = re.compile(r"""url\(\s*['"]?([^'")]+)""", re.IGNORECASE)
_FAMILY_VALUE = re.compile(r"(?:font-family|font|--[\w-]+)\s*:\s*([^;{}]+)", re.IGNORECASE)


def font_faces(css: str, resolver: Resolver) -> list[FontFace]:
    """The @font-face rules in ``css``; the resolver decides which font files may be opened
    (a relative URL is the book's), as it does for the render."""
    faces = []
    for rule in _FONT_FACE.findall(_COMMENT.sub("", css)):
        values = {name.lower(): value.strip() for name, value in _DECLARATION.findall(rule)}
        family = _unquote(values.get("font-family", ""))
        if not family:
            continue
        weight = values.get("font-weight", "400").lower()
        url = _URL.search(values.get("src", ""))
        faces.append(
            FontFace(
                family=family,
                weight=700 if weight == "bold" else int(weight) if weight.isdigit() else 400,
                italic=values.get("font-style", "normal").lower() in ("italic", "oblique"),
                file=_font_file(url[1], resolver) if url else None,
            )
        )
    return faces


def _font_file(url: str, resolver: Resolver) -> Path | None:
    """The font file a @font-face rule names, when the build may read it (a data: URL, a
    remote one or a refused file names none: the render reports those itself)."""
    if urlsplit(url).scheme not in ("", "file"):
        return None
    try:
        return resolver.url(url)
    except Refused:
        return None


def _unquote(text: str) -> str:
    return text.strip().strip("'\"").strip()


@cache
def _font(path: Path) -> harfbuzz.Face | None:
    """The font file as HarfBuzz reads it, or None if it is no font."""
    try:
        face = harfbuzz.Face(harfbuzz.Blob.from_file_path(str(path)))
    except harfbuzz.HarfBuzzError:
        return None
    return face if face.glyph_count else None


def typeface_name(path: Path) -> str | None:
    """The typeface's family name as its maker gave it, read from inside the font file."""
    face = _font(path)
    if face is None:
        return None
    names = harfbuzz.OTNameIdPredefined
    # The typographic family ("Inter"); the plain family may name a weight ("Inter Semi Bold").
    name: str | None = face.get_name(names.TYPOGRAPHIC_FAMILY) or face.get_name(names.FONT_FAMILY)
    return name


def used_typefaces(faces: list[FontFace], style: str) -> list[str]:
    """The typefaces of the @font-face rules that ``style`` (the layouts' CSS) names."""
    named = {
        _unquote(family).lower()
        for value in _FAMILY_VALUE.findall(_COMMENT.sub("", style))
        for family in value.split(",")
    }
    names = [
        (face.file and typeface_name(face.file)) or face.family
        for face in faces
        if face.family.lower() in named
    ]
    return list(dict.fromkeys(names))


@dataclass(frozen=True)
class TextMeasure:
    """Sets a line of text in one font, as WeasyPrint would, to learn its width."""

    path: Path

    def width_em(self, text: str) -> float:
        face = _font(self.path)
        if face is None:  # head_font hands out only fonts HarfBuzz reads
            raise ValueError(f"not a font: {self.path}")
        buffer = harfbuzz.Buffer()
        buffer.add_str(text)
        buffer.guess_segment_properties()
        harfbuzz.shape(harfbuzz.Font(face), buffer, {})
        advance = sum(position.x_advance for position in buffer.glyph_positions)
        return float(advance / face.upem)


def head_font(faces: list[FontFace], tokens: str) -> TextMeasure | None:
    """The regular face of the family the margin boxes use (``var(--sans)``, see ebook.css)."""
    declared = re.search(r"--sans\s*:\s*([^;]+);", _COMMENT.sub("", tokens))
    family = _unquote(declared[1].split(",")[0]).lower() if declared else ""
    candidates = [f for f in faces if f.family.lower() == family and not f.italic and f.file]
    if not candidates:
        return None
    regular = min(candidates, key=lambda face: abs(face.weight - 400))
    return TextMeasure(regular.file) if regular.file and _font(regular.file) else None
