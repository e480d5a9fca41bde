"""Which characters the bundled fonts can print: a name must never come out as blank boxes."""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path


@cache
def _characters(font: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(font, lazy=True) as loaded:
        return frozenset(loaded.getBestCmap())


def unprintable(text: str, fonts: list[Path]) -> list[str]:
    """Characters of ``text`` that none of ``fonts`` has, as ``'字' (U+5B57)``."""
    covered: set[int] = set()
    for font in fonts:
        covered |= _characters(font)
    missing = dict.fromkeys(
        character
        for character in unicodedata.normalize("NFC", text)
        if not character.isspace() and ord(character) not in covered
    )
    return [f"'{character}' (U+{ord(character):04X})" for character in missing]
