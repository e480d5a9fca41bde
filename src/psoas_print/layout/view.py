"""What a layout sees: plain, immutable data, and nothing that reaches a file.

A book's own layouts are untrusted (books get shared), and even Jinja's sandbox lets a
template call any public method of a value it is given: a path's ``read_text()``, say. So
a layout is handed views: records of strings, numbers, tuples and read-only mappings, with
what the templates would otherwise compute through methods (a dose in words, a label, the
exercises of a chapter) worked out here beforehand. ``plain`` turns whatever else a product
hands its layout into such data, and refuses what cannot be (a path, a model, a function).
"""

from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from types import MappingProxyType
from typing import TypedDict, TypeVar

from markupsafe import Markup

from psoas_print.book.model import Book, BookInfo, Chapter, Dose, Exercise, Paper, Routine
from psoas_print.language import phrases
from psoas_print.language.words import Words
from psoas_print.layout.geometry import TRIMS, PaperSize
from psoas_print.version import __version__

_SCALARS = (str, int, float, bool, type(None))
_VETTED: set[Callable[..., object]] = set()  # pure functions a layout may call

F = TypeVar("F", bound=Callable[..., object])


class View:
    """Made for layouts: immutable, and every public attribute is plain data."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class DoseView(View):
    # Numbers and phrases in the product's language: ranges with its dash and spacing.
    reps: str
    per_side: bool
    sets: int
    hold_seconds: str | None
    hold_breaths: str | None
    note: str | None
    summary: str  # as one would say it: "6-10 reps, hold 10 s or 2-3 breaths"
    repetitions: str  # in full: "10 on each side, 2 sets"
    hold_text: str | None  # "10 seconds or 2-3 breaths"
    hold: str  # the hold_text, or words saying there is none


@dataclass(frozen=True, slots=True)
class BreathingView(View):
    inhale: str
    exhale: str


@dataclass(frozen=True, slots=True)
class ExerciseView(View):
    id: str
    name: str
    short_name: str | None
    label: str  # the short name where there is one, else the name
    level: str  # beginner, intermediate or advanced, as the book says it
    level_name: str  # the level in the product's language
    position: str
    props: tuple[str, ...]
    purpose: str
    dose: DoseView
    breathing: BreathingView
    cues: tuple[str, ...]
    caution: str
    image: str | None  # as the front matter names it, relative to the book
    video: str | None
    sample: bool
    body_html: str


@dataclass(frozen=True, slots=True)
class ChapterView(View):
    id: str
    title: str
    short_title: str | None
    label: str  # the short title where there is one, else the title
    exercises: tuple[str, ...]  # ids
    sample: bool
    body_html: str


@dataclass(frozen=True, slots=True)
class RoutineItemView(View):
    exercise: ExerciseView
    dose: DoseView  # the routine's, where it changes the exercise's


@dataclass(frozen=True, slots=True)
class RoutineView(View):
    id: str
    title: str
    description: str
    items: tuple[RoutineItemView, ...]


@dataclass(frozen=True, slots=True)
class InfoView(View):
    title: str
    subtitle: str
    author: str | None
    authors: tuple[str, ...]
    author_names: tuple[str, ...]  # every author, in the order they are credited
    byline: str  # "A", "A and B", "A, B and C", in the product's language
    language: str  # the language the book is written in
    paper: str
    edition: str
    year: int | None
    description: str
    keywords: tuple[str, ...]
    rights: str
    disclaimer: str
    store_url: str | None
    isbn: str | None
    cheatsheet: str | None


@dataclass(frozen=True, slots=True)
class BookView(View):
    info: InfoView
    chapters: tuple[ChapterView, ...]
    exercises: Mapping[str, ExerciseView]  # by id, in the book's order
    routines: tuple[RoutineView, ...]  # in file-name order
    chapter_exercises: Mapping[str, tuple[ExerciseView, ...]]  # a chapter's, by chapter id


class Record(View):
    """Named plain values, read as ``record.name``: the settings a product hands a layout."""

    __slots__ = ("_values",)
    _values: MappingProxyType[str, object]

    def __init__(self, values: Mapping[str, object]) -> None:
        frozen = MappingProxyType({name: plain(value) for name, value in values.items()})
        object.__setattr__(self, "_values", frozen)

    def __getattr__(self, name: str) -> object:
        if name.startswith("_"):  # nothing private, and no recursion before _values is set
            raise AttributeError(name)
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a layout's data is read-only")

    def __repr__(self) -> str:
        return f"Record({dict(self._values)!r})"


def vetted(function: F) -> F:
    """Mark a pure function of plain values (no files, no state) as one a layout may call."""
    _VETTED.add(function)
    return function


def plain(value: object) -> object:
    """``value`` as a layout may have it: views and scalars as they are, lists as tuples,
    mappings read-only, a dataclass as a Record of its fields and properties.

    Anything else is a mistake in the tool, never in the book: a TypeError.
    """
    if isinstance(value, (*_SCALARS, View)):
        return value
    if isinstance(value, list | tuple):
        return tuple(plain(item) for item in value)
    if isinstance(value, Mapping):
        return MappingProxyType({_key(key): plain(item) for key, item in value.items()})
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return record(value)
    if callable(value) and value in _VETTED:
        return value
    raise TypeError(f"a layout may be given only plain data, not {type(value).__name__}")


def _key(key: object) -> object:
    if not isinstance(key, _SCALARS):
        raise TypeError(f"a layout's mapping keys are plain values, not {type(key).__name__}")
    return key


def record(source: object = None, /, omit: Iterable[str] = (), **values: object) -> Record:
    """A Record of ``source``'s fields and public properties (a dataclass), without those
    named in ``omit``, and with ``values`` added or replacing them."""
    # A class is hashable; typeshed's view of type objects says otherwise.
    found = _public_names(type(source)) if source is not None else frozenset()  # type: ignore[arg-type]
    names = found - set(omit)
    return Record({name: getattr(source, name) for name in sorted(names)} | values)


@functools.cache  # one look per class: a book's figures are records of the same class
def _public_names(klass: type) -> frozenset[str]:
    fields = {field.name for field in dataclasses.fields(klass)}
    properties = {
        name
        for ancestor in klass.__mro__
        for name, member in vars(ancestor).items()
        if isinstance(member, property)
    }
    return frozenset(name for name in fields | properties if not name.startswith("_"))


# --- The book ----------------------------------------------------------------------------


def book_view(book: Book, words: Words) -> BookView:
    exercises = {key: exercise_view(exercise, words) for key, exercise in book.exercises.items()}
    chapter_exercises = {
        chapter.id: tuple(exercises[key] for key in chapter.exercises) for chapter in book.chapters
    }
    return BookView(
        info=info_view(book.info, words),
        chapters=tuple(chapter_view(chapter) for chapter in book.chapters),
        exercises=MappingProxyType(exercises),
        routines=tuple(routine_view(r, words, exercises) for r in book.routines.values()),
        chapter_exercises=MappingProxyType(chapter_exercises),
    )


def info_view(info: BookInfo, words: Words) -> InfoView:
    return InfoView(
        title=info.title,
        subtitle=info.subtitle,
        author=info.author,
        authors=tuple(info.authors),
        author_names=tuple(info.author_names),
        byline=words.listing(info.author_names),
        language=info.language,
        paper=info.paper,
        edition=info.edition,
        year=info.year,
        description=info.description,
        keywords=tuple(info.keywords),
        rights=info.rights,
        disclaimer=info.disclaimer,
        store_url=info.store_url,
        isbn=info.isbn,
        cheatsheet=info.cheatsheet,
    )


def chapter_view(chapter: Chapter) -> ChapterView:
    return ChapterView(
        id=chapter.id,
        title=chapter.title,
        short_title=chapter.short_title,
        label=chapter.label,
        exercises=tuple(chapter.exercises),
        sample=chapter.sample,
        body_html=chapter.body_html,
    )


def exercise_view(exercise: Exercise, words: Words) -> ExerciseView:
    return ExerciseView(
        id=exercise.id,
        name=exercise.name,
        short_name=exercise.short_name,
        label=exercise.label,
        level=exercise.level,
        level_name=phrases.level_name(exercise.level, words),
        position=exercise.position,
        props=tuple(exercise.props),
        purpose=exercise.purpose,
        dose=dose_view(exercise.dose, words),
        breathing=BreathingView(exercise.breathing.inhale, exercise.breathing.exhale),
        cues=tuple(exercise.cues),
        caution=exercise.caution,
        image=exercise.image,
        video=exercise.video,
        sample=exercise.sample,
        body_html=exercise.body_html,
    )


def dose_view(dose: Dose, words: Words) -> DoseView:
    return DoseView(
        reps=words.count(dose.reps),
        per_side=dose.per_side,
        sets=dose.sets,
        hold_seconds=words.count(dose.hold_seconds) if dose.hold_seconds else None,
        hold_breaths=words.count(dose.hold_breaths) if dose.hold_breaths else None,
        note=dose.note,
        summary=phrases.dose_summary(dose, words),
        repetitions=phrases.repetitions(dose, words),
        hold_text=phrases.hold_text(dose, words),
        hold=phrases.hold_or_none(dose, words),
    )


def routine_view(
    routine: Routine, words: Words, exercises: Mapping[str, ExerciseView] | None = None
) -> RoutineView:
    """The routine, its exercises shared with ``exercises`` where they are there (a sample
    edition keeps routines whose exercises it has no spread for)."""
    known = exercises or {}
    items = tuple(
        RoutineItemView(
            known.get(item.exercise.id) or exercise_view(item.exercise, words),
            dose_view(item.dose, words),
        )
        for item in routine.items
    )
    return RoutineView(routine.id, routine.title, routine.description, items)


class CommonContext(TypedDict):
    """What every layout is given (see common_context)."""

    book: BookView
    info: InfoView
    paper: PaperSize
    version: str
    book_url: str  # the book folder's file: URL, ending in "/"
    created: str | None  # see build_date
    language: str  # what the product is printed in: its labels, and the document's lang
    author_lang: str  # ' lang="en"' for the author's text when the book is in another language


def common_context(
    book: Book, paper: Paper | str, created: str | None, words: Words
) -> CommonContext:
    """What every layout may use: plain data about the book (see above), no paths.
    ``created`` is the build's date (see build_date), taken once for the whole build;
    ``words`` the language of the labels."""
    view = book_view(book, words)
    return {
        "book": view,
        "info": view.info,
        "paper": TRIMS[paper],
        "version": __version__,
        "book_url": book.root.resolve().as_uri() + "/",
        "created": created,
        "language": words.language,
        "author_lang": author_lang(book.info.language, words.language),
    }


def author_lang(book_language: str, language: str) -> str:
    """The attribute that marks the author's text with its language where the labels are
    in another (``--lang``), so that each is hyphenated with its own dictionary."""
    if book_language.lower() == language.lower():
        return ""
    return Markup(' lang="{}"').format(book_language)


def build_date() -> str | None:
    """The ISO date to stamp into a PDF, taken from SOURCE_DATE_EPOCH when set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None or not epoch.strip().isdigit():
        return None
    return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
