"""The typed, immutable model of a book: what every product is made from."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, model_validator
from pydantic_core import PydanticCustomError

from psoas_print.book.labels import LabelCatalogue
from psoas_print.errors import Problem

Paper = Literal["a4", "letter"]
Level = Literal["beginner", "intermediate", "advanced"]
# An exercise's own picture, one in running text, or the front cover's art.
ImageKind = Literal["figure", "inline", "cover"]
ContactSurface = Literal["floor", "chair", "wall"]  # what a body point in a pose rests on

_RANGE = re.compile(r"^\s*(\d+)\s*[-\u2013]\s*(\d+)\s*$")  # hyphen or en dash


@dataclass(frozen=True)
class Count:
    """A whole number or a range of them, such as the 6-10 in "6-10 reps"."""

    low: int
    high: int

    def __str__(self) -> str:
        return str(self.low) if self.low == self.high else f"{self.low}\u2013{self.high}"

    @property
    def is_one(self) -> bool:
        return self.high == 1


def parse_count(value: object) -> Count:
    if isinstance(value, Count):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return Count(value, value)
    match = _RANGE.match(value) if isinstance(value, str) else None
    if match and 0 < int(match[1]) < int(match[2]):
        return Count(int(match[1]), int(match[2]))
    raise PydanticCustomError(
        "count", "must be a whole number or a range like 6-10, got {shown}", {"shown": shown(value)}
    )


def spoken_list(names: list[str]) -> str:
    """Names as a sentence lists them: "A", "A and B", "A, B and C"."""
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def shown(value: object) -> str:
    """A value as it was written in YAML, for error messages."""
    if isinstance(value, str):
        return f'"{value}"'
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


CountField = Annotated[Count, PlainValidator(parse_count)]
Text = Annotated[str, Field(min_length=1)]


class _Strict(BaseModel):
    """Content models: immutable, and unknown keys are errors (they are usually typos)."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=False)


class Dose(_Strict):
    reps: CountField
    per_side: bool = False
    sets: Annotated[int, Field(ge=1)] = 1
    hold_seconds: CountField | None = None
    hold_breaths: CountField | None = None
    note: str | None = None


class DoseOverride(_Strict):
    """The dose fields a routine may change for one of its exercises."""

    reps: CountField | None = None
    per_side: bool | None = None
    sets: Annotated[int, Field(ge=1)] | None = None
    hold_seconds: CountField | None = None
    hold_breaths: CountField | None = None
    note: str | None = None

    def apply(self, dose: Dose) -> Dose:
        return dose.model_copy(update={name: getattr(self, name) for name in self.model_fields_set})


class Breathing(_Strict):
    inhale: Text
    exhale: Text


