"""Every character the book prints must be in one of its fonts: checked when the book is
read, at the line where the author wrote it.

The products are set only in the bundled fonts and the book's own ``fonts/`` (see
fontconf.py): a character none of them has would print as an empty box. The texts that
reach a product are checked (book.yaml's titles, authors, rights and disclaimer; every
front matter text of the exercises and chapters, and their bodies; the routines' titles,
descriptions and dose notes), not what only names a file, a link, a routine or an
exercise, nor the metadata that no font sets (the description and the keywords).

The fonts' character maps are read once per process (by HarfBuzz: some 15 ms, most of it
loading HarfBuzz). A file whose characters are all in them, the usual case, is decided
from its text alone; only a file with a character outside them is parsed again to find
where that character stands.
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path

from markdown_it.token import Token

from psoas_print.book import glyphs, markdown
from psoas_print.book.model import Chapter, Exercise, Routine
from psoas_print.book.sources import Sources
from psoas_print.book.yamlfile import Location, parse_yaml
from psoas_print.errors import Problem
from psoas_print.files import Unreadable, read_limited

# Keys whose values no font sets: file names, links, ids and poses (drawn, not set). The
# strings listed under ``exercises`` are ids too; a routine's dose note there is not.
NOT_PRINTED = frozenset({"image", "video", "pose", "id"})
# book.yaml's codes and settings, and its description and keywords: PDF and EPUB metadata.
BOOK_NOT_PRINTED = frozenset({"language", "paper", "description", "keywords", "cheatsheet", "isbn"})
_HTML_NOT_PRINTED = {"style", "script", "template"}

Found = dict[str, int]  # each character no font has, and the first file line it is on


def unprintable_text(
    root: Path,
    chapters: Iterable[Chapter],
    exercises: dict[str, Exercise],
    routines: dict[str, Routine],
    catalogues: Iterable[Path] = (),
) -> list[Problem]:
    """A problem for each line of the book's files where a character no font of the book
    has first stands."""
    coverage = glyphs.covered(tuple(glyphs.font_files(Sources(root).font_dirs)))
    files = [
        root / "book.yaml",
        *(chapter.source for chapter in chapters),
        *(exercise.source for exercise in exercises.values()),
        *(routine.source for routine in routines.values()),
        *catalogues,
    ]
    return [problem for path in files for problem in _file_problems(path, coverage)]


def _file_problems(path: Path, coverage: frozenset[int]) -> list[Problem]:
    text = _text(path)
    if text is None or not _may_miss(text, coverage):
        return []
    lines = text.splitlines()
    if path.suffix == ".md":
        found = _markdown_found(lines, path, coverage)
    elif path.suffix == ".po":
        found = _catalogue_found(lines, coverage)
    else:
        skipped = BOOK_NOT_PRINTED if path.name == "book.yaml" else NOT_PRINTED
        found = _yaml_found(lines, 0, len(lines), path, coverage, skipped)
    by_line: dict[int, list[str]] = {}
    for character, line in sorted(found.items(), key=lambda item: item[1]):
        by_line.setdefault(line, []).append(character)
    return [
        Problem(path, line, glyphs.no_font_message(characters))
        for line, characters in by_line.items()
    ]


def _text(path: Path) -> str | None:
    """The file as the book reader read it; None when it could not (that is reported)."""
    try:
        return read_limited(path).decode("utf-8-sig")
    except (Unreadable, UnicodeDecodeError):
        return None


def _may_miss(text: str, coverage: frozenset[int]) -> bool:
    """Whether ``text`` may print a character outside ``coverage``: one written as it is,
    as an HTML character reference, or as a YAML escape (after a backslash)."""
    unescaped = html.unescape(text) if "&" in text else text
    return "\\" in text or bool(glyphs.missing(unescaped, coverage))


# --- YAML: book.yaml, routines and front matter -------------------------------


def _yaml_found(
    lines: list[str],
    start: int,
    end: int,
    path: Path,
    coverage: frozenset[int],
    skipped: frozenset[str] = NOT_PRINTED,
) -> Found:
    """The characters no font has in the printed strings of the YAML in ``lines[start:end]``
    (0-based), with the file line each stands on."""
    document = parse_yaml("\n".join(lines[start:end]), path, line_offset=start)
    if document.problems:
        return {}  # reported by the book reader
    found: Found = {}
    for location, value in _printed_strings(document.data, (), skipped):
        # The value starts on its key's line and may go on over the following lines.
        first = document.line_of(location)
        for character in glyphs.missing(value, coverage):
            line = _line_of(character, lines, first - 1, end) or first
            found[character] = min(line, found.get(character, line))
    return found


def _printed_strings(
    data: object, location: Location, skipped: frozenset[str]
) -> Iterator[tuple[Location, str]]:
    if isinstance(data, str):
        yield location, data
    elif isinstance(data, dict):
        for key, value in data.items():
            if key not in skipped:
                yield from _printed_strings(value, (*location, key), skipped)
    elif isinstance(data, list):
        ids = location[-1:] == ("exercises",)
        for index, item in enumerate(data):
            if not (ids and isinstance(item, str)):
                yield from _printed_strings(item, (*location, index), skipped)


# --- The book's label catalogues ----------------------------------------------


def _catalogue_found(lines: list[str], coverage: frozenset[int]) -> Found:
    """The characters no font has in a catalogue's translations (``msgstr`` and the
    string lines that continue one); the message ids are the tool's own English."""
    found: Found = {}
    in_translation = False
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if stripped.startswith("msgstr"):
            in_translation = True
        elif not stripped.startswith('"'):
            in_translation = False
        if in_translation and '"' in stripped:
            for character in glyphs.missing(stripped[stripped.index('"') :], coverage):
                found.setdefault(character, number)
    return found


