"""Which catalogues a product's words come from: the book's own (``locale/LANG.po``) over
the shipped ones, the most specific language first (``pt-BR`` before ``pt``).

The shipped catalogues live in ``psoas_print/locale`` and are managed with Babel:
``pybabel extract`` gathers the messages of the code and the layouts into the template,
``pybabel update`` carries them into each language, ``pybabel compile`` makes the ``.mo``
files read here (see docs/translating.md).
"""

from __future__ import annotations

import functools
import io
from pathlib import Path

from babel.messages.pofile import read_po
from babel.support import Translations

from psoas_print.book.labels import FOLDER, LabelCatalogue
from psoas_print.book.model import Book
from psoas_print.errors import BookError, Problem
from psoas_print.language.words import ENGLISH, Words

CATALOGUES = Path(__file__).resolve().parents[1] / "locale"
DOMAIN = "psoas_print"
TEMPLATE = CATALOGUES / f"{DOMAIN}.pot"
# Shipped complete: a test fails when one of them lacks a message.
SHIPPED = ("en", "en-GB", "de", "fr", "es", "it", "nl", "pl", "pt")


def words_for(book: Book | None, language: str | None = None) -> Words:
    """The words of ``language`` (else the book's own), the book's labels over the shipped;
    without a book (stamping a finished PDF), the shipped labels alone.

    Raises a BookError when neither the book nor the tool has labels in that language.
    """
    tag = language or (book.info.language if book else ENGLISH)
    chain = [*(_book_chain(book, tag) if book else []), *_shipped_chain(tag)]
    if not chain and _primary(tag) != ENGLISH:
        raise BookError([no_labels(book, tag, from_option=language is not None)])
    return Words(tag, chain)


def no_labels(book: Book | None, tag: str, from_option: bool) -> Problem:
    shipped = ", ".join(SHIPPED)
    message = f"psoas-print prints no labels in '{tag}' (it has {shipped})"
    if book is not None:
        message += f"; add the book's own catalogue as {FOLDER}/{tag}.po (see the README)"
    if from_option or book is None:
        return Problem(Path("--lang"), None, message)
    return Problem(book.root / "book.yaml", None, message)


def catalogue_files(book_language: str, language: str | None) -> list[str]:
    """The book files a product in ``language`` may read its labels from (for the cache):
    those that are there, and those that would be read if they were added."""
    tags = _candidates(language or book_language)
    names = [name for tag in tags for name in dict.fromkeys([tag, tag.replace("-", "_")])]
    return [f"{FOLDER}/{name}.po" for name in names]


def _candidates(tag: str) -> list[str]:
    """``tag`` and the more general tags it falls back to: zh-Hant-TW, zh-Hant, zh."""
    parts = tag.split("-")
    return ["-".join(parts[:end]) for end in range(len(parts), 0, -1)]


def _primary(tag: str) -> str:
    return tag.split("-")[0].lower()


def _book_chain(book: Book, tag: str) -> list[Translations]:
    by_tag = {catalogue.language.lower(): catalogue for catalogue in book.labels}
    found = [by_tag.get(candidate.lower()) for candidate in _candidates(tag)]
    return [_compiled(catalogue) for catalogue in found if catalogue is not None]


def _compiled(catalogue: LabelCatalogue) -> Translations:
    return Translations(io.BytesIO(catalogue.compiled), domain=DOMAIN)


def _shipped_chain(tag: str) -> list[Translations]:
    found = [_shipped(candidate.lower()) for candidate in _candidates(tag)]
    return [translations for translations in found if translations is not None]


@functools.cache
def _shipped(tag: str) -> Translations | None:
    """The shipped catalogue of one tag (lower case), read once per process."""
    for name in SHIPPED:
        if name.lower() == tag:
            path = CATALOGUES / name.replace("-", "_") / "LC_MESSAGES" / f"{DOMAIN}.mo"
            with path.open("rb") as file:
                return Translations(file, domain=DOMAIN)
    return None


@functools.cache
def known_labels() -> frozenset[str]:
    """The message ids of every label the tool prints, from the shipped template."""
    with TEMPLATE.open("rb") as file:
        template = read_po(file)
    return frozenset(_singular(message.id) for message in template if message.id)


def _singular(message_id: object) -> str:
    return message_id[0] if isinstance(message_id, tuple) else str(message_id)


def label_warnings(catalogue: LabelCatalogue) -> list[Problem]:
    """What is worth telling about one of the book's catalogues: a message the tool never
    prints (a typo, or one a later version renamed), and for a language the tool does not
    ship, the labels it leaves in English."""
    known = known_labels()
    warnings = [
        Problem(catalogue.source, line, f"'{message}' is not a label psoas-print prints: ignored")
        for message, line in catalogue.lines.items()
        if message not in known
    ]
    shipped = {_primary(tag) for tag in SHIPPED}
    missing = sorted(known - set(catalogue.lines))
    if missing and _primary(catalogue.language) not in shipped:
        warnings.append(
            Problem(
                catalogue.source,
                None,
                f"{len(missing)} of the {len(known)} labels are not translated and print in "
                f"English, such as '{missing[0]}'; the template psoas_print.pot lists them all",
            )
        )
    return warnings