class BookInfo(_Strict):
    """book.yaml."""

    title: Text
    subtitle: str = ""
    author: Text | None = None
    authors: list[Text] = []  # co-authors, in the order they are credited
    language: Annotated[str, Field(pattern=r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")] = "en"
    paper: Paper = "a4"
    edition: str = ""
    year: int | None = None
    description: str = ""
    keywords: list[Text] = []
    rights: Text
    disclaimer: Text
    store_url: Annotated[str, Field(pattern=r"^https?://\S+$")] | None = None
    isbn: Annotated[str, Field(pattern=r"^(97[89])?[-\d ]{9,13}[\dX]$")] | None = None
    cheatsheet: Text | None = None  # the routine the cheat sheet shows
    cover: Text | None = None  # the front cover's own art: an image in the book

    @model_validator(mode="after")
    def _one_way_to_name_authors(self) -> BookInfo:
        if self.author is None and not self.authors:
            raise PydanticCustomError("missing_author", "give 'author' or 'authors'")
        if self.author is not None and self.authors:
            raise PydanticCustomError("two_authors", "give either 'author' or 'authors', not both")
        return self

    @property
    def author_names(self) -> list[str]:
        """Every author, in the order they are credited."""
        return [self.author] if self.author is not None else list(self.authors)

    @property
    def byline(self) -> str:
        """The authors as a cover names them: "A", "A and B", "A, B and C"."""
        return spoken_list(self.author_names)


class KeyframeFacts(_Strict):
    """One moment of a movement: joint angles in degrees and what touches a surface."""

    name: Text
    angles: dict[str, float] = {}
    contacts: list[Text] | dict[str, ContactSurface] = []

    def contact_surfaces(self) -> dict[str, ContactSurface]:
        if isinstance(self.contacts, dict):
            return dict(self.contacts)
        return dict.fromkeys(self.contacts, "floor")


class ArrowFacts(_Strict):
    """A motion arrow following one body point from one keyframe to another."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    point: Text
    from_: Annotated[str, Field(alias="from", min_length=1)]
    to: Text


class BreathFacts(_Strict):
    label: Literal["inhale", "exhale"]
    into: Text  # the keyframe the breath moves into


class PoseFacts(_Strict):
    """A figure: the view, the props and two or more keyframes of the movement."""

    view: Literal["side", "front", "above"]
    props: list[Literal["mat", "chair", "wall"]] = []
    keyframes: Annotated[list[KeyframeFacts], Field(min_length=2)]
    arrows: list[ArrowFacts] = []
    breath: BreathFacts | None = None
    psoas: Literal["near", "far", "left", "right", "both"] | None = None
    caption: str | None = None


class ExerciseFacts(_Strict):
    """An exercise file's front matter."""

    name: Text
    short_name: str | None = None
    level: Level
    position: Text
    props: list[Text] = []
    purpose: Text
    dose: Dose
    breathing: Breathing
    cues: Annotated[list[Text], Field(min_length=1)]
    caution: Text
    image: str | None = None
    video: Annotated[str, Field(pattern=r"^https?://\S+$")] | None = None
    pose: PoseFacts | None = None
    sample: bool = False  # part of the free sample edition


class Exercise(ExerciseFacts):
    """An exercise with its identity and rendered body."""

    id: str
    source: Path
    body_html: str
    image_path: Path | None = None

    @property
    def label(self) -> str:
        """The name where space is short."""
        return self.short_name or self.name


class ChapterFacts(_Strict):
    """A chapter file's front matter."""

    title: Text
    short_title: str | None = None  # for the running heads, where space is short
    exercises: list[Text] = []
    sample: bool = False  # part of the free sample edition


class Chapter(ChapterFacts):
    id: str
    source: Path
    body_html: str

    @property
    def label(self) -> str:
        """The title where space is short."""
        return self.short_title or self.title


class RoutineEntryFacts(_Strict):
    id: Text
    dose: DoseOverride = DoseOverride()


class RoutineFacts(_Strict):
    """A routine file."""

    title: Text
    description: str = ""
    exercises: Annotated[list[Text | RoutineEntryFacts], Field(min_length=1)]


@dataclass(frozen=True)
class RoutineItem:
    """One exercise as a routine does it: the routine's dose wins over the exercise's."""

    exercise: Exercise
    dose: Dose


@dataclass(frozen=True)
class Routine:
    id: str
    title: str
    description: str
    items: tuple[RoutineItem, ...]
    source: Path
    exercises_line: int


DEFAULT_CHEATSHEET = "fridge"  # the routine a cheat sheet shows when book.yaml names none


@dataclass(frozen=True)
class Book:
    root: Path
    info: BookInfo
    chapters: tuple[Chapter, ...]
    exercises: dict[str, Exercise]
    routines: dict[str, Routine]
    warnings: tuple[Problem, ...] = ()
    labels: tuple[LabelCatalogue, ...] = ()  # the book's own catalogues (locale/*.po)
    cover_art: Path | None = None  # the file book.yaml's ``cover`` names

    def cheatsheet_routine(self) -> Routine | None:
        """The routine the cheat sheet shows unless told otherwise: the one book.yaml names,
        else one called ``fridge``, else the first by file name; None without routines."""
        for routine_id in (self.info.cheatsheet, DEFAULT_CHEATSHEET):
            if routine_id in self.routines:
                return self.routines[routine_id]
        return next(iter(self.routines.values()), None)

    def chapter_exercises(self, chapter: Chapter) -> list[Exercise]:
        return [self.exercises[exercise_id] for exercise_id in chapter.exercises]

    def sample_edition(self) -> Book:
        """Only the chapters and exercises marked ``sample: true``."""
        exercises = {key: e for key, e in self.exercises.items() if e.sample}
        chapters = tuple(
            chapter.model_copy(
                update={"exercises": [e for e in chapter.exercises if e in exercises]}
            )
            for chapter in self.chapters
            if chapter.sample
        )
        return replace(self, chapters=chapters, exercises=exercises)


@dataclass(frozen=True)
class PoseFault:
    """Why a pose cannot be drawn, and where in its description (keys and list indexes)."""

    location: tuple[str | int, ...]
    message: str
