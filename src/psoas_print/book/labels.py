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
    if (bad := _bad_line(text)) is not None:
        return [Problem(path, bad, _BAD_LINE)]
    try:
        catalog = read_po(io.StringIO(text), locale=_locale(language), abort_invalid=True)
    except PoFileError as error:  # Babel's line numbers are not reliable: none is given
        return [Problem(path, None, f"not a valid catalogue: {error}")]
    problems = [
        Problem(path, message.lineno, f"{_shown(message.id)}: {error}")
        for message in catalog
        if message.id and message.string
        for error in _placeholder_errors(message.id, message.string)
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


# A catalogue's lines: a keyword and a quoted string, a quoted string going on, a comment.
_STRING = r'"(?:[^"\\]|\\.)*"'
_LINE = re.compile(
    rf"\s*(?:#.*|(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+{_STRING}|{_STRING})?\s*"
)
_BAD_LINE = (
    'not a catalogue line: each line is a comment, a keyword (msgid, msgstr…) with a "quoted '
    'string", or a "quoted string" that goes on'
)


def _bad_line(text: str) -> int | None:
    """The first line of ``text`` that no catalogue has; Babel's reader lets it pass."""
    for number, line in enumerate(text.splitlines(), 1):
        if not _LINE.fullmatch(line):
            return number
    return None


_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _placeholder_errors(message_id: object, translation: object) -> list[str]:
    """What would stop a translation from being filled: a placeholder its message does not
    have, or a lone ``%`` (write ``%%`` for a percent sign where the message has values)."""
    ids = message_id if isinstance(message_id, tuple) else (message_id,)
    forms = translation if isinstance(translation, tuple) else (translation,)
    known = {name for text in ids for name in _PLACEHOLDER.findall(str(text))}
    errors = []
    for form in (str(form) for form in forms if form):
        unknown = sorted(set(_PLACEHOLDER.findall(form)) - known)
        if unknown:
            offered = ", ".join(f"%({name})s" for name in sorted(known)) or "none"
            errors.append(
                f"the translation has a placeholder %({unknown[0]})s that the "
                f"message does not (it has {offered})"
            )
        elif known:
            try:
                form % dict.fromkeys(known, "")
            except (ValueError, TypeError, KeyError):
                errors.append("the translation has a '%' that is no placeholder: write %% for %")
    return errors


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