# --- Markdown: chapters and exercises -----------------------------------------


def _markdown_found(lines: list[str], path: Path, coverage: frozenset[int]) -> Found:
    """The characters no font has in the front matter and the body of a Markdown file."""
    if not lines or lines[0].rstrip() != "---":
        return {}  # reported by the book reader
    closing = next((i for i, line in enumerate(lines[1:], 1) if line.rstrip() == "---"), None)
    if closing is None:
        return {}
    found = _yaml_found(lines, 1, closing, path, coverage)
    body = "\n".join(lines[closing + 1 :])
    for text, first, last in _printed_blocks(body):
        start, end = closing + 1 + first, closing + 1 + last
        for character in glyphs.missing(text, coverage):
            line = _line_of(character, lines, start, end) or start + 1
            found[character] = min(line, found.get(character, line))
    return found


def _printed_blocks(body: str) -> Iterator[tuple[str, int, int]]:
    """The printed text of each block of a Markdown body, with its body lines (0-based,
    the end excluded): text and code, not link targets, image descriptions or markup."""
    for token in markdown.parse(body):
        if token.map is None:
            continue
        first, last = token.map
        if token.type == "inline":
            yield _inline_text(token.children or []), first, last
        elif token.type in ("fence", "code_block"):
            yield token.content, first, last
        elif token.type == "html_block":
            yield _html_text(token.content), first, last


def _inline_text(children: list[Token]) -> str:
    # An image's children are its description, which no font sets: they are skipped.
    return "".join(child.content for child in children if child.type in ("text", "code_inline"))


class _TextCollector(HTMLParser):
    """The text raw HTML shows: not its tags, comments, styles or scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._hidden += tag in _HTML_NOT_PRINTED

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in _HTML_NOT_PRINTED and self._hidden > 0

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def _html_text(source: str) -> str:
    collector = _TextCollector()
    collector.feed(source)
    collector.close()
    return "".join(collector.parts)


def _line_of(character: str, lines: list[str], start: int, end: int) -> int | None:
    """The file line (from 1) of the first of ``lines[start:end]`` that holds
    ``character``; None when it is written there only as an escape."""
    for index in range(max(start, 0), min(end, len(lines))):
        if character in unicodedata.normalize("NFC", lines[index]):
            return index + 1
    return None
