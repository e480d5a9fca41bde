"""Which characters fonts can print: a name must never come out as blank boxes, and no
character may fall back to a font that is not the book's."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable
from contextlib import suppress
from functools import cache
from itertools import chain
from pathlib import Path

from psoas_print.files import state_folder, write_state

FONT_SUFFIXES = {".ttf", ".otf", ".ttc", ".otc", ".woff", ".woff2"}
# Characters Pango sets without a glyph of their own: spaces, line and paragraph breaks,
# controls, and formatting marks (soft hyphens, zero-width joiners, direction marks).
_NO_GLYPH_CATEGORIES = {"Zs", "Zl", "Zp", "Cc", "Cf"}
_VARIATION_SELECTORS = (range(0xFE00, 0xFE10), range(0xE0100, 0xE01F0))


def _version(font: Path) -> tuple[Path, int, int]:
    """A font file as the caches below know it: a file changed in place is read again."""
    status = font.stat()
    return font, status.st_mtime_ns, status.st_size


@cache
def _characters(version: tuple[Path, int, int]) -> frozenset[int]:
    return read_characters(version[0])


def read_characters(font: Path) -> frozenset[int]:
    """The code points ``font`` maps to a glyph (every face of a collection); empty for a
    file that is no font."""
    if font.suffix.lower() in (".ttf", ".otf", ""):
        import uharfbuzz as harfbuzz  # reads a cmap in a tenth of a millisecond

        return frozenset(harfbuzz.Face(harfbuzz.Blob.from_file_path(str(font))).unicodes)
    return _characters_of_other_formats(font)


def _characters_of_other_formats(font: Path) -> frozenset[int]:
    """Collections and web fonts, which HarfBuzz does not unpack: read by fontTools."""
    # fontTools costs 20 ms at start-up; a book with only TrueType and OpenType fonts
    # never needs it.
    from fontTools.ttLib import TTCollection, TTFont, TTLibError

    try:
        if font.suffix.lower() in (".ttc", ".otc"):
            with TTCollection(font, lazy=True) as collection:
                return frozenset(code for face in collection for code in face.getBestCmap())
        with TTFont(font, lazy=True) as loaded:
            return frozenset(loaded.getBestCmap() or {})
    except (TTLibError, OSError, ImportError):  # not a font, or woff2 without brotli
        return frozenset()


def font_files(folders: Iterable[Path]) -> list[Path]:
    """The font files in ``folders`` and their subfolders, as fontconfig scans them."""
    return [
        path
        for folder in folders
        for path in sorted(folder.rglob("*"))
        if path.suffix.lower() in FONT_SUFFIXES and path.is_file()
    ]


def covered(fonts: tuple[Path, ...]) -> frozenset[int]:
    """Every code point at least one of ``fonts`` has; each set of fonts is read once."""
    return _covered(tuple(_version(font) for font in fonts))


@cache
def _covered(versions: tuple[tuple[Path, int, int], ...]) -> frozenset[int]:
    """Kept on disk as well, by the fonts' names, times and sizes: ``check`` then reads a
    line of ranges rather than loading HarfBuzz and the fonts (some 10 ms of its 0.2 s)."""
    key = hashlib.blake2b(repr([tuple(map(str, v)) for v in versions]).encode(), digest_size=12)
    stored = state_folder() / f"coverage-{key.hexdigest()}.txt"
    try:
        return _from_ranges(stored.read_text(encoding="ascii"))
    except (OSError, ValueError):  # not made yet, or damaged: made again
        codes = frozenset().union(*(_characters(version) for version in versions))
        with suppress(OSError):
            write_state(stored, _to_ranges(codes))
        return codes


def _to_ranges(codes: frozenset[int]) -> str:
    """Code points as runs, ``20-7e,a0-17f``: a few hundred of them for a font's thousands."""
    runs: list[list[int]] = []
    for code in sorted(codes):
        if runs and runs[-1][1] == code - 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return ",".join(f"{low:x}-{high:x}" for low, high in runs)


def _from_ranges(text: str) -> frozenset[int]:
    runs = [part.split("-") for part in text.split(",") if part]
    return frozenset(chain.from_iterable(range(int(a, 16), int(b, 16) + 1) for a, b in runs))


def needs_glyph(character: str) -> bool:
    """Whether printing ``character`` takes a glyph from a font."""
    code = ord(character)
    if any(code in selectors for selectors in _VARIATION_SELECTORS):
        return False
    return unicodedata.category(character) not in _NO_GLYPH_CATEGORIES


def missing(text: str, coverage: frozenset[int]) -> list[str]:
    """The characters of ``text`` outside ``coverage`` that need a glyph, in order, once each."""
    # The usual case, decided from the few distinct characters rather than each in turn.
    if all(ord(c) in coverage or not needs_glyph(c) for c in set(text)):
        return []
    return list(
        dict.fromkeys(
            character
            for character in unicodedata.normalize("NFC", text)
            if ord(character) not in coverage and needs_glyph(character)
        )
    )


def named(characters: list[str]) -> str:
    """Characters as a message names them: ``'字' (U+5B57), '本' (U+672C)``."""
    return ", ".join(f"'{character}' (U+{ord(character):04X})" for character in characters)


def unprintable(text: str, fonts: list[Path]) -> list[str]:
    """Characters of ``text`` that none of ``fonts`` has, as ``'字' (U+5B57)``."""
    return [named([character]) for character in missing(text, covered(tuple(fonts)))]


def no_font_message(characters: list[str]) -> str:
    """What to do about characters no font of the book has."""
    return (
        f"no font of the book can print {named(characters)}; "
        "add a font that has them to fonts/ or remove them"
    )
