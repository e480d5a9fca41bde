"""Translated editions: the words of a book in another language, the facts shared.

A translation lives in ``translations/LANG/``, a tree like the book's own: the German words
of ``exercises/bridge-leg-lift.md`` are in ``translations/de/exercises/bridge-leg-lift.md``,
of ``book.yaml`` in ``translations/de/book.yaml``. A translated file gives its source's
words in the same keys (below) and its Markdown body, which replace the source's; every
other key is a fact (a dose, a pose, the exercises of a routine), best left out: one a
translation repeats must be the source's, never changed. What it leaves out of the words
falls back to the source's, and the build says so.

An edition also has facts of its own that differ from the source's edition: its ISBN and
its shop's address (``isbn``, ``store_url`` in book.yaml).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from psoas_print.book.labels import LANGUAGE_TAG
from psoas_print.book.yamlfile import Location, YamlDocument
from psoas_print.errors import BookError, Problem
from psoas_print.limits import MAX_TRANSLATIONS

FOLDER = "translations"
ANY = "*"  # any item of a list

# Where the words are, by the kind of file: a path of keys, ANY for each item of a list.
WORDS: dict[str, frozenset[Location]] = {
    "book": frozenset(
        {
            ("title",),
            ("subtitle",),
            ("edition",),
            ("description",),
            ("keywords",),
            ("rights",),
            ("disclaimer",),
        }
    ),
    "exercises": frozenset(
        {
            ("name",),
            ("short_name",),
            ("position",),
            ("props",),
            ("purpose",),
            ("breathing", "inhale"),
            ("breathing", "exhale"),
            ("cues",),
            ("caution",),
            ("dose", "note"),
            ("pose", "caption"),
        }
    ),
    "chapters": frozenset({("title",), ("short_title",)}),
    "routines": frozenset({("title",), ("description",), ("exercises", ANY, "dose", "note")}),
}
# An edition's own facts: they may differ from the source's.
EDITION_FACTS: dict[str, frozenset[Location]] = {
    "book": frozenset({("isbn",), ("store_url",)}),
}


def translation_path(source: Path, root: Path, language: str) -> Path:
    """Where the translation of ``source`` (a file of the book at ``root``) would be."""
    return root / FOLDER / language / source.relative_to(root)


def has_translation(root: Path, language: str) -> bool:
    """Whether the book at ``root`` has a translation into ``language``."""
    return (root / FOLDER / language).is_dir()


def editions(root: Path, own: str) -> list[str]:
    """Every language the book has: its own, ``own``, then its translations'."""
    return [own, *(language for language in languages(root) if language != own)]


def languages(root: Path) -> list[str]:
    """The languages the book has translations into (its folders in translations/)."""
    folder = root / FOLDER
    if not folder.is_dir():
        return []
    found = sorted(path.name for path in folder.iterdir() if path.is_dir())
    for name in found:
        if not LANGUAGE_TAG.match(name):
            message = "a translation's folder is named by its language tag, such as de or pt-BR"
            raise BookError.at(folder / name, None, message)
    if len(found) > MAX_TRANSLATIONS:
        message = f"{len(found)} languages; a book may have at most {MAX_TRANSLATIONS}"
        raise BookError.at(folder, None, message)
    return found


@dataclass
class Merged:
    """A source's data with a translation's words: the data, the facts it changed (as
    problems at the translation's lines), and the source's words it left untranslated."""

    data: object
    problems: list[Problem]
    untranslated: list[str]  # dotted keys, such as "breathing.inhale"


def merge(kind: str, source: YamlDocument, translation: YamlDocument) -> Merged:
    """The translation's words over the source's data, its facts checked against them."""
    merged = Merged(source.data, [], [])
    given = WORDS[kind] | EDITION_FACTS.get(kind, frozenset())  # what it may give
    merged.data = _merge(source.data, translation.data, (), given, translation, merged)
    merged.untranslated = [
        ".".join(str(key) for key in location)
        for location in _word_locations(source.data, WORDS[kind])
        if not _present(translation.data, location)
    ]
    return merged


def _merge(
    source: object, translated: object, at: Location, given: frozenset[Location],
    document: YamlDocument, merged: Merged,
) -> object:  # fmt: skip
    """``source`` at ``at`` with what ``translated`` may ``give``; a changed fact is a
    problem."""
    if _matches(at, given):
        return translated
    if isinstance(source, dict) and isinstance(translated, dict):
        result = dict(source)
        for key, value in translated.items():
            here = (*at, key)
            if key not in source and not _matches(here, given):
                _changed(here, "is not in the source", document, merged)
                continue
            result[key] = _merge(source.get(key), value, here, given, document, merged)
        return result
    if isinstance(source, list) and isinstance(translated, list) and len(source) == len(translated):
        return [
            _merge(item, other, (*at, index), given, document, merged)
            for index, (item, other) in enumerate(zip(source, translated, strict=True))
        ]
    if source != translated:
        _changed(at, f"is {_shown(source)} in the source", document, merged)
    return source


def _changed(at: Location, how: str, document: YamlDocument, merged: Merged) -> None:
    key = ".".join(str(part) for part in at)
    message = f"a translation changes no facts: '{key}' {how}; translate only the words"
    merged.problems.append(Problem(document.path, document.line_of(at), message))


def _shown(value: object) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 40 else text[:37] + "..."


def _matches(at: Location, paths: frozenset[Location]) -> bool:
    general = tuple(ANY if isinstance(part, int) else part for part in at)
    return general in paths


def _word_locations(data: object, words: frozenset[Location]) -> list[Location]:
    """Where ``data`` has words: each word path, with every list item it runs through."""
    found: list[Location] = []
    for path in sorted(words, key=lambda p: tuple(map(str, p))):
        found += _expand(data, path, ())
    return found


def _expand(data: object, path: Location, at: Location) -> list[Location]:
    if not path:
        return [at] if data not in (None, "", []) else []
    head, rest = path[0], path[1:]
    if head == ANY:
        items = data if isinstance(data, list) else []
        return [
            loc for index, item in enumerate(items) for loc in _expand(item, rest, (*at, index))
        ]
    if isinstance(data, dict) and head in data:
        return _expand(data[head], rest, (*at, head))
    return []


def _present(data: object, location: Location) -> bool:
    for key in location:
        if isinstance(key, int):
            if not isinstance(data, list) or key >= len(data):
                return False
            data = data[key]
        elif isinstance(data, dict) and key in data:
            data = data[key]
        else:
            return False
    return True
