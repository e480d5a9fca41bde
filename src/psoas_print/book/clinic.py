"""A clinic's or studio's branding, from a small ``clinic.yaml`` kept with its programmes:
its name, its logo and its accent colour, put on handouts and programmes without editing
a layout.

    name: Riverside Physiotherapy
    logo: riverside.svg     # a PNG, JPEG or SVG file, beside this one
    accent: "#1f5f8b"       # quoted: in YAML a # starts a comment

The accent colours the card numbers, the breathing labels and the stage marked "Now"
(white on the accent), so it must read on white paper: a colour lighter than WCAG's 4.5:1
for text is refused, with the darkest shade of it that would do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import Field, ValidationError

from psoas_print.book.csvfile import read_text
from psoas_print.book.loading import describe_error
from psoas_print.book.model import Strict
from psoas_print.book.yamlfile import parse_yaml
from psoas_print.errors import BookError, Problem
from psoas_print.limits import MAX_TEXT_BYTES

HEX_COLOUR = r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$"
MIN_CONTRAST = 4.5  # WCAG 2 AA for text, against white paper


class ClinicFacts(Strict):
    """A clinic's branding (clinic.yaml), for handouts and programmes."""

    name: Annotated[str, Field(min_length=1, max_length=120)] | None = None
    """The clinic's, studio's or class's name, at the head of each handout."""
    logo: Annotated[str, Field(min_length=1)] | None = None
    """A PNG, JPEG or SVG logo, its path from this file's folder."""
    accent: Annotated[str, Field(pattern=HEX_COLOUR)] | None = None
    """The accent colour, "#rrggbb" (quoted), dark enough to read on white."""


@dataclass(frozen=True)
class Clinic:
    name: str = ""
    logo: Path | None = None
    accent: str | None = None  # "#rrggbb"


def read_clinic(path: Path) -> Clinic:
    """The branding a clinic.yaml gives; else one BookError naming each problem's line."""
    document = parse_yaml(read_text(path, MAX_TEXT_BYTES, "a clinic file"), path)
    if document.problems:
        raise BookError(document.problems)
    data = document.data if document.data is not None else {}
    if not isinstance(data, dict):
        raise BookError.at(path, document.first_line, "expected 'key: value' lines")
    if "accent" in data and data["accent"] is None:
        message = 'accent is empty: quote the colour, accent: "#1f5f8b" (# starts a comment)'
        raise BookError.at(path, document.line_of(("accent",)), message)
    try:
        facts = ClinicFacts.model_validate(data)
    except ValidationError as error:
        raise BookError(
            [
                Problem(path, document.line_of(tuple(detail["loc"][:1])), describe_error(detail))
                for detail in error.errors()
            ]
        ) from None
    accent = checked_accent(facts.accent, path, document.line_of(("accent",)))
    logo = (path.parent / facts.logo) if facts.logo else None
    return Clinic(facts.name or "", logo, accent)


def checked_accent(colour: str | None, source: Path, line: int | None = None) -> str | None:
    """``colour`` as "#rrggbb", or a BookError at ``source`` (and ``line``) saying why it
    cannot be the accent."""
    if colour is None:
        return None
    if problem := accent_problem(colour):
        raise BookError.at(source, line, problem)
    return long_form(colour)


def accent_problem(colour: str) -> str | None:
    """Why ``colour`` cannot be the accent (not a colour, too light to read), or None."""
    if not re.match(HEX_COLOUR, colour):
        return f"accent must be a colour written #rrggbb, not '{colour}'"
    ratio = contrast_with_white(long_form(colour))
    if ratio >= MIN_CONTRAST:
        return None
    return (
        f"accent {colour} is too light to read on white paper (contrast {ratio:.1f}:1, "
        f"at least {MIN_CONTRAST}:1 needed); {readable_shade(colour)} would do"
    )


def contrast_with_white(colour: str) -> float:
    """WCAG 2's contrast ratio of ``colour`` ("#rrggbb") against white."""
    return 1.05 / (_luminance(colour) + 0.05)


def readable_shade(colour: str) -> str:
    """The lightest shade of ``colour`` (mixed with black) that reads on white."""
    shade = "#000000"
    for step in range(1, 101):
        shade = mixed(colour, "#000000", step / 100)
        if contrast_with_white(shade) >= MIN_CONTRAST:
            break
    return shade


def accent_shades(colour: str) -> dict[str, str]:
    """The layouts' accent tokens (tokens.css) for an accent: itself, a darker shade for
    headings and a pale tint for backgrounds."""
    return {
        "accent": colour,
        "accent-dark": mixed(colour, "#000000", 0.3),
        "accent-tint": mixed(colour, "#ffffff", 0.88),
    }


def mixed(colour: str, other: str, share: float) -> str:
    """``colour`` with ``share`` of ``other`` mixed in."""
    a, b = _channels(long_form(colour)), _channels(long_form(other))
    return "#" + "".join(f"{round(x + (y - x) * share):02x}" for x, y in zip(a, b, strict=True))


def long_form(colour: str) -> str:
    digits = colour[1:]
    return "#" + ("".join(c * 2 for c in digits) if len(digits) == 3 else digits).lower()


def _channels(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _luminance(colour: str) -> float:
    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in _channels(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue
