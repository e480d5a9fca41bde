"""A book's own labels: ``locale/LANG.po`` catalogues that change or add the words the
tool prints (its headings, dose phrases, figure labels), read with Babel. Nothing is
compiled into the book: a catalogue is compiled in memory each time the book is read.

A catalogue is checked as it is read: its syntax, and that each translation keeps the
placeholders (``%(page)s``) of its message, so that a layout never fails on a label.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from babel.core import Locale, UnknownLocaleError, get_global
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po

from psoas_print.errors import Problem

FOLDER = "locale"
LANGUAGE_TAG = re.compile(r"^[a-zA-Z]{2,3}([-_][a-zA-Z0-9]{2,8})*$")
# The scripts the shipped fonts set; a language written in another needs the book's fonts.
SHIPPED_SCRIPTS = {"Latn": "Latin", "Grek": "Greek", "Cyrl": "Cyrillic"}


@dataclass(frozen=True)
class LabelCatalogue:
    """One of the book's catalogues, compiled in memory."""

    language: str  # the BCP 47 tag its file is named by: "de", "pt-BR"
    source: Path
    compiled: bytes  # as a .mo file: what gettext reads
    lines: dict[str, int]  # the line of each translated message, by its message id


def tag_of(path: Path) -> str | None:
    """The language a catalogue's file name gives (``pt_BR.po`` and ``pt-BR.po`` alike)."""
    return path.stem.replace("_", "-") if LANGUAGE_TAG.match(path.stem) else None


def parse_catalogue(text: str, path: Path) -> LabelCatalogue | list[Problem]:
    """The catalogue in ``text``, read from ``path``; or the problems that stop it."""
    language = tag_of(path)
    if language is None:
        message = "a catalogue is named by its language, such as de.po or pt-BR.po"
        return [Problem(path, None, message)]
    try:
        catalog = read_po(io.StringIO(text), locale=_locale(language), abort_invalid=True)
    except PoFileError as error:
        return [Problem(path, error.lineno, f"not a valid catalogue: {error}")]
    problems = [
        Problem(path, message.lineno, f"{_shown(message.id)}: {error}")
        for message, errors in catalog.check()
        for error in errors
    ]
    if problems:
        return problems
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    lines = {
        _key(message.id): message.lineno or 0
        for message in catalog
        if message.id and message.string
    }
    return LabelCatalogue(language, path, compiled.getvalue(), lines)


def _locale(language: str) -> Locale | None:
    """Babel's locale for the tag, which sets the plural rules; None for one it does not know."""
    try:
        return Locale.parse(language, sep="-")
    except (UnknownLocaleError, ValueError):
        return None


def _key(message_id: str | tuple[str, ...] | object) -> str:
    return message_id[0] if isinstance(message_id, tuple) else str(message_id)


def _shown(message_id: object) -> str:
    return f"'{_key(message_id)}'"


def script_problem(language: str, own_fonts: bool, path: Path, line: int | None) -> Problem | None:
    """A problem when ``language`` is written in a script the shipped fonts do not set and
    the book brings no fonts of its own; None otherwise (or when Babel does not know it)."""
    if own_fonts:
        return None
    script = _script(language)
    if script is None or script in SHIPPED_SCRIPTS:
        return None
    name = Locale("en").scripts.get(script, script)
    shipped = ", ".join(SHIPPED_SCRIPTS.values())
    return Problem(
        path,
        line,
        f"'{language}' is written in {name} script, which the bundled fonts ({shipped}) do "
        "not set: add fonts for it to the book's fonts/ folder and name them in "
        "layouts/fonts.css",
    )


def _script(language: str) -> str | None:
    """The script a language is usually written in, from CLDR's likely subtags."""
    parts = language.replace("-", "_").split("_")
    scripts = [part.title() for part in parts[1:] if len(part) == 4]
    if scripts:
        return scripts[0]
    likely = get_global("likely_subtags")
    full = likely.get(parts[0].lower())
    if full is None:
        return None
    found = [part for part in full.split("_")[1:] if len(part) == 4]
    return found[0] if found else None
